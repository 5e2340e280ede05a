// Tests written for mutations that survived `npm run mutate` (scripts/mutate.mjs): each names the
// mutation it kills. They check rules the other test files exercised only by accident.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as torch from '../src/index.js';
import { assertClose } from './oracle.js';

const mem = () => { const m = torch.memory(); return [m.bytesInUse, m.liveTensors]; };

// ---- tidy / keep (scripts/mutate.mjs S*) -----------------------------------------------------

test('S4: a tensor returned from a nested tidy belongs to the outer tidy, which frees it', () => {
  const before = mem();
  torch.tidy(() => {
    const inner = torch.tidy(() => torch.ones(16).mul(2));
    assert.equal(inner.isDisposed, false);
  });
  assert.deepEqual(mem(), before);
});

test('S5, S6: tensors returned inside a Map or a plain object survive tidy; nothing else does', () => {
  const before = mem();
  const r = torch.tidy(() => {
    const a = torch.ones(3).add(1);
    return { m: new Map([['a', a]]), o: { b: a.mul(3) } };
  });
  assert.deepEqual(Array.from(r.m.get('a')!.toFloat32Array()), [2, 2, 2]);
  assert.deepEqual(Array.from(r.o.b.toFloat32Array()), [6, 6, 6]);
  r.m.get('a')!.dispose(); r.o.b.dispose();
  assert.deepEqual(mem(), before);
});

test('S9: a graph returned from a nested tidy and dropped by the outer one releases its saved buffers', () => {
  const x = torch.keep(torch.randn(64, { requiresGrad: true }));
  const before = mem();
  torch.tidy(() => {
    const y = torch.tidy(() => x.exp().mul(x).sum()); // the graph lives on through y
    assert.ok(y.item() > 0);
  });
  assert.deepEqual(mem(), before);
  x.dispose();
});

test('S10: a tidy whose function throws frees what it made, graph included', () => {
  const x = torch.keep(torch.randn(64, { requiresGrad: true }));
  const before = mem();
  assert.throws(() => torch.tidy(() => {
    x.exp().mul(x).sum();
    throw new Error('boom');
  }), /boom/);
  assert.deepEqual(mem(), before);
  x.dispose();
});

test('S1: keep() exempts a tensor from tidy; S3: parameters and their grads survive it', () => {
  let k!: torch.Tensor;
  const lin = new torch.nn.Linear(3, 2);
  torch.tidy(() => {
    k = torch.keep(torch.ones(4).mul(5));
    lin.forward(torch.ones(1, 3)).sum().backward();
  });
  assert.equal(k.isDisposed, false);
  assert.deepEqual(Array.from(k.toFloat32Array()), [5, 5, 5, 5]);
  assert.equal(lin.weight.isDisposed, false);
  assert.equal(lin.weight.grad!.isDisposed, false);
  k.dispose(); lin.dispose();
});

// ---- graph nodes (G*) ----------------------------------------------------------------------

test('G4: a graph built outside any scope is freed by the garbage-collection net, saved buffers included', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const settle = async () => { for (let i = 0; i < 6; i++) { gc(); await new Promise((r) => setTimeout(r, 0)); } };
  await settle();
  const before = mem();
  (() => {
    const x = torch.randn(1000, { requiresGrad: true });
    x.exp().mul(x).sum(); // exp and mul save handles on buffers only the graph holds
  })();
  assert.ok(mem()[0] > before[0]);
  await settle();
  assert.deepEqual(mem(), before);
});

test('G3: a graph with nothing saved can run backward twice without retainGraph, as PyTorch', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const s = x.add(1).sum();
    s.backward();
    s.backward();
    assertClose(x.grad!.toFloat32Array(), [2, 2], 'x.grad');
  });
});

// ---- the engine (E*) -----------------------------------------------------------------------

test('E15: a .grad the user disposed counts as none: backward starts a fresh gradient', () => {
  torch.tidy(() => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.mul(2).sum().backward();
    x.grad!.dispose();
    x.mul(x).sum().backward();
    assertClose(x.grad!.toFloat32Array(), [2, 4, 6], 'x.grad');
  });
});
