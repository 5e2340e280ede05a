// The reductions family (src/ops/reduce.ts, assembly/reduce.ts, moments.ts, cumsum.ts): PyTorch fixtures
// (tests/fixtures/gen_reductions.py → reductions.json), finite differences for every
// differentiable reduction, int32/bool inputs, empty dims, NaN, error paths and memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences as fd, assertClose, type FixtureCase, type OpFn } from './oracle.js';

const T = (x: Tensor | number): Tensor => x as Tensor;
/** Fixture kwargs spell ±∞ as strings (JSON has no Infinity). */
const num = (p: unknown): number | 'fro' | undefined =>
  p === 'Infinity' ? Infinity : p === '-Infinity' ? -Infinity : (p as number | 'fro' | undefined);
const varKw = (kw: Record<string, any>) => {
  const o: Record<string, unknown> = {};
  for (const k of ['unbiased', 'correction', 'keepdim']) if (kw[k] !== undefined) o[k] = kw[k];
  return o;
};

/** Each fixture op as wasmtorch spells it. */
const OPS: Record<string, OpFn> = {
  sum: ([a], kw) => T(a).sum(kw.dim, kw.keepdim ?? false),
  mean: ([a], kw) => T(a).mean(kw.dim, kw.keepdim ?? false),
  var: ([a], kw) => T(a).var(kw.dim, varKw(kw)),
  std: ([a], kw) => torch.std(T(a), kw.dim, varKw(kw)),
  logsumexp: ([a], kw) => T(a).logsumexp(kw.dim, kw.keepdim ?? false),
  prod: ([a], kw) => T(a).prod(kw.dim, kw.keepdim ?? false),
  norm: ([a], kw) => T(a).norm(num(kw.p), kw.dim, kw.keepdim ?? false),
  cumsum: ([a], kw) => T(a).cumsum(kw.dim),
  amax: ([a], kw) => T(a).amax(kw.dim, kw.keepdim ?? false),
  amin: ([a], kw) => torch.amin(T(a), kw.dim, kw.keepdim ?? false),
  max: ([a], kw) => (kw.dim === undefined ? T(a).max() : T(a).max(kw.dim, kw.keepdim ?? false)),
  min: ([a], kw) => (kw.dim === undefined ? torch.min(T(a)) : torch.min(T(a), kw.dim, kw.keepdim ?? false)),
  argmax: ([a], kw) => T(a).argmax(kw.dim, kw.keepdim ?? false),
  argmin: ([a], kw) => T(a).argmin(kw.dim, kw.keepdim ?? false),
};

// Tolerances: float32 against PyTorch's float32 (which sums in another order):
// relative 1e-4 and absolute 1e-5 for every case, except the offset var/std cases (values near
// 1000 with a spread of 0.01): relative 2e-3 and absolute 3e-4 there, because one float32 ulp of
// the mean (6e-5 at 1000) over (n − 1)·std ≈ 0.5 moves std's gradient by 1.2e-4; measured against
// float64 on the same inputs, PyTorch's gradient and ours are both 1.0e-4 off.
const fixture = loadFixture<{ cases: FixtureCase[] }>('reductions.json');
for (const c of fixture.cases) {
  test(`PyTorch fixture: ${c.name}`, () => {
    if (c.name.includes('offset')) checkCase(c, 2e-3, 3e-4, OPS);
    else checkCase(c, 1e-4, 1e-5, OPS);
  });
}
test('the fixture covers every op of the family', () => {
  const ops = new Set(fixture.cases.map((c) => c.op));
  for (const op of Object.keys(OPS)) assert.ok(ops.has(op), `no fixture case for ${op}`);
  assert.ok(fixture.cases.length > 120);
});

