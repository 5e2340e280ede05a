// Padding and resampling (src/ops/pad.ts, src/ops/interpolate.ts, assembly/resample.ts,
// src/nn/modules/upsample.ts): PyTorch 1.13's values and gradients from
// tests/fixtures/gen_pool.py (pool.json) for F.pad in every mode (negative pads, reflect at the
// limit, 1–3 padded dims) and F.interpolate nearest/bilinear (sizes, scale factors, alignCorners,
// recomputeScaleFactor); finite differences; PyTorch's error messages with nothing leaked;
// memory; nn.Upsample's repr. Tolerances: rtol 1e-4, atol 1e-5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;
const fx = loadFixture<{ cases: FixtureCase[]; upsampleReprs: string[] }>('pool.json');

const OPS: Record<string, OpFn> = {
  pad: ([x], { pad, ...o }) => F.pad(x as Tensor, pad, o),
  interpolate: ([x], o) => F.interpolate(x as Tensor, o),
};

for (const c of fx.cases.filter((c) => c.op in OPS)) test(`resample oracle: ${c.name}`, () => checkCase(c, 1e-4, 1e-5, OPS));

test('nn.Upsample gives F.interpolate\'s result and PyTorch\'s repr', () => {
  torch.tidy(() => {
    const x = torch.randn([1, 2, 3, 4]);
    const a = new nn.Upsample({ size: [5, 7], mode: 'bilinear', alignCorners: true }).forward(x);
    const b = F.interpolate(x, { size: [5, 7], mode: 'bilinear', alignCorners: true });
    assert.deepEqual(Array.from(a.toFloat32Array()), Array.from(b.toFloat32Array()));
  });
  const mods = [new nn.Upsample({ scaleFactor: 2 }), new nn.Upsample({ size: [3, 4], mode: 'bilinear', alignCorners: true }), new nn.Upsample({ size: 3 }),
    new nn.Upsample({ scaleFactor: [2.0, 1.5], mode: 'bilinear' }), new nn.Upsample({ scaleFactor: 2.5, mode: 'nearest' })];
  assert.deepEqual(mods.map(String), fx.upsampleReprs);
});

test('pad: a non-contiguous input, the mode as a string, and a NaN fill', () => {
  torch.tidy(() => {
    const x = torch.randn([2, 4, 3]);
    const t = x.transpose(1, 2);
    for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
      assert.deepEqual(Array.from(F.pad(t, [2, 1], mode).toFloat32Array()), Array.from(F.pad(t.contiguous(), [2, 1], { mode }).toFloat32Array()), mode);
    }
    const n = F.pad(torch.ones([1, 2]), [1, 0], { value: NaN }).toFloat32Array();
    assert.ok(Number.isNaN(n[0]) && n[1] === 1);
  });
});

test('interpolate nearest: PyTorch 1.13 takes the same-size shortcut forward only for channels-last inputs, backward always', () => {
  torch.tidy(() => {
    // PyTorch: rows of a (1, 2, 5, 5) input at scale (1.08, 1.56) are 0, 0, 1, 2, 3 (generic kernel);
    // the same data laid out channels-last gives 0, 1, 2, 3, 4 (channels-last kernel, nearest_idx)
    const rows = torch.arange(5).float().reshape([1, 1, 5, 1]).mul(torch.ones([1, 2, 5, 5]));
    const col0 = (t: Tensor): number[] => Array.from(t.select(1, 0).select(2, 0).reshape([-1]).toFloat32Array());
    assert.deepEqual(col0(F.interpolate(rows, { scaleFactor: [1.08, 1.56] })), [0, 0, 1, 2, 3]);
    const cl = rows.permute([0, 2, 3, 1]).contiguous().permute([0, 3, 1, 2]);
    assert.deepEqual(col0(F.interpolate(cl, { scaleFactor: [1.08, 1.56] })), [0, 1, 2, 3, 4]);
    // PyTorch's gradient of the generic forward goes by nearest_idx: rows 0–4 one to one
    const x = torch.zeros([1, 2, 5, 5]).requiresGrad_();
    const y = F.interpolate(x, { scaleFactor: [1.08, 1.56] });
    const g = torch.zeros([1, 2, 5, 7]);
    g.select(1, 0).select(2, 0).copy_(torch.tensor([[1, 10, 100, 1000, 10000]]).reshape([1, 5]));
    y.backward(g);
    assert.deepEqual(col0(x.grad!), [1, 10, 100, 1000, 10000]);
  });
});

