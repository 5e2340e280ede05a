// Embedding against PyTorch (tests/fixtures/gen_norm.py → norm.json): F.embedding with repeated
// indices, paddingIdx (also negative), scaleGradByFreq, maxNorm with normType 2, 1 and Infinity
// (the weight renormalized in place), indices of any shape (0-d, 3-d, empty); repr,
// fromPretrained, paddingIdx under training; finite differences of the weight's gradient; error
// paths (out-of-range indices refused before any write, options); memory. (nn.Embedding's module
// runs, stateDict and maxNorm across steps, are replayed in tests/norm.test.ts.)
// Tolerances: 1e-4 relative + 1e-5 absolute; finite differences 2e-2 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, assertClose, type FixtureCase, type OpFn } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { nn, F } = torch;
const T = (x: Tensor | number | null): Tensor => x as Tensor;

interface EmbCase extends FixtureCase { weightAfter?: number[] }
// (nn.Embedding's module runs from the same fixture are replayed in tests/norm.test.ts)
const fixture = loadFixture<{ cases: EmbCase[]; reprs: Record<string, string> }>('norm.json');

const kwOf = (kw: Record<string, unknown>): Record<string, unknown> => ({ ...kw, ...(kw.normType === 'Infinity' ? { normType: Infinity } : {}) });
let lastWeight: Tensor | null = null;
const OPS: Record<string, OpFn> = {
  embedding: ([i, w], kw) => { lastWeight = T(w); return F.embedding(T(i), T(w), kwOf(kw)); },
};

for (const c of fixture.cases.filter((c) => c.op === 'embedding')) {
  test(`embedding oracle: ${c.name}`, () => {
    if (!c.weightAfter) { checkCase(c, 1e-4, 1e-5, OPS); return; }
    // maxNorm: the weight is renormalized in place; check it inside the case's scope
    checkCase(c, 1e-4, 1e-5, {
      embedding: (inputs, kw) => {
        const out = OPS.embedding(inputs, kw) as Tensor;
        assertClose(lastWeight!.toFloat32Array(), c.weightAfter!, `${c.name}: weight after the renorm`);
        return out;
      },
    });
  });
}

test('Embedding repr as PyTorch prints it', () => {
  const a = new nn.Embedding(10, 3, { paddingIdx: 0 });
  const b = new nn.Embedding(10, 3, { maxNorm: 1.5, normType: 1, scaleGradByFreq: true });
  assert.equal(a.toString(), fixture.reprs['Embedding(10, 3, padding_idx=0)']);
  assert.equal(b.toString(), fixture.reprs['Embedding(10, 3, max_norm=1.5, norm_type=1.0, scale_grad_by_freq=True)']);
  a.dispose(); b.dispose();
});

test('embedding finite differences: the weight, repeated indices, padding, scaleGradByFreq', () => {
  torch.manualSeed(4);
  const idx = torch.keep(torch.tensor([[1, 3, 1], [0, 3, 3]], { dtype: 'int32' }));
  const w0 = torch.keep(torch.randn(5, 4));
  try {
    for (const options of [{}, { paddingIdx: 3 }, { scaleGradByFreq: true }, { scaleGradByFreq: true, paddingIdx: -4 }]) {
      torch.tidy(() => {
        const w = w0.clone().requiresGrad_();
        const g = torch.randn(2, 3, 4);
        F.embedding(idx, w, options).mul(g).sum().backward();
        const grad = w.grad!.toFloat32Array();
        const base = w0.toFloat32Array(), h = 1e-2;
        const f = (v: Float32Array): number => torch.noGrad(() => F.embedding(idx, torch.tensor(v).reshape(5, 4)).mul(g).sum().item());
        const pad = options.paddingIdx === undefined ? -1 : (options.paddingIdx + 5) % 5;
        const counts = [0, 0, 0, 0, 0];
        for (const i of [1, 3, 1, 0, 3, 3]) counts[i]++;
        for (let i = 0; i < base.length; i++) {
          const p = new Float32Array(base), m = new Float32Array(base);
          p[i] += h; m[i] -= h;
          const row = Math.floor(i / 4);
          let fd = (f(p) - f(m)) / (2 * h);
          if (row === pad) fd = 0;
          if (options.scaleGradByFreq && counts[row] > 0) fd /= counts[row];
          assert.ok(Math.abs(fd - grad[i]) <= 2e-2 * (1 + Math.abs(fd)), `${JSON.stringify(options)}: d/dw[${i}] ${grad[i]} vs ${fd}`);
        }
      });
    }
  } finally {
    idx.dispose(); w0.dispose();
  }
});

test('Embedding: paddingIdx row starts at zeros and stays there under training; fromPretrained shares and freezes', () => torch.tidy(() => {
  const e = new nn.Embedding(6, 3, { paddingIdx: -2 });
  assert.equal(e.paddingIdx, 4, 'normalized padding index');
  assert.deepEqual(Array.from(e.weight.narrow(0, 4, 1).toFloat32Array()), [0, 0, 0], 'padding row zeros');
  const opt = new torch.optim.SGD(e.parameters(), { lr: 1 });
  const x = torch.tensor([4, 1, 4, 2], { dtype: 'int32' });
  for (let i = 0; i < 3; i++) { opt.zeroGrad(); e.forward(x).sum().backward(); opt.step(); }
  assert.deepEqual(Array.from(e.weight.narrow(0, 4, 1).toFloat32Array()), [0, 0, 0], 'padding row unchanged');
  opt.dispose(); e.dispose();
  const w = torch.tensor([[1, 2.3, 3], [4, 5.1, 6.3]]);
  const p = nn.Embedding.fromPretrained(w);
  assert.equal(p.weight.requiresGrad, false, 'frozen');
  assertClose(p.forward(torch.tensor([1], { dtype: 'int32' })).toFloat32Array(), [4, 5.1, 6.3], 'looked up');
  torch.noGrad(() => p.weight.mul_(2));
  assert.equal(w.toFloat32Array()[0], 2, 'shares storage with the given tensor, as PyTorch');
  const q = nn.Embedding.fromPretrained(w, { freeze: false, paddingIdx: 0 });
  assert.equal(q.weight.requiresGrad, true, 'trainable');
  assert.equal(q.toString(), 'Embedding(2, 3, padding_idx=0)', 'repr');
}));

