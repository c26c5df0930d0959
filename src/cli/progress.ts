// Progress on stderr: a redrawn bar (stage, side, counts, time left) on a terminal, one plain line
// per stage otherwise, so CI logs stay readable and stdout stays free for the summary or JSON.
import type { ProgressEvent } from '../core/types';

export interface ProgressSink {
  onProgress(event: ProgressEvent): void;
  /** Clears the bar (if any) so the next output starts on a clean line. */
  finish(): void;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

function stageName(event: ProgressEvent): string {
  return event.side ? `${event.stage} ${event.side.toUpperCase()}` : event.stage;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One bar line, e.g. "embed B   [#########...............] 120/400  12s left". */
export function formatBar(event: ProgressEvent, elapsedSeconds: number): string {
  const name = stageName(event).padEnd(10);
  if (!event.total) return `${name} ${event.done}${event.message ? `  ${event.message}` : ''}`;
  const share = Math.min(1, event.done / event.total);
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const left = share > 0 && share < 1 && elapsedSeconds > 0.5
    ? `  ${formatDuration((elapsedSeconds / share) * (1 - share))} left`
    : '';
  return `${name} ${bar} ${event.done}/${event.total}${left}`;
}

export function createProgress(stream: NodeJS.WriteStream): ProgressSink {
  let current = '';
  let stageStarted = 0;
  let lastDraw = 0;
  let drawn = false;
  if (stream.isTTY) {
    return {
      onProgress(event) {
        const now = Date.now();
        const name = stageName(event);
        if (name !== current) { current = name; stageStarted = now; lastDraw = 0; }
        const complete = event.total !== undefined && event.done >= event.total;
        if (now - lastDraw < REDRAW_MS && !complete) return;
        lastDraw = now;
        const width = Math.max(20, (stream.columns ?? 80) - 1);
        stream.write(`\r${formatBar(event, (now - stageStarted) / 1000).slice(0, width)}\x1b[K`);
        drawn = true;
      },
      finish() {
        if (drawn) stream.write('\r\x1b[K');
        drawn = false;
      },
    };
  }
  return {
    onProgress(event) {
      const name = stageName(event);
      if (name === current) return;
      current = name;
      stream.write(`${name}${event.total !== undefined ? ` (${event.total})` : ''}${event.message ? `: ${event.message}` : ''}\n`);
    },
    finish() {},
  };
}
