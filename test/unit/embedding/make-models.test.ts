import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { generateTinyBert } from '../../../scripts/make-models';

describe('make-models', function () {
  this.timeout(60000);
  let out: string;
  beforeEach(() => { out = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-make-')); });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes tiny-bert in the Hub layout from the command line', async () => {
    const script = path.join(__dirname, '..', '..', '..', 'scripts', 'make-models.ts');
    // --no-glove: the GloVe folder loads a 1.1 GB JSON; glove.test.ts covers it.
    await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--out', out, '--no-glove']);
    const dir = path.join(out, 'tiny-bert');
    const files = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
    for (const f of files) assert.ok(fs.existsSync(path.join(dir, f)), f);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    assert.deepEqual([config.model_type, config.num_hidden_layers, config.hidden_size, config.vocab_size, config.max_position_embeddings],
      ['bert', 2, 32, 30522, 128]);
    const size = fs.statSync(path.join(dir, 'onnx/model.onnx')).size;
    // Word embeddings 30522 x 32 floats dominate: about 3.9 MB.
    assert.ok(size > 30522 * 32 * 4 && size < 5e6, `model.onnx is ${size} bytes`);
    assert.ok(!fs.existsSync(path.join(out, 'minilm-shaped')), 'the large model only with --minilm');
    assert.ok(!fs.existsSync(path.join(out, 'glove-6b-100d')), 'no GloVe with --no-glove');
  });

  it('is deterministic for a seed and differs between seeds', () => {
    generateTinyBert(path.join(out, 'a'), { seed: 3, quantized: false });
    generateTinyBert(path.join(out, 'b'), { seed: 3, quantized: false });
    generateTinyBert(path.join(out, 'c'), { seed: 4, quantized: false });
    const bytes = (d: string) => fs.readFileSync(path.join(out, d, 'onnx/model.onnx'));
    assert.ok(bytes('a').equals(bytes('b')));
    assert.ok(!bytes('a').equals(bytes('c')));
  });
});
