// The reductions family's kernels (assembly/reduce.ts, moments.ts, cumsum.ts) against scalar f64 references written
// here, on [outer, n, inner] shapes that reach both the inner == 1 (v128 row) and inner > 1
// (v128 across rows) paths and their scalar tails. Buffers start 4 bytes past a 16-byte boundary.
import { reduce, reduceI32, prodBackward, tieBackward } from '../../assembly/reduce';
import { moments, momentsBackward, logsumexp, pnorm, pnormBackward } from '../../assembly/moments';
import { cumsum } from '../../assembly/cumsum';

function buf(n: i32, seed: f32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<f32>(p + (<usize>i << 2), Mathf.sin(seed + <f32>i * 0.7) * 2);
  return p;
}
function ibuf(n: i32, seed: i32): usize {
  const p = heap.alloc(<usize>(n + 4) << 2) + 4;
  for (let i = 0; i < n; i++) store<i32>(p + (<usize>i << 2), ((i * 7 + seed) % 11) - 5);
  return p;
}
function at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
function set(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
function iat(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
function near(got: f64, want: f64, tol: f64): bool { return Math.abs(got - want) <= tol * (1 + Math.abs(want)); }

const SHAPES: i32[] = [1, 37, 1, 2, 5, 3, 3, 33, 7, 1, 16, 1, 2, 1, 9, 2, 5, 300];

describe('reduce prod and reduceI32', () => {
  it('multiplies along the middle axis (f32) and sums/multiplies/picks exactly (i32)', () => {
    for (let s = 0; s < SHAPES.length; s += 3) {
      const outer = SHAPES[s], n = SHAPES[s + 1], inner = SHAPES[s + 2];
      const x = buf(outer * n * inner, 1), xi = ibuf(outer * n * inner, s);
      const out = buf(outer * inner, 0);
      for (let i = 0; i < outer * n * inner; i++) set(x, i, 1 + at(x, i) * 0.05);
      reduce(5, x, out, outer, n, inner);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let p: f64 = 1;
        for (let k = 0; k < n; k++) p *= <f64>at(x, (o * n + k) * inner + j);
        expect<bool>(near(<f64>at(out, o * inner + j), p, 1e-5)).toBe(true, 'prod');
      }
      for (let op = 0; op <= 5; op++) {
        reduceI32(op, xi, out, outer, n, inner);
        for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
          let sum: i32 = 0, prod: i32 = 1, mx = iat(xi, o * n * inner + j), mn = mx, ai = 0, bi = 0;
          for (let k = 0; k < n; k++) {
            const v = iat(xi, (o * n + k) * inner + j);
            sum += v; prod *= v;
            if (v > mx) { mx = v; ai = k; }
            if (v < mn) { mn = v; bi = k; }
          }
          const want = op == 0 ? sum : op == 1 ? mx : op == 2 ? mn : op == 3 ? ai : op == 4 ? bi : prod;
          expect<i32>(iat(out, o * inner + j)).toBe(want, 'reduceI32 op ' + op.toString());
        }
      }
    }
  });

  it('gives the identity on an empty axis', () => {
    const x = buf(4, 1), out = buf(3, 0);
    reduceI32(0, x, out, 1, 0, 3);
    expect<i32>(iat(out, 2)).toBe(0);
    reduceI32(5, x, out, 1, 0, 1);
    expect<i32>(iat(out, 0)).toBe(1);
    reduce(5, x, out, 1, 0, 3);
    expect<f32>(at(out, 1)).toBe(1);
  });
});

