// The loss family against PyTorch (tests/fixtures/gen_losses.py → losses_ext.json): cross-entropy
// with weight, labelSmoothing and ignoreIndex (class indices and probabilities, K-dimensional),
// NLL, BCE, BCE with logits, smooth L1, Huber, KL divergence, every reduction, input and target
// gradients; finite differences of every new loss; modules; options and error paths.
// Tolerances: PyTorch fixtures 1e-4 relative + 1e-5 absolute (float32 sums in another order);
// finite differences 2e-2 relative (float32 central differences with h = 1e-2 or 1e-3).
// Every assert.ok has a message: without one Node re-parses this (TypeScript) file to describe the
// failure and can hang there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, type FixtureCase, type OpFn } from './oracle.js';

const { nn, F } = torch;
const T = (x: Tensor | number | null): Tensor => x as Tensor;
const W = (x: Tensor | number | null): Tensor | null => (x as Tensor | null) ?? null;

const OPS: Record<string, OpFn> = {
  cross_entropy: ([x, t, w], kw) => F.crossEntropy(T(x), T(t), { ...kw, weight: W(w) }),
  nll_loss: ([x, t, w], kw) => F.nllLoss(T(x), T(t), { ...kw, weight: W(w) }),
  bce: ([x, y, w], kw) => F.binaryCrossEntropy(T(x), T(y), { ...kw, weight: W(w) }),
  bce_logits: ([x, y, w, pw], kw) => F.binaryCrossEntropyWithLogits(T(x), T(y), { ...kw, weight: W(w), posWeight: W(pw) }),
  smooth_l1_loss: ([x, y], kw) => F.smoothL1Loss(T(x), T(y), kw),
  huber_loss: ([x, y], kw) => F.huberLoss(T(x), T(y), kw),
  mse_loss: ([x, y], kw) => F.mseLoss(T(x), T(y), kw),
  l1_loss: ([x, y], kw) => F.l1Loss(T(x), T(y), kw),
  kl_div: ([x, y], kw) => F.klDiv(T(x), T(y), kw),
};

const fixture = loadFixture<{ cases: FixtureCase[] }>('losses_ext.json');
for (const c of fixture.cases) {
  test(`losses oracle: ${c.name}`, () => checkCase(c as FixtureCase, 1e-4, 1e-5, OPS as never));
}

test('the fixtures cover every loss, option and reduction', () => {
  const ops = new Set(fixture.cases.map((c) => c.op));
  for (const op of Object.keys(OPS)) assert.ok(ops.has(op), op);
  const kws = fixture.cases.map((c) => c.kwargs);
  for (const key of ['labelSmoothing', 'ignoreIndex', 'beta', 'delta', 'logTarget']) assert.ok(kws.some((k) => key in k), key);
  for (const r of ['mean', 'sum', 'none', 'batchmean']) assert.ok(kws.some((k) => k.reduction === r), r);
  // weights of cross-entropy, NLL, BCE; pos_weight
  assert.ok(fixture.cases.some((c) => c.op === 'cross_entropy' && c.inputs[2] && 'shape' in c.inputs[2]), 'cross-entropy weight');
  assert.ok(fixture.cases.some((c) => c.op === 'nll_loss' && c.inputs[2] && 'shape' in c.inputs[2]), 'NLL weight');
  assert.ok(fixture.cases.some((c) => c.op === 'bce_logits' && c.inputs[3] && 'shape' in c.inputs[3]), 'posWeight');
  // target gradients where PyTorch has them
  for (const op of ['bce', 'bce_logits', 'smooth_l1_loss', 'huber_loss', 'mse_loss', 'l1_loss', 'kl_div', 'cross_entropy']) {
    assert.ok(fixture.cases.some((c) => c.op === op && c.grads[1] !== null), `${op} target grad`);
  }
});

// ---- finite differences ------------------------------------------------------------------------

/**
 * Central differences of (fn(x) · w).sum() at x0 against autograd (x0 given, so probabilities
 * can stay inside (0, 1)); h and tol as the oracle's helper.
 */
