// Builds the two pages that host the report webview bundle: the VS Code panel (resources by URI,
// CSP with a per-render nonce) and the self-contained report.html the CLI writes (bundle, CSS and
// report inlined, CSP pinned to their hashes). No `vscode`: the extension and the CLI (both Node) call it.
import { createHash } from 'node:crypto';
import { jsonPieces } from './jsonPieces';
import type { Report } from '../core/report/types';

export interface WebviewHtmlOptions {
  /** `webview.cspSource` of the panel. */
  cspSource: string;
  /** A fresh random nonce per render (see `makeNonce`). */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview.css)` as a string. */
  styleUri: string;
  title?: string;
}

export interface StandaloneHtmlOptions {
  /** Contents of dist/webview.js. */
  script: string;
  /** Contents of dist/webview.css. */
  css: string;
}

/** 128 random bits, base64url: a nonce for one render of the panel. */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The panel page: the bundle and stylesheet come from the extension's dist folder only. */
export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9_\-+/=]{16,}$/.test(o.nonce)) throw new Error('renderWebviewHtml: nonce must be 16+ base64 characters.');
  const csp = [
    `default-src 'none'`,
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return [...page({
    csp,
    title: o.title ?? 'Embedding Drift',
    mode: 'vscode',
    head: `<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">`,
    tail: [`<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>`],
  })].join('');
}

/**
 * report.html: one file that opens from disk in any browser without a server. The report rides
 * along as JSON in a non-executable script tag with every `<` escaped, so no string in it can
 * close the tag; the CSP allows exactly the inlined bundle and stylesheet by hash.
 */
export function renderStandaloneHtml(report: Report, o: StandaloneHtmlOptions): string {
  return [...standaloneHtmlPieces(report, o)].join('');
}

/**
 * renderStandaloneHtml in pieces, in order, made as a writer that takes pieces (`writeFileDurable`)
 * asks for each (iterate once): the report's JSON is escaped slice by slice and each slice can go
 * once written, so a 100 MB report is not copied whole once more for the page, nor the page
 * encoded whole (the large run's peak memory is this write).
 */
export function standaloneHtmlPieces(report: Report, o: StandaloneHtmlOptions): Iterable<string> {
  const script = neutralizeClosingTag(o.script, 'script');
  const css = neutralizeClosingTag(o.css, 'style');
  const csp = [
    `default-src 'none'`,
    `img-src data:`,
    `style-src 'sha256-${sha256Base64(css)}'`,
    `script-src 'sha256-${sha256Base64(script)}'`,
  ].join('; ');
  const title = `Embedding Drift: ${report.configs.a.label} vs ${report.configs.b.label}`;
  // Made and escaped as the writer asks for each piece, so the page never holds the report's text whole.
  const tail = function* (): Generator<string> {
    yield '<script type="application/json" id="report-data">';
    yield* embedJsonPieces(jsonPieces(report));
    yield `</script>\n<script>${script}</script>`;
  };
  return page({ csp, title, mode: 'standalone', head: `<style>${css}</style>`, tail: tail() });
}

/** JSON safe inside a script element: `<` (so `</script>` and `<!--`) and the JS line separators escaped. */
export function embedJson(value: unknown, json = JSON.stringify(value)): string {
  return [...embedJsonPieces(json)].join('');
}

/** Characters per slice of embedJsonPieces. */
const SLICE = 1 << 20;

/**
 * embedJson of `json` in slices of about `slice` characters. A slice never ends between the two
 * halves of a surrogate pair, so each one encodes to UTF-8 on its own (a lone half would become
 * U+FFFD in the file).
 */
export function* embedJsonPieces(json: string | Iterable<string>, slice = SLICE): Generator<string> {
  // Pieces that end between JSON values (jsonPieces) are escaped as they come.
  if (typeof json !== 'string') {
    for (const piece of json) yield* embedJsonPieces(piece, slice);
    return;
  }
  for (let start = 0; start < json.length;) {
    let end = Math.min(json.length, start + Math.max(2, slice));
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--;
    // One pass per slice: a 100 MB report would otherwise be copied once per character class.
    yield json.slice(start, end).replace(/[<\u2028\u2029]/g, (c) => (c === '<' ? '\\u003c' : c === '\u2028' ? '\\u2028' : '\\u2029'));
    start = end;
  }
}

function* page(p: { csp: string; title: string; mode: 'vscode' | 'standalone'; head: string; tail: Iterable<string> }): Generator<string> {
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="embedding-drift">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(p.csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(p.title)}</title>
${p.head}
</head>
<body data-mode="${p.mode}">
<div id="app" role="application" aria-label="Embedding Drift report"><p class="loading">Loading report…</p></div>
`;
  yield* p.tail;
  yield `
</body>
</html>
`;
}

/** `</script` inside inlined code would end the element early; `<\/script` means the same in JS strings and CSS. */
function neutralizeClosingTag(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The CSP source hash of an inline block: SHA-256 of its UTF-8 bytes, base64 (node:crypto; only Node front doors build pages). */
export function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}
