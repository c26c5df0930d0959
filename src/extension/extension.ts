// Extension entry point: a thin adapter from VS Code to the core. Activation builds the Controller,
// registers the command table and the panel serializer; a failure here is shown, never swallowed.
import * as vscode from 'vscode';
import type { Report } from '../core/report/types';
import { registerCommands } from './commands';
import { Controller } from './controller';
import { Log } from './log';
import { ReportPanel, ReportPanelSerializer } from './panel';

let controller: Controller | undefined;

/** What activate() returns: the in-editor test suite (test/vscode) reads the stored report through it. */
export interface EmbeddingDriftApi {
  lastReport(): Promise<Report | undefined>;
}

export function activate(context: vscode.ExtensionContext): EmbeddingDriftApi {
  const log = new Log();
  context.subscriptions.push(log);
  try {
    controller = new Controller(context, log);
    context.subscriptions.push(
      ...registerCommands(controller),
      vscode.window.registerWebviewPanelSerializer(ReportPanel.viewType, new ReportPanelSerializer(context.extensionUri, controller)),
      { dispose: () => void controller?.dispose() },
    );
    log.info(`activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'restricted'})`);
    const active = controller;
    return { lastReport: () => active.lastReport() };
  } catch (err) {
    log.error(`activation failed: ${(err as Error).message}`, err);
    void vscode.window.showErrorMessage(vscode.l10n.t('Embedding Drift could not start: {0}', (err as Error).message), vscode.l10n.t('Show Output'))
      .then((choice) => { if (choice) log.show(); });
    throw err;
  }
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
