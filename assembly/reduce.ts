// Reductions over the middle axis of a contiguous [outer, n, inner] block: any dim of any
// tensor (or any set of dims, moved together by the caller) maps to this. inner == 1 reduces
// along rows with four v128 accumulators; inner > 1 accumulates whole rows of `inner` elements
// into the output, v128 across inner. Gathers (arg*, ties, prod's zero rule) are scalar.
//
// Sums are blocked (a cascade, as PyTorch's float32 sums): f32 v128 accumulators over a block
// of BLOCK elements (16 per lane) or RB rows, each block's partial added into f64 (f64x2 or a
// static f64 tile per column). The error is that of one block plus the f64 rounding, instead
// of growing with n (a sequential f32 sum of 1e6 × 0.1 was 0.06% off). cumsum runs in f64.

export const R_SUM: i32 = 0;
export const R_MAX: i32 = 1;
export const R_MIN: i32 = 2;
export const R_ARGMAX: i32 = 3; // writes i32 indices
export const R_ARGMIN: i32 = 4;
export const R_PROD: i32 = 5;

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// A static tile (not allocated): per-column running values of the inner > 1 paths that need a
// second accumulator beside `out` (arg*'s best values, a block's partial sums). Columns go TILE
// at a time; the f64 tiles hold the columns' totals across blocks.
const TILE: i32 = 1024;
const tileBuf = memory.data(TILE * 4, 16);
const tileBuf2 = memory.data(TILE * 4, 16);
const tile64 = memory.data(TILE * 8, 16);
const tile64b = memory.data(TILE * 8, 16);
/** Elements per f32 block of a row sum (16 per lane of four v128 accumulators). */
const BLOCK: i32 = 256;
/** Rows per f32 block of a column sum. */
const RB: i32 = 32;

/** The four f32 lanes as two f64 pairs summed: [s0 + s2, s1 + s3], exact. */
@inline function widen(s: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(s), f64x2.promote_low_f32x4(i8x16.shuffle(s, s, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
}
/** The sum of a f64x2's two lanes. */
@inline function hsum64(v: v128): f64 { return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1); }
/** t64[j] += f32 tile[j] for j < w, in f64. */
@inline function flushTile(t64: usize, tile: usize, w: i32): void {
  let j = 0;
  for (; j + 4 <= w; j += 4) {
    const s = v128.load(tile + (<usize>j << 2)), q = t64 + (<usize>j << 3);
    v128.store(q, f64x2.add(v128.load(q), f64x2.promote_low_f32x4(s)));
    v128.store(q, f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(i8x16.shuffle(s, s, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7))), 16);
  }
  for (; j < w; j++) store<f64>(t64 + (<usize>j << 3), load<f64>(t64 + (<usize>j << 3)) + <f64>load<f32>(at(tile, j)));
}

