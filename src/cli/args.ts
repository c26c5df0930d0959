// Command-line flags: `--name value`, `--name=value`, repeatable flags and booleans, tokenized by
// node:util's parseArgs and checked against each command's table, so a typo is a usage error with a
// suggestion, not a silent default.
import { parseArgs as nodeParseArgs } from 'node:util';
import { closest } from '../core/config/checker';
import { DriftError } from '../core/types';

export interface FlagSpec {
  name: string;
  /** Placeholder shown in help, e.g. "FILE"; absent for a boolean flag. */
  value?: string;
  repeatable?: boolean;
  help: string;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  booleans: Set<string>;
  positionals: string[];
}

/**
 * Tokenizes with node:util's parseArgs (non-strict, so every problem is ours to word), then checks
 * each option against the command's table: unknown names get a suggestion, a boolean given a value
 * and a value option without one are usage errors, a non-repeatable option given twice too. A value
 * that looks like an option (`--out --json`) is taken as missing, as before: `--out=--json` says it.
 */
export function parseArgs(command: string, argv: string[], specs: readonly FlagSpec[]): ParsedArgs {
  const options = Object.fromEntries(specs.map((s) => [s.name, { type: s.value === undefined ? 'boolean' as const : 'string' as const, multiple: true }]));
  const { tokens } = nodeParseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const flags = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') { positionals.push(token.value); continue; }
    if (token.kind === 'option-terminator') continue;
    const name = token.name;
    const spec = token.rawName.startsWith('--') ? specs.find((s) => s.name === name) : undefined;
    if (!spec) {
      const hint = closest(name, specs.map((s) => s.name));
      throw new DriftError(`${command}: unknown option ${token.rawName}${hint ? ` (did you mean --${hint}?)` : ''}; see embedding-drift ${command} --help`, 'usage');
    }
    if (spec.value === undefined) {
      if (token.value !== undefined) throw new DriftError(`${command}: --${name} takes no value`, 'usage');
      booleans.add(name);
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new DriftError(`${command}: --${name} needs a value (${spec.value})`, 'usage');
    }
    const list = flags.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new DriftError(`${command}: --${name} given twice`, 'usage');
    list.push(token.value);
    flags.set(name, list);
  }
  return { flags, booleans, positionals };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

/** A positive integer flag, or the fallback when absent. */
export function intFlag(command: string, args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new DriftError(`${command}: --${name} must be a positive integer (got "${raw}")`, 'usage');
  return value;
}

/** Help text for a command's flags, aligned in two columns. */
export function formatFlags(specs: readonly FlagSpec[]): string {
  const left = specs.map((s) => `  --${s.name}${s.value ? ` ${s.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return specs.map((s, i) => `${(left[i] ?? '').padEnd(width)}${s.help}`).join('\n');
}
