// "Create Configuration": a multi-step quick input (multi-step.ts) with Back, the same number of
// steps for every kind of comparison, explained presets, a custom chunk size with validation,
// warnings where a chunk outgrows a model, and a tokenizer step; then a commented
// embedding-drift.json written at the workspace root and opened. Escape pauses the flow: the answers
// are kept, and Resume (or running the command again) shows the same step again.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config';
import { writeFileDurable } from '../core/io/durable';
import { anchorsToKeep } from './config-edit';
import {
  BUILTIN_MODELS, CHUNKER_PRESETS, CURATED_MODELS, WIZARD_STEPS, answerWarnings, chunkWarnings,
  choicesFromAnswers, describeChunkerChoice, describeModelChoice, describeTokenizerName, modelsOf,
  offlineModel, parseChunkerText, renderConfigFile, tokenizerPairs, withCounting,
  type ChunkerChoice, type ComparisonKind, type ModelChoice, type WizardAnswers, type WizardStep,
} from './config-template';
import { InputFlowAction, MultiStepInput, type InputStep } from './multi-step';

type Item<T> = vscode.QuickPickItem & { value?: T };

const TITLE = (): string => vscode.l10n.t('Create Configuration');

/** The flow waiting for Resume after Escape; running the command again resumes it. */
let paused: { resume: () => void } | undefined;

/** Runs the flow; returns the written (or opened) file, or undefined when the user backed out. */
export async function createConfiguration(root: string): Promise<string | undefined> {
  if (paused) {
    paused.resume();
    return undefined;
  }
  const target = path.join(root, CONFIG_FILE_NAME);
  const answers: WizardAnswers = {};
  if (await exists(target)) {
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists in this folder.', CONFIG_FILE_NAME), { modal: true }, vscode.l10n.t('Open It'), vscode.l10n.t('Replace'));
    if (answer === vscode.l10n.t('Open It')) {
      await vscode.window.showTextDocument(vscode.Uri.file(target));
      return target;
    }
    if (answer !== vscode.l10n.t('Replace')) return undefined;
    // Replacing the file must not orphan the golden queries the user already wrote.
    const anchors = await anchorsToKeep(target);
    if (anchors !== undefined) answers.anchors = anchors;
  }
  const flow = new Flow(root, answers);
  await MultiStepInput.run((input) => flow.step(input, 'kind'), () => askToResume());
  if (!flow.confirmed || !answers.kind) return undefined;
  await writeFileDurable(target, renderConfigFile(choicesFromAnswers({ ...answers, kind: answers.kind })));
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  return target;
}

