// Fused losses. Per-sample values go to `out`; the caller reduces ('mean' | 'sum' | 'none').

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// ---- class losses over [outer, C, inner] ----------------------------------------------------
// Logits (or log-probabilities) are [outer, C, inner] (PyTorch's [N, C, d1, ...]; inner = 1 for
// [N, C] and [C]): sample r = o·inner + i reads its classes with a stride of inner elements, and
// class-index targets, per-sample losses and gradients' g are indexed by r. `w` holds C class
// weights, or is 0 for none. `reduce` 1 writes out[0] = scale·Σ_r loss_r instead of out[r].

@inline function wOf(w: usize, c: i32): f32 { return w == 0 ? <f32>1 : load<f32>(at(w, c)); }
@inline function rowAt(p: usize, o: i32, C: i32, inner: i32, i: i32): usize {
  return p + ((<usize>o * <usize>C * <usize>inner + <usize>i) << 2);
}

/** log-softmax of one strided row into lrow; returns Σ_c w_c·(−logp_c) when `smooth`, else 0. */
@inline function logSoftmaxRow(row: usize, lrow: usize, C: i32, cs: usize, w: usize, smooth: bool): f32 {
  let m = load<f32>(row);
  for (let c = 1; c < C; c++) m = Mathf.max(m, load<f32>(row + <usize>c * cs));
  let s: f32 = 0;
  for (let c = 0; c < C; c++) s += Mathf.exp(load<f32>(row + <usize>c * cs) - m);
  // (x − m) − log s: m + log s would round at m's scale (logits of ±1e4 lose ~2e-4)
  const ls = Mathf.log(s);
  let sm: f32 = 0;
  for (let c = 0; c < C; c++) {
    const lp = (load<f32>(row + <usize>c * cs) - m) - ls;
    store<f32>(lrow + <usize>c * cs, lp);
    if (smooth) sm -= wOf(w, c) * lp;
  }
  return sm;
}

/**
 * Cross-entropy with class indices, class weights and label smoothing ε (PyTorch's formula):
 * loss_r = (1−ε)·w[t]·(−logp[t]) + ε/C·Σ_c w_c·(−logp_c), 0 where t_r is ignoreIndex; logp
 * (input layout) keeps log-softmax for backward. The caller checked every other t_r is in [0, C).
 */
export function crossEntropyNd(x: usize, t: usize, w: usize, out: usize, logp: usize, outer: i32, C: i32, inner: i32,
                               ignoreIndex: i32, smoothing: f32, reduce: i32, scale: f32): void {
  const cs = <usize>inner << 2;
  const smooth = smoothing != 0;
  const eC = smoothing / <f32>C;
  let total: f64 = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const r = o * inner + i;
      const lrow = rowAt(logp, o, C, inner, i);
      const sm = logSoftmaxRow(rowAt(x, o, C, inner, i), lrow, C, cs, w, smooth);
      const ti = load<i32>(at(t, r));
      let l: f32 = 0;
      if (ti != ignoreIndex) {
        l = -(<f32>1 - smoothing) * wOf(w, ti) * load<f32>(lrow + <usize>ti * cs);
        if (smooth) l += eC * sm;
      }
      if (reduce) total += <f64>l; else store<f32>(at(out, r), l);
    }
  }
  if (reduce) store<f32>(out, <f32>(total * <f64>scale));
}

/**
 * dx_c = g_r·scale·[(1−ε)·w[t]·(p_c − [c = t]) + ε/C·(p_c·Σw − w_c)], 0 for ignored samples
 * (gs = 0 reads one scalar gradient for a reduced loss).
 */
