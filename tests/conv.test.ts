// The convolution family against PyTorch (tests/fixtures/gen_conv.py → conv.json): conv1d, conv2d
// and convTranspose2d forward values and input/weight/bias gradients for every option; finite
// differences of each backward; the modules (init bounds, stateDict, repr); error paths; memory.
// Tolerances: PyTorch fixtures 1e-4 relative + 1e-4 absolute (float32 sums of up to ~300 products
// in another order); finite differences 2e-2 relative.
// Every assert.ok has a message: without one Node re-parses this (TypeScript) file to describe the
// failure and can hang there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;
const T = (x: Tensor | number | null): Tensor => x as Tensor;
const B = (x: Tensor | number | null): Tensor | null => (x as Tensor | null) ?? null;

const OPS: Record<string, OpFn> = {
  conv1d: ([x, w, b], kw) => F.conv1d(T(x), T(w), B(b), kw),
  conv2d: ([x, w, b], kw) => F.conv2d(T(x), T(w), B(b), kw),
  convTranspose2d: ([x, w, b], kw) => F.convTranspose2d(T(x), T(w), B(b), kw),
};

const fixture = loadFixture<{ cases: FixtureCase[] }>('conv.json');
for (const c of fixture.cases) {
  test(`conv oracle: ${c.name}`, () => checkCase(c as FixtureCase, 1e-4, 1e-4, OPS as never));
}

test('the fixtures cover every op and option', () => {
  const ops = new Set(fixture.cases.map((c) => c.op));
  for (const op of Object.keys(OPS)) assert.ok(ops.has(op), op);
  const kws = fixture.cases.map((c) => c.kwargs);
  for (const key of ['stride', 'padding', 'dilation', 'groups', 'outputPadding']) assert.ok(kws.some((k) => key in k), key);
  for (const p of ['same', 'valid']) assert.ok(kws.some((k) => k.padding === p), p);
});

// ---- finite differences: input, weight and bias of each op --------------------------------------
function fdCases(name: string, op: (x: Tensor, w: Tensor, b: Tensor) => Tensor, xs: number[], ws: number[], bs: number[]): void {
  test(`finite differences: ${name}`, () => {
    const fixed = (shape: number[]): Tensor => torch.tidy(() => torch.keep(torch.randn(shape)));
    const x0 = fixed(xs), w0 = fixed(ws), b0 = fixed(bs);
    try {
      checkFiniteDifferences(`${name} d/dinput`, (x) => op(x, w0, b0), xs);
      checkFiniteDifferences(`${name} d/dweight`, (w) => op(x0, w, b0), ws);
      checkFiniteDifferences(`${name} d/dbias`, (b) => op(x0, w0, b), bs);
    } finally {
      x0.dispose(); w0.dispose(); b0.dispose();
    }
  });
}
fdCases('conv2d stride 2, pad 1, dilation 2', (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1, dilation: 2 }), [2, 2, 7, 6], [3, 2, 2, 3], [3]);
fdCases('conv2d groups 2, same', (x, w, b) => F.conv2d(x, w, b, { groups: 2, padding: 'same' }), [1, 4, 5, 5], [4, 2, 2, 3], [4]);
fdCases('conv2d depthwise (direct kernels), stride 1', (x, w, b) => F.conv2d(x, w, b, { groups: 3, padding: 1 }), [1, 3, 4, 11], [3, 1, 3, 3], [3]);
fdCases('conv2d depthwise ×2, stride 2, dilation 2', (x, w, b) => F.conv2d(x, w, b, { groups: 2, stride: 2, dilation: 2, padding: 2 }), [2, 2, 5, 6], [4, 1, 3, 3], [4]);
fdCases('convTranspose2d depthwise', (x, w, b) => F.convTranspose2d(x, w, b, { groups: 2, padding: 1 }), [1, 2, 3, 9], [2, 1, 3, 3], [2]);
fdCases('conv2d 1x1', (x, w, b) => F.conv2d(x, w, b), [2, 3, 3, 2], [2, 3, 1, 1], [2]);
fdCases('conv1d', (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1 }), [2, 2, 9], [3, 2, 3], [3]);
fdCases('convTranspose2d', (x, w, b) => F.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [1, 2, 3, 4], [2, 3, 3, 2], [3]);

