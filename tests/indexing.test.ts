// Indexing and joining: narrow, select, indexSelect, gather, scatter, scatterAdd, tril, triu,
// cat, stack, chunk, split, flip, repeat — against PyTorch (tests/fixtures/gen_indexing.py →
// indexing.json), against finite differences, and on bad input (named errors that change
// nothing and leak nothing).
// Tolerances: the forward values are copies (exact up to float32), the gradients sum repeated
// indices and tiles in another order than PyTorch: 1e-5 relative, 1e-6 absolute. Finite
// differences: the shared helper's float32 step 1e-2 and tolerance 2e-2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences as fd, type FixtureCase, type OpFn } from './oracle.js';

const T = (x: Tensor | number): Tensor => x as Tensor;
const i32 = (data: number[] | number[][] | number[][][]): Tensor => torch.tensor(data, { dtype: 'int32' });

// ---- PyTorch fixtures ------------------------------------------------------------------------

let lastPieces: number[][] = [];
/** chunk/split results flattened and joined, as the generator records them; shapes kept for the check. */
function joined(ps: Tensor[]): Tensor {
  lastPieces = ps.map((p) => [...p.shape]);
  return torch.cat(ps.map((p) => p.reshape(-1)));
}

const OPS: Record<string, OpFn> = {
  narrow: ([a], kw) => T(a).narrow(kw.dim, kw.start, kw.length),
  select: ([a], kw) => T(a).select(kw.dim, kw.index),
  indexSelect: ([a, i], kw) => T(a).indexSelect(kw.dim, T(i)),
  gather: ([a, i], kw) => T(a).gather(kw.dim, T(i)),
  scatter: ([a, i, s], kw) => T(a).scatter(kw.dim, T(i), s === undefined ? kw.value : T(s)),
  scatterAdd: ([a, i, s], kw) => T(a).scatterAdd(kw.dim, T(i), T(s)),
  tril: ([a], kw) => T(a).tril(kw.diagonal),
  triu: ([a], kw) => torch.triu(T(a), kw.diagonal),
  cat: (ts, kw) => torch.cat(ts as Tensor[], kw.dim),
  cat_t: ([a, b], kw) => torch.cat([T(a).t(), T(b)], kw.dim),
  stack: (ts, kw) => torch.stack(ts as Tensor[], kw.dim),
  chunk: ([a], kw) => joined(T(a).chunk(kw.chunks, kw.dim)),
  split: ([a], kw) => joined(torch.split(T(a), kw.split, kw.dim)),
  flip: ([a], kw) => T(a).flip(kw.dims),
  repeat: ([a], kw) => T(a).repeat(kw.sizes),
};

const fixture = loadFixture<{ cases: (FixtureCase & { pieces?: number[][] })[] }>('indexing.json');
for (const c of fixture.cases) {
  test(`oracle: ${c.name}`, () => {
    checkCase(c, 1e-5, 1e-6, OPS);
    if (c.pieces) assert.deepEqual(lastPieces, c.pieces, `${c.name}: piece shapes`);
  });
}

// ---- finite differences ----------------------------------------------------------------------

torch.manualSeed(11);
const k = <X extends Tensor>(t: X): X => torch.keep(t);
const C23 = k(torch.randn(3, 2)), C34 = k(torch.randn(3, 4)), SRC32 = k(torch.randn(3, 2)), BASE34 = k(torch.randn(3, 4));
const IDX = k(i32([2, 0, 2, 3])), GIDX = k(i32([[0, 3, 3], [1, 1, 1], [2, 0, 2]]));
const SIDX = k(i32([[0, 3], [2, 1], [3, 0]])), AIDX = k(i32([[0, 0, 2], [1, 1, 1], [3, 0, 3]]));