/** Largest (isMax) or smallest element of a row, NaN if any is NaN; v128 with four accumulators. */
@inline function extremeRow(x: usize, n: i32, isMax: bool): f32 {
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
@inline function extremeRows(ob: usize, base: usize, n: i32, inner: i32, isMax: bool): void {
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

/** Σ of a row, blocked: f32 v128 accumulators over BLOCK elements, the blocks' partials in f64. */
@inline function sumRow(x: usize, n: i32): f32 {
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
@inline function sumColumns(ob: usize, base: usize, n: i32, inner: i32, op: i32): void {
  for (let j0 = 0; j0 < inner; j0 += TILE) {
    const w = min(TILE, inner - j0);
    memory.fill(tile64, 0, <usize>w << 3);
    for (let k0 = 0; k0 < n; k0 += RB) {
      const k1 = min(n, k0 + RB);
      memory.fill(tileBuf, 0, <usize>w << 2);
      for (let k = k0; k < k1; k++) accumulateRow(tileBuf, base + (<usize>(k * inner + j0) << 2), w, op);
      flushTile(tile64, tileBuf, w);
    }
    for (let j = 0; j < w; j++) store<f32>(at(ob, j0 + j), <f32>load<f64>(tile64 + (<usize>j << 3)));
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

/** out[j] op= row[j] for j < inner (op: 0 add, 1 mul, 2 add |x|, 3 add x²). */
@inline function accumulateRow(out: usize, row: usize, inner: i32, op: i32): void {
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
 * Mean and variance (or standard deviation) along the middle axis, two-pass and corrected:
 * m = Σx/n, then var = (Σd² − (Σd)²/n)/divisor with d = x − m (Chan, Golub and LeVeque's
 * corrected two-pass algorithm: the second term removes the rounding error of m). The
 * squared deviations never cancel the way a one-pass Σx² − (Σx)²/n does when |mean| ≫ std.
 * n == 0 gives NaN mean and variance; divisor 0 gives inf (or NaN).
 */
export function moments(x: usize, mean: usize, out: usize, outer: i32, n: i32, inner: i32, divisor: f32, takeSqrt: bool): void {
  const fn = <f32>n;
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const mb = mean + (<usize>(o * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (inner == 1) {
      const m = sumRow(base, n) / fn;
      const mv = f32x4.splat(m);
      // Σd² and Σd blocked as sumRow: f32 over BLOCK elements, the partials in f64
      let tq = f64x2.splat(0), ts = f64x2.splat(0);
      let i = 0;
      while (i + 8 <= n) {
        const lim = min(i + BLOCK, n);
        let q0 = f32x4.splat(0), q1 = f32x4.splat(0), s0 = f32x4.splat(0), s1 = f32x4.splat(0);
        for (; i + 8 <= lim; i += 8) {
          const p = base + (<usize>i << 2);
          const d0 = f32x4.sub(v128.load(p), mv), d1 = f32x4.sub(v128.load(p, 16), mv);
          q0 = f32x4.add(q0, f32x4.mul(d0, d0)); q1 = f32x4.add(q1, f32x4.mul(d1, d1));
          s0 = f32x4.add(s0, d0); s1 = f32x4.add(s1, d1);
        }
        tq = f64x2.add(tq, widen(f32x4.add(q0, q1)));
        ts = f64x2.add(ts, widen(f32x4.add(s0, s1)));
      }
      let sq = hsum64(tq), sd = hsum64(ts);
      for (; i < n; i++) { const d = <f64>(load<f32>(at(base, i)) - m); sq += d * d; sd += d; }
      const v = <f32>((sq - sd * sd / <f64>n) / <f64>divisor);
      store<f32>(mb, <f32>(<f64>m + sd / <f64>n)); // the corrected mean, for backward
      store<f32>(ob, takeSqrt ? Mathf.sqrt(v) : v);
      continue;
    }
    // inner > 1: the mean row, then Σd² into out; Σd is folded in per column afterwards
    sumColumns(mb, base, n, inner, 0);
    const inv = f32x4.splat(fn);
    let j = 0;
    for (; j + 4 <= inner; j += 4) v128.store(mb + (<usize>j << 2), f32x4.div(v128.load(mb + (<usize>j << 2)), inv));
    for (; j < inner; j++) store<f32>(at(mb, j), load<f32>(at(mb, j)) / fn);
    // Σd² and Σd over a tile of columns: RB rows at a time into the f32 tiles (d² in tileBuf,
    // d in tileBuf2), each block's partials into the f64 tiles
    for (let j0 = 0; j0 < inner; j0 += TILE) {
      const w = min(TILE, inner - j0);
      memory.fill(tile64, 0, <usize>w << 3);
      memory.fill(tile64b, 0, <usize>w << 3);
      const mt = mb + (<usize>j0 << 2), ot = ob + (<usize>j0 << 2);
      for (let k0 = 0; k0 < n; k0 += RB) {
        const k1 = min(n, k0 + RB);
        memory.fill(tileBuf, 0, <usize>w << 2);
        memory.fill(tileBuf2, 0, <usize>w << 2);
        for (let k = k0; k < k1; k++) {
          const row = base + (<usize>(k * inner + j0) << 2);
          j = 0;
          for (; j + 4 <= w; j += 4) {
            const q = <usize>j << 2;
            const d = f32x4.sub(v128.load(row + q), v128.load(mt + q));
            v128.store(tileBuf + q, f32x4.add(v128.load(tileBuf + q), f32x4.mul(d, d)));
            v128.store(tileBuf2 + q, f32x4.add(v128.load(tileBuf2 + q), d));
          }
          for (; j < w; j++) {
            const d = load<f32>(at(row, j)) - load<f32>(at(mt, j));
            store<f32>(at(tileBuf, j), load<f32>(at(tileBuf, j)) + d * d);
            store<f32>(at(tileBuf2, j), load<f32>(at(tileBuf2, j)) + d);
          }
        }
        flushTile(tile64, tileBuf, w);
        flushTile(tile64b, tileBuf2, w);
      }
      for (j = 0; j < w; j++) {
        const sq = load<f64>(tile64 + (<usize>j << 3)), sd = load<f64>(tile64b + (<usize>j << 3));
        const v = <f32>((sq - sd * sd / <f64>n) / <f64>divisor);
        store<f32>(at(ot, j), takeSqrt ? Mathf.sqrt(v) : v);
        store<f32>(at(mt, j), <f32>(<f64>load<f32>(at(mt, j)) + sd / <f64>n));
      }
    }
  }
}

/**
 * Gradient of var/std: dx = c·(x − mean) with c = 2g/divisor (var) or g/(divisor·std) (std;
 * 0 where std is 0, as PyTorch). mean, res and g are laid out [outer, inner].
 */
export function momentsBackward(x: usize, mean: usize, res: usize, g: usize, dx: usize,
                                outer: i32, n: i32, inner: i32, divisor: f32, isStd: bool): void {
  // rows in order, v128 across inner; the coefficient is recomputed per element (one division)
  const two = f32x4.splat(2 / divisor), dv = f32x4.splat(divisor), zero = f32x4.splat(0);
  for (let o = 0; o < outer; o++) {
    const ro = o * inner;
    for (let k = 0; k < n; k++) {
      const base = (o * n + k) * inner;
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const q = <usize>(ro + j) << 2;
        const gv = v128.load(g + q);
        let c: v128;
        if (isStd) {
          const sv = v128.load(res + q);
          c = v128.bitselect(zero, f32x4.div(gv, f32x4.mul(dv, sv)), f32x4.eq(sv, zero));
        } else c = f32x4.mul(gv, two);
        const p = <usize>(base + j) << 2;
        v128.store(dx + p, f32x4.mul(c, f32x4.sub(v128.load(x + p), v128.load(mean + q))));
      }
      for (; j < inner; j++) {
        const r = ro + j;
        const gv = load<f32>(at(g, r));
        let c: f32;
        if (isStd) { const sv = load<f32>(at(res, r)); c = sv == 0 ? 0 : gv / (divisor * sv); }
        else c = 2 * gv / divisor;
        store<f32>(at(dx, base + j), c * (load<f32>(at(x, base + j)) - load<f32>(at(mean, r))));
      }
    }
  }
}

/**
 * e^x for x ≤ 0 in v128 (Cephes' expf: x = n·ln2 + r, a degree-6 polynomial for e^r, 2^n
 * through the exponent bits), within 2 ulp; below −87.3 it returns ~1e-38 instead of 0, which
 * no sum that contains e^0 = 1 can see.
 */
@inline function expNonPositive(x: v128): v128 {
  const v = f32x4.max(x, f32x4.splat(<f32>-87.33654));
  const fx = f32x4.nearest(f32x4.mul(v, f32x4.splat(<f32>1.44269504088896341)));
  let r = f32x4.sub(v, f32x4.mul(fx, f32x4.splat(<f32>0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(<f32>-2.12194440e-4)));
  const z = f32x4.mul(r, r);
  let y = f32x4.splat(<f32>1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(<f32>5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), f32x4.splat(<f32>1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2n);
}

/**
 * log Σ exp(x) along the middle axis, stably: m = max x first, then m + log Σ e^(x−m) with the
 * exponentials in v128. A row whose maximum is not finite gives it unchanged (all −inf or
 * empty: −inf; any +inf: +inf; NaN: NaN), as PyTorch.
 */
export function logsumexp(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (inner == 1) {
      const m: f32 = n == 0 ? <f32>-Infinity : extremeRow(base, n, true);
      if (!isFinite(m)) { store<f32>(ob, m); continue; }
      const mv = f32x4.splat(m);
      // blocked as sumRow: f32 over BLOCK elements, the partials in f64
      let t = f64x2.splat(0);
      let i = 0;
      while (i + 8 <= n) {
        const lim = min(i + BLOCK, n);
        let a0 = f32x4.splat(<f32>0), a1 = f32x4.splat(<f32>0);
        for (; i + 8 <= lim; i += 8) {
          const q = base + (<usize>i << 2);
          a0 = f32x4.add(a0, expNonPositive(f32x4.sub(v128.load(q), mv)));
          a1 = f32x4.add(a1, expNonPositive(f32x4.sub(v128.load(q, 16), mv)));
        }
        t = f64x2.add(t, widen(f32x4.add(a0, a1)));
      }
      let sum = hsum64(t);
      for (; i < n; i++) sum += <f64>Mathf.exp(load<f32>(at(base, i)) - m);
      store<f32>(ob, <f32>Math.log(sum) + m);
      continue;
    }
    // inner > 1: the maxima row by row into out, then Σ e^(x−m) over a tile of columns
    if (n == 0) { for (let j = 0; j < inner; j++) store<f32>(at(ob, j), <f32>-Infinity); continue; }
    extremeRows(ob, base, n, inner, true);
    for (let j0 = 0; j0 < inner; j0 += TILE) {
      const w = min(TILE, inner - j0);
      const mt = ob + (<usize>j0 << 2);
      memory.fill(tile64, 0, <usize>w << 3);
      // RB rows at a time into the f32 tile, each block's partials into the f64 tile
      for (let k0 = 0; k0 < n; k0 += RB) {
        const k1 = min(n, k0 + RB);
        memory.fill(tileBuf, 0, <usize>w << 2);
        for (let k = k0; k < k1; k++) {
          const row = base + (<usize>(k * inner + j0) << 2);
          let j = 0;
          for (; j + 4 <= w; j += 4) {
            const q = <usize>j << 2;
            // a non-finite maximum gives NaN or 0 here; those columns are overwritten below
            v128.store(tileBuf + q, f32x4.add(v128.load(tileBuf + q), expNonPositive(f32x4.sub(v128.load(row + q), v128.load(mt + q)))));
          }
          for (; j < w; j++) store<f32>(at(tileBuf, j), load<f32>(at(tileBuf, j)) + Mathf.exp(load<f32>(at(row, j)) - load<f32>(at(mt, j))));
        }
        flushTile(tile64, tileBuf, w);
      }
      for (let j = 0; j < w; j++) {
        const m = load<f32>(at(mt, j));
        if (isFinite(m)) store<f32>(at(mt, j), <f32>Math.log(load<f64>(tile64 + (<usize>j << 3))) + m);
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

/** a^p for a ≥ 0: repeated products for whole p up to 16 (the common 3, 4), else Mathf.pow. */
@inline function powAbs(a: f32, p: f32): f32 {
  const ip = <i32>p;
  if (<f32>ip == p && ip >= 1 && ip <= 16) {
    let r: f32 = a;
    for (let i = 1; i < ip; i++) r *= a;
    return r;
  }
  return Mathf.pow(a, p);
}

/**
 * Vector p-norm along the middle axis: p = 2 and 1 with v128 accumulators, ±inf the largest or
 * smallest |x|, 0 the count of non-zeros, any other p (Σ|x|^p)^(1/p).
 */
export function pnorm(x: usize, out: usize, outer: i32, n: i32, inner: i32, p: f32): void {
  const simple = p == 1 || p == 2;
  for (let o = 0; o < outer; o++) {
    const base = x + (<usize>(o * n * inner) << 2);
    const ob = out + (<usize>(o * inner) << 2);
    if (simple) {
      if (inner == 1) {
        // blocked as sumRow: f32 over BLOCK elements, the partials in f64
        let t = f64x2.splat(0);
        let i = 0;
        while (i + 16 <= n) {
          const lim = min(i + BLOCK, n);
          let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
          for (; i + 16 <= lim; i += 16) {
            const q = base + (<usize>i << 2);
            const v0 = v128.load(q), v1 = v128.load(q, 16), v2 = v128.load(q, 32), v3 = v128.load(q, 48);
            if (p == 2) {
              a0 = f32x4.add(a0, f32x4.mul(v0, v0)); a1 = f32x4.add(a1, f32x4.mul(v1, v1));
              a2 = f32x4.add(a2, f32x4.mul(v2, v2)); a3 = f32x4.add(a3, f32x4.mul(v3, v3));
            } else {
              a0 = f32x4.add(a0, f32x4.abs(v0)); a1 = f32x4.add(a1, f32x4.abs(v1));
              a2 = f32x4.add(a2, f32x4.abs(v2)); a3 = f32x4.add(a3, f32x4.abs(v3));
            }
          }
          t = f64x2.add(t, widen(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3))));
        }
        let r = hsum64(t);
        for (; i < n; i++) { const v = load<f32>(at(base, i)); r += <f64>(p == 2 ? v * v : Mathf.abs(v)); }
        store<f32>(ob, p == 2 ? <f32>Math.sqrt(r) : <f32>r);
        continue;
      }
      sumColumns(ob, base, n, inner, p == 2 ? 3 : 2);
      if (p == 2) for (let j = 0; j < inner; j++) store<f32>(at(ob, j), Mathf.sqrt(load<f32>(at(ob, j))));
      continue;
    }
    for (let j = 0; j < inner; j++) {
      // finite p sums in f64 (scalar, strided: no blocking needed)
      let r: f64 = p == Infinity ? 0 : p == -Infinity ? Infinity : 0;
      for (let k = 0; k < n; k++) {
        const a = Mathf.abs(load<f32>(at(base, k * inner + j)));
        if (p == Infinity) { if (a > r || a != a) r = a; if (r != r) break; }
        else if (p == -Infinity) { if (a < r || a != a) r = a; if (r != r) break; }
        else if (p == 0) r += a != 0 ? 1 : 0;
        else r += <f64>powAbs(a, p);
      }
      let rf = <f32>r;
      if (p != Infinity && p != -Infinity && p != 0) rf = Mathf.pow(rf, 1 / p);
      store<f32>(at(ob, j), rf);
    }
  }
}

/**
 * Gradient of a finite p-norm (the ∞-norms go through tieBackward): p = 1 g·sign(x); p = 0
 * zero; otherwise g·sign(x)·|x|^(p−1)/norm^(p−1), and 0 where x or the norm is 0 (as PyTorch).
 */
export function pnormBackward(x: usize, norm: usize, g: usize, dx: usize, outer: i32, n: i32, inner: i32, p: f32): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const r = o * inner + j;
      const gv = load<f32>(at(g, r)), nv = load<f32>(at(norm, r));
      const scale: f32 = p == 2 ? gv / nv : gv / powAbs(nv, p - 1);
      const base = o * n * inner + j;
      for (let k = 0; k < n; k++) {
        const i = base + k * inner;
        const v = load<f32>(at(x, i));
        let d: f32 = 0;
        if (p == 1) d = v > 0 ? gv : v < 0 ? -gv : 0;
        else if (p != 0 && v != 0 && nv != 0) {
          if (p == 2) d = v * scale;
          else d = (v > 0 ? scale : -scale) * powAbs(Mathf.abs(v), p - 1);
        }
        store<f32>(at(dx, i), d);
      }
    }
  }
}

/**
 * Running sum along the middle axis (reverse: from the end, the gradient of cumsum); f32 or
 * (isInt) i32. f32 runs in f64 (as PyTorch on CPU), each output rounded once: rows (inner == 1)
 * scalar, inner > 1 over a tile of columns with the running sums in the f64 tile, v128 (two
 * f64x2 per four columns). i32 adds whole rows, v128 across inner.
 */
export function cumsum(x: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool, isInt: bool): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    if (inner == 1) {
      if (isInt) {
        let s: i32 = 0;
        for (let t = 0; t < n; t++) { const k = reverse ? n - 1 - t : t; s += load<i32>(at(x, base + k)); store<i32>(at(out, base + k), s); }
      } else {
        // four at a time with the running sum's chain one add long: s + x0, s + (x0 + x1), ...
        // (the f32 inputs' partial sums are exact in f64 but for exponents 29+ binades apart)
        let s: f64 = 0;
        let t = 0;
        for (; t + 4 <= n; t += 4) {
          const k = reverse ? n - 1 - t : t;
          const d = reverse ? -1 : 1;
          const x0 = <f64>load<f32>(at(x, base + k)), p1 = x0 + <f64>load<f32>(at(x, base + k + d));
          const p2 = p1 + <f64>load<f32>(at(x, base + k + 2 * d)), p3 = p2 + <f64>load<f32>(at(x, base + k + 3 * d));
          store<f32>(at(out, base + k), <f32>(s + x0)); store<f32>(at(out, base + k + d), <f32>(s + p1));
          store<f32>(at(out, base + k + 2 * d), <f32>(s + p2));
          s += p3;
          store<f32>(at(out, base + k + 3 * d), <f32>s);
        }
        for (; t < n; t++) { const k = reverse ? n - 1 - t : t; s += <f64>load<f32>(at(x, base + k)); store<f32>(at(out, base + k), <f32>s); }
      }
      continue;
    }
    if (!isInt) {
      for (let j0 = 0; j0 < inner; j0 += TILE) {
        const w = min(TILE, inner - j0);
        memory.fill(tile64, 0, <usize>w << 3);
        for (let t = 0; t < n; t++) {
          const k = reverse ? n - 1 - t : t;
          const off = base + k * inner + j0;
          const row = at(x, off), orow = at(out, off);
          let j = 0;
          for (; j + 4 <= w; j += 4) {
            const v = v128.load(row + (<usize>j << 2)), q = tile64 + (<usize>j << 3);
            const lo = f64x2.add(v128.load(q), f64x2.promote_low_f32x4(v));
            const hi = f64x2.add(v128.load(q, 16), f64x2.promote_low_f32x4(i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
            v128.store(q, lo); v128.store(q, hi, 16);
            const dl = f32x4.demote_f64x2_zero(lo), dh = f32x4.demote_f64x2_zero(hi);
            v128.store(orow + (<usize>j << 2), i8x16.shuffle(dl, dh, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
          }
          for (; j < w; j++) {
            const q = tile64 + (<usize>j << 3);
            const s = load<f64>(q) + <f64>load<f32>(at(row, j));
            store<f64>(q, s);
            store<f32>(at(orow, j), <f32>s);
          }
        }
      }
      continue;
    }
    for (let t = 0; t < n; t++) {
      const k = reverse ? n - 1 - t : t;
      const row = at(x, base + k * inner), orow = at(out, base + k * inner);
      if (t == 0) { memory.copy(orow, row, <usize>inner << 2); continue; }
      const prev = at(out, base + (reverse ? k + 1 : k - 1) * inner);
      let j = 0;
      for (; j + 4 <= inner; j += 4) {
        const q = <usize>j << 2;
        v128.store(orow + q, isInt ? i32x4.add(v128.load(prev + q), v128.load(row + q)) : f32x4.add(v128.load(prev + q), v128.load(row + q)));
      }
      for (; j < inner; j++) {
        if (isInt) store<i32>(at(orow, j), load<i32>(at(prev, j)) + load<i32>(at(row, j)));
        else store<f32>(at(orow, j), load<f32>(at(prev, j)) + load<f32>(at(row, j)));
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
