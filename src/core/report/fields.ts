// The report's numeric fields, read off its JSON Schema (schemas/report.schema.json), so `--fail-on`
// names exactly what a report can hold: a field renamed or added in the schema is renamed or added
// here too, and a gate can never name a field the report no longer has (it would be silently false).
import reportSchema from '../../../schemas/report.schema.json';

/** The parts of a JSON Schema (draft-07) this walk reads; anything else a schema says is ignored. */
export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  [keyword: string]: unknown;
  $ref?: string;
  properties?: Record<string, Schema | boolean>;
  items?: Schema | boolean | Array<Schema | boolean>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  definitions?: Record<string, Schema>;
};

/**
 * Parts of the report that are per-chunk tables, per-stage timings or raw plot data: numbers a gate
 * has no business reading one by one (their counts, where useful, are fields of their own).
 */
const NOT_GATED = new Set(['schemaVersion', 'previewChars', 'chunkTable', 'timings', 'maps', 'createdAt', 'tool']);

function resolve(schema: Schema | boolean, root: Schema): Schema {
  // `true` / `false` schemas (anything / nothing) hold no numbers of their own.
  let s: Schema = typeof schema === 'boolean' ? {} : schema;
  for (let guard = 0; s.$ref && guard < 16; guard++) {
    const name = /^#\/definitions\/(.+)$/.exec(s.$ref)?.[1];
    const target = name ? root.definitions?.[name] : undefined;
    if (!target) throw new Error(`report schema: unresolved $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

/** The alternatives a schema allows (anyOf/oneOf/allOf flattened), each with its $ref resolved. */
function variants(schema: Schema | boolean, root: Schema): Schema[] {
  const s = resolve(schema, root);
  const alternatives = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  return alternatives.length === 0 ? [s] : alternatives.flatMap((a) => variants(a, root));
}

function types(s: Schema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

/**
 * Dotted paths of every number (or nullable number) in the schema outside arrays, plus `.length` of
 * every array whose items are objects or strings (counts of items, warnings, terms...). Sorted.
 */
export function numericFields(root: Schema): string[] {
  const out = new Set<string>();
  const walk = (schema: Schema | boolean, path: string, depth: number): void => {
    if (depth > 12) return;
    for (const s of variants(schema, root)) {
      const t = types(s);
      if (t.includes('number') || t.includes('integer')) out.add(path);
      if (t.includes('array') && s.items && !Array.isArray(s.items)) {
        const itemTypes = variants(s.items, root).flatMap(types);
        if (itemTypes.includes('object') || itemTypes.includes('string')) out.add(`${path}.length`);
      }
      for (const [key, child] of Object.entries(s.properties ?? {})) {
        if (depth === 0 && NOT_GATED.has(key)) continue;
        walk(child, path ? `${path}.${key}` : key, depth + 1);
      }
    }
  };
  walk(root, '', 0);
  return [...out].filter((p) => p !== '').sort();
}

/** The numeric report fields a `--fail-on` condition may name. */
export const REPORT_FIELDS: readonly string[] = numericFields(reportSchema as unknown as Schema);