const fdCases: [string, (x: Tensor) => Tensor, number[]][] = [
  ['narrow negative start', (x) => x.narrow(1, -3, 2), [3, 4]],
  ['select negative dim', (x) => x.select(-1, 1), [3, 4]],
  ['indexSelect repeated indices', (x) => x.indexSelect(1, IDX), [3, 4]],
  ['indexSelect dim 0', (x) => torch.indexSelect(x, 0, IDX.narrow(0, 0, 2)), [3, 4]],
  ['gather repeated indices', (x) => x.gather(1, GIDX), [3, 4]],
  ['gather of a transposed input', (x) => x.t().gather(1, GIDX), [4, 3]],
  ['scatter w.r.t. the input', (x) => x.scatter(1, SIDX, SRC32), [3, 4]],
  ['scatter w.r.t. src', (s) => BASE34.scatter(1, SIDX, s), [3, 2]],
  ['scatter w.r.t. a src larger than the index', (s) => BASE34.scatter(1, SIDX.narrow(0, 0, 2), s), [3, 5]],
  ['scatter of a number', (x) => x.scatter(1, SIDX.narrow(1, 0, 1), 1.5), [3, 4]],
  ['scatterAdd w.r.t. the input', (x) => x.scatterAdd(1, AIDX, C34.narrow(1, 0, 3)), [3, 4]],
  ['scatterAdd w.r.t. src, repeated indices', (s) => torch.scatterAdd(BASE34, 1, AIDX, s), [3, 3]],
  ['scatterAdd w.r.t. a src larger than the index', (s) => BASE34.scatterAdd(0, AIDX.narrow(0, 0, 1).narrow(1, 0, 2), s), [2, 4]],
  ['cat of the input twice and a constant', (x) => torch.cat([x, C23, x.mul(2)], -1), [3, 2]],
  ['stack', (x) => torch.stack([x, C23, x], 1), [3, 2]],
  ['chunk', (x) => { const p = x.chunk(3, 1); return torch.cat([p[2], p[0].mul(2), p[1].neg()], 1); }, [2, 5]],
  ['split by sizes', (x) => { const p = x.split([2, 1, 1]); return torch.cat([p[1].mul(3), p[0], p[2].exp()]); }, [4, 2]],
  ['split by size', (x) => { const p = torch.split(x, 2, -1); return torch.cat([p[1], p[0].mul(p[0])], 1); }, [2, 3]],
  ['flip', (x) => x.flip(0, -1), [3, 4]],
  ['repeat with new leading dims', (x) => x.repeat(2, 1, 3), [2, 3]],
  ['repeat of size-1 dims', (x) => x.repeat(3, 2), [1, 2]],
  ['tril batched', (x) => x.tril(-1), [2, 3, 4]],
  ['triu', (x) => x.triu(1), [3, 4]],
];
for (const [name, fn, shape] of fdCases) test(`finite differences: ${name}`, () => fd(name, fn, shape));

// ---- behaviour beyond the fixtures -------------------------------------------------------------

test('narrow, select, chunk and split are views of the same storage', () => {
  torch.tidy(() => {
    const x = torch.zeros(3, 4);
    const n = x.narrow(1, 1, 2), s = x.select(0, -1), [c0] = x.chunk(2, 1), [, p1] = x.split([1, 2]);
    torch.noGrad(() => { n.fill_(1); s.add_(10); c0.add_(100); p1.add_(1000); });
    assert.deepEqual(x.tolist(), [
      [100, 101, 1, 0],
      [1100, 1101, 1001, 1000],
      [1110, 1111, 1011, 1010],
    ]);
  });
});

test('a view keeps its storage alive after the base is disposed, and frees it with the last holder', () => {
  const before = torch.memory();
  const x = torch.randn(4, 5);
  const v = x.narrow(0, 1, 2);
  const [a, b] = x.chunk(2);
  const expected = x.toFloat32Array().slice(5, 15);
  x.dispose();
  assert.deepEqual(Array.from(v.toFloat32Array()), Array.from(expected));
  a.dispose(); b.dispose();
  assert.ok(torch.memory().bytesInUse > before.bytesInUse, 'v still holds the storage');
  v.dispose();
  assert.equal(torch.memory().bytesInUse, before.bytesInUse);
  assert.equal(torch.memory().liveTensors, before.liveTensors);
});

test('gradFn names are PyTorch\'s', () => {
  torch.tidy(() => {
    const x = torch.randn(3, 4, { requiresGrad: true });
    const i = i32([[0], [1], [2]]);
    const names: [Tensor, string][] = [
      [x.narrow(0, 0, 1), 'SliceBackward0'], [x.select(0, 0), 'SelectBackward0'],
      [x.indexSelect(0, i32([1])), 'IndexSelectBackward0'], [x.gather(1, i), 'GatherBackward0'],
      [x.scatter(1, i, x), 'ScatterBackward0'], [x.scatter(1, i, 0), 'ScatterBackward1'],
      [x.scatterAdd(1, i, x), 'ScatterAddBackward0'], [x.tril(), 'TrilBackward0'], [x.triu(), 'TriuBackward0'],
      [torch.cat([x, x]), 'CatBackward0'], [torch.stack([x, x]), 'StackBackward0'],
      [x.chunk(2)[0], 'SplitBackward0'], [x.split(2)[1], 'SplitBackward0'], [x.split([1, 2])[0], 'SplitWithSizesBackward0'],
      [x.flip(0), 'FlipBackward0'], [x.repeat(1, 2), 'RepeatBackward0'],
    ];
    for (const [t, name] of names) assert.equal(t.gradFn?.name, name);
  });
});

