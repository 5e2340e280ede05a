// Normalization against PyTorch (tests/fixtures/gen_norm.py → norm.json): F.layerNorm,
// F.groupNorm, F.batchNorm (running statistics before and after), and LayerNorm, GroupNorm,
// BatchNorm1d/2d and Embedding run through train and eval steps (outputs, input/weight/bias gradients, buffers
// after every step, stateDict names, shapes, dtypes and values, repr); finite differences of each
// backward; the error paths (throwsClean); memory (train steps inside tidy leave torch.memory()
// unchanged, running statistics stay the same tensors, updated in place).
// Tolerances: 1e-4 relative + 1e-5 absolute (float32 sums in another order); finite differences
// 2e-2 relative (float32 central differences, h = 1e-2).
// Every assert.ok has a message: without one Node re-parses this file to describe the failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, fromFixture, assertClose, checkFiniteDifferences, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;
const T = (x: Tensor | number | null): Tensor => x as Tensor;
const W = (x: Tensor | number | null): Tensor | null => (x as Tensor | null) ?? null;

interface NormCase extends FixtureCase { running?: { mean0: number[]; var0: number[]; mean: number[]; var: number[] } | null }
interface Step {
  train: boolean; input: { shape: number[]; data: number[]; dtype: 'float32' | 'int32' }; out: { shape: number[]; data: number[] };
  gradOut: number[]; inputGrad: number[] | null; paramGrads: Record<string, number[] | null>;
  buffers: Record<string, number[]>; paramsAfter: Record<string, number[]>;
}
type StateJson = Record<string, { shape: number[]; data: number[]; dtype: 'float32' | 'int32' }>;
interface ModuleRun {
  name: string; kind: string; args: unknown[]; options: Record<string, unknown>;
  initial: StateJson; steps: Step[]; final: StateJson; repr: string;
}
const fixture = loadFixture<{ cases: NormCase[]; modules: ModuleRun[]; reprs: Record<string, string> }>('norm.json');

// batch_norm's running statistics live outside the case's inputs: made before each case, checked after
let running: { mean: Tensor; var: Tensor } | null = null;
const OPS: Record<string, OpFn> = {
  layer_norm: ([x, w, b], kw) => F.layerNorm(T(x), kw.normalizedShape, W(w), W(b), { eps: kw.eps }),
  group_norm: ([x, w, b], kw) => F.groupNorm(T(x), kw.numGroups, W(w), W(b), { eps: kw.eps }),
  batch_norm: ([x, w, b], kw) => F.batchNorm(T(x), running?.mean ?? null, running?.var ?? null, W(w), W(b), kw),
};

for (const c of fixture.cases.filter((c) => c.op in OPS)) {
  test(`norm oracle: ${c.name}`, () => {
    if (c.running) {
      running = { mean: torch.keep(torch.tensor(c.running.mean0)), var: torch.keep(torch.tensor(c.running.var0)) };
    }
    try {
      checkCase(c, 1e-4, 1e-5, OPS);
      if (c.running && running) {
        assertClose(running.mean.toFloat32Array(), c.running.mean, `${c.name}: running mean`, 1e-4, 1e-6);
        assertClose(running.var.toFloat32Array(), c.running.var, `${c.name}: running var`, 1e-4, 1e-6);
      }
    } finally {
      running?.mean.dispose(); running?.var.dispose(); running = null;
    }
  });
}

test('the fixtures cover every norm op and option', () => {
  const names = fixture.cases.map((c) => c.name).join(' ');
  for (const s of ['layer_norm_2x3x4_ns3x4', 'layer_norm_large_mean', 'group_norm_2x4x3x3_g4_instance', 'group_norm_3x6_2d',
    'batch_norm_8x5_eval', 'batch_norm_4x6_train_no_running', 'batch_norm_70x4']) assert.ok(names.includes(s), s);
  const kinds = new Set(fixture.modules.map((m) => m.kind));
  for (const k of ['BatchNorm1d', 'BatchNorm2d', 'LayerNorm', 'GroupNorm']) assert.ok(kinds.has(k), k);
});

// ---- modules over several steps ---------------------------------------------------------------

