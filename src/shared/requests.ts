// Request and response over a message channel, in vscode-hexeditor's MessageHandler shape: the
// asking side numbers each request, the answer carries the same id, and a pending map matches
// them. A request that is not answered in time (when it has a timeout), or whose channel is gone,
// fails instead of waiting forever. The webview asks the host through one of these, and the host
// asks the session worker through another; the message types stay free of bookkeeping.

interface Entry<K extends string, A, X> {
  kind: K;
  extra: X;
  resolve(answer: A): void;
  reject(err: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

export class PendingRequests<K extends string, A, X = undefined> {
  private nextId = 1;
  private readonly entries = new Map<number, Entry<K, A, X>>();

  /** `late` words the error of a request that timed out. */
  constructor(private readonly late: (kind: K, ms: number) => Error = (kind, ms) => new Error(`No answer to ${kind} within ${Math.round(ms / 1000)} s.`)) {}

  /**
   * Opens request `kind` and returns its id (to put on the message) and its answer. `extra` rides
   * along (e.g. where the request's progress goes); without `timeoutMs` it waits as long as it takes.
   */
  open(kind: K, extra: X, timeoutMs?: number): { id: number; answer: Promise<A> } {
    const id = this.nextId++;
    const answer = new Promise<A>((resolve, reject) => {
      const entry: Entry<K, A, X> = { kind, extra, resolve, reject };
      if (timeoutMs !== undefined) entry.timer = setTimeout(() => { if (this.take(id, entry.kind)) reject(this.late(kind, timeoutMs)); }, timeoutMs);
      this.entries.set(id, entry);
    });
    return { id, answer };
  }

  /** Answers request `id`; false (and nothing happens) when no request `id` of this kind waits. */
  settle(id: number, kind: K, answer: A): boolean {
    const entry = this.take(id, kind);
    entry?.resolve(answer);
    return entry !== undefined;
  }

  /** Fails request `id` (whatever its kind); false when it no longer waits. */
  fail(id: number, err: Error): boolean {
    const entry = this.take(id);
    entry?.reject(err);
    return entry !== undefined;
  }

  /** Fails every waiting request (the channel is gone); returns how many there were. */
  failAll(err: Error): number {
    const ids = [...this.entries.keys()];
    for (const id of ids) this.fail(id, err);
    return ids.length;
  }

  /** What request `id` carries along, while it waits. */
  extra(id: number): X | undefined {
    return this.entries.get(id)?.extra;
  }

  has(id: number): boolean {
    return this.entries.has(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private take(id: number, kind?: K): Entry<K, A, X> | undefined {
    const entry = this.entries.get(id);
    if (!entry || (kind !== undefined && entry.kind !== kind)) return undefined;
    this.entries.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    return entry;
  }
}
