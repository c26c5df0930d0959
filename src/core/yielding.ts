// Long synchronous loops run in the VS Code extension host: hand its event loop back about every
// 50 ms (so the UI and progress stay live) and stop there when the run was cancelled.
import { throwIfAborted } from './types';

/** Returns a function to await inside a loop: it yields only when 50 ms have passed since the last time. */
export function yielder(signal?: AbortSignal, everyMs = 50): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    throwIfAborted(signal);
    last = performance.now();
  };
}
