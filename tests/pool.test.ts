// Pooling (src/ops/pool.ts, assembly/pool.ts, src/nn/modules/pooling.ts): PyTorch 1.13's values,
// returned indices and gradients from tests/fixtures/gen_pool.py (pool.json) for max/avg pooling
// in 1-D and 2-D and adaptive average pooling; NaN and −∞ windows; finite differences; PyTorch's
// error messages with nothing leaked; memory; the modules' reprs. Tolerances: rtol 1e-4, atol 1e-5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;
const fx = loadFixture<{ cases: FixtureCase[]; reprs: string[] }>('pool.json');

/** A pooling result as checkCase reads it: `{ values, indices }` when indices were returned. */
const vi = (r: Tensor | [Tensor, Tensor]): Tensor | { values: Tensor; indices: Tensor } =>
  (Array.isArray(r) ? { values: r[0], indices: r[1] } : r);

export const POOL_OPS: Record<string, OpFn> = {
  maxPool2d: ([x], { kernelSize, ...o }) => vi(F.maxPool2d(x as Tensor, kernelSize, o)),
  maxPool1d: ([x], { kernelSize, ...o }) => vi(F.maxPool1d(x as Tensor, kernelSize, o)),
  avgPool2d: ([x], { kernelSize, ...o }) => F.avgPool2d(x as Tensor, kernelSize, o),
  avgPool1d: ([x], { kernelSize, ...o }) => F.avgPool1d(x as Tensor, kernelSize, o),
  adaptiveAvgPool2d: ([x], { outputSize }) => F.adaptiveAvgPool2d(x as Tensor, outputSize),
};

for (const c of fx.cases.filter((c) => c.op in POOL_OPS)) test(`pool oracle: ${c.name}`, () => checkCase(c, 1e-4, 1e-5, POOL_OPS));

test('the modules give the functional results (MaxPool2d with returnIndices, AvgPool2d, AdaptiveAvgPool2d)', () => {
  torch.tidy(() => {
    const x = torch.randn([2, 3, 7, 8]);
    const [v, i] = new nn.MaxPool2d(3, { stride: 2, padding: 1, returnIndices: true }).forward(x);
    const [v2, i2] = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
    assert.deepEqual(Array.from(v.toFloat32Array()), Array.from(v2.toFloat32Array()));
    assert.deepEqual(Array.from(i.toInt32Array()), Array.from(i2.toInt32Array()));
    assert.equal(i.dtype, 'int32');
    const y = new nn.MaxPool2d(2).forward(x);
    assert.deepEqual(y.shape, [2, 3, 3, 4]);
    assert.deepEqual(new nn.MaxPool1d(2).forward(torch.randn([2, 5])).shape, [2, 2]);
    assert.deepEqual(Array.from(new nn.AvgPool2d(2, { countIncludePad: false }).forward(x).toFloat32Array()),
      Array.from(F.avgPool2d(x, 2, { countIncludePad: false }).toFloat32Array()));
    assert.deepEqual(new nn.AvgPool1d(3, { stride: 2 }).forward(torch.randn([1, 2, 9])).shape, [1, 2, 4]);
    assert.deepEqual(new nn.AdaptiveAvgPool2d([null, 3]).forward(x).shape, [2, 3, 7, 3]);
  });
});

test('reprs match PyTorch', () => {
  const mods = [
    new nn.MaxPool2d(2), new nn.MaxPool2d([2, 3], { stride: 1, padding: [1, 0], dilation: 2, ceilMode: true, returnIndices: true }),
    new nn.MaxPool2d(3, { stride: 2, padding: 1 }), new nn.MaxPool1d(2), new nn.MaxPool1d(3, { padding: 1, ceilMode: true }),
    new nn.AvgPool2d(2), new nn.AvgPool2d([2, 3], { divisorOverride: 2, ceilMode: true, countIncludePad: false }), new nn.AvgPool2d(3, { stride: 2, padding: 1 }),
    new nn.AvgPool1d(3), new nn.AvgPool1d(3, { stride: 2, padding: 1 }),
    new nn.AdaptiveAvgPool2d([null, 3]), new nn.AdaptiveAvgPool2d(2), new nn.AdaptiveAvgPool2d([5, 7]),
  ];
  assert.deepEqual(mods.map(String), fx.reprs);
});

