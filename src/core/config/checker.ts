// Small typed readers over untrusted JSON values that collect every problem as a ConfigIssue
// (field path + what was expected) instead of stopping at the first one.
import type { ConfigIssue } from './types';

export type JsonObject = Record<string, unknown>;

export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** A short, safe rendering of a value for "(got ...)". */
export function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(cut);
  }
  return String(value);
}

/** An unknown key as a message shows it: odd keys (newlines, quotes, very long) quoted and cut, so a problem stays one short line. */
function shownKey(key: string): string {
  return /^[\w$@-]{1,60}$/.test(key) ? key : showValue(key);
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a typo's reach, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  const reach = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= reach ? best : undefined;
}

interface NumberRule { min?: number; max?: number; integer?: boolean }

export class Checker {
  readonly issues: ConfigIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** An object with only the allowed keys; unknown keys are reported with a suggestion. */
  object(value: unknown, path: string, allowed: readonly string[], hints: Record<string, string> = {}): JsonObject | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, `must be an object (got ${showValue(value)})`);
      return undefined;
    }
    const record = value as JsonObject;
    for (const key of Object.keys(record)) {
      if (allowed.includes(key)) continue;
      // Own keys only: "constructor" or "toString" in a workspace file must not find Object.prototype's.
      const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
      if (hint) { this.add(joinPath(path, key), hint); continue; }
      const suggestion = closest(key, allowed);
      this.add(joinPath(path, shownKey(key)), suggestion
        ? `is not a known setting; did you mean "${suggestion}"?`
        : `is not a known setting (expected one of: ${allowed.join(', ')})`);
    }
    return record;
  }

  number(record: JsonObject, key: string, path: string, fallback: number, rule: NumberRule = {}): number {
    const value = record[key];
    const at = joinPath(path, key);
    if (value === undefined) return fallback;
    const kind = rule.integer ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
      this.add(at, `must be ${kind}${rangeText(rule)} (got ${showValue(value)})`);
      return fallback;
    }
    if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
      this.add(at, `must be ${kind}${rangeText(rule)} (got ${value})`);
      return fallback;
    }
    return value;
  }

  boolean(record: JsonObject, key: string, path: string, fallback: boolean): boolean {
    const value = record[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.add(joinPath(path, key), `must be true or false (got ${showValue(value)})`);
      return fallback;
    }
    return value;
  }

  string(record: JsonObject, key: string, path: string, fallback: string, options: { nonEmpty?: boolean } = {}): string {
    const value = record[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || (options.nonEmpty && value.trim() === '')) {
      this.add(joinPath(path, key), `must be ${options.nonEmpty ? 'a non-empty string' : 'a string'} (got ${showValue(value)})`);
      return fallback;
    }
    return value;
  }

  /** One of a fixed set of strings; a near miss (case, typo) is named. */
  choice<T extends string>(record: JsonObject, key: string, path: string, choices: readonly T[], fallback: T): T {
    const value = record[key];
    if (value === undefined) return fallback;
    return this.choiceValue(value, joinPath(path, key), choices, fallback);
  }

  choiceValue<T extends string>(value: unknown, at: string, choices: readonly T[], fallback: T): T {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    const suggestion = typeof value === 'string' ? closest(value, choices) : undefined;
    const list = choices.map((c) => `"${c}"`).join(', ');
    this.add(at, `must be one of ${list} (got ${showValue(value)})${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
    return fallback;
  }

  /** A string or a non-empty array of non-empty strings. */
  stringList(record: JsonObject, key: string, path: string, fallback: readonly string[]): string[] {
    const value = record[key];
    const at = joinPath(path, key);
    if (value === undefined) return [...fallback];
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list)) {
      this.add(at, `must be a glob or an array of globs (got ${showValue(value)})`);
      return [...fallback];
    }
    const out: string[] = [];
    list.forEach((item, i) => {
      if (typeof item === 'string' && item.trim() !== '') out.push(item);
      else this.add(joinPath(at, i), `must be a non-empty glob string (got ${showValue(item)})`);
    });
    return out;
  }
}

function rangeText(rule: NumberRule): string {
  if (rule.min !== undefined && rule.max !== undefined) return ` from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return ` >= ${rule.min}`;
  if (rule.max !== undefined) return ` <= ${rule.max}`;
  return '';
}
