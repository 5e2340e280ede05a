// The options review of the activations, nn.Flatten/Identity and clamp (src/nn/functional_extra.ts,
// src/nn/modules/activation.ts, src/nn/modules/misc.ts, clamp in src/ops/elementwise.ts): every
// argument PyTorch has is honoured, positional or as an options object, and anything else is a
// TypeError naming the layer or function and the argument, never a silent NaN or an ignored option.
// PyTorch fixtures (tests/fixtures/gen_review_nn.py → review_nn.json): GELU's tanh approximation,
// leaky_relu slopes, clamp with tensor bounds (ties, min > max, broadcasting, int32, empty);
// finite differences for the tanh GELU and tensor-bound clamp; memory.
// Tolerances: gelu tanh forward and gradient 1e-5 relative + 1e-6 absolute (composed of float32
// ops, PyTorch's is one kernel); clamp and leaky_relu 1e-6 + 1e-7 (selections and one product);
// int32 exactly; finite differences 2e-2 (float32 steps of 1e-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences as fd, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;
const T = (x: Tensor | number): Tensor => x as Tensor;
const vals = (t: Tensor): number[] => Array.from(t.toFloat32Array());

const rejects = (fn: () => unknown, re: RegExp, name = 'TypeError'): void => throwsClean(fn, name, re);

// ---- PyTorch fixtures, each op spelt several ways ------------------------------------------------

const fixture = loadFixture<{ cases: FixtureCase[] }>('review_nn.json');
const byName = new Map(fixture.cases.map((c) => [c.name, c]));

/** Every spelling of each fixture op; each case runs under all of them. */
const SPELLINGS: Record<string, Record<string, OpFn>> = {
  gelu_tanh: {
    'F.gelu options': ([x]) => F.gelu(T(x), { approximate: 'tanh' }),
    'F.gelu positional': ([x]) => F.gelu(T(x), 'tanh'),
    'nn.GELU options': ([x]) => new nn.GELU({ approximate: 'tanh' }).forward(T(x)),
    'nn.GELU positional': ([x]) => new nn.GELU('tanh').forward(T(x)),
  },
  gelu_none: {
    'F.gelu': ([x]) => F.gelu(T(x)),
    'F.gelu none': ([x]) => F.gelu(T(x), { approximate: 'none' }),
    'nn.GELU none': ([x]) => new nn.GELU('none').forward(T(x)),
    'x.gelu': ([x]) => T(x).gelu(),
  },
  leaky_relu: {
    'F.leakyRelu positional': ([x], kw) => F.leakyRelu(T(x), kw.negativeSlope),
    'F.leakyRelu options': ([x], kw) => F.leakyRelu(T(x), { negativeSlope: kw.negativeSlope }),
    'F.leakyRelu inplace false': ([x], kw) => F.leakyRelu(T(x), kw.negativeSlope, false),
    'nn.LeakyReLU positional': ([x], kw) => new nn.LeakyReLU(kw.negativeSlope).forward(T(x)),
    'nn.LeakyReLU options': ([x], kw) => new nn.LeakyReLU({ negativeSlope: kw.negativeSlope, inplace: false }).forward(T(x)),
    'x.leakyRelu': ([x], kw) => T(x).leakyRelu(kw.negativeSlope),
  },
  clamp: {
    'x.clamp(min, max)': ([x, lo, hi]) => T(x).clamp(lo, hi),
    'torch.clamp(x, { min, max })': ([x, lo, hi]) => torch.clamp(T(x), { min: lo, max: hi }),
  },
  clamp_min: {
    'x.clamp(min)': ([x, lo]) => T(x).clamp(lo),
    'x.clamp(min, null)': ([x, lo]) => T(x).clamp(lo, null),
    'x.clamp({ min })': ([x, lo]) => T(x).clamp({ min: lo }),
  },
  clamp_max: {
    'x.clamp(null, max)': ([x, hi]) => T(x).clamp(null, hi),
    'x.clamp(undefined, max)': ([x, hi]) => T(x).clamp(undefined, hi),
    'x.clamp({ max })': ([x, hi]) => T(x).clamp({ max: hi }),
  },
};

