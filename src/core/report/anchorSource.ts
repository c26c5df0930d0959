// Which anchors a run used and why, in one sentence the overview and the output channel share: a
// golden set from the anchors file, auto-anchors made from the corpus (no anchors file was read),
// or none (and why). Whether they suffice for a verdict is the report's own `conclusive`.
import { plural } from './summary';
import type { AnchorReport } from './types';

export function describeAnchorSource(anchors: AnchorReport): string {
  const enough = anchors.count > 0 && !anchors.conclusive
    ? `; fewer than the ${anchors.minimumAnchors} a quality verdict needs, so it is not conclusive` : '';
  switch (anchors.source) {
    case 'file': {
      const skipped = anchors.malformed.length > 0 ? ` (${plural(anchors.malformed.length, 'line')} skipped)` : '';
      const file = anchors.file ? `the anchors file ${anchors.file}` : 'the anchors file';
      return anchors.count === 0
        ? `No golden queries: ${file} holds no usable line${skipped}.`
        : `${plural(anchors.count, 'golden query', 'golden queries')} from ${file}${skipped}${enough}.`;
    }
    case 'auto': {
      const made = anchors.auto?.made;
      const from = made
        ? [plural(made.headings, 'heading'), plural(made.docstrings, 'docstring'), plural(made.docComments, 'doc comment')].filter((x) => !x.startsWith('0 '))
        : [];
      const origin = from.length > 0 ? `${from.slice(0, -1).join(', ')}${from.length > 1 ? ' and ' : ''}${from[from.length - 1]}` : 'headings and doc comments';
      return `${plural(anchors.count, 'auto-anchor')} made from the corpus's ${origin}, since no anchors file was read${enough}.`;
    }
    case 'none': {
      if (!anchors.auto) return 'No anchors: no anchors file was read, and auto-anchors are turned off ("autoAnchors": false).';
      const { headings, docstrings, docComments } = anchors.auto.found;
      const found = headings + docstrings + docComments;
      return found > 0
        ? `No anchors: no anchors file was read, and none of the corpus's ${found} headings and doc comments made a usable query (changelog, version, one-word or repeated ones are left out).`
        : 'No anchors: no anchors file was read, and the corpus has no headings or doc comments to make them from.';
    }
  }
}
