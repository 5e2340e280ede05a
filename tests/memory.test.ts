// Memory is part of correctness: tidy, dispose, backward's release of saved buffers, growth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
const { nn, optim } = torch;

function seedSetup() {
  torch.manualSeed(0);
  const inputs = torch.keep(torch.randn(100, 10));
  const targets = torch.keep(torch.randn(100, 1));
  const model = new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU(), new nn.Linear(20, 1));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const criterion = new nn.MSELoss();
  const step = () => torch.tidy(() => {
    const loss = criterion.forward(model.forward(inputs), targets);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss.item();
  });
  const dispose = () => { model.dispose(); optimizer.dispose(); inputs.dispose(); targets.dispose(); };
  return { step, dispose, model };
}

test('2,000 seed steps inside tidy leave liveTensors and bytesInUse unchanged after warm-up', () => {
  const s = seedSetup();
  for (let i = 0; i < 5; i++) s.step();
  const before = torch.memory();
  for (let i = 0; i < 2000; i++) s.step();
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors);
  assert.equal(after.bytesInUse, before.bytesInUse);
  s.dispose();
});

test('tidy frees intermediates, keeps what it returns and kept tensors; dispose frees now', () => {
  const start = torch.memory();
  let kept!: torch.Tensor;
  const out = torch.tidy(() => {
    const a = torch.ones(10, 10);
    const b = a.mul(2).add(1);
    kept = torch.keep(b.sum());
    return { r: [b.exp()] };
  });
  const mid = torch.memory();
  assert.equal(mid.liveTensors - start.liveTensors, 2);
  assert.equal(out.r[0].shape.join(), '10,10');
  assert.ok(Math.abs(kept.item() - 300) < 1e-4);
  out.r[0].dispose(); kept.dispose();
  assert.equal(torch.memory().liveTensors, start.liveTensors);
  assert.equal(torch.memory().bytesInUse, start.bytesInUse);
  assert.throws(() => kept.item(), /disposed/);
});

test('async tidy awaits, frees what it made before its first await, and never frees other tasks\' tensors', async () => {
  let a!: torch.Tensor;
  const pending = torch.tidy(async () => {
    a = torch.randn(5);
    const b = a.square();
    await new Promise((r) => setTimeout(r, 5));
    return b.sum().item();
  });
  const other = torch.ones(3); // created by another task while the tidy awaits
  const v = await pending;
  assert.ok(v >= 0);
  assert.equal(a.isDisposed, true);
  assert.equal(other.isDisposed, false);
  assert.equal(other.sum().item(), 3);
  other.dispose();
});

// Saved buffers are only visible in bytesInUse once nothing else holds their storage: here the
// graph is built in a tidy that returns only y, so exp's output lives on solely in the handles
// that ExpBackward and MulBackward saved. Every byte and tensor left after backward must be one
// that x, x.grad and y account for; anything more is a saved buffer backward did not free.
function bytesOf(t: torch.Tensor): number { return Math.max(t.numel() * 4, 4); }

test('backward frees the saved buffers no live tensor holds; a second backward throws', () => {
  const start = torch.memory();
  const x = torch.randn(50, 50, { requiresGrad: true });
  const y = torch.tidy(() => x.exp().mul(x).sum());
  // exp's (and mul's) outputs are held only by saved handles: the check below is not vacuous
  assert.ok(torch.memory().bytesInUse >= start.bytesInUse + bytesOf(x) + bytesOf(y) + 50 * 50 * 4, 'the graph holds buffers no live tensor does');
  y.backward();
  const after = torch.memory();
  assert.equal(after.bytesInUse, start.bytesInUse + bytesOf(x) + bytesOf(y) + bytesOf(x.grad!), 'bytes left after backward: only x, y and x.grad');
  assert.equal(after.liveTensors, start.liveTensors + 3, 'tensors left after backward: only x, y and x.grad (no saved handle)');
  assert.throws(() => y.backward(), /second time/);
  assert.equal(torch.memory().bytesInUse, after.bytesInUse, 'the refused backward allocated nothing');
  y.dispose(); x.dispose();
  assert.deepEqual([torch.memory().bytesInUse, torch.memory().liveTensors], [start.bytesInUse, start.liveTensors]);
});

test('inside tidy, backward frees the saved buffers before the scope closes', () => {
  const start = torch.memory();
  const x = torch.randn(40, 40, { requiresGrad: true });
  torch.tidy(() => {
    const y = torch.tidy(() => x.sigmoid().mul(x).sum());
    assert.ok(torch.memory().bytesInUse >= start.bytesInUse + bytesOf(x) + bytesOf(y) + 40 * 40 * 4, 'the graph holds buffers no live tensor does');
    y.backward();
    // the scope still holds y and would release the graph at its close: measure before that
    assert.equal(torch.memory().bytesInUse, start.bytesInUse + bytesOf(x) + bytesOf(y) + bytesOf(x.grad!), 'bytes left after backward: only x, y and x.grad');
    assert.equal(torch.memory().liveTensors, start.liveTensors + 3, 'tensors left after backward: only x, y and x.grad');
  });
  assert.equal(torch.memory().bytesInUse, start.bytesInUse + 2 * bytesOf(x), 'x and x.grad');
  x.dispose();
  assert.equal(torch.memory().bytesInUse, start.bytesInUse);
});