/** Escape (or anything that hides the input): keep the answers, offer to resume or discard. */
function askToResume(): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const settle = (resume: boolean): void => {
      if (paused !== handle) return;
      paused = undefined;
      resolve(resume);
    };
    const handle = { resume: () => settle(true) };
    paused = handle;
    const resume = vscode.l10n.t('Resume');
    const discard = vscode.l10n.t('Discard');
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Create Configuration is paused; your answers so far are kept. Resume, or run the command again, to continue.'),
      resume, discard,
    ).then((choice) => {
      if (choice === resume) settle(true);
      else if (choice === discard) settle(false);
      // Closed without a choice: stay paused; the command resumes it.
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

/** The steps, one method each, sharing the answers; each returns the next step. */
class Flow {
  confirmed = false;

  constructor(private readonly root: string, private readonly answers: WizardAnswers) {}

  private position(step: WizardStep): { step: number; totalSteps: number } {
    const steps = WIZARD_STEPS[this.answers.kind ?? 'models'];
    return { step: steps.indexOf(step) + 1, totalSteps: steps.length };
  }

  /** The step after `step` for the chosen kind. */
  private next(step: WizardStep): InputStep | void {
    const steps = WIZARD_STEPS[this.answers.kind ?? 'models'];
    const following = steps[steps.indexOf(step) + 1];
    return following ? (input) => this.step(input, following) : undefined;
  }

  step(input: MultiStepInput, step: WizardStep): Thenable<InputStep | void> {
    switch (step) {
      case 'kind': return this.pickKind(input);
      case 'modelA': return this.pickModel(input, step, 'a', vscode.l10n.t('Model for A (what you run today)'));
      case 'modelB': return this.pickModel(input, step, 'b', vscode.l10n.t('Model for B (the candidate)'));
      case 'model': return this.pickModel(input, step, 'a', vscode.l10n.t('Model for both sides'));
      case 'chunker': return this.pickChunker(input, step, 'a', vscode.l10n.t('Chunker for both sides'));
      case 'chunkerA': return this.pickChunker(input, step, 'a', vscode.l10n.t('Chunker for A (what you run today)'));
      case 'chunkerB': return this.pickChunker(input, step, 'b', vscode.l10n.t('Chunker for B (the candidate)'));
      case 'snapshot': return this.pickSnapshot(input);
      case 'tokenizers': return this.pickTokenizers(input);
      case 'review': return this.review(input);
    }
  }

  private async pickKind(input: MultiStepInput): Promise<InputStep | void> {
    const items: Array<Item<ComparisonKind>> = [
      { label: vscode.l10n.t('Two embedding models'), description: vscode.l10n.t('same corpus and chunker, different model'), detail: vscode.l10n.t('How much would retrieval change if you switched models?'), value: 'models' },
      { label: vscode.l10n.t('Two chunkers'), description: vscode.l10n.t('same model, different chunking'), detail: vscode.l10n.t('Which chunks lose their neighbors under another chunk size or splitter?'), value: 'chunkers' },
      { label: vscode.l10n.t('A corpus over time'), description: vscode.l10n.t('same setup on two snapshots of the corpus'), detail: vscode.l10n.t('Has your corpus drifted since an earlier copy of it?'), value: 'snapshots' },
    ];
    const picked = await input.showQuickPick({
      title: `${TITLE()}: ${vscode.l10n.t('What to compare')}`, ...this.position('kind'),
      placeholder: vscode.l10n.t('What do you want to compare?'), items,
      activeItem: items.find((i) => i.value === this.answers.kind),
    });
    this.answers.kind = picked.value!;
    return this.next('kind');
  }

  private async pickModel(input: MultiStepInput, step: WizardStep, side: 'a' | 'b', title: string): Promise<InputStep | void> {
    type Choice = ModelChoice | 'folder' | 'other';
    const builtin: Array<Item<Choice>> = BUILTIN_MODELS.map((m) => ({
      label: m.id, description: m.description, detail: vscode.l10n.t('Ships with the extension; reads every word of a chunk (no length limit).'), value: { kind: 'builtin', id: m.id },
    }));
    const hub: Array<Item<Choice>> = CURATED_MODELS.map((m) => ({
      label: m.id, description: m.description, detail: vscode.l10n.t('Downloaded once from the Hugging Face Hub, then cached; reads at most {0} tokens of a chunk.', m.maxTokens), value: { kind: 'hub', id: m.id },
    }));
    const current = side === 'a' ? this.answers.modelA : this.answers.modelB;
    const items: Array<Item<Choice>> = [
      { label: vscode.l10n.t('Built in'), kind: vscode.QuickPickItemKind.Separator },
      ...builtin,
      { label: vscode.l10n.t('Hugging Face Hub'), kind: vscode.QuickPickItemKind.Separator },
      ...hub,
      { label: vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator },
      { label: vscode.l10n.t('Local folder…'), description: vscode.l10n.t('a model in the Hugging Face layout (onnx/, tokenizer.json)'), value: 'folder' },
      { label: vscode.l10n.t('Other Hub id…'), description: vscode.l10n.t('any sentence-embedding model with ONNX weights'), value: 'other' },
    ];
    // Without an answer yet: A starts offline, B on a small trained model.
    const fallback: ModelChoice = side === 'a' || this.answers.kind !== 'models' ? offlineModel() : { kind: 'hub', id: CURATED_MODELS[0]!.id };
    const wanted = current ?? fallback;
    const active = items.find((i) => typeof i.value === 'object' && JSON.stringify(i.value) === JSON.stringify(wanted))
      ?? items.find((i) => i.value === (wanted.kind === 'local' ? 'folder' : wanted.kind === 'hub' ? 'other' : undefined));
    const picked = await input.showQuickPick({ title: `${TITLE()}: ${title}`, ...this.position(step), placeholder: vscode.l10n.t('Which embedding model?'), items, activeItem: active });
    const set = (m: ModelChoice): void => { if (side === 'a') this.answers.modelA = m; else this.answers.modelB = m; };
    if (picked.value === 'other') {
      return async (sub) => {
        const id = await sub.showInputBox({
          title: `${TITLE()}: ${title}`, ...this.position(step),
          value: current?.kind === 'hub' ? current.id : '',
          prompt: vscode.l10n.t('A Hugging Face Hub id with ONNX weights, owner/name'), placeholder: 'Xenova/all-MiniLM-L6-v2',
          validate: (v) => (/^[\w.-]+\/[\w.-]+$/.test(v.trim()) ? undefined : { message: vscode.l10n.t('Expected owner/name, e.g. Xenova/all-MiniLM-L6-v2'), severity: 'error' }),
        });
        set({ kind: 'hub', id: id.trim() });
        return this.next(step);
      };
    }
    if (picked.value === 'folder') {
      return async (sub) => {
        const folder = await this.chooseFolder(sub, vscode.l10n.t('Use as model {0}', side.toUpperCase()));
        set({ kind: 'local', path: folder.path, ...(await localMaxTokens(folder.absolute)) });
        return this.next(step);
      };
    }
    set(picked.value!);
    return this.next(step);
  }

  private async pickChunker(input: MultiStepInput, step: WizardStep, side: 'a' | 'b', title: string): Promise<InputStep | void> {
    const kind = this.answers.kind ?? 'models';
    const models = modelsOf(this.answers);
    // One chunker for both sides feeds both models; a per-side chunker feeds that side's model.
    const fed = (step === 'chunker' ? [models.a, models.b] : [side === 'a' ? models.a : models.b]).filter((m): m is ModelChoice => m !== undefined);
    const counting = fed[0] ?? offlineModel();
    const current = side === 'a' ? this.answers.chunkerA : this.answers.chunkerB;
    const presetItems: Array<Item<ChunkerChoice | 'custom'>> = CHUNKER_PRESETS.map((p) => {
      const chunker = withCounting(p.chunker, kind, counting);
      const warnings = chunkWarnings(chunker, fed);
      return {
        label: describeChunkerChoice(chunker),
        ...(warnings.length ? { description: `$(warning) ${vscode.l10n.t('longer than the model reads')}` } : {}),
        detail: warnings.length ? `${warnings.join('; ')}. ${p.explain}` : p.explain,
        value: chunker,
      };
    });
    const items: Array<Item<ChunkerChoice | 'custom'>> = [
      ...presetItems,
      { label: vscode.l10n.t('Custom size…'), description: vscode.l10n.t('any chunker, size, overlap and unit'), value: 'custom' },
    ];
    const matches = (c: ChunkerChoice | 'custom' | undefined): boolean =>
      typeof c === 'object' && current !== undefined && c.type === current.type && c.size === current.size && c.overlap === current.overlap && c.unit === current.unit;
    const fallbackIndex = side === 'b' && kind === 'chunkers' ? 1 : 0;
    const active = current === undefined ? items[fallbackIndex] : items.find((i) => matches(i.value)) ?? items[items.length - 1];
    const picked = await input.showQuickPick({
      title: `${TITLE()}: ${title}`, ...this.position(step), items, activeItem: active,
      placeholder: vscode.l10n.t('How to cut the corpus into chunks (size/overlap)?'),
    });
    const set = (c: ChunkerChoice): void => { if (side === 'a') this.answers.chunkerA = c; else this.answers.chunkerB = c; };
    if (picked.value === 'custom') {
      return async (sub) => {
        const text = await sub.showInputBox({
          title: `${TITLE()}: ${title}`, ...this.position(step),
          value: current ? `${current.type} ${current.size}/${current.overlap} ${current.unit}` : 'recursive 300/30 tokens',
          prompt: vscode.l10n.t('<type> <size>/<overlap> <chars|tokens>; type is recursive, markdown, sentence or fixed'),
          validate: (v) => {
            const parsed = parseChunkerText(v);
            if ('error' in parsed) return { message: parsed.error, severity: 'error' };
            const chunker = withCounting(parsed, kind, counting);
            const warnings = chunkWarnings(chunker, fed);
            if (warnings.length) return { message: warnings.join('; '), severity: 'warning' };
            return chunker.unit === 'tokens' && chunker.tokenizer
              ? { message: vscode.l10n.t('Tokens counted by {0}', describeTokenizerName(chunker.tokenizer)), severity: 'warning' }
              : undefined;
          },
        });
        const parsed = parseChunkerText(text);
        if ('error' in parsed) throw InputFlowAction.resume;
        set(withCounting(parsed, kind, counting));
        return this.next(step);
      };
    }
    set(picked.value!);
    return this.next(step);
  }

  private async pickSnapshot(input: MultiStepInput): Promise<InputStep | void> {
    const items: Array<Item<string | 'choose'>> = [
      ...(this.answers.snapshot ? [{ label: this.answers.snapshot, description: vscode.l10n.t('the folder chosen before'), value: this.answers.snapshot }] : []),
      { label: vscode.l10n.t('Choose the earlier snapshot’s folder…'), description: vscode.l10n.t('a copy of the corpus as it was; the workspace is the snapshot of today'), value: 'choose' },
    ];
    const picked = await input.showQuickPick({
      title: `${TITLE()}: ${vscode.l10n.t('The earlier snapshot')}`, ...this.position('snapshot'), items, activeItem: items[0],
      placeholder: vscode.l10n.t('Which folder holds the corpus as it was before?'),
    });
    if (picked.value === 'choose') {
      return async (sub) => {
        this.answers.snapshot = (await this.chooseFolder(sub, vscode.l10n.t('Use as the earlier snapshot'))).path;
        return this.next('snapshot');
      };
    }
    return this.next('snapshot');
  }

  private async pickTokenizers(input: MultiStepInput): Promise<InputStep | void> {
    const kind = this.answers.kind ?? 'models';
    const { a, b } = modelsOf(this.answers);
    const fallback = offlineModel();
    const pairs = tokenizerPairs(kind, a ?? fallback, b ?? fallback);
    const items = pairs.map((p) => ({
      label: p.label, description: `A: ${describeTokenizerName(p.a)} · B: ${describeTokenizerName(p.b)}`, detail: p.explain, value: p,
    }));
    const current = this.answers.tokenizers;
    const picked = await input.showQuickPick({
      title: `${TITLE()}: ${vscode.l10n.t('Tokenizers for the tokenization view')}`, ...this.position('tokenizers'), items,
      activeItem: items.find((i) => current && i.value.a === current.a && i.value.b === current.b) ?? items[0],
      placeholder: vscode.l10n.t('Which tokenizers should split your corpus’s terms, piece by piece?'),
    });
    this.answers.tokenizers = { a: picked.value.a, b: picked.value.b };
    return this.next('tokenizers');
  }

  private async review(input: MultiStepInput): Promise<InputStep | void> {
    const kind = this.answers.kind ?? 'models';
    const choices = choicesFromAnswers({ ...this.answers, kind });
    const side = (name: 'a' | 'b'): Item<'back'> => {
      const s = choices[name];
      return {
        label: `${name.toUpperCase()} · ${s.label}`,
        description: describeModelChoice(s.model),
        detail: [
          describeChunkerChoice(s.chunker),
          vscode.l10n.t('tokenization view: {0}', describeTokenizerName(s.tokenizer)),
          ...(s.corpus !== undefined ? [vscode.l10n.t('corpus {0}', s.corpus)] : []),
        ].join(' · '),
        value: 'back',
      };
    };
    const write: Item<'write'> = {
      label: `$(check) ${vscode.l10n.t('Write {0}', CONFIG_FILE_NAME)}`,
      detail: choices.anchors !== undefined ? vscode.l10n.t('Keeps the anchors file {0}.', choices.anchors) : vscode.l10n.t('Then run Compare Configurations to see the report.'),
      value: 'write',
    };
    const warnings: Array<Item<'back'>> = answerWarnings({ ...this.answers, kind }).map((w) => ({ label: `$(warning) ${w}`, value: 'back' }));
    const items: Array<Item<'write' | 'back'>> = [write, side('a'), side('b'), ...warnings];
    const picked = await input.showQuickPick({
      title: `${TITLE()}: ${vscode.l10n.t('Review')}`, ...this.position('review'), items, activeItem: write,
      placeholder: warnings.length
        ? vscode.l10n.t('Check the warnings below; Enter writes the file, picking another line goes back to change it')
        : vscode.l10n.t('Enter writes the file; picking another line goes back to change it'),
    });
    if (picked.value === 'back') throw InputFlowAction.back;
    this.confirmed = true;
    return undefined;
  }

  /** A folder dialog; cancelling it goes back to the step that asked. Paths inside the workspace are written relative. */
  private async chooseFolder(input: MultiStepInput, openLabel: string): Promise<{ path: string; absolute: string }> {
    input.hideCurrent();
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(this.root), openLabel });
    const chosen = folder?.[0];
    if (!chosen) throw InputFlowAction.back;
    const rel = path.relative(this.root, chosen.fsPath);
    const inside = !(rel.startsWith('..') || path.isAbsolute(rel));
    return { path: inside ? rel.split(path.sep).join('/') || '.' : chosen.fsPath, absolute: chosen.fsPath };
  }
}

/** A local model's maximum length from its tokenizer_config.json (Hugging Face writes a huge sentinel when unknown). */
async function localMaxTokens(folder: string): Promise<{ maxTokens?: number }> {
  try {
    const config = JSON.parse(await fs.readFile(path.join(folder, 'tokenizer_config.json'), 'utf8')) as { model_max_length?: unknown };
    const max = config.model_max_length;
    return typeof max === 'number' && Number.isInteger(max) && max > 0 && max < 1_000_000 ? { maxTokens: max } : {};
  } catch {
    return {};
  }
}

