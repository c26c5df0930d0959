// Command-line flags: `--name value`, `--name=value`, repeatable flags and booleans, checked
// against each command's table so a typo is a usage error with a suggestion, not a silent default.
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

export function parseArgs(command: string, argv: string[], specs: readonly FlagSpec[]): ParsedArgs {
  const flags = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('--') || arg === '--') { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const hint = closest(name, specs.map((s) => s.name));
      throw new DriftError(`${command}: unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ''}; see embedding-drift ${command} --help`, 'usage');
    }
    if (spec.value === undefined) {
      if (eq >= 0) throw new DriftError(`${command}: --${name} takes no value`, 'usage');
      booleans.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else { value = argv[i + 1]; i++; }
    if (value === undefined || (eq < 0 && value.startsWith('--'))) {
      throw new DriftError(`${command}: --${name} needs a value (${spec.value})`, 'usage');
    }
    const list = flags.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new DriftError(`${command}: --${name} given twice`, 'usage');
    list.push(value);
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
