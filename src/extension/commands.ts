// The command table: one factory per command id, each turning the Controller into a handler.
// Every handler runs through `guarded`, so an expected failure is a one-line message and anything
// else is logged in full and shown, never swallowed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cacheSize, clearCache } from '../core/embedding/cache';
import { DriftError } from '../core/types';
import { anchorLine, anchorTarget, appendAnchor } from './anchors';
import { Controller, SECRET_PREFIX, oneLine } from './controller';
import { createConfiguration } from './create-config';
import { ReportPanel } from './panel';
import { formatBytes } from '../core/format';
import { describeTokenized } from './tokenize';
import { addAnchorsField } from './config-edit';
import { isInside } from './containment';
import { COMMAND_IDS, WALKTHROUGH_CONTEXT, type CommandId } from './command-ids';

type Handler = (...args: unknown[]) => Promise<void>;
type CommandFactory = (c: Controller) => Handler;

/** One factory per id of COMMAND_IDS (which a unit test checks against package.json). */
export const COMMANDS: Record<CommandId, CommandFactory> = {
  'embeddingDrift.compare': (c) => async () => {
    const configPath = await c.findConfig();
    if (!configPath) {
      const create = vscode.l10n.t('Create Configuration'), offline = vscode.l10n.t('Compare with Offline Default');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('This workspace has no embedding-drift.json. Create one, or compare with the offline default (built-in embedder, two chunkers)?'),
        create, offline);
      if (choice === create) {
        if (await createConfiguration(c.firstRoot())) await stepDone('configured');
        return;
      }
      if (choice !== offline) return;
    }
    if (await c.runComparison(configPath)) await stepDone('compared');
  },
  'embeddingDrift.createConfiguration': (c) => async () => {
    if (await createConfiguration(c.firstRoot())) await stepDone('configured');
  },
  'embeddingDrift.openLastReport': (c) => async () => {
    await c.openReport();
  },
  'embeddingDrift.clearCache': (c) => async () => {
    if (c.isRunning) throw new DriftError(vscode.l10n.t('A comparison is running; cancel it before clearing the cache.'), 'usage');
    const dir = c.storage.cacheDir;
    const size = await cacheSize(dir);
    if (size === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: the cache is already empty.'));
      return;
    }
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Clear the Embedding Drift cache ({0} of downloaded models and embeddings)? The next run recomputes them.', formatBytes(size)),
      { modal: true }, vscode.l10n.t('Clear Cache'));
    if (answer === undefined) return;
    await clearCache(dir);
    c.log.info(`cache cleared: ${formatBytes(size)} freed (${dir})`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: cache cleared, {0} freed.', formatBytes(size)));
  },
  'embeddingDrift.setApiKey': (c) => async () => {
    const names = new Set<string>();
    const configPath = await c.findConfig();
    if (configPath) {
      const config = await c.resolveConfig(configPath).catch(() => undefined);
      for (const side of [config?.a, config?.b]) {
        if (side?.model.kind === 'endpoint' && side.model.apiKeyEnv) names.add(side.model.apiKeyEnv);
      }
    }
    let name: string | undefined = [...names][0];
    if (names.size > 1) name = await vscode.window.showQuickPick([...names], { title: vscode.l10n.t('Which API key?') });
    if (names.size === 0) {
      name = await vscode.window.showInputBox({
        title: vscode.l10n.t('Name of the API key'), prompt: vscode.l10n.t('The "apiKeyEnv" name your configuration gives the hosted endpoint'), value: 'OPENAI_API_KEY',
        validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'Letters, digits and underscores'),
      });
    }
    if (!name) return;
    const key = await vscode.window.showInputBox({ title: vscode.l10n.t('API key for {0}', name), password: true, ignoreFocusOut: true, prompt: vscode.l10n.t('Kept in VS Code SecretStorage, never in settings or files.') });
    if (key === undefined) return;
    if (key === '') {
      await c.context.secrets.delete(SECRET_PREFIX + name);
      void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: API key {0} removed.', name));
      return;
    }
    await c.context.secrets.store(SECRET_PREFIX + name, key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: API key {0} stored in SecretStorage.', name));
  },
  'embeddingDrift.tokenizeSelection': (c) => async () => {
    const editor = vscode.window.activeTextEditor;
    const text = editor ? editor.document.getText(editor.selection) : '';
    if (!text) throw new DriftError(vscode.l10n.t('Select some text first: it is tokenized under A and B.'), 'usage');
    const answer = await c.tokenize(text.slice(0, 100_000));
    if ('error' in answer) throw new DriftError(answer.error, 'model');
    c.log.info(describeTokenized('A', answer.a));
    c.log.info(describeTokenized('B', answer.b));
    const report = await c.storedReport();
    if (report) {
      const panel = ReportPanel.createOrShow(c.context.extensionUri, c);
      if (!panel.hasReport) panel.showReport(report);
      panel.setState({ tab: 'tokens', tokenizeText: text.slice(0, 100_000) });
    } else {
      c.log.show();
      void vscode.window.showInformationMessage(vscode.l10n.t('A: {0} tokens ({1}), B: {2} tokens ({3}). Pieces in the output.', answer.a.pieces.length, answer.a.tokenizer, answer.b.pieces.length, answer.b.tokenizer));
    }
  },
  'embeddingDrift.addAnchor': (c) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) throw new DriftError(vscode.l10n.t('Select the lines a query must retrieve first.'), 'usage');
    if (editor.document.uri.scheme !== 'file') throw new DriftError(vscode.l10n.t('Anchors point at files on disk; save this document first.'), 'usage');
    const configPath = await c.findConfig();
    if (!configPath) throw new DriftError(vscode.l10n.t('Create a configuration first ("Embedding Drift: Create Configuration"): anchors belong to one.'), 'usage');
    const config = await c.resolveConfig(configPath);
    const query = await vscode.window.showInputBox({
      title: vscode.l10n.t('Anchor query'), prompt: vscode.l10n.t('A question or search this selection must be retrieved for'), ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Type the query'),
    });
    if (!query) return;
    const sel = editor.selection;
    // A selection ending at column 0 does not include that line.
    const lastLine = sel.end.character === 0 && sel.end.line > sel.start.line ? sel.end.line - 1 : sel.end.line;
    const expect = anchorTarget(config.baseDir, editor.document.uri.fsPath, sel.start.line + 1, lastLine + 1);
    const anchorsFile = config.anchors ?? path.join(config.baseDir, 'anchors.jsonl');
    await appendAnchor(anchorsFile, anchorLine(query.trim(), expect));
    if (!config.anchors) await addAnchorsField(configPath, 'anchors.jsonl');
    c.inputWritten(config.anchors ? anchorsFile : configPath);
    c.log.info(`anchor added to ${anchorsFile}: ${expect}`);
    await stepDone('anchorAdded');
    void vscode.window.showInformationMessage(vscode.l10n.t('Anchor added: "{0}" -> {1}', query.trim(), expect));
  },
  'embeddingDrift.saveBaseline': (c) => async () => {
    await saveAsBaseline(c);
  },
  'embeddingDrift.compareWithBaseline': (c) => async () => {
    const configPath = await c.findConfig();
    if (await c.hasBaseline()) {
      await c.runComparison(configPath, 'baseline');
      return;
    }
    // Nothing to compare with yet: offer to make the baseline here rather than send the user to the CLI.
    const save = c.hasRun ? vscode.l10n.t('Save Last Run as Baseline') : vscode.l10n.t('Run and Save as Baseline');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Embedding Drift: this workspace has no baseline yet. A baseline keeps side A of a run (its chunks and vectors) so that "Compare with Baseline" can show, after the corpus changed, how it drifted since.'),
      save);
    if (choice !== save) return;
    if (!c.hasRun && !(await c.runComparison(configPath))) return;
    await saveAsBaseline(c);
  },
  'embeddingDrift.exportSide': (c) => async () => {
    const configPath = await c.findConfig();
    if (!configPath) throw new DriftError(vscode.l10n.t('Create a configuration first ("Embedding Drift: Create Configuration"): export writes one of its sides.'), 'usage');
    const config = await c.resolveConfig(configPath);
    const picked = await vscode.window.showQuickPick((['a', 'b'] as const).map((side) => ({ label: side.toUpperCase(), description: config[side].label, side })), { title: vscode.l10n.t('Export which side to a LanceDB table?') });
    if (!picked) return;
    const folder = await vscode.window.showInputBox({ title: vscode.l10n.t('LanceDB folder'), prompt: vscode.l10n.t('Relative to the configuration file; created when missing'), value: '.lancedb', ignoreFocusOut: true });
    if (!folder) return;
    const table = await vscode.window.showInputBox({
      title: vscode.l10n.t('Table name'), value: picked.side === 'a' ? 'docs' : 'docs_b', ignoreFocusOut: true,
      validateInput: (v) => (/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(v) ? undefined : 'Letters, digits, "_", "-" and "."'),
    });
    if (!table) return;
    const uri = path.resolve(config.baseDir, folder);
    if (!vscode.workspace.isTrusted && !c.workspaceRoots().some((root) => isInside(root, uri))) {
      throw new DriftError(vscode.l10n.t('Restricted mode: the LanceDB folder {0} is outside the workspace. Trust the workspace to write there.', uri), 'config');
    }
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Embedding Drift: exporting {0}', picked.label), cancellable: true }, (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return c.exportSide(config, picked.side, { uri, table }, abort.signal, (e) => progress.report({ message: e.message ?? e.stage }));
    });
    c.log.info(`exported ${picked.label}: ${result.rows} rows (${result.model}) to LanceDB table "${result.table}" in ${result.uri}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: exported {0}, {1} rows of {2} dimensions, to table "{3}" in {4}. Read it back with {5}.', picked.label, result.rows, result.dimension, result.table, folder,
      // The JSON goes in as an argument: the message's own braces would read as placeholders.
      `"store": { "lancedb": "${folder}", "table": "${result.table}" }`));
  },
  'embeddingDrift.toggleLive': (c) => async () => {
    await c.toggleLive();
  },
};

/** Saves the last run's side A as the workspace's baseline, ticks its walkthrough step and says what it is for. */
async function saveAsBaseline(c: Controller): Promise<void> {
  await c.saveBaseline();
  await stepDone('baselineSaved');
  void vscode.window.showInformationMessage(vscode.l10n.t('Embedding Drift: this run is now the baseline. "Compare with Baseline" later shows how the corpus drifted; every run shows how the headline numbers moved.'));
}

/** Ticks a walkthrough step: called only after its command succeeded. */
async function stepDone(step: keyof typeof WALKTHROUGH_CONTEXT): Promise<void> {
  await vscode.commands.executeCommand('setContext', WALKTHROUGH_CONTEXT[step], true);
}

export function registerCommands(c: Controller): vscode.Disposable[] {
  return COMMAND_IDS.map((id) =>
    vscode.commands.registerCommand(id, guarded(c, id, COMMANDS[id](c))));
}

/** Shows a DriftError as its one-line message (with the output one click away); logs everything. */
export function guarded(c: Controller, id: string, handler: Handler): Handler {
  return async (...args) => {
    try {
      await handler(...args);
    } catch (err) {
      c.log.error(`${id}: ${err instanceof Error ? err.message : String(err)}`, err);
      const message = err instanceof DriftError ? `Embedding Drift: ${oneLine(err)}` : `Embedding Drift failed unexpectedly: ${oneLine(err).replace(/^Unexpected error: /, '')}`;
      const showOutput = vscode.l10n.t('Show Output'), openConfiguration = vscode.l10n.t('Open Configuration');
      const actions = err instanceof DriftError && err.code === 'config' ? [openConfiguration, showOutput] : [showOutput];
      const choice = await vscode.window.showErrorMessage(message, ...actions);
      if (choice === showOutput) c.log.show();
      if (choice === openConfiguration) {
        const file = await c.findConfig().catch(() => undefined);
        if (file) await vscode.window.showTextDocument(vscode.Uri.file(file));
      }
    }
  };
}
