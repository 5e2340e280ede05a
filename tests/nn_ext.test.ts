// The nn family of issue 7: nn.init, nn.utils (clipGradNorm_, clipGradValue_, parametersToVector,
// vectorToParameters), F.normalize / F.oneHot / F.dropout, ModuleList / ModuleDict /
// ParameterList, Module.apply / namedModules / requiresGrad_. PyTorch's values come from
// tests/fixtures/gen_nn.py (nn.json). Tolerances: forward and gradients rtol 1e-4, atol 1e-5
// (float32 against PyTorch's float32); clipped norms rtol 1e-5; statistics as stated per test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, assertClose, checkFiniteDifferences, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;

interface KaimingEntry { a: number; mode: 'fanIn' | 'fanOut'; nonlinearity: 'leaky_relu' | 'relu' | 'tanh'; std: number; bound: number }
interface Fixture {
  gains: { nonlinearity: string; param?: number | null; gain: number }[];
  fans: { shape: number[]; fanIn: number; fanOut: number; xavier: { gain: number; std: number; bound: number }[]; kaiming: KaimingEntry[] }[];
  clip: { name: string; normType: number | string; maxNorm: number; shapes: number[][]; grads: (number[] | null)[]; total: number; clipped: (number[] | null)[] }[];
  cases: FixtureCase[];
  oneHot: { name: string; input: { shape: number[]; data: number[] }; numClasses: number; out: { shape: number[]; data: number[] } }[];
  containers: { stateDictKeys: string[]; namedParameters: string[]; namedModules: string[]; namedModulesPrefix: string[]; repr: string; reprOneParam: string; reprEmptyList: string };
}
const fx = loadFixture<Fixture>('nn.json');
const num = (v: number | string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : (v as number));


function mean(v: Float32Array): number { let s = 0; for (const x of v) s += x; return s / v.length; }
function std(v: Float32Array): number { const m = mean(v); let s = 0; for (const x of v) s += (x - m) ** 2; return Math.sqrt(s / (v.length - 1)); }

/** Fills a tensor of `shape` with `init` until ≥ 40,000 samples are gathered. */
function draws(shape: number[], init: (t: Tensor) => Tensor): Float32Array {
  const per = shape.reduce((a, b) => a * b, 1);
  const reps = Math.ceil(40000 / per);
  const out = new Float32Array(per * reps);
  torch.tidy(() => {
    const t = torch.empty(shape);
    for (let r = 0; r < reps; r++) {
      assert.equal(init(t), t, 'the initialiser returns its tensor');
      out.set(t.toFloat32Array(), r * per);
    }
  });
  return out;
}

// ---- nn.init ---------------------------------------------------------------------------------

test('calculateGain equals PyTorch for every nonlinearity (PyTorch strings, leaky_relu slope default 0.01, selu 3/4)', () => {
  for (const g of fx.gains) {
    const got = g.param === undefined ? nn.init.calculateGain(g.nonlinearity as never)
      : nn.init.calculateGain(g.nonlinearity as never, g.param ?? undefined);
    assert.ok(Math.abs(got - g.gain) < 1e-12, `${g.nonlinearity}(${g.param}): ${got} vs ${g.gain}`);
  }
  assert.equal(nn.init.calculateGain('selu'), 0.75);
  assert.throws(() => nn.init.calculateGain('leakyRelu' as never), (e: Error) => e instanceof RangeError && /did you mean 'leaky_relu'/.test(e.message));
  assert.throws(() => nn.init.calculateGain('softplus' as never), /unsupported nonlinearity 'softplus'; expected one of linear/);
  assert.throws(() => nn.init.calculateGain('relu', 0.2), (e: Error) => e instanceof TypeError && /only by 'leaky_relu'/.test(e.message));
  assert.throws(() => nn.init.calculateGain('leaky_relu', '0.2' as never), TypeError);
  assert.throws(() => nn.init.calculateGain(3 as never), TypeError);
});

