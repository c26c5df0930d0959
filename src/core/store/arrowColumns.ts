// Typed values out of Arrow columns (what LanceDB returns), checked: a vector column becomes one
// Float32Array, strings and integers become plain arrays, and every problem names its column.
import type { Table as ArrowTable, RecordBatch, Vector as ArrowVector } from 'apache-arrow';
import { DriftError } from '../types';

type Columnar = ArrowTable | RecordBatch;

/** The dimension of a vector column's type, or the reason it is not a vector column. */
export function vectorDimension(type: { typeId: number; listSize?: number; children?: Array<{ type: { typeId: number } }> }): number | string {
  // Arrow type ids: 16 FixedSizeList, 12 List, 3 Float.
  if (type.typeId === 12) return 'is a variable-length list; LanceDB searches fixed-size vectors (FixedSizeList)';
  if (type.typeId !== 16 || type.listSize === undefined) return `is not a vector column (type ${String(type)})`;
  const child = type.children?.[0]?.type.typeId;
  if (child !== 3) return `holds ${String(type.children?.[0]?.type)} values, not floats`;
  return type.listSize;
}

/** rows x dim floats of a FixedSizeList<Float*> column (float16 and float64 converted). */
export function readVectors(table: Columnar, column: string, dim: number, where: string): Float32Array {
  const vector = table.getChild(column) as ArrowVector | null;
  if (!vector) throw new DriftError(`${where} has no column "${column}".`, 'config');
  const out = new Float32Array(table.numRows * dim);
  let row = 0;
  for (const data of vector.data) {
    if (data.nullCount > 0) {
      for (let i = 0; i < data.length; i++) {
        if (!data.getValid(i)) throw new DriftError(`${where}: column "${column}" has an empty (null) vector at row ${row + i}.`, 'config');
      }
    }
    const values = data.children[0]!.values as ArrayLike<number>;
    const from = (data.offset + data.children[0]!.offset) * dim;
    const count = data.length * dim;
    if (values instanceof Float32Array) out.set(values.subarray(from, from + count), row * dim);
    else if (values instanceof Uint16Array) for (let i = 0; i < count; i++) out[row * dim + i] = halfToFloat(values[from + i]!);
    else for (let i = 0; i < count; i++) out[row * dim + i] = values[from + i]!;
    row += data.length;
  }
  return out;
}

export function readStrings(table: Columnar, column: string, where: string, nullAs?: (row: number) => string): string[] {
  const vector = table.getChild(column);
  if (!vector) throw new DriftError(`${where} has no column "${column}".`, 'config');
  const out = new Array<string>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const value: unknown = vector.get(i);
    if (value === null || value === undefined) {
      if (!nullAs) throw new DriftError(`${where}: column "${column}" is empty (null) at row ${i}.`, 'config');
      out[i] = nullAs(i);
    } else out[i] = typeof value === 'string' ? value : String(value);
  }
  return out;
}

export function readIntegers(table: Columnar, column: string, where: string): Int32Array {
  const vector = table.getChild(column);
  if (!vector) throw new DriftError(`${where} has no column "${column}".`, 'config');
  const out = new Int32Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const value = Number(vector.get(i) as unknown);
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new DriftError(`${where}: column "${column}" must hold character offsets (whole numbers >= 0); row ${i} holds ${String(vector.get(i) as unknown)}.`, 'config');
    }
    out[i] = value;
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