// ---- modules -------------------------------------------------------------------------------------
test('nn.Conv2d: shapes, stateDict names, PyTorch init bounds, repr', () => {
  torch.tidy(() => {
    const m = new nn.Conv2d(4, 16, 3, { stride: 1, padding: 1 });
    assert.deepEqual(m.weight.shape, [16, 4, 3, 3]);
    assert.deepEqual(m.bias!.shape, [16]);
    assert.deepEqual(Object.keys(m.stateDict()), ['weight', 'bias']);
    // kaiming_uniform(a=√5) gives U(±1/√fan_in), the bias the same bound
    const bound = 1 / Math.sqrt(4 * 9);
    const wMax = m.weight.abs().max().item(), bMax = m.bias!.abs().max().item();
    assert.ok(wMax <= bound && wMax > bound * 0.8, `weight bound ${wMax} vs ${bound}`);
    assert.ok(bMax <= bound, `bias bound ${bMax} vs ${bound}`);
    assert.equal(new nn.Conv2d(1, 16, 3).toString(), 'Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1))');
    assert.equal(new nn.Conv2d(1, 16, [3, 2], { stride: 2, padding: 1, dilation: 2, bias: false }).toString(),
      'Conv2d(1, 16, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)');
    assert.equal(new nn.Conv2d(4, 4, 3, { groups: 4 }).toString(), 'Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), groups=4)');
    assert.equal(new nn.Conv1d(2, 4, 3, { padding: 'same' }).toString(), 'Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same)');
    assert.equal(new nn.ConvTranspose2d(2, 4, 3, { stride: 2, outputPadding: 1 }).toString(),
      'ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))');
    const y = m.forward(torch.randn([2, 4, 5, 5]));
    assert.deepEqual(y.shape, [2, 16, 5, 5]);
    assert.deepEqual(new nn.Conv2d(3, 2, 3).forward(torch.randn([3, 5, 5])).shape, [2, 3, 3], 'unbatched');
  });
});

test('nn.Conv1d and nn.ConvTranspose2d: shapes and stateDict', () => {
  torch.tidy(() => {
    const c1 = new nn.Conv1d(3, 6, 5, { groups: 3, bias: false });
    assert.deepEqual(c1.weight.shape, [6, 1, 5]);
    assert.equal(c1.bias, null);
    assert.deepEqual(Object.keys(c1.stateDict()), ['weight']);
    assert.deepEqual(c1.forward(torch.randn([2, 3, 11])).shape, [2, 6, 7]);
    const t = new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    assert.deepEqual(t.weight.shape, [4, 3, 3, 3]);
    assert.deepEqual(t.bias!.shape, [6]);
    assert.deepEqual(t.forward(torch.randn([1, 4, 5, 5])).shape, [1, 6, 10, 10]);
    // fan_in of a transposed weight [in, out/groups, k, k] is (out/groups)·k², as PyTorch computes it
    const bound = 1 / Math.sqrt(3 * 9);
    assert.ok(t.bias!.abs().max().item() <= bound, 'transposed bias bound');
  });
});

test('a module forward + backward matches the functional form', () => {
  torch.tidy(() => {
    torch.manualSeed(3);
    const m = new nn.Conv2d(2, 3, 3, { stride: 2, padding: 'valid', dilation: 1 });
    const x = torch.randn([2, 2, 7, 7]);
    const y = m.forward(x);
    const ref = F.conv2d(x, m.weight.detach(), m.bias!.detach(), { stride: 2 });
    assert.deepEqual(Array.from(y.toFloat32Array()), Array.from(ref.toFloat32Array()));
    y.sum().backward();
    assert.deepEqual(m.weight.grad!.shape, [3, 2, 3, 3]);
    assert.ok(Math.abs(m.bias!.grad!.sum().item() - 3 * 2 * 9) < 1e-3, 'bias grad = batch · positions');
  });
});

