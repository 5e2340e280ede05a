// Bad input: a clear error naming the op, the shapes or values and what was expected, with
// every tensor, parameter and optimizer state unchanged and no memory leaked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { nn, optim } = torch;

function unchanged(fn: () => void, pattern: RegExp, ...watched: torch.Tensor[]): void {
  const before = watched.map((t) => t.toFloat32Array());
  const mem = torch.memory();
  assert.throws(fn, pattern);
  assert.equal(torch.memory().bytesInUse, mem.bytesInUse, 'no memory leaked');
  watched.forEach((t, i) => assert.deepEqual(t.toFloat32Array(), before[i], 'tensor unchanged'));
}

test('shape mismatches name the op and both shapes', () => {
  const a = torch.randn(2, 3), b = torch.randn(4, 5), c = torch.randn(4, 3), w = torch.randn(4, 4);
  unchanged(() => a.matmul(b), /matmul: shapes \[2, 3\] and \[4, 5\] cannot be multiplied \(3 != 4\)/, a, b);
  unchanged(() => a.add(c), /add: shapes \[2, 3\] and \[4, 3\] cannot be broadcast/, a);
  unchanged(() => torch.F.mseLoss(a, b), /mseLoss: input of shape \[2, 3\] and target of shape \[4, 5\]/, a);
  unchanged(() => torch.F.linear(a, w), /linear: input of shape \[2, 3\] does not match weight of shape \[4, 4\]/, a);
  unchanged(() => a.reshape(5, -1), /reshape: shape \[5, -1\] is invalid for input of size 6/, a);
});

test('bad dims are RangeErrors naming the valid range', () => {
  const a = torch.randn(2, 3);
  assert.throws(() => a.sum(2), (e: Error) => e instanceof RangeError && /sum: dimension 2 is out of range.*\[-2, 1\]/.test(e.message));
  assert.throws(() => a.softmax(-3), /softmax: dimension -3 is out of range/);
  assert.throws(() => a.permute(0, 0), /permute: dims \[0, 0\] repeat/);
});

test('out-of-range class indices throw and change nothing', () => {
  const logits = torch.randn(3, 4, { requiresGrad: true });
  const target = torch.tensor([0, 4, 1], { dtype: 'int32' });
  unchanged(() => torch.F.crossEntropy(logits, target),
    /crossEntropy: target 4 at position 1 is out of bounds for 4 classes/, logits);
  assert.equal(logits.grad, null);
});

test('a non-scalar backward without gradient, and in-place on a leaf, throw as PyTorch does', () => {
  const x = torch.randn(3, { requiresGrad: true });
  assert.throws(() => x.mul(2).backward(), /grad can be implicitly created only for scalar outputs; got shape \[3\]/);
  assert.throws(() => x.add_(1), /leaf tensor that requires grad/);
  torch.noGrad(() => x.add_(1)); // allowed inside noGrad
});

test('a disposed tensor throws a clear error in any op', () => {
  const x = torch.randn(2, 2), one = torch.ones(1);
  x.dispose(); one.dispose();
  assert.throws(() => x.add(1), /add: the tensor of shape \[2, 2\] was disposed/);
  assert.throws(() => x.matmul(torch.eye(2)), /was disposed/);
  assert.throws(() => one.item(), /item: the tensor of shape \[1\] was disposed/);
});

test('optimizer hyperparameters are validated; a failed step leaves parameters as they were', () => {
  const lin = new nn.Linear(3, 2);
  assert.throws(() => new optim.SGD(lin.parameters(), { lr: -1 }), /SGD: invalid learning rate value: -1/);
  assert.throws(() => new optim.SGD(lin.parameters(), { lr: 0.1, nesterov: true }), /Nesterov momentum requires a momentum/);
  assert.throws(() => new optim.Adam(lin.parameters(), { betas: [1, 0.9] }), /beta parameter at index 0/);
  const opt = new optim.Adam(lin.parameters(), { lr: 0.1 });
  lin.forward(torch.randn(4, 3)).sum().backward();
  opt.paramGroups[0].lr = -0.5;
  unchanged(() => opt.step(), /Adam: invalid learning rate value: -0.5/, lin.weight, lin.bias!);
  assert.equal(opt.state.size, 0);
});

test('init() before use in non-Node runtimes is explained (kernels are ready in Node)', async () => {
  await torch.init();
  await torch.init(); // idempotent
  assert.equal(torch.backendInfo().simd, true);
  assert.ok(torch.backendInfo().wasmBytes > 1000);
});