for (const c of fixture.cases) {
  const tol = c.op === 'gelu_tanh' ? [1e-5, 1e-6] : [1e-6, 1e-7];
  for (const [spelling, fn] of Object.entries(SPELLINGS[c.op])) {
    test(`oracle: ${c.name} via ${spelling}`, () => checkCase(c, tol[0], tol[1], { [c.op]: fn }));
  }
}

test('the fixtures hold the cases the review asked for: ties, min > max, broadcasting, a saturating gelu', () => {
  const c = byName.get('clamp_tensor_min_max_ties')!;
  const [x, lo, hi] = c.inputs.map((i) => i.data!);
  let ties = 0, inverted = 0;
  for (let r = 0; r < 3; r++) for (let k = 0; k < 4; k++) {
    if (x[r * 4 + k] === lo[k] || x[r * 4 + k] === hi[r]) ties++;
    if (lo[k] > hi[r]) inverted++;
  }
  assert.ok(ties >= 2 && inverted >= 1, `ties ${ties}, inverted ${inverted}`);
  assert.deepEqual(byName.get('clamp_bounds_enlarge_result')!.out.shape, [3, 2]);
});

// ---- clamp: explicit tie and min > max rules, finite differences -----------------------------------

test('clamp with tensor bounds: ties send the gradient to x, min > max gives max and its gradient (PyTorch ClampBackward0)', () => {
  const x = torch.tensor([[1, 2, 3, 4], [0, 5, 2, 3]], { requiresGrad: true });
  const lo = torch.tensor([[2, 2, 2, 5]], { requiresGrad: true });
  const hi = torch.tensor([[3], [3]], { requiresGrad: true });
  const y = x.clamp(lo, hi);
  assert.deepEqual(y.tolist(), [[2, 2, 3, 3], [2, 3, 2, 3]]);
  assert.equal(y.gradFn?.name, 'ClampBackward0');
  y.mul(torch.arange(1, 9).reshape(2, 4)).sum().backward();
  // the values PyTorch 1.13 prints for this program (/tmp probe, same as 2.x's clamp_backward)
  assert.deepEqual(x.grad!.tolist(), [[0, 2, 3, 0], [0, 0, 7, 0]]);
  assert.deepEqual(lo.grad!.tolist(), [[6, 0, 0, 0]]);
  assert.deepEqual(hi.grad!.tolist(), [[4], [14]]);
});

test('clamp with tensor bounds: finite differences (away from the kinks)', () => {
  const lo = torch.full([4], -0.5), hi = torch.full([3, 1], 0.6);
  fd('clamp tensor bounds, d/dx', (x) => x.clamp(lo, hi), [3, 4]);
  const base = torch.tensor([-1.3, -0.2, 0.3, 1.1, 2.2, -2.1]).reshape(2, 3);
  fd('clamp, d/dmin', (m) => base.clamp(m, 0.9), [2, 3]);
  fd('clamp, d/dmax', (m) => base.clamp(-0.05, m.sub(1)), [2, 3]);
  lo.dispose(); hi.dispose(); base.dispose();
});

test('clamp: NaN in x or in a tensor bound propagates, as PyTorch', () => {
  const x = torch.tensor([NaN, 5, 9]);
  assert.deepEqual(Array.from(x.clamp(torch.tensor([0, NaN, 2])).toFloat32Array()).map((v) => Number.isNaN(v)), [true, true, false]);
  assert.deepEqual(Array.from(torch.tensor([1, 5, 9]).clamp(torch.tensor([NaN, 2, 2])).toFloat32Array()).map((v) => Number.isNaN(v)), [true, false, false]);
});

