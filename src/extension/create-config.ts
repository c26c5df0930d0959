// "Create Configuration": a short quick-pick flow (what to compare, then models or chunkers), then
// a commented embedding-drift.json written at the workspace root and opened in the editor.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_FILE_NAME } from '../core/config';
import { writeFileDurable } from '../core/io/durable';
import {
  CHUNKER_PRESETS, CURATED_MODELS, defaultChoices, describeChunkerChoice, renderConfigFile,
  type ChunkerChoice, type ComparisonKind, type ModelChoice,
} from './config-template';

type Pick<T> = vscode.QuickPickItem & { value: T };

async function pick<T>(items: Array<Pick<T>>, title: string, step: number, steps: number): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title: `${title} (${step}/${steps})`, ignoreFocusOut: true, matchOnDescription: true });
  return chosen?.value;
}

async function pickModel(side: string, root: string, step: number, steps: number): Promise<ModelChoice | undefined> {
  const items: Array<Pick<ModelChoice | 'folder' | 'other'>> = [
    { label: 'builtin:lexical', description: 'built-in, offline, no download: word and character n-gram vectors', value: { kind: 'builtin' } },
    ...CURATED_MODELS.map((m) => ({ label: m.id, description: m.description, value: { kind: 'hub', id: m.id } as ModelChoice })),
    { label: 'Local folder…', description: 'a model in the Hugging Face layout (onnx/, tokenizer.json)', value: 'folder' },
    { label: 'Other Hub id…', description: 'any sentence-embedding model with ONNX weights', value: 'other' },
  ];
  const choice = await pick(items, `Model for ${side}`, step, steps);
  if (choice === 'folder') {
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(root), openLabel: `Use as model ${side}` });
    const chosen = folder?.[0];
    if (!chosen) return undefined;
    const rel = path.relative(root, chosen.fsPath);
    return { kind: 'local', path: rel.startsWith('..') || path.isAbsolute(rel) ? chosen.fsPath : rel.split(path.sep).join('/') || '.' };
  }
  if (choice === 'other') {
    const id = await vscode.window.showInputBox({
      title: `Hub model id for ${side}`, placeHolder: 'owner/name, e.g. Xenova/all-MiniLM-L6-v2', ignoreFocusOut: true,
      validateInput: (v) => (/^[\w.-]+\/[\w.-]+$/.test(v.trim()) ? undefined : 'Expected owner/name'),
    });
    return id ? { kind: 'hub', id: id.trim() } : undefined;
  }
  return choice;
}

async function pickChunker(side: string, step: number, steps: number): Promise<ChunkerChoice | undefined> {
  return pick(CHUNKER_PRESETS.map((c) => ({ label: describeChunkerChoice(c), value: c })), `Chunker for ${side}`, step, steps);
}

/** Runs the flow; returns the written file, or undefined when the user backed out. */
export async function createConfiguration(root: string): Promise<string | undefined> {
  const target = path.join(root, CONFIG_FILE_NAME);
  try {
    await fs.access(target);
    const answer = await vscode.window.showWarningMessage(`${CONFIG_FILE_NAME} already exists in this folder.`, { modal: true }, 'Open It', 'Replace');
    if (answer === 'Open It') {
      await vscode.window.showTextDocument(vscode.Uri.file(target));
      return target;
    }
    if (answer !== 'Replace') return undefined;
  } catch {
    // No file yet: the usual case.
  }
  const kind = await pick<ComparisonKind>([
    { label: 'Two embedding models', description: 'same corpus and chunker, different model', value: 'models' },
    { label: 'Two chunkers', description: 'same model, different chunking', value: 'chunkers' },
    { label: 'A corpus over time', description: 'same setup on two snapshots of the corpus', value: 'snapshots' },
  ], 'What do you want to compare?', 1, 3);
  if (!kind) return undefined;
  const choices = defaultChoices(kind);
  if (kind === 'models') {
    const a = await pickModel('A (current)', root, 2, 4);
    if (!a) return undefined;
    const b = await pickModel('B (candidate)', root, 3, 4);
    if (!b) return undefined;
    const chunker = await pickChunker('both', 4, 4);
    if (!chunker) return undefined;
    choices.a = { ...choices.a, model: a, chunker };
    choices.b = { ...choices.b, model: b, chunker };
  } else if (kind === 'chunkers') {
    const model = await pickModel('both sides', root, 2, 4);
    if (!model) return undefined;
    const a = await pickChunker('A (current)', 3, 4);
    if (!a) return undefined;
    const b = await pickChunker('B (candidate)', 4, 4);
    if (!b) return undefined;
    choices.a = { ...choices.a, model, chunker: a };
    choices.b = { ...choices.b, model, chunker: b };
  } else {
    const model = await pickModel('both snapshots', root, 2, 3);
    if (!model) return undefined;
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(root), openLabel: 'Use as the earlier snapshot' });
    const before = folder?.[0];
    if (!before) return undefined;
    const rel = path.relative(root, before.fsPath);
    choices.a = { ...choices.a, model, corpus: rel.startsWith('..') || path.isAbsolute(rel) ? before.fsPath : rel.split(path.sep).join('/') || '.' };
    choices.b = { ...choices.b, model };
  }
  await writeFileDurable(target, renderConfigFile(choices));
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  return target;
}
