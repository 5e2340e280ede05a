// Gradient fan-out: a tensor used more than once must receive the sum of every use's gradient,
// whether it is a leaf (accumulated into .grad) or an interior node (summed before its own rule
// runs, which must wait for all its consumers). Values are derived by hand below (and checked
// against PyTorch 1.13 where noted), then against central finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { assertClose, checkFiniteDifferences as fd } from './oracle.js';

const X = [0.5, -1.25, 2, 0.75];
const leaf = (v: number[] = X) => torch.tensor(v, { requiresGrad: true });
const map = (f: (v: number) => number, v: number[] = X) => v.map(f);

test('y.add(y) with y interior: dx = 2·dy (y = 2x, so 4)', () => torch.tidy(() => {
  const x = leaf();
  const y = x.mul(2);
  y.add(y).sum().backward();
  assertClose(x.grad!.toFloat32Array(), [4, 4, 4, 4], 'x.grad');
}));

test('y.mul(y) with y interior: d(y²)/dx = 2y·3 (y = 3x + 1)', () => torch.tidy(() => {
  const x = leaf();
  const y = x.mul(3).add(1);
  y.mul(y).sum().backward();
  assertClose(x.grad!.toFloat32Array(), map((v) => 6 * (3 * v + 1)), 'x.grad');
}));

test('an interior node used three times, as an operand of the same op and of another', () => torch.tidy(() => {
  // z = y·y + y, y = x − 1: dz/dx = 2y + 1
  const x = leaf();
  const y = x.sub(1);
  y.mul(y).add(y).sum().backward();
  assertClose(x.grad!.toFloat32Array(), map((v) => 2 * (v - 1) + 1), 'x.grad');
}));

test('branches of different depths: the short branch is first, the node waits for the long ones', () => torch.tidy(() => {
  // out = y + 3·exp(y) + exp(−y²), y = 2x: dout/dy = 1 + 3·exp(y) − 2y·exp(−y²), dx = 2·dout/dy
  const x = leaf();
  const y = x.mul(2);
  const out = y.add(y.exp().mul(3)).add(y.square().neg().exp());
  out.sum().backward();
  const expected = map((v) => { const yv = 2 * v; return 2 * (1 + 3 * Math.exp(yv) - 2 * yv * Math.exp(-yv * yv)); });
  assertClose(x.grad!.toFloat32Array(), expected, 'x.grad');
}));

test('a chain of diamonds: each node used by the next two (gradients double at every level)', () => torch.tidy(() => {
  // h_{k+1} = h_k + h_k·1 (two uses of h_k): d h_n / d x = 2^n
  const x = leaf();
  let h = x.mul(1);
  for (let k = 0; k < 10; k++) h = h.add(h.mul(1));
  h.sum().backward();
  assertClose(x.grad!.toFloat32Array(), [1024, 1024, 1024, 1024], 'x.grad');
}));

test('a diamond whose long side is a view chain (reshape, transpose) and broadcasting', () => torch.tidy(() => {
  // y = 2x of shape [2, 2]; out = Σ (y + yᵀ·1 + y.reshape(4).reshape(2,2)·b) with b = [1, 3]
  const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const b = torch.tensor([1, 3]);
  const y = x.mul(2);
  y.add(y.t().mul(1)).add(y.reshape(4).reshape(2, 2).mul(b)).sum().backward();
  // d/dy = 1 + 1 + b (per column), dx = 2·that
  assertClose(x.grad!.toFloat32Array(), [6, 10, 6, 10], 'x.grad');
  assert.equal(b.grad, null, 'a constant gets no gradient');
}));

test('a leaf used twice in one op: x·x, x + x, x − x, x / x', () => torch.tidy(() => {
  const cases: [(x: torch.Tensor) => torch.Tensor, (v: number) => number][] = [
    [(x) => x.mul(x), (v) => 2 * v],
    [(x) => x.add(x), () => 2],
    [(x) => x.sub(x), () => 0],
    [(x) => x.div(x), () => 0],
    [(x) => torch.maximum(x, x), () => 1], // ties split the gradient: ½ + ½
  ];
  for (const [f, d] of cases) {
    const x = leaf();
    f(x).sum().backward();
    assertClose(x.grad!.toFloat32Array(), map(d), String(f));
  }
}));