test('clamp: number bounds as before, int32 stays int32, options with numbers', () => {
  const x = torch.tensor([[-2, -0.5, 1], [3, -1, 0.5]]);
  assert.deepEqual(x.clamp({ min: 0 }).tolist(), [[0, 0, 1], [3, 0, 0.5]]);
  assert.deepEqual(x.clamp({ min: -1, max: 1 }).tolist(), [[-1, -0.5, 1], [1, -1, 0.5]]);
  assert.deepEqual(x.clamp({ max: 0, min: null }).tolist(), [[-2, -0.5, 0], [0, -1, 0]]);
  assert.deepEqual(x.clamp(torch.tensor(2), 10).tolist(), [[2, 2, 2], [3, 2, 2]]);
  assert.deepEqual(x.clamp(torch.tensor([[2, 3, 2.5]])).tolist(), [[2, 3, 2.5], [3, 3, 2.5]]);
  const i = torch.tensor([1, 5, 9], { dtype: 'int32' });
  const r = i.clamp(torch.tensor([2, 2, 2], { dtype: 'int32' }), 3e9);
  assert.equal(r.dtype, 'int32');
  assert.deepEqual(r.tolist(), [2, 5, 9]);
  assert.equal(i.clamp({ min: 2 }).dtype, 'int32');
  assert.deepEqual(i.clamp(torch.tensor([2.5])).tolist(), [2.5, 5, 9]);
});

test('clamp: anything but numbers, tensors, null or { min, max } is a TypeError, before any allocation', () => {
  const x = torch.tensor([[-2, -0.5, 1], [3, -1, 0.5]]);
  rejects(() => x.clamp({ min: 0, rtol: 1 } as never), /^clamp: unknown option 'rtol'; known options: min, max$/);
  rejects(() => x.clamp({ mn: 0 } as never), /^clamp: unknown option 'mn'/);
  rejects(() => x.clamp({ min: '0' } as never), /^clamp: min must be a number, a Tensor or null, got string "0"$/);
  rejects(() => x.clamp(0, '1' as never), /^clamp: max must be a number, a Tensor or null, got string "1"$/);
  rejects(() => x.clamp([0] as never), /^clamp: min must be a number, a Tensor or null, got an array of 1$/);
  rejects(() => x.clamp({ min: 0 }, 1 as never), /^clamp: give max either in the options object or positionally, not both$/);
  rejects(() => x.clamp({}), /^clamp: at least one of min and max must be given$/);
  rejects(() => x.clamp(), /^clamp: at least one of min and max must be given$/);
  rejects(() => (torch.clamp as any)(x, 0, 1, 2), /^clamp: takes \(input, min\?, max\?\) or \(input, \{ min, max \}\), got 4 arguments$/);
  const wrong = torch.zeros(3, 2);
  rejects(() => x.clamp(wrong), /clamp/, 'RangeError');
  rejects(() => x.clamp(-1, wrong), /clamp/, 'RangeError');
  const d = torch.zeros(3); d.dispose();
  rejects(() => x.clamp(d), /clamp/, 'Error');
});

test('clamp with tensor bounds frees its intermediates, forward and backward', () => {
  const x = torch.randn(3, 4, { requiresGrad: true }), lo = torch.randn(4, { requiresGrad: true }), hi = torch.randn(3, 1, { requiresGrad: true });
  const before = torch.memory().liveTensors;
  torch.tidy(() => { x.clamp(lo, hi).sum().backward(); });
  for (const t of [x, lo, hi]) { t.grad!.dispose(); t.grad = null; }
  torch.noGrad(() => x.clamp(lo).dispose());
  assert.equal(torch.memory().liveTensors, before);
});

// ---- gelu tanh ----------------------------------------------------------------------------------

test('gelu tanh: finite differences, int32 refused, approximate checked', () => {
  fd('gelu tanh', (x) => F.gelu(x, { approximate: 'tanh' }), [3, 4]);
  const x = torch.randn(2, 3), xi = torch.tensor([1], { dtype: 'int32' });
  rejects(() => F.gelu(xi, 'tanh'), /^F.gelu: expected a float32 tensor/);
  rejects(() => F.gelu(x, { approximate: 'tan' } as never), /^F.gelu: approximate must be 'none' or 'tanh', got string "tan"$/);
  rejects(() => F.gelu(x, 'erf' as never), /^F.gelu: approximate must be 'none' or 'tanh', got string "erf"$/);
  rejects(() => F.gelu(x, { approx: 'tanh' } as never), /^F.gelu: unknown option 'approx'; known options: approximate$/);
  rejects(() => F.gelu(x, true as never), /^F.gelu: approximate must be 'none' or 'tanh', got boolean true$/);
  rejects(() => (F.gelu as any)(x, 'tanh', 1), /^F.gelu: takes \(input, approximate\?\), got 3 arguments$/);
  rejects(() => new nn.GELU({ approximate: 'exact' } as never), /^GELU: approximate must be 'none' or 'tanh'/);
  rejects(() => new (nn.GELU as any)('tanh', 1), /^GELU: takes \(approximate\?\), got 2 arguments$/);
  const before = torch.memory().liveTensors;
  const y = F.gelu(x, 'tanh');
  assert.equal(torch.memory().liveTensors, before + 1);
  y.dispose();
  assert.equal(String(new nn.GELU('tanh')), "GELU(approximate='tanh')");
  assert.equal(new nn.GELU().approximate, 'none');
});

