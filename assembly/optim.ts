// Optimizer updates, one pass over a parameter's buffer each, following torch.optim's
// single-tensor formulas (PyTorch 2.x writes some moving averages as lerp_, equal up to f32
// rounding; tests/oracle.test.ts checks 5-step trajectories to 1e-4).

@inline function at(p: usize, i: i32): usize { return p + (<usize>i << 2); }

/** A moving average in place: a = β·a + (1−β)·x at address a (four lanes; vb = β, v1b = 1−β), returned. */
@inline function emaV(a: usize, vb: v128, v1b: v128, x: v128): v128 {
  const r = f32x4.add(f32x4.mul(vb, v128.load(a)), f32x4.mul(v1b, x));
  v128.store(a, r);
  return r;
}
/** emaV's scalar tail: a = β·a + (1−β)·x at address a, returned. */
@inline function emaS(a: usize, b: f32, x: f32): f32 {
  const r = b * load<f32>(a) + (1 - b) * x;
  store<f32>(a, r);
  return r;
}

/**
 * SGD. d = ±g + wd·p; with momentum: buf = first ? d : μ·buf + (1−τ)·d (PyTorch clones the
 * first gradient into the buffer), d = nesterov ? d + μ·buf : buf; p −= lr·d.
 */
export function sgd(p: usize, g: usize, buf: usize, n: i32, lr: f32, momentum: f32, dampening: f32,
                    wd: f32, nesterov: bool, maximize: bool, first: bool): void {
  const sign: f32 = maximize ? -1 : 1;
  const vsign = f32x4.splat(sign), vwd = f32x4.splat(wd), vlr = f32x4.splat(lr);
  const vmom = f32x4.splat(momentum), vdamp = f32x4.splat(1 - dampening);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pi = v128.load(p + o);
    let d = f32x4.mul(vsign, v128.load(g + o));
    if (wd != 0) d = f32x4.add(d, f32x4.mul(vwd, pi));
    if (momentum != 0) {
      const b = first ? d : f32x4.add(f32x4.mul(vmom, v128.load(buf + o)), f32x4.mul(vdamp, d));
      v128.store(buf + o, b);
      d = nesterov ? f32x4.add(d, f32x4.mul(vmom, b)) : b;
    }
    v128.store(p + o, f32x4.sub(pi, f32x4.mul(vlr, d)));
  }
  for (; i < n; i++) {
    const pi = load<f32>(at(p, i));
    let d = sign * load<f32>(at(g, i));
    if (wd != 0) d += wd * pi;
    if (momentum != 0) {
      const b: f32 = first ? d : momentum * load<f32>(at(buf, i)) + (1 - dampening) * d;
      store<f32>(at(buf, i), b);
      d = nesterov ? d + momentum * b : b;
    }
    store<f32>(at(p, i), pi - lr * d);
  }
}

/**
 * Adam / AdamW (decoupled: p *= 1 − lr·wd first; else g += wd·p).
 * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; vmax = max(vmax, v) with amsgrad;
 * p −= (lr / bc1) · m / (sqrt(v or vmax) / sqrt(bc2) + eps).
 */
export function adam(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
                     lr: f32, beta1: f32, beta2: f32, eps: f32, wd: f32,
                     decoupled: bool, amsgrad: bool, maximize: bool, bc1: f32, bc2: f32): void {
  const stepSize = lr / bc1;
  const bc2Sqrt = Mathf.sqrt(bc2);
  const decay: f32 = decoupled ? 1 - lr * wd : 1;
  const l2: f32 = decoupled ? 0 : wd;
  const sign: f32 = maximize ? -1 : 1;
  let i = 0;
  {
    const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2);
    const v1b1 = f32x4.splat(1 - beta1), v1b2 = f32x4.splat(1 - beta2);
    const vss = f32x4.splat(stepSize), vbc = f32x4.splat(bc2Sqrt), veps = f32x4.splat(eps);
    const vdecay = f32x4.splat(decay), vl2 = f32x4.splat(l2), vsign = f32x4.splat(sign);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let pi = v128.load(p + o);
      let gi = f32x4.mul(v128.load(g + o), vsign);
      gi = f32x4.add(gi, f32x4.mul(vl2, pi));
      pi = f32x4.mul(pi, vdecay);
      const mi = emaV(m + o, vb1, v1b1, gi);
      const vi = emaV(v + o, vb2, v1b2, f32x4.mul(gi, gi));
      let vd = vi;
      if (amsgrad) {
        vd = f32x4.max(v128.load(vmax + o), vi);
        v128.store(vmax + o, vd);
      }
      const denom = f32x4.add(f32x4.div(f32x4.sqrt(vd), vbc), veps);
      v128.store(p + o, f32x4.sub(pi, f32x4.mul(vss, f32x4.div(mi, denom))));
    }
  }
  for (; i < n; i++) {
    let pi = load<f32>(at(p, i));
    let gi = sign * load<f32>(at(g, i));
    gi += l2 * pi;
    pi *= decay;
    const mi = emaS(at(m, i), beta1, gi);
    // ((1−β2)·g)·g, as PyTorch's addcmul_ rounds (the vector loop above rounds (1−β2)·(g·g))
    const vi = beta2 * load<f32>(at(v, i)) + (1 - beta2) * gi * gi;
    store<f32>(at(v, i), vi);
    let vd = vi;
    if (amsgrad) {
      vd = Mathf.max(load<f32>(at(vmax, i)), vi);
      store<f32>(at(vmax, i), vd);
    }
    store<f32>(at(p, i), pi - stepSize * (mi / (Mathf.sqrt(vd) / bc2Sqrt + eps)));
  }
}