test('xavier and kaiming draw within PyTorch\'s fan-based bounds, with its stds (conv-shaped weights included; ≥ 40,000 draws each, std within 2.5 %)', () => {
  torch.manualSeed(3);
  for (const f of fx.fans) {
    for (const x of f.xavier) {
      const u = draws(f.shape, (t) => nn.init.xavierUniform_(t, { gain: x.gain }));
      assert.ok(u.every((v) => Math.abs(v) <= x.bound * (1 + 1e-6)), `xavierUniform_ ${f.shape} within ±${x.bound}`);
      assert.ok(Math.abs(std(u) / (x.bound / Math.sqrt(3)) - 1) < 0.025, `xavierUniform_ ${f.shape} std`);
      const n = draws(f.shape, (t) => nn.init.xavierNormal_(t, { gain: x.gain }));
      assert.ok(Math.abs(std(n) / x.std - 1) < 0.025, `xavierNormal_ ${f.shape} gain ${x.gain}: std ${std(n)} vs ${x.std}`);
      assert.ok(Math.abs(mean(n)) < 0.03 * x.std, 'mean 0');
    }
    for (const k of f.kaiming) {
      const opts = k.nonlinearity === 'leaky_relu' ? { a: k.a, mode: k.mode, nonlinearity: k.nonlinearity } : { mode: k.mode, nonlinearity: k.nonlinearity };
      const u = draws(f.shape, (t) => nn.init.kaimingUniform_(t, opts));
      assert.ok(u.every((v) => Math.abs(v) <= k.bound * (1 + 1e-6)), `kaimingUniform_ ${f.shape} ${JSON.stringify(opts)} within ±${k.bound}`);
      assert.ok(Math.max(...u.map(Math.abs)) > 0.99 * k.bound, 'spans the interval');
      const n = draws(f.shape, (t) => nn.init.kaimingNormal_(t, opts));
      assert.ok(Math.abs(std(n) / k.std - 1) < 0.025, `kaimingNormal_ ${f.shape} ${JSON.stringify(opts)}: std ${std(n)} vs ${k.std}`);
    }
  }
  // the defaults: a = 0, mode 'fanIn', nonlinearity 'leaky_relu' → gain √2 / √(1 + 0)
  const w = draws([20, 10], (t) => nn.init.kaimingNormal_(t));
  assert.ok(Math.abs(std(w) / (Math.sqrt(2) / Math.sqrt(10)) - 1) < 0.025);
});