describe('moments', () => {
  it('gives the mean and the corrected two-pass variance / std, and their gradient', () => {
    for (let s = 0; s < SHAPES.length; s += 3) {
      const outer = SHAPES[s], n = SHAPES[s + 1], inner = SHAPES[s + 2];
      if (n < 2) continue;
      const x = buf(outer * n * inner, 2);
      for (let i = 0; i < outer * n * inner; i++) set(x, i, at(x, i) * 0.01 + 300);
      const mean = buf(outer * inner, 0), v = buf(outer * inner, 0), sd = buf(outer * inner, 0);
      moments(x, mean, v, outer, n, inner, <f32>(n - 1), false);
      moments(x, mean, sd, outer, n, inner, <f32>n, true);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let m: f64 = 0;
        for (let k = 0; k < n; k++) m += <f64>at(x, (o * n + k) * inner + j);
        m /= n;
        let q: f64 = 0;
        for (let k = 0; k < n; k++) { const d = <f64>at(x, (o * n + k) * inner + j) - m; q += d * d; }
        expect<bool>(near(<f64>at(mean, o * inner + j), m, 1e-6)).toBe(true, 'mean');
        expect<bool>(near(<f64>at(v, o * inner + j), q / (n - 1), 2e-3)).toBe(true, 'var ' + at(v, o * inner + j).toString() + ' vs ' + (q / (n - 1)).toString());
        expect<bool>(near(<f64>at(sd, o * inner + j), Math.sqrt(q / n), 1e-3)).toBe(true, 'std');
      }
      // gradient of var: 2g(x − mean)/divisor
      const g = buf(outer * inner, 3), dx = buf(outer * n * inner, 0);
      momentsBackward(x, mean, v, g, dx, outer, n, inner, <f32>(n - 1), false);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) for (let k = 0; k < n; k++) {
        const i = (o * n + k) * inner + j;
        const want = 2 * <f64>at(g, o * inner + j) * (<f64>at(x, i) - <f64>at(mean, o * inner + j)) / (n - 1);
        expect<bool>(near(<f64>at(dx, i), want, 1e-5)).toBe(true, 'var backward');
      }
      // gradient of std (divisor n): g(x − mean)/(n·std)
      momentsBackward(x, mean, sd, g, dx, outer, n, inner, <f32>n, true);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) for (let k = 0; k < n; k++) {
        const i = (o * n + k) * inner + j;
        const want = <f64>at(g, o * inner + j) * (<f64>at(x, i) - <f64>at(mean, o * inner + j)) / (n * <f64>at(sd, o * inner + j));
        expect<bool>(near(<f64>at(dx, i), want, 1e-4)).toBe(true, 'std backward');
      }
    }
  });
});

describe('logsumexp', () => {
  it('is stable and handles ±inf rows', () => {
    for (let s = 0; s < SHAPES.length; s += 3) {
      const outer = SHAPES[s], n = SHAPES[s + 1], inner = SHAPES[s + 2];
      const x = buf(outer * n * inner, 4), out = buf(outer * inner, 0);
      for (let i = 0; i < outer * n * inner; i++) set(x, i, at(x, i) * 30 + 100);
      logsumexp(x, out, outer, n, inner);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let m: f64 = -Infinity;
        for (let k = 0; k < n; k++) m = Math.max(m, <f64>at(x, (o * n + k) * inner + j));
        let e: f64 = 0;
        for (let k = 0; k < n; k++) e += Math.exp(<f64>at(x, (o * n + k) * inner + j) - m);
        expect<bool>(near(<f64>at(out, o * inner + j), m + Math.log(e), 1e-6)).toBe(true, 'logsumexp');
      }
    }
    const y = buf(2, 0), r = buf(1, 0);
    set(y, 0, -Infinity); set(y, 1, -Infinity);
    logsumexp(y, r, 1, 2, 1);
    expect<f32>(at(r, 0)).toBe(-Infinity);
    set(y, 1, Infinity);
    logsumexp(y, r, 1, 2, 1);
    expect<f32>(at(r, 0)).toBe(Infinity);
    // inner > 1: columns (−inf, −inf), (inf, 1), (NaN, 0), (−inf, 0), (1, 2)
    const c = buf(10, 0), co = buf(5, 0);
    const cv: f32[] = [-Infinity, Infinity, NaN, -Infinity, 1, -Infinity, 1, 0, 0, 2];
    for (let i = 0; i < 10; i++) set(c, i, cv[i]);
    logsumexp(c, co, 1, 2, 5);
    expect<f32>(at(co, 0)).toBe(-Infinity);
    expect<f32>(at(co, 1)).toBe(Infinity);
    expect<bool>(isNaN(at(co, 2))).toBe(true);
    expect<f32>(at(co, 3)).toBe(0);
    expect<bool>(near(<f64>at(co, 4), Math.log(Math.E + Math.E * Math.E), 1e-6)).toBe(true);
    logsumexp(c, co, 1, 0, 5);
    expect<f32>(at(co, 4)).toBe(-Infinity);
  });
});