test('init() refuses options it cannot honour instead of ignoring them', async () => {
  await assert.rejects(torch.init({ max_memory_mb: 64 } as never), { name: 'TypeError', message: /init: unknown option 'max_memory_mb'; expected one of module, bytes, url, relaxedSimd, maxMemoryMB/ });
  await assert.rejects(torch.init({ relaxedSimd: 'yes' } as never), { name: 'TypeError', message: /relaxedSimd must be a boolean/ });
  await assert.rejects(torch.init({ module: new Uint8Array(8) } as never), { name: 'TypeError', message: /module must be a WebAssembly.Module/ });
  await assert.rejects(torch.init({ bytes: new Uint8Array(8), url: 'x' }), { name: 'TypeError', message: /one of module, bytes or url, got bytes and url/ });
  await assert.rejects(torch.init({ maxMemoryMB: NaN }), { name: 'RangeError' });
  // Node loaded the kernels at import and tensors exist now: other kernels cannot be swapped in
  torch.ones(1).dispose();
  const relaxed = torch.backendInfo().relaxedSimd;
  await assert.rejects(torch.init({ relaxedSimd: !relaxed }), /init: the kernels are already loaded .* can only be chosen before the first tensor operation/);
  await torch.init({ relaxedSimd: relaxed }); // what is loaded: fine
  assert.equal(torch.backendInfo().relaxedSimd, relaxed);
});

test('init() before any tensor exists may choose the other build (a fresh process)', () => {
  const code = `import * as torch from './src/index.ts';
    const before = torch.backendInfo().wasmBytes;
    await torch.init({ module: new WebAssembly.Module((await import('node:fs')).readFileSync('build/wasmtorch.wasm')) });
    console.log(JSON.stringify({ before, after: torch.backendInfo().wasmBytes, sum: torch.ones(3).sum().item() }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }));
  assert.equal(out.sum, 3);
  assert.ok(out.before > 1000, 'the embedded build loaded at import');
  assert.equal(out.after, 0, 'then the module passed to init() replaced it');
});

test('review fixes: alpha with numbers, empty dim lists, strided grads, dims limit, bad options leak nothing', () => {
  const x = torch.tensor([1, 2, 3]);
  assert.deepEqual(x.add(1, { alpha: 2 }).tolist(), [3, 4, 5]);
  assert.deepEqual(torch.sub(x, x, { alpha: 2 }).tolist(), [-1, -2, -3]);
  const m = torch.ones(2, 3);
  assert.equal(m.sum([]).item(), 6, 'an empty dim list sums everything, as PyTorch');
  assert.equal(m.isDisposed, false);
  // backward twice through ops that save nothing is allowed, as in PyTorch
  const w = torch.ones(3, { requiresGrad: true });
  const y = w.add(1).sum();
  y.backward(); y.backward();
  assert.deepEqual(w.grad!.tolist(), [2, 2, 2]);
  // a user-assigned strided gradient accumulates element by element
  const p = torch.ones(2, 3, { requiresGrad: true });
  p.grad = torch.zeros(3, 2).t();
  p.mul(torch.tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
  assert.deepEqual(p.grad!.tolist(), [[1, 2, 3], [4, 5, 6]]);
  // optimizers refuse strided parameters and duplicates instead of updating the wrong elements
  const pt = torch.tensor([[1, 2, 3], [4, 5, 6]]).t().requiresGrad_();
  assert.throws(() => new torch.optim.SGD([pt], { lr: 1 }), /parameters must be contiguous/);
  const q = torch.ones(2, { requiresGrad: true });
  assert.throws(() => new torch.optim.SGD([{ params: [q] }, { params: [q] }], { lr: 1 }), /more than one parameter group/);
  // more dims than the kernels hold: a RangeError before any allocation
  const before = torch.memory();
  assert.throws(() => torch.ones(Array(17).fill(1)), /at most 16 dims/);
  assert.throws(() => torch.tensor([1, 2], { dtype: 'int32', requiresGrad: true }), /only float32 tensors can require gradients/);
  assert.equal(torch.memory().bytesInUse, before.bytesInUse);
  assert.equal(torch.memory().liveTensors, before.liveTensors);
});

test('loadStateDict checks dtypes before writing anything', () => {
  const lin = new nn.Linear(2, 2);
  const w0 = lin.weight.toFloat32Array();
  assert.throws(() => lin.loadStateDict({ weight: torch.zeros(2, 2), bias: torch.zeros(2, { dtype: 'int32' }) }), /dtype mismatch for bias/);
  assert.deepEqual(lin.weight.toFloat32Array(), w0);
});
