// The page builders and the message validators, in plain Node: exact CSP strings, the JSON
// embedding that no payload can escape, SHA-256 against Node's own, and what the validators drop.
import * as assert from 'node:assert/strict';
import { embedJson, embedJsonPieces, makeNonce, renderStandaloneHtml, renderWebviewHtml, sha256Base64 } from '../../src/shared/html';
import { decodeReport, encodeReport, validateFromWebview, validateToWebview } from '../../src/shared/protocol';
import { XSS_PAYLOADS, makeFixtureReport } from '../fixtures/make-report';

describe('page builders (src/shared/html.ts)', () => {
  it('renderWebviewHtml: CSP default-src none, resources from cspSource, script only by nonce', () => {
    const html = renderWebviewHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'AAAAAAAAAAAAAAAAAAAAAA', scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/dist/webview.css' });
    assert.ok(html.includes(`content="default-src 'none'; img-src https://x.vscode-cdn.net data:; style-src https://x.vscode-cdn.net; script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA'"`));
    assert.ok(html.includes('<script nonce="AAAAAAAAAAAAAAAAAAAAAA" src="https://x/dist/webview.js"></script>'));
    assert.ok(html.includes('<link rel="stylesheet" href="https://x/dist/webview.css">'));
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handlers');
  });

  it('renderWebviewHtml refuses a missing or short nonce', () => {
    assert.throws(() => renderWebviewHtml({ cspSource: 's', nonce: '', scriptUri: 'a', styleUri: 'b' }), /nonce/);
  });

  it('makeNonce gives 22 base64url characters, different every call', () => {
    const seen = new Set(Array.from({ length: 200 }, () => makeNonce()));
    assert.equal(seen.size, 200);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9_-]{22}$/);
  });

  it('embedJson: round-trips exactly and leaves no "<" or line separator for the HTML parser', () => {
    const value = { a: XSS_PAYLOADS, b: '\u2028\u2029 <!-- --> </SCRIPT >', n: [1.5, -0, 1e-9] };
    const out = embedJson(value);
    assert.ok(!out.includes('<'));
    assert.ok(!/[\u2028\u2029]/.test(out));
    assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(value)));
  });

  it('embedJsonPieces: slices that each encode to UTF-8 alone (no surrogate pair cut) and join to embedJson', () => {
    // Emoji (two UTF-16 units each) at every offset against slices of 2 to 5 units.
    const json = JSON.stringify({ t: '<a>😀b😀😀\u2028c😀<', u: '𝄞'.repeat(5) });
    for (let slice = 2; slice <= 5; slice++) {
      const pieces = [...embedJsonPieces(json, slice)];
      assert.equal(pieces.join(''), embedJson(undefined, json));
      assert.equal(Buffer.concat(pieces.map((p) => Buffer.from(p, 'utf8'))).toString('utf8'), embedJson(undefined, json), `slice ${slice}`);
      assert.ok(pieces.every((p) => !/[\ud800-\udbff]$/.test(p)), `a piece ends inside a pair (slice ${slice})`);
    }
  });

  it('renderStandaloneHtml: inline script and style pinned by their SHA-256 in the CSP; report embedded once, inert', () => {
    const report = makeFixtureReport({ chunks: 40, hostile: true });
    const script = 'console.log("</script><b>")';
    const css = 'body{color:red}/*</style>*/';
    const html = renderStandaloneHtml(report, { script, css });
    const inlineScript = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)?.[1];
    const inlineStyle = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    assert.equal(inlineScript, 'console.log("<\\/script><b>")');
    assert.equal(inlineStyle, 'body{color:red}/*<\\/style>*/');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; img-src data:; style-src 'sha256-${sha256Base64(inlineStyle!)}'; script-src 'sha256-${sha256Base64(inlineScript!)}'`);
    const json = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    assert.deepEqual(JSON.parse(json!), report);
    // Exactly the two script elements we wrote: the payloads never open or close one.
    assert.equal((html.match(/<script/gi) ?? []).length, 2);
    assert.equal((html.match(/<\/script/gi) ?? []).length, 2);
  });
});

describe('message validators (src/shared/protocol.ts)', () => {
  const logs: string[] = [];
  const log = (m: string): void => { logs.push(m); };
  beforeEach(() => { logs.length = 0; });

  it('accepts every well-formed webview message', () => {
    const good = [
      { type: 'ready' }, { type: 'cancel' }, { type: 'rerun' },
      { type: 'openLocation', file: 'docs/a.md', start: 0, end: 10 },
      { type: 'openLocation', file: 'docs/a.md', start: 5, end: 5, side: 'b' },
      { type: 'request', id: 1, request: { type: 'tokenize', text: '' } },
      { type: 'request', id: 2, request: { type: 'search', query: 'q', k: 10 } },
      { type: 'request', id: 3, request: { type: 'fileText', file: 'x.md' } },
      { type: 'webviewError', message: 'boom' },
    ];
    for (const m of good) assert.deepEqual(validateFromWebview(m, log), m);
    assert.deepEqual(logs, []);
  });

  it('drops malformed or unknown webview messages with one log line each', () => {
    const bad = [
      null, 'ready', [], { type: 'nope' }, { type: 'openLocation', file: '', start: 0, end: 1 },
      { type: 'openLocation', file: 'a', start: 5, end: 4 }, { type: 'openLocation', file: 'a', start: -1, end: 4 },
      { type: 'openLocation', file: 'a', start: 0, end: 4, side: 'c' }, { type: 'request', id: 1.5, request: { type: 'tokenize', text: 'x' } },
      { type: 'request', id: 1, request: { type: 'tokenize', text: 'x'.repeat(100_001) } }, { type: 'request', id: 1, request: { type: 'search', query: 'q', k: 0 } },
      { type: 'request', id: 1, request: { type: 'fileText' } }, { type: 'webviewError' },
    ];
    for (const m of bad) assert.equal(validateFromWebview(m, log), undefined, JSON.stringify(m)?.slice(0, 80));
    assert.equal(logs.length, bad.length);
    assert.match(logs[3]!, /unknown type "nope"/);
  });

  it('accepts host messages and checks their payloads', () => {
    const report = makeFixtureReport({ chunks: 20 });
    const enc = { tokenizer: 't', pieces: ['a', 'b'], offsets: [[0, 1], [1, 2]], unknown: [false, true] };
    const good = [
      { type: 'showReport', report: encodeReport(report) },
      { type: 'showReport', report: encodeReport(report), change: '2 files changed, 14 chunks re-embedded' },
      { type: 'response', id: 1, response: { type: 'tokenize', a: enc, b: enc } },
      { type: 'response', id: 1, response: { type: 'tokenize', error: 'no tokenizer' } },
      { type: 'response', id: 2, response: { type: 'search', a: [{ chunk: 0, file: 'f', start: 0, end: 3, score: 0.5 }], b: [] } },
      { type: 'response', id: 3, response: { type: 'fileText', text: 'hello' } },
      { type: 'progress', event: { stage: 'embed', side: 'a', done: 3, total: 10 }, text: 'Embedding A: 3/10' },
      { type: 'error', message: 'Model not found.' },
      { type: 'setState', state: { tab: 'churn' } },
      { type: 'stale', stale: { ageMs: 12_000, configuration: true, anchors: false, corpusFiles: 3 } },
      { type: 'stale', stale: null },
    ];
    for (const m of good) assert.equal(validateToWebview(m, log), m);
    assert.deepEqual(logs, []);
    const bad = [
      { type: 'showReport', report },
      { type: 'showReport', report: encodeReport(report), change: 7 },
      { type: 'progress', event: { stage: 'embed', done: 1 } },
      { type: 'stale', stale: { ageMs: -1, configuration: true, anchors: false, corpusFiles: 0 } },
      { type: 'stale', stale: { ageMs: 1, configuration: 'yes', anchors: false, corpusFiles: 0 } },
      { type: 'response', id: 1, response: { type: 'tokenize', a: { ...enc, unknown: [false] }, b: enc } },
      { type: 'response', id: 2, response: { type: 'search', a: [{ chunk: 0, file: 'f' }], b: [] } },
      { type: 'response', id: 3, response: { type: 'fileText' } },
      { type: 'progress', event: { stage: 'dance', done: 1 } },
      { type: 'setState', state: 'churn' },
      { type: 'openLocation', file: 'a', start: 0, end: 1 },
    ];
    for (const m of bad) assert.equal(validateToWebview(m, log), undefined, JSON.stringify(m).slice(0, 80));
    assert.equal(logs.length, bad.length);
    assert.match(logs[0]!, /showReport without report bytes/);
  });

  it('decodes the report bytes showReport carries and names what makes them unusable', () => {
    const report = makeFixtureReport({ chunks: 20 });
    assert.deepEqual(decodeReport(encodeReport(report)), report);
    assert.match(String(decodeReport(encodeReport({ ...report, schemaVersion: 2 } as unknown as typeof report))), /schemaVersion 2 is not 1/);
    assert.match(String(decodeReport(encodeReport({ ...report, neighbors: undefined } as unknown as typeof report))), /report without neighbors/);
    assert.equal(decodeReport(new TextEncoder().encode('{"schemaVersion":')), 'report is not valid UTF-8 JSON');
    assert.equal(decodeReport(new Uint8Array([0x7b, 0xff, 0x7d])), 'report is not valid UTF-8 JSON');
  });
});