const hasBool = typeof (torch.Tensor.prototype as { gt?: unknown }).gt === 'function';
test('cat and stack promote dtypes as PyTorch 2.x (bool < int32 < float32)', { skip: !hasBool && 'no bool tensors yet (comparisons)' }, () => {
  torch.tidy(() => {
    const b = torch.tensor([1, 0]).gt(0.5);
    const n = i32([7, -3]);
    const f = torch.tensor([0.5, 1.5]);
    const bi = torch.cat([b, n]);
    assert.equal(bi.dtype, 'int32');
    assert.deepEqual(bi.tolist(), [1, 0, 7, -3]);
    const nf = torch.stack([n, f, b]);
    assert.equal(nf.dtype, 'float32');
    assert.deepEqual(nf.tolist(), [[7, -3], [0.5, 1.5], [1, 0]]);
    assert.equal(torch.cat([b, b]).dtype, 'bool');
    assert.deepEqual(b.flip(0).tolist(), [false, true]);
    // bool scatterAdd ors, as PyTorch
    const bb = torch.tensor([[0, 0, 1]]).gt(0.5);
    assert.deepEqual(bb.scatterAdd(1, i32([[0, 0, 2]]), torch.tensor([[1, 1, 0]]).gt(0.5)).tolist(), [[true, false, true]]);
  });
});

test('gather, scatter and indexSelect read strided inputs and indices', () => {
  torch.tidy(() => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]).t(); // [3, 2], strides [1, 3]
    const idx = i32([[1, 0, 2], [0, 0, 1]]).t(); // [3, 2], not contiguous
    assert.deepEqual(x.gather(0, idx).tolist(), [[2, 4], [1, 4], [3, 5]]);
    assert.deepEqual(x.indexSelect(0, i32([2, 0, 0, 2]).narrow(0, 1, 3)).tolist(), [[1, 4], [1, 4], [3, 6]]);
    // column 1 writes row 0 twice: the last write wins
    assert.deepEqual(torch.zeros(3, 2).scatter(0, idx, x).tolist(), [[2, 5], [1, 6], [3, 0]]);
  });
});

test('scatter with a number writes it in the input\'s dtype', () => {
  torch.tidy(() => {
    const n = torch.zeros(2, 3, { dtype: 'int32' });
    assert.deepEqual(n.scatter(1, i32([[2], [0]]), 7.9).tolist(), [[0, 0, 7], [7, 0, 0]]);
    const f = torch.zeros(1, 2);
    assert.deepEqual(f.scatter(1, i32([[1]]), -0.25).tolist(), [[0, -0.25]]);
  });
});

test('chunk and split follow PyTorch\'s sizes', () => {
  torch.tidy(() => {
    const shapes = (ps: Tensor[]) => ps.map((p) => p.shape[0]);
    const x = torch.randn(10);
    assert.deepEqual(shapes(x.chunk(4)), [3, 3, 3, 1]);
    assert.deepEqual(shapes(x.chunk(6)), [2, 2, 2, 2, 2]);
    assert.deepEqual(shapes(x.chunk(1)), [10]);
    assert.deepEqual(shapes(x.split(4)), [4, 4, 2]);
    assert.deepEqual(shapes(torch.zeros(0).split(0)), [0]);
    assert.deepEqual(shapes(torch.zeros(0).chunk(2)), [0, 0]);
  });
});

