// Normalization layers, forward and backward, each one fused kernel per direction:
// rowNorm / rowNormBackward (LayerNorm and GroupNorm: statistics per contiguous row, the affine
// per channel inside it) and batchNorm / batchNormBackward (statistics per channel over [N, ·, L]).
// Statistics take one pass: Σ(x − k) and Σ(x − k)² with k the run's first element (a shift that
// keeps the one-pass variance from cancelling when |mean| ≫ std), in f32 v128 accumulators over
// BLOCK elements whose partials are added in f64 (as the plain reductions). BatchNorm of [N, C]
// (L == 1) walks rows in memory order over tiles of channels (reduce_tiles' static tiles) instead.
import { at, BLOCK, TILE, RB, tileBuf, tileBuf2, tile64, tile64b, flushTile, zeroTile } from './reduce_tiles';

// Results of the run helpers (AssemblyScript has no tuples): two f64 sums.
let gA: f64 = 0;
let gB: f64 = 0;

/** gA += Σ(x − k), gB += Σ(x − k)² over n contiguous elements. */
function shiftedSums(p: usize, n: i32, k: f32): void {
  const kv = f32x4.splat(k);
  let sa = f64x2.splat(0), sb = f64x2.splat(0);
  let i = 0;
  while (i + 8 <= n) {
    const lim = min(i + BLOCK, n);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), q0 = f32x4.splat(0), q1 = f32x4.splat(0);
    for (; i + 8 <= lim; i += 8) {
      const q = p + (<usize>i << 2);
      const d0 = f32x4.sub(v128.load(q), kv), d1 = f32x4.sub(v128.load(q, 16), kv);
      s0 = f32x4.add(s0, d0); s1 = f32x4.add(s1, d1);
      q0 = f32x4.add(q0, f32x4.mul(d0, d0)); q1 = f32x4.add(q1, f32x4.mul(d1, d1));
    }
    sa = f64x2.add(sa, widen2(f32x4.add(s0, s1)));
    sb = f64x2.add(sb, widen2(f32x4.add(q0, q1)));
  }
  let a = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
  let b = f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1);
  for (; i < n; i++) { const d = <f64>(load<f32>(at(p, i)) - k); a += d; b += d * d; }
  gA += a; gB += b;
}

/** gA += Σ dy, gB += Σ dy·(x − m) over n contiguous elements. */
function gradSums(dy: usize, x: usize, n: i32, m: f32): void {
  const mv = f32x4.splat(m);
  let sa = f64x2.splat(0), sb = f64x2.splat(0);
  let i = 0;
  while (i + 8 <= n) {
    const lim = min(i + BLOCK, n);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
    for (; i + 8 <= lim; i += 8) {
      const o = <usize>i << 2;
      const g0 = v128.load(dy + o), g1 = v128.load(dy + o, 16);
      a0 = f32x4.add(a0, g0); a1 = f32x4.add(a1, g1);
      b0 = f32x4.add(b0, f32x4.mul(g0, f32x4.sub(v128.load(x + o), mv)));
      b1 = f32x4.add(b1, f32x4.mul(g1, f32x4.sub(v128.load(x + o, 16), mv)));
    }
    sa = f64x2.add(sa, widen2(f32x4.add(a0, a1)));
    sb = f64x2.add(sb, widen2(f32x4.add(b0, b1)));
  }
  let a = f64x2.extract_lane(sa, 0) + f64x2.extract_lane(sa, 1);
  let b = f64x2.extract_lane(sb, 0) + f64x2.extract_lane(sb, 1);
  for (; i < n; i++) { const g = <f64>load<f32>(at(dy, i)); a += g; b += g * <f64>(load<f32>(at(x, i)) - m); }
  gA += a; gB += b;
}

// (x − m) is formed first in both: x·s − m·s would cancel when |mean| ≫ std. The forward
// subtracts the mean as two f32 parts, m + lo (lo the rounding error of the f32 mean): x − m is
// exact for x near m, so the deviations keep their bits when |mean| ≫ std.
/** out[i] = (x[i] − m − lo)·s + t over n contiguous elements (the normalize + affine of one run). */
function scaleShift(x: usize, out: usize, n: i32, m: f32, lo: f32, s: f32, t: f32): void {
  const mv = f32x4.splat(m), lv = f32x4.splat(lo), sv = f32x4.splat(s), tv = f32x4.splat(t);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(f32x4.mul(f32x4.sub(f32x4.sub(v128.load(x + o), mv), lv), sv), tv));
  }
  for (; i < n; i++) store<f32>(at(out, i), (load<f32>(at(x, i)) - m - lo) * s + t);
}

