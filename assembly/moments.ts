// var/std (moments, momentsBackward), p-norms (pnorm, pnormBackward) and logsumexp along the
// middle axis of [outer, n, inner], their sums blocked as the plain reductions' (reduce_rows).
import { at, TILE, tileBuf, tileBuf2, tile64, tile64b, BLOCK, RB, widen, hsum64, flushTile, zeroTile } from './reduce_tiles';
import { extremeRow, extremeRows, sumRow, sumColumns } from './reduce_rows';
import { expNonPositive } from './vexp';

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
      zeroTile(tile64, <usize>w << 3);
      zeroTile(tile64b, <usize>w << 3);
      const mt = mb + (<usize>j0 << 2), ot = ob + (<usize>j0 << 2);
      for (let k0 = 0; k0 < n; k0 += RB) {
        const k1 = min(n, k0 + RB);
        zeroTile(tileBuf, <usize>w << 2);
        zeroTile(tileBuf2, <usize>w << 2);
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
      zeroTile(tile64, <usize>w << 3);
      // RB rows at a time into the f32 tile, each block's partials into the f64 tile
      for (let k0 = 0; k0 < n; k0 += RB) {
        const k1 = min(n, k0 + RB);
        zeroTile(tileBuf, <usize>w << 2);
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
