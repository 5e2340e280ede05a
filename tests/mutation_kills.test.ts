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

test('E16: an input that does not require grad gets no .grad even when its rule returns one (cat of empty tensors)', () => {
  torch.tidy(() => {
    // the legacy-empty cat rule returns a zero-size gradient for every input, needed or not
    const a = torch.zeros([0], { requiresGrad: true });
    const b = torch.zeros([0]);
    torch.cat([a, b]).sum().backward();
    assert.deepEqual(a.grad!.shape, [0]);
    assert.equal(b.grad, null);
  });
});

// ---- matmul (M*): strided operands and batch layouts against a float64 product -------------

type Mat = number[][];
const ref = (a: Mat, b: Mat): Mat => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const flat = (m: Mat): number[] => m.flat();
const toMat = (t: torch.Tensor): Mat => t.tolist() as Mat;

test('M1, M2: narrowed operands (leading dimension larger than the row) read through their stride, plain and transposed', () => {
  torch.tidy(() => {
    torch.manualSeed(21);
    const P = torch.randn(4, 8), Q = torch.randn(3, 8), B = torch.randn(5, 3), X = torch.randn(2, 5);
    const a = P.narrow(1, 0, 5);        // [4, 5], strides [8, 1]: row-major with ld 8
    const at = a.t();                   // [5, 4], strides [1, 8]: transposed with ld 8
    const qt = Q.narrow(1, 1, 5).t();   // [5, 3], strides [1, 8]
    assertClose(a.matmul(B).toFloat32Array(), flat(ref(toMat(a), toMat(B))), 'a @ B', 1e-5, 1e-5);
    assertClose(at.matmul(torch.ones(4, 2)).toFloat32Array(), flat(ref(toMat(at), toMat(torch.ones(4, 2)))), 'aᵀ @ 1', 1e-5, 1e-5);
    assertClose(X.matmul(qt).toFloat32Array(), flat(ref(toMat(X), toMat(qt))), 'X @ qᵀ', 1e-5, 1e-5);
  });
});

test('M8: an operand with neither unit stride is copied before the product', () => {
  torch.tidy(() => {
    torch.manualSeed(22);
    const v = torch.randn(3, 4, 5).select(2, 1); // [3, 4], strides [20, 5]
    const B = torch.randn(4, 2);
    assertClose(v.matmul(B).toFloat32Array(), flat(ref(toMat(v), toMat(B))), 'v @ B', 1e-5, 1e-5);
    assertClose(B.t().matmul(v.t()).toFloat32Array(), flat(ref(toMat(B.t()), toMat(v.t()))), 'Bᵀ @ vᵀ', 1e-5, 1e-5);
  });
});

test('M3, M4: two batch dims of different sizes, one operand broadcast over them, forward and backward', () => {
  torch.tidy(() => {
    torch.manualSeed(23);
    const a = torch.randn(2, 3, 2, 4, { requiresGrad: true });
    const b = torch.randn(3, 4, 2, { requiresGrad: true }); // broadcast over the first batch dim
    const out = a.matmul(b);
    assert.deepEqual(out.shape, [2, 3, 2, 2]);
    const A = a.tolist() as Mat[][], Bm = b.tolist() as Mat[];
    const expected = A.flatMap((ai) => ai.flatMap((aij, j) => flat(ref(aij, Bm[j]))));
    assertClose(out.toFloat32Array(), expected, 'a @ b', 1e-5, 1e-5);
    const g = torch.randn(2, 3, 2, 2);
    out.backward(g);
    const G = g.tolist() as Mat[][];
    const T = (m: Mat): Mat => m[0].map((_, j) => m.map((r) => r[j]));
    // dA = g·Bᵀ per batch; dB = Σ over the broadcast dim of Aᵀ·g
    assertClose(a.grad!.toFloat32Array(), G.flatMap((gi) => gi.flatMap((gij, j) => flat(ref(gij, T(Bm[j]))))), 'a.grad', 1e-5, 1e-5);
    const dB = Bm.map((_, j) => [0, 1].map((i) => ref(T(A[i][j]), G[i][j])).reduce((s, m) => s.map((r, p) => r.map((v, q) => v + m[p][q]))));
    assertClose(b.grad!.toFloat32Array(), dB.flatMap(flat), 'b.grad', 1e-5, 1e-5);
  });
});

// ---- optimizers (O*, K*) --------------------------------------------------------------------

test('O9: RMSprop maximize (plain, and with momentum and centered) follows PyTorch 1.13 over two steps', () => {
  // torch.optim.RMSprop([p], lr=0.01, maximize=True[, momentum=0.5, centered=True]), 5 elements: vector loop and tail
  const grads = [[0.1, -0.2, 0.3, -0.4, 0.5], [-0.3, 0.1, 0.2, 0.6, -0.1]];
  const cases: [Record<string, unknown>, number[][]][] = [
    [{}, [[0.5999999, -1.0999999, 2.0999999, 0.15000002, -0.65000004], [0.50508416, -1.05509865, 2.15566301, 0.23333335, -0.66970664]]],
    [{ momentum: 0.5, centered: true }, [[0.60050368, -1.10050368, 2.10050368, 0.14949624, -0.64949626], [0.55564725, -1.10581076, 2.20695877, 0.18261115, -0.61901093]]],
  ];
  for (const [extra, expected] of cases) {
    const p = torch.tensor([0.5, -1, 2, 0.25, -0.75], { requiresGrad: true });
    const opt = new torch.optim.RMSprop([p], { lr: 0.01, maximize: true, ...extra });
    grads.forEach((g, s) => {
      p.grad = torch.tensor(g);
      opt.step();
      assertClose(p.toFloat32Array(), expected[s], `RMSprop ${JSON.stringify(extra)} step ${s + 1}`, 1e-5, 1e-6);
    });
    opt.dispose(); p.dispose();
  }
});

test('K7: Adam amsgrad keeps the largest second moment in every element (the scalar tail too), as PyTorch 1.13', () => {
  // torch.optim.Adam([p], lr=0.1, betas=(0.5, 0.5), amsgrad=True): large gradients, then small ones,
  // so v falls below its running maximum; 5 elements: the vector loop and the scalar tail
  const p = torch.tensor([0.5, -1, 2, 0.25, -0.75], { requiresGrad: true });
  const opt = new torch.optim.Adam([p], { lr: 0.1, betas: [0.5, 0.5], amsgrad: true });
  const grads = [[3, -2, 1, -4, 5], [0.01, 0.02, -0.01, 0.03, -0.02], [0.1, -0.1, 0.1, -0.1, 0.1]];
  const expected = [
    [0.40000001, -0.89999998, 1.89999998, 0.34999999, -0.85000002],
    [0.35890299, -0.85999167, 1.85999167, 0.39021245, -0.89049828],
    [0.33735901, -0.83769178, 1.83391213, 0.41071701, -0.91075718],
  ];
  grads.forEach((g, s) => {
    p.grad = torch.tensor(g);
    opt.step();
    assertClose(p.toFloat32Array(), expected[s], `step ${s + 1}`, 1e-5, 1e-6);
  });
  opt.dispose(); p.dispose();
});