// The f32 rounding error of the last mean finishChannel computed.
let gLo: f32 = 0;
// Per-channel coefficients of the [N, C] backward (beside reduce_tiles' tileBuf and tileBuf2).
const kTile = memory.data(TILE * 4, 16);

/** dx[i] = k1·dy[i] + k2·(x[i] − m) + k3 over n contiguous elements (a fused backward's last pass). */
function gradAffine(dy: usize, x: usize, dx: usize, n: i32, m: f32, k1: f32, k2: f32, k3: f32): void {
  const mv = f32x4.splat(m), v1 = f32x4.splat(k1), v2 = f32x4.splat(k2), v3 = f32x4.splat(k3);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.add(f32x4.add(f32x4.mul(v128.load(dy + o), v1), f32x4.mul(f32x4.sub(v128.load(x + o), mv), v2)), v3));
  }
  for (; i < n; i++) store<f32>(at(dx, i), load<f32>(at(dy, i)) * k1 + (load<f32>(at(x, i)) - m) * k2 + k3);
}

/** The four f32 lanes as two f64 pairs summed. */
@inline function widen2(s: v128): v128 {
  return f64x2.add(f64x2.promote_low_f32x4(s), f64x2.promote_low_f32x4(i8x16.shuffle(s, s, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7)));
}

@inline function rsqrtOf(v: f64, eps: f32): f32 { return <f32>(1 / Math.sqrt(v + <f64>eps)); }

// flags of the forward kernels
const HAS_W: i32 = 1, HAS_B: i32 = 2, TRAINING: i32 = 4, UPDATE: i32 = 8;
// flags of the backward kernels (HAS_W and TRAINING as above)
const NEED_DX: i32 = 16, NEED_DW: i32 = 32, NEED_DB: i32 = 64;

/**
 * LayerNorm and GroupNorm forward: `rows` rows of n = cpr·L contiguous elements; row r belongs to
 * group g = r % G and holds channels c = g·cpr + k (k < cpr), each L elements long; w and b (flags
 * HAS_W, HAS_B) are per channel. Writes y, and each row's mean and 1/√(var + eps) (biased var).
 */
export function rowNorm(x: usize, y: usize, mean: usize, rstd: usize, w: usize, b: usize,
                        rows: i32, G: i32, cpr: i32, L: i32, eps: f32, flags: i32): void {
  const n = cpr * L;
  const hasW = (flags & HAS_W) != 0, hasB = (flags & HAS_B) != 0;
  for (let r = 0; r < rows; r++) {
    const xr = x + (<usize>(r * n) << 2), yr = y + (<usize>(r * n) << 2);
    let m: f32 = <f32>NaN, rs: f32 = <f32>NaN, lo: f32 = 0;
    if (n > 0) {
      const k = load<f32>(xr);
      gA = 0; gB = 0;
      shiftedSums(xr, n, k);
      const dm = gA / <f64>n;
      m = <f32>(<f64>k + dm);
      lo = <f32>((<f64>k + dm) - <f64>m);
      rs = rsqrtOf(max(0, gB / <f64>n - dm * dm), eps);
    }
    store<f32>(at(mean, r), m);
    store<f32>(at(rstd, r), rs);
    const c0 = (r % G) * cpr;
    if (L == 1) {
      // the LayerNorm shape: the affine varies per element, so v128 across channels
      const mv = f32x4.splat(m), lv = f32x4.splat(lo), rv = f32x4.splat(rs), one = f32x4.splat(1), zero = f32x4.splat(0);
      const wp = w + (<usize>c0 << 2), bp = b + (<usize>c0 << 2);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        const h = f32x4.mul(f32x4.sub(f32x4.sub(v128.load(xr + o), mv), lv), rv);
        const wv = hasW ? v128.load(wp + o) : one, bv = hasB ? v128.load(bp + o) : zero;
        v128.store(yr + o, f32x4.add(f32x4.mul(h, wv), bv));
      }
      for (; j < n; j++) {
        const h = (load<f32>(at(xr, j)) - m - lo) * rs;
        store<f32>(at(yr, j), h * (hasW ? load<f32>(at(wp, j)) : 1) + (hasB ? load<f32>(at(bp, j)) : 0));
      }
    } else {
      for (let kk = 0; kk < cpr; kk++) {
        const c = c0 + kk;
        const s = rs * (hasW ? load<f32>(at(w, c)) : 1);
        const t: f32 = hasB ? load<f32>(at(b, c)) : 0;
        scaleShift(xr + (<usize>(kk * L) << 2), yr + (<usize>(kk * L) << 2), L, m, lo, s, t);
      }
    }
  }
}

