// The extension's user-facing strings go through vscode.l10n (package.json's through package.nls.json),
// so the extension can be translated: a message, title or prompt written as a bare literal fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = path.join(__dirname, '../../../src/extension');
/** A string or template literal where the user reads it. */
const LITERAL = /(?:show(?:Information|Warning|Error)Message\(\s*|\b(?:title|prompt|placeHolder|placeholder): )(`(?:[^`\\]|\\.)*`|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g;
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
      for (const m of bare(text)) found.push(`${name}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
    }
    assert.deepEqual(found, []);
  });

  it('the scan bites: it finds a bare message', () => {
    const sample = "void vscode.window.showInformationMessage('Cache cleared.'); const q = { title: `Pick one of ${x}` };";
    assert.equal(bare(sample).length, 2);
    assert.equal(bare("input.showQuickPick({ title: `${TITLE()}: ${vscode.l10n.t('Review')}` })").length, 0);
  });
});
