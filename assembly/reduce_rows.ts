// Row and column kernels shared by reduce, moments, pnorm and logsumexp: blocked sums (f32 v128
// over BLOCK elements or RB rows, each block's partial added into f64), extremes, row accumulation.
import { at, TILE, tileBuf, tile64, BLOCK, RB, widen, hsum64, flushTile, zeroTile } from './reduce_tiles';

/** Largest (isMax) or smallest element of a row, NaN if any is NaN; v128 with four accumulators. */
@inline export function extremeRow(x: usize, n: i32, isMax: bool): f32 {
  const first = load<f32>(x);
  let a0 = f32x4.splat(first), a1 = a0, a2 = a0, a3 = a0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    if (isMax) {
      a0 = f32x4.max(a0, v128.load(p)); a1 = f32x4.max(a1, v128.load(p, 16));
      a2 = f32x4.max(a2, v128.load(p, 32)); a3 = f32x4.max(a3, v128.load(p, 48));
    } else {
      a0 = f32x4.min(a0, v128.load(p)); a1 = f32x4.min(a1, v128.load(p, 16));
      a2 = f32x4.min(a2, v128.load(p, 32)); a3 = f32x4.min(a3, v128.load(p, 48));
    }
  }
  const s = isMax ? f32x4.max(f32x4.max(a0, a1), f32x4.max(a2, a3)) : f32x4.min(f32x4.min(a0, a1), f32x4.min(a2, a3));
  const l0 = f32x4.extract_lane(s, 0), l1 = f32x4.extract_lane(s, 1), l2 = f32x4.extract_lane(s, 2), l3 = f32x4.extract_lane(s, 3);
  // f32.max/min propagate NaN, as f32x4.max/min do
  let r = isMax ? Mathf.max(Mathf.max(l0, l1), Mathf.max(l2, l3)) : Mathf.min(Mathf.min(l0, l1), Mathf.min(l2, l3));
  for (; i < n; i++) { const v = load<f32>(at(x, i)); r = isMax ? Mathf.max(r, v) : Mathf.min(r, v); }
  return r;
}

/** ob[j] = the max (isMax) or min over the n rows of `inner` elements at base, NaN-propagating; rows in order, v128 across inner. */
@inline export function extremeRows(ob: usize, base: usize, n: i32, inner: i32, isMax: bool): void {
  memory.copy(ob, base, <usize>inner << 2);
  for (let k = 1; k < n; k++) {
    const row = base + (<usize>(k * inner) << 2);
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const q = <usize>j << 2;
      v128.store(ob + q, isMax ? f32x4.max(v128.load(ob + q), v128.load(row + q)) : f32x4.min(v128.load(ob + q), v128.load(row + q)));
    }
    for (; j < inner; j++) {
      const a = load<f32>(at(ob, j)), v = load<f32>(at(row, j));
      store<f32>(at(ob, j), isMax ? Mathf.max(a, v) : Mathf.min(a, v));
    }
  }
}

/** Σ of a row, blocked: f32 v128 accumulators over BLOCK elements, the blocks' partials in f64. */
@inline export function sumRow(x: usize, n: i32): f32 {
  let t = f64x2.splat(0);
  let i = 0;
  while (i + 16 <= n) {
    const lim = min(i + BLOCK, n);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (; i + 16 <= lim; i += 16) {
      const p = x + (<usize>i << 2);
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
    }
    t = f64x2.add(t, widen(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3))));
  }
  if (i + 4 <= n) {
    let a = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) a = f32x4.add(a, v128.load(x + (<usize>i << 2)));
    t = f64x2.add(t, widen(a));
  }
  let r = hsum64(t);
  for (; i < n; i++) r += <f64>load<f32>(x + (<usize>i << 2));
  return <f32>r;
}

/**
 * ob[j] = Σ over the n rows of `inner` elements at base of row[j] (op 0), |row[j]| (2) or
 * row[j]² (3); blocked: RB rows at a time into the f32 tile, each block's partials into f64.
 */
