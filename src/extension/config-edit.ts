// Small edits to an existing configuration file that keep the user's comments and layout
// (jsonc-parser's modify), e.g. naming the anchors file after the first "Add Selection as Drift Anchor",
// and what a replaced configuration must pass on to its successor (its anchors file).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { applyEdits, modify, parse } from 'jsonc-parser';
import { writeFileDurable } from '../core/io/durable';
import { DEFAULT_ANCHORS_FILE } from './config-template';

export function withAnchorsField(text: string, anchors: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return applyEdits(text, modify(text, ['anchors'], anchors, { formattingOptions: { insertSpaces: true, tabSize: 2, eol } }));
}

export async function addAnchorsField(configPath: string, anchors: string): Promise<void> {
  const text = await fs.readFile(configPath, 'utf8');
  await writeFileDurable(configPath, withAnchorsField(text, anchors));
}

/**
 * The `anchors` value a new configuration written over `configPath` keeps: the old file's field when
 * the file it names exists (as written, relative or absolute), else the default anchors.jsonl beside
 * it when that exists; undefined when there is no anchors file to keep.
 */
export async function anchorsToKeep(configPath: string): Promise<string | undefined> {
  const dir = path.dirname(configPath);
  const isFile = (p: string): Promise<boolean> => fs.stat(path.resolve(dir, p)).then((s) => s.isFile(), () => false);
  const old = await fs.readFile(configPath, 'utf8').then((t) => parse(t, [], { allowTrailingComma: true }) as unknown, () => undefined);
  const named = old && typeof old === 'object' && !Array.isArray(old) ? (old as Record<string, unknown>)['anchors'] : undefined;
  if (typeof named === 'string' && named.length > 0 && await isFile(named)) return named;
  return await isFile(DEFAULT_ANCHORS_FILE) ? DEFAULT_ANCHORS_FILE : undefined;
}