/** The module the fixture names, built with its arguments and options. */
function buildModule(kind: string, args: unknown[], options: Record<string, unknown>): torch.nn.Module {
  const ctor = (nn as unknown as Record<string, new (...a: unknown[]) => torch.nn.Module>)[kind];
  assert.ok(ctor, `nn.${kind} exists`);
  return new ctor(...args, options);
}

function stateFromJson(s: StateJson): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, fromFixture(v)]));
}

/** Replays a module run: initial state loaded, each step's forward/backward, buffers and params after. */
function replay(run: ModuleRun): void {
  const m = buildModule(run.kind, run.args, run.options);
  try {
    torch.tidy(() => { m.loadStateDict(stateFromJson(run.initial)); });
    const params = Object.fromEntries(m.namedParameters());
    const buffersBefore = m.buffers();
    run.steps.forEach((s, i) => torch.tidy(() => {
      const what = `${run.name} step ${i + 1} (${s.train ? 'train' : 'eval'})`;
      m.train(s.train);
      m.zeroGrad();
      const x = fromFixture(s.input, s.input.dtype === 'float32');
      const out = (m as unknown as { forward(x: Tensor): Tensor }).forward(x);
      assert.deepEqual(out.shape, s.out.shape, `${what}: shape`);
      assertClose(out.toFloat32Array(), s.out.data, `${what}: forward`);
      if (out.requiresGrad) out.mul(fromFixture({ shape: s.out.shape, data: s.gradOut })).sum().backward();
      if (s.inputGrad) assertClose(x.grad!.toFloat32Array(), s.inputGrad, `${what}: input grad`);
      for (const [k, g] of Object.entries(s.paramGrads)) {
        if (g === null) { assert.equal(params[k].grad, null, `${what}: ${k} has no grad`); continue; }
        assert.ok(params[k].grad, `${what}: ${k} got a gradient`);
        assertClose(params[k].grad!.toFloat32Array(), g, `${what}: ${k} grad`);
      }
      const buffers = Object.fromEntries(m.namedBuffers());
      assert.deepEqual(Object.keys(buffers), Object.keys(s.buffers), `${what}: buffer names`);
      for (const [k, v] of Object.entries(s.buffers)) {
        const b = buffers[k];
        if (b.dtype === 'int32') assert.deepEqual(Array.from(b.toInt32Array()), v, `${what}: ${k}`);
        else assertClose(b.toFloat32Array(), v, `${what}: ${k}`, 1e-4, 1e-6);
      }
      for (const [k, v] of Object.entries(s.paramsAfter)) assertClose(params[k].toFloat32Array(), v, `${what}: ${k} after`, 1e-4, 1e-6);
    }));
    // the buffers are the same tensors, updated in place
    assert.deepEqual(m.buffers(), buffersBefore, `${run.name}: buffers replaced`);
    const sd = m.stateDict();
    try {
      assert.deepEqual(Object.keys(sd), Object.keys(run.final), `${run.name}: stateDict keys`);
      for (const [k, v] of Object.entries(run.final)) {
        assert.deepEqual(sd[k].shape, v.shape, `${run.name}: stateDict ${k} shape`);
        assert.equal(sd[k].dtype, v.dtype, `${run.name}: stateDict ${k} dtype`);
        if (v.dtype === 'int32') assert.deepEqual(Array.from(sd[k].toInt32Array()), v.data, `${run.name}: stateDict ${k}`);
        else assertClose(sd[k].toFloat32Array(), v.data, `${run.name}: stateDict ${k}`, 1e-4, 1e-6);
      }
    } finally {
      for (const t of Object.values(sd)) t.dispose();
    }
    assert.equal(m.toString(), run.repr, `${run.name}: repr`);
  } finally {
    m.dispose();
  }
}

for (const run of fixture.modules) test(`norm module: ${run.name}`, () => replay(run));

