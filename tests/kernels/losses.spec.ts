// The loss kernels added for issue 7 (assembly/loss.ts), against references written here in f64
// and, for gradients, central finite differences of the forward kernels. Class losses run on
// [outer, C, inner] with inner > 1 (classes strided), class weights and label smoothing; the
// elementwise losses on lengths on and off the SIMD width; buffers start 4 bytes past a 16-byte
// boundary.
import { crossEntropyNd, crossEntropyNdBackward, crossEntropyProbsNd, crossEntropyProbsNdBackward, nllLoss, nllLossBackward,
         elementLoss, elementLossBackward, klDiv, klDivBackward, bce, bceBackward, bceLogits, bceLogitsBackward } from '../../assembly/loss';

function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function set(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
function iset(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

function check(got: f64, want: f64, tol: f64, ctx: string, i: i32): void {
  const ok = Math.abs(got - want) <= tol * (1 + Math.abs(want));
  if (!ok) expect<f64>(got).toBe(want, ctx + ' [' + i.toString() + ']');
  else expect<bool>(ok).toBe(true);
}

// [outer 2, C 4, inner 3]: element (o, c, i) at (o·C + c)·inner + i; sample r = o·inner + i
const OUTER = 2, C = 4, INNER = 3, ROWS = OUTER * INNER, N = OUTER * C * INNER;
const IGNORE = -100;
const EPS: f32 = 0.2;
function xi(o: i32, c: i32, i: i32): i32 { return (o * C + c) * INNER + i; }
function weights(): usize { const w = buf(C, 0); for (let c = 0; c < C; c++) set(w, c, 0.5 + <f32>c * 0.4); return w; }
function targets(): usize {
  const t = buf(ROWS, 0);
  const v: i32[] = [3, 0, IGNORE, 1, 2, 3];
  for (let r = 0; r < ROWS; r++) iset(t, r, v[r]);
  return t;
}
function probTargets(): usize {
  const t = buf(N, 0);
  for (let k = 0; k < N; k++) set(t, k, 0.1 + Mathf.abs(Mathf.sin(<f32>k * 1.3)));
  return t;
}
function lse64(x: usize, o: i32, i: i32): f64 {
  let m = -Infinity;
  for (let c = 0; c < C; c++) m = Math.max(m, <f64>at(x, xi(o, c, i)));
  let s: f64 = 0;
  for (let c = 0; c < C; c++) s += Math.exp(<f64>at(x, xi(o, c, i)) - m);
  return m + Math.log(s);
}
function ceRef(x: usize, t: usize, w: usize, o: i32, i: i32): f64 {
  const ti = load<i32>(t + (<usize>(o * INNER + i) << 2));
  if (ti == IGNORE) return 0;
  const l = lse64(x, o, i);
  let sm: f64 = 0;
  for (let c = 0; c < C; c++) sm -= <f64>at(w, c) * (<f64>at(x, xi(o, c, i)) - l);
  return -(1 - <f64>EPS) * <f64>at(w, ti) * (<f64>at(x, xi(o, ti, i)) - l) + <f64>EPS / <f64>C * sm;
}
function ceProbRef(x: usize, t: usize, w: usize, o: i32, i: i32): f64 {
  const l = lse64(x, o, i);
  let s: f64 = 0;
  for (let c = 0; c < C; c++) s -= <f64>at(w, c) * (<f64>at(t, xi(o, c, i)) * (1 - <f64>EPS) + <f64>EPS / <f64>C) * (<f64>at(x, xi(o, c, i)) - l);
  return s;
}

describe('crossEntropyNd', () => {
  it('weights, label smoothing and ignoreIndex over strided classes; reduce sums times scale', () => {
    const x = buf(N, 1), t = targets(), w = weights(), out = buf(ROWS, 0), logp = buf(N, 0);
    crossEntropyNd(x, t, w, out, logp, OUTER, C, INNER, IGNORE, EPS, 0, 1);
    let total: f64 = 0;
    for (let o = 0; o < OUTER; o++) for (let i = 0; i < INNER; i++) {
      const want = ceRef(x, t, w, o, i);
      total += want;
      check(<f64>at(out, o * INNER + i), want, 1e-5, 'crossEntropyNd out', o * INNER + i);
      for (let c = 0; c < C; c++) check(<f64>at(logp, xi(o, c, i)), <f64>at(x, xi(o, c, i)) - lse64(x, o, i), 1e-5, 'logp', xi(o, c, i));
    }
    crossEntropyNd(x, t, w, out, logp, OUTER, C, INNER, IGNORE, EPS, 1, 0.25);
    check(<f64>at(out, 0), total * 0.25, 1e-5, 'crossEntropyNd reduce', 0);
  });

  it('backward matches finite differences, and is 0 for ignored samples', () => {
    const x = buf(N, 1), t = targets(), w = weights(), out = buf(ROWS, 0), logp = buf(N, 0), scr = buf(N, 0);
    const g = buf(ROWS, 3), dx = buf(N, 9);
    crossEntropyNd(x, t, w, out, logp, OUTER, C, INNER, IGNORE, EPS, 0, 1);
    crossEntropyNdBackward(logp, t, w, g, 1, dx, OUTER, C, INNER, IGNORE, EPS, 1);
    const h: f32 = 1e-2;
    for (let k = 0; k < N; k++) {
      const v = at(x, k);
      set(x, k, v + h); crossEntropyNd(x, t, w, out, scr, OUTER, C, INNER, IGNORE, EPS, 1, 1); const lp = <f64>at(out, 0);
      set(x, k, v - h); crossEntropyNd(x, t, w, out, scr, OUTER, C, INNER, IGNORE, EPS, 1, 1); const lm = <f64>at(out, 0);
      set(x, k, v);
      // x_k enters only its own sample's loss: d/dx_k of Σ_r g_r·loss_r = g_r·d(Σ loss)/dx_k
      const o = k / (C * INNER), i = k % INNER, r = o * INNER + i;
      check(<f64>at(dx, k), <f64>at(g, r) * (lp - lm) / <f64>((v + h) - (v - h)), 3e-3, 'crossEntropyNd fd', k);
    }
    for (let c = 0; c < C; c++) check(<f64>at(dx, xi(0, c, 2)), 0, 0, 'ignored sample', c);
    // gs = 0: one scalar gradient for every sample
    const dx0 = buf(N, 0);
    crossEntropyNdBackward(logp, t, w, g, 0, dx0, OUTER, C, INNER, IGNORE, EPS, 0.5);
    crossEntropyNdBackward(logp, t, w, g, 1, dx, OUTER, C, INNER, IGNORE, EPS, 1);
    for (let k = 0; k < N; k++) {
      const r = (k / (C * INNER)) * INNER + k % INNER;
      check(<f64>at(dx0, k), <f64>at(dx, k) / <f64>at(g, r) * <f64>at(g, 0) * 0.5, 1e-5, 'gs 0', k);
    }
  });
});

describe('crossEntropyProbsNd', () => {
  it('weighted, smoothed −Σ w·t′·logp; backward for input and target match finite differences', () => {
    const x = buf(N, 2), t = probTargets(), w = weights(), out = buf(ROWS, 0), logp = buf(N, 0), scr = buf(N, 0);
    crossEntropyProbsNd(x, t, w, out, logp, OUTER, C, INNER, EPS, 0, 1);
    for (let o = 0; o < OUTER; o++) for (let i = 0; i < INNER; i++) {
      check(<f64>at(out, o * INNER + i), ceProbRef(x, t, w, o, i), 1e-5, 'crossEntropyProbsNd out', o * INNER + i);
    }
    const g = buf(ROWS, 5), dx = buf(N, 0), dt = buf(N, 0);
    crossEntropyProbsNdBackward(logp, t, w, g, 1, dx, dt, OUTER, C, INNER, EPS, 1);
    const h: f32 = 1e-2;
    for (let k = 0; k < N; k++) {
      const r = (k / (C * INNER)) * INNER + k % INNER;
      let v = at(x, k);
      set(x, k, v + h); crossEntropyProbsNd(x, t, w, out, scr, OUTER, C, INNER, EPS, 0, 1); let lp = <f64>at(out, r);
      set(x, k, v - h); crossEntropyProbsNd(x, t, w, out, scr, OUTER, C, INNER, EPS, 0, 1); let lm = <f64>at(out, r);
      set(x, k, v);
      check(<f64>at(dx, k), <f64>at(g, r) * (lp - lm) / <f64>((v + h) - (v - h)), 3e-3, 'crossEntropyProbsNd dx fd', k);
      v = at(t, k);
      set(t, k, v + h); crossEntropyProbsNd(x, t, w, out, scr, OUTER, C, INNER, EPS, 0, 1); lp = <f64>at(out, r);
      set(t, k, v - h); crossEntropyProbsNd(x, t, w, out, scr, OUTER, C, INNER, EPS, 0, 1); lm = <f64>at(out, r);
      set(t, k, v);
      check(<f64>at(dt, k), <f64>at(g, r) * (lp - lm) / <f64>((v + h) - (v - h)), 3e-3, 'crossEntropyProbsNd dt fd', k);
    }
  });
});

describe('nllLoss', () => {
  it('−w[t]·x[t] per sample over strided classes, and the scattered backward', () => {
    const x = buf(N, 4), t = targets(), w = weights(), out = buf(ROWS, 0), g = buf(ROWS, 1), dx = buf(N, 7);
    nllLoss(x, t, w, out, OUTER, C, INNER, IGNORE, 0, 1);
    for (let o = 0; o < OUTER; o++) for (let i = 0; i < INNER; i++) {
      const r = o * INNER + i, ti = load<i32>(t + (<usize>r << 2));
      check(<f64>at(out, r), ti == IGNORE ? 0 : -<f64>at(w, ti) * <f64>at(x, xi(o, ti, i)), 1e-6, 'nllLoss', r);
    }
    nllLossBackward(t, w, g, 1, dx, OUTER, C, INNER, IGNORE, 0.5);
    for (let o = 0; o < OUTER; o++) for (let c = 0; c < C; c++) for (let i = 0; i < INNER; i++) {
      const r = o * INNER + i, ti = load<i32>(t + (<usize>r << 2));
      const want: f64 = ti == c ? -<f64>at(w, c) * <f64>at(g, r) * 0.5 : 0;
      check(<f64>at(dx, xi(o, c, i)), want, 1e-6, 'nllLossBackward', xi(o, c, i));
    }
  });
});

// ---- elementwise -------------------------------------------------------------------------------

const LENGTHS: i32[] = [1, 3, 4, 7, 8, 9, 17, 33];
function term64(kind: i32, d: f64, p: f64): f64 {
  const z = Math.abs(d);
  if (kind == 0) return d * d;
  if (kind == 1) return z;
  if (kind == 2) return z < p ? 0.5 * z * z / p : z - 0.5 * p;
  return z < p ? 0.5 * z * z : p * (z - 0.5 * p);
}
function grad64(kind: i32, d: f64, p: f64): f64 {
  if (kind == 0) return 2 * d;
  if (kind == 1) return d > 0 ? 1 : d < 0 ? -1 : 0;
  if (kind == 2) return d <= -p ? -1 : d >= p ? 1 : d / p;
  return d <= -p ? -p : d >= p ? p : d;
}

describe('elementLoss', () => {
  it('MSE, L1, smooth L1 and Huber terms and sums, on and off the SIMD width', () => {
    for (let kind = 0; kind < 4; kind++) {
      const p: f32 = kind == 2 ? 0.7 : kind == 3 ? 1.3 : 0;
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const a = buf(n, 1), b = buf(n, 2.5), out = buf(n, 0);
        elementLoss(kind, a, b, out, n, p, 0, 1);
        let s: f64 = 0;
        for (let i = 0; i < n; i++) {
          const want = term64(kind, <f64>(at(a, i) - at(b, i)), <f64>p);
          s += want;
          check(<f64>at(out, i), want, 1e-6, 'elementLoss kind ' + kind.toString() + ' n ' + n.toString(), i);
        }
        elementLoss(kind, a, b, out, n, p, 1, 0.5);
        check(<f64>at(out, 0), s * 0.5, 1e-5, 'elementLoss sum kind ' + kind.toString() + ' n ' + n.toString(), 0);
      }
    }
  });

  it('backward writes da and db = −da (either may be skipped), for gs = 0 and gs = 1', () => {
    for (let kind = 0; kind < 4; kind++) {
      const p: f32 = kind == 2 ? 0.7 : kind == 3 ? 1.3 : 0;
      for (let li = 0; li < LENGTHS.length; li++) {
        const n = LENGTHS[li];
        const a = buf(n, 1), b = buf(n, 2.5), g = buf(n, 4), da = buf(n, 0), db = buf(n, 0);
        for (let gs = 0; gs <= 1; gs++) {
          elementLossBackward(kind, a, b, g, gs, da, db, n, p, 0.25);
          for (let i = 0; i < n; i++) {
            const want = grad64(kind, <f64>(at(a, i) - at(b, i)), <f64>p) * <f64>at(g, i * gs) * 0.25;
            check(<f64>at(da, i), want, 1e-6, 'elementLossBackward da kind ' + kind.toString(), i);
            check(<f64>at(db, i), -want, 1e-6, 'elementLossBackward db kind ' + kind.toString(), i);
          }
        }
        set(db, 0, 42);
        elementLossBackward(kind, a, b, g, 1, da, 0, n, p, 1);
        check(<f64>at(db, 0), 42, 0, 'db skipped', 0);
      }
    }
  });
});

// ---- KL divergence, BCE ------------------------------------------------------------------------

describe('klDiv', () => {
  it('xlogy(t, t) − t·x (0 at t = 0) and eᵗ(t − x); gradients match finite differences', () => {
    const n = 9;
    for (let lt = 0; lt <= 1; lt++) {
      const x = buf(n, 1), t = buf(n, 3), out = buf(n, 0), g = buf(n, 2), dx = buf(n, 0), dt = buf(n, 0);
      if (!lt) { for (let i = 0; i < n; i++) set(t, i, Mathf.abs(at(t, i)) * 0.4); set(t, 4, 0); }
      klDiv(x, t, out, n, lt, 0, 1);
      for (let i = 0; i < n; i++) {
        const xv = <f64>at(x, i), tv = <f64>at(t, i);
        const want = lt ? Math.exp(tv) * (tv - xv) : (tv == 0 ? 0 : tv * Math.log(tv)) - tv * xv;
        check(<f64>at(out, i), want, 1e-5, 'klDiv logTarget ' + lt.toString(), i);
      }
      klDivBackward(x, t, g, 1, dx, dt, n, lt, 1);
      const h: f32 = 1e-2;
      for (let i = 0; i < n; i++) {
        let v = at(x, i);
        set(x, i, v + h); klDiv(x, t, out, n, lt, 0, 1); let lp = <f64>at(out, i);
        set(x, i, v - h); klDiv(x, t, out, n, lt, 0, 1); let lm = <f64>at(out, i);
        set(x, i, v);
        check(<f64>at(dx, i), <f64>at(g, i) * (lp - lm) / <f64>((v + h) - (v - h)), 3e-3, 'klDiv dx fd', i);
        if (!lt && i == 4) { expect<bool>(isNaN(at(dt, i))).toBe(true, 'PyTorch: NaN target gradient at t = 0'); continue; }
        v = at(t, i);
        set(t, i, v + h); klDiv(x, t, out, n, lt, 0, 1); lp = <f64>at(out, i);
        set(t, i, v - h); klDiv(x, t, out, n, lt, 0, 1); lm = <f64>at(out, i);
        set(t, i, v);
        check(<f64>at(dt, i), <f64>at(g, i) * (lp - lm) / <f64>((v + h) - (v - h)), 1e-2, 'klDiv dt fd', i);
      }
    }
  });
});

describe('bce', () => {
  it('clamps the logs at −100, weighs with a period, and returns the first input outside [0, 1]', () => {
    const n = 12, x = buf(n, 0), y = buf(n, 0), w = buf(3, 0), out = buf(n, 0);
    for (let i = 0; i < n; i++) { set(x, i, 0.05 + <f32>i * 0.08); set(y, i, Mathf.abs(Mathf.sin(<f32>i))); }
    set(x, 0, 0); set(x, 11, 1);
    for (let c = 0; c < 3; c++) set(w, c, 0.5 + <f32>c);
    expect<i32>(bce(x, y, w, 3, out, n, 0, 1)).toBe(-1);
    for (let i = 0; i < n; i++) {
      const xv = <f64>at(x, i), yv = <f64>at(y, i);
      const want = <f64>at(w, i % 3) * ((yv - 1) * Math.max(Math.log(1 - xv), -100) - yv * Math.max(Math.log(xv), -100));
      check(<f64>at(out, i), want, 1e-5, 'bce', i);
    }
    set(x, 5, 1.5);
    expect<i32>(bce(x, y, w, 3, out, n, 1, 1)).toBe(5);
    set(x, 5, NaN);
    expect<i32>(bce(x, y, 0, 0, out, n, 1, 1)).toBe(5);
  });

  it('backward: w·g·(x − y)/max(x(1 − x), 1e-12) and w·g·(log(1 − x) − log x)', () => {
    const n = 7, x = buf(n, 0), y = buf(n, 0), w = buf(2, 0), g = buf(n, 1), dx = buf(n, 0), dy = buf(n, 0);
    for (let i = 0; i < n; i++) { set(x, i, 0.1 + <f32>i * 0.12); set(y, i, Mathf.abs(Mathf.cos(<f32>i))); }
    set(w, 0, 0.7); set(w, 1, 1.9);
    bceBackward(x, y, w, 2, g, 1, dx, dy, n, 0.5);
    for (let i = 0; i < n; i++) {
      const xv = <f64>at(x, i), yv = <f64>at(y, i), gw = <f64>at(g, i) * 0.5 * <f64>at(w, i % 2);
      check(<f64>at(dx, i), gw * (xv - yv) / (xv * (1 - xv)), 1e-5, 'bce dx', i);
      check(<f64>at(dy, i), gw * (Math.log(1 - xv) - Math.log(xv)), 1e-5, 'bce dy', i);
    }
  });
});

describe('bceLogits', () => {
  it('the stable log-sigmoid form with posWeight and weight periods; gradients match finite differences', () => {
    const n = 10, x = buf(n, 1), y = buf(n, 0), w = buf(2, 0), pw = buf(5, 0), out = buf(n, 0);
    for (let i = 0; i < n; i++) { set(y, i, Mathf.abs(Mathf.sin(<f32>i * 2))); set(x, i, at(x, i) * 3); }
    for (let c = 0; c < 5; c++) set(pw, c, 0.5 + <f32>c * 0.6);
    set(w, 0, 1.3); set(w, 1, 0.6);
    set(x, 3, 80); set(x, 7, -80); // no overflow
    bceLogits(x, y, w, 2, pw, 5, out, n, 0, 1);
    for (let i = 0; i < n; i++) {
      const xv = <f64>at(x, i), yv = <f64>at(y, i);
      const ls = Math.min(xv, 0) - Math.log1p(Math.exp(-Math.abs(xv)));
      const want = <f64>at(w, i % 2) * ((1 - yv) * xv - (1 + (<f64>at(pw, i % 5) - 1) * yv) * ls);
      check(<f64>at(out, i), want, 1e-5, 'bceLogits', i);
    }
    set(x, 3, 1.1); set(x, 7, -0.4);
    const g = buf(n, 2), dx = buf(n, 0), dy = buf(n, 0);
    for (let p = 0; p <= 1; p++) {
      const pn = p ? 5 : 0;
      bceLogitsBackward(x, y, w, 2, pw, pn, g, 1, dx, dy, n, 1);
      const h: f32 = 1e-2;
      for (let i = 0; i < n; i++) {
        let v = at(x, i);
        set(x, i, v + h); bceLogits(x, y, w, 2, pw, pn, out, n, 0, 1); let lp = <f64>at(out, i);
        set(x, i, v - h); bceLogits(x, y, w, 2, pw, pn, out, n, 0, 1); let lm = <f64>at(out, i);
        set(x, i, v);
        check(<f64>at(dx, i), <f64>at(g, i) * (lp - lm) / <f64>((v + h) - (v - h)), 3e-3, 'bceLogits dx fd', i);
        v = at(y, i);
        set(y, i, v + h); bceLogits(x, y, w, 2, pw, pn, out, n, 0, 1); lp = <f64>at(out, i);
        set(y, i, v - h); bceLogits(x, y, w, 2, pw, pn, out, n, 0, 1); lm = <f64>at(out, i);
        set(y, i, v);
        check(<f64>at(dy, i), <f64>at(g, i) * (lp - lm) / <f64>((v + h) - (v - h)), 3e-3, 'bceLogits dy fd', i);
      }
    }
  });
});