// ---- finite differences ----------------------------------------------------------------------
torch.manualSeed(11);
const MASK = torch.keep(torch.tensor([[1, 0, 1, 1], [1, 1, 1, 1], [0, 1, 0, 1]]));
const fdCases: [string, (x: Tensor) => Tensor, number[], boolean?][] = [
  ['var all', (x) => x.var(), [3, 4]],
  ['var dim 1 correction 0', (x) => x.var(1, { correction: 0 }), [3, 4]],
  ['var dims [0, 2] (not adjacent) keepdim', (x) => x.var([0, 2], { keepdim: true }), [2, 3, 4]],
  ['std dim -1', (x) => x.std(-1), [3, 5]],
  ['std dims [0, 2] unbiased false', (x) => x.std([2, 0], { unbiased: false }), [2, 3, 4]],
  ['logsumexp dim 1', (x) => x.logsumexp(1), [3, 4]],
  ['logsumexp dims [0, 2]', (x) => x.logsumexp([0, 2], true), [2, 3, 4]],
  ['prod all', (x) => x.prod(), [2, 3], true],
  ['prod dim 0', (x) => x.prod(0), [3, 4]],
  ['prod dim 1 with zeros (one and two per row)', (x) => x.mul(MASK).prod(1), [3, 4]],
  ['norm 2', (x) => x.norm(), [3, 4]],
  ['norm 1 dim 1', (x) => x.norm(1, 1), [3, 4]],
  ['norm 3 dims [0, 2]', (x) => x.norm(3, [0, 2]), [2, 3, 4]],
  ['norm 0.5 dim 0', (x) => x.norm(0.5, 0), [3, 4], true],
  ['norm inf dim 1', (x) => x.norm(Infinity, 1), [3, 4]],
  ['norm -inf all', (x) => x.norm(-Infinity), [3, 4]],
  ['norm fro dims [0, 1]', (x) => x.norm('fro', [0, 1]), [3, 4]],
  ['cumsum dim 0', (x) => x.cumsum(0), [3, 4]],
  ['cumsum dim -1', (x) => x.cumsum(-1), [2, 3, 5]],
  ['amax dims [0, 2]', (x) => x.amax([0, 2]), [2, 3, 4]],
  ['amin dim 1 keepdim', (x) => x.amin(1, true), [3, 4]],
  ['max whole', (x) => x.max(), [3, 4]],
  ['min whole', (x) => x.min(), [3, 4]],
  ['min dim 0', (x) => x.min(0).values, [3, 4]],
];
for (const [name, fn, shape, positive] of fdCases) {
  test(`finite differences: ${name}`, () => fd(name, fn, shape, positive ?? false));
}

// ---- against a float64 reference, on sizes that reach every SIMD path ------------------------
/** A float64 reference reduction of x (shape [a, n, b]) over the middle axis. */
function reference(x: Float32Array, a: number, n: number, b: number, f: (v: number[]) => number): number[] {
  const out: number[] = [];
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) {
    const v: number[] = [];
    for (let k = 0; k < n; k++) v.push(x[(i * n + k) * b + j]);
    out.push(f(v));
  }
  return out;
}
const meanOf = (v: number[]) => v.reduce((s, e) => s + e, 0) / v.length;
const varOf = (v: number[], c = 1) => { const m = meanOf(v); return v.reduce((s, e) => s + (e - m) ** 2, 0) / (v.length - c); };

