// The demo's corpus (documentation and code that installed packages ship, listed in
// demo/sources.json) read straight from node_modules into memory, with the demo's anchors file:
// text nobody on this project wrote, present on every machine that ran `npm ci`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Corpus } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');

export function demoText(): { corpus: Corpus; anchorsText: string } {
  const sources = JSON.parse(readFileSync(path.join(ROOT, 'demo/sources.json'), 'utf8')) as { docs: string[]; code: string[] };
  const files = [...sources.docs, ...sources.code].flatMap((file) => {
    let text: string;
    try { text = readFileSync(path.join(ROOT, 'node_modules', ...file.split('/')), 'utf8'); } catch { return []; }
    // The demo leaves out files above 160 kB; so does this copy.
    return text.length > 160_000 ? [] : [{ path: file, text, hash: '', bytes: text.length }];
  });
  return { corpus: { root: path.join(ROOT, 'node_modules'), files, skipped: [] }, anchorsText: readFileSync(path.join(ROOT, 'demo/anchors.jsonl'), 'utf8') };
}
