// Finds and loads the configuration a command runs: --config, else the file the extension uses
// (embedding-drift.json or .vscode/embedding-drift.json from the corpus root), else the offline default.
import path from 'node:path';
import { defaultConfig, findConfigFile, loadConfig } from '../core/config';
import type { DriftConfig } from '../core/config/types';
import { flag, intFlag, type FlagSpec, type ParsedArgs } from './args';

export const CONFIG_FLAGS: readonly FlagSpec[] = [
  { name: 'config', value: 'FILE', help: 'configuration file (default: embedding-drift.json or .vscode/embedding-drift.json in the corpus folder, else the offline default)' },
  { name: 'corpus', value: 'DIR', help: 'corpus folder (default: the configuration\'s corpus root, or the current folder)' },
];

/** The configuration file a command reads: --config, else the one found from the corpus folder, else none (the default). */
export async function configFileOf(args: ParsedArgs, cwd: string): Promise<string | undefined> {
  const corpusFlag = flag(args, 'corpus');
  const configFlag = flag(args, 'config');
  return configFlag === undefined ? findConfigFile(corpusFlag === undefined ? cwd : path.resolve(cwd, corpusFlag)) : path.resolve(cwd, configFlag);
}

/** `oneSide`: the command uses side A only, so a configuration with "a" and no "b" is complete. */
export async function resolveConfig(command: string, args: ParsedArgs, cwd: string, options: { oneSide?: boolean } = {}): Promise<DriftConfig> {
  const corpusFlag = flag(args, 'corpus');
  const corpus = corpusFlag === undefined ? undefined : path.resolve(cwd, corpusFlag);
  const file = await configFileOf(args, cwd);
  const config = file === undefined ? defaultConfig(corpus ?? cwd) : await loadConfig(file, { ...(corpus === undefined ? {} : { corpusRoot: corpus }), ...(options.oneSide ? { oneSide: true } : {}) });
  if (corpus !== undefined) config.corpus.root = corpus;
  const k = intFlag(command, args, 'k');
  if (k !== undefined) config.k = k;
  return config;
}

/** Keeps a folder the run writes (report, cache) out of the corpus when it lies inside it. */
export function excludeFolder(config: DriftConfig, folder: string): void {
  const relative = path.relative(config.corpus.root, folder);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return;
  config.corpus.exclude.push(`${relative.split(path.sep).join('/')}/**`);
}