test('var/std, logsumexp, norms, prod, cumsum match float64 on [3, 37, 5] and [2, 101, 1]', () => {
  torch.tidy(() => {
    for (const [a, n, b] of [[3, 37, 5], [2, 101, 1], [1, 16, 8]]) {
      const x = torch.randn(a, n, b);
      const xs = x.toFloat32Array();
      const ref = (f: (v: number[]) => number) => reference(xs, a, n, b, f);
      assertClose(x.var(1).toFloat32Array(), ref((v) => varOf(v)), `var [${a},${n},${b}]`, 1e-4, 1e-6);
      assertClose(x.std(1, { correction: 0 }).toFloat32Array(), ref((v) => Math.sqrt(varOf(v, 0))), 'std', 1e-4, 1e-6);
      assertClose(x.logsumexp(1).toFloat32Array(), ref((v) => Math.log(v.reduce((s, e) => s + Math.exp(e), 0))), 'logsumexp', 1e-5, 1e-5);
      assertClose(x.norm(2, 1).toFloat32Array(), ref((v) => Math.hypot(...v)), 'norm 2', 1e-5, 1e-6);
      assertClose(x.norm(1, 1).toFloat32Array(), ref((v) => v.reduce((s, e) => s + Math.abs(e), 0)), 'norm 1', 1e-5, 1e-6);
      assertClose(x.norm(2.5, 1).toFloat32Array(), ref((v) => v.reduce((s, e) => s + Math.abs(e) ** 2.5, 0) ** (1 / 2.5)), 'norm 2.5', 1e-4, 1e-6);
      assertClose(x.norm(Infinity, 1).toFloat32Array(), ref((v) => Math.max(...v.map(Math.abs))), 'norm inf', 0, 0);
      assertClose(x.norm(0, 1).toFloat32Array(), ref((v) => v.filter((e) => e !== 0).length), 'norm 0', 0, 0);
      const xp = x.abs().mul(0.1).add(0.95);
      assertClose(xp.prod(1).toFloat32Array(), ref((v) => v.reduce((s, e) => s * (Math.abs(e) * 0.1 + 0.95), 1)), 'prod', 1e-4, 1e-6);
      const cs = x.cumsum(1).toFloat32Array();
      const last = reference(cs, a, n, b, (v) => v[v.length - 1]);
      assertClose(last, ref((v) => v.reduce((s, e) => s + e, 0)), 'cumsum end', 1e-4, 1e-5);
    }
  });
});

test('var is numerically sound: mean 10⁴, spread 10⁻² (a one-pass Σx² − (Σx)²/n gives garbage here)', () => {
  torch.tidy(() => {
    const x = torch.randn(4, 1000).mul(0.01).add(10000);
    const xs = x.toFloat32Array();
    const want = reference(xs, 4, 1000, 1, (v) => varOf(v));
    assertClose(x.var(1).toFloat32Array(), want, 'var rows', 1e-3, 0);
    assertClose(x.t().var(0).toFloat32Array(), want, 'var columns (inner > 1 path)', 1e-3, 0);
    // the one-pass formula in float32 for comparison: far off
    const onePass = x.square().mean(1).sub(x.mean(1).square()).mul(1000 / 999).toFloat32Array();
    assert.ok(Math.abs(onePass[0] - want[0]) > 10 * want[0], `one-pass was ${onePass[0]} vs ${want[0]}`);
  });
});

// ---- PyTorch's rules, case by case -----------------------------------------------------------

test('whole-tensor max/min split the gradient evenly among ties; max(dim) sends it to the returned index', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 3, 3, 2]).requiresGrad_();
    x.max().backward();
    assert.deepEqual(Array.from(x.grad!.toFloat32Array()), [0, 0.5, 0.5, 0]);
    const y = torch.tensor([[5, 1, 5], [0, 0, 2]]).requiresGrad_();
    const { values, indices } = y.max(1);
    assert.deepEqual(Array.from(indices.toInt32Array()), [0, 2]);
    values.sum().backward();
    assert.deepEqual(Array.from(y.grad!.toFloat32Array()), [1, 0, 0, 0, 0, 1]);
    const z = torch.tensor([[2, 2], [2, 7]]).requiresGrad_();
    z.min().backward();
    assert.deepEqual(Array.from(z.grad!.toFloat32Array()), [1 / 3, 1 / 3, 1 / 3, 0].map(Math.fround));
    assert.equal(z.min().gradFn!.name, 'MinBackward1');
  });
});

