// Regression tests for the seventh review's findings: `grad` assignment is checked and frees the
// gradient it replaces; creation functions take their options object last; int32 values that do
// not fit are a RangeError instead of wrapping; max/min(dim) results destructure as PyTorch's named
// tuple, and max/min with a tensor second argument are elementwise. PyTorch 1.13/2.x is the oracle
// (the messages quoted below are PyTorch's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
const { optim } = torch;

const live = (): number => torch.memory().liveTensors;

// ---- 1. grad is a checked accessor ---------------------------------------------------------------

test('grad: a tensor of another shape or dtype, or a non-tensor, is refused before anything changes', () => {
  const p = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 1 });
  const bad = [torch.ones(3, 2), torch.ones(1, 2), torch.ones(6), torch.ones(2, 3, { dtype: 'int32' }), torch.ones(2, 3, { dtype: 'bool' })];
  const before = live();
  // PyTorch: "assigned grad has data of a different size" / "... of a different type"
  assert.throws(() => { p.grad = bad[0]; }, (e: Error) => e instanceof RangeError && /assigned grad has data of a different size: got shape \[3, 2\], the tensor has shape \[2, 3\]/.test(e.message));
  assert.throws(() => { p.grad = bad[1]; }, RangeError);
  assert.throws(() => { p.grad = bad[2]; }, RangeError);
  assert.throws(() => { p.grad = bad[3]; }, (e: Error) => e instanceof TypeError && /different type: got int32, the tensor is float32/.test(e.message));
  assert.throws(() => { p.grad = bad[4]; }, TypeError);
  assert.throws(() => { (p as { grad: unknown }).grad = 3; }, (e: Error) => e instanceof TypeError && /expected to be a Tensor or null but got/.test(e.message));
  assert.throws(() => { (p as { grad: unknown }).grad = [[1, 2, 3], [4, 5, 6]]; }, TypeError);
  assert.throws(() => { p.grad = p; }, /own grad/);
  const gone = torch.ones(2, 3); gone.dispose();
  assert.throws(() => { p.grad = gone; }, /the assigned tensor of shape \[2, 3\] was disposed/);
  assert.equal(p.grad, null);
  assert.equal(live(), before, 'a refused assignment allocates nothing and frees nothing');
  // the step that used to misread them leaves p as it was
  opt.step();
  assert.deepEqual(p.tolist(), [[1, 2, 3], [4, 5, 6]]);
  bad.forEach((t) => { assert.equal(t.isDisposed, false, 'a refused tensor stays the caller\'s'); t.dispose(); });
  p.dispose();
});

test('grad: same shape and dtype is accepted (strided too), null and undefined clear it', () => {
  const p = torch.ones(2, 3, { requiresGrad: true });
  const g = torch.tensor([[1, 2], [3, 4], [5, 6]]).t();
  p.grad = g;
  assert.equal(p.grad, g, 'the assigned tensor itself, as PyTorch (p.grad is g)');
  new optim.SGD([p], { lr: 1 }).step();
  assert.deepEqual(p.tolist(), [[0, -2, -4], [-1, -3, -5]]);
  (p as { grad: unknown }).grad = undefined;
  assert.equal(p.grad, null);
  assert.equal(g.isDisposed, true, 'the leaf owned the gradient it held');
  // an int32 tensor takes an int32 grad, as PyTorch (the grad's dtype is the tensor's)
  const i = torch.tensor([1, 2], { dtype: 'int32' });
  i.grad = torch.tensor([3, 4], { dtype: 'int32' });
  assert.deepEqual(i.grad!.tolist(), [3, 4]);
  assert.throws(() => { i.grad = torch.ones(2); }, /different type: got float32, the tensor is int32/);
  i.dispose();
  assert.equal(i.grad, null);
  p.dispose();
});

test('grad = null frees the gradient (the tutorial loop does not leak), a grad assigned in tidy survives it', () => {
  const a = torch.tensor(0.5, { requiresGrad: true });
  const x = torch.linspace(-1, 1, 100);
  const before = live();
  for (let t = 0; t < 50; t++) {
    torch.tidy(() => {
      a.mul(x).sub(x.sin()).pow(2).sum().backward();
      torch.noGrad(() => { a.sub_(a.grad!.mul(1e-3)); a.grad = null; });
    });
  }
  assert.equal(live(), before, 'no gradient left behind per step');
  // replacing a gradient frees the old one; assigning the same tensor again keeps it
  const g1 = torch.tensor(1), g2 = torch.tensor(2);
  a.grad = g1; a.grad = g1;
  assert.equal(g1.isDisposed, false);
  a.grad = g2;
  assert.equal(g1.isDisposed, true);
  // backward accumulates into an assigned grad, and a strided one is replaced by a fresh sum
  a.mul(3).backward();
  assert.equal(a.grad!.item(), 5);
  assert.equal(a.grad, g2);
  const p = torch.zeros(2, 3, { requiresGrad: true });
  const strided = torch.ones(3, 2).t();
  p.grad = strided;
  p.mul(2).sum().backward();
  assert.deepEqual(p.grad!.tolist(), [[3, 3, 3], [3, 3, 3]]);
  assert.equal(strided.isDisposed, true, 'the strided grad it replaced is freed');
  // inside tidy, an assigned gradient outlives the scope as backward's do
  const kept = torch.tidy(() => { p.grad = torch.full([2, 3], 7); return null; });
  assert.equal(kept, null);
  assert.deepEqual(p.grad!.tolist(), [[7, 7, 7], [7, 7, 7]]);
  const n0 = live();
  p.dispose();
  assert.equal(live(), n0 - 2, 'dispose frees the tensor and its grad');
  a.dispose(); x.dispose();
});

test('grad: backward into a fresh leaf and zeroGrad keep working with the accessor', () => {
  const w = torch.ones(3, { requiresGrad: true });
  const before = live();
  torch.tidy(() => w.mul(2).sum().backward());
  assert.equal(live(), before + 1, 'backward leaves exactly the gradient');
  torch.tidy(() => w.mul(2).sum().backward());
  assert.deepEqual(w.grad!.tolist(), [4, 4, 4]);
  const opt = new optim.SGD([w], { lr: 0.5 });
  opt.step();
  opt.zeroGrad();
  assert.equal(w.grad, null);
  assert.equal(live(), before);
  w.dispose();
});
