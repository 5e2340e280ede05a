// Scopes (issue 11): tidy keeps what fn returns wherever it sits (arrays, objects, Maps, Sets,
// class instances); an async tidy owns the tensors its function makes after an await where
// AsyncLocalStorage exists (Node here), also with two running at once; `using _ = torch.scope()`
// frees a loop iteration's tensors; detectAnomaly names the first operation that made NaN/Inf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';

const live = (): number => torch.memory().liveTensors;
const tick = (ms = 1): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('tidy keeps tensors returned inside class instances, Sets, Map keys and nested objects, and frees the rest', () => {
  class Batch { constructor(public x: Tensor, public extra: { ys: Set<Tensor> }) {} }
  const before = live();
  const out = torch.tidy(() => {
    torch.ones(100); // garbage
    const m = new Map<Tensor, string>([[torch.ones(1), 'key']]);
    return { b: new Batch(torch.ones(2), { ys: new Set([torch.ones(3)]) }), m };
  });
  assert.equal(out.b.x.isDisposed, false);
  assert.equal([...out.b.extra.ys][0].isDisposed, false);
  assert.equal([...out.m.keys()][0].isDisposed, false);
  assert.equal(live() - before, 3, 'the three returned tensors live, the garbage is freed');
  out.b.x.dispose(); [...out.b.extra.ys][0].dispose(); [...out.m.keys()][0].dispose();
  assert.equal(live(), before);
});

test('async tidy frees the tensors made after an await and keeps what it returns', async () => {
  const before = live(), bytes = torch.memory().bytesInUse;
  const kept = await torch.tidy(async () => {
    torch.ones(10);
    await tick(2);
    torch.ones(20); // made after the await: still this scope's
    const r = torch.full([5], 2);
    await tick();
    return r.mul(3);
  });
  assert.deepEqual(kept.tolist(), [6, 6, 6, 6, 6]);
  assert.equal(live() - before, 1);
  kept.dispose();
  assert.equal(live(), before);
  assert.equal(torch.memory().bytesInUse, bytes);
});

test('two async tidies running at once each free their own tensors; a rejected one frees everything', async () => {
  const before = live();
  const a = torch.tidy(async () => { await tick(3); torch.ones(1); await tick(1); return torch.ones(2); });
  const b = torch.tidy(async () => { torch.ones(1); await tick(1); const t = torch.ones(4); await tick(4); return t.sum().item(); });
  const [ta, nb] = await Promise.all([a, b]);
  assert.equal(nb, 4);
  assert.equal(ta.isDisposed, false);
  assert.equal(live() - before, 1);
  ta.dispose();
  await assert.rejects(torch.tidy(async () => { torch.ones(3); await tick(); torch.ones(3); throw new Error('boom'); }), /boom/);
  assert.equal(live(), before);
});

test('sync tidy nested in an async tidy, and keep() across an await', async () => {
  const before = live();
  let kept: Tensor | null = null;
  const r = await torch.tidy(async () => {
    await tick();
    const inner = torch.tidy(() => { torch.ones(7); return torch.ones(2); }); // joins the async scope
    kept = torch.keep(torch.ones(3));
    await tick();
    return inner.sum().item();
  });
  assert.equal(r, 2);
  assert.equal(live() - before, 1);
  kept!.dispose();
  assert.equal(live(), before);
});

test('`using _ = torch.scope()` frees each iteration\'s tensors but not parameters, gradients or optimizer state', () => {
  const model = new torch.nn.Linear(3, 2);
  const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
  const x = torch.randn(8, 3), y = torch.randn(8, 2);
  for (let i = 0; i < 3; i++) { // warm-up: the optimizer creates its state at the first step
    using _ = torch.scope();
    opt.zeroGrad();
    torch.nn.functional.mseLoss(model.forward(x), y).backward();
    opt.step();
  }
  const after1 = live();
  for (let i = 0; i < 20; i++) {
    using _ = torch.scope();
    opt.zeroGrad();
    torch.nn.functional.mseLoss(model.forward(x), y).backward();
    opt.step();
  }
  assert.equal(live(), after1, 'steady: nothing accumulates across iterations');
  const s = torch.scope();
  torch.ones(3);
  const inner = torch.scope();
  assert.throws(() => s.close(), /scope: closed while 1 scope\(s\) opened inside it are still open/);
  inner.close(); s.close(); s.close(); // idempotent
  assert.equal(live(), after1);
  model.dispose(); opt.dispose(); x.dispose(); y.dispose();
});

test('detectAnomaly names the first operation that produced NaN or Infinity, forward and backward', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 0, 2], { requiresGrad: true });
    assert.throws(() => torch.autograd.detectAnomaly(() => x.log().mul(2)), /detectAnomaly: Log \(LogBackward0\) produced -Infinity in forward: output of shape \[3\] from finite inputs of shapes \[3\]/);
    // the NaN of 0·(−∞) is made by mul from a non-finite input: the first culprit is log, not mul
    const y = torch.tensor([0, 4], { requiresGrad: true });
    assert.throws(() => torch.autograd.detectAnomaly(() => y.sqrt().sum().backward()), /detectAnomaly: Function 'SqrtBackward0' returned Infinity values in its 0th output \(the gradient for input 0 of shape \[2\]/);
    const z = torch.tensor([1, 4], { requiresGrad: true });
    torch.autograd.detectAnomaly(() => z.sqrt().sum().backward());
    assert.deepEqual(z.grad!.tolist(), [0.5, 0.25]);
    // outside detectAnomaly nothing is checked
    assert.deepEqual(x.log().isfinite().tolist(), [true, false, true]);
    assert.throws(() => torch.autograd.detectAnomaly('x' as never), TypeError);
  });
});
