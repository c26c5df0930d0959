// Files the product reads back (a saved report, a baseline manifest) are checked against their JSON
// Schemas before anything uses them: a damaged or foreign file is a DriftError that names the file
// and the first field at fault, never a TypeError deep inside a view. The validators are the schemas
// precompiled by scripts/gen-validators.cjs (src/generated, made by the build).
import { promises as fs } from 'node:fs';
import { validateBaseline, validateReport, type Validator } from '../../generated/validators';
import { DriftError } from '../types';
import type { Report } from './types';

/** "at /neighbors/churnedShare: must be number" for the validator's first error. */
function firstError(validate: Validator): string {
  const e = validate.errors?.[0];
  if (!e) return 'does not match its schema';
  return `${e.instancePath ? `at ${e.instancePath}` : 'at the top level'}: ${e.message ?? 'is invalid'}`;
}

/** The value as a Report, or a DriftError('cache') saying which file is damaged, where, and what to do (`remedy`). */
export function checkedReport(value: unknown, file: string, remedy = 'run the comparison again'): Report {
  if (!validateReport(value)) {
    throw new DriftError(`The saved report ${file} is damaged or was written by another version (${firstError(validateReport)}); ${remedy}.`, 'cache');
  }
  return value as Report;
}

/**
 * A report the product saved earlier (the extension's last report, a baseline's report), read back
 * and validated: undefined when the file does not exist, a DriftError('cache') naming `name` and
 * ending with `remedy` when it is damaged.
 */
export async function readSavedReport(file: string, name: string, remedy: string): Promise<Report | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DriftError(`The saved report ${name} is damaged (${(err as Error).message}); ${remedy}.`, 'cache', { cause: err });
  }
  return checkedReport(value, name, remedy);
}

/** Throws a DriftError('cache') naming the baseline folder when its manifest does not match the schema. */
export function checkBaselineManifest(value: unknown, folder: string): void {
  if (!validateBaseline(value)) {
    throw new DriftError(`The baseline in ${folder} is damaged (baseline.json ${firstError(validateBaseline)}); save it again.`, 'cache');
  }
}
