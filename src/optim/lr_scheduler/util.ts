// Small helpers shared by the schedulers: error-message descriptions and Python's arithmetic.

/** How a value reads in an error message. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'function') return 'a function';
  return typeof v === 'string' ? `the string '${v}'` : `${typeof v} ${String(v)}`;
}

/** Whether `v` is an integer number. */
export const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
/** Python's `a % b` (the sign of b). */
export const pymod = (a: number, b: number): number => ((a % b) + b) % b;
/** Python's bisect.bisect_right on a sorted list. */
export function bisectRight(list: number[], x: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (x < list[mid]) hi = mid; else lo = mid + 1; }
  return lo;
}