test('repr as PyTorch prints it', () => {
  const ours: Record<string, torch.nn.Module> = {
    'BatchNorm2d(16)': new nn.BatchNorm2d(16),
    'BatchNorm1d(3, momentum=None, affine=False)': new nn.BatchNorm1d(3, { momentum: null, affine: false }),
    'BatchNorm1d(4, eps=0.001, track_running_stats=False)': new nn.BatchNorm1d(4, { eps: 0.001, trackRunningStats: false }),
    'LayerNorm(8)': new nn.LayerNorm(8),
    'LayerNorm([2, 3], elementwise_affine=False, eps=1e-6)': new nn.LayerNorm([2, 3], { elementwiseAffine: false, eps: 1e-6 }),
    'GroupNorm(2, 4)': new nn.GroupNorm(2, 4),
    'Unflatten(1, (2, 3))': new nn.Unflatten(1, [2, 3]),
    'Dropout2d(0.3)': new nn.Dropout2d(0.3),
  };
  for (const [k, m] of Object.entries(ours)) {
    assert.equal(m.toString(), fixture.reprs[k], k);
    m.dispose();
  }
});

// ---- finite differences ----------------------------------------------------------------------

torch.manualSeed(3);
const k = <X extends Tensor>(t: X): X => torch.keep(t);
const W5 = k(torch.randn(5).mul(0.5).add(1)), B5 = k(torch.randn(5));
const W34 = k(torch.randn(3, 4).mul(0.5).add(1)), B34 = k(torch.randn(3, 4));
const W6 = k(torch.randn(6).mul(0.5).add(1)), B6 = k(torch.randn(6));
const RM6 = k(torch.randn(6)), RV6 = k(torch.rand(6).add(0.5));
const X45 = k(torch.randn(4, 5)), X234 = k(torch.randn(2, 3, 4)), X265 = k(torch.randn(2, 6, 5)), X86 = k(torch.randn(8, 6).mul(2));
const X2632 = k(torch.randn(2, 6, 3, 2));

const fd: [string, (x: Tensor) => Tensor, number[]][] = [
  ['layerNorm input (ns [5], weight, bias)', (x) => F.layerNorm(x, [5], W5, B5), [4, 5]],
  ['layerNorm input (ns [3, 4], no affine)', (x) => F.layerNorm(x, [3, 4]), [2, 3, 4]],
  ['layerNorm weight', (w) => F.layerNorm(X45, 5, w, B5), [5]],
  ['layerNorm bias', (b) => F.layerNorm(X234, [3, 4], W34, b), [3, 4]],
  ['groupNorm input (3 groups, L 5)', (x) => F.groupNorm(x, 3, W6, B6), [2, 6, 5]],
  ['groupNorm input (2-D, 2 groups)', (x) => F.groupNorm(x, 2, W6, B6), [3, 6]],
  ['groupNorm weight', (w) => F.groupNorm(X265, 2, w, B6), [6]],
  ['groupNorm bias', (b) => F.groupNorm(X265, 3, W6, b), [6]],
  ['batchNorm input, training [N, C]', (x) => F.batchNorm(x, null, null, W6, B6, { training: true }), [8, 6]],
  ['batchNorm input, training [N, C, H, W]', (x) => F.batchNorm(x, null, null, W6, B6, { training: true }), [2, 6, 3, 2]],
  ['batchNorm input, training [N, C, L] no affine', (x) => F.batchNorm(x, null, null, null, null, { training: true }), [3, 6, 2]],
  ['batchNorm input, eval', (x) => F.batchNorm(x, RM6, RV6, W6, B6), [4, 6, 3]],
  ['batchNorm weight, training', (w) => F.batchNorm(X86, null, null, w, B6, { training: true }), [6]],
  ['batchNorm bias, training', (b) => F.batchNorm(X2632, null, null, W6, b, { training: true }), [6]],
  ['batchNorm weight, eval', (w) => F.batchNorm(X2632, RM6, RV6, w, B6), [6]],
];
for (const [name, fn, shape] of fd) test(`norm finite differences: ${name}`, () => checkFiniteDifferences(name, fn, shape));

// ---- semantics beyond the fixtures ------------------------------------------------------------

