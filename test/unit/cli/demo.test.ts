// The demo's configurations parse into what its help and the README promise.
import * as assert from 'node:assert/strict';
import { demoConfigText } from '../../../src/cli/demoCorpus';
import { describeChunker, describeModel } from '../../../src/core/config/describe';
import { parseConfig } from '../../../src/core/config/index';

describe('demo configuration', () => {
  it('default story: builtin:lexical against builtin:glove on the same chunks, each with its own tokenizer', () => {
    const config = parseConfig(demoConfigText('glove'), '/demo/embedding-drift.json');
    assert.deepEqual([describeModel(config.a.model), describeModel(config.b.model)], ['builtin:lexical', 'builtin:glove']);
    assert.deepEqual(config.a.chunker, config.b.chunker, 'the same chunks: churn comes from the model alone');
    assert.equal(describeChunker(config.a.chunker), 'recursive 800/100 chars');
    assert.deepEqual([config.a.tokenizer, config.b.tokenizer], [{ kind: 'words' }, { kind: 'model' }]);
    assert.equal(config.anchors, '/demo/anchors.jsonl');
  });

  it('--builtin-only: two chunkers and two tokenizers, the lexical embedder on both sides', () => {
    const config = parseConfig(demoConfigText('chunkers'), '/demo/embedding-drift.json');
    assert.deepEqual([describeModel(config.a.model), describeModel(config.b.model)], ['builtin:lexical', 'builtin:lexical']);
    assert.deepEqual([describeChunker(config.a.chunker), describeChunker(config.b.chunker)], ['recursive 800/100 chars', 'markdown 120/16 tokens']);
  });
});