test('NaN wins max/min and takes the gradient; norms and var propagate it', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, NaN, 3]).requiresGrad_();
    const m = x.max();
    assert.ok(Number.isNaN(m.item()));
    m.backward();
    assert.deepEqual(Array.from(x.grad!.toFloat32Array()), [0, 1, 0]);
    assert.equal(x.max(0).indices.item(), 1);
    assert.ok(Number.isNaN(x.norm(Infinity).item()));
    assert.ok(Number.isNaN(x.var().item()));
  });
});

test('gradients at zero: norms give 0 at a zero vector, std gives 0 for a constant row (as PyTorch)', () => {
  torch.tidy(() => {
    for (const p of [2, 1, 3, 0.5, Infinity, -Infinity]) {
      const x = torch.zeros(2, 3).requiresGrad_();
      x.norm(p, 1).sum().backward();
      assert.deepEqual(Array.from(x.grad!.toFloat32Array()), [0, 0, 0, 0, 0, 0], `p = ${p}`);
    }
    const c = torch.full([2, 3], 2).requiresGrad_();
    c.std(1).sum().backward();
    assert.deepEqual(Array.from(c.grad!.toFloat32Array()), [0, 0, 0, 0, 0, 0]);
  });
});

test('logsumexp is stable: large, very negative, ±inf', () => {
  torch.tidy(() => {
    const x = torch.tensor([[1000, 1000], [-1000, -1000]]);
    assertClose(x.logsumexp(1).toFloat32Array(), [1000 + Math.LN2, -1000 + Math.LN2], 'large', 1e-6, 0);
    const inf = torch.tensor([[-Infinity, -Infinity], [Infinity, 1]]);
    assert.deepEqual(Array.from(inf.logsumexp(1).toFloat32Array()), [-Infinity, Infinity]);
  });
});

test('empty dims: sum 0, prod 1, mean/var NaN, logsumexp -inf, max/amax/argmax throw (as PyTorch)', () => {
  torch.tidy(() => {
    const e = torch.zeros(2, 0);
    assert.deepEqual(Array.from(e.sum(1).toFloat32Array()), [0, 0]);
    assert.equal(e.sum().item(), 0);
    assert.deepEqual(Array.from(e.prod(1).toFloat32Array()), [1, 1]);
    assert.equal(e.prod().item(), 1);
    assert.ok(Number.isNaN(e.mean().item()));
    assert.ok(e.mean(1).toFloat32Array().every(Number.isNaN));
    assert.ok(e.var(1).toFloat32Array().every(Number.isNaN));
    assert.deepEqual(Array.from(e.logsumexp(1).toFloat32Array()), [-Infinity, -Infinity]);
    assert.deepEqual(Array.from(e.norm(2, 1).toFloat32Array()), [0, 0]);
    assert.deepEqual(e.cumsum(1).shape, [2, 0]);
    assert.deepEqual(e.amax(0).shape, [0]);
    const g = torch.zeros(0, 3).requiresGrad_();
    const before = torch.memory();
    assert.throws(() => e.max(1), (err: Error) => err instanceof RangeError && /max\(\): expected reduction dim 1 to have non-zero size/.test(err.message));
    assert.throws(() => e.max(), (err: Error) => err instanceof RangeError && /max\(\): expected a non-empty tensor.*\[2, 0\]/.test(err.message));
    assert.throws(() => e.amax(1), /amax\(\): expected reduction dim 1 to have non-zero size/);
    assert.throws(() => e.argmin(1), /argmin\(\): expected reduction dim 1 to have non-zero size/);
    assert.throws(() => e.norm(Infinity, 1), /norm: cannot compute the Infinity-norm over an empty reduction/);
    assert.throws(() => g.amax(0), /amax\(\): expected reduction dim 0/);
    assert.deepEqual(torch.memory(), before);
  });
});