describe('prodBackward and tieBackward', () => {
  it('applies the zero rule of prod and splits ties evenly', () => {
    // rows of 4: no zero, one zero, two zeros
    const x = buf(12, 0), g = buf(3, 0), dx = buf(12, 0);
    const vals: f32[] = [2, 3, 4, 5, 2, 0, 4, 5, 0, 3, 0, 5];
    for (let i = 0; i < 12; i++) set(x, i, vals[i]);
    set(g, 0, 1); set(g, 1, 2); set(g, 2, 3);
    prodBackward(x, g, dx, 3, 4, 1);
    const want: f32[] = [60, 40, 30, 24, 0, 80, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 12; i++) expect<f32>(at(dx, i)).toBe(want[i], 'prod backward ' + i.toString());
    // ties along dim 0 of a [3, 2] block: column 0 has 5 twice, column 1 −7 (|x| ties with 7)
    const t = buf(6, 0), v = buf(2, 0), gt = buf(2, 0), dt = buf(6, 0);
    const tv: f32[] = [5, -7, 1, 7, 5, 2];
    for (let i = 0; i < 6; i++) set(t, i, tv[i]);
    set(v, 0, 5); set(v, 1, 7); set(gt, 0, 1); set(gt, 1, 1);
    tieBackward(t, v, gt, dt, 1, 3, 2, false);
    const w1: f32[] = [0.5, 0, 0, 1, 0.5, 0];
    for (let i = 0; i < 6; i++) expect<f32>(at(dt, i)).toBe(w1[i], 'ties ' + i.toString());
    tieBackward(t, v, gt, dt, 1, 3, 2, true);
    const w2: f32[] = [0.5, -0.5, 0, 0.5, 0.5, 0];
    for (let i = 0; i < 6; i++) expect<f32>(at(dt, i)).toBe(w2[i], 'abs ties ' + i.toString());
  });
});

