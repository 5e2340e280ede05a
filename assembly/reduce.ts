// The plain reductions over the middle axis of a contiguous [outer, n, inner] block (sum, prod,
// max/min, arg*; f32 and i32) and their gradients (indexBackward, prodBackward, tieBackward).
import { at, TILE, tileBuf } from './reduce_tiles';
import { extremeRow, extremeRows, sumRow, sumColumns, accumulateRow } from './reduce_rows';

export const R_SUM: i32 = 0;
export const R_MAX: i32 = 1;
export const R_MIN: i32 = 2;
export const R_ARGMAX: i32 = 3; // writes i32 indices
export const R_ARGMIN: i32 = 4;
export const R_PROD: i32 = 5;

/** The f32 max/min/argmax/argmin of reduce(): values in v128, indices by a row-wise scan. */
function extremeF32(op: i32, base: usize, ob: usize, n: i32, inner: i32): void {
  const isMax = op == R_MAX || op == R_ARGMAX;
  const wantIndex = op == R_ARGMAX || op == R_ARGMIN;
  if (inner == 1) {
    const best = extremeRow(base, n, isMax);
    if (!wantIndex) { store<f32>(ob, best); return; }
    // the first index holding the extreme (the first NaN when it is NaN), as PyTorch
    const nan = best != best;
    let k = 0;
    for (; k < n; k++) { const v = load<f32>(at(base, k)); if (nan ? v != v : v == best) break; }
    store<i32>(ob, k);
    return;
  }
  if (!wantIndex) { extremeRows(ob, base, n, inner, isMax); return; }
  // arg*: rows in order over a tile of columns, the best values in the static tile
  for (let j0 = 0; j0 < inner; j0 += TILE) {
    const w = min(TILE, inner - j0);
    memory.copy(tileBuf, base + (<usize>j0 << 2), <usize>w << 2);
    for (let j = 0; j < w; j++) store<i32>(at(ob, j0 + j), 0);
    for (let k = 1; k < n; k++) {
      const row = base + (<usize>(k * inner + j0) << 2);
      for (let j = 0; j < w; j++) {
        const b = load<f32>(at(tileBuf, j)), v = load<f32>(at(row, j));
        if (b == b && (v != v || (isMax ? v > b : v < b))) { store<f32>(at(tileBuf, j), v); store<i32>(at(ob, j0 + j), k); }
      }
    }
  }
}


// prodRow stays sumRow's twin on purpose: one foldRow(x, n, isSum) measured ~25% slower on row
// sums (the inlined copies kept a select per step instead of folding the constant isSum away)
@inline function prodRow(x: usize, n: i32): f32 {
  let a0 = f32x4.splat(1), a1 = f32x4.splat(1), a2 = f32x4.splat(1), a3 = f32x4.splat(1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    a0 = f32x4.mul(a0, v128.load(p));
    a1 = f32x4.mul(a1, v128.load(p, 16));
    a2 = f32x4.mul(a2, v128.load(p, 32));
    a3 = f32x4.mul(a3, v128.load(p, 48));
  }
  for (; i + 4 <= n; i += 4) a0 = f32x4.mul(a0, v128.load(x + (<usize>i << 2)));
  const s = f32x4.mul(f32x4.mul(a0, a1), f32x4.mul(a2, a3));
  let r = f32x4.extract_lane(s, 0) * f32x4.extract_lane(s, 1) * f32x4.extract_lane(s, 2) * f32x4.extract_lane(s, 3);
  for (; i < n; i++) r *= load<f32>(x + (<usize>i << 2));
  return r;
}

export function reduce(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (op == R_SUM || op == R_PROD) {
      const isSum = op == R_SUM;
      if (inner == 1) { store<f32>(ob, isSum ? sumRow(base, n) : prodRow(base, n)); continue; }
      if (isSum) { sumColumns(ob, base, n, inner, 0); continue; }
      const init: f32 = isSum ? 0 : 1;
      for (let j = 0; j < inner; j++) store<f32>(at(ob, j), init);
      for (let k = 0; k < n; k++) accumulateRow(ob, base + (<usize>(k * inner) << 2), inner, isSum ? 0 : 1);
      continue;
    }
    // max/min/argmax/argmin: the first extreme wins ties, NaN propagates (as PyTorch)
    extremeF32(op, base, ob, n, inner);
  }
}