test('BatchNorm: running statistics are pinned buffers updated in place; train steps in tidy leave memory unchanged', () => {
  const bn = new nn.BatchNorm2d(4);
  const rm = bn.runningMean!, rv = bn.runningVar!, nbt = bn.numBatchesTracked!;
  assert.ok(rm.pinned && rv.pinned && nbt.pinned, 'pinned buffers');
  assert.equal(nbt.dtype, 'int32', 'num_batches_tracked is int32');
  const opt = new torch.optim.SGD(bn.parameters(), { lr: 0.1 });
  const step = (): void => torch.tidy(() => {
    const x = torch.randn(2, 4, 3, 3);
    opt.zeroGrad();
    bn.forward(x).square().mean().backward();
    opt.step();
  });
  const v0 = rm.version;
  step();
  assert.equal(rm.version, v0, 'the running update leaves the version as it is (as PyTorch 1.13)');
  const before = torch.memory();
  for (let i = 0; i < 20; i++) step();
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors, 'live tensors');
  assert.equal(after.bytesInUse, before.bytesInUse, 'bytes');
  assert.equal(bn.runningMean, rm, 'same running_mean tensor');
  assert.deepEqual(bn.buffers(), [rm, rv, nbt], 'same buffers');
  assert.equal(nbt.item(), 21, 'num_batches_tracked counts the steps');
  // eval: no update, no count
  const snapshot = Array.from(rm.toFloat32Array());
  bn.eval();
  torch.tidy(() => { bn.forward(torch.randn(2, 4, 3, 3)); });
  assert.deepEqual(Array.from(rm.toFloat32Array()), snapshot, 'eval leaves running_mean');
  assert.equal(nbt.item(), 21, 'eval does not count');
  opt.dispose();
  bn.dispose();
});

test('BatchNorm: momentum null is the cumulative average of the batch statistics', () => torch.tidy(() => {
  const bn = new nn.BatchNorm1d(3, { momentum: null });
  const xs = [torch.randn(5, 3), torch.randn(5, 3).add(2), torch.randn(5, 3).mul(3)];
  for (const x of xs) bn.forward(x);
  const mean = torch.stack(xs.map((x) => x.mean(0))).mean(0);
  const vars = torch.stack(xs.map((x) => x.var(0))).mean(0);
  assertClose(bn.runningMean!.toFloat32Array(), mean.toFloat32Array(), 'cumulative mean', 1e-5, 1e-6);
  assertClose(bn.runningVar!.toFloat32Array(), vars.toFloat32Array(), 'cumulative unbiased var', 1e-5, 1e-6);
  bn.dispose();
}));

test('BatchNorm: trackRunningStats false has no buffers and uses batch statistics in eval too', () => torch.tidy(() => {
  const bn = new nn.BatchNorm1d(3, { trackRunningStats: false });
  assert.deepEqual(Object.keys(bn.stateDict()), ['weight', 'bias'], 'no buffers in the stateDict');
  bn.eval();
  const x = torch.randn(6, 3).mul(4).add(3);
  const y = bn.forward(x);
  assertClose(y.mean(0).toFloat32Array(), [0, 0, 0], 'batch-normalized in eval', 0, 1e-5);
  bn.dispose();
}));

test('BatchNorm: stateDict round trip through loadStateDict (int32 num_batches_tracked)', () => torch.tidy(() => {
  const a = new nn.BatchNorm1d(4), b = new nn.BatchNorm1d(4);
  for (let i = 0; i < 3; i++) a.forward(torch.randn(6, 4));
  b.loadStateDict(a.stateDict());
  assert.equal(b.numBatchesTracked!.item(), 3, 'count loaded');
  assertClose(b.runningVar!.toFloat32Array(), a.runningVar!.toFloat32Array(), 'running var loaded', 0, 0);
  a.dispose(); b.dispose();
}));

test('LayerNorm bias: false drops the bias (PyTorch 2.1\'s option)', () => torch.tidy(() => {
  const ln = new nn.LayerNorm(4, { bias: false });
  assert.equal(ln.bias, null, 'no bias');
  assert.deepEqual(Object.keys(ln.stateDict()), ['weight'], 'weight only');
  const y = ln.forward(torch.randn(3, 4));
  assertClose(y.mean(1).toFloat32Array(), [0, 0, 0], 'normalized', 0, 1e-5);
  ln.dispose();
}));

