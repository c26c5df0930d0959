// Hosted embedders over HTTP: OpenAI-compatible `/v1/embeddings`, Ollama `/api/embed` and
// Hugging Face TEI `/embed`. Batched, a limit on requests in flight, retries with backoff on 429
// (honoring Retry-After) and 5xx. The API key goes only into the Authorization header: never into
// messages, the fingerprint, logs or the cache.
import { createHash } from 'node:crypto';
import type { ModelSpec } from '../config/types';
import { tiktokenTokenizer } from '../tokenizers/tiktoken';
import type { Tokenizer } from '../tokenizers/types';
import { wordsTokenizer } from '../tokenizers/words';
import { DriftError, throwIfAborted, type RunOptions } from '../types';
import type { EmbedResult, Embedder, TextKind } from './types';

export type EndpointSpec = Extract<ModelSpec, { kind: 'endpoint' }>;

const PATHS = { openai: '/embeddings', ollama: '/api/embed', tei: '/embed' } as const;
const MAX_ATTEMPTS = 5;
const MAX_WAIT_MS = 60_000;

/** The request URL: the configured base plus the API's path (unless the base already ends with it). */
export function endpointUrl(spec: Pick<EndpointSpec, 'endpoint' | 'url'>): string {
  const base = spec.url.replace(/\/+$/, '');
  const suffix = spec.endpoint === 'openai' && !/\/v\d+$/.test(base) && !base.endsWith(PATHS.openai) ? `/v1${PATHS.openai}` : PATHS[spec.endpoint];
  return base.endsWith(PATHS[spec.endpoint]) ? base : base + suffix;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.min(MAX_WAIT_MS, Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.min(MAX_WAIT_MS, Math.max(0, at - now));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new DriftError('Cancelled.', 'cancelled')); };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface EndpointOptions {
  /** Base of the exponential backoff for 5xx and network errors (default 500 ms). */
  retryBaseMs?: number;
}

export class EndpointEmbedder implements Embedder {
  readonly label: string;
  readonly maxTokens = undefined;
  readonly tokenizer: Tokenizer;
  fingerprint = '';
  dimension = 0;
  private readonly url: string;
  /** A true private field: JSON.stringify and util.inspect of the embedder never show it. */
  readonly #apiKey: string | undefined;

  private constructor(private readonly spec: EndpointSpec, apiKey: string | undefined, private readonly options: EndpointOptions) {
    this.#apiKey = apiKey;
    this.label = `${spec.endpoint}:${spec.name}`;
    this.url = endpointUrl(spec);
    // Closest public stand-in for the hosted model's tokenizer (used for tokenization views only).
    this.tokenizer = spec.endpoint === 'openai' ? tiktokenTokenizer('cl100k_base') : wordsTokenizer();
  }

  /** Resolves the key, then embeds a probe text to learn the dimension (and to fail early). */
  static async create(
    spec: EndpointSpec,
    context: RunOptions & { allowNetwork: boolean; getSecret?: ((name: string) => Promise<string | undefined>) | undefined },
    options: EndpointOptions = {},
  ): Promise<EndpointEmbedder> {
    const label = `${spec.endpoint}:${spec.name}`;
    if (!context.allowNetwork) {
      throw new DriftError(`Model ${label}: a hosted endpoint needs network access, which is off (offline run or untrusted workspace).`, 'model');
    }
    let apiKey: string | undefined;
    if (spec.apiKeyEnv) {
      apiKey = await context.getSecret?.(spec.apiKeyEnv);
      if (!apiKey) throw new DriftError(`Model ${label}: the API key ${spec.apiKeyEnv} is not set.`, 'config');
    }
    const e = new EndpointEmbedder(spec, apiKey, options);
    if (spec.dimensions !== undefined) e.dimension = spec.dimensions;
    const probe = await e.embed(['embedding drift'], { kind: 'document', signal: context.signal });
    e.dimension = probe.vectors.length;
    e.fingerprint = 'endpoint:' + createHash('sha256').update(JSON.stringify({
      v: 1, endpoint: spec.endpoint, url: e.url, name: spec.name, dimensions: spec.dimensions ?? null, dimension: e.dimension,
      queryPrefix: spec.queryPrefix, documentPrefix: spec.documentPrefix,
    })).digest('hex');
    return e;
  }