/**
 * The same reductions on int32 (and 0/1 bool) data, exact: sum and prod wrap modulo 2³² as
 * int32 arithmetic does (PyTorch accumulates in int64). n == 0 gives 0 for sum, 1 for prod.
 */
export function reduceI32(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (op == R_SUM || op == R_PROD) {
      const isSum = op == R_SUM;
      const init: i32 = isSum ? 0 : 1;
      if (inner == 1) {
        let a0 = i32x4.splat(init), a1 = i32x4.splat(init);
        let i = 0;
        for (; i + 8 <= n; i += 8) {
          const p = base + (<usize>i << 2);
          if (isSum) { a0 = i32x4.add(a0, v128.load(p)); a1 = i32x4.add(a1, v128.load(p, 16)); }
          else { a0 = i32x4.mul(a0, v128.load(p)); a1 = i32x4.mul(a1, v128.load(p, 16)); }
        }
        const s = isSum ? i32x4.add(a0, a1) : i32x4.mul(a0, a1);
        const l0 = i32x4.extract_lane(s, 0), l1 = i32x4.extract_lane(s, 1), l2 = i32x4.extract_lane(s, 2), l3 = i32x4.extract_lane(s, 3);
        let r: i32 = isSum ? l0 + l1 + l2 + l3 : l0 * l1 * l2 * l3;
        for (; i < n; i++) { const v = load<i32>(at(base, i)); r = isSum ? r + v : r * v; }
        store<i32>(ob, r);
        continue;
      }
      for (let j = 0; j < inner; j++) store<i32>(at(ob, j), init);
      for (let k = 0; k < n; k++) {
        const row = base + (<usize>(k * inner) << 2);
        let j = 0;
        for (; j + 4 <= inner; j += 4) {
          const p = <usize>j << 2;
          const a = v128.load(ob + p), v = v128.load(row + p);
          v128.store(ob + p, isSum ? i32x4.add(a, v) : i32x4.mul(a, v));
        }
        for (; j < inner; j++) {
          const a = load<i32>(at(ob, j)), v = load<i32>(at(row, j));
          store<i32>(at(ob, j), isSum ? a + v : a * v);
        }
      }
      continue;
    }
    const isMax = op == R_MAX || op == R_ARGMAX;
    if (op == R_MAX || op == R_MIN) {
      // values: v128 across the row (inner == 1) or across inner (rows in order)
      if (inner == 1) {
        let a0 = i32x4.splat(load<i32>(base)), a1 = a0;
        let i = 0;
        for (; i + 8 <= n; i += 8) {
          const q = base + (<usize>i << 2);
          if (isMax) { a0 = i32x4.max_s(a0, v128.load(q)); a1 = i32x4.max_s(a1, v128.load(q, 16)); }
          else { a0 = i32x4.min_s(a0, v128.load(q)); a1 = i32x4.min_s(a1, v128.load(q, 16)); }
        }
        const m = isMax ? i32x4.max_s(a0, a1) : i32x4.min_s(a0, a1);
        let r = i32x4.extract_lane(m, 0);
        for (let l = 1; l < 4; l++) {
          const v = l == 1 ? i32x4.extract_lane(m, 1) : l == 2 ? i32x4.extract_lane(m, 2) : i32x4.extract_lane(m, 3);
          r = isMax ? max(r, v) : min(r, v);
        }
        for (; i < n; i++) { const v = load<i32>(at(base, i)); r = isMax ? max(r, v) : min(r, v); }
        store<i32>(ob, r);
        continue;
      }
      memory.copy(ob, base, <usize>inner << 2);
      for (let k = 1; k < n; k++) {
        const row = base + (<usize>(k * inner) << 2);
        let j = 0;
        for (; j + 4 <= inner; j += 4) {
          const q = <usize>j << 2;
          v128.store(ob + q, isMax ? i32x4.max_s(v128.load(ob + q), v128.load(row + q)) : i32x4.min_s(v128.load(ob + q), v128.load(row + q)));
        }
        for (; j < inner; j++) {
          const a = load<i32>(at(ob, j)), v = load<i32>(at(row, j));
          store<i32>(at(ob, j), isMax ? max(a, v) : min(a, v));
        }
      }
      continue;
    }
    // arg*: rows in order over a tile of columns, the best values in the static tile
    for (let j0 = 0; j0 < inner; j0 += TILE) {
      const w = min(TILE, inner - j0);
      memory.copy(tileBuf, base + (<usize>j0 << 2), <usize>w << 2);
      for (let j = 0; j < w; j++) store<i32>(at(ob, j0 + j), 0);
      for (let k = 1; k < n; k++) {
        const row = base + (<usize>(k * inner + j0) << 2);
        for (let j = 0; j < w; j++) {
          const v = load<i32>(at(row, j));
          if (isMax ? v > load<i32>(at(tileBuf, j)) : v < load<i32>(at(tileBuf, j))) { store<i32>(at(tileBuf, j), v); store<i32>(at(ob, j0 + j), k); }
        }
      }
    }
  }
}


