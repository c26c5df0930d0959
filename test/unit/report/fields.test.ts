// The `--fail-on` field list comes from the report schema: a hand-made schema gives exactly the
// paths worked out by hand, and on a real run every listed field is a number (or null) wherever its
// section is present, so no listed field can be a gate that is silently false.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { compare } from '../../../src/core/pipeline/compare';
import { numericFields, REPORT_FIELDS } from '../../../src/core/report/fields';

describe('report fields for --fail-on', () => {
  it('reads numbers, nullable numbers and counts of object or string arrays off a schema, following $ref', () => {
    const schema = {
      definitions: { share: { type: 'number' }, pair: { type: 'object', properties: { a: { $ref: '#/definitions/share' } } } },
      properties: {
        timings: { type: 'object', properties: { walk: { type: 'number' } } },
        neighbors: {
          type: 'object',
          properties: {
            churnedShare: { anyOf: [{ $ref: '#/definitions/share' }, { type: 'null' }] },
            method: { enum: ['exact', 'hnsw'] },
            items: { type: 'array', items: { type: 'object', properties: { jaccard: { type: 'number' } } } },
            histogram: { type: 'object', properties: { counts: { type: 'array', items: { type: 'integer' } } } },
            recall: { oneOf: [{ type: 'null' }, { $ref: '#/definitions/pair' }] },
            timings: { type: 'integer' },
          },
        },
        warnings: { type: 'array', items: { type: 'string' } },
        flag: true,
      },
    };
    assert.deepEqual(numericFields(schema), ['neighbors.churnedShare', 'neighbors.items.length', 'neighbors.recall.a', 'neighbors.timings', 'warnings.length']);
  });

  it('lists what gates use today', () => {
    for (const field of ['neighbors.churnedShare', 'neighbors.meanJaccard', 'anchors.b.hitAtK', 'space.linearCka', 'warnings.length', 'tokenization.newVocabulary.length']) {
      assert.ok(REPORT_FIELDS.includes(field), field);
    }
    assert.ok(!REPORT_FIELDS.some((f) => f.startsWith('chunkTable.') || f.startsWith('timings.')), 'per-chunk tables and timings are not gates');
  });

  it('every listed field is a number or null in a real report wherever its section is present', async function () {
    this.timeout(120_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-fields-'));
    fs.mkdirSync(path.join(root, 'docs'));
    for (let i = 0; i < 12; i++) {
      fs.writeFileSync(path.join(root, 'docs', `page${i}.md`), `# Page ${i}\n\nThe cache keeps vectors for page ${i}; retrieval reads them.\n\n## Detail ${i}\n\nChunk ${i} talks about anchors, drift and tokenizers ${i % 3}.\n`);
    }
    fs.writeFileSync(path.join(root, 'anchors.jsonl'), [
      JSON.stringify({ query: 'where are vectors kept for page 3', expect: 'docs/page3.md#L1-L3' }),
      JSON.stringify({ query: 'tokenizers and drift' }),
      JSON.stringify({ a: 'cache', b: 'vectors' }),
    ].join('\n'));
    const config = parseConfig(JSON.stringify({
      corpus: { root, include: ['docs/**/*.md'] }, anchors: 'anchors.jsonl', k: 3, search: { method: 'exact' },
      a: { model: { builtin: 'lexical', dimension: 32 }, chunker: { type: 'recursive', size: 80, overlap: 10 } },
      b: { model: { builtin: 'lexical', dimension: 32 }, chunker: { type: 'markdown', size: 60, overlap: 0 } },
    }), path.join(root, 'embedding-drift.json'));
    const session = await compare(config, { cacheDir: path.join(root, '.cache'), allowNetwork: false, workers: 0 });
    const report = JSON.parse(JSON.stringify(session.report)) as Record<string, unknown>;
    await session.dispose();
    const lookup = (p: string): { value: unknown; absentAt?: string } => {
      let value: unknown = report;
      const parts = p.split('.');
      for (const [i, key] of parts.entries()) {
        if (value === undefined || value === null) return { value, absentAt: parts.slice(0, i).join('.') };
        value = (value as Record<string, unknown>)[key];
      }
      return { value };
    };
    let present = 0;
    for (const field of REPORT_FIELDS) {
      const { value, absentAt } = lookup(field);
      if (absentAt !== undefined) continue;
      if (value === undefined) {
        // A leaf may be absent only when it is optional in its object; its parent must exist either way.
        const parent = lookup(field.split('.').slice(0, -1).join('.'));
        assert.ok(parent.value !== undefined && typeof parent.value === 'object', `${field}: parent missing`);
        continue;
      }
      assert.ok(value === null || (typeof value === 'number' && Number.isFinite(value)), `${field} = ${JSON.stringify(value)}`);
      present++;
    }
    // The sections every run has (neighbors, anchors, tokenization, space, truncation, corpus) resolve.
    assert.ok(present >= 50, `only ${present} of ${REPORT_FIELDS.length} fields resolved`);
  });
});
