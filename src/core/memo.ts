// Stage results a warm session keeps between runs, each under a key that is a hash of everything
// the stage reads: a stage whose inputs did not change hands back the very value it computed
// before (same object, so keys further down stay cheap), and a report built from reused stages is
// the report a cold run computes. Values held here are never mutated by their readers.
import { createHash } from 'node:crypto';
import type { Corpus } from './types';

/** Key order-independent JSON, so two specs that say the same thing compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What reads a stage's inputs: small values as they are, large ones through `digest` or `identity`. */
export type KeyPart = string | number | boolean | null | undefined | object;

export interface StageMemo {
  /**
   * `compute()`'s result, or the value kept for `stage` under the same key by an earlier run of
   * this session. `key` must name every input the stage reads (use `digest`/`identity` for big ones).
   */
  stage<T>(stage: string, key: readonly KeyPart[], compute: () => Promise<T> | T): Promise<T>;
  /** A content digest of an array of numbers, strings or plain records (cached per object). */
  digest(value: ArrayBufferView | readonly unknown[]): string;
  /** A name for an object that is the same for as long as the object lives (a model, a tokenizer). */
  identity(value: object): string;
  /**
   * The value last kept under `slot` by `keep` in this session, for a stage that updates its
   * previous result row by row instead of computing it whole (undefined in a one-off run). What is
   * taken from it must give the bits computing it again would give.
   */
  recall<T>(slot: string): T | undefined;
  keep(slot: string, value: unknown): void;
}

/** Digests of big values, remembered per object: an array handed on unchanged is hashed once. */
class Digests {
  private readonly byObject = new WeakMap<object, string>();
  private readonly ids = new WeakMap<object, string>();
  private nextId = 1;

  digest(value: ArrayBufferView | readonly unknown[]): string {
    const known = this.byObject.get(value);
    if (known) return known;
    const hash = createHash('sha256');
    if (ArrayBuffer.isView(value)) {
      hash.update(value.constructor.name).update('\0').update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else {
      // Records one by one, so a 100,000-chunk array never becomes one giant string.
      for (const item of value) hash.update(typeof item === 'string' ? item : canonicalJson(item)).update('\0');
    }
    const out = hash.digest('hex');
    this.byObject.set(value, out);
    return out;
  }

  identity(value: object): string {
    let id = this.ids.get(value);
    if (!id) { id = `#${this.nextId++}`; this.ids.set(value, id); }
    return id;
  }
}

/** The memo of a one-off run: every stage computes, nothing is kept. */
export const NO_MEMO: StageMemo = {
  stage: async (_stage, _key, compute) => compute(),
  digest: () => '',
  identity: () => '',
  recall: () => undefined,
  keep: () => undefined,
};

/**
 * A warm session's memo. One run is a generation: `begin()` starts it, `finish()` forgets the
 * values no stage of the run asked for (deleted files, replaced configurations), so memory stays
 * about one run's worth; a cancelled run keeps everything for the next one.
 */
export class SessionMemo implements StageMemo {
  private readonly values = new Map<string, { value: unknown; generation: number }>();
  private readonly digests = new Digests();
  /** One value per slot (the latest), across runs: what row-by-row updates start from. */
  private readonly slots = new Map<string, unknown>();
  private generation = 0;
  /** Stages of the current run taken from an earlier run, and those computed now, by stage name. */
  readonly reused = new Map<string, number>();
  readonly computed = new Map<string, number>();

  begin(): void {
    this.generation++;
    this.reused.clear();
    this.computed.clear();
  }

  finish(): void {
    for (const [key, entry] of this.values) if (entry.generation !== this.generation) this.values.delete(key);
  }

  clear(): void {
    this.values.clear();
    this.slots.clear();
  }

  get size(): number {
    return this.values.size;
  }

  async stage<T>(stage: string, key: readonly KeyPart[], compute: () => Promise<T> | T): Promise<T> {
    const full = `${stage}\0${sha256Hex(canonicalJson(key))}`;
    const kept = this.values.get(full);
    if (kept) {
      kept.generation = this.generation;
      this.reused.set(stage, (this.reused.get(stage) ?? 0) + 1);
      return kept.value as T;
    }
    const value = await compute();
    this.values.set(full, { value, generation: this.generation });
    this.computed.set(stage, (this.computed.get(stage) ?? 0) + 1);
    return value;
  }

  digest(value: ArrayBufferView | readonly unknown[]): string {
    return this.digests.digest(value);
  }

  identity(value: object): string {
    return this.digests.identity(value);
  }

  recall<T>(slot: string): T | undefined {
    return this.slots.get(slot) as T | undefined;
  }

  keep(slot: string, value: unknown): void {
    this.slots.set(slot, value);
  }
}

/** A key part naming a corpus by its root and every file's path and content hash. */
export function corpusKey(memo: StageMemo, corpus: Corpus): string {
  return `${corpus.root}\0${memo.digest(corpus.files.map((f) => `${f.path}\0${f.hash}`))}`;
}