export function crossEntropyNdBackward(logp: usize, t: usize, w: usize, g: usize, gs: i32, dx: usize, outer: i32, C: i32, inner: i32,
                                       ignoreIndex: i32, smoothing: f32, scale: f32): void {
  const cs = <usize>inner << 2;
  const eC = smoothing / <f32>C;
  let W: f32 = 0;
  if (smoothing != 0) for (let c = 0; c < C; c++) W += wOf(w, c);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const r = o * inner + i;
      const lrow = rowAt(logp, o, C, inner, i), drow = rowAt(dx, o, C, inner, i);
      const ti = load<i32>(at(t, r));
      if (ti == ignoreIndex) {
        for (let c = 0; c < C; c++) store<f32>(drow + <usize>c * cs, 0);
        continue;
      }
      const gr = load<f32>(at(g, r * gs)) * scale;
      const wt: f32 = (<f32>1 - smoothing) * wOf(w, ti);
      for (let c = 0; c < C; c++) {
        const p = Mathf.exp(load<f32>(lrow + <usize>c * cs));
        let d: f32 = wt * (c == ti ? p - 1 : p);
        if (eC != 0) d += eC * (p * W - wOf(w, c));
        store<f32>(drow + <usize>c * cs, d * gr);
      }
    }
  }
}

/**
 * Probability targets with class weights and label smoothing ε: t' = (1−ε)·t + ε/C,
 * loss_r = −Σ_c w_c·t'_c·logp_c; logp as above.
 */
export function crossEntropyProbsNd(x: usize, t: usize, w: usize, out: usize, logp: usize, outer: i32, C: i32, inner: i32,
                                    smoothing: f32, reduce: i32, scale: f32): void {
  const cs = <usize>inner << 2;
  const eC: f32 = smoothing / <f32>C, keep: f32 = <f32>1 - smoothing;
  let total: f64 = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const lrow = rowAt(logp, o, C, inner, i), trow = rowAt(t, o, C, inner, i);
      logSoftmaxRow(rowAt(x, o, C, inner, i), lrow, C, cs, 0, false);
      let l: f32 = 0;
      for (let c = 0; c < C; c++) {
        const tc = load<f32>(trow + <usize>c * cs) * keep + eC;
        l -= wOf(w, c) * tc * load<f32>(lrow + <usize>c * cs);
      }
      if (reduce) total += <f64>l; else store<f32>(at(out, o * inner + i), l);
    }
  }
  if (reduce) store<f32>(out, <f32>(total * <f64>scale));
}

/**
 * dx_c = (p_c·Σ_k w_k·t'_k − w_c·t'_c)·g_r·scale; when dt ≠ 0 also the target's gradient
 * dt_c = −(1−ε)·w_c·logp_c·g_r·scale (dx may be 0 to skip it).
 */
export function crossEntropyProbsNdBackward(logp: usize, t: usize, w: usize, g: usize, gs: i32, dx: usize, dt: usize,
                                            outer: i32, C: i32, inner: i32, smoothing: f32, scale: f32): void {
  const cs = <usize>inner << 2;
  const eC: f32 = smoothing / <f32>C, keep: f32 = <f32>1 - smoothing;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const r = o * inner + i;
      const lrow = rowAt(logp, o, C, inner, i), trow = rowAt(t, o, C, inner, i);
      const gr = load<f32>(at(g, r * gs)) * scale;
      if (dx != 0) {
        const drow = rowAt(dx, o, C, inner, i);
        let st: f32 = 0;
        for (let c = 0; c < C; c++) st += wOf(w, c) * (load<f32>(trow + <usize>c * cs) * keep + eC);
        for (let c = 0; c < C; c++) {
          const p = Mathf.exp(load<f32>(lrow + <usize>c * cs));
          const tc = load<f32>(trow + <usize>c * cs) * keep + eC;
          store<f32>(drow + <usize>c * cs, (p * st - wOf(w, c) * tc) * gr);
        }
      }
      if (dt != 0) {
        const trowOut = rowAt(dt, o, C, inner, i);
        for (let c = 0; c < C; c++) {
          store<f32>(trowOut + <usize>c * cs, -keep * wOf(w, c) * load<f32>(lrow + <usize>c * cs) * gr);
        }
      }
    }
  }
}

