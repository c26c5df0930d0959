// Files the product reads back (a saved report, a baseline manifest) are checked against their JSON
// Schemas before anything uses them: a damaged or foreign file is a DriftError that names the file
// and the first field at fault, never a TypeError deep inside a view. The validators are the schemas
// precompiled by scripts/gen-validators.cjs (src/generated, made by the build).
import { validateBaseline, validateReport, type Validator } from '../../generated/validators';
import { DriftError } from '../types';
import type { Report } from './types';

/** "at /neighbors/churnedShare: must be number" for the validator's first error. */
function firstError(validate: Validator): string {
  const e = validate.errors?.[0];
  if (!e) return 'does not match its schema';
  return `${e.instancePath ? `at ${e.instancePath}` : 'at the top level'}: ${e.message ?? 'is invalid'}`;
}

/** The value as a Report, or a DriftError('cache') saying which file is damaged and where. */
export function checkedReport(value: unknown, file: string): Report {
  if (!validateReport(value)) {
    throw new DriftError(`The saved report ${file} is damaged or was written by another version (${firstError(validateReport)}); run the comparison again.`, 'cache');
  }
  return value as Report;
}

/** Throws a DriftError('cache') naming the baseline folder when its manifest does not match the schema. */
export function checkBaselineManifest(value: unknown, folder: string): void {
  if (!validateBaseline(value)) {
    throw new DriftError(`The baseline in ${folder} is damaged (baseline.json ${firstError(validateBaseline)}); save it again.`, 'cache');
  }
}