test('norms of a strided (transposed) input match the contiguous one', () => torch.tidy(() => {
  const x = torch.randn(5, 4);
  const xt = x.t();
  assertClose(F.layerNorm(xt, 5).toFloat32Array(), F.layerNorm(xt.contiguous(), 5).toFloat32Array(), 'layerNorm', 0, 0);
  assertClose(F.batchNorm(xt, null, null, null, null, { training: true }).toFloat32Array(),
    F.batchNorm(xt.contiguous(), null, null, null, null, { training: true }).toFloat32Array(), 'batchNorm', 0, 0);
}));

test('Unflatten and Dropout2d', () => torch.tidy(() => {
  const u = new nn.Unflatten(1, [2, -1]);
  assert.deepEqual(u.forward(torch.zeros(3, 6, 5)).shape, [3, 2, 3, 5], 'unflatten with -1');
  assert.deepEqual(new nn.Unflatten(-1, [2, 2]).forward(torch.zeros(3, 4)).shape, [3, 2, 2], 'negative dim');
  const d = new nn.Dropout2d(0.5);
  torch.manualSeed(1);
  const x = torch.ones(4, 8, 3, 3).requiresGrad_();
  const y = d.forward(x);
  const v = y.toFloat32Array();
  let zeroed = 0;
  for (let c = 0; c < 32; c++) {
    const ch = v.slice(c * 9, c * 9 + 9);
    assert.ok(ch.every((e) => e === ch[0]) && (ch[0] === 0 || ch[0] === 2), `channel ${c} is all 0 or all 2`);
    if (ch[0] === 0) zeroed++;
  }
  assert.ok(zeroed > 4 && zeroed < 28, `about half the channels dropped (${zeroed})`);
  y.sum().backward();
  assertClose(x.grad!.toFloat32Array(), v, 'gradient is the mask');
  d.eval();
  assertClose(d.forward(x).toFloat32Array(), x.toFloat32Array(), 'identity in eval', 0, 0);
  // 3-D input is (N, C, L) as in PyTorch 1.13: whole rows (n, c) dropped
  d.train();
  const r = new nn.Dropout2d(0.5).forward(torch.ones(2, 6, 5)).toFloat32Array();
  for (let i = 0; i < 12; i++) assert.ok(r.slice(i * 5, i * 5 + 5).every((e) => e === r[i * 5]), `row ${i} uniform`);
  assertClose(new nn.Dropout2d(1).forward(torch.ones(2, 2, 2, 2)).toFloat32Array(), new Array(16).fill(0), 'p = 1 zeroes all', 0, 0);
}));

// ---- error paths --------------------------------------------------------------------------------

