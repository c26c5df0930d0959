// Auto-anchors: headings (markdown, RST, AsciiDoc), Python docstrings and doc comments as queries
// for the text they head or document; and what must not become a golden query, as seen on real
// docs: changelog headings ("Internal" x11, "Fixes" x13, "0.45.0 (2019-12-11)"), heading ids
// ("{ #learn-more }"), one-word and repeated headings, and one long file standing for the corpus.
import * as assert from 'node:assert/strict';
import { autoAnchors, cleanTitle } from '../../../src/core/metrics/autoAnchors';
import type { Corpus } from '../../../src/core/types';

function corpusOf(files: Record<string, string>): Corpus {
  return { root: '/w', files: Object.entries(files).map(([path, text]) => ({ path, text, hash: '', bytes: text.length })), skipped: [] };
}
const spanText = (c: Corpus, a: { span: { file: string; start: number; end: number } }): string =>
  c.files.find((f) => f.path === a.span.file)!.text.slice(a.span.start, a.span.end);

describe('autoAnchors', () => {
  it('makes each markdown heading a query for the text it heads, ignoring # in code fences and front matter', () => {
    const guide = '---\ntitle: Guide\n---\n# Install the tool\nRun npm.\n\n## Configure the cache\nSet the folder.\n```sh\n# not a heading\n```\nSetext title here\n-----------------\nUnder the setext title.\n';
    const c = corpusOf({ 'docs/guide.md': guide });
    const { anchors, summary } = autoAnchors(c, 100);
    assert.deepEqual(anchors.map((a) => a.query), ['Install the tool', 'Configure the cache', 'Setext title here']);
    // The heading line itself is not part of the expected text: the section's own text is.
    assert.equal(spanText(c, anchors[0]!), 'Run npm.');
    assert.equal(spanText(c, anchors[1]!), 'Set the folder.\n```sh\n# not a heading\n```');
    assert.equal(spanText(c, anchors[2]!), 'Under the setext title.');
    assert.equal(anchors[0]!.expect, 'docs/guide.md#L5-L5');
    assert.ok(anchors.every((a) => a.auto));
    assert.deepEqual(summary.made, { headings: 3, docstrings: 0, docComments: 0 });
  });

  it('leaves out changelog files, versions and dates, one-word headings and empty sections, and counts each', () => {
    const notes = '# Release Notes\n\n## 0.45.0 (2019-12-11)\n\n### Fixes\n\n* Fix a crash.\n\n### Internal\n\n* Bump deps.\n';
    const page = '# Reference\n\n## Tested\nAll of it.\n\n## Version 2.0\nNew things.\n\n## Editor support\nCompletion everywhere.\n\n## Installing from source\n### With pip\nRun pip.\n';
    const c = corpusOf({ 'docs/release-notes.md': notes, 'docs/features.md': page });
    const { anchors, summary } = autoAnchors(c, 100);
    // "With pip" is two words (kept); "Installing from source" heads nothing but a subheading.
    assert.deepEqual(anchors.map((a) => a.query), ['Editor support', 'With pip']);
    assert.equal(summary.dropped.changelog, 4);
    assert.equal(summary.dropped.versionOrDate, 1);
    // "Tested"; "Reference" and "Installing from source" head nothing but a subheading.
    assert.equal(summary.dropped.oneWord, 1);
    assert.equal(summary.dropped.emptySection, 2);
    assert.deepEqual(summary.found, { headings: 10, docstrings: 0, docComments: 0 });
  });

  it('drops every heading that labels more than one place, across files too', () => {
    const a = '# Getting started\nA.\n\n## Example usage\nOne.\n\n## Example usage\nTwo.\n';
    const b = '# Getting Started\nB.\n\n## Advanced usage\nThree.\n';
    const { anchors, summary } = autoAnchors(corpusOf({ 'a.md': a, 'b.md': b }), 100);
    assert.deepEqual(anchors.map((x) => x.query), ['Advanced usage']);
    assert.equal(summary.dropped.repeated, 4);
  });

  it('strips heading ids, links, inline code and roles from queries', () => {
    assert.equal(cleanTitle('Learn More { #learn-more }'), 'Learn More');
    assert.equal(cleanTitle('[Plac](https://plac.readthedocs.io/en/latest/) and friends'), 'Plac and friends');
    assert.equal(cleanTitle('`Typer` class'), 'Typer class');
    assert.equal(cleanTitle('Constructs and sends a :class:`Request <Request>`.'), 'Constructs and sends a Request.');
    assert.equal(cleanTitle('Use **bold** and *emphasis* but keep snake_case_names'), 'Use bold and emphasis but keep snake_case_names');
    assert.equal(cleanTitle('See {@link Session.request} for details'), 'See Session.request for details');
  });

  it('reads RST section titles (underlined, or over- and underlined) with their levels', () => {
    const rst = '.. _quickstart:\n\n==========\nQuickstart\n==========\n\nEager to get started?\n\nMake a Request\n--------------\n\nMaking a request is simple.\n\nPassing Parameters In URLs\n--------------------------\n\nYou often want to send data.\n';
    const c = corpusOf({ 'docs/user/quickstart.rst': rst });
    const { anchors } = autoAnchors(c, 100);
    assert.deepEqual(anchors.map((a) => a.query), ['Make a Request', 'Passing Parameters In URLs']);
    assert.equal(spanText(c, anchors[0]!), 'Making a request is simple.');
    assert.equal(spanText(c, anchors[1]!), 'You often want to send data.');
  });

  it('reads AsciiDoc titles outside listing blocks', () => {
    const adoc = '= Book Title\n\n== Installing the server\nRun it.\n\n----\n== not a title\n----\n\n=== Checking the logs\nLook at them.\n';
    const c = corpusOf({ 'guide.adoc': adoc });
    const { anchors } = autoAnchors(c, 100);
    // The document title heads nothing but its first section.
    assert.deepEqual(anchors.map((a) => a.query), ['Installing the server', 'Checking the logs']);
    assert.equal(spanText(c, anchors[0]!), 'Run it.\n\n----\n== not a title\n----');
  });

  it('makes a Python docstring\'s first sentence a query for the code after it, to the end of the block', () => {
    const py = [
      'def request(',
      '    method: str, url: str, **kwargs',
      ') -> Response:',
      '    """Constructs and sends a :class:`Request <Request>`.',
      '',
      '    :param method: method for the new object.',
      '    """',
      '    with sessions.Session() as session:',
      '        return session.request(method=method, url=url, **kwargs)',
      '',
      '',
      'class Session:',
      '    """A Requests session keeps cookies across requests."""',
      '',
      '    timeout = None',
      '',
      '    def close(self):',
      '        """Closes all adapters and as such the session."""',
      '        for v in self.adapters.values():',
      '            v.close()',
      '',
      'def stub():',
      '    """Nothing but a docstring here."""',
      '',
      'x = 1',
    ].join('\n');
    const c = corpusOf({ 'src/requests/api.py': py });
    const { anchors, summary } = autoAnchors(c, 100);
    assert.deepEqual(anchors.map((a) => a.query), [
      'Constructs and sends a Request.', 'A Requests session keeps cookies across requests.', 'Closes all adapters and as such the session.',
    ]);
    assert.equal(spanText(c, anchors[0]!), '    with sessions.Session() as session:\n        return session.request(method=method, url=url, **kwargs)');
    // A class's own text ends where its first method begins.
    assert.equal(spanText(c, anchors[1]!), '    timeout = None');
    assert.equal(spanText(c, anchors[2]!), '        for v in self.adapters.values():\n            v.close()');
    assert.equal(anchors[0]!.expect, 'src/requests/api.py#L8-L9');
    assert.deepEqual([summary.found.docstrings, summary.made.docstrings, summary.dropped.emptySection], [4, 3, 1]);
  });

  it('makes a doc comment a query for the code after it', () => {
    const code = '/** Returns the user name from the session store. */\nexport function userName() {\n  return store.name;\n}\n\nconst other = 1;\n';
    const c = corpusOf({ 'src/user.ts': code });
    const { anchors, summary } = autoAnchors(c, 100);
    assert.equal(anchors[0]?.query, 'Returns the user name from the session store.');
    assert.equal(spanText(c, anchors[0]!), 'export function userName() {\n  return store.name;\n}');
    assert.equal(anchors[0]?.expect, 'src/user.ts#L2-L4');
    assert.equal(summary.made.docComments, 1);
  });

  it('caps each file and the total, keeping an evenly spread subset, and says how many it left out', () => {
    const page = (name: string, n: number): string => Array.from({ length: n }, (_, i) => `## ${name} topic number ${i}\nText ${i}.\n`).join('\n');
    const { anchors, summary } = autoAnchors(corpusOf({ 'long.md': page('Long', 30), 'short.md': page('Short', 4) }), 12, 10);
    assert.equal(summary.dropped.perFileCap, 20);
    assert.equal(summary.dropped.limit, 2);
    assert.equal(anchors.length, 12);
    assert.deepEqual([summary.perFile, summary.limit], [10, 12]);
    // Evenly spread over the long file: topics 0, 3, 6, ... not its first ten.
    assert.deepEqual(anchors.filter((a) => a.span.file === 'long.md').slice(0, 3).map((a) => a.query), ['Long topic number 0', 'Long topic number 3', 'Long topic number 6']);
  });

  it('lets a file give an equal share of the limit when fewer files have anchors (one long manual is not held to 10)', () => {
    const page = (name: string, n: number): string => Array.from({ length: n }, (_, i) => `## ${name} topic number ${i}\nText ${i}.\n`).join('\n');
    const one = autoAnchors(corpusOf({ 'manual.md': page('Manual', 60) }), 40, 10);
    assert.deepEqual([one.anchors.length, one.summary.perFile, one.summary.dropped.perFileCap, one.summary.dropped.limit], [40, 40, 20, 0]);
    // Three files with anchors, limit 40: a share is ceil(40 / 3) = 14 (above the cap of 10).
    const three = autoAnchors(corpusOf({ 'a.md': page('Alpha', 30), 'b.md': page('Beta', 30), 'c.md': page('Gamma', 5) }), 40, 10);
    assert.equal(three.summary.perFile, 14);
    assert.deepEqual(['a.md', 'b.md', 'c.md'].map((f) => three.anchors.filter((a) => a.span.file === f).length), [14, 14, 5]);
    assert.equal(three.summary.dropped.perFileCap, 32);
    assert.equal(three.anchors.length, 33);
  });
});