/**
 * LayerNorm and GroupNorm backward (layout as rowNorm): with h = (x − mean)·rstd and gw = dy·w,
 * dx = rstd·(gw − mean(gw) − h·mean(gw·h)) per row; dw[c] = Σ dy·h and db[c] = Σ dy over rows
 * (both zeroed here first). Flags NEED_DX, NEED_DW, NEED_DB say which are written.
 */
export function rowNormBackward(x: usize, dy: usize, mean: usize, rstd: usize, w: usize,
                                dx: usize, dw: usize, db: usize, rows: i32, G: i32, cpr: i32, L: i32, flags: i32): void {
  const n = cpr * L, C = G * cpr;
  const hasW = (flags & HAS_W) != 0, needDx = (flags & NEED_DX) != 0;
  const needDw = (flags & NEED_DW) != 0, needDb = (flags & NEED_DB) != 0;
  if (needDw) memory.fill(dw, 0, <usize>C << 2);
  if (needDb) memory.fill(db, 0, <usize>C << 2);
  for (let r = 0; r < rows; r++) {
    const o0 = <usize>(r * n) << 2;
    const xr = x + o0, gr = dy + o0, dr = dx + o0;
    const m = load<f32>(at(mean, r)), rs = load<f32>(at(rstd, r));
    const c0 = (r % G) * cpr;
    // pass 1: Σ gw and Σ gw·(x − m) over the row; dw and db accumulate on the way
    let sg: f64 = 0, sgx: f64 = 0;
    if (L == 1) {
      const mv = f32x4.splat(m), rv = f32x4.splat(rs);
      const wp = w + (<usize>c0 << 2), dwp = dw + (<usize>c0 << 2), dbp = db + (<usize>c0 << 2);
      let ta = f64x2.splat(0), tb = f64x2.splat(0);
      let j = 0;
      while (j + 4 <= n) {
        const lim = min(j + BLOCK, n);
        let a0 = f32x4.splat(0), b0 = f32x4.splat(0);
        for (; j + 4 <= lim; j += 4) {
          const o = <usize>j << 2;
          const g = v128.load(gr + o), d = f32x4.sub(v128.load(xr + o), mv);
          const gw = hasW ? f32x4.mul(g, v128.load(wp + o)) : g;
          a0 = f32x4.add(a0, gw);
          b0 = f32x4.add(b0, f32x4.mul(gw, d));
          if (needDw) v128.store(dwp + o, f32x4.add(v128.load(dwp + o), f32x4.mul(g, f32x4.mul(d, rv))));
          if (needDb) v128.store(dbp + o, f32x4.add(v128.load(dbp + o), g));
        }
        ta = f64x2.add(ta, widen2(a0));
        tb = f64x2.add(tb, widen2(b0));
      }
      sg = f64x2.extract_lane(ta, 0) + f64x2.extract_lane(ta, 1);
      sgx = f64x2.extract_lane(tb, 0) + f64x2.extract_lane(tb, 1);
      for (; j < n; j++) {
        const g = load<f32>(at(gr, j)), d = load<f32>(at(xr, j)) - m;
        const gw = hasW ? g * load<f32>(at(wp, j)) : g;
        sg += <f64>gw; sgx += <f64>(gw * d);
        if (needDw) store<f32>(at(dwp, j), load<f32>(at(dwp, j)) + g * d * rs);
        if (needDb) store<f32>(at(dbp, j), load<f32>(at(dbp, j)) + g);
      }
    } else {
      for (let kk = 0; kk < cpr; kk++) {
        const c = c0 + kk, o = <usize>(kk * L) << 2;
        gA = 0; gB = 0;
        gradSums(gr + o, xr + o, L, m);
        const wc: f64 = hasW ? <f64>load<f32>(at(w, c)) : 1;
        sg += wc * gA; sgx += wc * gB;
        if (needDw) store<f32>(at(dw, c), load<f32>(at(dw, c)) + <f32>(gB * <f64>rs));
        if (needDb) store<f32>(at(db, c), load<f32>(at(db, c)) + <f32>gA);
      }
    }
    if (!needDx) continue;
    // pass 2: dx = rs·w·dy + k2·(x − m) + k3, with k2 = −rs³·Σgw·(x−m)/n and k3 = −rs·Σgw/n
    const k2 = <f32>(-<f64>rs * <f64>rs * <f64>rs * sgx / <f64>n);
    const k3 = <f32>(-<f64>rs * sg / <f64>n);
    if (L == 1) {
      const mv = f32x4.splat(m), rv = f32x4.splat(rs), v2 = f32x4.splat(k2), v3 = f32x4.splat(k3);
      const wp = w + (<usize>c0 << 2);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        const g = v128.load(gr + o);
        const a = hasW ? f32x4.mul(f32x4.mul(g, v128.load(wp + o)), rv) : f32x4.mul(g, rv);
        v128.store(dr + o, f32x4.add(f32x4.add(a, f32x4.mul(f32x4.sub(v128.load(xr + o), mv), v2)), v3));
      }
      for (; j < n; j++) {
        const g = load<f32>(at(gr, j));
        store<f32>(at(dr, j), g * (hasW ? load<f32>(at(wp, j)) : 1) * rs + (load<f32>(at(xr, j)) - m) * k2 + k3);
      }
    } else {
      for (let kk = 0; kk < cpr; kk++) {
        const o = <usize>(kk * L) << 2;
        gradAffine(gr + o, xr + o, dr + o, L, m, rs * (hasW ? load<f32>(at(w, c0 + kk)) : 1), k2, k3);
      }
    }
  }
}