test('a leaf used across ops, and in the same op through a broadcast', () => torch.tidy(() => {
  // 2x + exp(x) + x·sin(x): d = 2 + exp(x) + sin(x) + x·cos(x)
  const x = leaf();
  x.mul(2).add(x.exp()).add(x.mul(x.sin())).sum().backward();
  assertClose(x.grad!.toFloat32Array(), map((v) => 2 + Math.exp(v) + Math.sin(v) + v * Math.cos(v)), 'x.grad');
  // b of shape [2] broadcast over [3, 2] twice: Σ_ij (a_ij + b_j)·b_j → d/db_j = Σ_i a_ij + 2·3·b_j
  const a = torch.tensor([[1, 2], [3, 4], [5, 6]]);
  const b = torch.tensor([0.5, -2], { requiresGrad: true });
  a.add(b).mul(b).sum().backward();
  assertClose(b.grad!.toFloat32Array(), [9 + 6 * 0.5, 12 + 6 * -2], 'b.grad');
}));

test('retainGrad on an interior node used twice holds the sum of both uses', () => torch.tidy(() => {
  // PyTorch 1.13: y = 2x, z = Σ(y·y + y): y.grad = 2y + 1, x.grad = 2·y.grad
  const x = leaf([0.5, -1, 2]);
  const y = x.mul(2);
  y.retainGrad();
  y.mul(y).add(y).sum().backward();
  assertClose(y.grad!.toFloat32Array(), [3, -3, 9], 'y.grad');
  assertClose(x.grad!.toFloat32Array(), [6, -6, 18], 'x.grad');
}));

test('retainGrad on the root and on a node used by two consumers', () => torch.tidy(() => {
  const x = leaf([1, 2]);
  const y = x.mul(3);
  y.retainGrad();
  const s = y.sum().add(y.square().sum());
  s.retainGrad();
  s.backward();
  assertClose(s.grad!.toFloat32Array(), [1], 's.grad');
  assertClose(y.grad!.toFloat32Array(), [1 + 2 * 3, 1 + 2 * 6], 'y.grad');
}));

test('accumulation into an existing .grad across two backward calls (leaf and retained interior)', () => torch.tidy(() => {
  // PyTorch 1.13: after two backward passes of Σ(y·y + y), y = 2x: y.grad [6, −6, 18], x.grad [12, −12, 36]
  const x = leaf([0.5, -1, 2]);
  const y = x.mul(2);
  y.retainGrad();
  const z = y.mul(y).add(y).sum();
  z.backward(undefined, { retainGraph: true });
  z.backward();
  assertClose(y.grad!.toFloat32Array(), [6, -6, 18], 'y.grad');
  assertClose(x.grad!.toFloat32Array(), [12, -12, 36], 'x.grad');
  // a second graph adds onto the same leaf: + Σ(x + 1) twice (no saved tensors: no retainGraph needed, as PyTorch)
  const a = x.add(1).sum();
  a.backward();
  a.backward();
  assertClose(x.grad!.toFloat32Array(), [14, -10, 38], 'x.grad after Σ(x + 1) twice');
}));

test('accumulation into a user-assigned strided .grad adds to it', () => torch.tidy(() => {
  const x = leaf([1, 2, 3, 4]).reshape(2, 2).detach().requiresGrad_();
  x.grad = torch.tensor([[10, 30], [20, 40]]).t(); // strided: [[10, 20], [30, 40]]
  x.mul(x).sum().backward();
  assertClose(x.grad!.toFloat32Array(), [12, 24, 36, 48], 'x.grad');
}));

test('the gradient passed to backward() weighs every use', () => torch.tidy(() => {
  const x = leaf([1, 2]);
  const y = x.mul(2);
  y.add(y.mul(y)).backward(torch.tensor([3, -1]));
  // d/dx = g·(1 + 2y)·2 with y = [2, 4]
  assertClose(x.grad!.toFloat32Array(), [3 * 5 * 2, -1 * 9 * 2], 'x.grad');
}));

test('an interior node consumed by an op whose other operand needs no gradient', () => torch.tidy(() => {
  const x = leaf([1, 2]);
  const c = torch.tensor([5, 7]);
  const y = x.mul(2);
  y.mul(c).add(y).sum().backward();
  assertClose(x.grad!.toFloat32Array(), [2 * 6, 2 * 8], 'x.grad');
  assert.equal(c.grad, null, 'the constant operand gets no gradient');
}));