/**
 * RMSprop. g = ±g + wd·p; sq = α·sq + (1−α)·g²; centered: ga = α·ga + (1−α)·g and
 * avg = sqrt(sq − ga²) + eps, else sqrt(sq) + eps; momentum: buf = μ·buf + g/avg, p −= lr·buf;
 * else p −= lr·g/avg.
 */
export function rmsprop(p: usize, g: usize, sq: usize, buf: usize, ga: usize, n: i32,
                        lr: f32, alpha: f32, eps: f32, wd: f32, momentum: f32,
                        centered: bool, maximize: bool): void {
  const sign: f32 = maximize ? -1 : 1;
  const vsign = f32x4.splat(sign), vwd = f32x4.splat(wd), vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  const valpha = f32x4.splat(alpha), v1alpha = f32x4.splat(1 - alpha), vmom = f32x4.splat(momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pi = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(vsign, v128.load(g + o)), f32x4.mul(vwd, pi));
    const s = f32x4.add(f32x4.mul(valpha, v128.load(sq + o)), f32x4.mul(f32x4.mul(v1alpha, gi), gi));
    v128.store(sq + o, s);
    let avg: v128;
    if (centered) {
      const a = emaV(ga + o, valpha, v1alpha, gi);
      avg = f32x4.add(f32x4.sqrt(f32x4.sub(s, f32x4.mul(a, a))), veps);
    } else {
      avg = f32x4.add(f32x4.sqrt(s), veps);
    }
    if (momentum > 0) {
      const b = f32x4.add(f32x4.mul(vmom, v128.load(buf + o)), f32x4.div(gi, avg));
      v128.store(buf + o, b);
      v128.store(p + o, f32x4.sub(pi, f32x4.mul(vlr, b)));
    } else {
      v128.store(p + o, f32x4.sub(pi, f32x4.div(f32x4.mul(vlr, gi), avg)));
    }
  }
  for (; i < n; i++) {
    const pi = load<f32>(at(p, i));
    const gi = sign * load<f32>(at(g, i)) + wd * pi;
    const s = alpha * load<f32>(at(sq, i)) + (1 - alpha) * gi * gi;
    store<f32>(at(sq, i), s);
    let avg: f32;
    if (centered) {
      const a = emaS(at(ga, i), alpha, gi);
      avg = Mathf.sqrt(s - a * a) + eps;
    } else {
      avg = Mathf.sqrt(s) + eps;
    }
    if (momentum > 0) {
      const b = momentum * load<f32>(at(buf, i)) + gi / avg;
      store<f32>(at(buf, i), b);
      store<f32>(at(p, i), pi - lr * b);
    } else {
      store<f32>(at(p, i), pi - lr * gi / avg);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Adagrad, Adadelta, Adamax, NAdam, RAdam: PyTorch 2.x's single-tensor formulas, one pass each
// (a v128 main loop over four elements and a scalar tail; `sign` is −1 under maximize).

/**
 * Adagrad. g = ±g + wd·p; sum += g²; p −= clr · g / (sqrt(sum) + eps), where the caller gives
 * clr = lr / (1 + (step − 1)·lrDecay).
 */
export function adagrad(p: usize, g: usize, sum: usize, n: i32, clr: f32, eps: f32, wd: f32, maximize: bool): void {
  const sign: f32 = maximize ? -1 : 1;
  const vsign = f32x4.splat(sign), vwd = f32x4.splat(wd), vclr = f32x4.splat(clr), veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pi = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(v128.load(g + o), vsign), f32x4.mul(vwd, pi));
    const s = f32x4.add(v128.load(sum + o), f32x4.mul(gi, gi));
    v128.store(sum + o, s);
    v128.store(p + o, f32x4.sub(pi, f32x4.mul(vclr, f32x4.div(gi, f32x4.add(f32x4.sqrt(s), veps)))));
  }
  for (; i < n; i++) {
    const pi = load<f32>(at(p, i));
    const gi = sign * load<f32>(at(g, i)) + wd * pi;
    const s = load<f32>(at(sum, i)) + gi * gi;
    store<f32>(at(sum, i), s);
    store<f32>(at(p, i), pi - clr * (gi / (Mathf.sqrt(s) + eps)));
  }
}

