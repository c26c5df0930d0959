// Binary search over sorted data, written once: offset maps, token starts, code ranges and span
// indexes all ask "where does the sorted run of items before this position end?".

/**
 * The first index in [0, length) for which `isBefore(index)` is false, given that `isBefore` is
 * true for a prefix of the indices and false for the rest (length when it is true throughout).
 */
export function partitionPoint(length: number, isBefore: (index: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(mid)) lo = mid + 1; else hi = mid;
  }
  return lo;
}