/**
 * BatchNorm forward over x of shape [N, C, L]: per channel, the batch's mean and biased variance
 * (TRAINING) or the running ones (rm, rv), y = (x − mean)·rstd·w + b. With UPDATE (and TRAINING)
 * the running statistics are updated in place: r = (1 − momentum)·r + momentum·stat, the variance
 * unbiased (× count/(count − 1)). mean and rstd (length C) are written for backward.
 */
export function batchNorm(x: usize, y: usize, mean: usize, rstd: usize, w: usize, b: usize, rm: usize, rv: usize,
                          N: i32, C: i32, L: i32, eps: f32, momentum: f32, flags: i32): void {
  const hasW = (flags & HAS_W) != 0, hasB = (flags & HAS_B) != 0;
  const training = (flags & TRAINING) != 0, update = (flags & UPDATE) != 0;
  const count = N * L, CL = C * L;
  const fc = <f64>count;
  // [N, C] (one element per channel and sample): row-major passes over tiles of channels
  if (L == 1) { columnsForward(x, y, mean, rstd, w, b, rm, rv, N, C, eps, momentum, flags); return; }
  for (let c = 0; c < C; c++) {
    const co = <usize>(c * L) << 2;
    if (training) {
      const k: f32 = count > 0 ? load<f32>(x + co) : 0;
      gA = 0; gB = 0;
      for (let r = 0; r < N; r++) shiftedSums(x + (<usize>(r * CL) << 2) + co, L, k);
      finishChannel(c, <f64>k, gA, gB, fc, mean, rstd, rm, rv, eps, momentum, update);
    } else { runningStats(c, mean, rstd, rm, rv, eps); gLo = 0; }
    const m = load<f32>(at(mean, c)), rs = load<f32>(at(rstd, c));
    const s = rs * (hasW ? load<f32>(at(w, c)) : 1);
    const t: f32 = hasB ? load<f32>(at(b, c)) : 0;
    for (let r = 0; r < N; r++) {
      const o = (<usize>(r * CL) << 2) + co;
      scaleShift(x + o, y + o, L, m, gLo, s, t);
    }
  }
}