// ---- error paths ---------------------------------------------------------------------------------
test('errors: PyTorch-like messages, thrown before any allocation', () => {
  torch.tidy(() => {
    const r0 = torch.randn([1, 4, 5, 5]);
    const x = r0;
    const r1 = torch.randn([16, 3, 3, 3]);
    const r2 = torch.randn([3, 2, 3, 3]);
    const r3 = torch.randn([4, 4, 7, 7]);
    const r4 = torch.randn([4, 4, 3, 3]);
    const r5 = torch.randn([4, 5]);
    const r6 = torch.randn([3]);
    const r7 = torch.randn([2, 3]);
    const r8 = torch.randn([4, 3, 3]);
    const r9 = torch.randn([4, 2, 3, 3]);
    const r10 = torch.randn([1, 4, 1, 1]);
    const xi = x.int();
    throwsClean(() => F.conv2d(x, r1), 'RangeError',
      /Given groups=1, weight of size \[16, 3, 3, 3\], expected input\[1, 4, 5, 5\] to have 3 channels, but got 4 channels instead/);
    throwsClean(() => F.conv2d(x, r2, null, { groups: 2 }), 'RangeError',
      /expected weight to be divisible by 2 at dimension 0/);
    throwsClean(() => F.conv2d(x, r3), 'RangeError',
      /Calculated padded input size per channel: \(5 x 5\)\. Kernel size: \(7 x 7\)\. Kernel size can't be greater than actual input size/);
    throwsClean(() => F.conv2d(x, r4, null, { dilation: 3 }), 'RangeError', /Kernel size: \(7 x 7\)/);
    throwsClean(() => F.conv2d(x, r4, null, { stride: 2, padding: 'same' }), 'RangeError',
      /padding='same' is not supported for strided convolutions/);
    throwsClean(() => F.conv2d(r5, r4), 'RangeError',
      /Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[4, 5\]/);
    throwsClean(() => F.conv2d(x, r4, r6), 'RangeError',
      /expected bias to be 1-dimensional with 4 elements, but got bias of size \[3\]/);
    throwsClean(() => F.conv2d(x, r4, null, { stride: 0 }), 'RangeError', /non-positive stride/);
    throwsClean(() => F.conv2d(x, r4, null, { padding: -1 }), 'RangeError', /negative padding/);
    throwsClean(() => F.conv2d(x, r4, null, { stride: [1, 1, 1] }), 'RangeError', /a list of 2 values/);
    throwsClean(() => F.conv2d(x, r4, null, { padding: 'full' as never }), 'RangeError', /Invalid padding string: 'full'/);
    throwsClean(() => F.conv2d(x, r4, null, { pad: 1 } as never), 'TypeError', /unknown option 'pad'/);
    throwsClean(() => F.conv2d(x, r4, null, { groups: 1.5 }), 'TypeError', /groups/);
    throwsClean(() => F.conv2d(xi, r4), 'TypeError', /float32/);
    throwsClean(() => F.conv2d(x, r4, { padding: 1 } as never), 'TypeError', /bias must be a Tensor or null, got an object; the options come fourth/);
    throwsClean(() => F.conv1d(r7, r8), 'RangeError',
      /expected input\[1, 2, 3\] to have 3 channels, but got 2 channels instead/);
    throwsClean(() => F.convTranspose2d(x, r2), 'RangeError', /Given transposed=1, weight of size \[3, 2, 3, 3\]/);
    throwsClean(() => F.convTranspose2d(x, r9, null, { outputPadding: 1 }), 'RangeError',
      /output padding must be smaller than either stride or dilation/);
    throwsClean(() => F.convTranspose2d(r10, r9, null, { padding: 2 }), 'RangeError',
      /Calculated output size per channel: \(-1 x -1\)\. Output size is too small/);
    throwsClean(() => F.convTranspose2d(x, r9, null, { groups: 3 }), 'RangeError', /divisible by 3/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { groups: 4 }), 'RangeError', /out_channels must be divisible by groups/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { groups: 3 }), 'RangeError', /in_channels must be divisible by groups/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { stride: 2, padding: 'same' }), 'RangeError', /padding='same' is not supported for strided convolutions/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { paddingMode: 'reflect' }), 'Error', /paddingMode 'reflect' is not supported yet/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { paddingMode: 'foo' as never }), 'TypeError', /paddingMode/);
    throwsClean(() => new nn.ConvTranspose2d(4, 6, 3, { paddingMode: 'reflect' }), 'Error', /only 'zeros' paddingMode is supported for ConvTranspose2d/);
    throwsClean(() => new nn.Conv2d(4, 6, 0), 'RangeError', /kernelSize/);
    throwsClean(() => new nn.Conv2d('4' as never, 6, 3), 'TypeError', /inChannels must be a positive integer, got string/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { stride: 0 }), 'RangeError', /^Conv2d: non-positive stride/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { padding: -1 }), 'RangeError', /^Conv2d: negative padding/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { dilation: 0 }), 'RangeError', /^Conv2d: dilation should be greater than zero/);
    throwsClean(() => new nn.ConvTranspose2d(4, 6, 3, { outputPadding: -1 }), 'RangeError', /^ConvTranspose2d: negative output_padding/);
    throwsClean(() => new nn.Conv2d(65536, 65536, 3), 'RangeError', /^Conv2d: a tensor of shape \[65536, 65536, 3, 3\] needs 154618822656 bytes/);
    throwsClean(() => new nn.Conv2d(4, 6, 3, { padding_mode: 'zeros' } as never), 'TypeError', /did you mean 'paddingMode'/);
  });
});

