// Turns the core's progress events into what the notification shows: the stage in words, counts,
// and an estimate of the time left, plus the increment for VS Code's progress bar. Pure.
import { formatBytes } from '../core/format';
import { STAGES, type ProgressEvent, type Stage } from '../core/types';
import { stageLabel } from '../shared/stages';

/** Share of the whole run each stage usually takes (embedding dominates), for one overall bar. */
const STAGE_WEIGHT: Record<Stage, number> = {
  walk: 5, chunk: 10, download: 0, embed: 65, index: 10, metrics: 8, report: 2,
};

/** Tracks one run: where the bar stands (0-100) and how fast the current stage moves. */
export class ProgressTracker {
  private percent = 0;
  private stage: Stage | undefined;
  private side: 'a' | 'b' | undefined;
  private stageStart = 0;
  private stageStartDone = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The message and the bar increment (never negative: VS Code's bar only moves forward). */
  update(event: ProgressEvent): { message: string; increment: number } {
    const t = this.now();
    if (event.stage !== this.stage || event.side !== this.side) {
      this.stage = event.stage;
      this.side = event.side;
      this.stageStart = t;
      this.stageStartDone = event.done;
    }
    const target = overallPercent(event);
    const increment = Math.max(0, target - this.percent);
    this.percent += increment;
    return { message: describeProgress(event, this.secondsLeft(event, t)), increment };
  }

  private secondsLeft(event: ProgressEvent, t: number): number | undefined {
    if (event.total === undefined || event.total <= 0) return undefined;
    const doneHere = event.done - this.stageStartDone;
    const elapsed = (t - this.stageStart) / 1000;
    if (doneHere <= 0 || elapsed < 1) return undefined;
    return ((event.total - event.done) * elapsed) / doneHere;
  }
}

/** Where a run stands overall (0-100): the stages before this one, plus this one's share done. */
export function overallPercent(event: ProgressEvent): number {
  let before = 0;
  for (const s of STAGES) {
    if (s === event.stage) break;
    before += STAGE_WEIGHT[s];
  }
  const weight = STAGE_WEIGHT[event.stage];
  const fraction = event.total && event.total > 0 ? Math.min(1, Math.max(0, event.done / event.total)) : 0;
  // Sides A and B share a stage: A fills its first half, B the second.
  const sideOffset = event.side === 'b' ? 0.5 : 0;
  const sideScale = event.side === undefined ? 1 : 0.5;
  return before + weight * (sideOffset + sideScale * fraction);
}

/** e.g. "Embedding B: 120/800, about 40 s left" or "Downloading model A: model.onnx". */
export function describeProgress(event: ProgressEvent, secondsLeft?: number): string {
  let text = stageLabel(event.stage, event.side);
  const parts: string[] = [];
  const count = event.stage === 'download' ? formatBytes : String;
  if (event.total !== undefined) parts.push(`${count(event.done)}/${count(event.total)}`);
  else if (event.done > 0) parts.push(count(event.done));
  if (event.message) parts.push(event.message);
  if (parts.length > 0) text += `: ${parts.join(', ')}`;
  if (secondsLeft !== undefined && Number.isFinite(secondsLeft)) text += `, ${formatDuration(secondsLeft)} left`;
  return text;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