@inline export function sumColumns(ob: usize, base: usize, n: i32, inner: i32, op: i32): void {
  if (inner <= NARROW) { sumNarrowColumns(ob, base, n, inner, op); return; }
  for (let j0 = 0; j0 < inner; j0 += TILE) {
    const w = min(TILE, inner - j0);
    zeroTile(tile64, <usize>w << 3);
    for (let k0 = 0; k0 < n; k0 += RB) {
      const k1 = min(n, k0 + RB);
      zeroTile(tileBuf, <usize>w << 2);
      for (let k = k0; k < k1; k++) accumulateRow(tileBuf, base + (<usize>(k * inner + j0) << 2), w, op);
      flushTile(tile64, tileBuf, w);
    }
    for (let j = 0; j < w; j++) store<f32>(at(ob, j0 + j), <f32>load<f64>(tile64 + (<usize>j << 3)));
  }
}

// Rows this narrow (≤ 128 bytes) are summed four columns at a time in a register instead of the
// tile in memory: the same f32 additions in the same order, flushed to f64 every RB rows, so the
// result is bit for bit the tile path's, at about half its cost (linear's bias gradient, sum(0)).
const NARROW: i32 = 32;

function sumNarrowColumns(ob: usize, base: usize, n: i32, inner: i32, op: i32): void {
  let j = 0;
  for (; j + 4 <= inner; j += 4) {
    let t0 = f64x2.splat(0), t1 = f64x2.splat(0);
    for (let k0 = 0; k0 < n; k0 += RB) {
      const k1 = min(n, k0 + RB);
      let acc = f32x4.splat(0);
      for (let k = k0; k < k1; k++) {
        const v = v128.load(base + (<usize>(k * inner + j) << 2));
        acc = op == 0 ? f32x4.add(acc, v) : op == 2 ? f32x4.add(acc, f32x4.abs(v)) : f32x4.add(acc, f32x4.mul(v, v));
      }
      t0 = f64x2.add(t0, f64x2.promote_low_f32x4(acc));
      t1 = f64x2.add(t1, f64x2.promote_low_f32x4(i8x16.shuffle(acc, acc, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
    }
    store<f32>(at(ob, j), <f32>f64x2.extract_lane(t0, 0));
    store<f32>(at(ob, j + 1), <f32>f64x2.extract_lane(t0, 1));
    store<f32>(at(ob, j + 2), <f32>f64x2.extract_lane(t1, 0));
    store<f32>(at(ob, j + 3), <f32>f64x2.extract_lane(t1, 1));
  }
  for (; j < inner; j++) {
    let t: f64 = 0;
    for (let k0 = 0; k0 < n; k0 += RB) {
      const k1 = min(n, k0 + RB);
      let acc: f32 = 0;
      for (let k = k0; k < k1; k++) {
        const v = load<f32>(base + (<usize>(k * inner + j) << 2));
        acc = op == 0 ? acc + v : op == 2 ? acc + Mathf.abs(v) : acc + v * v;
      }
      t += <f64>acc;
    }
    store<f32>(at(ob, j), <f32>t);
  }
}

/** out[j] op= row[j] for j < inner (op: 0 add, 1 mul, 2 add |x|, 3 add x²). */
@inline export function accumulateRow(out: usize, row: usize, inner: i32, op: i32): void {
  let j = 0;
  for (; j + 4 <= inner; j += 4) {
    const p = <usize>j << 2;
    const a = v128.load(out + p), v = v128.load(row + p);
    let r: v128;
    if (op == 0) r = f32x4.add(a, v);
    else if (op == 1) r = f32x4.mul(a, v);
    else if (op == 2) r = f32x4.add(a, f32x4.abs(v));
    else r = f32x4.add(a, f32x4.mul(v, v));
    v128.store(out + p, r);
  }
  for (; j < inner; j++) {
    const p = <usize>j << 2;
    const a = load<f32>(out + p), v = load<f32>(row + p);
    store<f32>(out + p, op == 0 ? a + v : op == 1 ? a * v : op == 2 ? a + Mathf.abs(v) : a + v * v);
  }
}
