// The extension's user-facing strings go through vscode.l10n (package.json's through package.nls.json),
// so the extension can be translated: a message, title or prompt written as a bare literal fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = path.join(__dirname, '../../../src/extension');
/** A string or template literal where the user reads it: a message, a title or prompt, an error the user is shown. */
const LITERAL = /(?:show(?:Information|Warning|Error)Message\(\s*|new DriftError\(\s*|\b(?:title|prompt|placeHolder|placeholder): )(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g;
/** A literal argument after the first of a show*Message call: a button label ("Show Output"). */
const STRING = /^\s*(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*$/;

/** The top-level arguments of each show*Message call in `text` (balanced brackets, literals skipped whole). */
function messageCalls(text: string): { index: number; args: string[] }[] {
  const calls: { index: number; args: string[] }[] = [];
  for (const m of text.matchAll(/show(?:Information|Warning|Error)Message\(/g)) {
    const args: string[] = [];
    let depth = 0, from = m.index + m[0].length, i = from;
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === "'" || ch === '"' || ch === '`') {
        for (i++; i < text.length && text[i] !== ch; i++) if (text[i] === '\\') i++;
      } else if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) {
        if (depth === 0) break;
        depth--;
      } else if (ch === ',' && depth === 0) {
        args.push(text.slice(from, i));
        from = i + 1;
      }
    }
    args.push(text.slice(from, i));
    calls.push({ index: m.index, args });
  }
  return calls;
}

/** Button labels written as bare literals (a label that is one word in capitals or with spaces reads as text). */
const bareLabels = (text: string): { index: number; label: string }[] =>
  messageCalls(text).flatMap((call) => call.args.slice(1).filter((a) => STRING.test(a) && /\p{L}/u.test(a)).map((label) => ({ index: call.index, label: label.trim() })));
/**
 * Words outside the interpolations: `${TITLE()}: ${step}` joins localized parts, `Pick ${x}` does not.
 * A literal without a space between words is a name (a model id as a placeholder), not a sentence.
 */
const bare = (text: string): RegExpMatchArray[] => [...text.matchAll(LITERAL)].filter((m) => /\p{L}\s+\S/u.test(m[1]!.replace(/\$\{[^}]*\}/g, '')));

describe('extension strings are localizable', () => {
  it('no message, title or prompt is a bare literal', () => {
    const found: string[] = [];
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      // Files without vscode are shared with the session worker and the CLI, where vscode.l10n does not exist.
      if (!text.includes("from 'vscode'")) continue;
      for (const m of bare(text)) found.push(`${name}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
      for (const b of bareLabels(text)) found.push(`${name}:${text.slice(0, b.index).split('\n').length}: button ${b.label}`);
    }
    assert.deepEqual(found, []);
  });

  it('the scan bites: it finds a bare message', () => {
    const sample = "void vscode.window.showInformationMessage('Cache cleared.'); const q = { title: `Pick one of ${x}` };";
    assert.equal(bare(sample).length, 2);
    assert.equal(bare("input.showQuickPick({ title: `${TITLE()}: ${vscode.l10n.t('Review')}` })").length, 0);
    assert.equal(bare("throw new DriftError('Select some text first.', 'usage');").length, 1);
    assert.deepEqual(bareLabels("void vscode.window.showErrorMessage(vscode.l10n.t('Failed: {0}', f(a, b)), 'Show Output', x).then((c) => g(c));").map((b) => b.label), ["'Show Output'"]);
    assert.deepEqual(bareLabels("showWarningMessage(vscode.l10n.t('Hi, {0}', 'x'), vscode.l10n.t('Clear Cache'))"), []);
  });
});