test('every op frees what it allocates: forward and backward inside tidy leave memory as it was', () => {
  const before = torch.memory();
  torch.tidy(() => {
    const x = torch.randn(3, 4, { requiresGrad: true });
    const i = i32([[0, 1], [3, 3], [2, 0]]);
    const parts = [
      x.narrow(1, 1, 2), x.select(0, 1).unsqueeze(0).narrow(1, 0, 2), x.indexSelect(1, i32([3, 3])), x.gather(1, i),
      x.scatter(1, i, 1).narrow(1, 0, 2), x.scatterAdd(1, i, x).narrow(1, 2, 2), x.tril().narrow(1, 0, 2),
      x.triu(1).t().narrow(0, 0, 2).t(), x.flip(1).narrow(1, 0, 2), x.repeat(1, 2).narrow(1, 3, 2),
      torch.stack(x.chunk(2, 1), 0).sum(0), torch.cat(x.split([1, 3], 1).reverse(), 1).narrow(1, 1, 2),
    ];
    torch.cat(parts).sum().backward();
    assert.equal(x.grad!.shape.join(), '3,4');
  });
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors);
  assert.equal(after.bytesInUse, before.bytesInUse);
});

test('no graph is recorded for int32 inputs or under noGrad', () => {
  torch.tidy(() => {
    const n = i32([[1, 2], [3, 4]]);
    assert.equal(torch.cat([n, n]).gradFn, null);
    const x = torch.randn(2, 2, { requiresGrad: true });
    torch.noGrad(() => assert.equal(x.gather(0, i32([[1, 0]])).gradFn, null));
    assert.equal(x.gather(0, i32([[1, 0]])).requiresGrad, true);
  });
});

// ---- bad input: a named error, nothing changed, nothing leaked -------------------------------

const values = (t: Tensor): number[] => (t.dtype === 'float32' ? Array.from(t.toFloat32Array()) : Array.from(t.toInt32Array()));

/**
 * `op(...args)` throws a `kind` matching `pattern`, and leaves memory, the live-tensor count and
 * every watched tensor as they were. The arguments are made by the caller (before the snapshot)
 * and disposed here.
 */