test('uniform_, normal_, constant_, zeros_, ones_, eye_ fill in place under noGrad and return the tensor', () => {
  torch.manualSeed(5);
  const p = new nn.Parameter(torch.empty(200, 200));
  assert.equal(nn.init.uniform_(p, { a: -0.5, b: 2 }), p, 'works on a parameter outside noGrad');
  const u = p.toFloat32Array();
  assert.ok(u.every((v) => v >= -0.5 && v < 2) && Math.abs(mean(u) - 0.75) < 0.02 && Math.abs(std(u) - 2.5 / Math.sqrt(12)) < 0.01);
  assert.ok(p.isLeaf && p.gradFn === null && p.requiresGrad);
  nn.init.uniform_(p);
  assert.ok(p.toFloat32Array().every((v) => v >= 0 && v < 1), 'default [0, 1)');
  nn.init.normal_(p, { mean: 3, std: 0.5 });
  assert.ok(Math.abs(mean(p.toFloat32Array()) - 3) < 0.01 && Math.abs(std(p.toFloat32Array()) - 0.5) < 0.01);
  assert.deepEqual(nn.init.constant_(torch.empty(2, 2), 0.25).tolist(), [[0.25, 0.25], [0.25, 0.25]]);
  assert.deepEqual(nn.init.zeros_(torch.ones(3)).tolist(), [0, 0, 0]);
  assert.deepEqual(nn.init.ones_(torch.zeros(2, 1)).tolist(), [[1], [1]]);
  assert.deepEqual(nn.init.eye_(torch.empty(2, 3)).tolist(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(nn.init.eye_(torch.zeros([3, 2], { dtype: 'int32' })).tolist(), [[1, 0], [0, 1], [0, 0]], 'eye_ on int32');
  assert.deepEqual(nn.init.constant_(torch.zeros([2], { dtype: 'int32' }), 7).tolist(), [7, 7]);
  // writes through a strided view
  const base = torch.zeros(3, 2);
  nn.init.eye_(base.t());
  assert.deepEqual(base.tolist(), [[1, 0], [0, 1], [0, 0]]);
  // reproducible from the seed
  torch.manualSeed(9); const a = nn.init.xavierNormal_(torch.empty(4, 5)).toFloat32Array();
  torch.manualSeed(9); const b = nn.init.xavierNormal_(torch.empty(4, 5)).toFloat32Array();
  assert.deepEqual(a, b);
});

test('truncNormal_ stays in [a, b] with the truncated normal\'s mean and std (100,000 draws)', () => {
  torch.manualSeed(2);
  const phi = (x: number): number => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  const cdf = (x: number): number => { // by Simpson's rule, enough for the check
    const n = 2000, lo = -10, h = (x - lo) / n; let s = phi(lo) + phi(x);
    for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * phi(lo + i * h);
    return s * h / 3;
  };
  for (const [mean0, sd, a, b] of [[0, 1, -2, 2], [1, 2, 0, 3], [0, 0.02, -0.04, 0.04]]) {
    const t = nn.init.truncNormal_(torch.empty(100000), { mean: mean0, std: sd, a, b });
    const v = t.toFloat32Array();
    assert.ok(v.every((x) => x >= a && x <= b), `within [${a}, ${b}]`);
    const al = (a - mean0) / sd, be = (b - mean0) / sd, Z = cdf(be) - cdf(al);
    const m = mean0 + sd * (phi(al) - phi(be)) / Z;
    const s = sd * Math.sqrt(1 + (al * phi(al) - be * phi(be)) / Z - ((phi(al) - phi(be)) / Z) ** 2);
    assert.ok(Math.abs(mean(v) - m) < 0.02 * sd, `mean ${mean(v)} vs ${m}`);
    assert.ok(Math.abs(std(v) / s - 1) < 0.02, `std ${std(v)} vs ${s}`);
  }
  assert.deepEqual(nn.init.truncNormal_(torch.empty(3)).shape, [3], 'defaults mean 0, std 1, a −2, b 2');
});

test('orthogonal_: QᵀQ = I (tall), QQᵀ = I (wide, conv-shaped), scaled by gain', () => {
  torch.manualSeed(4);
  torch.tidy(() => {
    const eyeClose = (m: Tensor, n: number, scale: number, what: string): void => {
      const want = torch.eye(n).mul(scale * scale).toFloat32Array();
      assertClose(m.toFloat32Array(), want, what, 0, 2e-5 * Math.max(1, scale * scale));
    };
    const tall = nn.init.orthogonal_(torch.empty(50, 20));
    eyeClose(tall.t().matmul(tall), 20, 1, 'QᵀQ of 50×20');
    const wide = nn.init.orthogonal_(torch.empty(6, 30), { gain: 2 });
    eyeClose(wide.matmul(wide.t()), 6, 2, 'QQᵀ of 6×30 with gain 2');
    const conv = nn.init.orthogonal_(torch.empty(8, 2, 3, 3));
    const flat = conv.reshape(8, 18);
    eyeClose(flat.matmul(flat.t()), 8, 1, 'QQᵀ of an 8×2×3×3 weight');
    const square = nn.init.orthogonal_(torch.empty(16, 16), { gain: nn.init.calculateGain('relu') });
    eyeClose(square.t().matmul(square), 16, Math.SQRT2, 'square with gain √2');
  });
});

test('nn.init errors: bad options, modes, shapes and dtypes throw before writing', () => {
  const w = torch.ones(4, 3);
  const before = w.toFloat32Array();
  throwsClean(() => nn.init.kaimingUniform_(w, { mode: 'fan_in' as never }), TypeError, /option 'mode' must be one of "fanIn", "fanOut", got string "fan_in"/);
  throwsClean(() => nn.init.kaimingNormal_(w, { nonlinearity: 'leakyRelu' as never }), RangeError, /did you mean 'leaky_relu'/);
  throwsClean(() => nn.init.kaimingUniform_(w, { a: 0.1, nonlinearity: 'relu' }), TypeError, /option 'a' is used only with nonlinearity 'leaky_relu'/);
  throwsClean(() => nn.init.xavierUniform_(w, { gain: '2' as never }), TypeError, /option 'gain' must be a number/);
  throwsClean(() => nn.init.uniform_(w, { low: 0 } as never), TypeError, /unknown option 'low'; known options: a, b/);
  throwsClean(() => nn.init.uniform_(w, { a: 2, b: 1 }), RangeError, /a <= b/);
  throwsClean(() => nn.init.normal_(w, { std: -1 }), RangeError, /std >= 0/);
  throwsClean(() => nn.init.truncNormal_(w, { a: 1, b: -1 }), RangeError, /a <= b/);
  const v = torch.ones(5), cube = torch.ones(2, 2, 2), ints = torch.zeros([3], { dtype: 'int32' });
  throwsClean(() => nn.init.xavierNormal_(v), RangeError, /fewer than 2 dimensions \(shape \[5\]\)/);
  throwsClean(() => nn.init.kaimingUniform_(v), RangeError, /fewer than 2 dimensions/);
  throwsClean(() => nn.init.orthogonal_(v), RangeError, /2 or more dimensions/);
  throwsClean(() => nn.init.eye_(cube), RangeError, /only tensors with 2 dimensions/);
  throwsClean(() => nn.init.uniform_(ints), TypeError, /expected a float32 tensor, got int32/);
  throwsClean(() => nn.init.constant_(w, null as never), TypeError, /value must be a number/);
  throwsClean(() => nn.init.zeros_([1, 2] as never), TypeError, /expected a Tensor, got an array/);
  assert.deepEqual(w.toFloat32Array(), before, 'the tensor is unchanged');
  const empty = torch.empty(0, 3);
  assert.equal(nn.init.kaimingUniform_(empty), empty, 'a zero-element tensor is left as it is (PyTorch: a no-op)');
});

// ---- nn.utils ------------------------------------------------------------------------------

function withGrads(shapes: number[][], grads: (number[] | null)[]): Tensor[] {
  return shapes.map((s, i) => {
    const p = new nn.Parameter(torch.zeros(s));
    if (grads[i]) p.grad = torch.tensor(Float32Array.from(grads[i]!)).reshape(s);
    return p;
  });
}

test('clipGradNorm_ matches PyTorch: total norm (0-dim) and clipped gradients for p = 2, 1, ∞, 3, 0.5, −∞, 0', () => {
  for (const c of fx.clip) {
    const params = withGrads(c.shapes, c.grads);
    const total = nn.utils.clipGradNorm_(params, c.maxNorm, { normType: num(c.normType) });
    assert.deepEqual(total.shape, [], `${c.name}: a 0-dim tensor`);
    assert.ok(Math.abs(total.item() - c.total) <= 1e-5 * Math.abs(c.total) + 1e-7, `${c.name}: total ${total.item()} vs ${c.total}`);
    params.forEach((p, i) => {
      if (c.clipped[i] === null) assert.equal(p.grad, null);
      else assertClose(p.grad!.toFloat32Array(), c.clipped[i]!, `${c.name}: clipped grad ${i}`, 1e-5, 1e-7);
    });
    params.forEach((p) => p.dispose());
    total.dispose();
  }
});

test('clipGradNorm_: one tensor, no gradients, non-finite norms (errorIfNonfinite), options', () => {
  const p = new nn.Parameter(torch.zeros(2));
  assert.equal(nn.utils.clipGradNorm_(p, 1).item(), 0, 'no gradients: tensor(0.)');
  p.grad = torch.tensor([3, 4]);
  assert.equal(nn.utils.clipGradNorm_(p, 10).item(), 5);
  assert.deepEqual(p.grad.tolist(), [3, 4], 'not clipped below maxNorm');
  const t = nn.utils.clipGradNorm_(p, 1);
  assert.ok(Math.abs(t.item() - 5) < 1e-6);
  assertClose(p.grad.toFloat32Array(), [0.6, 0.8], 'clipped to norm 1 (1e-6 epsilon)', 1e-6, 0);
  // non-finite: PyTorch scales by maxNorm/inf = 0 (inf·0 = NaN) unless errorIfNonfinite
  const q = new nn.Parameter(torch.zeros(2));
  q.grad = torch.tensor([Infinity, 1]);
  throwsClean(() => nn.utils.clipGradNorm_([q], 1, { errorIfNonfinite: true }), Error, /total norm of order 2 .* is non-finite \(Infinity\)/);
  assert.deepEqual(q.grad.tolist(), [Infinity, 1], 'nothing written');
  assert.equal(nn.utils.clipGradNorm_([q], 1).item(), Infinity);
  const g = q.grad.toFloat32Array();
  assert.ok(Number.isNaN(g[0]) && g[1] === 0);
  q.grad = torch.tensor([NaN, 1]);
  throwsClean(() => nn.utils.clipGradNorm_([q], 1, { errorIfNonfinite: true, normType: Infinity }), Error, /non-finite \(NaN\)/);
  // options are checked
  throwsClean(() => nn.utils.clipGradNorm_([p], 1, { norm_type: 1 } as never), TypeError, /unknown option 'norm_type' \(did you mean 'normType'\?\); known options: normType, errorIfNonfinite/);
  throwsClean(() => nn.utils.clipGradNorm_([p], 1, { foreach: true } as never), TypeError, /unknown option 'foreach'/);
  throwsClean(() => nn.utils.clipGradNorm_([p], 1, { normType: 'inf' } as never), TypeError, /option 'normType' must be a number/);
  throwsClean(() => nn.utils.clipGradNorm_([p], '1' as never), TypeError, /maxNorm must be a number/);
  throwsClean(() => nn.utils.clipGradNorm_([p, 3] as never, 1), TypeError, /parameter 1 is not a Tensor/);
  throwsClean(() => nn.utils.clipGradNorm_(null as never, 1), TypeError, /a Tensor or an iterable of tensors/);
  // a model's parameters, as in a training loop; no tensors leak
  const model = new nn.Sequential(new nn.Linear(5, 4), new nn.ReLU(), new nn.Linear(4, 2));
  torch.tidy(() => model.forward(torch.randn(3, 5)).sum().backward());
  const before = torch.memory().liveTensors;
  nn.utils.clipGradNorm_(model.parameters(), 0.01).dispose();
  assert.equal(torch.memory().liveTensors, before);
  const total = nn.utils.clipGradNorm_(model.parameters(), 1e9);
  assert.ok(Math.abs(total.item() - 0.01) < 1e-6, `after clipping the norm is maxNorm (${total.item()})`);
});

test('clipGradValue_ clamps every gradient to [−v, v] in place', () => {
  const a = new nn.Parameter(torch.zeros(4)), b = new nn.Parameter(torch.zeros(2)), c = new nn.Parameter(torch.zeros(1));
  a.grad = torch.tensor([-3, -0.5, 0.2, 9]);
  b.grad = torch.tensor([0.1, -0.1]);
  assert.equal(nn.utils.clipGradValue_([a, b, c], 1), undefined);
  assert.deepEqual(a.grad.tolist(), [-1, -0.5, 0.20000000298023224, 1]);
  assert.deepEqual(b.grad.tolist(), [0.10000000149011612, -0.10000000149011612]);
  assert.equal(c.grad, null);
  nn.utils.clipGradValue_(a, 0.25);
  assert.deepEqual(a.grad.tolist(), [-0.25, -0.25, 0.20000000298023224, 0.25]);
  throwsClean(() => nn.utils.clipGradValue_([a], '1' as never), TypeError, /clipValue must be a number/);
});

test('parametersToVector / vectorToParameters: values, round trip, gradient, errors', () => {
  const lin = new nn.Linear(3, 2);
  const extra = new nn.Parameter(torch.tensor([[7, 8]]));
  const params = [...lin.parameters(), extra];
  const v = nn.utils.parametersToVector(params);
  assert.deepEqual(v.shape, [3 * 2 + 2 + 2]);
  assert.deepEqual(Array.from(v.toFloat32Array()), [...lin.weight.toFloat32Array(), ...lin.bias!.toFloat32Array(), 7, 8]);
  assert.equal(v.gradFn?.name, 'CatBackward0');
  // the gradient of Σ v·w reaches each parameter as its slice of w
  const range = (n: number): Tensor => torch.tensor(Float32Array.from({ length: n }, (_, i) => i));
  const w = range(10).mul(1.5);
  v.mul(w).sum().backward();
  assert.deepEqual(Array.from(lin.weight.grad!.toFloat32Array()), [0, 1.5, 3, 4.5, 6, 7.5]);
  assert.deepEqual(lin.bias!.grad!.tolist(), [9, 10.5]);
  assert.deepEqual(extra.grad!.tolist(), [[12, 13.5]]);
  // round trip through a scaled vector
  const doubled = torch.noGrad(() => v.mul(2));
  nn.utils.vectorToParameters(doubled, params);
  assert.deepEqual(extra.tolist(), [[14, 16]]);
  assert.deepEqual(Array.from(nn.utils.parametersToVector(params).toFloat32Array()), Array.from(doubled.toFloat32Array()));
  // a strided vector works too
  const strided = torch.tensor([3]).expand(10); // a 1-D view with stride 0
  assert.ok(!strided.isContiguous());
  nn.utils.vectorToParameters(strided, params);
  assert.deepEqual(extra.tolist(), [[3, 3]]);
  // errors leave every parameter as it was
  const snapshot = nn.utils.parametersToVector(params).toFloat32Array();
  const short = torch.zeros(9), flat2 = torch.zeros(2, 5), ints = torch.zeros([10], { dtype: 'int32' });
  throwsClean(() => nn.utils.vectorToParameters(short, params), RangeError, /vec has 9 elements but the parameters have 10/);
  throwsClean(() => nn.utils.vectorToParameters(flat2, params), RangeError, /vec must be 1-D, got shape \[2, 5\]/);
  throwsClean(() => nn.utils.vectorToParameters([1, 2] as never, params), TypeError, /expected vec to be a Tensor/);
  throwsClean(() => nn.utils.vectorToParameters(ints, params), TypeError, /vec is int32/);
  assert.deepEqual(nn.utils.parametersToVector(params).toFloat32Array(), snapshot);
  assert.equal(nn.utils.parametersToVector([]).numel(), 0);
});

// ---- F.normalize, F.oneHot, F.dropout -------------------------------------------------------

const OPS: Record<string, OpFn> = {
  normalize: ([x], kw) => F.normalize(x as Tensor, { ...kw, ...(kw.p !== undefined ? { p: num(kw.p) } : {}) }),
};

test('F.normalize matches PyTorch forward and gradient (p = 2, 1, 3, 0.5, ∞ with ties; dims incl. negative; zero rows against eps; 1-D)', () => {
  assert.ok(fx.cases.length >= 10);
  for (const c of fx.cases) checkCase(c, 1e-4, 1e-5, OPS);
});

test('finite differences: F.normalize', () => {
  checkFiniteDifferences('normalize p=2 dim=1', (x) => F.normalize(x), [3, 4]);
  checkFiniteDifferences('normalize p=2 dim=0', (x) => F.normalize(x, { dim: 0 }), [3, 4]);
  checkFiniteDifferences('normalize p=1 dim=-1', (x) => F.normalize(x, { p: 1, dim: -1 }), [2, 3, 4]);
  checkFiniteDifferences('normalize p=3', (x) => F.normalize(x, { p: 3 }), [3, 5]);
  checkFiniteDifferences('normalize p=∞', (x) => F.normalize(x, { p: Infinity }), [4, 5]);
  checkFiniteDifferences('normalize large eps', (x) => F.normalize(x, { eps: 10 }), [3, 4]);
});

test('finite differences: parametersToVector', () => {
  checkFiniteDifferences('parametersToVector', (x) => nn.utils.parametersToVector([x.mul(2), x.t(), x.sum(0)]), [3, 2]);
});

test('F.normalize errors and memory', () => {
  const x = torch.randn(2, 3);
  throwsClean(() => F.normalize(x, { p: 0 }), RangeError, /p must be a positive number or Infinity, got 0/);
  throwsClean(() => F.normalize(x, { dim: 2 }), RangeError, /dimension 2 is out of range/);
  throwsClean(() => F.normalize(x, { axis: 1 } as never), TypeError, /unknown option 'axis'; known options: p, dim, eps/);
  const ints = torch.zeros([2], { dtype: 'int32' }), empty = torch.zeros(2, 0);
  throwsClean(() => F.normalize(ints, { dim: 0 }), TypeError, /expected a float32 tensor/);
  throwsClean(() => F.normalize(empty, { p: Infinity }), RangeError, /empty dimension/);
  const before = torch.memory().liveTensors;
  torch.tidy(() => {
    const y = torch.randn(4, 6, { requiresGrad: true });
    F.normalize(y, { p: Infinity }).sum().backward();
  });
  assert.equal(torch.memory().liveTensors, before, 'forward and backward leave nothing behind');
});

test('F.oneHot matches PyTorch (int32 in, int32 out where PyTorch gives int64), errors name the index and the size', () => {
  for (const c of fx.oneHot) {
    const input = torch.tensor(Int32Array.from(c.input.data)).reshape(c.input.shape);
    const out = F.oneHot(input, c.numClasses);
    assert.equal(out.dtype, 'int32');
    assert.deepEqual(out.shape, c.out.shape, c.name);
    assert.deepEqual(Array.from(out.toInt32Array()), c.out.data, c.name);
  }
  const idx = torch.tensor([0, 3], { dtype: 'int32' });
  throwsClean(() => F.oneHot(idx, 3), RangeError, /class index 3 \(element 1\) is out of range for 3 classes/);
  const neg = torch.tensor([1, -1], { dtype: 'int32' }), floats = torch.tensor([0.0, 1.0]), none = torch.zeros([0], { dtype: 'int32' });
  throwsClean(() => F.oneHot(neg), RangeError, /class index -1 \(element 1\)/);
  throwsClean(() => F.oneHot(floats), TypeError, /only applicable to index tensors \(int32\), got float32/);
  throwsClean(() => F.oneHot(none), RangeError, /cannot infer the number of classes from an empty tensor/);
  throwsClean(() => F.oneHot(idx, -2), RangeError, /numClasses must be -1/);
  throwsClean(() => F.oneHot(idx, '4' as never), TypeError, /numClasses must be a number/);
});

test('F.dropout: options or PyTorch\'s positional form, training true by default, p checked', () => {
  torch.manualSeed(1);
  const x = torch.ones(20000);
  for (const y of [F.dropout(x, { p: 0.2 }), F.dropout(x, 0.2), F.dropout(x, 0.2, true), F.dropout(x, { p: 0.2, training: true })]) {
    const v = y.toFloat32Array();
    const kept = v.filter((e) => e !== 0);
    assert.ok(kept.every((e) => Math.abs(e - 1.25) < 1e-6) && Math.abs(kept.length / 20000 - 0.8) < 0.015);
  }
  assert.ok(Math.abs(F.dropout(x).sum().item() / 20000 - 1) < 0.05, 'p 0.5 by default, scaled by 2');
  assert.deepEqual(F.dropout(x, { training: false }).toFloat32Array(), x.toFloat32Array());
  assert.deepEqual(F.dropout(x, 0.9, false).toFloat32Array(), x.toFloat32Array());
  assert.equal(F.dropout(x, { p: 1 }).sum().item(), 0);
  throwsClean(() => F.dropout(x, { p: 1.5 }), RangeError, /between 0 and 1, but got 1.5/);
  throwsClean(() => F.dropout(x, -0.1), RangeError, /between 0 and 1/);
  throwsClean(() => F.dropout(x, { rate: 0.1 } as never), TypeError, /unknown option 'rate'; known options: p, training/);
  throwsClean(() => F.dropout(x, { training: 1 } as never), TypeError, /option 'training' must be a boolean/);
  throwsClean(() => F.dropout(x, { p: 0.1 }, false), TypeError, /either in the options object or positionally/);
  throwsClean(() => F.dropout(x, 0.1, 'yes' as never), TypeError, /training must be a boolean/);
});

// ---- containers and Module ------------------------------------------------------------------

class Net extends nn.Module {
  scale = new nn.Parameter(torch.ones(1));
  layers = new nn.ModuleList([new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 8)]);
  heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Sequential(new nn.Linear(8, 1)) });
  plist = new nn.ParameterList([new nn.Parameter(torch.zeros(3)), new nn.Parameter(torch.zeros(2, 2))]);
  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.layers) y = (layer.forward as (t: Tensor) => Tensor)(y);
    return (this.heads.get('cls').forward as (t: Tensor) => Tensor)(y).mul(this.scale);
  }
}

