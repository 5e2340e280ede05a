// Float32 summation accuracy of the reductions (assembly/reduce_rows.ts, moments.ts, cumsum.ts): blocked sums (f32 blocks,
// f64 across blocks) and f64 cumsum, against float64 references computed here from the same
// float32 inputs, and the reviewer's PyTorch 1.13 figures (CPU, float32) as fixed expectations.
// A sequential float32 sum of 1e6 × 0.1 is 0.06% off (100060); PyTorch's cascade sum is ~1e-7.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const F01 = Math.fround(0.1); // the float32 0.1 every element holds

/** Relative error of got against want. */
const rel = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);
function assertRel(got: number, want: number, tol: number, what: string): void {
  assert.ok(rel(got, want) <= tol, `${what}: got ${got}, want ${want} (relative error ${rel(got, want).toExponential(2)} > ${tol})`);
}

/** Deterministic float32 data in [0, 1) (a 32-bit LCG), with an offset. */
function data(n: number, offset = 0, seed = 12345): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = offset + s / 2 ** 32; }
  return a;
}

/** Float64 column/row references of a [rows, cols] float32 matrix. */
function refSum(a: Float32Array, rows: number, cols: number, dim: 0 | 1, f: (v: number) => number = (v) => v): Float64Array {
  const out = new Float64Array(dim === 0 ? cols : rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[dim === 0 ? c : r] += f(a[r * cols + c]);
  return out;
}

function maxRel(got: Tensor, want: Float64Array): number {
  const g = got.tolist() as number[];
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, rel(g[i], want[i]));
  return m;
}

function withTensor<T>(f: () => T): T {
  const before = torch.memory().liveTensors;
  const r = torch.tidy(f);
  assert.equal(torch.memory().liveTensors, before + (r instanceof torch.Tensor ? 1 : 0));
  if (r instanceof torch.Tensor) { const v = r; v.dispose(); }
  return r;
}

// Tolerances. Against float64 of the same float32 inputs: 1e-6 relative for sums, means,
// norms and cumsum (a sequential float32 sum misses by 1e-4 to 1e-3 here); var/std 1e-5 (the
// mean is rounded to float32 before the deviations are taken). Against PyTorch's printed
// float32 results: the same 1e-6 (PyTorch's own errors are ≤ 1e-7 on these).

test('sum and mean of 1e6 × 0.1 match PyTorch (100000.008, 0.1000000089) to 1e-6', () => {
  const exact = F01 * 1e6; // 100000.00149...
  const s = withTensor(() => torch.full([1e6], 0.1).sum().item()) as number;
  assertRel(s, 100000.008, 1e-6, 'sum vs PyTorch');
  assertRel(s, exact, 1e-6, 'sum vs float64');
  const m = withTensor(() => torch.full([1e6], 0.1).mean().item()) as number;
  assertRel(m, 0.1000000089, 1e-6, 'mean vs PyTorch');
  assertRel(m, F01, 1e-6, 'mean vs float64');
});

test('cumsum of 1e5 and 1e6 × 0.1 ends at PyTorch\'s 10000.0 and 100000.0 (f64 running sum)', () => {
  for (const n of [1e5, 1e6]) {
    const last = withTensor(() => torch.full([n], 0.1).cumsum(0).select(0, -1).item()) as number;
    assertRel(last, n / 10, 1e-6, `cumsum(${n})[-1] vs PyTorch`);
    assert.equal(last, Math.fround(F01 * n), `cumsum(${n})[-1] is the float32 of the float64 running sum`);
  }
});

test('cumsum of random data equals the float64 running sum rounded once, along rows and columns, both directions through backward', () => {
  const rows = 1000, cols = 100;
  const a = data(rows * cols, 0.5);
  const got = withTensor(() => {
    const x = torch.tensor(a).reshape([rows, cols]);
    return [x.cumsum(1).flatten().tolist() as number[], x.cumsum(0).flatten().tolist() as number[]];
  }) as number[][];
  let bad = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) { s += a[r * cols + c]; if (got[0][r * cols + c] !== Math.fround(s)) bad++; }
  }
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) { s += a[r * cols + c]; if (got[1][r * cols + c] !== Math.fround(s)) bad++; }
  }
  assert.equal(bad, 0, 'every prefix sum is the float64 sum rounded to float32');
  // backward is the reverse cumsum of the gradient: for g = 0.1 everywhere, dx[k] = 0.1·(n − k)
  const n = 1e5;
  const g = withTensor(() => {
    const x = torch.zeros([n]).requiresGrad_();
    x.cumsum(0).backward(torch.full([n], 0.1));
    const first = (x.grad as Tensor).select(0, 0).item();
    return first;
  }) as number;
  assertRel(g, 10000, 1e-6, 'cumsum backward (reverse running sum)');
});

