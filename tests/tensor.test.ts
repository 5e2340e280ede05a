// Tensors: creation, views share storage, reading back, repr, autograd bookkeeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

test('creation with sizes as numbers or an array, options last', () => {
  assert.deepEqual(torch.zeros(2, 3).shape, [2, 3]);
  assert.deepEqual(torch.ones([4], { requiresGrad: true }).requiresGrad, true);
  assert.deepEqual(torch.full([2], 7).tolist(), [7, 7]);
  assert.deepEqual(torch.arange(5).tolist(), [0, 1, 2, 3, 4]);
  assert.equal(torch.arange(5).dtype, 'int32');
  assert.deepEqual(torch.arange(0, 1, 0.25).tolist(), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(torch.tensor([[1, 2], [3, 4]]).tolist(), [[1, 2], [3, 4]]);
  assert.deepEqual(torch.zerosLike(torch.ones(3, 1)).shape, [3, 1]);
  assert.equal(torch.tensor(3.5).item(), 3.5);
  assert.throws(() => torch.tensor([[1, 2], [3]]), /ragged/);
});

test('manualSeed makes random draws reproducible', () => {
  torch.manualSeed(42);
  const a = torch.randn(5).tolist();
  torch.manualSeed(42);
  assert.deepEqual(torch.randn(5).tolist(), a);
  const u = torch.rand(1000).toFloat32Array();
  assert.ok(u.every((v) => v >= 0 && v < 1));
});

test('views share storage: transpose, reshape, expand, squeeze, unsqueeze, flatten', () => {
  const x = torch.arange(6, undefined, 1, { dtype: 'float32' }).reshape(2, 3);
  const xt = x.t();
  assert.deepEqual(xt.shape, [3, 2]);
  assert.deepEqual(xt.tolist(), [[0, 3], [1, 4], [2, 5]]);
  assert.equal(xt.isContiguous(), false);
  torch.noGrad(() => x.mul_(10));
  assert.deepEqual(xt.tolist(), [[0, 30], [10, 40], [20, 50]], 'a write through x is seen by its view');
  assert.deepEqual(x.unsqueeze(0).shape, [1, 2, 3]);
  assert.deepEqual(x.unsqueeze(-1).squeeze().shape, [2, 3]);
  assert.deepEqual(x.reshape(3, 1, 2).flatten(1).shape, [3, 2]);
  assert.deepEqual(torch.tensor([1, 2]).reshape(2, 1).expand(2, 3).tolist(), [[1, 1, 1], [2, 2, 2]]);
  assert.deepEqual(xt.contiguous().tolist(), xt.tolist());
  assert.throws(() => xt.view(6), /not contiguous/);
});

test('toString prints like PyTorch', () => {
  assert.equal(torch.tensor([[1, -2.5], [3, 4]]).toString(), 'tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  4.0000]])');
  assert.equal(torch.tensor([1, 2], { requiresGrad: true }).toString(), 'tensor([1., 2.], requires_grad=True)');
  assert.equal(torch.tensor([1, 2], { requiresGrad: true }).mul(2).toString(), 'tensor([2., 4.], grad_fn=<MulBackward0>)');
  assert.equal(torch.tensor([1, 2], { dtype: 'int32' }).toString(), 'tensor([1, 2], dtype=torch.int32)');
});

test('autograd bookkeeping: gradFn names, isLeaf, detach, noGrad, retainGrad, accumulation', () => {
  const x = torch.tensor([1, 2, 3], { requiresGrad: true });
  const y = x.mul(x);
  assert.equal(y.gradFn?.name, 'MulBackward0');
  assert.equal(x.isLeaf, true);
  assert.equal(y.isLeaf, false);
  assert.equal(y.detach().requiresGrad, false);
  assert.equal(torch.noGrad(() => x.mul(2)).requiresGrad, false);
  assert.equal(torch.noGrad(() => torch.enableGrad(() => x.mul(2))).requiresGrad, true);
  assert.equal(torch.isGradEnabled(), true);
  y.retainGrad();
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2, 4, 6]);
  assert.deepEqual(y.grad!.tolist(), [1, 1, 1]);
  x.mul(3).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [5, 7, 9], 'gradients accumulate');
  const z = x.mul(2);
  z.backward(torch.tensor([1, 0, -1]));
  assert.deepEqual(x.grad!.tolist(), [7, 7, 7]);
});

test('a deep graph backpropagates without recursion', () => {
  const x = torch.tensor([1], { requiresGrad: true });
  let y = x;
  for (let i = 0; i < 20000; i++) y = y.mul(1);
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [1]);
});
