// The optim family's kernels (Adagrad, Adadelta, Adamax, NAdam, RAdam) against f64 scalar
// references of PyTorch 2.x's single-tensor formulas written here, over several steps. Lengths
// 3, 8 and 11 take the v128 loop only, the scalar tail only, and both; buffers start 4 bytes
// past a 16-byte boundary.
import { adagrad, adadelta, adamax, nadam, radam } from '../../assembly/optim';

function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function filled(n: i32, v: f32): usize {
  const p = buf(n, 0);
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), v);
  return p;
}
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function load64(p: usize, n: i32): f64[] {
  const r = new Array<f64>(n);
  for (let i = 0; i < n; i++) r[i] = <f64>at(p, i);
  return r;
}
function check(p: usize, ref: f64[], n: i32, ctx: string): void {
  for (let i = 0; i < n; i++) {
    const got = <f64>at(p, i), want = ref[i];
    const ok = Math.abs(got - want) <= 1e-5 * (1 + Math.abs(want));
    if (!ok) expect<f64>(got).toBe(want, ctx + ' [' + i.toString() + ']');
    else expect<bool>(ok).toBe(true);
  }
}
// step s's gradient: a different pattern each step
function grad(n: i32, s: i32): usize { return buf(n, 10 + <f32>s * 2.1); }

const LENS: i32[] = [3, 8, 11];
const STEPS = 6;

describe('adagrad', () => {
  it('follows torch.optim.Adagrad (lr decay, weight decay, initial accumulator, maximize)', () => {
    // lrDecay, wd, init, maximize
    const cfg: f32[] = [0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0.1, 0.5, 0, 0.05, 0.2, 0.1, 1];
    const lr: f32 = 0.1, eps: f32 = 1e-10;
    for (let li = 0; li < LENS.length; li++) for (let c = 0; c < cfg.length / 4; c++) {
      const n = LENS[li];
      const decay = cfg[c * 4], wd = cfg[c * 4 + 1], init = cfg[c * 4 + 2], maxi = cfg[c * 4 + 3] != 0;
      const p = buf(n, 3), sum = filled(n, init);
      const rp = load64(p, n), rs = load64(sum, n);
      for (let s = 0; s < STEPS; s++) {
        const g = grad(n, s);
        const clr = <f64>lr / (1 + <f64>s * <f64>decay);
        adagrad(p, g, sum, n, <f32>clr, eps, wd, maxi);
        for (let i = 0; i < n; i++) {
          const gi = (maxi ? -1.0 : 1.0) * <f64>at(g, i) + <f64>wd * rp[i];
          rs[i] += gi * gi;
          rp[i] -= clr * gi / (Math.sqrt(rs[i]) + <f64>eps);
        }
        const ctx = 'adagrad n ' + n.toString() + ' cfg ' + c.toString() + ' step ' + s.toString();
        check(p, rp, n, ctx + ' param');
        check(sum, rs, n, ctx + ' sum');
      }
    }
  });
});

describe('adadelta', () => {
  it('follows torch.optim.Adadelta (rho, eps, weight decay, maximize)', () => {
    // lr, rho, wd, maximize
    const cfg: f32[] = [1, 0.9, 0, 0, 0.5, 0.8, 0.1, 0, 1, 0.95, 0, 1];
    const eps: f32 = 1e-6;
    for (let li = 0; li < LENS.length; li++) for (let c = 0; c < cfg.length / 4; c++) {
      const n = LENS[li];
      const lr = cfg[c * 4], rho = cfg[c * 4 + 1], wd = cfg[c * 4 + 2], maxi = cfg[c * 4 + 3] != 0;
      const p = buf(n, 3), sq = filled(n, 0), acc = filled(n, 0);
      const rp = load64(p, n), rsq = load64(sq, n), racc = load64(acc, n);
      for (let s = 0; s < STEPS; s++) {
        const g = grad(n, s);
        adadelta(p, g, sq, acc, n, lr, rho, eps, wd, maxi);
        for (let i = 0; i < n; i++) {
          const gi = (maxi ? -1.0 : 1.0) * <f64>at(g, i) + <f64>wd * rp[i];
          rsq[i] = <f64>rho * rsq[i] + (1 - <f64>rho) * gi * gi;
          const d = Math.sqrt(racc[i] + <f64>eps) / Math.sqrt(rsq[i] + <f64>eps) * gi;
          racc[i] = <f64>rho * racc[i] + (1 - <f64>rho) * d * d;
          rp[i] -= <f64>lr * d;
        }
        const ctx = 'adadelta n ' + n.toString() + ' cfg ' + c.toString() + ' step ' + s.toString();
        check(p, rp, n, ctx + ' param');
        check(sq, rsq, n, ctx + ' square_avg');
        check(acc, racc, n, ctx + ' acc_delta');
      }
    }
  });
});