/**
 * batchNorm for [N, C] (L == 1), TILE channels at a time: the shifted sums (shift: row 0) row by
 * row into the f32 tiles, RB rows per block flushed into the f64 tiles; then the per-channel
 * mean, rstd, scale and the mean's rounding error into tiles; then y row by row. Every pass walks
 * rows in memory order with independent v128 updates (a channel-major walk reads one 16-byte
 * group per row and chains its adds).
 */
function columnsForward(x: usize, y: usize, mean: usize, rstd: usize, w: usize, b: usize, rm: usize, rv: usize,
                        N: i32, C: i32, eps: f32, momentum: f32, flags: i32): void {
  const hasW = (flags & HAS_W) != 0, hasB = (flags & HAS_B) != 0;
  const training = (flags & TRAINING) != 0, update = (flags & UPDATE) != 0;
  const rowBytes = <usize>C << 2;
  for (let j0 = 0; j0 < C; j0 += TILE) {
    const wd = min(TILE, C - j0);
    const xt = x + (<usize>j0 << 2);
    if (training) {
      zeroTile(tile64, <usize>wd << 3);
      zeroTile(tile64b, <usize>wd << 3);
      for (let r0 = 0; r0 < N; r0 += RB) {
        const r1 = min(N, r0 + RB);
        zeroTile(tileBuf, <usize>wd << 2);
        zeroTile(tileBuf2, <usize>wd << 2);
        for (let r = r0; r < r1; r++) {
          const row = xt + <usize>r * rowBytes;
          let j = 0;
          for (; j + 4 <= wd; j += 4) {
            const o = <usize>j << 2;
            const d = f32x4.sub(v128.load(row + o), v128.load(xt + o));
            v128.store(tileBuf + o, f32x4.add(v128.load(tileBuf + o), d));
            v128.store(tileBuf2 + o, f32x4.add(v128.load(tileBuf2 + o), f32x4.mul(d, d)));
          }
          for (; j < wd; j++) {
            const d = load<f32>(at(row, j)) - load<f32>(at(xt, j));
            store<f32>(at(tileBuf, j), load<f32>(at(tileBuf, j)) + d);
            store<f32>(at(tileBuf2, j), load<f32>(at(tileBuf2, j)) + d * d);
          }
        }
        flushTile(tile64, tileBuf, wd);
        flushTile(tile64b, tileBuf2, wd);
      }
    }
    // per channel: mean, rstd (and the running update); lo into tileBuf, scale into tileBuf2
    for (let j = 0; j < wd; j++) {
      const c = j0 + j;
      if (training) {
        finishChannel(c, <f64>load<f32>(at(xt, j)), load<f64>(tile64 + (<usize>j << 3)), load<f64>(tile64b + (<usize>j << 3)),
          <f64>N, mean, rstd, rm, rv, eps, momentum, update);
      } else { runningStats(c, mean, rstd, rm, rv, eps); gLo = 0; }
      store<f32>(at(tileBuf, j), gLo);
      store<f32>(at(tileBuf2, j), load<f32>(at(rstd, c)) * (hasW ? load<f32>(at(w, c)) : 1));
    }
    const mt = mean + (<usize>j0 << 2), bt = b + (<usize>j0 << 2), yt = y + (<usize>j0 << 2);
    for (let r = 0; r < N; r++) {
      const xr = xt + <usize>r * rowBytes, yr = yt + <usize>r * rowBytes;
      let j = 0;
      for (; j + 4 <= wd; j += 4) {
        const o = <usize>j << 2;
        const d = f32x4.sub(f32x4.sub(v128.load(xr + o), v128.load(mt + o)), v128.load(tileBuf + o));
        const t = hasB ? v128.load(bt + o) : f32x4.splat(0);
        v128.store(yr + o, f32x4.add(f32x4.mul(d, v128.load(tileBuf2 + o)), t));
      }
      for (; j < wd; j++) {
        const d = load<f32>(at(xr, j)) - load<f32>(at(mt, j)) - load<f32>(at(tileBuf, j));
        store<f32>(at(yr, j), d * load<f32>(at(tileBuf2, j)) + (hasB ? load<f32>(at(bt, j)) : 0));
      }
    }
  }
}