// ---- layers and functionals: PyTorch's arguments, nothing else -------------------------------------

test('LeakyReLU / F.leakyRelu: the slope positional or { negativeSlope }, finite numbers only', () => {
  const x = torch.tensor([[-2, -0.5, 1], [3, -1, 0.5]]);
  const want = [-0.4, -0.1, 1, 3, -0.2, 0.5];
  for (const y of [new nn.LeakyReLU({ negativeSlope: 0.2 }).forward(x), new nn.LeakyReLU(0.2).forward(x), F.leakyRelu(x, { negativeSlope: 0.2 }), F.leakyRelu(x, 0.2)]) {
    vals(y).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `${v} vs ${want[i]}`));
  }
  assert.equal(new nn.LeakyReLU().negativeSlope, 0.01);
  assert.equal(new nn.LeakyReLU({}).negativeSlope, 0.01);
  assert.equal(String(new nn.LeakyReLU({ negativeSlope: 0.2 })), 'LeakyReLU(negative_slope=0.2)');
  rejects(() => new nn.LeakyReLU({ negative_slope: 0.2 } as never), /^LeakyReLU: unknown option 'negative_slope' \(did you mean 'negativeSlope'\?\); known options: negativeSlope, inplace$/);
  rejects(() => new nn.LeakyReLU({ negativeSlope: '0.2' } as never), /^LeakyReLU: option 'negativeSlope' must be a number, got string "0.2"$/);
  rejects(() => new nn.LeakyReLU(NaN), /^LeakyReLU: negativeSlope must be a finite number \(or \{ negativeSlope \}\), got number NaN$/);
  rejects(() => new nn.LeakyReLU(Infinity), /^LeakyReLU: negativeSlope must be a finite number/);
  rejects(() => new nn.LeakyReLU('0.2' as never), /^LeakyReLU: negativeSlope must be a finite number .*got string "0.2"$/);
  rejects(() => new nn.LeakyReLU(0.2, true), /^LeakyReLU: inplace=true is not supported/);
  rejects(() => new nn.LeakyReLU({ inplace: true }), /^LeakyReLU: inplace=true is not supported/);
  rejects(() => new nn.LeakyReLU({ negativeSlope: 0.2 }, false), /^LeakyReLU: give inplace either in the options object or positionally, not both$/);
  rejects(() => new (nn.LeakyReLU as any)(0.2, false, 1), /^LeakyReLU: takes \(negativeSlope\?, inplace\?\), got 3 arguments$/);
  rejects(() => F.leakyRelu(x, { negative_slope: 0.2 } as never), /^F.leakyRelu: unknown option 'negative_slope'/);
  rejects(() => F.leakyRelu(x, 0.2, 'yes' as never), /^F.leakyRelu: inplace must be a boolean, got string "yes"$/);
  rejects(() => (x as any).leakyRelu({ negativeSlope: 0.2 }), /^leakyRelu: negativeSlope must be a finite number, got an object$/);
});