/**
 * Gradient of prod along the middle axis, exact with zeros: with no zero in the slice,
 * g·p/x; with one zero, g·(product of the others) at the zero and 0 elsewhere; with two or
 * more, 0 everywhere (as PyTorch).
 */
export function prodBackward(x: usize, g: usize, dx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let zeros = 0, zi = 0;
      let p: f32 = 1;
      for (let k = 0; k < n; k++) {
        const v = load<f32>(at(x, base + k * inner));
        if (v == 0) { zeros++; zi = k; } else p *= v;
      }
      const gv = load<f32>(at(g, o * inner + j));
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        let d: f32 = 0;
        if (zeros == 0) d = gv * p / load<f32>(at(x, i));
        else if (zeros == 1 && k == zi) d = gv * p;
        store<f32>(at(dx, i), d);
      }
    }
  }
}

/**
 * Gradient of a reduction that picks values (whole-tensor max/min, amax/amin, the ∞-norms):
 * g split evenly among the elements equal to the result v (NaN matches NaN). absMode compares
 * |x| with v and multiplies by sign(x) (the ∞-norm).
 */
export function tieBackward(x: usize, v: usize, g: usize, dx: usize, outer: i32, n: i32, inner: i32, absMode: bool): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      const r = load<f32>(at(v, o * inner + j));
      const rnan = r != r;
      let count = 0;
      for (let k = 0; k < n; k++) {
        let e = load<f32>(at(x, base + k * inner));
        if (absMode) e = Mathf.abs(e);
        if (e == r || (rnan && e != e)) count++;
      }
      const share: f32 = count == 0 ? 0 : load<f32>(at(g, o * inner + j)) / <f32>count;
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        const xv = load<f32>(at(x, i));
        const e = absMode ? Mathf.abs(xv) : xv;
        let d: f32 = 0;
        if (e == r || (rnan && e != e)) d = absMode ? (xv > 0 ? share : xv < 0 ? -share : 0) : share;
        store<f32>(at(dx, i), d);
      }
    }
  }
}


/** Scatter-free gradient of max/min along a dim: out[o, idx[o,j], j] = g[o, j], else 0. */
export function indexBackward(g: usize, idx: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  memory.fill(out, 0, <usize>(outer * n * inner) << 2);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const k = load<i32>(idx + (<usize>(o * inner + j) << 2));
      store<f32>(out + (<usize>((o * n + k) * inner + j) << 2), load<f32>(g + (<usize>(o * inner + j) << 2)));
    }
  }
}
