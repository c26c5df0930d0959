// The create flow's file: JSONC with comments that the real configuration parser accepts and that
// means exactly what the user picked.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { CURATED_MODELS, defaultChoices, renderConfigFile, type ComparisonKind } from '../../../src/extension/config-template';
import { withAnchorsField } from '../../../src/extension/config-edit';

const file = path.resolve('/work/space/embedding-drift.json');

describe('extension config template', () => {
  for (const kind of ['models', 'chunkers', 'snapshots'] as ComparisonKind[]) {
    it(`writes a ${kind} configuration the parser accepts as chosen`, () => {
      const choices = defaultChoices(kind);
      const text = renderConfigFile(choices);
      assert.match(text, /^\/\/ Embedding Drift configuration/);
      const config = parseConfig(text, file);
      assert.equal(config.k, choices.k);
      assert.deepEqual(config.corpus.include, choices.include);
      assert.equal(config.anchors, undefined, 'no anchors file until the user adds an anchor');
      for (const side of ['a', 'b'] as const) {
        const chosen = choices[side];
        assert.equal(config[side].label, chosen.label);
        const { type, size, overlap, unit } = config[side].chunker;
        assert.deepEqual({ type, size, overlap, unit }, chosen.chunker);
        if (chosen.model.kind === 'builtin') assert.equal(config[side].model.kind, 'builtin');
        if (chosen.corpus !== undefined) assert.equal(config[side].corpusRoot, path.resolve('/work/space', chosen.corpus));
      }
    });
  }

  it('writes each curated model with its pooling and prefixes', () => {
    for (const m of CURATED_MODELS) {
      const choices = defaultChoices('models');
      choices.b.model = { kind: 'hub', id: m.id };
      const b = parseConfig(renderConfigFile(choices), file).b.model;
      assert.equal(b.kind, 'hub');
      if (b.kind !== 'hub') continue;
      assert.equal(b.id, m.id);
      assert.equal(b.pooling, m.pooling);
      assert.equal(b.queryPrefix, m.queryPrefix);
      assert.equal(b.documentPrefix, m.documentPrefix);
    }
  });

  it('keeps hostile labels and local paths as data', () => {
    const choices = defaultChoices('chunkers');
    choices.a.label = 'say "hi"\n// }, "k": 99';
    choices.b.model = { kind: 'local', path: 'models/my "model"' };
    const config = parseConfig(renderConfigFile(choices), file);
    assert.equal(config.a.label, choices.a.label);
    assert.equal(config.k, 10);
    assert.deepEqual(config.b.model.kind === 'local' && config.b.model.path, path.resolve('/work/space/models/my "model"'));
  });

  it('adds an anchors field to an existing file without losing its comments', () => {
    const text = '// mine\n{\n  // the corpus\n  "k": 5\n}\n';
    const edited = withAnchorsField(text, 'anchors.jsonl');
    assert.match(edited, /\/\/ mine/);
    assert.match(edited, /\/\/ the corpus/);
    const config = parseConfig(edited, file);
    assert.equal(config.k, 5);
    assert.equal(config.anchors, path.resolve('/work/space/anchors.jsonl'));
  });
});