/** Negative log-likelihood of log-probabilities x: loss_r = −w[t]·x_r[t], 0 where t_r is ignoreIndex. */
export function nllLoss(x: usize, t: usize, w: usize, out: usize, outer: i32, C: i32, inner: i32,
                        ignoreIndex: i32, reduce: i32, scale: f32): void {
  const cs = <usize>inner << 2;
  let total: f64 = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const r = o * inner + i;
      const ti = load<i32>(at(t, r));
      const l: f32 = ti == ignoreIndex ? 0 : -wOf(w, ti) * load<f32>(rowAt(x, o, C, inner, i) + <usize>ti * cs);
      if (reduce) total += <f64>l; else store<f32>(at(out, r), l);
    }
  }
  if (reduce) store<f32>(out, <f32>(total * <f64>scale));
}

/** dx = 0 except dx_r[t_r] = −w[t_r]·g_r·scale (ignored samples stay 0). */
export function nllLossBackward(t: usize, w: usize, g: usize, gs: i32, dx: usize, outer: i32, C: i32, inner: i32,
                                ignoreIndex: i32, scale: f32): void {
  const cs = <usize>inner << 2;
  memory.fill(dx, 0, (<usize>outer * <usize>C * <usize>inner) << 2);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const r = o * inner + i;
      const ti = load<i32>(at(t, r));
      if (ti == ignoreIndex) continue;
      store<f32>(rowAt(dx, o, C, inner, i) + <usize>ti * cs, -wOf(w, ti) * load<f32>(at(g, r * gs)) * scale);
    }
  }
}

// ---- elementwise losses of d = a − b --------------------------------------------------------
// kind 0 MSE d², 1 L1 |d|, 2 smooth L1 (p = β > 0): |d| < β ? ½d²/β : |d| − ½β,
// 3 Huber (p = δ > 0): |d| < δ ? ½d² : δ(|d| − ½δ). f32x4 main loops, scalar tails with the same
// operations in the same order.

@inline function termV(kind: i32, d: v128, P: v128, H: v128, Q: v128): v128 {
  if (kind == 0) return f32x4.mul(d, d);
  const z = f32x4.abs(d);
  if (kind == 1) return z;
  const small = f32x4.lt(z, P);
  if (kind == 2) return v128.bitselect(f32x4.mul(f32x4.mul(z, z), Q), f32x4.sub(z, H), small);
  return v128.bitselect(f32x4.mul(f32x4.mul(z, z), f32x4.splat(0.5)), f32x4.mul(P, f32x4.sub(z, H)), small);
}
@inline function termS(kind: i32, d: f32, p: f32, h: f32, q: f32): f32 {
  if (kind == 0) return d * d;
  const z = Mathf.abs(d);
  if (kind == 1) return z;
  if (kind == 2) return z < p ? z * z * q : z - h;
  return z < p ? z * z * <f32>0.5 : p * (z - h);
}

/**
 * The loss terms of kind (see above) with parameter p: out[i], or with reduce = 1 their sum
 * times scale into out[0] (so 'mean' and 'sum' need no temporary).
 */
export function elementLoss(kind: i32, a: usize, b: usize, out: usize, n: i32, p: f32, reduce: i32, scale: f32): void {
  const h: f32 = p * 0.5, q: f32 = p > 0 ? <f32>0.5 / p : 0;
  const P = f32x4.splat(p), H = f32x4.splat(h), Q = f32x4.splat(q);
  let i = 0;
  if (reduce) {
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      s0 = f32x4.add(s0, termV(kind, f32x4.sub(v128.load(a + o), v128.load(b + o)), P, H, Q));
      s1 = f32x4.add(s1, termV(kind, f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16)), P, H, Q));
    }
    const s = f32x4.add(s0, s1);
    let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
    for (; i < n; i++) r += termS(kind, load<f32>(at(a, i)) - load<f32>(at(b, i)), p, h, q);
    store<f32>(out, r * scale);
    return;
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, termV(kind, f32x4.sub(v128.load(a + o), v128.load(b + o)), P, H, Q));
  }
  for (; i < n; i++) store<f32>(at(out, i), termS(kind, load<f32>(at(a, i)) - load<f32>(at(b, i)), p, h, q));
}