/** Evaluation: a channel's mean and rstd are the running ones. */
@inline function runningStats(c: i32, mean: usize, rstd: usize, rm: usize, rv: usize, eps: f32): void {
  store<f32>(at(mean, c), load<f32>(at(rm, c)));
  store<f32>(at(rstd, c), rsqrtOf(<f64>load<f32>(at(rv, c)), eps));
}

/** A channel's mean and rstd from its shifted sums; the running statistics' update. */
function finishChannel(c: i32, k: f64, S: f64, Q: f64, count: f64, mean: usize, rstd: usize, rm: usize, rv: usize,
                       eps: f32, momentum: f32, update: bool): void {
  const dm = S / count;
  const m = k + dm;
  const v = max(0, Q / count - dm * dm);
  store<f32>(at(mean, c), <f32>m);
  gLo = <f32>(m - <f64><f32>m);
  store<f32>(at(rstd, c), rsqrtOf(v, eps));
  if (update) {
    const mo = <f64>momentum;
    const unbiased = v * count / (count - 1);
    store<f32>(at(rm, c), <f32>((1 - mo) * <f64>load<f32>(at(rm, c)) + mo * m));
    store<f32>(at(rv, c), <f32>((1 - mo) * <f64>load<f32>(at(rv, c)) + mo * unbiased));
  }
}

/**
 * BatchNorm backward over [N, C, L] with the forward's mean and rstd per channel: dw[c] = Σ dy·h,
 * db[c] = Σ dy (h = (x − mean)·rstd); dx = w·rstd·(dy − Σdy/M − h·Σdy·h/M) in training (M = N·L),
 * w·rstd·dy with running statistics. Flags: HAS_W, TRAINING, NEED_DX, NEED_DW, NEED_DB.
 */
export function batchNormBackward(x: usize, dy: usize, mean: usize, rstd: usize, w: usize,
                                  dx: usize, dw: usize, db: usize, N: i32, C: i32, L: i32, flags: i32): void {
  const hasW = (flags & HAS_W) != 0, training = (flags & TRAINING) != 0, needDx = (flags & NEED_DX) != 0;
  const needDw = (flags & NEED_DW) != 0, needDb = (flags & NEED_DB) != 0;
  const CL = C * L;
  const M = <f64>(N * L);
  if (L == 1) { columnsBackward(x, dy, mean, rstd, w, dx, dw, db, N, C, flags); return; }
  for (let c = 0; c < C; c++) {
    const co = <usize>(c * L) << 2;
    const m = load<f32>(at(mean, c)), rs = load<f32>(at(rstd, c));
    const wc: f32 = hasW ? load<f32>(at(w, c)) : 1;
    let sdy: f64 = 0, sdx: f64 = 0;
    if (needDw || needDb || (needDx && training)) {
      gA = 0; gB = 0;
      for (let r = 0; r < N; r++) {
        const o = (<usize>(r * CL) << 2) + co;
        gradSums(dy + o, x + o, L, m);
      }
      sdy = gA; sdx = gB;
    }
    if (needDw) store<f32>(at(dw, c), <f32>(sdx * <f64>rs));
    if (needDb) store<f32>(at(db, c), <f32>sdy);
    if (!needDx) continue;
    const k1 = wc * rs;
    let k2: f32 = 0, k3: f32 = 0;
    if (training) {
      k2 = <f32>(-<f64>k1 * <f64>rs * <f64>rs * sdx / M);
      k3 = <f32>(-<f64>k1 * sdy / M);
    }
    for (let r = 0; r < N; r++) {
      const o = (<usize>(r * CL) << 2) + co;
      gradAffine(dy + o, x + o, dx + o, L, m, k1, k2, k3);
    }
  }
}

/**
 * batchNormBackward for [N, C] (L == 1), TILE channels at a time: Σdy and Σdy·(x − mean) row by
 * row into the f32 tiles (RB-row blocks flushed to f64), then dw, db and dx's per-channel
 * coefficients (k1 in tileBuf, k2 in tileBuf2, k3 in kTile), then dx row by row.
 */