test('ModuleList, ModuleDict, ParameterList: PyTorch\'s dotted names in namedParameters, stateDict, namedModules, and its repr', () => {
  const net = new Net();
  const c = fx.containers;
  assert.deepEqual(Object.keys(net.stateDict()), c.stateDictKeys);
  assert.deepEqual([...net.namedParameters()].map(([k]) => k), c.namedParameters);
  assert.deepEqual([...net.namedModules()].map(([k]) => k), c.namedModules);
  assert.deepEqual([...net.namedModules({ prefix: 'net' })].map(([k]) => k), c.namedModulesPrefix);
  assert.equal(net.toString(), c.repr);
  assert.equal(new nn.ParameterList([torch.zeros(3)]).toString(), c.reprOneParam);
  assert.equal(new nn.ModuleList().toString(), c.reprEmptyList);
  // a state dict moves between two such models, and the forward runs
  const other = new Net();
  other.loadStateDict(net.stateDict());
  assert.deepEqual(other.layers.get(2).parameters()[0].toFloat32Array(), net.layers.get(2).parameters()[0].toFloat32Array());
  assert.deepEqual(net.forward(torch.ones(2, 4)).shape, [2, 3]);
  assert.equal(net.parameters().length, 11);
});

test('ModuleList: get/set with negative indices, append, extend, insert, pop, length, iteration; PyTorch 2.x repr of repeated modules', () => {
  const a = new nn.Linear(2, 2), b = new nn.ReLU(), c = new nn.Tanh(), d = new nn.Sigmoid();
  const ml = new nn.ModuleList([a]);
  assert.equal(ml.append(b), ml);
  assert.equal(ml.extend([c]), ml);
  ml.insert(1, d);
  assert.deepEqual([...ml], [a, d, b, c]);
  assert.equal(ml.length, 4);
  assert.equal(ml.get(-1), c);
  ml.set(-1, new nn.GELU());
  assert.ok(ml.get(3) instanceof nn.GELU);
  assert.equal(ml.pop(1), d);
  const last = ml.get(-1);
  assert.equal(ml.pop(), last, 'pop() removes the last');
  assert.equal(ml.length, 2);
  ml.insert(-100, c);
  assert.equal(ml.get(0), c, 'insert before the start clamps, as Python');
  assert.deepEqual([...ml.namedChildren()].map(([k]) => k), ['0', '1', '2']);
  assert.throws(() => ml.get(3), (e: Error) => e instanceof RangeError && /index 3 is out of range for 3 modules/.test(e.message));
  assert.throws(() => ml.get(-4), RangeError);
  assert.throws(() => ml.append(torch.zeros(1) as never), (e: Error) => e instanceof TypeError && /is not an nn.Module/.test(e.message));
  assert.throws(() => ml.extend([a, 5 as never]), TypeError);
  assert.equal(ml.length, 3, 'a failed extend adds nothing');
  assert.throws(() => ml.forward(), /has no forward\(\)/);
  const rep = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.Linear(2, 2), new nn.ReLU(), new nn.Sequential(new nn.ReLU()), new nn.Sequential(new nn.ReLU())]);
  assert.equal(rep.toString(), [
    'ModuleList(',
    '  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)',
    '  (3): ReLU()',
    '  (4-5): 2 x Sequential(',
    '    (0): ReLU()',
    '  )',
    ')',
  ].join('\n'));
  assert.deepEqual(Object.keys(rep.stateDict()), ['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']);
});

