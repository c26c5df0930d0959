// Markdown-aware chunking: sections under their heading path, packed from whole blocks
// (paragraphs, lists, fenced code); a fenced code block is never cut unless it alone exceeds
// the size. Each chunk carries its heading path, outermost first.
import type { ChunkerSpec } from '../config/types';
import { recursiveSpansWithin } from './recursive';
import { packSpans, trimSpan, type Measure, type Span } from './spans';

export interface Block extends Span {
  /** A heading line opens a new section. */
  heading?: { level: number; title: string };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
/** A setext underline: the paragraph above it is a heading (level 1 for "=", 2 for "-"). */
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
/** YAML front matter: "---" on the first line up to the next "---" or "..." line. */
const FRONT_MATTER = /^---[ \t]*\r?\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Splits markdown into blocks: front matter, headings (ATX and setext), fenced code, runs of non-blank lines. */
export function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const frontMatter = FRONT_MATTER.exec(text);
  let paragraphStart = -1;
  let paragraphEnd = -1;
  let fence: { char: string; length: number; start: number } | undefined;
  const closeParagraph = () => {
    if (paragraphStart >= 0) blocks.push({ start: paragraphStart, end: paragraphEnd });
    paragraphStart = -1;
  };
  let lineStart = 0;
  if (frontMatter) {
    blocks.push({ start: 0, end: frontMatter[0].length });
    lineStart = frontMatter[0].length;
  }
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const contentEnd = lineStart + line.length;
    if (fence) {
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && line.slice(close[0].length).trim() === '') {
        blocks.push({ start: fence.start, end: contentEnd });
        fence = undefined;
      }
    } else {
      const open = FENCE.exec(line);
      const heading = open ? null : HEADING.exec(line);
      if (open && !(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) {
        closeParagraph();
        fence = { char: open[1]![0]!, length: open[1]!.length, start: lineStart };
      } else if (heading) {
        closeParagraph();
        blocks.push({ start: lineStart, end: contentEnd, heading: { level: heading[1]!.length, title: (heading[2] ?? '').trim() } });
      } else if (line.trim() === '') {
        closeParagraph();
      } else if (paragraphStart >= 0 && SETEXT.test(line)) {
        const title = text.slice(paragraphStart, paragraphEnd).split(/\r?\n/).map((l) => l.trim()).join(' ');
        blocks.push({ start: paragraphStart, end: contentEnd, heading: { level: line.trim()[0] === '=' ? 1 : 2, title } });
        paragraphStart = -1;
      } else {
        if (paragraphStart < 0) paragraphStart = lineStart;
        paragraphEnd = contentEnd;
      }
    }
    lineStart = lineEnd + 1;
  }
  // An unclosed fence runs to the end of the file, as CommonMark reads it.
  if (fence) blocks.push({ start: fence.start, end: text.length });
  closeParagraph();
  return blocks.filter((b) => b.end > b.start);
}

/** `blocks` may come from the unprocessed file (headings survive markdown stripping that way). */
export function markdownSpans(text: string, spec: ChunkerSpec, measure: Measure, blocks: readonly Block[] = markdownBlocks(text)): Span[] {
  const chunks: Span[] = [];
  const path: Array<{ level: number; title: string }> = [];
  let units: Span[] = [];
  let sectionPath: string[] = [];
  const flush = () => {
    for (const span of packSpans(units, spec.size, spec.overlap, measure)) chunks.push({ ...span, headingPath: sectionPath });
    units = [];
  };
  for (const raw of blocks) {
    const trimmed = trimSpan(text, raw.start, raw.end);
    if (!trimmed) continue;
    const block: Block = raw.heading ? { ...trimmed, heading: raw.heading } : trimmed;
    if (block.heading) {
      flush();
      while (path.length > 0 && path[path.length - 1]!.level >= block.heading.level) path.pop();
      path.push(block.heading);
      sectionPath = path.map((h) => h.title);
    }
    if (measure.size(block.start, block.end) > spec.size) {
      units.push(...recursiveSpansWithin(text, block.start, block.end, spec, measure));
    } else {
      units.push({ start: block.start, end: block.end });
    }
  }
  flush();
  return chunks;
}