test('ReLU / F.relu: inplace false accepted, true refused with the reason, nothing else', () => {
  const x = torch.tensor([-1, 2]);
  assert.deepEqual(new nn.ReLU().forward(x).tolist(), [0, 2]);
  assert.deepEqual(new nn.ReLU(false).forward(x).tolist(), [0, 2]);
  assert.deepEqual(new nn.ReLU({ inplace: false }).forward(x).tolist(), [0, 2]);
  assert.deepEqual(F.relu(x, false).tolist(), [0, 2]);
  assert.deepEqual(F.relu(x, { inplace: false }).tolist(), [0, 2]);
  assert.equal(String(new nn.ReLU()), 'ReLU()');
  rejects(() => new nn.ReLU({ inplace: true }), /^ReLU: inplace=true is not supported \(wasmtorch has no in-place activations\)/);
  rejects(() => new nn.ReLU(true), /^ReLU: inplace=true is not supported/);
  rejects(() => F.relu(x, true), /^F.relu: inplace=true is not supported/);
  rejects(() => new nn.ReLU({ in_place: false } as never), /^ReLU: unknown option 'in_place' \(did you mean 'inplace'\?\); known options: inplace$/);
  rejects(() => new nn.ReLU(0 as never), /^ReLU: inplace must be a boolean, got number 0$/);
  rejects(() => (F.relu as any)(x, false, 1), /^F.relu: takes \(input, inplace\?\), got 3 arguments$/);
  rejects(() => (F.relu as any)([1, 2]), /^F.relu: expected a Tensor, got an array of 2$/);
});

test('Sigmoid, Tanh, F.sigmoid, F.tanh take no options', () => {
  const x = torch.tensor([0]);
  assert.deepEqual(F.sigmoid(x).tolist(), [0.5]);
  assert.deepEqual(new nn.Tanh().forward(x).tolist(), [0]);
  rejects(() => new (nn.Sigmoid as any)({}), /^Sigmoid: takes no arguments, got 1 arguments$/);
  rejects(() => new (nn.Tanh as any)(1), /^Tanh: takes no arguments, got 1 arguments$/);
  rejects(() => (F.sigmoid as any)(x, 1), /^F.sigmoid: takes only \(input\), got 2 arguments$/);
  rejects(() => (F.tanh as any)(x, {}), /^F.tanh: takes only \(input\), got 2 arguments$/);
});

test('Softmax / LogSoftmax / F.softmax / F.logSoftmax: dim positional or { dim }', () => {
  const x = torch.tensor([[-2, -0.5, 1], [3, -1, 0.5]]);
  const by0 = x.softmax(0).tolist(), log1 = x.logSoftmax(1).tolist();
  assert.deepEqual(new nn.Softmax({ dim: 0 }).forward(x).tolist(), by0);
  assert.deepEqual(new nn.Softmax(0).forward(x).tolist(), by0);
  assert.deepEqual(F.softmax(x, { dim: 0 }).tolist(), by0);
  assert.deepEqual(new nn.LogSoftmax({ dim: -1 }).forward(x).tolist(), log1);
  assert.deepEqual(F.logSoftmax(x, { dim: 1 }).tolist(), log1);
  assert.equal(String(new nn.Softmax({ dim: 1 })), 'Softmax(dim=1)');
  assert.equal(String(new (nn.Softmax as any)()), 'Softmax(dim=None)');
  rejects(() => new (nn.Softmax as any)().forward(x), /dim is required/);
  rejects(() => new nn.Softmax({ dims: 1 } as never), /^Softmax: unknown option 'dims'; known options: dim$/);
  rejects(() => new nn.LogSoftmax('1' as never), /^LogSoftmax: dim must be an integer \(or \{ dim \}\), got string "1"$/);
  rejects(() => new nn.Softmax(1.5), /^Softmax: dim must be an integer/);
  rejects(() => new (nn.Softmax as any)(1, 2), /^Softmax: takes \(dim\), got 2 arguments$/);
  rejects(() => (F.softmax as any)(x, 1, 3), /^F.softmax: takes \(input, dim\) \(dtype and _stacklevel are not supported\), got 3 arguments$/);
  rejects(() => F.logSoftmax(x, { dim: 1, dtype: 'float32' } as never), /^F.logSoftmax: unknown option 'dtype'; known options: dim$/);
});