test('memory: conv forward + backward inside tidy leaves torch.memory() unchanged', () => {
  const m = new nn.Conv2d(3, 4, 3, { padding: 1 });
  const t = new nn.ConvTranspose2d(4, 2, 2, { stride: 2 });
  const run = (): void => torch.tidy(() => {
    const x = torch.randn([2, 3, 6, 6]).requiresGrad_();
    const y = t.forward(m.forward(x).relu());
    F.conv1d(y.flatten(2), torch.randn([3, 2, 3]), null, { padding: 'same' }).square().sum().backward();
  });
  run(); // grads of the parameters now exist
  const before = torch.memory();
  for (let i = 0; i < 3; i++) run();
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors, 'live tensors');
  assert.equal(after.bytesInUse, before.bytesInUse, 'bytes in use');
  for (const p of [...m.parameters(), ...t.parameters()]) { p.grad?.dispose(); p.dispose(); }
});

test('sizes: an empty batch works, and numbers past the kernels\' 32-bit positions are refused cleanly', () => {
  torch.tidy(() => {
    const w = torch.randn([4, 3, 3, 3]).requiresGrad_();
    const x = torch.randn([0, 3, 5, 5]).requiresGrad_();
    const y = F.conv2d(x, w, null, { padding: 1 });
    assert.deepEqual(y.shape, [0, 4, 5, 5]);
    y.sum().backward();
    assert.deepEqual(Array.from(w.grad!.toFloat32Array()), new Array(4 * 27).fill(0));
    assert.deepEqual(F.convTranspose2d(torch.randn([0, 4, 2, 2]), torch.randn([4, 2, 3, 3])).shape, [0, 2, 4, 4]);
    const x1 = torch.randn([1, 3, 5, 5]), w1 = torch.randn([4, 3, 3, 3]), w2 = torch.randn([4, 3, 1, 1]);
    throwsClean(() => F.conv2d(x1, w1, null, { stride: 2 ** 33 }), 'RangeError', /stride=\[8589934592, 8589934592\] is too large/);
    throwsClean(() => F.conv2d(x1, w2, null, { padding: 2 ** 31 - 1, stride: 2 ** 31 - 1 }), 'RangeError', /32-bit/);
    throwsClean(() => F.conv2d(x1, w1, null, { padding: 2 ** 20 }), 'RangeError', /^conv2d: a tensor of shape \[1, 4, 2097155, 2097155\] needs \d+ bytes/);
  });
});
