// Scopes (issue 11): tidy keeps what fn returns wherever it sits (arrays, objects, Maps, Sets,
// class instances); an async tidy owns the tensors its function makes after an await where
// AsyncLocalStorage exists (Node here), also with two running at once; `using _ = torch.scope()`
// frees a loop iteration's tensors; detectAnomaly names the first operation that made NaN/Inf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { assertClose } from './oracle.js';

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
  inner.close(); s.close(); s.close(); // innermost first; closing twice is a no-op
  assert.equal(live(), after1);
  model.dispose(); opt.dispose(); x.dispose(); y.dispose();
});

test('detectAnomaly names the first operation that produced NaN or Infinity, forward and backward', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 0, 2], { requiresGrad: true });
    assert.throws(() => torch.autograd.detectAnomaly(() => x.sub(1).sqrt().mul(2)), /detectAnomaly: Sqrt \(SqrtBackward0\) produced NaN in forward: output of shape \[3\] from finite inputs of shapes \[3\]/);
    // the NaN of 0·(−∞) is made by mul from a non-finite input: mul is no culprit, log's backward is
    assert.throws(() => torch.autograd.detectAnomaly(() => x.log().mul(0).sum().backward()), /detectAnomaly: Function 'LogBackward0' returned nan values in its 0th output/);
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

// Found by review (hostile probes), each pinned here.
test('review: an async tidy that outlives the scope around it hands its result to the GC net, not to the closed scope', async () => {
  let p: Promise<Tensor> | null = null;
  torch.tidy(() => { p = torch.tidy(async () => { await tick(3); return torch.ones(5); }); });
  const r = await p!;
  assert.equal(r.isDisposed, false);
  assert.deepEqual(r.tolist(), [1, 1, 1, 1, 1]);
  r.dispose();
});

test('review: callbacks a finished async tidy started put their tensors in no closed scope', async () => {
  let made: Tensor[] = [];
  await torch.tidy(async () => {
    setTimeout(() => { made = [torch.ones(2), torch.ones(3)]; }, 5);
    await null;
  });
  await tick(20);
  assert.equal(made.length, 2);
  // a later tidy must not dispose them, and they are the caller's to free
  torch.tidy(() => torch.ones(1));
  assert.ok(made.every((t) => !t.isDisposed));
  for (const t of made) t.dispose();
});

test('review: scopes closed out of order stay consistent and say so', () => {
  const before = live();
  const a = torch.scope();
  torch.ones(2);
  const b = torch.scope();
  torch.ones(3);
  assert.throws(() => a.close(), /scope: closed while 1 scope\(s\) opened after it are still open/);
  b.close();
  assert.equal(live(), before, 'both scopes freed their tensors');
  const t = torch.ones(4); // no scope is left open: this one is the caller's
  assert.equal(live(), before + 1);
  t.dispose();
});

test('review: detectAnomaly leaves -Infinity masks alone, flags NaN made in place, and leaks nothing when it throws', () => {
  const before = torch.memory();
  torch.tidy(() => {
    const s = torch.tensor([[1, 2, 3]], { requiresGrad: true });
    const mask = torch.tensor([[false, false, true]]);
    torch.autograd.detectAnomaly(() => s.maskedFill(mask, -Infinity).softmax(-1).mul(torch.tensor([[1, 0, 0]])).sum().backward());
    assertClose(s.grad!.toFloat32Array(), [0.19661193, -0.19661193, 0], 's.grad', 1e-5, 1e-6);
    const x = torch.tensor([0, 1], { requiresGrad: true });
    assert.throws(() => torch.autograd.detectAnomaly(() => { const y = x.mul(1); y.div_(x); }), /detectAnomaly: div_ \(DivBackward0\) produced NaN in forward, in place/);
  });
  assert.throws(() => torch.autograd.detectAnomaly(() => torch.tensor([-1, 2], { requiresGrad: true }).sqrt()), /Sqrt \(SqrtBackward0\) produced NaN in forward/);
  const after = torch.memory();
  assert.equal(after.liveTensors - before.liveTensors, 2, 'only the leaf and the output wait for the GC; no saved handle leaked');
});