test('Sequential.append adds a module at the next index', () => {
  const seq = new nn.Sequential(new nn.Linear(2, 3));
  assert.equal(seq.append(new nn.ReLU()), seq);
  assert.equal(seq.length, 2);
  assert.ok(seq.get(1) instanceof nn.ReLU);
  assert.deepEqual([...seq.namedChildren()].map(([k]) => k), ['0', '1']);
  assert.throws(() => seq.append(3 as never), TypeError);
});

test('ModuleDict: insertion order, get/set/has/pop/update/clear, keys/values/entries, iteration over keys, key checks', () => {
  const md = new nn.ModuleDict([['b', new nn.Linear(1, 1)], ['1', new nn.ReLU()]]);
  assert.deepEqual([...md], ['b', '1'], 'pairs keep integer-like keys in order (as PyTorch)');
  md.set('a', new nn.Tanh());
  assert.deepEqual([...md.keys()], ['b', '1', 'a']);
  assert.equal(md.length, 3);
  assert.ok(md.has('a') && !md.has('z'));
  assert.ok(md.get('1') instanceof nn.ReLU);
  assert.deepEqual(Object.keys(md.stateDict()), ['b.weight', 'b.bias']);
  assert.ok(md.pop('b') instanceof nn.Linear);
  assert.deepEqual([...md.entries()].map(([k, m]) => `${k}:${m.constructor.name}`), ['1:ReLU', 'a:Tanh']);
  md.update({ c: new nn.GELU() });
  assert.deepEqual([...md.values()].map((m) => m.constructor.name), ['ReLU', 'Tanh', 'GELU']);
  assert.throws(() => md.get('zz'), (e: Error) => e instanceof RangeError && /no module under key 'zz'; the keys are \[1, a, c\]/.test(e.message));
  assert.throws(() => md.set('a.b', new nn.ReLU()), /must be non-empty and contain no '\.'/);
  assert.throws(() => md.set('x', {} as never), TypeError);
  assert.throws(() => md.update([['ok', new nn.ReLU()], ['bad', 1 as never]]), TypeError);
  assert.ok(!md.has('ok'), 'a failed update adds nothing');
  assert.throws(() => md.forward(), /has no forward\(\)/);
  md.clear();
  assert.equal(md.length, 0);
});