describe('pnorm, pnormBackward, cumsum', () => {
  it('matches f64 references for p = 1, 2, 3, 0.5, 0, ±inf and running sums both ways', () => {
    const ps: f32[] = [1, 2, 3, 0.5, 0, Infinity, -Infinity];
    for (let s = 0; s < SHAPES.length; s += 3) {
      const outer = SHAPES[s], n = SHAPES[s + 1], inner = SHAPES[s + 2];
      const x = buf(outer * n * inner, 5), out = buf(outer * inner, 0);
      for (let pi = 0; pi < ps.length; pi++) {
        const p = ps[pi];
        pnorm(x, out, outer, n, inner, p);
        for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
          let r: f64 = p == -Infinity ? Infinity : 0;
          for (let k = 0; k < n; k++) {
            const a = Math.abs(<f64>at(x, (o * n + k) * inner + j));
            if (p == Infinity) r = Math.max(r, a);
            else if (p == -Infinity) r = Math.min(r, a);
            else if (p == 0) r += a != 0 ? 1 : 0;
            else r += Math.pow(a, <f64>p);
          }
          if (p != 0 && p != Infinity && p != -Infinity) r = Math.pow(r, 1 / <f64>p);
          expect<bool>(near(<f64>at(out, o * inner + j), r, 1e-5)).toBe(true, 'pnorm p ' + p.toString());
        }
        if (p == 2 || p == 3) {
          const g = buf(outer * inner, 6), dx = buf(outer * n * inner, 0);
          pnormBackward(x, out, g, dx, outer, n, inner, p);
          for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) for (let k = 0; k < n; k++) {
            const i = (o * n + k) * inner + j;
            const xv = <f64>at(x, i), nv = <f64>at(out, o * inner + j);
            const want = <f64>at(g, o * inner + j) * (xv < 0 ? -1 : 1) * Math.pow(Math.abs(xv), <f64>p - 1) / Math.pow(nv, <f64>p - 1);
            expect<bool>(near(<f64>at(dx, i), want, 1e-5)).toBe(true, 'pnorm backward');
          }
        }
      }
      const c = buf(outer * n * inner, 0), r = buf(outer * n * inner, 0);
      cumsum(x, c, outer, n, inner, false, false);
      cumsum(x, r, outer, n, inner, true, false);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let total: f64 = 0;
        for (let k = 0; k < n; k++) total += <f64>at(x, (o * n + k) * inner + j);
        let run: f64 = 0;
        for (let k = 0; k < n; k++) {
          const i = (o * n + k) * inner + j;
          const before = run;
          run += <f64>at(x, i);
          expect<bool>(near(<f64>at(c, i), run, 1e-5)).toBe(true, 'cumsum');
          expect<bool>(near(<f64>at(r, i), total - before, 1e-5)).toBe(true, 'reverse cumsum');
        }
      }
      const xi = ibuf(outer * n * inner, 3), ci = buf(outer * n * inner, 0);
      cumsum(xi, ci, outer, n, inner, false, true);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let run: i32 = 0;
        for (let k = 0; k < n; k++) { const i = (o * n + k) * inner + j; run += iat(xi, i); expect<i32>(iat(ci, i)).toBe(run, 'int cumsum'); }
      }
    }
  });
});

describe('reduce max/min/arg* across tiles', () => {
  it('matches the scalar rule (first extreme wins, first NaN wins) past the 1024-column tile and v128 rows', () => {
    const shapes: i32[] = [2, 5, 300, 1, 70, 1, 3, 9, 257, 2, 4, 1030];
    for (let s = 0; s < shapes.length; s += 3) {
      const outer = shapes[s], n = shapes[s + 1], inner = shapes[s + 2];
      const total = outer * n * inner;
      const x = buf(total, 8);
      for (let i = 0; i < total; i++) set(x, i, Mathf.round(at(x, i) * 2) / 2); // many ties
      set(x, total / 2, NaN);
      set(x, 7, NaN);
      const out = buf(outer * inner, 0);
      for (let op = 1; op <= 4; op++) {
        reduce(op, x, out, outer, n, inner);
        for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
          let best = at(x, o * n * inner + j), bi = 0;
          for (let k = 1; k < n; k++) {
            if (isNaN(best)) break;
            const v = at(x, (o * n + k) * inner + j);
            if (isNaN(v) || ((op == 1 || op == 3) ? v > best : v < best)) { best = v; bi = k; }
          }
          const r = o * inner + j;
          if (op <= 2) {
            if (isNaN(best)) expect<bool>(isNaN(at(out, r))).toBe(true, 'NaN');
            else expect<f32>(at(out, r)).toBe(best, 'value op ' + op.toString());
          } else expect<i32>(iat(out, r)).toBe(bi, 'index op ' + op.toString());
        }
      }
    }
  });
});

