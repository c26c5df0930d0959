// The "Embedding Drift" output channel: one line per stage with its timing, and the full text of
// errors the notifications only summarize. Never logs secrets (progress messages carry none).
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Embedding Drift');

  info(message: string): void {
    this.channel.appendLine(`${new Date().toISOString().slice(11, 23)} ${message}`);
  }

  error(message: string, err?: unknown): void {
    this.info(`ERROR ${message}`);
    if (err instanceof Error && err.stack && err.name !== 'DriftError') this.channel.appendLine(err.stack);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** Logs each stage once when it starts and with its duration when the next one begins. */
export class StageTimer {
  private current: string | undefined;
  private started = 0;
  private readonly runStarted = Date.now();

  constructor(private readonly log: Log) {}

  enter(stage: string): void {
    if (stage === this.current) return;
    this.finish();
    this.current = stage;
    this.started = Date.now();
    this.log.info(`stage ${stage} started`);
  }

  finish(): void {
    if (this.current !== undefined) this.log.info(`stage ${this.current} done in ${Date.now() - this.started} ms`);
    this.current = undefined;
  }

  total(): number {
    return Date.now() - this.runStarted;
  }
}