test('ParameterList: tensors become parameters, indexing, optimizer sees them, errors', () => {
  const pl = new nn.ParameterList();
  const t = torch.ones(2);
  pl.append(t).extend([torch.zeros(3)]);
  assert.equal(pl.length, 2);
  assert.ok(pl.get(0).isParameter && pl.get(0).requiresGrad, 'a plain tensor becomes a parameter (PyTorch 2.x)');
  assert.equal(pl.get(-1).numel(), 3);
  pl.set(1, torch.full([4], 2));
  assert.deepEqual([...pl].map((p) => p.numel()), [2, 4]);
  assert.deepEqual([...pl.namedParameters()].map(([k]) => k), ['0', '1']);
  const opt = new torch.optim.SGD(pl.parameters(), { lr: 0.5 });
  pl.get(0).sum().backward();
  opt.step();
  assert.deepEqual(pl.get(0).tolist(), [0.5, 0.5]);
  assert.throws(() => pl.get(2), (e: Error) => e instanceof RangeError && /index 2 is out of range for 2 parameters/.test(e.message));
  assert.throws(() => pl.append([1] as never), TypeError);
  assert.equal(pl.toString(), 'ParameterList(\n    (0): Parameter containing: [torch.float32 of size 2]\n    (1): Parameter containing: [torch.float32 of size 4]\n)');
});

