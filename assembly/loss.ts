// Fused losses. Per-sample values go to `out`; the caller reduces ('mean' | 'sum' | 'none').

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/**
 * Cross-entropy with class indices over rows of C logits: out[r] = logsumexp(x_r) − x_r[t_r],
 * and logp (rows × C) keeps log-softmax for backward. Rows whose target is ignoreIndex give 0.
 * The caller has checked every other target is in [0, C).
 */
export function crossEntropy(x: usize, t: usize, out: usize, logp: usize, rows: i32, C: i32, ignoreIndex: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>(r * C) << 2), lrow = logp + (<usize>(r * C) << 2);
    let m = load<f32>(row);
    for (let c = 1; c < C; c++) m = Mathf.max(m, load<f32>(at(row, c)));
    let s: f32 = 0;
    for (let c = 0; c < C; c++) s += Mathf.exp(load<f32>(at(row, c)) - m);
    const lse = m + Mathf.log(s);
    for (let c = 0; c < C; c++) store<f32>(at(lrow, c), load<f32>(at(row, c)) - lse);
    const ti = load<i32>(at(t, r));
    store<f32>(at(out, r), ti == ignoreIndex ? 0 : -load<f32>(at(lrow, ti)));
  }
}

/** dx[r] = (softmax(x_r) − onehot(t_r)) · g[r·gs] (gs = 0 for a reduced loss's scalar gradient). */
export function crossEntropyBackward(logp: usize, t: usize, g: usize, gs: i32, dx: usize, rows: i32, C: i32, ignoreIndex: i32, scale: f32): void {
  for (let r = 0; r < rows; r++) {
    const ti = load<i32>(at(t, r));
    const gr: f32 = ti == ignoreIndex ? 0 : load<f32>(at(g, r * gs)) * scale;
    const lrow = logp + (<usize>(r * C) << 2), drow = dx + (<usize>(r * C) << 2);
    for (let c = 0; c < C; c++) {
      const p = Mathf.exp(load<f32>(at(lrow, c)));
      store<f32>(at(drow, c), (c == ti ? p - 1 : p) * gr);
    }
  }
}

/** Probability targets: out[r] = −Σ_c t[r,c]·logsoftmax(x_r)[c]; logp as above. */
export function crossEntropyProbs(x: usize, t: usize, out: usize, logp: usize, rows: i32, C: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>(r * C) << 2), lrow = logp + (<usize>(r * C) << 2), trow = t + (<usize>(r * C) << 2);
    let m = load<f32>(row);
    for (let c = 1; c < C; c++) m = Mathf.max(m, load<f32>(at(row, c)));
    let s: f32 = 0;
    for (let c = 0; c < C; c++) s += Mathf.exp(load<f32>(at(row, c)) - m);
    const lse = m + Mathf.log(s);
    let l: f32 = 0;
    for (let c = 0; c < C; c++) {
      const lp = load<f32>(at(row, c)) - lse;
      store<f32>(at(lrow, c), lp);
      l -= load<f32>(at(trow, c)) * lp;
    }
    store<f32>(at(out, r), l);
  }
}

/** d/dx of −Σ t·logsoftmax(x) = softmax(x)·Σt − t. */
export function crossEntropyProbsBackward(logp: usize, t: usize, g: usize, gs: i32, dx: usize, rows: i32, C: i32, scale: f32): void {
  for (let r = 0; r < rows; r++) {
    const gr = load<f32>(at(g, r * gs)) * scale;
    const base = r * C;
    let st: f32 = 0;
    for (let c = 0; c < C; c++) st += load<f32>(at(t, base + c));
    for (let c = 0; c < C; c++) {
      const p = Mathf.exp(load<f32>(at(logp, base + c)));
      store<f32>(at(dx, base + c), (p * st - load<f32>(at(t, base + c))) * gr);
    }
  }
}

/** Elementwise loss terms: kind 0 = (a−b)², kind 1 = |a−b|. Writes out[i]. */
export function pointwiseLoss(kind: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(a + o), v128.load(b + o));
    v128.store(out + o, kind == 0 ? f32x4.mul(d, d) : f32x4.abs(d));
  }
  for (; i < n; i++) {
    const d = load<f32>(at(a, i)) - load<f32>(at(b, i));
    store<f32>(at(out, i), kind == 0 ? d * d : Mathf.abs(d));
  }
}

/** Sum of (a−b)² or |a−b| in one pass, into out[0] ('mean' and 'sum' need no temporary). */
export function pointwiseLossSum(kind: i32, a: usize, b: usize, out: usize, n: i32): void {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const d0 = f32x4.sub(v128.load(a + o), v128.load(b + o));
    const d1 = f32x4.sub(v128.load(a + o, 16), v128.load(b + o, 16));
    s0 = f32x4.add(s0, kind == 0 ? f32x4.mul(d0, d0) : f32x4.abs(d0));
    s1 = f32x4.add(s1, kind == 0 ? f32x4.mul(d1, d1) : f32x4.abs(d1));
  }
  const s = f32x4.add(s0, s1);
  let r = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < n; i++) {
    const d = load<f32>(at(a, i)) - load<f32>(at(b, i));
    r += kind == 0 ? d * d : Mathf.abs(d);
  }
  store<f32>(out, r);
}

/** da = g[i·gs]·scale·2(a−b) (kind 0) or ·sign(a−b) (kind 1); db = −da is the caller's. */
export function pointwiseLossBackward(kind: i32, a: usize, b: usize, g: usize, gs: i32, da: usize, n: i32, scale: f32): void {
  for (let i = 0; i < n; i++) {
    const d = load<f32>(at(a, i)) - load<f32>(at(b, i));
    const gi = load<f32>(at(g, i * gs)) * scale;
    store<f32>(at(da, i), kind == 0 ? 2 * d * gi : (d > 0 ? gi : d < 0 ? -gi : 0));
  }
}