@inline function gradV(kind: i32, d: v128, P: v128): v128 {
  if (kind == 0) return f32x4.add(d, d);
  if (kind == 1) {
    const one = f32x4.splat(1);
    return f32x4.sub(v128.and(f32x4.gt(d, f32x4.splat(0)), one), v128.and(f32x4.lt(d, f32x4.splat(0)), one));
  }
  if (kind == 2) return f32x4.min(f32x4.max(f32x4.div(d, P), f32x4.splat(-1)), f32x4.splat(1));
  return f32x4.min(f32x4.max(d, f32x4.neg(P)), P);
}
@inline function gradS(kind: i32, d: f32, p: f32): f32 {
  if (kind == 0) return d + d;
  if (kind == 1) return d > 0 ? <f32>1 : d < 0 ? <f32>-1 : <f32>0;
  if (kind == 2) return d <= -p ? <f32>-1 : d >= p ? <f32>1 : d / p;
  return d <= -p ? -p : d >= p ? p : d;
}

/**
 * da_i = loss'(a_i − b_i)·g[i·gs]·scale and db = −da, each skipped when its pointer is 0
 * (gs = 0 reads one scalar gradient for a reduced loss).
 */
export function elementLossBackward(kind: i32, a: usize, b: usize, g: usize, gs: i32, da: usize, db: usize, n: i32, p: f32, scale: f32): void {
  const P = f32x4.splat(p), S = f32x4.splat(scale);
  const G0 = f32x4.splat(load<f32>(g) * scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = gs ? f32x4.mul(v128.load(g + o), S) : G0;
    const r = f32x4.mul(gradV(kind, f32x4.sub(v128.load(a + o), v128.load(b + o)), P), gv);
    if (da) v128.store(da + o, r);
    if (db) v128.store(db + o, f32x4.neg(r));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i * gs)) * scale;
    const r = gradS(kind, load<f32>(at(a, i)) - load<f32>(at(b, i)), p) * gi;
    if (da) store<f32>(at(da, i), r);
    if (db) store<f32>(at(db, i), -r);
  }
}

// ---- KL divergence, binary cross-entropy --------------------------------------------------
// Scalar loops (log, exp and log1p have no SIMD form). `reduce` as above. Weights w (and BCE's
// posWeight pw) repeat with periods wn (pn): element i reads w[i mod wn], so a weight of the
// input's trailing dims needs no expanded copy; wn = 0 means no weight.

/** xlogy(t, t) − t·x (PyTorch's kl_div), or with logTarget eᵗ·(t − x). */
export function klDiv(x: usize, t: usize, out: usize, n: i32, logTarget: i32, reduce: i32, scale: f32): void {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(at(x, i)), ti = load<f32>(at(t, i));
    let l: f32;
    if (logTarget) l = Mathf.exp(ti) * (ti - xi);
    else l = (isNaN(ti) ? ti : ti == 0 ? <f32>0 : ti * Mathf.log(ti)) - ti * xi;
    if (reduce) total += <f64>l; else store<f32>(at(out, i), l);
  }
  if (reduce) store<f32>(out, <f32>(total * <f64>scale));
}

/**
 * dx = −t·g (−eᵗ·g with logTarget); dt = (log t + t/t − x)·g as PyTorch's xlogy rule gives it
 * (NaN at t = 0), or eᵗ·(t − x + 1)·g. A pointer of 0 skips that gradient.
 */
export function klDivBackward(x: usize, t: usize, g: usize, gs: i32, dx: usize, dt: usize, n: i32, logTarget: i32, scale: f32): void {
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(at(x, i)), ti = load<f32>(at(t, i));
    const gi = load<f32>(at(g, i * gs)) * scale;
    if (logTarget) {
      const e = Mathf.exp(ti);
      if (dx) store<f32>(at(dx, i), -e * gi);
      if (dt) store<f32>(at(dt, i), e * (ti - xi + 1) * gi);
    } else {
      if (dx) store<f32>(at(dx, i), -ti * gi);
      if (dt) store<f32>(at(dt, i), (Mathf.log(ti) + ti / ti - xi) * gi);
    }
  }
}

/**
 * Binary cross-entropy of probabilities x against targets y, PyTorch's clamped form:
 * w·((y − 1)·max(log(1 − x), −100) − y·max(log x, −100)). Returns the first i whose x is
 * outside [0, 1] (or NaN), having written only `out`, else −1.
 */