test('Module.apply visits children first then self, and returns the module; nn.init through apply', () => {
  const net = new nn.Sequential(new nn.Linear(3, 4), new nn.Sequential(new nn.ReLU(), new nn.Linear(4, 2)));
  const order: string[] = [];
  assert.equal(net.apply((m) => order.push(m.constructor.name)), net);
  assert.deepEqual(order, ['Linear', 'ReLU', 'Linear', 'Sequential', 'Sequential']);
  net.apply((m) => { if (m instanceof nn.Linear) { nn.init.zeros_(m.weight); nn.init.constant_(m.bias!, 0.5); } });
  assert.deepEqual(net.forward(torch.ones(1, 3)).tolist(), [[0.5, 0.5]]);
  assert.throws(() => net.apply(3 as never), TypeError);
});

test('Module.requiresGrad_ freezes and unfreezes every parameter; namedModules memo and removeDuplicate', () => {
  const net = new Net();
  assert.equal(net.requiresGrad_(false), net);
  assert.ok(net.parameters().every((p) => !p.requiresGrad));
  const y = net.forward(torch.ones(1, 4));
  assert.equal(y.requiresGrad, false, 'a frozen model records nothing');
  net.layers.requiresGrad_();
  assert.deepEqual(net.parameters().filter((p) => p.requiresGrad).length, 4);
  assert.throws(() => net.requiresGrad_('no' as never), TypeError);
  // a module reached twice is listed once (PyTorch's memo), or twice with removeDuplicate false
  const shared = new nn.Linear(2, 2);
  const tied = new nn.Sequential(shared, new nn.ReLU(), shared);
  assert.deepEqual([...tied.namedModules()].map(([k]) => k), ['', '0', '1']);
  assert.deepEqual([...tied.namedModules({ removeDuplicate: false })].map(([k]) => k), ['', '0', '1', '2']);
  // PyTorch's values for Sequential(shared, ReLU(), shared): the tied module keeps both slots
  assert.deepEqual(Object.keys(tied.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias']);
  assert.deepEqual([...tied.namedChildren()].map(([k]) => k), ['0', '1']);
  assert.equal(tied.length, 3);
  assert.equal(tied.toString().split('\n').length, 5, 'repr lists (0), (1) and (2)');
  torch.noGrad(() => { nn.init.eye_(shared.weight); nn.init.constant_(shared.bias!, 1); });
  assert.deepEqual(tied.forward(torch.tensor([[-3, 0]])).tolist(), [[1, 2]], 'forward applies the tied module twice');
  tied.loadStateDict(tied.stateDict());
  const memo = new Set<torch.nn.Module>([shared]);
  assert.deepEqual([...tied.namedModules({ memo })].map(([k]) => k), ['', '1'], 'memo skips modules already seen');
  assert.equal(tied.parameters().length, 2, 'shared parameters once');
  assert.throws(() => [...tied.namedModules({ memo: [] as never })], TypeError);
  assert.throws(() => [...tied.namedModules({ prefix: 1 } as never)], TypeError);
});