describe('adamax', () => {
  it('follows torch.optim.Adamax (betas, weight decay, maximize)', () => {
    // beta1, beta2, wd, maximize
    const cfg: f32[] = [0.9, 0.999, 0, 0, 0.8, 0.9, 0.1, 0, 0.9, 0.5, 0, 1];
    const lr: f32 = 0.01, eps: f32 = 1e-8;
    for (let li = 0; li < LENS.length; li++) for (let c = 0; c < cfg.length / 4; c++) {
      const n = LENS[li];
      const b1 = cfg[c * 4], b2 = cfg[c * 4 + 1], wd = cfg[c * 4 + 2], maxi = cfg[c * 4 + 3] != 0;
      const p = buf(n, 3), m = filled(n, 0), u = filled(n, 0);
      const rp = load64(p, n), rm = load64(m, n), ru = load64(u, n);
      for (let s = 0; s < STEPS; s++) {
        const g = grad(n, s);
        const clr = <f64>lr / (1 - Math.pow(<f64>b1, s + 1));
        adamax(p, g, m, u, n, <f32>clr, b1, b2, eps, wd, maxi);
        for (let i = 0; i < n; i++) {
          const gi = (maxi ? -1.0 : 1.0) * <f64>at(g, i) + <f64>wd * rp[i];
          rm[i] = <f64>b1 * rm[i] + (1 - <f64>b1) * gi;
          ru[i] = Math.max(<f64>b2 * ru[i], Math.abs(gi) + <f64>eps);
          rp[i] -= clr * rm[i] / ru[i];
        }
        const ctx = 'adamax n ' + n.toString() + ' cfg ' + c.toString() + ' step ' + s.toString();
        check(p, rp, n, ctx + ' param');
        check(m, rm, n, ctx + ' exp_avg');
        check(u, ru, n, ctx + ' exp_inf');
      }
    }
  });
});

describe('nadam', () => {
  it('follows PyTorch 2.x NAdam (momentum schedule, L2 or decoupled weight decay, maximize)', () => {
    // wd, decoupled, maximize
    const cfg: f32[] = [0, 0, 0, 0.1, 0, 0, 0.1, 1, 0, 0, 0, 1];
    const lr: f32 = 0.01, b1: f32 = 0.9, b2: f32 = 0.999, eps: f32 = 1e-8, psi: f64 = 0.004;
    for (let li = 0; li < LENS.length; li++) for (let c = 0; c < cfg.length / 3; c++) {
      const n = LENS[li];
      const wd = cfg[c * 3], dec = cfg[c * 3 + 1] != 0, maxi = cfg[c * 3 + 2] != 0;
      const p = buf(n, 3), m = filled(n, 0), v = filled(n, 0);
      const rp = load64(p, n), rm = load64(m, n), rv = load64(v, n);
      let muProduct: f64 = 1;
      for (let s = 0; s < STEPS; s++) {
        const t = <f64>(s + 1);
        const g = grad(n, s);
        const mu = <f64>b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
        const muNext = <f64>b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
        muProduct *= mu;
        const c1 = <f64>lr * (1 - mu) / (1 - muProduct), c2 = <f64>lr * muNext / (1 - muProduct * muNext);
        const bc2 = 1 - Math.pow(<f64>b2, t);
        nadam(p, g, m, v, n, lr, b1, b2, eps, wd, dec, maxi, <f32>bc2, <f32>c1, <f32>c2);
        for (let i = 0; i < n; i++) {
          let gi = (maxi ? -1.0 : 1.0) * <f64>at(g, i);
          if (dec) rp[i] *= 1 - <f64>lr * <f64>wd;
          else gi += <f64>wd * rp[i];
          rm[i] = <f64>b1 * rm[i] + (1 - <f64>b1) * gi;
          rv[i] = <f64>b2 * rv[i] + (1 - <f64>b2) * gi * gi;
          const d = Math.sqrt(rv[i] / bc2) + <f64>eps;
          rp[i] -= c1 * gi / d + c2 * rm[i] / d;
        }
        const ctx = 'nadam n ' + n.toString() + ' cfg ' + c.toString() + ' step ' + s.toString();
        check(p, rp, n, ctx + ' param');
        check(m, rm, n, ctx + ' exp_avg');
        check(v, rv, n, ctx + ' exp_avg_sq');
      }
    }
  });
});