test('retainGraph keeps the saved buffers for a second backward, which then frees them', () => {
  const start = torch.memory();
  const x = torch.randn(30, 30, { requiresGrad: true });
  const z = torch.tidy(() => x.exp().mul(x).sum());
  const held = torch.memory();
  z.backward(undefined, { retainGraph: true });
  // the saved buffers are still held: only x.grad was added
  assert.equal(torch.memory().bytesInUse, held.bytesInUse + bytesOf(x));
  assert.equal(torch.memory().liveTensors, held.liveTensors + 1);
  const g1 = x.grad!.toFloat32Array();
  z.backward();
  const g2 = x.grad!.toFloat32Array();
  // the retained graph ran twice: the gradient accumulated to twice its value
  g2.forEach((v, i) => assert.ok(Math.abs(v - 2 * g1[i]) <= 1e-5 * Math.abs(g1[i]) + 1e-6, `grad ${i}: ${v} vs 2 × ${g1[i]}`));
  assert.equal(torch.memory().bytesInUse, start.bytesInUse + bytesOf(x) + bytesOf(z) + bytesOf(x), 'the second backward freed them');
  assert.equal(torch.memory().liveTensors, start.liveTensors + 3);
  assert.throws(() => z.backward(), /second time/);
  z.dispose(); x.dispose();
  assert.equal(torch.memory().bytesInUse, start.bytesInUse);
});

test('growing WebAssembly memory in the middle of a training step does not corrupt results', () => {
  const run = (grow: boolean) => torch.tidy(() => {
    torch.manualSeed(11);
    const x = torch.randn(32, 8), t = torch.randn(32, 1);
    const lin = new nn.Linear(8, 1);
    const out = lin.forward(x);
    // a large allocation between forward and backward forces memory.grow
    const big = grow ? torch.zeros(4 * 1024 * 1024 + torch.memory().wasmBytes / 4) : null;
    const loss = torch.F.mseLoss(out, t);
    loss.backward();
    big?.dispose();
    const r = [loss.item(), ...lin.weight.grad!.toFloat32Array()];
    lin.dispose();
    return r;
  });
  const before = torch.memory().wasmBytes;
  const a = run(false), b = run(true);
  assert.ok(torch.memory().wasmBytes > before, 'memory grew');
  assert.deepEqual(b, a);
});

test('an allocation past maxMemoryMB throws a RangeError and the library keeps working', async () => {
  await torch.init({ maxMemoryMB: 64 });
  const x = torch.ones(4);
  assert.throws(() => torch.zeros(100 * 1024 * 1024 / 4), (e: Error) => e instanceof RangeError && /zeros/.test(e.message) && /limit/.test(e.message));
  assert.equal(x.sum().item(), 4);
  x.dispose();
  await torch.init({ maxMemoryMB: 4096 });
});

test('a forward pass with grad but no backward inside tidy frees its saved buffers', () => {
  const lin = new nn.Linear(16, 8);
  const x = torch.keep(torch.randn(32, 16));
  torch.tidy(() => { lin.forward(x).relu().sum(); });
  const before = torch.memory();
  for (let i = 0; i < 50; i++) torch.tidy(() => { lin.forward(x).relu().sum(); });
  assert.equal(torch.memory().bytesInUse, before.bytesInUse);
  assert.equal(torch.memory().liveTensors, before.liveTensors);
  // a graph returned from tidy stays usable for backward
  const loss = torch.tidy(() => lin.forward(x).square().mean());
  loss.backward();
  assert.ok(lin.weight.grad && lin.weight.grad.abs().sum().item() > 0);
  lin.dispose(); x.dispose(); loss.dispose();
});

test('`using` disposes a tensor at the end of its block', () => {
  const before = torch.memory();
  {
    using t = torch.ones(64);
    assert.equal(t.sum().item(), 64);
  }
  // t.sum() is left to the GC net; t itself is freed at once
  assert.ok(torch.memory().bytesInUse <= before.bytesInUse + 16);
});

test('the GC net registers tensors in batches: one disposed soon after it was made never reaches it, the others do by the next microtask', async () => {
  const { netStats } = await import('../src/runtime/scope.js');
  await Promise.resolve();
  const before = netStats().tensors;
  const a = torch.tensor([1]), b = torch.tensor([2]);
  for (let i = 0; i < 1000; i++) torch.add(a, b).dispose(); // past the batch size: flushes ran, registering none of these
  await Promise.resolve();
  assert.equal(netStats().tensors, before + 2, 'a and b only');
  const kept = Array.from({ length: 300 }, () => torch.add(a, b)); // past one batch
  assert.ok(netStats().tensors >= before + 2 + 256 - 2, 'a full batch is registered at once');
  await Promise.resolve();
  assert.equal(netStats().tensors, before + 302, 'the rest by the next microtask');
  for (const t of [...kept, a, b]) t.dispose();
  assert.equal(netStats().tensors, before);
});

test('views dropped without dispose give back their count of live views when collected, whatever their place in the GC net\'s batch', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const base = torch.zeros([4]);
  for (let i = 0; i < 600; i++) base.reshape(2, 2); // dropped views, some of them filling a batch
  for (let i = 0; i < 8 && base.liveViews > 0; i++) { gc(); await new Promise((r) => setTimeout(r, 0)); }
  assert.equal(base.liveViews, 0);
  base.dispose();
});
