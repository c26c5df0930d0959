// The "Embedding Drift" output channel: a LogOutputChannel, so each line has a level (the user picks
// which to see with "Developer: Set Log Level") and VS Code stamps the time. Info: each run's
// configuration, cache hits and misses, stage times and report path; debug: each stage as it starts;
// error: the full text of what notifications only summarize. Never logs secrets (progress messages carry none).
import * as vscode from 'vscode';
import { StageClock } from './run-log';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel(vscode.l10n.t('Embedding Drift'), { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  /** The message, and a stack for anything that is not an expected DriftError. */
  error(message: string, err?: unknown): void {
    this.channel.error(err instanceof Error && err.stack && err.name !== 'DriftError' ? `${message}\n${err.stack}` : message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** A run's stages in the log: each as it starts (debug), and once at the end with its total time (info). */
export class StageTimer {
  private readonly clock = new StageClock();
  private logged = false;

  constructor(private readonly log: Log) {}

  enter(stage: string): void {
    if (this.clock.enter(stage)) this.log.debug(`${stage} started`);
  }

  /** Ends the run's last stage and logs every stage's time, once. */
  finish(): void {
    this.clock.stop();
    if (this.logged) return;
    this.logged = true;
    this.log.info(this.clock.line());
  }

  total(): number {
    return this.clock.total();
  }
}