test('Flatten: (startDim?, endDim?) or { startDim, endDim }, integers only; Identity ignores its arguments as PyTorch', () => {
  const x = torch.zeros(2, 3, 4);
  assert.deepEqual(new nn.Flatten({ startDim: 0 }).forward(x).shape, [24]);
  assert.deepEqual(new nn.Flatten({ endDim: 1 }).forward(x).shape, [2, 3, 4]);
  assert.deepEqual(new nn.Flatten({ startDim: 0, endDim: 1 }).forward(x).shape, [6, 4]);
  assert.deepEqual(new nn.Flatten(0, -2).forward(x).shape, [6, 4]);
  assert.deepEqual(new nn.Flatten().forward(x).shape, [2, 12]);
  assert.equal(String(new nn.Flatten({ startDim: 0 })), 'Flatten(start_dim=0, end_dim=-1)');
  rejects(() => new nn.Flatten({ start_dim: 0 } as never), /^Flatten: unknown option 'start_dim' \(did you mean 'startDim'\?\); known options: startDim, endDim$/);
  rejects(() => new nn.Flatten({ startDim: 0 }, -1), /^Flatten: give endDim either in the options object or positionally, not both$/);
  rejects(() => new nn.Flatten(0.5), /^Flatten: startDim must be an integer, got number 0.5$/);
  rejects(() => new nn.Flatten(0, '1' as never), /^Flatten: endDim must be an integer, got string "1"$/);
  rejects(() => new (nn.Flatten as any)(0, 1, 2), /^Flatten: takes \(startDim\?, endDim\?\), got 3 arguments$/);
  const id = new nn.Identity(54, { unused: 'argument' });
  assert.equal(id.forward(x), x);
});

test('Dropout keeps its checks: a number p, no in-place', () => {
  rejects(() => new (nn.Dropout as any)(0.5, true), /^Dropout: takes only p/);
  rejects(() => new nn.Dropout({ p: 0.5 } as never), /^Dropout: p must be a number/);
});

test('torch.relu/sigmoid/tanh/gelu/leakyRelu refuse arguments they would ignore', () => {
  const x = torch.tensor([-1, 2]);
  rejects(() => (torch.gelu as any)(x, { approximate: 'tanh' }), /^gelu: takes only the input, got 2; for approximate: 'tanh' use F.gelu\(x, \{ approximate: 'tanh' \}\)$/);
  rejects(() => (torch.relu as any)(x, true), /^relu: takes only the input, got 2; in-place activations are not supported$/);
  rejects(() => (torch.sigmoid as any)(x, 1), /^sigmoid: takes only the input, got 2/);
  rejects(() => (torch.tanh as any)(x, 1), /^tanh: takes only the input, got 2/);
  rejects(() => (torch.leakyRelu as any)(x, 0.2, true), /^leakyRelu: takes at most 2 arguments, got 3/);
  assert.deepEqual(torch.leakyRelu(x, 0.5).tolist(), [-0.5, 2]);
  assert.deepEqual(torch.relu(x).tolist(), [0, 2]);
});

test('methods forward their arguments: clamp_ takes { min, max } and refuses tensor bounds; activations refuse options they would ignore', () => {
  const x = torch.tensor([-2, 0.5, 3]);
  const before = torch.memory().liveTensors;
  torch.tidy(() => {
  assert.deepEqual(x.clone().clamp_({ min: 0 }).tolist(), [0, 0.5, 3]);
  assert.throws(() => x.clone().clamp_(torch.tensor(0) as never), { name: 'TypeError', message: /clamp_: tensor bounds are not supported in place/ });
  assert.throws(() => x.clone().clamp_({ mn: 0 } as never), { name: 'TypeError', message: /clamp_: unknown option 'mn'/ });
  assert.throws(() => (x.gelu as (...a: unknown[]) => unknown)({ approximate: 'tanh' }), { name: 'TypeError', message: /gelu: takes only the input/ });
  assert.throws(() => (x.relu as (...a: unknown[]) => unknown)(true), { name: 'TypeError', message: /relu: takes only the input/ });
  assert.throws(() => (x.clamp as (...a: unknown[]) => unknown)(0, 1, 2), { name: 'TypeError', message: /clamp: takes/ });
  });
  assert.deepEqual(x.tolist(), [-2, 0.5, 3], 'the input is unchanged');
  assert.equal(torch.memory().liveTensors, before, 'nothing leaked');
});