test('max pooling: NaN propagates and takes the gradient at the last NaN of its window; a window of −∞ picks its first tap (PyTorch 1.13)', () => {
  torch.tidy(() => {
    // PyTorch: max_pool2d of [[1, nan, 3, nan], [2, 2, 2, 2]] with a (2, 4) window → nan at index 3
    const x = torch.tensor([[[[1, NaN, 3, NaN], [2, 2, 2, 2]]]]).requiresGrad_();
    const [v, i] = F.maxPool2d(x, [2, 4], { returnIndices: true });
    assert.ok(Number.isNaN(v.item()));
    assert.equal(i.item(), 3);
    v.sum().backward();
    assert.deepEqual(Array.from(x.grad!.toFloat32Array()), [0, 0, 0, 1, 0, 0, 0, 0]);
    // the v128 path: NaN in every tap position of 2×2 windows, and ties of ±0
    const y = torch.tensor([[[[NaN, 1, 2, NaN, 5, 5, -0, 0], [3, NaN, NaN, 0, 5, 5, 0, -0]]]]);
    const [w, j] = F.maxPool2d(y, 2, { returnIndices: true });
    assert.deepEqual(Array.from(j.toInt32Array()), [9, 10, 4, 6]);
    assert.ok(Number.isNaN(w.toFloat32Array()[0]) && Number.isNaN(w.toFloat32Array()[1]));
    assert.ok(Object.is(w.toFloat32Array()[3], -0));
    // PyTorch: a 3×3 window at stride 2 with padding 1 over −∞ → indices [[0, 1], [3, 4]]
    const z = torch.full([1, 1, 3, 3], -Infinity);
    const [, k] = F.maxPool2d(z, 3, { stride: 2, padding: 1, returnIndices: true });
    assert.deepEqual(Array.from(k.toInt32Array()), [0, 1, 3, 4]);
  });
});

test('max pooling: a window wholly in the padding (dilation) gives PyTorch\'s −∞ and out-of-plane index, and backward writes nothing there', () => {
  torch.tidy(() => {
    // PyTorch 1.13: values −∞, indices [4, 5, 6, 7] for a plane of 4 elements; its backward then
    // writes past the plane (a large batch of such windows corrupted its heap in a sweep here)
    const x = torch.randn([1, 1, 1, 4]).requiresGrad_();
    const [y, i] = F.maxPool2d(x, [2, 1], { padding: [1, 0], dilation: [2, 1], returnIndices: true });
    assert.deepEqual(Array.from(y.toFloat32Array()), [-Infinity, -Infinity, -Infinity, -Infinity]);
    assert.deepEqual(Array.from(i.toInt32Array()), [4, 5, 6, 7]);
    y.sum().backward();
    assert.deepEqual(Array.from(x.grad!.toFloat32Array()), [0, 0, 0, 0]);
  });
});

test('max pooling of a non-contiguous input and a batch of 0', () => {
  torch.tidy(() => {
    const x = torch.randn([2, 3, 6, 4]);
    const t = x.transpose(2, 3);
    assert.deepEqual(Array.from(F.maxPool2d(t, 2).toFloat32Array()), Array.from(F.maxPool2d(t.contiguous(), 2).toFloat32Array()));
    assert.deepEqual(F.maxPool2d(torch.zeros([0, 2, 4, 4]), 2).shape, [0, 2, 2, 2]);
    assert.deepEqual(F.avgPool2d(torch.zeros([0, 2, 4, 4]), 2).shape, [0, 2, 2, 2]);
    // PyTorch's max_pool1d without grad or indices gives an empty result where the others refuse
    assert.deepEqual(F.maxPool1d(torch.randn([1, 1, 2]), 3).shape, [1, 1, 0]);
  });
});

test('finite differences: max/avg pooling in 1-D and 2-D, adaptive average pooling', () => {
  checkFiniteDifferences('maxPool2d 2×2', (x) => F.maxPool2d(x, 2, { ceilMode: true }), [1, 2, 5, 7]);
  checkFiniteDifferences('maxPool2d k3 s2 p1 d2', (x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, dilation: 2 }), [1, 1, 7, 6]);
  checkFiniteDifferences('maxPool1d', (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1 }), [2, 9]);
  checkFiniteDifferences('avgPool2d excl', (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), [1, 2, 6, 5]);
  checkFiniteDifferences('avgPool2d divisor', (x) => F.avgPool2d(x, 2, { divisorOverride: 3 }), [2, 4, 4]);
  checkFiniteDifferences('avgPool1d', (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1 }), [1, 2, 8]);
  checkFiniteDifferences('adaptiveAvgPool2d', (x) => F.adaptiveAvgPool2d(x, [3, 4]), [1, 2, 7, 5]);
});