test('norm error paths: PyTorch-like messages, nothing left behind', () => {
  const x = torch.keep(torch.randn(2, 3, 4));
  const x1 = torch.keep(torch.randn(1, 3));
  const w3 = torch.keep(torch.ones(3)), w4 = torch.keep(torch.ones(4));
  const xi = torch.keep(torch.zeros([2, 4], { dtype: 'int32' })), x4 = torch.keep(torch.randn(4));
  const x2322 = torch.keep(torch.randn(2, 3, 2, 2)), x24 = torch.keep(torch.randn(2, 4)), x23 = torch.keep(torch.randn(2, 3));
  try {
    throwsClean(() => F.layerNorm(x, [3]), RangeError, /Given normalized_shape=\[3\], expected input with shape \[\*, 3\], but got input of size \[2, 3, 4\]/);
    throwsClean(() => F.layerNorm(x, [4], w3), RangeError, /Expected weight to be of same shape as normalized_shape, but got weight of shape \[3\] and normalized_shape = \[4\]/);
    throwsClean(() => F.layerNorm(x, [4], null, w3), RangeError, /bias of shape \[3\]/);
    throwsClean(() => F.layerNorm(x, [4], null, null, { epsilon: 1 } as never), TypeError, /unknown option 'epsilon'/);
    throwsClean(() => F.layerNorm(x, 'x' as never), TypeError, /normalizedShape must be/);
    throwsClean(() => F.layerNorm(xi, 4), TypeError, /float32/);
    throwsClean(() => F.groupNorm(x, 2), RangeError, /Expected number of channels in input to be divisible by num_groups, but got input of shape \[2, 3, 4\] and num_groups=2/);
    throwsClean(() => F.groupNorm(x4, 2), RangeError, /Expected at least 2 dimensions for input tensor but received 1/);
    throwsClean(() => F.groupNorm(x, 3, w4), RangeError, /weight of shape \[4\]/);
    throwsClean(() => F.batchNorm(x1, null, null, null, null, { training: true }), RangeError, /Expected more than 1 value per channel when training, got input size \[1, 3\]/);
    throwsClean(() => F.batchNorm(x, w4, w4), RangeError, /runningMean should contain 3 elements not 4/);
    throwsClean(() => F.batchNorm(x, null, null), TypeError, /must be defined in evaluation mode/);
    throwsClean(() => F.batchNorm(x, w3, null, null, null, { training: true }), TypeError, /both runningMean and runningVar/);
    throwsClean(() => F.batchNorm(x, null, null, null, null, { training: 1 } as never), TypeError, /option 'training' must be a boolean/);
    const bn1 = new nn.BatchNorm1d(3), bn2 = new nn.BatchNorm2d(3);
    const nbt = bn1.numBatchesTracked!;
    throwsClean(() => bn1.forward(x1), RangeError, /BatchNorm1d: Expected more than 1 value per channel when training, got input size \[1, 3\]/);
    assert.equal(nbt.item(), 0, 'a refused batch is not counted');
    throwsClean(() => bn1.forward(x2322), RangeError, /expected 2D or 3D input \(got 4D input/);
    throwsClean(() => bn2.forward(x), RangeError, /BatchNorm2d: expected 4D input \(got 3D input/);
    throwsClean(() => bn1.forward(x24), RangeError, /running_mean should contain 4 elements not 3/);
    bn1.eval();
    assert.doesNotThrow(() => torch.tidy(() => { bn1.forward(x1); }), 'one value per channel is fine in eval');
    bn1.dispose(); bn2.dispose();
    throwsClean(() => new nn.BatchNorm1d(3, { momentum: 'x' } as never), TypeError, /option 'momentum' must be a number or null/);
    throwsClean(() => new nn.BatchNorm1d(0), RangeError, /numFeatures must be a positive integer, got number 0/);
    throwsClean(() => new nn.BatchNorm1d(2.5), TypeError, /numFeatures must be a positive integer, got number 2.5/);
    throwsClean(() => new nn.LayerNorm(3, { eps: -1 }), RangeError, /eps must be a number ≥ 0, got number -1/);
    throwsClean(() => F.groupNorm(x, 0), RangeError, /numGroups must be a positive integer, got number 0/);
    const gone = torch.randn(2, 3, 2, 2); gone.dispose();
    const bn3 = new nn.BatchNorm2d(3);
    throwsClean(() => bn3.forward(gone), Error, /^batchNorm: the tensor of shape \[2, 3, 2, 2\] was disposed/);
    assert.equal(bn3.numBatchesTracked!.item(), 0, 'a disposed input is not counted');
    bn3.dispose();
    throwsClean(() => new nn.Embedding(65536, 65536), RangeError, /^Embedding: a tensor of shape \[65536, 65536\] needs/);
    throwsClean(() => new nn.BatchNorm1d(2 ** 31), RangeError, /^BatchNorm1d: a tensor of shape/);
    throwsClean(() => new nn.GroupNorm(2, 5), RangeError, /num_channels must be divisible by num_groups/);
    throwsClean(() => new nn.LayerNorm(4, { elementwise_affine: false } as never), TypeError, /did you mean 'elementwiseAffine'/);
    throwsClean(() => new nn.Dropout2d(1.5), RangeError, /between 0 and 1, but got 1.5/);
    throwsClean(() => new nn.Dropout2d(0.5).forward(x23), RangeError, /4-D \(N, C, H, W\) or 3-D/);
    throwsClean(() => new nn.Unflatten(1, [2, 2]).forward(x), RangeError, /Provided sizes \[2, 2\] don't multiply up to the size of dim 1 \(3\)/);
  } finally {
    for (const t of [x, x1, w3, w4, xi, x4, x2322, x24, x23]) t.dispose();
  }
});

test('a large mean against a small spread keeps its digits (f64 reference; PyTorch itself is off by ~3 % here)', () => torch.tidy(() => {
  torch.manualSeed(9);
  for (const [shape, fn] of [
    [[3, 16], (x: Tensor) => F.layerNorm(x, 16)],
    [[16, 3], (x: Tensor) => F.batchNorm(x, null, null, null, null, { training: true })],
    [[2, 5, 9], (x: Tensor) => F.batchNorm(x, null, null, null, null, { training: true })],
  ] as const) {
    const x = torch.randn([...shape]).mul(0.01).add(1000);
    const y = fn(x).toFloat32Array();
    const v = x.toFloat32Array();
    // the f64 reference over the same float32 inputs, normalized along rows (LayerNorm) or channels
    const ref = new Float64Array(v.length);
    const groups: number[][] = [];
    if (shape.length === 2 && shape[1] === 16) for (let r = 0; r < 3; r++) groups.push([...Array(16).keys()].map((j) => r * 16 + j));
    else {
      const [N, C] = shape, L = shape.length === 3 ? shape[2] : 1;
      for (let c = 0; c < C; c++) { const g: number[] = []; for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) g.push((n * C + c) * L + l); groups.push(g); }
    }
    for (const g of groups) {
      const m = g.reduce((s, i) => s + v[i], 0) / g.length;
      const varr = g.reduce((s, i) => s + (v[i] - m) ** 2, 0) / g.length;
      for (const i of g) ref[i] = (v[i] - m) / Math.sqrt(varr + 1e-5);
    }
    assertClose(y, ref, `shape ${fmt(shape)}`, 1e-3, 1e-4);
  }
}));
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

test('batchNorm updates strided running statistics through a copy, as the contiguous ones', () => torch.tidy(() => {
  const x = torch.randn(6, 3, 2);
  const store = torch.zeros(3, 2), rm = store.select(1, 0), rv = store.select(1, 1).fill_(1);
  const rmc = torch.zeros(3), rvc = torch.ones(3);
  F.batchNorm(x, rm, rv, null, null, { training: true, momentum: 0.2 });
  F.batchNorm(x, rmc, rvc, null, null, { training: true, momentum: 0.2 });
  assertClose(rm.toFloat32Array(), rmc.toFloat32Array(), 'strided running mean', 0, 0);
  assertClose(rv.toFloat32Array(), rvc.toFloat32Array(), 'strided running var', 0, 0);
  assert.ok(rm.version > 0, 'the copy back is an in-place write');
}));

test('a model with every new layer trains inside tidy without leaking, and its loss falls', () => {
  torch.manualSeed(12);
  const model = new nn.Sequential(
    new nn.Linear(6, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Unflatten(1, [2, 4]),
    new nn.LayerNorm(4), new nn.GroupNorm(2, 2), new nn.Flatten(), new nn.Linear(8, 1),
  );
  const emb = new nn.Embedding(5, 6, { paddingIdx: 0 });
  const drop = new nn.Dropout2d(0.2);
  const params = [...model.parameters(), ...emb.parameters()];
  const opt = new torch.optim.Adam(params, { lr: 0.02 });
  const idx = torch.keep(torch.tensor([1, 2, 3, 4, 1, 2, 3, 4, 0, 1], { dtype: 'int32' }));
  const target = torch.keep(torch.tensor([[1], [2], [3], [4], [1], [2], [3], [4], [0], [1]]));
  const step = (): number => torch.tidy(() => {
    opt.zeroGrad();
    const h = drop.forward(emb.forward(idx).reshape(10, 6, 1, 1)).reshape(10, 6);
    const loss = F.mseLoss(model.forward(h) as Tensor, target);
    loss.backward();
    opt.step();
    return loss.item();
  });
  const first = step();
  const before = torch.memory();
  let last = first;
  for (let i = 0; i < 60; i++) last = step();
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors, 'live tensors');
  assert.equal(after.bytesInUse, before.bytesInUse, 'bytes');
  assert.ok(last < first * 0.5, `loss fell: ${first} → ${last}`);
  assert.deepEqual(Array.from(emb.weight.narrow(0, 0, 1).toFloat32Array()), [0, 0, 0, 0, 0, 0], 'padding row stays zero');
  opt.dispose(); model.dispose(); emb.dispose(); idx.dispose(); target.dispose();
});

test('F.dropout2d zeroes whole channels, scales the rest by 1/(1−p), is the identity when not training, and its gradient is the mask', () => {
  torch.tidy(() => {
    torch.manualSeed(5);
    const x = torch.randn(4, 6, 3, 3).requiresGrad_();
    const y = torch.F.dropout2d(x, { p: 0.5 });
    y.sum().backward();
    const xs = x.toFloat32Array(), ys = y.toFloat32Array(), gs = x.grad!.toFloat32Array();
    let dropped = 0;
    for (let c = 0; c < 24; c++) {
      const k = gs[c * 9];
      assert.ok(k === 0 || k === 2, `channel ${c}: mask ${k}`);
      if (k === 0) dropped++;
      for (let i = 0; i < 9; i++) {
        assert.equal(gs[c * 9 + i], k, 'one draw per channel');
        assert.equal(ys[c * 9 + i], Math.fround(xs[c * 9 + i] * k));
      }
    }
    assert.ok(dropped > 0 && dropped < 24, `${dropped} of 24 channels dropped`);
    assert.deepEqual(torch.F.dropout2d(x, 0.5, false).tolist(), x.tolist());
    assert.throws(() => torch.F.dropout2d(torch.ones(3)), /dropout2d: expected a 4-D \(N, C, H, W\) or 3-D \(N, C, L\) input, got shape \[3\]/);
    assert.throws(() => torch.F.dropout2d(x, { p: 1.5 }), RangeError);
  });
});

test('layerNorm, groupNorm and batchNorm read strided and expanded weights and biases as their values (found by a differential sweep)', () => {
  torch.tidy(() => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 7]]);
    const wv = torch.tensor([1, 9, 2, 9, 3, 9]).reshape([3, 2]).select(1, 0); // [1, 2, 3], stride 2
    const bv = torch.tensor([0.5, 9, -1, 9, 2, 9]).reshape([3, 2]).select(1, 0);
    const wc = wv.contiguous(), bc = bv.contiguous();
    assertClose(torch.F.layerNorm(x, [3], wv, bv).toFloat32Array(), torch.F.layerNorm(x, [3], wc, bc).toFloat32Array(), 'layerNorm', 0, 0);
    const two = torch.tensor([2]).expand([3]);
    assertClose(torch.F.layerNorm(x, [3], two).toFloat32Array(), torch.F.layerNorm(x, [3], torch.full([3], 2)).toFloat32Array(), 'layerNorm expanded', 0, 0);
    const img = torch.randn(2, 3, 4);
    assertClose(torch.F.groupNorm(img, 3, wv, bv).toFloat32Array(), torch.F.groupNorm(img, 3, wc, bc).toFloat32Array(), 'groupNorm', 0, 0);
    assertClose(torch.F.batchNorm(img, null, null, wv, bv, { training: true }).toFloat32Array(),
      torch.F.batchNorm(img, null, null, wc, bc, { training: true }).toFloat32Array(), 'batchNorm', 0, 0);
    // the input gradient through a strided weight
    const xs = x.clone().requiresGrad_(), xd = x.clone().requiresGrad_();
    const w1 = wv.clone().requiresGrad_();
    torch.F.layerNorm(xs, [3], w1.reshape([3, 1]).select(1, 0)).mul(torch.tensor([1, -2, 3])).sum().backward();
    torch.F.layerNorm(xd, [3], wc).mul(torch.tensor([1, -2, 3])).sum().backward();
    assertClose(xs.grad!.toFloat32Array(), xd.grad!.toFloat32Array(), 'input gradient', 1e-6, 1e-7);
  });
});

test('groupNorm refuses groups holding one value, as PyTorch\'s F.group_norm does', () => {
  const a = torch.ones(1, 2, 1), b = torch.ones(1, 3);
  throwsClean(() => torch.F.groupNorm(a, 2), RangeError, /groupNorm: Expected more than 1 value per channel when training/);
  throwsClean(() => torch.F.groupNorm(b, 3), RangeError, /Expected more than 1 value per channel/);
  a.dispose(); b.dispose();
});
