// Parity with LangChain's RecursiveCharacterTextSplitter (the behavior RAG developers know) on
// real documents: the README files of installed packages, read at test time.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { chunkFile } from '../../../src/core/chunking/index';

const NODE_MODULES = path.join(__dirname, '../../../node_modules');

/** Up to `limit` README.md files of installed packages, in name order (deterministic). */
function readmes(limit: number): Array<{ name: string; text: string }> {
  const found: Array<{ name: string; text: string }> = [];
  for (const name of fs.readdirSync(NODE_MODULES).sort()) {
    if (name.startsWith('.') || name.startsWith('@')) continue;
    const file = path.join(NODE_MODULES, name, 'README.md');
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    // LangChain splits between UTF-16 units at its last level and we between code points:
    // documents with characters outside the BMP could differ there by design.
    if (text.length < 2000 || /[\uD800-\uDFFF]/.test(text)) continue;
    found.push({ name, text });
    if (found.length === limit) break;
  }
  return found;
}

describe('chunking: recursive chunker = LangChain RecursiveCharacterTextSplitter', () => {
  const documents = readmes(12);

  it('finds real documents to compare on', () => {
    assert.ok(documents.length >= 8, `only ${documents.length} README files found`);
  });

  for (const [size, overlap] of [[1000, 200], [500, 50], [200, 0], [64, 16]] as const) {
    it(`gives the same chunks, size ${size} overlap ${overlap}`, async () => {
      const splitter = new RecursiveCharacterTextSplitter({ chunkSize: size, chunkOverlap: overlap });
      for (const { name, text } of documents) {
        const expected = await splitter.splitText(text);
        const chunks = chunkFile({ path: name, text, hash: '', bytes: 0 }, {
          chunker: { type: 'recursive', size, overlap, unit: 'chars' },
          preprocess: { normalize: 'none', collapseWhitespace: false, stripMarkdown: false },
        });
        assert.deepEqual(chunks.map((c) => c.text), expected, name);
      }
    });
  }
});
