// JSON.stringify(value) made in pieces of about a megabyte, so a writer can write a 100 MB report
// without ever holding its text whole. Held whole, the text and what it took to make and write it
// (V8's string builder's parts, the flattened string, its UTF-8 bytes) were about 450 MB on top of
// the report at the large run's peak.

/** Characters a piece gathers before it is handed out. */
const PIECE = 1 << 20;

/**
 * The pieces of JSON.stringify(value), in order: joined, they are its text exactly. Plain objects
 * are walked key by key and arrays element by element, each element and every other value
 * (strings, numbers, Dates, typed arrays...) left to JSON.stringify itself. A piece ends only
 * between values, never inside a string literal, so no piece splits a surrogate pair. Undefined at
 * the top gives no piece (JSON.stringify gives undefined).
 */
export function* jsonPieces(value: unknown, size = PIECE): Generator<string> {
  let buffer = '';
  // Appends the JSON text of `v`, or returns false when JSON.stringify would leave it out (undefined, functions).
  function* put(v: unknown): Generator<string, boolean> {
    if (Array.isArray(v)) {
      // Elements whole (a report's big arrays hold many small records): one JSON.stringify each.
      buffer += '[';
      for (let i = 0; i < v.length; i++) {
        const text = JSON.stringify(v[i]) as string | undefined;
        buffer += `${i > 0 ? ',' : ''}${text ?? 'null'}`;
        if (buffer.length >= size) { yield buffer; buffer = ''; }
      }
      buffer += ']';
      return true;
    }
    if (isPlainObject(v)) {
      buffer += '{';
      let first = true;
      for (const key of Object.keys(v)) {
        const item = v[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        const mark = buffer.length;
        buffer += `${first ? '' : ','}${JSON.stringify(key)}:`;
        // A value that stringifies to nothing (toJSON returning undefined) takes its key back out.
        if (yield* put(item)) first = false;
        else buffer = buffer.slice(0, mark);
        if (buffer.length >= size) { yield buffer; buffer = ''; }
      }
      buffer += '}';
      return true;
    }
    const text = JSON.stringify(v) as string | undefined;
    if (text === undefined) return false;
    buffer += text;
    return true;
  }
  yield* put(value);
  if (buffer.length > 0) yield buffer;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