test('finite differences: pad in every mode, nearest and bilinear interpolation', () => {
  checkFiniteDifferences('pad constant crop', (x) => F.pad(x, [-1, 2, 1, -1], { value: 0.5 }), [2, 3, 4]);
  checkFiniteDifferences('pad reflect 2d', (x) => F.pad(x, [2, 1, 1, 2], { mode: 'reflect' }), [1, 2, 3, 4]);
  checkFiniteDifferences('pad replicate', (x) => F.pad(x, [3, 1], { mode: 'replicate' }), [2, 2, 3]);
  checkFiniteDifferences('pad circular', (x) => F.pad(x, [2, -1, 1, 1], { mode: 'circular' }), [1, 1, 3, 4]);
  checkFiniteDifferences('interpolate nearest', (x) => F.interpolate(x, { scaleFactor: 1.7 }), [1, 2, 3, 4]);
  checkFiniteDifferences('interpolate bilinear', (x) => F.interpolate(x, { size: [5, 7], mode: 'bilinear' }), [1, 2, 3, 4]);
  checkFiniteDifferences('interpolate bilinear aligned', (x) => F.interpolate(x, { scaleFactor: 0.6, mode: 'bilinear', alignCorners: true }), [1, 1, 6, 5]);
});

test('errors: PyTorch\'s messages, before anything is allocated', () => {
  // inputs made before each call: throwsClean counts every live tensor
  const x = torch.randn([1, 3, 4]), x4 = torch.randn([1, 2, 3, 4]), x1 = torch.randn([4]), x2 = torch.randn([2, 4]);
  const empty = torch.randn([1, 2, 0]), i32 = torch.ones([1, 2, 2], { dtype: 'int32' }), x5 = torch.randn([1, 1, 2, 2, 2]);
  throwsClean(() => F.pad(x, [1]), RangeError, /pad: Padding length must be divisible by 2/);
  throwsClean(() => F.pad(x, [1, 1, 1, 1, 1, 1, 1, 1]), RangeError, /Padding length too large/);
  throwsClean(() => F.pad(x, [-3, -2]), RangeError, /start \(3\) \+ length \(-1\) exceeds dimension size \(4\)/);
  throwsClean(() => F.pad(x, [0, -4], 'reflect'), RangeError, /input \(W: 4\) is too small\. Calculated output W: 0/);
  throwsClean(() => F.pad(x, [4, 0], 'reflect'), RangeError, /Padding size should be less than the corresponding input dimension, but got: padding \(4, 0\) at dimension 2 of input \[1, 3, 4\]/);
  throwsClean(() => F.pad(x, [1, 1, 1, 1, 1, 1], 'reflect'), RangeError, /Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now/);
  throwsClean(() => F.pad(x1, [1, 1], 'replicate'), RangeError, /Only 2D, 3D, 4D, 5D padding/);
  throwsClean(() => F.pad(x, [5, 1], 'circular'), RangeError, /Padding value causes wrapping around more than once/);
  throwsClean(() => F.pad(x4, [1, 1], 'circular'), RangeError, /Invalid padding size, expected 4 but got 2/);
  throwsClean(() => F.pad(x2, [1, 1], 'circular'), RangeError, /Invalid padding size, expected 0 but got 2/);
  throwsClean(() => F.pad(x, [1, 1], { mode: 'reflect', value: 2 }), TypeError, /Padding mode "reflect" doesn't take in value argument/);
  throwsClean(() => F.pad(x, [1, 1], { mode: 'foo' as never }), TypeError, /option 'mode' must be one of "constant", "reflect", "replicate", "circular"/);
  throwsClean(() => F.pad(x, [1.5, 1]), TypeError, /pad must be an array of integers/);
  throwsClean(() => F.pad(empty, [1, 1], 'replicate'), RangeError, /with possibly 0 batch size and other non-zero dimensions for input, but got: \[1, 2, 0\]/);
  throwsClean(() => F.pad(i32, [1, 1]), TypeError, /pad: expected a float32 tensor/);
  throwsClean(() => F.interpolate(x4, {}), TypeError, /either size or scale_factor should be defined/);
  throwsClean(() => F.interpolate(x4, { size: 4, scaleFactor: 2 }), TypeError, /only one of size or scale_factor should be defined/);
  throwsClean(() => F.interpolate(x4, { size: [2] }), RangeError, /Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \[3, 4\] and output size of \[2\]/);
  throwsClean(() => F.interpolate(x4, { scaleFactor: [2, 2, 2] }), RangeError, /Input and scale_factor must have the same number of spatial dimensions/);
  throwsClean(() => F.interpolate(x4, { scaleFactor: 2, alignCorners: true }), TypeError, /align_corners option can only be set with the interpolating modes: linear \| bilinear \| bicubic \| trilinear/);
  throwsClean(() => F.interpolate(x4, { size: 4, recomputeScaleFactor: true }), TypeError, /recompute_scale_factor is not meaningful with an explicit size/);
  throwsClean(() => F.interpolate(x, { scaleFactor: 2, mode: 'bilinear' }), RangeError, /Got 3D input, but bilinear mode needs 4D input/);
  throwsClean(() => F.interpolate(x2, { scaleFactor: 2 }), RangeError, /Only 3D, 4D and 5D input Tensors supported \(got 2D\)/);
  throwsClean(() => F.interpolate(x5, { scaleFactor: 2 }), RangeError, /5D inputs \(3 spatial dims\) are not supported yet/);
  throwsClean(() => F.interpolate(x4, { scaleFactor: 0.1 }), RangeError, /Input and output sizes should be greater than 0, but got input \(H: 3, W: 4\) output \(H: 0, W: 0\)/);
  throwsClean(() => F.interpolate(x4, { scaleFactor: 2, mode: 'bicubic' as never }), TypeError, /mode 'bicubic' is not supported yet/);
  throwsClean(() => F.interpolate(x4, { scale_factor: 2 } as never), TypeError, /unknown option 'scale_factor' \(did you mean 'scaleFactor'\?\)/);
  throwsClean(() => new nn.Upsample({ scale: 2 } as never), TypeError, /Upsample: unknown option 'scale'/);
  for (const t of [x, x4, x1, x2, empty, i32, x5]) t.dispose();
});

test('memory: pad and interpolate forward and backward inside tidy leave torch.memory() unchanged', () => {
  const x = torch.randn([2, 3, 5, 4]).requiresGrad_();
  const before = torch.memory();
  for (let i = 0; i < 3; i++) {
    torch.tidy(() => {
      const outs = [
        F.pad(x, [1, -1, 2, 0], { value: 1 }), F.pad(x, [2, 1, 1, 3], 'reflect'), F.pad(x, [1, 1, 3, 0], 'replicate'), F.pad(x, [2, 1, 1, 1], 'circular'),
        F.interpolate(x, { scaleFactor: 2 }), F.interpolate(x, { size: [3, 7], mode: 'bilinear', alignCorners: true }),
        new nn.Upsample({ scaleFactor: 1.5, mode: 'bilinear' }).forward(x),
      ];
      outs.reduce((s, t) => s.add(t.sum()), torch.zeros([])).backward();
      x.grad = null;
    });
  }
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors);
  assert.equal(after.bytesInUse, before.bytesInUse);
  x.dispose();
});