test('fan-out through views, a leaf as both matmul operands, an expanded node used twice (PyTorch 1.13 values)', () => torch.tidy(() => {
  const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const y = x.t();
  y.retainGrad();
  y.add(y.mul(y)).sum().backward();
  assert.deepEqual(y.grad!.tolist(), [[3, 7], [5, 9]]);
  assert.deepEqual(x.grad!.tolist(), [[3, 5], [7, 9]]);
  const a = torch.tensor([1, 2, 3, 4], { requiresGrad: true });
  const b = a.mul(1);
  const v = b.reshape(2, 2);
  v.t().matmul(v).sum().add(b.sum()).backward();
  assert.deepEqual(a.grad!.tolist(), [7, 7, 15, 15]);
  const m = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  m.matmul(m).sum().backward();
  assert.deepEqual(m.grad!.tolist(), [[7, 11], [9, 13]]);
  const c = torch.tensor([1, 2], { requiresGrad: true });
  const d = c.mul(2).unsqueeze(0);
  d.expand(3, 2).add(d).sum().backward();
  assert.deepEqual(c.grad!.tolist(), [12, 12]);
}));

// The same graphs against central finite differences.
const fdCases: [string, (x: torch.Tensor) => torch.Tensor][] = [
  ['y.add(y)', (x) => { const y = x.tanh(); return y.add(y); }],
  ['y.mul(y)', (x) => { const y = x.sin(); return y.mul(y); }],
  ['different depths', (x) => { const y = x.mul(0.5); return y.add(y.exp().mul(3)).add(y.square().neg().exp()); }],
  ['leaf twice across ops', (x) => x.mul(x.sigmoid()).add(x.exp())],
  ['broadcast twice', (x) => x.add(x.sum(1, true)).mul(x.mean(0, true))],
  ['matmul with itself', (x) => x.matmul(x.t()).mul(x.sum())],
];
for (const [name, f] of fdCases) test(`finite differences: fan-out ${name}`, () => fd(name, f, [3, 3]));

// A leaf without a grad takes a fresh gradient as its .grad instead of a copy (PyTorch's
// AccumulateGrad steals an unshared one too). It must never take a tensor someone else still holds.
test('a leaf never takes the caller\'s gradient as its .grad: it gets a copy, and the caller\'s tensor stays unchanged', () => torch.tidy(() => {
  const x = leaf();
  const g = torch.tensor([1, 2, 3, 4]);
  const y = x.add(1); // AddBackward passes g on unchanged
  y.backward(g);
  assert.notEqual(x.grad, g);
  y.backward(g, { retainGraph: false }); // nothing saved: a second backward accumulates
  assertClose(x.grad!.toFloat32Array(), [2, 4, 6, 8], 'x.grad');
  assertClose(g.toFloat32Array(), [1, 2, 3, 4], 'the caller\'s gradient');
}));

test('one gradient tensor handed to two interior nodes that both pass it to the same leaf, with a third contribution after: each use counted once', () => torch.tidy(() => {
  // z = (x·1 + x·1) + 3x: AddBackward hands the same g to both MulBackward nodes
  const x = leaf();
  const a = x.add(0), b = x.add(0); // pass-through nodes
  const z = a.add(b).add(x.mul(3));
  z.sum().backward();
  assertClose(x.grad!.toFloat32Array(), [5, 5, 5, 5], 'x.grad');
  z.dispose();
}));

test('a gradient taken as .grad is the leaf\'s own: writing it changes no other tensor, and the next backward adds into it', () => torch.tidy(() => {
  const x = leaf([1, 2]);
  const w = leaf([3, 4]);
  const y = x.mul(w); // dx = w·g, dw = x·g: fresh tensors
  y.sum().backward();
  const gx = x.grad!;
  assertClose(gx.toFloat32Array(), [3, 4], 'x.grad');
  assertClose(w.grad!.toFloat32Array(), [1, 2], 'w.grad');
  torch.noGrad(() => gx.mul_(10));
  assertClose(w.grad!.toFloat32Array(), [1, 2], 'w.grad after writing x.grad');
  assertClose(w.toFloat32Array(), [3, 4], 'w after writing x.grad');
  x.mul(w).sum().backward();
  assertClose(x.grad!.toFloat32Array(), [33, 44], 'x.grad accumulates into the grad it took');
}));