function refused(kind: typeof Error, pattern: RegExp, args: unknown[], op: (...a: any[]) => unknown, ...watched: Tensor[]): void {
  const before = watched.map(values);
  const mem = torch.memory();
  assert.throws(() => op(...args), (e: Error) => {
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e.constructor.name}: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
  assert.equal(torch.memory().bytesInUse, mem.bytesInUse, 'no memory leaked');
  assert.equal(torch.memory().liveTensors, mem.liveTensors, 'no tensor leaked');
  watched.forEach((t, i) => assert.deepEqual(values(t), before[i], 'input unchanged'));
  for (const a of args) if (a instanceof torch.Tensor) a.dispose();
  for (const a of args) if (Array.isArray(a)) for (const t of a) if (t instanceof torch.Tensor && !watched.includes(t)) t.dispose();
}

const X = k(torch.randn(3, 4, { requiresGrad: true }));
const Xnc = k(X.detach().t()); // [4, 3], not contiguous
const scalar = (): Tensor => torch.tensor(1);

test('narrow and select: bad dims, starts, lengths and indices', () => {
  refused(RangeError, /narrow: dimension 2 is out of range for a tensor of 2 dims \(expected in \[-2, 1\]\)/, [], () => X.narrow(2, 0, 1), X);
  refused(RangeError, /narrow: start 5 is out of range for dimension 1 of size 4 \(expected in \[-4, 4\]\)/, [], () => X.narrow(1, 5, 0), X);
  refused(RangeError, /narrow: start -5 is out of range/, [], () => X.narrow(1, -5, 1), X);
  refused(RangeError, /narrow: start \(1\) \+ length \(4\) exceeds dimension 1 of size 4/, [], () => X.narrow(1, 1, 4), X);
  refused(RangeError, /narrow: start \(1\) \+ length \(-1\) exceeds/, [], () => X.narrow(0, 1, -1), X);
  refused(TypeError, /narrow: start must be an integer, got 1.5/, [], () => X.narrow(0, 1.5, 1), X);
  refused(RangeError, /narrow: cannot be applied to a 0-dim tensor/, [scalar()], (s) => s.narrow(0, 0, 1));
  refused(RangeError, /select: index 4 is out of range for dimension 1 with size 4 \(shape \[3, 4\]; expected in \[-4, 3\]\)/, [], () => X.select(1, 4), X);
  refused(RangeError, /select: dimension -3 is out of range/, [], () => X.select(-3, 0), X);
  refused(RangeError, /select: cannot be applied to a 0-dim tensor/, [scalar()], (s) => s.select(0, 0));
});

test('indexSelect: out-of-range and negative indices, index dtype and shape', () => {
  refused(RangeError, /indexSelect: index 4 is out of bounds for dimension 1 with size 4 \(at position \[1\] of the index/, [i32([0, 4])], (i) => X.indexSelect(1, i), X);
  refused(RangeError, /indexSelect: index -1 is out of bounds for dimension 0 with size 3/, [i32([-1])], (i) => X.indexSelect(0, i), X);
  // a strided index is made dense first: the temporary is freed when the check fails
  refused(RangeError, /index 4 is out of bounds for dimension 0 with size 4 \(at position \[2\]/, [i32([[0, 9], [3, 9], [4, 9], [1, 9]]).select(1, 0)], (i) => { assert.ok(!i.isContiguous()); return Xnc.indexSelect(0, i); }, Xnc);
  refused(TypeError, /indexSelect: index must be an int32 tensor \(PyTorch's int64 indices are int32 in wasmtorch\), got float32/, [torch.tensor([1])], (i) => X.indexSelect(1, i), X);
  refused(RangeError, /indexSelect: index must be 1-D \(or 0-D\), got shape \[1, 1\]/, [i32([[1]])], (i) => X.indexSelect(1, i), X);
  refused(TypeError, /indexSelect: index must be a Tensor, got object/, [], () => X.indexSelect(1, [1] as unknown as Tensor), X);
  refused(RangeError, /indexSelect: dimension 2 is out of range/, [i32([0])], (i) => X.indexSelect(2, i), X);
});

test('gather: indices out of range (the last one too), negative, wrong dims and sizes', () => {
  refused(RangeError, /gather: index 4 is out of bounds for dimension 1 with size 4 \(at position \[2, 1\] of the index; indices must be in \[0, 3\]\)/, [i32([[0, 1], [2, 3], [3, 4]])], (i) => X.gather(1, i), X);
  refused(RangeError, /gather: index -1 is out of bounds for dimension 0 with size 3 \(at position \[0, 1\]/, [i32([[0, -1]])], (i) => X.gather(0, i), X);
  refused(RangeError, /gather: index must have as many dims as the input: index of shape \[2\] has 1, input of shape \[3, 4\] has 2/, [i32([0, 1])], (i) => X.gather(1, i), X);
  refused(RangeError, /gather: index of shape \[4, 1\] is larger than the input of shape \[3, 4\] at dimension 0/, [i32([[0], [0], [0], [0]])], (i) => X.gather(1, i), X);
  refused(TypeError, /gather: index must be an int32 tensor/, [torch.zeros(3, 1)], (i) => X.gather(1, i), X);
});

test('scatter and scatterAdd: indices, src shapes and dtypes are checked before anything is written', () => {
  const src = k(torch.randn(3, 2));
  const base = k(torch.randn(3, 4));
  refused(RangeError, /scatter: index 4 is out of bounds for dimension 1 with size 4 \(at position \[2, 1\]/, [i32([[0, 1], [2, 3], [1, 4]])], (i) => base.scatter(1, i, src), base, src);
  refused(RangeError, /scatterAdd: index -2 is out of bounds for dimension 0 with size 3/, [i32([[0, 1], [-2, 0]])], (i) => base.scatterAdd(0, i, src), base, src);
  refused(RangeError, /scatter: index of shape \[1, 3\] is larger than src of shape \[3, 2\] at dimension 1/, [i32([[0, 1, 2]])], (i) => base.scatter(1, i, src), base, src);
  refused(RangeError, /scatter: index of shape \[4, 1\] is larger than the input of shape \[3, 4\] at dimension 0/, [i32([[0], [1], [2], [0]]), torch.randn(4, 1)], (i, s) => base.scatter(1, i, s), base);
  refused(TypeError, /scatter: src \(int32\) must have the input's dtype \(float32\)/, [i32([[0]]), torch.ones(3, 2, { dtype: 'int32' })], (i, s) => base.scatter(1, i, s), base);
  refused(RangeError, /scatter: src must have as many dims as the input/, [i32([[0]]), torch.ones(3)], (i, s) => base.scatter(1, i, s), base);
  refused(TypeError, /scatterAdd: src must be a Tensor, got number/, [i32([[0]])], (i) => base.scatterAdd(1, i, 1 as unknown as Tensor), base);
  refused(TypeError, /scatter: index must be an int32 tensor/, [torch.zeros(1, 1)], (i) => base.scatter(1, i, 0), base);
  if (hasBool) {
    const b = k((base as unknown as { gt(v: number): Tensor }).gt(0));
    refused(TypeError, /gather: index must be an int32 tensor .* got bool/, [], () => X.gather(1, b), X);
    b.dispose();
  }
  src.dispose(); base.dispose();
});

test('cat and stack: the mismatching tensor and dim are named, and nothing is allocated', () => {
  const a = k(torch.randn(2, 3)), b = k(torch.randn(2, 4));
  refused(RangeError, /cat: sizes of tensors must match except in dimension 0: expected size 3 but got size 4 in dimension 1 for tensor 2 in the list \(shape \[2, 4\]; tensor 0 has shape \[2, 3\]\)/, [], () => torch.cat([a, a, b]), a, b);
  refused(RangeError, /cat: tensors must have the same number of dims: tensor 0 has 2 \(shape \[2, 3\]\) and tensor 1 has 1 \(shape \[3\]\)/, [torch.randn(3)], (v) => torch.cat([a, v], 1), a);
  refused(RangeError, /cat: dimension 2 is out of range for a tensor of 2 dims/, [], () => torch.cat([a, b], 2), a, b);
  refused(RangeError, /cat: expected a non-empty array of tensors/, [], () => torch.cat([]));
  refused(TypeError, /cat: expected an array of tensors, got object/, [], () => torch.cat(a as unknown as Tensor[]), a);
  refused(TypeError, /cat: element 1 of the list must be a Tensor, got number/, [], () => torch.cat([a, 1 as unknown as Tensor]), a);
  refused(RangeError, /cat: zero-dimensional tensor \(at position 0\) cannot be concatenated/, [scalar(), scalar()], (s, t) => torch.cat([s, t]));
  refused(RangeError, /stack: expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[2, 4\] at entry 1/, [], () => torch.stack([a, b]), a, b);
  refused(RangeError, /stack: dimension 3 is out of range for a tensor of 3 dims/, [], () => torch.stack([a, a], 3), a);
  refused(RangeError, /stack: expected a non-empty array of tensors/, [], () => torch.stack([]));
  const d = torch.randn(2);
  d.dispose();
  refused(Error, /cat: the tensor of shape \[2\] was disposed/, [], () => torch.cat([a, d]), a);
  a.dispose(); b.dispose();
});

test('chunk, split, flip, repeat, tril and triu: bad arguments', () => {
  refused(RangeError, /chunk: expects chunks to be greater than 0, got 0/, [], () => X.chunk(0), X);
  refused(RangeError, /chunk: dimension 2 is out of range/, [], () => X.chunk(2, 2), X);
  refused(RangeError, /chunk: expects at least a 1-dimensional tensor/, [scalar()], (s) => s.chunk(1));
  refused(RangeError, /split: the split size can be 0 only if the dimension's size is 0, but dimension 0 has size 3/, [], () => X.split(0), X);
  refused(RangeError, /split: the split size must be non-negative, got -1/, [], () => X.split(-1), X);
  refused(RangeError, /split: split sizes \[1, 1\] sum to 2, expected exactly 3 \(the size of dimension 0 of shape \[3, 4\]\)/, [], () => X.split([1, 1], 0), X);
  refused(RangeError, /split: split sizes must be non-negative, got \[4, -1\]/, [], () => X.split([4, -1]), X);
  refused(TypeError, /split: every split size must be an integer, got 1.5/, [], () => X.split([1.5, 1.5]), X);
  refused(RangeError, /flip: dim 0 appears multiple times in the list of dims \[0, -2\]/, [], () => X.flip(0, -2), X);
  refused(RangeError, /flip: dimension 2 is out of range/, [], () => X.flip(2), X);
  refused(RangeError, /repeat: the number of repeats \(1, \[2\]\) cannot be smaller than the tensor's number of dims \(2, shape \[3, 4\]\)/, [], () => X.repeat(2), X);
  refused(RangeError, /repeat: repeat counts must be non-negative, got \[1, -1\]/, [], () => X.repeat(1, -1), X);
  refused(RangeError, /tril: expected a tensor of at least 2 dims \(a matrix or a batch of matrices\), got shape \[5\]/, [torch.randn(5)], (v) => v.tril());
  refused(TypeError, /triu: diagonal must be an integer, got 0.5/, [], () => X.triu(0.5), X);
});

test('a failed op leaves the graph and gradients alone', () => {
  const x = torch.randn(2, 3, { requiresGrad: true });
  const bad = i32([[0, 9]]);
  assert.throws(() => x.gather(1, bad), RangeError);
  x.narrow(1, 0, 2).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [[1, 1, 0], [1, 1, 0]]);
  x.dispose(); bad.dispose();
});