test('int32: exact sums, products, extremes, cumsum; mean/var/norm/logsumexp refuse it as PyTorch', () => {
  torch.tidy(() => {
    const i = torch.tensor([[16777217, 1, -3], [5, 5, 2]], { dtype: 'int32' });
    const s = i.sum();
    assert.equal(s.dtype, 'int32');
    assert.equal(s.item(), 16777217 + 1 - 3 + 10 + 2, 'exact beyond float32 integers');
    assert.deepEqual(Array.from(i.sum(0).toInt32Array()), [16777222, 6, -1]);
    assert.equal(i.prod(1).dtype, 'int32');
    assert.deepEqual(Array.from(i.prod(1).toInt32Array()), [-50331651, 50]);
    assert.equal(i.max().item(), 16777217);
    assert.equal(i.max().dtype, 'int32');
    assert.deepEqual(Array.from(i.max(1).indices.toInt32Array()), [0, 0], 'the first of ties');
    assert.deepEqual(Array.from(i.argmin(1).toInt32Array()), [2, 2]);
    assert.deepEqual(Array.from(i.amin(0).toInt32Array()), [5, 1, -3]);
    assert.deepEqual(Array.from(i.cumsum(1).toInt32Array()), [16777217, 16777218, 16777215, 5, 10, 12]);
    // int32 wraps where PyTorch's int64 would not
    assert.equal(torch.tensor([2 ** 31 - 1, 1], { dtype: 'int32' }).sum().item(), -(2 ** 31));
    const msg = /mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: int32/;
    assert.throws(() => i.mean(), (e: Error) => e instanceof TypeError && msg.test(e.message));
    assert.throws(() => i.var(), (e: Error) => e instanceof TypeError && /var: std and var only support floating point/.test(e.message));
    assert.throws(() => i.std(0), /std: std and var only support floating point/);
    assert.throws(() => i.norm(), /norm: expected a float32 tensor, got int32/);
    assert.throws(() => i.logsumexp(0), /logsumexp: expected a float32 tensor, got int32/);
  });
});

test('bool: sum counts into int32, prod/cumsum give int32, max/amax stay bool', () => {
  torch.tidy(() => {
    const b = torch.tensor([[true, false, true], [true, true, true]]);
    assert.equal(b.dtype, 'bool');
    const s = b.sum();
    assert.equal(s.dtype, 'int32');
    assert.equal(s.item(), 5);
    assert.deepEqual(Array.from(b.sum(1).toInt32Array()), [2, 3]);
    assert.deepEqual(Array.from(b.prod(1).toInt32Array()), [0, 1]);
    assert.equal(b.cumsum(1).dtype, 'int32');
    assert.equal(b.amax(1).dtype, 'bool');
    assert.deepEqual(Array.from(b.argmin(1).toInt32Array()), [1, 0]);
    assert.throws(() => b.mean(), /mean\(\): could not infer output dtype.*Got: bool/);
  });
});

test('torch.X functions equal the methods; gradFn names are PyTorch 2.x names', () => {
  torch.tidy(() => {
    const x = torch.randn(3, 4).requiresGrad_();
    const same = (a: Tensor, b: Tensor) => assert.deepEqual(Array.from(a.toFloat32Array()), Array.from(b.toFloat32Array()));
    same(torch.var(x, 1), x.var(1));
    same(torch.var(x, { correction: 0 }), x.var({ correction: 0 }));
    same(torch.var(x, null, { unbiased: false }), x.var({ unbiased: false }));
    same(torch.std(x, [0, 1]), x.std());
    same(torch.logsumexp(x, -1), x.logsumexp(-1));
    same(torch.prod(x, 0), x.prod(0));
    same(torch.norm(x, 1, 0), x.norm(1, 0));
    same(torch.norm(x), x.norm('fro'));
    same(torch.cumsum(x, 1), x.cumsum(1));
    same(torch.amax(x), x.max());
    same(torch.amin(x, 0), x.min(0).values);
    const names: [Tensor, string][] = [
      [x.var(), 'VarBackward0'], [x.std(0), 'StdBackward0'], [x.logsumexp(0), 'LogsumexpBackward0'],
      [x.prod(), 'ProdBackward0'], [x.prod(1), 'ProdBackward1'], [x.norm(), 'LinalgVectorNormBackward0'],
      [x.cumsum(0), 'CumsumBackward0'], [x.amax(0), 'AmaxBackward0'], [x.amin(), 'AminBackward0'],
      [x.max(), 'MaxBackward1'], [x.max(0).values, 'MaxBackward0'], [x.sum(), 'SumBackward0'], [x.mean(1), 'MeanBackward1'],
    ];
    for (const [t, name] of names) assert.equal(t.gradFn!.name, name);
    assert.equal(x.var(1, { keepdim: true }).shape.join(), '3,1');
    assert.equal(x.std({ keepdim: true }).shape.join(), '1,1');
  });
});

