// The create flow's file: JSONC with comments that the real configuration parser accepts and that
// means exactly what the user picked.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config';
import { WALKTHROUGH_CONTEXT } from '../../../src/extension/command-ids';
import {
  BUILTIN_MODELS, CHUNKER_PRESETS, CURATED_MODELS, WIZARD_STEPS, answerWarnings, offlineModel, choicesFromAnswers, chunkWarnings, defaultChoices,
  parseChunkerText, renderConfigFile, type ComparisonKind, type ModelChoice,
} from '../../../src/extension/config-template';
import { anchorsToKeep, withAnchorsField } from '../../../src/extension/config-edit';

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

describe('extension Create Configuration steps', () => {
  const kinds: ComparisonKind[] = ['models', 'chunkers', 'snapshots'];
  const hub: ModelChoice = { kind: 'hub', id: 'Xenova/all-MiniLM-L6-v2' };
  const builtin: ModelChoice = { kind: 'builtin', id: 'builtin:lexical' };
  const glove: ModelChoice = { kind: 'builtin', id: 'builtin:glove' };

  it('offers GloVe as the offline semantic default, and every built-in is one the parser accepts', () => {
    assert.deepEqual(offlineModel(), glove);
    for (const kind of kinds) assert.deepEqual(defaultChoices(kind).a.model, glove, kind);
    for (const m of BUILTIN_MODELS) {
      const config = parseConfig(renderConfigFile(choicesFromAnswers({ kind: 'chunkers', modelA: { kind: 'builtin', id: m.id } })), file);
      assert.equal(config.a.model.kind === 'builtin' && `builtin:${config.a.model.name}`, m.id);
    }
  });

  it('every kind has the same number of steps, so the counter never jumps; kind first, review last', () => {
    const lengths = kinds.map((k) => WIZARD_STEPS[k].length);
    assert.deepEqual(lengths, [6, 6, 6]);
    for (const k of kinds) {
      assert.equal(WIZARD_STEPS[k][0], 'kind');
      assert.equal(WIZARD_STEPS[k][5], 'review');
      assert.equal(new Set(WIZARD_STEPS[k]).size, 6, 'no step twice');
    }
  });

  it('"tokens" never quietly means words: the counting tokenizer is written out, one for both sides of a models comparison', () => {
    const tokens = CHUNKER_PRESETS.filter((p) => p.chunker.unit === 'tokens').map((p) => p.chunker);
    assert.ok(tokens.length >= 2);
    for (const kind of kinds) {
      const pairs: Array<[ModelChoice, ModelChoice]> = [[builtin, builtin], [builtin, hub], [hub, hub], [glove, glove], [glove, hub]];
      for (const [ma, mb] of pairs) {
        for (const chunker of tokens) {
          const answers = { kind, modelA: ma, modelB: mb, chunkerA: chunker, chunkerB: chunker };
          const text = renderConfigFile(choicesFromAnswers(answers));
          const config = parseConfig(text, file);
          for (const side of ['a', 'b'] as const) {
            const counting = config[side].chunker.tokenizer;
            assert.ok(counting && counting.kind !== 'words', `${kind} ${side}: ${JSON.stringify(counting)}`);
            assert.match(text, /"unit": "tokens", "tokenizer": "(bert-base-uncased|model)"\}/, 'written in the chunker');
          }
          if (kind === 'models') assert.deepEqual(config.a.chunker.tokenizer, config.b.chunker.tokenizer, 'identical chunks on both sides');
          const expected: string = kind === 'models' || ma.kind === 'builtin' ? 'bert-base-uncased' : 'model';
          assert.equal(config.a.chunker.tokenizer?.kind, expected, `${kind} with ${ma.kind}`);
        }
      }
    }
  });

  it('the default tokenizers make the tokenization view compare two different tokenizers (never words against words)', () => {
    for (const kind of kinds) {
      for (const [ma, mb] of [[builtin, builtin], [builtin, hub], [hub, hub], [hub, { kind: 'local', path: 'm' }], [glove, glove], [glove, builtin], [builtin, glove]] as Array<[ModelChoice, ModelChoice]>) {
        const config = parseConfig(renderConfigFile(choicesFromAnswers({ kind, modelA: ma, modelB: mb })), file);
        const a = JSON.stringify(config.a.tokenizer), b = JSON.stringify(config.b.tokenizer);
        // "model" on both sides names two tokenizers only when the sides have two models.
        const twoModels = kind === 'models' && JSON.stringify(config.a.model) !== JSON.stringify(config.b.model);
        assert.ok(a !== b || (config.a.tokenizer.kind === 'model' && twoModels), `${kind} ${ma.kind}/${mb.kind}: ${a} vs ${b}`);
        assert.ok(config.a.tokenizer.kind !== 'words' && config.b.tokenizer.kind !== 'words');
      }
    }
    assert.deepEqual(answerWarnings({ kind: 'chunkers', tokenizers: { a: 'words', b: 'words' } }), ['Words on both sides: the tokenization view will have nothing to compare']);
  });

  it('warns where a chunk is longer than the model reads (tokens exactly, characters at 4 per token)', () => {
    const minilm = 'Xenova/all-MiniLM-L6-v2';
    assert.deepEqual(chunkWarnings({ type: 'markdown', size: 512, overlap: 64, unit: 'tokens' }, [hub]),
      [`512 tokens exceed ${minilm}'s maximum of 256 tokens: the rest of each chunk is never embedded`]);
    assert.deepEqual(chunkWarnings({ type: 'recursive', size: 256, overlap: 32, unit: 'tokens' }, [hub]), []);
    assert.deepEqual(chunkWarnings({ type: 'recursive', size: 1024, overlap: 0, unit: 'chars' }, [hub]), [], '1024 characters are about 256 tokens');
    assert.deepEqual(chunkWarnings({ type: 'recursive', size: 2000, overlap: 0, unit: 'chars' }, [builtin, hub]),
      [`2000 characters (about 500 tokens) exceed ${minilm}'s maximum of 256 tokens: the rest of each chunk is never embedded`]);
    assert.deepEqual(chunkWarnings({ type: 'markdown', size: 512, overlap: 64, unit: 'tokens' }, [{ kind: 'hub', id: 'Xenova/bge-small-en-v1.5' }]), [], 'bge reads 512');
    assert.deepEqual(chunkWarnings({ type: 'fixed', size: 600, overlap: 0, unit: 'tokens' }, [{ kind: 'local', path: 'm', maxTokens: 512 }]).length, 1);
    assert.equal(answerWarnings({ kind: 'models', modelA: builtin, modelB: hub, chunkerA: { type: 'markdown', size: 512, overlap: 64, unit: 'tokens' } }).length, 1);
  });

  it('reads a custom chunker and says what is wrong with a bad one', () => {
    assert.deepEqual(parseChunkerText('recursive 300/30 tokens'), { type: 'recursive', size: 300, overlap: 30, unit: 'tokens' });
    assert.deepEqual(parseChunkerText(' Markdown 1200 / 0 characters '), { type: 'markdown', size: 1200, overlap: 0, unit: 'chars' });
    const error = (t: string): string => { const r = parseChunkerText(t); return 'error' in r ? r.error : 'accepted'; };
    assert.match(error('300/30'), /Type it as/);
    assert.match(error('semantic 300/30 tokens'), /"semantic" is not a chunker/);
    assert.match(error('recursive 300/30 words'), /"words" is not a unit/);
    assert.match(error('recursive 300/300 chars'), /overlap must be smaller than the size \(got 300 >= 300\)/);
    assert.match(error('recursive 4/0 tokens'), /fewer than 8 tokens/);
  });

  it('Replace keeps the anchors field when its file exists, and the parser finds that file', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-replace-'));
    try {
      const configPath = path.join(tmp, 'embedding-drift.json');
      fs.writeFileSync(configPath, '// old\n{ "anchors": "golden/queries.jsonl", "k": 5, }\n');
      assert.equal(await anchorsToKeep(configPath), undefined, 'named file missing, no anchors.jsonl');
      fs.mkdirSync(path.join(tmp, 'golden'));
      fs.writeFileSync(path.join(tmp, 'golden', 'queries.jsonl'), '{"query":"q","expect":"a.md"}\n');
      const kept = await anchorsToKeep(configPath);
      assert.equal(kept, 'golden/queries.jsonl');
      const config = parseConfig(renderConfigFile(choicesFromAnswers({ kind: 'chunkers', anchors: kept! })), configPath);
      assert.equal(config.anchors, path.join(tmp, 'golden', 'queries.jsonl'));
      fs.writeFileSync(configPath, '{ "k": 5 }');
      fs.writeFileSync(path.join(tmp, 'anchors.jsonl'), '');
      assert.equal(await anchorsToKeep(configPath), 'anchors.jsonl', 'the default file beside it');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('extension walkthrough', () => {
  it('ticks each step on a context key its command sets after success, never on the command being run', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
    const events = pkg.contributes.walkthroughs.flatMap((w: { steps: Array<{ completionEvents?: string[] }> }) => w.steps.map((s) => s.completionEvents ?? []));
    const keys = Object.values(WALKTHROUGH_CONTEXT).map((k) => `onContext:${k}`);
    assert.deepEqual(events.map((e: string[]) => e.length), [1, 1, 1, 1]);
    assert.deepEqual(events.flat().sort(), [...keys].sort());
    const commands = fs.readFileSync(path.join(__dirname, '../../../src/extension/commands.ts'), 'utf8');
    for (const step of Object.keys(WALKTHROUGH_CONTEXT)) assert.ok(commands.includes(`stepDone('${step}')`), `${step} is set somewhere`);
  });
});