export function bce(x: usize, y: usize, w: usize, wn: i32, out: usize, n: i32, reduce: i32, scale: f32): i32 {
  let total: f64 = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(at(x, i)), yi = load<f32>(at(y, i));
    if (!(xi >= 0 && xi <= 1)) return i;
    let l: f32 = (yi - 1) * Mathf.max(Mathf.log1p(-xi), <f32>-100) - yi * Mathf.max(Mathf.log(xi), <f32>-100);
    if (wn) { l *= load<f32>(at(w, j)); if (++j == wn) j = 0; }
    if (reduce) total += <f64>l; else store<f32>(at(out, i), l);
  }
  if (reduce) store<f32>(out, <f32>(total * <f64>scale));
  return -1;
}

/** dx = w·g·(x − y)/max(x(1 − x), 1e-12); dy = w·g·(log(1 − x) − log x) (PyTorch's −logit). */
export function bceBackward(x: usize, y: usize, w: usize, wn: i32, g: usize, gs: i32, dx: usize, dy: usize, n: i32, scale: f32): void {
  let j = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(at(x, i)), yi = load<f32>(at(y, i));
    let gi = load<f32>(at(g, i * gs)) * scale;
    if (wn) { gi *= load<f32>(at(w, j)); if (++j == wn) j = 0; }
    if (dx) store<f32>(at(dx, i), gi * (xi - yi) / Mathf.max((1 - xi) * xi, <f32>1e-12));
    if (dy) store<f32>(at(dy, i), gi * (Mathf.log1p(-xi) - Mathf.log(xi)));
  }
}

@inline function logSigmoid(x: f32): f32 { return Mathf.min(x, 0) - Mathf.log1p(Mathf.exp(-Mathf.abs(x))); }
@inline function sigmoidS(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

/**
 * Binary cross-entropy of logits x, in the stable log-sigmoid form:
 * w·((1 − y)·x − (1 + (pw − 1)·y)·logσ(x)).
 */
export function bceLogits(x: usize, y: usize, w: usize, wn: i32, pw: usize, pn: i32, out: usize, n: i32, reduce: i32, scale: f32): void {
  let total: f64 = 0;
  let j = 0, k = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(at(x, i)), yi = load<f32>(at(y, i));
    let lw: f32 = 1;
    if (pn) { lw = (load<f32>(at(pw, k)) - 1) * yi + 1; if (++k == pn) k = 0; }
    let l: f32 = (<f32>1 - yi) * xi - lw * logSigmoid(xi);
    if (wn) { l *= load<f32>(at(w, j)); if (++j == wn) j = 0; }
    if (reduce) total += <f64>l; else store<f32>(at(out, i), l);
  }
  if (reduce) store<f32>(out, <f32>(total * <f64>scale));
}

/** dx = w·g·((1 + (pw − 1)·y)·σ(x) − pw·y); dy = w·g·(logσ(−x) − pw·logσ(x)) (−x without pw). */
export function bceLogitsBackward(x: usize, y: usize, w: usize, wn: i32, pw: usize, pn: i32, g: usize, gs: i32,
                                  dx: usize, dy: usize, n: i32, scale: f32): void {
  let j = 0, k = 0;
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(at(x, i)), yi = load<f32>(at(y, i));
    let gi = load<f32>(at(g, i * gs)) * scale;
    if (wn) { gi *= load<f32>(at(w, j)); if (++j == wn) j = 0; }
    if (pn) {
      const p = load<f32>(at(pw, k)); if (++k == pn) k = 0;
      const py = p * yi;
      if (dx) store<f32>(at(dx, i), ((py + 1 - yi) * sigmoidS(xi) - py) * gi);
      if (dy) store<f32>(at(dy, i), (logSigmoid(-xi) - p * logSigmoid(xi)) * gi);
    } else {
      if (dx) store<f32>(at(dx, i), (sigmoidS(xi) - yi) * gi);
      if (dy) store<f32>(at(dy, i), -xi * gi);
    }
  }
}
