// The reductions' shared static tiles (one instance each: per-column f32 partials and f64
// totals of the inner > 1 paths), block sizes, and the f32 → f64 widening helpers.

@inline export function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// A static tile (not allocated): per-column running values of the inner > 1 paths that need a
// second accumulator beside `out` (arg*'s best values, a block's partial sums). Columns go TILE
// at a time; the f64 tiles hold the columns' totals across blocks.
export const TILE: i32 = 1024;
export const tileBuf = memory.data(TILE * 4, 16);
export const tileBuf2 = memory.data(TILE * 4, 16);
export const tile64 = memory.data(TILE * 8, 16);
export const tile64b = memory.data(TILE * 8, 16);
/** Elements per f32 block of a row sum (16 per lane of four v128 accumulators). */
export const BLOCK: i32 = 256;
/** Rows per f32 block of a column sum. */
export const RB: i32 = 32;

/** The four f32 lanes as two f64 pairs summed: [s0 + s2, s1 + s3], exact. */
@inline export function widen(s: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(s), f64x2.promote_low_f32x4(i8x16.shuffle(s, s, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
}
/** The sum of a f64x2's two lanes. */
@inline export function hsum64(v: v128): f64 { return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1); }
/** t64[j] += f32 tile[j] for j < w, in f64. */
/**
 * Zeroes a tile of `bytes` (a multiple of 4) with v128 stores: memory.fill is a call into the engine,
 * which costs more than the few hundred bytes a tile row block holds (it ran once per 32 rows).
 */
@inline export function zeroTile(p: usize, bytes: usize): void {
  const z = i32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(p + i, z);
  for (; i < bytes; i += 4) store<i32>(p + i, 0);
}

@inline export function flushTile(t64: usize, tile: usize, w: i32): void {
  let j = 0;
  for (; j + 4 <= w; j += 4) {
    const s = v128.load(tile + (<usize>j << 2)), q = t64 + (<usize>j << 3);
    v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(s)));
    v128.store(q, f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(i8x16.shuffle(s, s, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7))), 16);
  }
  for (; j < w; j++) store<f64>(t64 + (<usize>j << 3), load<f64>(t64 + (<usize>j << 3)) + <f64>load<f32>(at(tile, j)));
}