test('norm of 1e5 × 0.1 is within PyTorch\'s error (31.623825, 3.3e-5 off float64) and 1e-6 of float64; p = 1 and p = 3 too', () => {
  const nrm = withTensor(() => torch.full([1e5], 0.1).norm().item()) as number;
  const exact = Math.sqrt(1e5 * F01 * F01); // 31.6227771 (PyTorch 1.13 gives 31.623825073242188)
  assertRel(nrm, exact, 1e-6, 'norm vs float64');
  assert.ok(Math.abs(nrm - exact) <= Math.abs(31.623825073242188 - exact), `norm ${nrm} no further from float64 than PyTorch's`);
  const a = data(1e6);
  const [n1, n2, n3] = withTensor(() => {
    const x = torch.tensor(a);
    return [x.norm(1).item(), x.norm(2).item(), x.norm(3).item()];
  }) as number[];
  let s1 = 0, s2 = 0, s3 = 0;
  for (const v of a) { s1 += Math.abs(v); s2 += v * v; s3 += Math.abs(v) ** 3; }
  assertRel(n1, s1, 1e-6, 'norm(1) of 1e6');
  assertRel(n2, Math.sqrt(s2), 1e-6, 'norm(2) of 1e6');
  assertRel(n3, Math.cbrt(s3), 1e-6, 'norm(3) of 1e6');
});

test('sum(0) of [1e5, 10] × 0.1 matches PyTorch (10000.001); column and row sums of random data match float64', () => {
  const c0 = withTensor(() => torch.full([1e5, 10], 0.1).sum(0).select(0, 0).item()) as number;
  assertRel(c0, 10000.001, 1e-6, 'sum(0)[0] vs PyTorch');
  for (const [rows, cols] of [[1e5, 10], [10, 1e5], [1000, 1000], [1e6, 1], [333, 3001]] as const) {
    const a = data(rows * cols);
    for (const dim of [0, 1] as const) {
      const [s, m, n2] = withTensor(() => {
        const x = torch.tensor(a).reshape([rows, cols]);
        return [x.sum(dim).clone(), x.mean(dim).clone(), x.norm(2, dim).clone()].map((t) => t.tolist() as number[]);
      }) as number[][];
      const ref = refSum(a, rows, cols, dim), len = dim === 0 ? rows : cols;
      const sq = refSum(a, rows, cols, dim, (v) => v * v);
      for (let i = 0; i < ref.length; i++) {
        assertRel(s[i], ref[i], 1e-6, `sum(${dim}) of [${rows}, ${cols}] at ${i}`);
        assertRel(m[i], ref[i] / len, 1e-6, `mean(${dim}) of [${rows}, ${cols}] at ${i}`);
        assertRel(n2[i], Math.sqrt(sq[i]), 1e-6, `norm(2, ${dim}) of [${rows}, ${cols}] at ${i}`);
      }
    }
  }
});

test('var and std of 1e5–1e6 elements (mean 0.1 and mean 100) match float64 along rows and columns', () => {
  // the reviewer's case: (arange(1e6) % 7).float().var() is 4.000009059906006 in PyTorch 1.13
  const v7 = withTensor(() => torch.tensor(Float32Array.from({ length: 1e6 }, (_, i) => i % 7)).var().item()) as number;
  assertRel(v7, 4.000009059906006, 1e-6, 'var of i % 7 vs PyTorch');
  assertRel(v7, 4.000008999992648, 1e-6, 'var of i % 7 vs float64');
  for (const [rows, cols, offset] of [[1e6, 1, 0.1], [1, 1e6, 100], [1e5, 10, 0.1], [10, 1e5, 100], [1000, 1000, 100]] as const) {
    const a = data(rows * cols, offset);
    for (const dim of [0, 1] as const) {
      const len = dim === 0 ? rows : cols;
      if (len < 2) continue;
      const [v, sd] = withTensor(() => {
        const x = torch.tensor(a).reshape([rows, cols]);
        return [x.var(dim).tolist() as number[], torch.std(x, dim).tolist() as number[]];
      }) as number[][];
      const mean = Array.from(refSum(a, rows, cols, dim), (s) => s / len);
      const out = new Float64Array(mean.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
        const i = dim === 0 ? c : r;
        out[i] += (a[r * cols + c] - mean[i]) ** 2;
      }
      for (let i = 0; i < out.length; i++) {
        const want = out[i] / (len - 1);
        assertRel(v[i], want, 1e-5, `var(${dim}) of [${rows}, ${cols}] + ${offset} at ${i}`);
        assertRel(sd[i], Math.sqrt(want), 1e-5, `std(${dim}) of [${rows}, ${cols}] + ${offset} at ${i}`);
      }
    }
  }
});

test('logsumexp of 1e6 elements matches float64 along rows and columns', () => {
  const z = withTensor(() => torch.zeros([1e6]).logsumexp(0).item()) as number;
  assert.ok(Math.abs(z - Math.log(1e6)) <= 1e-6, `logsumexp of 1e6 zeros: ${z}`);
  for (const [rows, cols] of [[1e6, 1], [1e5, 10], [10, 1e5]] as const) {
    const a = data(rows * cols);
    for (const dim of [0, 1] as const) {
      const got = withTensor(() => torch.tensor(a).reshape([rows, cols]).logsumexp(dim).tolist()) as number[];
      const ref = refSum(a, rows, cols, dim, Math.exp);
      // a relative error e of the sum is an absolute error e of its log: 1e-6 absolute (one
      // float32 ulp of log(1e6) ≈ 13.8 is 9.5e-7)
      for (let i = 0; i < ref.length; i++) {
        const want = Math.log(ref[i]);
        assert.ok(Math.abs(got[i] - want) <= 1e-6, `logsumexp(${dim}) of [${rows}, ${cols}] at ${i}: got ${got[i]}, want ${want}`);
      }
    }
  }
});