describe('blocked sums and f64 cumsum', () => {
  it('sum, mean/var, p-norms and logsumexp stay within 1e-6 of f64 past BLOCK elements, RB rows and the column tile', () => {
    // [outer, n, inner]: long rows (BLOCK = 256 elements, a v128 tail, a scalar tail), many rows of
    // few columns (RB = 32 rows per block), and columns past the 1024-column tile
    const shapes: i32[] = [1, 30011, 1, 3, 1000, 1, 1, 5000, 5, 1, 70, 1030];
    for (let s = 0; s < shapes.length; s += 3) {
      const outer = shapes[s], n = shapes[s + 1], inner = shapes[s + 2];
      const total = outer * n * inner;
      const x = buf(total, 9);
      for (let i = 0; i < total; i++) set(x, i, 0.1 + Mathf.abs(at(x, i)));
      const out = buf(outer * inner, 0), mean = buf(outer * inner, 0);
      const sums = new Array<f64>(outer * inner), sq = new Array<f64>(outer * inner), ex = new Array<f64>(outer * inner);
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let a: f64 = 0, b: f64 = 0, e: f64 = 0;
        for (let k = 0; k < n; k++) { const v = <f64>at(x, (o * n + k) * inner + j); a += v; b += v * v; e += Math.exp(v); }
        sums[o * inner + j] = a; sq[o * inner + j] = b; ex[o * inner + j] = e;
      }
      reduce(0, x, out, outer, n, inner);
      for (let r = 0; r < outer * inner; r++) expect<bool>(near(<f64>at(out, r), sums[r], 1e-6)).toBe(true, 'sum');
      pnorm(x, out, outer, n, inner, 2);
      for (let r = 0; r < outer * inner; r++) expect<bool>(near(<f64>at(out, r), Math.sqrt(sq[r]), 1e-6)).toBe(true, 'norm 2');
      pnorm(x, out, outer, n, inner, 1);
      for (let r = 0; r < outer * inner; r++) expect<bool>(near(<f64>at(out, r), sums[r], 1e-6)).toBe(true, 'norm 1');
      logsumexp(x, out, outer, n, inner);
      for (let r = 0; r < outer * inner; r++) expect<bool>(near(<f64>at(out, r), Math.log(ex[r]), 1e-6)).toBe(true, 'logsumexp');
      moments(x, mean, out, outer, n, inner, <f32>(n - 1), false);
      for (let r = 0; r < outer * inner; r++) {
        const m = sums[r] / <f64>n;
        const o = r / inner, j = r % inner;
        let d2: f64 = 0;
        for (let k = 0; k < n; k++) { const d = <f64>at(x, (o * n + k) * inner + j) - m; d2 += d * d; }
        expect<bool>(near(<f64>at(mean, r), m, 1e-6)).toBe(true, 'mean');
        expect<bool>(Math.abs(<f64>at(out, r) - d2 / <f64>(n - 1)) <= 1e-5 * (d2 / <f64>(n - 1))).toBe(true, 'var');
      }
    }
  });

  it('cumsum is the f64 running sum rounded once, both ways, along rows and past the column tile', () => {
    const shapes: i32[] = [1, 30011, 1, 2, 7, 1, 1, 3000, 5, 1, 40, 1030];
    for (let s = 0; s < shapes.length; s += 3) {
      const outer = shapes[s], n = shapes[s + 1], inner = shapes[s + 2];
      const total = outer * n * inner;
      const x = buf(total, 4), c = buf(total, 0), r = buf(total, 0);
      if (s == 0) for (let i = 0; i < total; i++) set(x, i, 0.1);
      cumsum(x, c, outer, n, inner, false, false);
      cumsum(x, r, outer, n, inner, true, false);
      let bad = 0, badReverse = 0;
      for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
        let run: f64 = 0;
        for (let k = 0; k < n; k++) { const i = (o * n + k) * inner + j; run += <f64>at(x, i); if (at(c, i) != <f32>run) bad++; }
        run = 0;
        for (let k = n - 1; k >= 0; k--) { const i = (o * n + k) * inner + j; run += <f64>at(x, i); if (at(r, i) != <f32>run) badReverse++; }
      }
      expect<i32>(bad).toBe(0, 'cumsum');
      expect<i32>(badReverse).toBe(0, 'reverse cumsum');
    }
  });
});