// ---- error paths: a named error before any write, memory and inputs unchanged ------------------

test('errors: wrong dims, options, p and dtypes throw named errors and allocate nothing', () => {
  torch.tidy(() => {
    const x = torch.randn(2, 3);
    const data = Array.from(x.toFloat32Array());
    const before = torch.memory();
    const cases: [() => unknown, new (...a: any[]) => Error, RegExp][] = [
      [() => x.var(2), RangeError, /var: dimension 2 is out of range for a tensor of 2 dims \(expected in \[-2, 1\]\)/],
      [() => x.std([0, 0]), RangeError, /std: dim \[0, 0\] repeats a dimension/],
      [() => x.var(0, { keepDim: true } as any), TypeError, /var: unknown option 'keepDim' \(did you mean 'keepdim'\?\); known options: unbiased, correction, keepdim/],
      [() => x.var(0, true as any), TypeError, /var: the second argument is an options object/],
      [() => x.var(0, { unbiased: false, correction: 0 }), TypeError, /give either unbiased or correction, not both/],
      [() => x.std(0, { correction: -1 }), TypeError, /std: option 'correction' must be a finite number ≥ 0, got number -1/],
      [() => x.var(0, { unbiased: 1 } as any), TypeError, /var: option 'unbiased' must be a boolean, got number 1/],
      [() => x.var({ keepdim: true } as any, {}), TypeError, /var: expected \(dim\?, options\?\)/],
      [() => x.logsumexp(undefined as any), TypeError, /logsumexp: dim is required/],
      [() => x.logsumexp(-3), RangeError, /logsumexp: dimension -3 is out of range/],
      [() => x.prod([0, 1] as any), TypeError, /prod: dim must be a single number/],
      [() => x.prod(5), RangeError, /prod: dimension 5 is out of range/],
      [() => x.norm('nuc' as any), TypeError, /norm: p must be a number \(Infinity and -Infinity included\) or 'fro', got string "nuc"/],
      [() => x.norm(NaN), TypeError, /norm: p must be a number/],
      [() => x.norm('fro', [0, 1, 0] as any), RangeError, /repeats a dimension|Frobenius/],
      [() => x.cumsum(undefined as any), TypeError, /cumsum: dim is required and must be a number/],
      [() => x.cumsum(2), RangeError, /cumsum: dimension 2 is out of range/],
      [() => x.sum(0, 1 as any), TypeError, /sum: keepdim must be a boolean, got number 1/],
      [() => x.amax('0' as any), TypeError, /amax: dim must be a number or an array of numbers, got string "0"/],
      [() => x.max(1.5), RangeError, /max: dimension 1.5 is out of range/],
      [() => x.argmax(0, 'yes' as any), TypeError, /argmax: keepdim must be a boolean/],
    ];
    for (const [fn, type, re] of cases) {
      assert.throws(fn, (e: Error) => e instanceof type && re.test(e.message), `expected ${type.name} matching ${re}`);
    }
    assert.deepEqual(torch.memory(), before);
    assert.deepEqual(Array.from(x.toFloat32Array()), data);
  });
  const d = torch.randn(3);
  d.dispose();
  assert.throws(() => d.var(), /var: the tensor of shape \[3\] was disposed/);
});

