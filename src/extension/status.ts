// The status bar item: live mode on or off, the run in flight, the last run's time; a click opens
// the report. Its words come from describeStatus (live.ts), which the unit tests read.
import * as vscode from 'vscode';
import { describeStatus, type StatusView } from './live';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('embeddingDrift.status', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Embedding Drift';
    this.item.command = 'embeddingDrift.openLastReport';
  }

  update(view: StatusView): void {
    const { text, tooltip } = describeStatus(view);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.backgroundColor = view.failure && view.running === undefined ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