function fd(name: string, fn: (x: Tensor) => Tensor, x0: Tensor, h = 1e-2, tol = 2e-2): void {
  torch.tidy(() => {
    const x = x0.detach().requiresGrad_();
    const y = fn(x);
    torch.manualSeed(11);
    const w = torch.randn([...y.shape]);
    y.mul(w).sum().backward();
    assert.ok(x.grad, `${name}: a gradient`);
    const grad = x.grad.toFloat32Array();
    const data = x0.toFloat32Array();
    const f = (v: Float32Array): number => torch.noGrad(() => fn(torch.tensor(v).reshape([...x0.shape])).mul(w).sum().item());
    for (let i = 0; i < data.length; i++) {
      const p = new Float32Array(data), m = new Float32Array(data);
      p[i] += h; m[i] -= h;
      const num = (f(p) - f(m)) / (2 * h);
      if (!(Math.abs(num - grad[i]) <= tol * (1 + Math.abs(num)))) assert.fail(`${name}: d/dx[${i}] autograd ${grad[i]} vs finite difference ${num}`);
    }
  });
}

torch.manualSeed(5);
const k = <X extends Tensor>(t: X): X => torch.keep(t);
const IDX6 = k(torch.tensor([0, 3, -100, 2, 1, 3], { dtype: 'int32' }));
const IDX_K = k(torch.tensor([[[0, 2], [1, 1]], [[2, 0], [1, 2]]], { dtype: 'int32' })); // [2, 2, 2] for [2, 3, 2, 2]
const CW4 = k(torch.rand(4).add(0.5)), CW3 = k(torch.rand(3).add(0.5));
const LOGITS54 = k(torch.randn(5, 4)), PROBS54 = k(torch.randn(5, 4).softmax(1));
const P43 = k(torch.rand(4, 3).mul(0.8).add(0.1)), Y43 = k(torch.rand(4, 3)), Z43 = k(torch.randn(4, 3).mul(2));
const PW3 = k(torch.rand(3).add(0.5).mul(2)), EW3 = k(torch.rand(3).add(0.5)), EW41 = k(torch.rand(4, 1).add(0.5));
const A35 = k(torch.randn(3, 5)), B35 = k(torch.randn(3, 5).mul(2));
const LOGP34 = k(torch.randn(3, 4).logSoftmax(1)), Q34 = k(torch.randn(3, 4).softmax(1));

const fdCases: [string, (x: Tensor) => Tensor, () => Tensor, number?][] = [
  ['crossEntropy weight + labelSmoothing + ignoreIndex (input)', (x) => F.crossEntropy(x, IDX6, { weight: CW4, labelSmoothing: 0.2 }), () => torch.randn(6, 4)],
  ['crossEntropy K-dim weight + labelSmoothing, none (input)', (x) => F.crossEntropy(x, IDX_K, { weight: CW3, labelSmoothing: 0.1, reduction: 'none' }), () => torch.randn(2, 3, 2, 2)],
  ['crossEntropy probabilities weight + labelSmoothing (input)', (x) => F.crossEntropy(x, PROBS54, { weight: CW4, labelSmoothing: 0.3, reduction: 'sum' }), () => torch.randn(5, 4)],
  ['crossEntropy probabilities weight + labelSmoothing (target)', (t) => F.crossEntropy(LOGITS54, t, { weight: CW4, labelSmoothing: 0.3 }), () => torch.randn(5, 4).softmax(1)],
  ['nllLoss weight + ignoreIndex (input)', (x) => F.nllLoss(x, IDX6, { weight: CW4 }), () => torch.randn(6, 4)],
  ['nllLoss K-dim, none (input)', (x) => F.nllLoss(x, IDX_K, { reduction: 'none' }), () => torch.randn(2, 3, 2, 2)],
  ['binaryCrossEntropy weight [4, 1] (input)', (x) => F.binaryCrossEntropy(x, Y43, { weight: EW41 }), () => torch.rand(4, 3).mul(0.8).add(0.1), 1e-3],
  ['binaryCrossEntropy weight [3], none (target)', (y) => F.binaryCrossEntropy(P43, y, { weight: EW3, reduction: 'none' }), () => torch.rand(4, 3)],
  ['binaryCrossEntropyWithLogits posWeight + weight (input)', (x) => F.binaryCrossEntropyWithLogits(x, Y43, { posWeight: PW3, weight: EW3 }), () => torch.randn(4, 3).mul(2)],
  ['binaryCrossEntropyWithLogits posWeight, none (target)', (y) => F.binaryCrossEntropyWithLogits(Z43, y, { posWeight: PW3, reduction: 'none' }), () => torch.rand(4, 3)],
  ['binaryCrossEntropyWithLogits (target)', (y) => F.binaryCrossEntropyWithLogits(Z43, y, { reduction: 'sum' }), () => torch.rand(4, 3)],
  ['smoothL1Loss beta 0.7 (input)', (x) => F.smoothL1Loss(x, B35, { beta: 0.7 }), () => torch.randn(3, 5), 1e-3],
  ['smoothL1Loss beta 0.7, none (target)', (y) => F.smoothL1Loss(A35, y, { beta: 0.7, reduction: 'none' }), () => torch.randn(3, 5).mul(2), 1e-3],
  ['huberLoss delta 0.6 (input)', (x) => F.huberLoss(x, B35, { delta: 0.6, reduction: 'sum' }), () => torch.randn(3, 5), 1e-3],
  ['huberLoss delta 0.6 (target)', (y) => F.huberLoss(A35, y, { delta: 0.6 }), () => torch.randn(3, 5).mul(2), 1e-3],
  ['klDiv batchmean (input)', (x) => F.klDiv(x, Q34, { reduction: 'batchmean' }), () => torch.randn(3, 4).logSoftmax(1)],
  ['klDiv none (target)', (t) => F.klDiv(LOGP34, t, { reduction: 'none' }), () => torch.rand(3, 4).add(0.2), 1e-3],
  ['klDiv logTarget mean (input)', (x) => F.klDiv(x, Q34.log(), { logTarget: true }), () => torch.randn(3, 4)],
  ['klDiv logTarget sum (target)', (t) => F.klDiv(LOGP34, t, { logTarget: true, reduction: 'sum' }), () => torch.randn(3, 4)],
];
for (const [name, fn, x0, h] of fdCases) {
  test(`losses finite differences: ${name}`, () => torch.tidy(() => fd(name, fn, x0(), h)));
}