  async embed(texts: string[], options: RunOptions & { kind: TextKind }): Promise<EmbedResult> {
    const prefix = options.kind === 'query' ? this.spec.queryPrefix : this.spec.documentPrefix;
    const inputs = texts.map((t) => prefix + t);
    const size = this.spec.batchSize;
    const batches: number[] = [];
    for (let start = 0; start < inputs.length; start += size) batches.push(start);
    let vectors: Float32Array | undefined = this.dimension ? new Float32Array(texts.length * this.dimension) : undefined;
    let next = 0;
    let done = 0;
    let failed = false;
    options.onProgress?.({ stage: 'embed', done: 0, total: texts.length });
    const lane = async () => {
      while (next < batches.length && !failed) {
        const start = batches[next++] as number;
        const rows = await this.request(inputs.slice(start, start + size), options.signal);
        const dim = rows[0]?.length ?? 0;
        if (!this.dimension) this.dimension = dim;
        vectors ??= new Float32Array(texts.length * this.dimension);
        rows.forEach((r, i) => {
          if (r.length !== this.dimension) {
            throw new DriftError(`Model ${this.label} returned a vector of dimension ${r.length}, expected ${this.dimension}.`, 'model');
          }
          const out = (vectors as Float32Array).subarray((start + i) * this.dimension, (start + i + 1) * this.dimension);
          // Unit length like every other embedder, so scores are cosines whatever the service does.
          let norm = 0;
          for (const v of r) norm += v * v;
          const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
          r.forEach((v, d) => { out[d] = v * inv; });
        });
        done += rows.length;
        options.onProgress?.({ stage: 'embed', done, total: texts.length });
      }
    };
    // The first failure stops every lane from taking another batch.
    const guarded = () => lane().catch((err: unknown) => { failed = true; throw err; });
    await Promise.all(Array.from({ length: Math.min(this.spec.concurrency, batches.length) }, guarded));
    return { vectors: vectors ?? new Float32Array(0), truncated: 0 };
  }

  private body(inputs: string[]): unknown {
    switch (this.spec.endpoint) {
      case 'openai': return { model: this.spec.name, input: inputs, encoding_format: 'float', ...(this.spec.dimensions ? { dimensions: this.spec.dimensions } : {}) };
      case 'ollama': return { model: this.spec.name, input: inputs };
      case 'tei': return { inputs, truncate: true };
    }
  }

  /** The rows of one response, in input order; throws DriftError on anything malformed. */
  private parse(json: unknown, count: number): number[][] {
    const bad = (why: string) => new DriftError(`Model ${this.label} returned an unexpected response (${why}).`, 'model');
    let rows: unknown;
    if (this.spec.endpoint === 'openai') {
      const data = (json as { data?: unknown })?.data;
      if (!Array.isArray(data)) throw bad('no "data" list');
      rows = [...data]
        .sort((a, b) => Number((a as { index?: number }).index ?? 0) - Number((b as { index?: number }).index ?? 0))
        .map((d) => (d as { embedding?: unknown }).embedding);
    } else if (this.spec.endpoint === 'ollama') {
      rows = (json as { embeddings?: unknown })?.embeddings;
    } else {
      rows = json;
    }
    if (!Array.isArray(rows)) throw bad('no list of vectors');
    if (rows.length !== count) throw bad(`${rows.length} vectors for ${count} inputs`);
    for (const r of rows) {
      if (!Array.isArray(r) || r.length === 0 || !r.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad('a vector is not a list of finite numbers');
    }
    return rows as number[][];
  }

  /** Removes the key from text that may echo it (an error body), and keeps one short line. */
  private redact(text: string): string {
    // Redact before cutting: a key that straddles the cut would otherwise leave its first part.
    const redacted = this.#apiKey ? text.split(this.#apiKey).join('***') : text;
    return redacted.replace(/\s+/g, ' ').trim().slice(0, 200);
  }

  private async request(inputs: string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#apiKey) headers['authorization'] = `Bearer ${this.#apiKey}`;
    const base = this.options.retryBaseMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      let response: Response;
      try {
        response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify(this.body(inputs)), ...(signal ? { signal } : {}) });
      } catch (err) {
        throwIfAborted(signal);
        if (attempt >= MAX_ATTEMPTS) {
          const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
          throw new DriftError(`Model ${this.label}: cannot reach ${new URL(this.url).host} (${this.redact(reason)}).`, 'network', { cause: err });
        }
        await sleep(base * 2 ** (attempt - 1), signal);
        continue;
      }
      if (response.status === 429 || response.status >= 500) {
        const text = await response.text().catch(() => '');
        if (attempt >= MAX_ATTEMPTS) {
          throw new DriftError(`Model ${this.label}: ${new URL(this.url).host} answered HTTP ${response.status} ${MAX_ATTEMPTS} times (${this.redact(text) || 'no details'}).`, 'network');
        }
        const wait = (response.status === 429 ? retryAfterMs(response.headers.get('retry-after')) : undefined) ?? base * 2 ** (attempt - 1);
        await sleep(wait, signal);
        continue;
      }
      const text = await response.text();
      if (!response.ok) {
        const hint = response.status === 401 || response.status === 403 ? '; check the API key' : response.status === 404 ? '; check the url and model name' : '';
        throw new DriftError(`Model ${this.label}: HTTP ${response.status} from ${new URL(this.url).host}${hint} (${this.redact(text) || 'no details'}).`, 'model');
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new DriftError(`Model ${this.label} returned malformed JSON from ${new URL(this.url).host}.`, 'model');
      }
      return this.parse(json, inputs.length);
    }
  }

  async dispose(): Promise<void> {}
}