function columnsBackward(x: usize, dy: usize, mean: usize, rstd: usize, w: usize, dx: usize, dw: usize, db: usize,
                         N: i32, C: i32, flags: i32): void {
  const hasW = (flags & HAS_W) != 0, training = (flags & TRAINING) != 0, needDx = (flags & NEED_DX) != 0;
  const needDw = (flags & NEED_DW) != 0, needDb = (flags & NEED_DB) != 0;
  const needSums = needDw || needDb || (needDx && training);
  const rowBytes = <usize>C << 2;
  const M = <f64>N;
  for (let j0 = 0; j0 < C; j0 += TILE) {
    const wd = min(TILE, C - j0);
    const jo = <usize>j0 << 2;
    const xt = x + jo, gt = dy + jo, mt = mean + jo;
    zeroTile(tile64, <usize>wd << 3);
    zeroTile(tile64b, <usize>wd << 3);
    if (needSums) {
      for (let r0 = 0; r0 < N; r0 += RB) {
        const r1 = min(N, r0 + RB);
        zeroTile(tileBuf, <usize>wd << 2);
        zeroTile(tileBuf2, <usize>wd << 2);
        for (let r = r0; r < r1; r++) {
          const xr = xt + <usize>r * rowBytes, gr = gt + <usize>r * rowBytes;
          let j = 0;
          for (; j + 4 <= wd; j += 4) {
            const o = <usize>j << 2;
            const g = v128.load(gr + o);
            v128.store(tileBuf + o, f32x4.add(v128.load(tileBuf + o), g));
            v128.store(tileBuf2 + o, f32x4.add(v128.load(tileBuf2 + o), f32x4.mul(g, f32x4.sub(v128.load(xr + o), v128.load(mt + o)))));
          }
          for (; j < wd; j++) {
            const g = load<f32>(at(gr, j));
            store<f32>(at(tileBuf, j), load<f32>(at(tileBuf, j)) + g);
            store<f32>(at(tileBuf2, j), load<f32>(at(tileBuf2, j)) + g * (load<f32>(at(xr, j)) - load<f32>(at(mt, j))));
          }
        }
        flushTile(tile64, tileBuf, wd);
        flushTile(tile64b, tileBuf2, wd);
      }
    }
    for (let j = 0; j < wd; j++) {
      const c = j0 + j;
      const sdy = load<f64>(tile64 + (<usize>j << 3)), sdx = load<f64>(tile64b + (<usize>j << 3));
      const rs = load<f32>(at(rstd, c));
      if (needDw) store<f32>(at(dw, c), <f32>(sdx * <f64>rs));
      if (needDb) store<f32>(at(db, c), <f32>sdy);
      const k1 = (hasW ? load<f32>(at(w, c)) : 1) * rs;
      store<f32>(at(tileBuf, j), k1);
      store<f32>(at(tileBuf2, j), training ? <f32>(-<f64>k1 * <f64>rs * <f64>rs * sdx / M) : 0);
      store<f32>(at(kTile, j), training ? <f32>(-<f64>k1 * sdy / M) : 0);
    }
    if (!needDx) continue;
    const dt = dx + jo;
    for (let r = 0; r < N; r++) {
      const xr = xt + <usize>r * rowBytes, gr = gt + <usize>r * rowBytes, dr = dt + <usize>r * rowBytes;
      let j = 0;
      for (; j + 4 <= wd; j += 4) {
        const o = <usize>j << 2;
        const a = f32x4.mul(v128.load(gr + o), v128.load(tileBuf + o));
        const bq = f32x4.mul(f32x4.sub(v128.load(xr + o), v128.load(mt + o)), v128.load(tileBuf2 + o));
        v128.store(dr + o, f32x4.add(f32x4.add(a, bq), v128.load(kTile + o)));
      }
      for (; j < wd; j++) {
        store<f32>(at(dr, j), load<f32>(at(gr, j)) * load<f32>(at(tileBuf, j))
          + (load<f32>(at(xr, j)) - load<f32>(at(mt, j))) * load<f32>(at(tileBuf2, j)) + load<f32>(at(kTile, j)));
      }
    }
  }
}