// ---- semantics beyond the fixtures -------------------------------------------------------------

const close = (a: number, b: number, tol = 1e-5): void => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${a} vs ${b}`);

test('crossEntropy weight and labelSmoothing change the loss (they used to be ignored)', () => torch.tidy(() => {
  const x = torch.randn(4, 3), t = torch.tensor([0, 1, 2, 1], { dtype: 'int32' });
  const plain = F.crossEntropy(x, t).item();
  assert.notEqual(F.crossEntropy(x, t, { weight: torch.tensor([1, 5, 0.1]) }).item(), plain);
  assert.notEqual(F.crossEntropy(x, t, { labelSmoothing: 0.2 }).item(), plain);
  assert.notEqual(new nn.CrossEntropyLoss({ weight: torch.tensor([1, 5, 0.1]), labelSmoothing: 0.2 }).forward(x, t).item(), plain);
  // a weight of ones and no smoothing is the plain loss
  close(F.crossEntropy(x, t, { weight: torch.ones(3), labelSmoothing: 0 }).item(), plain);
}));

test("'mean' with weights divides by the targets' summed weights; with probabilities by the sample count", () => torch.tidy(() => {
  const x = torch.randn(3, 4), t = torch.tensor([1, -100, 3], { dtype: 'int32' }), w = torch.tensor([0.5, 2, 1, 3]);
  const none = F.crossEntropy(x, t, { weight: w, reduction: 'none' }).toFloat32Array();
  assert.equal(none[1], 0);
  close(F.crossEntropy(x, t, { weight: w }).item(), (none[0] + none[2]) / (2 + 3));
  close(F.nllLoss(x, t, { weight: w }).item(), -(x.tolist() as number[][])[0][1] * 2 / 5 - (x.tolist() as number[][])[2][3] * 3 / 5);
  const p = torch.randn(3, 4).softmax(1);
  const pn = F.crossEntropy(x, p, { weight: w, reduction: 'none' }).toFloat32Array();
  close(F.crossEntropy(x, p, { weight: w }).item(), (pn[0] + pn[1] + pn[2]) / 3);
}));

test('every target ignored, or an empty batch: the mean is NaN and the gradient zero, as in PyTorch', () => torch.tidy(() => {
  const x = torch.randn(2, 3, { requiresGrad: true }), t = torch.tensor([-100, -100], { dtype: 'int32' });
  const l = F.crossEntropy(x, t, { weight: torch.ones(3), labelSmoothing: 0.1 });
  assert.ok(Number.isNaN(l.item()), `cross-entropy over ignored targets: ${l.item()}`);
  l.backward();
  assert.deepEqual(Array.from(x.grad!.toFloat32Array()), [0, 0, 0, 0, 0, 0]);
  assert.ok(Number.isNaN(F.nllLoss(x, t).item()), 'NLL over ignored targets');
  assert.ok(Number.isNaN(F.crossEntropy(torch.zeros(0, 3), torch.zeros(0, { dtype: 'int32' })).item()), 'cross-entropy of an empty batch');
  assert.ok(Number.isNaN(F.mseLoss(torch.zeros(0), torch.zeros(0)).item()), 'MSE of nothing');
  assert.ok(Number.isNaN(F.klDiv(torch.zeros(0, 2), torch.zeros(0, 2), { reduction: 'batchmean' }).item()), 'KL batchmean of an empty batch');
}));

test("'none' keeps one value per element or sample; KL 'batchmean' and 'mean' divide the sum differently", () => torch.tidy(() => {
  assert.deepEqual(F.crossEntropy(torch.randn(2, 3, 4), torch.zeros([2, 4], { dtype: 'int32' }), { reduction: 'none' }).shape, [2, 4]);
  assert.deepEqual(F.nllLoss(torch.randn(3), torch.tensor(1, { dtype: 'int32' }), { reduction: 'none' }).shape, []);
  assert.deepEqual(F.binaryCrossEntropyWithLogits(torch.randn(2, 3), torch.rand(2, 3), { reduction: 'none' }).shape, [2, 3]);
  const x = torch.randn(4, 5).logSoftmax(1), t = torch.randn(4, 5).softmax(1);
  const sum = F.klDiv(x, t, { reduction: 'sum' }).item();
  close(F.klDiv(x, t, { reduction: 'batchmean' }).item(), sum / 4);
  close(F.klDiv(x, t).item(), sum / 20);
  close(new nn.KLDivLoss({ reduction: 'batchmean' }).forward(x, t).item(), sum / 4);
  // smoothL1 with beta 0 is L1, Huber with delta 1 is smoothL1 with beta 1
  const a = torch.randn(3, 7), b = torch.randn(3, 7);
  close(F.smoothL1Loss(a, b, { beta: 0 }).item(), F.l1Loss(a, b).item());
  close(F.huberLoss(a, b).item(), F.smoothL1Loss(a, b).item());
}));

test('modules keep their options, register weights under PyTorch names and match the functions', () => torch.tidy(() => {
  const w = torch.rand(3).add(0.5), pw = torch.rand(3).add(1);
  const ce = new nn.CrossEntropyLoss({ weight: w, labelSmoothing: 0.1, ignoreIndex: 2, reduction: 'sum' });
  assert.equal(ce.weight, w); assert.equal(ce.labelSmoothing, 0.1); assert.equal(ce.ignoreIndex, 2); assert.equal(ce.reduction, 'sum');
  assert.deepEqual(Object.keys(ce.stateDict()), ['weight']);
  assert.equal(ce.toString(), 'CrossEntropyLoss()');
  const bl = new nn.BCEWithLogitsLoss({ posWeight: pw, weight: w });
  assert.deepEqual(Object.keys(bl.stateDict()).sort(), ['pos_weight', 'weight']);
  assert.deepEqual(Object.keys(new nn.CrossEntropyLoss().stateDict()), []);
  const d = new nn.CrossEntropyLoss();
  assert.equal(d.ignoreIndex, -100); assert.equal(d.labelSmoothing, 0); assert.equal(d.weight, null); assert.equal(d.reduction, 'mean');
  assert.equal(new nn.SmoothL1Loss().beta, 1);
  assert.equal(new nn.HuberLoss().delta, 1);
  assert.equal(new nn.KLDivLoss().reduction, 'mean');
  assert.equal(new nn.KLDivLoss().logTarget, false);
  assert.equal(new nn.NLLLoss().ignoreIndex, -100);

  const x = torch.randn(4, 3), t = torch.tensor([0, 2, 1, 2], { dtype: 'int32' }), y = torch.rand(4, 3);
  close(ce.forward(x, t).item(), F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1, ignoreIndex: 2, reduction: 'sum' }).item());
  close(new nn.NLLLoss({ weight: w }).forward(x.logSoftmax(1), t).item(), F.nllLoss(x.logSoftmax(1), t, { weight: w }).item());
  close(new nn.BCELoss({ weight: w }).forward(x.sigmoid(), y).item(), F.binaryCrossEntropy(x.sigmoid(), y, { weight: w }).item());
  close(bl.forward(x, y).item(), F.binaryCrossEntropyWithLogits(x, y, { posWeight: pw, weight: w }).item());
  // BCE on sigmoid equals BCE with logits
  close(F.binaryCrossEntropy(x.sigmoid(), y).item(), F.binaryCrossEntropyWithLogits(x, y).item(), 1e-4);
  close(new nn.SmoothL1Loss({ beta: 0.3 }).forward(x, y).item(), F.smoothL1Loss(x, y, { beta: 0.3 }).item());
  close(new nn.HuberLoss({ delta: 0.3, reduction: 'none' }).forward(x, y).sum().item(), F.huberLoss(x, y, { delta: 0.3, reduction: 'sum' }).item());
  close(new nn.KLDivLoss({ logTarget: true }).forward(x, y.log()).item(), F.klDiv(x, y.log(), { logTarget: true }).item());
}));

test('gradient functions carry PyTorch-style names', () => torch.tidy(() => {
  const x = torch.randn(2, 3, { requiresGrad: true }), y = torch.rand(2, 3);
  assert.equal(F.binaryCrossEntropy(x.sigmoid(), y).gradFn?.name, 'BinaryCrossEntropyBackward0');
  assert.equal(F.binaryCrossEntropyWithLogits(x, y).gradFn?.name, 'BinaryCrossEntropyWithLogitsBackward0');
  assert.equal(F.smoothL1Loss(x, y).gradFn?.name, 'SmoothL1LossBackward0');
  assert.equal(F.huberLoss(x, y).gradFn?.name, 'HuberLossBackward0');
  assert.equal(F.nllLoss(x, torch.tensor([0, 1], { dtype: 'int32' })).gradFn?.name, 'NllLossBackward0');
}));

test('forward and backward of every loss leave no tensor behind', () => {
  const x = torch.randn(4, 3, { requiresGrad: true }), y = torch.rand(4, 3, { requiresGrad: true });
  const t = torch.tensor([0, 2, -100, 1], { dtype: 'int32' }), w = torch.rand(3), pw = torch.rand(3);
  const xs = torch.randn(2, 3, 2, { requiresGrad: true }), ts = torch.tensor([[0, 2], [1, 1]], { dtype: 'int32' });
  const runs: (() => Tensor)[] = [
    () => F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1 }),
    () => F.crossEntropy(xs, ts, { weight: w, reduction: 'none' }),
    () => F.crossEntropy(x, y, { weight: w, labelSmoothing: 0.2 }),
    () => F.crossEntropy(x.t(), y.t().softmax(1)), // non-contiguous input and target
    () => F.nllLoss(x, t, { weight: w }),
    () => F.binaryCrossEntropy(x.sigmoid(), y, { weight: w }),
    () => F.binaryCrossEntropy(x.sigmoid(), y, { weight: torch.rand(4, 1) }),
    () => F.binaryCrossEntropyWithLogits(x, y, { posWeight: pw, weight: w, reduction: 'none' }),
    () => F.smoothL1Loss(x, y, { beta: 0.5 }),
    () => F.huberLoss(x.t(), y.t(), { reduction: 'none' }),
    () => F.klDiv(x, y, { reduction: 'batchmean' }),
    () => F.mseLoss(x, y),
  ];
  for (const run of runs) {
    const before = torch.memory();
    torch.tidy(() => { const l = run(); (l.ndim === 0 ? l : l.sum()).backward(); });
    x.grad?.dispose(); x.grad = null; y.grad?.dispose(); y.grad = null; xs.grad?.dispose(); xs.grad = null;
    const after = torch.memory();
    assert.equal(after.liveTensors, before.liveTensors, `live tensors after ${run.toString()}`);
    assert.equal(after.bytesInUse, before.bytesInUse, `bytes after ${run.toString()}`);
  }
  // backward frees what the losses saved
  const before = torch.memory();
  const l = F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1 });
  l.backward(); l.dispose(); x.grad!.dispose(); x.grad = null;
  assert.equal(torch.memory().bytesInUse, before.bytesInUse);
  for (const v of [x, y, t, w, pw, xs, ts]) v.dispose();
});

// ---- options and error paths -------------------------------------------------------------------

function unchanged(fn: () => unknown, check: (e: Error) => boolean, ...watched: Tensor[]): void {
  const before = watched.map((t) => t.toFloat32Array());
  const mem = torch.memory();
  assert.throws(fn, (e: Error) => { assert.ok(check(e), `${e.constructor.name}: ${e.message}`); return true; });
  assert.equal(torch.memory().bytesInUse, mem.bytesInUse, 'no memory leaked');
  assert.equal(torch.memory().liveTensors, mem.liveTensors, 'no tensor leaked');
  watched.forEach((t, i) => assert.deepEqual(t.toFloat32Array(), before[i], 'tensor unchanged'));
}
const typeErr = (re: RegExp) => (e: Error) => e instanceof TypeError && re.test(e.message);
const rangeErr = (re: RegExp) => (e: Error) => e instanceof RangeError && re.test(e.message);

test('unknown options are TypeErrors naming the key and the known ones, in functions and modules', () => {
  const x = torch.randn(2, 3), t = torch.tensor([0, 1], { dtype: 'int32' }), y = torch.rand(2, 3), ones3 = torch.ones(3);
  const o = (v: object) => v as never;
  unchanged(() => F.crossEntropy(x, t, o({ label_smoothing: 0.1 })), typeErr(/crossEntropy: unknown option 'label_smoothing' \(did you mean 'labelSmoothing'\?\); known options: weight, ignoreIndex, reduction, labelSmoothing/), x);
  unchanged(() => new nn.CrossEntropyLoss(o({ label_smoothing: 0.1 })), typeErr(/CrossEntropyLoss: unknown option 'label_smoothing'.*labelSmoothing/));
  unchanged(() => new nn.CrossEntropyLoss(o({ ignore_index: 1 })), typeErr(/unknown option 'ignore_index' \(did you mean 'ignoreIndex'\?\)/));
  unchanged(() => F.binaryCrossEntropyWithLogits(x, y, o({ pos_weight: ones3 })), typeErr(/binaryCrossEntropyWithLogits: unknown option 'pos_weight' \(did you mean 'posWeight'\?\); known options: weight, reduction, posWeight/), x);
  unchanged(() => new nn.BCEWithLogitsLoss(o({ pos_weight: ones3 })), typeErr(/BCEWithLogitsLoss: unknown option 'pos_weight'/));
  unchanged(() => new nn.BCELoss(o({ posWeight: ones3 })), typeErr(/BCELoss: unknown option 'posWeight'; known options: weight, reduction/));
  unchanged(() => F.nllLoss(x, t, o({ labelSmoothing: 0.1 })), typeErr(/nllLoss: unknown option 'labelSmoothing'; known options: weight, ignoreIndex, reduction/));
  unchanged(() => new nn.KLDivLoss(o({ log_target: true })), typeErr(/unknown option 'log_target' \(did you mean 'logTarget'\?\)/));
  unchanged(() => new nn.SmoothL1Loss(o({ delta: 1 })), typeErr(/SmoothL1Loss: unknown option 'delta'; known options: reduction, beta/));
  unchanged(() => new nn.HuberLoss(o({ beta: 1 })), typeErr(/HuberLoss: unknown option 'beta'; known options: reduction, delta/));
  unchanged(() => new nn.MSELoss(o({ size_average: true })), typeErr(/MSELoss: unknown option 'size_average'; known options: reduction/));
  unchanged(() => F.l1Loss(x, y, o({ reduce: false })), typeErr(/l1Loss: unknown option 'reduce'/));
  // PyTorch's positional weight: a clear message rather than a silent ignore
  unchanged(() => F.nllLoss(x, t, o(ones3)), typeErr(/nllLoss: options must be a plain object \{ weight, ignoreIndex, reduction \}, got a Tensor/));
});

test('wrong option types are TypeErrors; values out of range RangeErrors', () => {
  const x = torch.randn(2, 3), t = torch.tensor([0, 1], { dtype: 'int32' }), y = torch.rand(2, 3);
  const i3 = torch.tensor([1, 2, 3], { dtype: 'int32' });
  const o = (v: object) => v as never;
  unchanged(() => F.crossEntropy(x, t, o({ labelSmoothing: '0.1' })), typeErr(/crossEntropy: option 'labelSmoothing' must be a number, got string "0.1"/));
  unchanged(() => F.crossEntropy(x, t, { labelSmoothing: 1.5 }), rangeErr(/crossEntropy: labelSmoothing must be between 0.0 and 1.0, got 1.5/));
  unchanged(() => new nn.CrossEntropyLoss({ labelSmoothing: -0.1 }), rangeErr(/labelSmoothing must be between 0.0 and 1.0/));
  unchanged(() => F.crossEntropy(x, t, o({ weight: [1, 2, 3] })), typeErr(/crossEntropy: option 'weight' must be a float32 Tensor or null/));
  unchanged(() => F.crossEntropy(x, t, { weight: i3 }), typeErr(/weight must be a float32 tensor, got int32/));
  unchanged(() => F.crossEntropy(x, t, o({ ignoreIndex: 1.5 })), typeErr(/option 'ignoreIndex' must be an integer, got number 1.5/));
  unchanged(() => F.crossEntropy(x, t, o({ reduction: 'avg' })), rangeErr(/reduction must be 'mean', 'sum' or 'none', got 'avg'/));
  unchanged(() => F.crossEntropy(x, t, o({ reduction: 1 })), typeErr(/option 'reduction' must be a string/));
  unchanged(() => F.mseLoss(x, y, o({ reduction: 'batchmean' })), rangeErr(/mseLoss: reduction must be 'mean', 'sum' or 'none', got 'batchmean'/));
  unchanged(() => F.klDiv(x, y, o({ reduction: 'avg' })), rangeErr(/klDiv: reduction must be 'mean', 'batchmean', 'sum' or 'none'/));
  unchanged(() => F.klDiv(x, y, o({ logTarget: 1 })), typeErr(/klDiv: option 'logTarget' must be a boolean/));
  unchanged(() => F.smoothL1Loss(x, y, { beta: -1 }), rangeErr(/smoothL1Loss: beta must be non-negative/));
  unchanged(() => F.huberLoss(x, y, { delta: 0 }), rangeErr(/huberLoss: delta must be positive/));
  unchanged(() => new nn.HuberLoss(o({ delta: '1' })), typeErr(/HuberLoss: option 'delta' must be a number/));
  unchanged(() => F.binaryCrossEntropyWithLogits(x, y, o({ posWeight: 2 })), typeErr(/option 'posWeight' must be a float32 Tensor or null/));
});

test('shapes, class indices, weights and probabilities are checked before anything is written', () => {
  const x = torch.randn(3, 4, { requiresGrad: true }), y = torch.rand(3, 4);
  const t = torch.tensor([0, 4, 1], { dtype: 'int32' }), tneg = torch.tensor([0, -1, 1], { dtype: 'int32' }), t3 = torch.tensor([0, 1, 2], { dtype: 'int32' });
  const ones4 = torch.ones(4), ones3 = torch.ones(3), ones14 = torch.ones(1, 4), ones234 = torch.ones(2, 3, 4), ones2 = torch.ones(2);
  const x232 = torch.randn(2, 3, 2), t22 = torch.tensor([[0, 1], [3, 0]], { dtype: 'int32' }), t01 = torch.tensor([0, 1], { dtype: 'int32' });
  const r35 = torch.rand(3, 5), r3 = torch.rand(3), r4 = torch.rand(4), r31 = torch.rand(3, 1), r43 = torch.rand(4, 3), r1 = torch.rand(1);
  const s0 = torch.tensor(1), s0t = torch.tensor(0, { dtype: 'int32' }), sx = x.sigmoid(), nan = torch.tensor([NaN]), i11 = torch.tensor([[1]], { dtype: 'int32' });
  unchanged(() => F.crossEntropy(x, t), rangeErr(/crossEntropy: target 4 at position 1 is out of bounds for 4 classes/), x);
  unchanged(() => F.crossEntropy(x, tneg, { weight: ones4, labelSmoothing: 0.1 }),
    rangeErr(/crossEntropy: target -1 at position 1 is out of bounds for 4 classes \(expected in \[0, 3\] or ignoreIndex -100\)/), x);
  unchanged(() => F.nllLoss(x, t), rangeErr(/nllLoss: target 4 at position 1 is out of bounds for 4 classes/), x);
  unchanged(() => F.nllLoss(x232, t22), rangeErr(/nllLoss: target 3 at position 2 is out of bounds for 3 classes/));
  unchanged(() => F.crossEntropy(x, t3, { weight: ones3 }),
    rangeErr(/crossEntropy: weight must be a 1-D tensor of 4 class weights.*got shape \[3\]/), x);
  unchanged(() => F.nllLoss(x, t3, { weight: ones14 }), rangeErr(/nllLoss: weight must be a 1-D tensor of 4 class weights/), x);
  unchanged(() => F.crossEntropy(x, t01), rangeErr(/class-index targets for input of shape \[3, 4\] must have shape \[3\], got \[2\]/), x);
  unchanged(() => F.crossEntropy(x, r35), rangeErr(/probability targets must have the input's shape \[3, 4\], got \[3, 5\]/), x);
  unchanged(() => F.nllLoss(x, r3), typeErr(/nllLoss: targets must be int32 class indices, got float32/), x);
  unchanged(() => F.crossEntropy(s0, s0t), rangeErr(/input must have at least 1 dim/));
  unchanged(() => F.binaryCrossEntropy(sx, r4), rangeErr(/binaryCrossEntropy: input of shape \[3, 4\] and target of shape \[4\] must have the same shape/), x);
  unchanged(() => F.binaryCrossEntropyWithLogits(x, r31), rangeErr(/binaryCrossEntropyWithLogits: input of shape \[3, 4\] and target of shape \[3, 1\]/), x);
  unchanged(() => F.binaryCrossEntropyWithLogits(x, y, { posWeight: ones3 }), rangeErr(/posWeight of shape \[3\] cannot be broadcast to the input's shape \[3, 4\]/), x, y);
  unchanged(() => F.binaryCrossEntropy(y, y, { weight: ones234 }), rangeErr(/weight of shape \[2, 3, 4\] cannot be broadcast to the input's shape \[3, 4\]/), y);
  unchanged(() => F.binaryCrossEntropyWithLogits(x, y, { weight: ones4, posWeight: ones2 }), rangeErr(/posWeight of shape \[2\]/), x, y);
  const bad = torch.tensor([0.2, 1.5, 0.1]);
  unchanged(() => F.binaryCrossEntropy(bad, r3, { weight: ones3 }), rangeErr(/binaryCrossEntropy: all elements of input should be between 0 and 1.*got 1.5 at position 1/), bad);
  unchanged(() => F.binaryCrossEntropy(nan, r1), rangeErr(/got NaN at position 0/));
  unchanged(() => F.smoothL1Loss(x, r43), rangeErr(/smoothL1Loss: input of shape \[3, 4\] and target of shape \[4, 3\]/), x);
  unchanged(() => F.klDiv(x, r3), rangeErr(/klDiv: input of shape \[3, 4\] and target of shape \[3\]/), x);
  unchanged(() => F.huberLoss(x, i11), typeErr(/huberLoss: expected a float32 tensor, got int32/), x);
  assert.equal(x.grad, null);
});

test('a weight that requires grad is refused, as PyTorch refuses it', () => {
  const x = torch.randn(2, 3), t = torch.tensor([0, 1], { dtype: 'int32' }), w = torch.ones(3, { requiresGrad: true }), y23 = torch.rand(2, 3);
  unchanged(() => F.crossEntropy(x, t, { weight: w }), (e) => /crossEntropy: weight requires grad, but the loss is not differentiable with respect to weight/.test(e.message));
  unchanged(() => F.nllLoss(x, t, { weight: w }), (e) => /nllLoss: weight requires grad/.test(e.message));
  unchanged(() => F.binaryCrossEntropyWithLogits(x, y23, { posWeight: w }), (e) => /posWeight requires grad/.test(e.message));
  // under noGrad nothing is differentiated, so it is allowed
  torch.noGrad(() => F.crossEntropy(x, t, { weight: w })).dispose();
});