// ---- memory ----------------------------------------------------------------------------------

test('memory: forward and backward of every reduction free their intermediates', () => {
  const x = torch.randn(2, 3, 4).requiresGrad_();
  const w = torch.randn(2, 3, 4);
  const run = () => {
    const parts = [
      x.var([0, 2]).sum(), x.std(1, { keepdim: true }).sum(), x.logsumexp([2, 0]).sum(), x.prod(1).sum(),
      x.norm(3, [0, 2]).sum(), x.norm(Infinity, 1).sum(), x.cumsum(2).mul(w).sum(), x.amax([0, 2]).sum(),
      x.amin().mul(2), x.max(), x.max(1).values.sum(), x.mul(w).sum([0, 2]).sum(),
    ];
    let total = parts[0];
    for (const p of parts.slice(1)) { const next = total.add(p); total = next; }
    total.backward();
  };
  torch.tidy(run); // warm-up: scratch blocks are allocated once
  x.grad!.dispose(); x.grad = null;
  const before = torch.memory();
  torch.tidy(run);
  x.grad!.dispose(); x.grad = null;
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors);
  assert.equal(after.bytesInUse, before.bytesInUse);
  // without tidy: dispose the result; the saved buffers go with backward
  const y = x.var([0, 2]);
  const l = y.sum();
  l.backward();
  y.dispose(); l.dispose(); x.grad!.dispose(); x.grad = null;
  assert.equal(torch.memory().bytesInUse, before.bytesInUse);
  x.dispose(); w.dispose();
});

test('softmax and logSoftmax over the last dim (the v128 row path): every row length 1–40 and 1000 within 4e-6 of float64, −∞ masks give exactly 0, rows with +∞, NaN or only −∞ as before', () => torch.tidy(() => {
  const ref = (row: ArrayLike<number>, log: boolean): number[] => {
    let m = -Infinity; for (let i = 0; i < row.length; i++) m = Math.max(m, row[i]);
    let s = 0; for (let i = 0; i < row.length; i++) s += Math.exp(row[i] - m);
    return Array.from(row, (v) => (log ? (v - m) - Math.log(s) : Math.exp(v - m) / s));
  };
  torch.manualSeed(3);
  for (const n of [...Array.from({ length: 40 }, (_, i) => i + 1), 1000]) {
    const v = torch.randn(3, n).mul(8).toFloat32Array();
    for (let i = 1; i < v.length; i += 4) v[i] = -Infinity; // masked logits, never a whole row
    const x = torch.tensor(Array.from(v)).reshape(3, n);
    for (const log of [false, true]) {
      const y = (log ? x.logSoftmax(1) : x.softmax(1)).toFloat32Array();
      for (let r = 0; r < 3; r++) {
        const want = ref(v.subarray(r * n, (r + 1) * n), log);
        want.forEach((w, i) => {
          const got = y[r * n + i];
          if (!Number.isFinite(w)) assert.equal(got, w, `n=${n} log=${log} [${r},${i}]`);
          else if (!log && w === 0) assert.equal(got, 0, `n=${n} [${r},${i}]: a masked logit gives exactly 0`);
          else assert.ok(Math.abs(got - w) <= 4e-6 * Math.max(1, Math.abs(w)), `n=${n} log=${log} [${r},${i}]: ${got} vs ${w}`);
        });
      }
    }
  }
  const special = torch.tensor([[Infinity, 1, 2, 3, 4, 5, 6, 7, 8], [NaN, 1, 2, 3, 4, 5, 6, 7, 8], Array(9).fill(-Infinity)]);
  for (const row of Array.from(special.softmax(1).toFloat32Array())) assert.ok(Number.isNaN(row) || row === 0, `${row}`);
  assert.ok(Array.from(special.softmax(1).toFloat32Array().subarray(9, 27)).every(Number.isNaN), 'a NaN row and an all −∞ row give NaN, as PyTorch');
}));