test('Embedding: maxNorm renormalizes only the looked-up rows, each once, and works in a training loop without leaking', () => {
  const e = new nn.Embedding(8, 4, { maxNorm: 1 });
  try {
    const before = torch.tidy(() => Array.from(e.weight.toFloat32Array()));
    const v0 = e.weight.version;
    torch.tidy(() => { e.forward(torch.tensor([2, 2, 5], { dtype: 'int32' })); });
    const w = e.weight.toFloat32Array();
    const norm = (r: number): number => Math.hypot(...Array.from(w.slice(r * 4, r * 4 + 4)));
    for (const r of [2, 5]) assert.ok(norm(r) <= 1 + 1e-6, `row ${r} renormalized (${norm(r)})`);
    for (const r of [0, 1, 3, 4, 6, 7]) assert.deepEqual(Array.from(w.slice(r * 4, r * 4 + 4)), before.slice(r * 4, r * 4 + 4), `row ${r} untouched`);
    assert.equal(e.weight.version, v0 + 1, 'the renorm is an in-place write (version bumped, as PyTorch)');
    // a graph that saved the weight before the renorm refuses to run backward through stale data, as PyTorch
    torch.tidy(() => {
      const y = e.weight.mul(e.weight).sum();
      e.forward(torch.tensor([0, 1, 3], { dtype: 'int32' }));
      assert.throws(() => y.backward(), /modified by an inplace operation/, 'stale saved weight');
    });
    const opt = new torch.optim.Adam(e.parameters(), { lr: 0.1 });
    const step = (): void => torch.tidy(() => {
      opt.zeroGrad();
      e.forward(torch.randint(0, 8, [3, 5], { dtype: 'int32' })).square().sum().backward();
      opt.step();
    });
    step();
    const m0 = torch.memory();
    for (let i = 0; i < 10; i++) step();
    const m1 = torch.memory();
    assert.equal(m1.liveTensors, m0.liveTensors, 'live tensors');
    assert.equal(m1.bytesInUse, m0.bytesInUse, 'bytes');
    opt.dispose();
  } finally {
    e.dispose();
  }
});

test('embedding error paths: out-of-range indices are refused before any write, PyTorch-like messages', () => {
  const w = torch.keep(torch.randn(10, 3).requiresGrad_());
  const bad = torch.keep(torch.tensor([[1, 2], [12, 3]], { dtype: 'int32' }));
  const neg = torch.keep(torch.tensor([0, -1], { dtype: 'int32' }));
  const fidx = torch.keep(torch.tensor([1, 2]));
  const ok = torch.keep(torch.tensor([1, 2], { dtype: 'int32' }));
  const w3 = torch.keep(torch.randn(2, 5, 3));
  try {
    const snapshot = Array.from(w.toFloat32Array());
    throwsClean(() => F.embedding(bad, w, { maxNorm: 0.1 }), RangeError, /index 12 is out of range for 10 embeddings \(expected 0 ≤ index < 10; element 2 of the input of shape \[2, 2\]\)/);
    assert.deepEqual(Array.from(w.toFloat32Array()), snapshot, 'maxNorm wrote nothing before the refusal');
    throwsClean(() => F.embedding(neg, w), RangeError, /index -1 is out of range for 10 embeddings/);
    throwsClean(() => F.embedding(fidx, w), TypeError, /Expected tensor for argument #1 'indices' to have one of the following scalar types: Int/);
    throwsClean(() => F.embedding(ok, w3), RangeError, /'weight' must be 2-D/);
    throwsClean(() => F.embedding(ok, w, { paddingIdx: 10 }), RangeError, /Padding_idx must be within num_embeddings/);
    throwsClean(() => F.embedding(ok, w, { sparse: true }), TypeError, /sparse gradients are not supported/);
    throwsClean(() => F.embedding(ok, w, { padding_idx: 0 } as never), TypeError, /did you mean 'paddingIdx'/);
    throwsClean(() => F.embedding(ok, w, { maxNorm: -1 }), TypeError, /option 'maxNorm' must be a number > 0 or null/);
    throwsClean(() => new nn.Embedding(10, 3, { sparse: true }), TypeError, /sparse gradients are not supported/);
    throwsClean(() => new nn.Embedding(4, 3, { paddingIdx: -5 }), RangeError, /Padding_idx must be within num_embeddings/);
    throwsClean(() => new nn.Embedding(2.5, 3), TypeError, /numEmbeddings must be a non-negative integer/);
    throwsClean(() => nn.Embedding.fromPretrained(w3), RangeError, /expected to be 2-dimensional/);
    const e = new nn.Embedding(10, 3);
    throwsClean(() => e.forward(bad), RangeError, /index 12 is out of range for 10 embeddings/);
    e.dispose();
  } finally {
    for (const t of [w, bad, neg, fidx, ok, w3]) t.dispose();
  }
});