describe('radam', () => {
  it('follows torch.optim.RAdam on both sides of the rectification threshold (L2 or decoupled weight decay, maximize)', () => {
    // beta2, wd, decoupled, maximize
    const cfg: f32[] = [0.999, 0, 0, 0, 0.9, 0, 0, 0, 0.9, 0.1, 0, 0, 0.9, 0.1, 1, 1];
    const lr: f32 = 0.01, b1: f32 = 0.9, eps: f32 = 1e-8;
    let rectifiedSeen = false, plainSeen = false;
    for (let li = 0; li < LENS.length; li++) for (let c = 0; c < cfg.length / 4; c++) {
      const n = LENS[li];
      const b2 = cfg[c * 4], wd = cfg[c * 4 + 1], dec = cfg[c * 4 + 2] != 0, maxi = cfg[c * 4 + 3] != 0;
      const p = buf(n, 3), m = filled(n, 0), v = filled(n, 0);
      const rp = load64(p, n), rm = load64(m, n), rv = load64(v, n);
      for (let s = 0; s < STEPS; s++) {
        const t = <f64>(s + 1);
        const g = grad(n, s);
        const bc1 = 1 - Math.pow(<f64>b1, t), bc2 = 1 - Math.pow(<f64>b2, t);
        const rhoInf = 2 / (1 - <f64>b2) - 1;
        const rhoT = rhoInf - 2 * t * Math.pow(<f64>b2, t) / bc2;
        const rect = rhoT > 5 ? Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
        if (rect > 0) rectifiedSeen = true; else plainSeen = true;
        radam(p, g, m, v, n, lr, b1, b2, eps, wd, dec, maxi, <f32>bc1, <f32>Math.sqrt(bc2), <f32>rect);
        for (let i = 0; i < n; i++) {
          let gi = (maxi ? -1.0 : 1.0) * <f64>at(g, i);
          if (dec) rp[i] *= 1 - <f64>lr * <f64>wd;
          else gi += <f64>wd * rp[i];
          rm[i] = <f64>b1 * rm[i] + (1 - <f64>b1) * gi;
          rv[i] = <f64>b2 * rv[i] + (1 - <f64>b2) * gi * gi;
          const mhat = rm[i] / bc1;
          if (rect > 0) rp[i] -= mhat * <f64>lr * (Math.sqrt(bc2) / (Math.sqrt(rv[i]) + <f64>eps)) * rect;
          else rp[i] -= mhat * <f64>lr;
        }
        const ctx = 'radam n ' + n.toString() + ' cfg ' + c.toString() + ' step ' + s.toString();
        check(p, rp, n, ctx + ' param');
        check(m, rm, n, ctx + ' exp_avg');
        check(v, rv, n, ctx + ' exp_avg_sq');
      }
    }
    expect<bool>(rectifiedSeen && plainSeen).toBe(true, 'both branches ran');
  });
});