/**
 * Adadelta. g = ±g + wd·p; sq = ρ·sq + (1−ρ)·g²; δ = sqrt(acc + eps) / sqrt(sq + eps) · g;
 * acc = ρ·acc + (1−ρ)·δ²; p −= lr·δ.
 */
export function adadelta(p: usize, g: usize, sq: usize, acc: usize, n: i32, lr: f32, rho: f32, eps: f32,
                         wd: f32, maximize: bool): void {
  const sign: f32 = maximize ? -1 : 1;
  const vsign = f32x4.splat(sign), vwd = f32x4.splat(wd), vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  const vrho = f32x4.splat(rho), v1rho = f32x4.splat(1 - rho);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pi = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(v128.load(g + o), vsign), f32x4.mul(vwd, pi));
    const s = emaV(sq + o, vrho, v1rho, f32x4.mul(gi, gi));
    const a = v128.load(acc + o);
    const d = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(a, veps)), f32x4.sqrt(f32x4.add(s, veps))), gi);
    v128.store(acc + o, f32x4.add(f32x4.mul(a, vrho), f32x4.mul(v1rho, f32x4.mul(d, d))));
    v128.store(p + o, f32x4.sub(pi, f32x4.mul(vlr, d)));
  }
  for (; i < n; i++) {
    const pi = load<f32>(at(p, i));
    const gi = sign * load<f32>(at(g, i)) + wd * pi;
    const s = emaS(at(sq, i), rho, gi * gi);
    const a = load<f32>(at(acc, i));
    const d = Mathf.sqrt(a + eps) / Mathf.sqrt(s + eps) * gi;
    store<f32>(at(acc, i), a * rho + (1 - rho) * (d * d));
    store<f32>(at(p, i), pi - lr * d);
  }
}

/**
 * Adamax. g = ±g + wd·p; m = β1·m + (1−β1)·g; u = max(β2·u, |g| + eps); p −= clr · m / u, where
 * the caller gives clr = lr / (1 − β1^step).
 */
export function adamax(p: usize, g: usize, m: usize, u: usize, n: i32, clr: f32, beta1: f32, beta2: f32,
                       eps: f32, wd: f32, maximize: bool): void {
  const sign: f32 = maximize ? -1 : 1;
  const vsign = f32x4.splat(sign), vwd = f32x4.splat(wd), vclr = f32x4.splat(clr), veps = f32x4.splat(eps);
  const vb1 = f32x4.splat(beta1), v1b1 = f32x4.splat(1 - beta1), vb2 = f32x4.splat(beta2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const pi = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(v128.load(g + o), vsign), f32x4.mul(vwd, pi));
    const mi = emaV(m + o, vb1, v1b1, gi);
    const ui = f32x4.max(f32x4.mul(v128.load(u + o), vb2), f32x4.add(f32x4.abs(gi), veps));
    v128.store(u + o, ui);
    v128.store(p + o, f32x4.sub(pi, f32x4.mul(vclr, f32x4.div(mi, ui))));
  }
  for (; i < n; i++) {
    const pi = load<f32>(at(p, i));
    const gi = sign * load<f32>(at(g, i)) + wd * pi;
    const mi = emaS(at(m, i), beta1, gi);
    const ui = Mathf.max(load<f32>(at(u, i)) * beta2, Mathf.abs(gi) + eps);
    store<f32>(at(u, i), ui);
    store<f32>(at(p, i), pi - clr * (mi / ui));
  }
}

/**
 * NAdam. g = ±g; decoupled: p *= 1 − lr·wd, else g += wd·p; m = β1·m + (1−β1)·g;
 * v = β2·v + (1−β2)·g²; d = sqrt(v / bc2) + eps; p −= c1·g/d + c2·m/d, where the caller gives
 * c1 = lr·(1 − μ_t) / (1 − Πμ) and c2 = lr·μ_{t+1} / (1 − Πμ·μ_{t+1}).
 */