test('errors: PyTorch\'s messages, before anything is allocated', () => {
  // inputs made before each call: throwsClean counts every live tensor
  const x = torch.randn([1, 1, 5, 5]);
  const in1 = torch.randn([1, 1, 2, 2]), in2 = torch.randn([2, 2]), in3 = torch.randn([1, 0, 4, 4]);
  const in4 = torch.ones([1, 1, 4, 4], { dtype: 'int32' }), in5 = torch.randn([1, 1, 5]), in6 = torch.randn([5]);
  const in7 = torch.randn([1, 1, 2]), in8 = torch.randn([1, 1, 1, 5, 5]), in9 = torch.randn([1, 1, 0, 4]);
  throwsClean(() => F.maxPool2d(x, 3, { padding: 2 }), RangeError, /maxPool2d: pad should be at most half of kernel size, but got pad=2 and kernel_size=3/);
  throwsClean(() => F.maxPool2d(in1, 3), RangeError, /Given input size: \(1x2x2\)\. Calculated output size: \(1x0x0\)\. Output size is too small/);
  throwsClean(() => F.maxPool2d(in2, 2), RangeError, /non-empty 3D or 4D \(batch mode\) tensor expected for input/);
  throwsClean(() => F.maxPool2d(in3, 2), RangeError, /optional 0 dim batch size for input, but got: \[1, 0, 4, 4\]/);
  throwsClean(() => F.maxPool2d(x, 0), RangeError, /stride should not be zero/);
  throwsClean(() => F.maxPool2d(x, 2, { dilation: 0 }), RangeError, /dilation should be greater than zero, but got dilationH: 0 dilationW: 0/);
  throwsClean(() => F.maxPool2d(x, 2, { padding: -1 }), RangeError, /pad must be non-negative, but got pad: -1/);
  throwsClean(() => F.maxPool2d(x, [1, 2, 3]), TypeError, /kernel_size must either be a single int, or a tuple of 2 ints/);
  throwsClean(() => F.maxPool2d(x, 2, { stride: 1.5 }), TypeError, /option 'stride' must be an integer or an array of integers/);
  throwsClean(() => F.maxPool2d(x, 2, { ceil_mode: true } as never), TypeError, /unknown option 'ceil_mode' \(did you mean 'ceilMode'\?\)/);
  throwsClean(() => F.maxPool2d(in4, 2), TypeError, /maxPool2d: expected a float32 tensor/);
  throwsClean(() => F.maxPool1d(in5, 0), RangeError, /maxPool1d: kernel_size must be greater than zero, but got 0/);
  throwsClean(() => F.maxPool1d(in5, 3, { padding: 2 }), RangeError, /padding should be at most half of kernel size, but got padding=2 and kernel_size=3/);
  throwsClean(() => F.maxPool1d(in6, 3), RangeError, /Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch size for input, but got: \[5\]/);
  throwsClean(() => F.maxPool1d(in7, 3, { returnIndices: true }), RangeError, /Calculated output size: \(1x1x0\)/);
  throwsClean(() => F.avgPool2d(x, 2, { divisorOverride: 0 }), RangeError, /divisor must be not zero/);
  throwsClean(() => F.avgPool2d(x, 3, { padding: 2 }), RangeError, /pad should be at most half of kernel size, but got pad=2 and kernel_size=3/);
  throwsClean(() => F.avgPool1d(in6, 3), RangeError, /Expected 2 to 3 dimensions, but got 1-dimensional tensor/);
  throwsClean(() => F.avgPool1d(in7, 3), RangeError, /Output size is too small/);
  throwsClean(() => F.adaptiveAvgPool2d(x, -1), RangeError, /elements of output_size must be greater than or equal to 0 but received \{-1, -1\}/);
  throwsClean(() => F.adaptiveAvgPool2d(x, [1, 2, 3]), RangeError, /output_size must be 2/);
  throwsClean(() => F.adaptiveAvgPool2d(in8, 2), RangeError, /Expected 3D or 4D tensor, but got \[1, 1, 1, 5, 5\]/);
  throwsClean(() => F.adaptiveAvgPool2d(in9, 2), RangeError, /dimension 2 being empty/);
  const d = torch.randn([1, 1, 4, 4]); d.dispose();
  throwsClean(() => F.maxPool2d(d, 2), Error, /maxPool2d: the tensor of shape \[1, 1, 4, 4\] was disposed/);
  throwsClean(() => new nn.MaxPool2d(2, { strides: 2 } as never), TypeError, /MaxPool2d: unknown option 'strides'/);
  throwsClean(() => new nn.AvgPool1d(2, { divisorOverride: 2 } as never), TypeError, /AvgPool1d: unknown option 'divisorOverride'/);
  for (const t of [x, in1, in2, in3, in4, in5, in6, in7, in8, in9]) t.dispose();
});

test('memory: forward and backward of every pooling inside tidy leave torch.memory() unchanged', () => {
  const x = torch.randn([2, 3, 9, 8]).requiresGrad_();
  const before = torch.memory();
  for (let i = 0; i < 3; i++) {
    torch.tidy(() => {
      const [a, idx] = F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true });
      const b = new nn.MaxPool2d(2).forward(x);
      const c = F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false });
      const d = F.adaptiveAvgPool2d(x, [4, 3]);
      const e = F.maxPool1d(x.reshape([6, 9, 8]), 2);
      const f = F.avgPool1d(x.reshape([6, 9, 8]), 3);
      a.sum().add(b.sum()).add(c.sum()).add(d.sum()).add(e.sum()).add(f.sum()).add(idx.sum()).backward();
      x.grad = null;
    });
  }
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors);
  assert.equal(after.bytesInUse, before.bytesInUse);
  x.dispose();
});