export function nadam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, beta1: f32, beta2: f32,
                      eps: f32, wd: f32, decoupled: bool, maximize: bool, bc2: f32, c1: f32, c2: f32): void {
  const sign: f32 = maximize ? -1 : 1;
  const decay: f32 = decoupled ? 1 - lr * wd : 1;
  const l2: f32 = decoupled ? 0 : wd;
  const vsign = f32x4.splat(sign), vl2 = f32x4.splat(l2), vdecay = f32x4.splat(decay), veps = f32x4.splat(eps);
  const vb1 = f32x4.splat(beta1), v1b1 = f32x4.splat(1 - beta1), vb2 = f32x4.splat(beta2), v1b2 = f32x4.splat(1 - beta2);
  const vbc2 = f32x4.splat(bc2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pi = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(v128.load(g + o), vsign), f32x4.mul(vl2, pi));
    pi = f32x4.mul(pi, vdecay);
    const mi = emaV(m + o, vb1, v1b1, gi);
    const vi = emaV(v + o, vb2, v1b2, f32x4.mul(gi, gi));
    const d = f32x4.add(f32x4.sqrt(f32x4.div(vi, vbc2)), veps);
    pi = f32x4.sub(pi, f32x4.mul(vc1, f32x4.div(gi, d)));
    v128.store(p + o, f32x4.sub(pi, f32x4.mul(vc2, f32x4.div(mi, d))));
  }
  for (; i < n; i++) {
    let pi = load<f32>(at(p, i));
    const gi = sign * load<f32>(at(g, i)) + l2 * pi;
    pi *= decay;
    const mi = emaS(at(m, i), beta1, gi);
    const vi = emaS(at(v, i), beta2, gi * gi);
    const d = Mathf.sqrt(vi / bc2) + eps;
    pi -= c1 * (gi / d);
    store<f32>(at(p, i), pi - c2 * (mi / d));
  }
}

/**
 * RAdam. g = ±g; decoupled: p *= 1 − lr·wd, else g += wd·p; m = β1·m + (1−β1)·g;
 * v = β2·v + (1−β2)·g²; m̂ = m / bc1; rectified (rect > 0, i.e. ρ_t > 5):
 * p −= m̂·lr·(sqrt(bc2) / (sqrt(v) + eps))·rect, else p −= m̂·lr.
 */
export function radam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, beta1: f32, beta2: f32,
                      eps: f32, wd: f32, decoupled: bool, maximize: bool, bc1: f32, bc2Sqrt: f32, rect: f32): void {
  const sign: f32 = maximize ? -1 : 1;
  const decay: f32 = decoupled ? 1 - lr * wd : 1;
  const l2: f32 = decoupled ? 0 : wd;
  const rectified = rect > 0;
  const vsign = f32x4.splat(sign), vl2 = f32x4.splat(l2), vdecay = f32x4.splat(decay), veps = f32x4.splat(eps);
  const vb1 = f32x4.splat(beta1), v1b1 = f32x4.splat(1 - beta1), vb2 = f32x4.splat(beta2), v1b2 = f32x4.splat(1 - beta2);
  const vbc1 = f32x4.splat(bc1), vbc2 = f32x4.splat(bc2Sqrt), vlr = f32x4.splat(lr), vrect = f32x4.splat(rect);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let pi = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(v128.load(g + o), vsign), f32x4.mul(vl2, pi));
    pi = f32x4.mul(pi, vdecay);
    const mi = emaV(m + o, vb1, v1b1, gi);
    const vi = emaV(v + o, vb2, v1b2, f32x4.mul(gi, gi));
    let u = f32x4.mul(f32x4.div(mi, vbc1), vlr);
    if (rectified) u = f32x4.mul(f32x4.mul(u, f32x4.div(vbc2, f32x4.add(f32x4.sqrt(vi), veps))), vrect);
    v128.store(p + o, f32x4.sub(pi, u));
  }
  for (; i < n; i++) {
    let pi = load<f32>(at(p, i));
    const gi = sign * load<f32>(at(g, i)) + l2 * pi;
    pi *= decay;
    const mi = emaS(at(m, i), beta1, gi);
    const vi = emaS(at(v, i), beta2, gi * gi);
    let u = mi / bc1 * lr;
    if (rectified) u = u * (bc2Sqrt / (Mathf.sqrt(vi) + eps)) * rect;
    store<f32>(at(p, i), pi - u);
  }
}
