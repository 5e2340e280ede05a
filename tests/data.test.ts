// torch.utils.data: TensorDataset, Subset, randomSplit, DataLoader (batching, shuffling from the
// seeded generator, dropLast, default and custom collate), and memory: the loader frees what it
// makes on the way; batches belong to the caller. PyTorch's split lengths come from nn.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture } from './oracle.js';
import { throwsClean } from './support/throws.js';

const { TensorDataset, DataLoader, Subset, randomSplit, defaultCollate, Dataset } = torch.utils.data;

const range = (n: number): Tensor => torch.tensor(Float32Array.from({ length: n }, (_, i) => i));
const labels = (n: number): Tensor => torch.tensor(Int32Array.from({ length: n }, (_, i) => i));


test('TensorDataset: rows of every tensor as views, negative indices, length; checks', () => {
  const x = range(12).reshape(6, 2), y = labels(6);
  const ds = new TensorDataset(x, y);
  assert.equal(ds.length, 6);
  const [xi, yi] = ds.get(2);
  assert.deepEqual(xi.tolist(), [4, 5]);
  assert.deepEqual(yi.shape, []);
  assert.equal(yi.item(), 2);
  assert.equal(yi.dtype, 'int32');
  assert.equal(xi.storage, x.storage, 'a view, no copy');
  assert.deepEqual(ds.get(-1)[0].tolist(), [10, 11]);
  // rows of a transposed tensor read through its strides
  const t = range(6).reshape(2, 3).t();
  assert.deepEqual(new TensorDataset(t).get(1)[0].tolist(), [1, 4]);
  assert.ok(ds.tensors[0] === x && ds.tensors[1] === y);
  assert.throws(() => ds.get(6), (e: Error) => e instanceof RangeError && /index 6 is out of range for a dataset of 6 samples/.test(e.message));
  assert.throws(() => ds.get(1.5), RangeError);
  const short = labels(5), scalar = torch.tensor(1);
  throwsClean(() => new TensorDataset(x, short), RangeError, /size mismatch between tensors: tensor 0 has 6 rows \(shape \[6, 2\]\), tensor 1 has shape \[5\]/);
  throwsClean(() => new TensorDataset(scalar), RangeError, /0-dim/);
  throwsClean(() => new TensorDataset(), TypeError, /at least one tensor/);
  throwsClean(() => new TensorDataset(x, [1, 2] as never), TypeError, /argument 1 is not a Tensor/);
});

test('DataLoader: batches in order, a last smaller batch or dropLast, length, batchSize 1 by default', () => {
  const ds = new TensorDataset(range(10).reshape(5, 2), labels(5));
  const loader = new DataLoader(ds, { batchSize: 2 });
  assert.equal(loader.length, 3);
  const seen = [...loader].map(([x, y]) => [x.tolist(), y.tolist()]);
  assert.deepEqual(seen, [
    [[[0, 1], [2, 3]], [0, 1]],
    [[[4, 5], [6, 7]], [2, 3]],
    [[[8, 9]], [4]],
  ]);
  const dropping = new DataLoader(ds, { batchSize: 2, dropLast: true });
  assert.equal(dropping.length, 2);
  assert.deepEqual([...dropping].map(([, y]) => y.tolist()), [[0, 1], [2, 3]]);
  const ones = new DataLoader(ds);
  assert.equal(ones.length, 5);
  const first = ones[Symbol.iterator]().next().value!;
  assert.deepEqual(first[0].shape, [1, 2], 'a batch of one keeps the batch dim');
  assert.equal(first[1].dtype, 'int32');
  assert.equal(new DataLoader(ds, { batchSize: 7 }).length, 1);
  assert.equal(new DataLoader(ds, { batchSize: 7, dropLast: true }).length, 0);
  assert.deepEqual([...new DataLoader(ds, { batchSize: 7, dropLast: true })], []);
});

test('DataLoader over a TensorDataset gathers rows in one pass per tensor: the same batches as collating samples', () => {
  const ds = new TensorDataset(torch.randn(23, 3, 2), labels(23), torch.randn(4, 23).t());
  torch.manualSeed(8);
  const fast = [...new DataLoader(ds, { batchSize: 5, shuffle: true })];
  torch.manualSeed(8);
  const slow = [...new DataLoader(ds, { batchSize: 5, shuffle: true, collate: defaultCollate })];
  assert.equal(fast.length, 5);
  fast.forEach((b, i) => b.forEach((t, j) => {
    assert.deepEqual(t.shape, slow[i][j].shape);
    assert.equal(t.dtype, slow[i][j].dtype);
    assert.deepEqual(t.tolist(), slow[i][j].tolist());
    assert.equal(t.requiresGrad, false);
  }));
});

test('DataLoader shuffle: a permutation per epoch from the seeded generator, reproducible with manualSeed', () => {
  const ds = new TensorDataset(labels(20));
  const loader = new DataLoader(ds, { batchSize: 6, shuffle: true });
  const epoch = (): number[] => [...loader].flatMap(([y]) => y.tolist() as number[]);
  torch.manualSeed(42);
  const a = epoch(), b = epoch();
  assert.deepEqual([...a].sort((p, q) => p - q), Array.from({ length: 20 }, (_, i) => i), 'every sample once');
  assert.notDeepEqual(a, b, 'a new order each epoch');
  assert.notDeepEqual(a, Array.from({ length: 20 }, (_, i) => i));
  torch.manualSeed(42);
  assert.deepEqual(epoch(), a, 'the same seed, the same order');
  assert.deepEqual(epoch(), b);
  // the order is drawn when the iteration starts
  torch.manualSeed(1);
  const it = loader[Symbol.iterator]();
  torch.randn(5);
  const firstBatch = (it.next().value as Tensor[])[0].tolist();
  torch.manualSeed(1);
  assert.deepEqual(([...loader][0] as Tensor[])[0].tolist(), firstBatch);
});

test('defaultCollate: tensors stack, numbers become int32 or float32, booleans a tensor, strings stay, arrays and objects recurse', () => {
  const batch = defaultCollate([
    { image: torch.tensor([1, 2]), label: 3, weight: 0.5, name: 'a', pair: [torch.tensor(1), 7], flag: true },
    { image: torch.tensor([3, 4]), label: 1, weight: 2, name: 'b', pair: [torch.tensor(2), 8], flag: false },
  ]);
  assert.deepEqual(batch.image.tolist(), [[1, 2], [3, 4]]);
  assert.equal(batch.label.dtype, 'int32', 'integers collate to int32 (PyTorch: int64)');
  assert.deepEqual(batch.label.tolist(), [3, 1]);
  assert.equal(batch.weight.dtype, 'float32');
  assert.deepEqual(batch.weight.tolist(), [0.5, 2]);
  assert.deepEqual(batch.name, ['a', 'b']);
  assert.deepEqual(batch.pair[0].tolist(), [1, 2]);
  assert.deepEqual(batch.pair[1].tolist(), [7, 8]);
  assert.deepEqual(batch.flag.shape, [2]);
  assert.deepEqual(batch.flag.toFloat32Array ? Array.from(batch.flag.toFloat32Array()).map(Boolean) : [], [true, false]);
  const ints = torch.tensor([1, 2], { dtype: 'int32' });
  assert.equal(defaultCollate([ints, ints]).dtype, 'int32');
  const a = torch.zeros(2), b = torch.zeros(3), c = torch.zeros([2], { dtype: 'int32' });
  throwsClean(() => defaultCollate([a, b]), RangeError, /stack expects each tensor to be equal size, but got \[2\] at entry 0 and \[3\] at entry 1/);
  throwsClean(() => defaultCollate([a, c]), TypeError, /one dtype/);
  throwsClean(() => defaultCollate([a, 1] as never), TypeError, /sample 0 is a Tensor but sample 1 is number 1/);
  throwsClean(() => defaultCollate([[1, 2], [3]]), RangeError, /each element in list of batch should be of equal size/);
  throwsClean(() => defaultCollate([{ x: 1 }, { y: 2 }] as never), RangeError, /sample 1 has no key 'x'/);
  throwsClean(() => defaultCollate([null] as never), TypeError, /batch must contain tensors, numbers/);
  throwsClean(() => defaultCollate([]), RangeError, /empty batch/);
});

test('DataLoader over a custom Dataset with dict samples, and with a custom collate', () => {
  class Squares extends Dataset<{ x: number; y: number }> {
    readonly length = 5;
    get(i: number): { x: number; y: number } { return { x: i, y: i * i }; }
  }
  const batches = [...new DataLoader(new Squares(), { batchSize: 3 })];
  assert.deepEqual(batches.map((b) => b.y.tolist()), [[0, 1, 4], [9, 16]]);
  const sums = [...new DataLoader(new Squares(), { batchSize: 2, collate: (s) => s.reduce((n, e) => n + e.y, 0) })];
  assert.deepEqual(sums, [1, 13, 16]);
  // a plain object with length and get works too
  const plain = { length: 3, get: (i: number) => torch.full([2], i) };
  assert.deepEqual([...new DataLoader(plain, { batchSize: 3 })][0].tolist(), [[0, 0], [1, 1], [2, 2]]);
});

test('DataLoader memory: the loader leaks nothing between batches; batches are the caller\'s (dispose, or tidy)', () => {
  const ds = new TensorDataset(torch.randn(100, 8), labels(100));
  const loader = new DataLoader(ds, { batchSize: 16, shuffle: true });
  const before = torch.memory().liveTensors;
  for (const [x, y] of loader) {
    assert.equal(torch.memory().liveTensors, before + 2, 'only the batch is alive: its sample views are freed');
    torch.tidy(() => { x.matmul(torch.ones(8, 1)).sum().add(y.shape[0]); });
    x.dispose(); y.dispose();
  }
  assert.equal(torch.memory().liveTensors, before);
  torch.tidy(() => { for (const [x] of loader) x.sum(); });
  assert.equal(torch.memory().liveTensors, before, 'iterating inside tidy frees every batch');
  // a custom collate's temporaries are freed; what it returns survives
  const custom = new DataLoader(ds, { batchSize: 10, collate: (s) => s.map(([x]) => x.mul(2)).reduce((a, b) => a.add(b)) });
  for (const batch of custom) { assert.equal(torch.memory().liveTensors, before + 1); batch.dispose(); }
  // a collate returning the samples themselves keeps them
  const identity = new DataLoader(ds, { batchSize: 4, collate: (s: Tensor[][]) => s });
  const first = identity[Symbol.iterator]().next().value!;
  assert.equal(first.length, 4);
  assert.deepEqual(first[0][1].shape, []);
  first.flat().forEach((t: Tensor) => t.dispose());
  assert.equal(torch.memory().liveTensors, before);
});

test('DataLoader options are checked', () => {
  const ds = new TensorDataset(range(4));
  assert.throws(() => new DataLoader(ds, { batch_size: 2 } as never), (e: Error) => e instanceof TypeError && /unknown option 'batch_size' \(did you mean 'batchSize'\?\); known options: batchSize, shuffle, dropLast, collate/.test(e.message));
  assert.throws(() => new DataLoader(ds, { numWorkers: 2 } as never), /unknown option 'numWorkers'/);
  assert.throws(() => new DataLoader(ds, { batchSize: 1.5 }), (e: Error) => e instanceof TypeError && /option 'batchSize' must be an integer/.test(e.message));
  assert.throws(() => new DataLoader(ds, { batchSize: 0 }), (e: Error) => e instanceof RangeError && /positive integer, got 0/.test(e.message));
  assert.throws(() => new DataLoader(ds, { shuffle: 'yes' } as never), /option 'shuffle' must be a boolean/);
  assert.throws(() => new DataLoader(ds, { collate: 1 } as never), /option 'collate' must be a function/);
  assert.throws(() => new DataLoader([1, 2, 3] as never), (e: Error) => e instanceof TypeError && /expected a dataset/.test(e.message));
  const loader = new DataLoader(ds, { batchSize: 3, shuffle: false, dropLast: false });
  assert.equal(loader.batchSize, 3);
  assert.equal(loader.dataset, ds);
});

test('randomSplit: integer lengths or fractions (PyTorch\'s rule for the remainder), disjoint, seeded; Subset', () => {
  const fx = loadFixture<{ splits: { n: number; fractions: number[]; lengths: number[] }[] }>('nn.json');
  for (const s of fx.splits) {
    const ds = new TensorDataset(labels(s.n));
    assert.deepEqual(randomSplit(ds, s.fractions).map((sub) => sub.length), s.lengths, `${s.n} by ${s.fractions}`);
  }
  const ds = new TensorDataset(labels(10));
  torch.manualSeed(3);
  const [a, b] = randomSplit(ds, [7, 3]);
  assert.ok(a instanceof Subset && a.length === 7 && b.length === 3);
  const all = [...a.indices, ...b.indices].sort((p, q) => p - q);
  assert.deepEqual(all, Array.from({ length: 10 }, (_, i) => i), 'disjoint and covering');
  assert.equal(a.get(0)[0].item(), a.indices[0]);
  torch.manualSeed(3);
  assert.deepEqual(randomSplit(ds, [7, 3])[0].indices, a.indices, 'reproducible from the seed');
  assert.deepEqual([...new DataLoader(b, { batchSize: 3 })][0][0].tolist(), b.indices);
  assert.throws(() => randomSplit(ds, [5, 4]), (e: Error) => e instanceof RangeError && /sum to 9, not to the length of the dataset \(10\)/.test(e.message));
  assert.throws(() => randomSplit(ds, [0.5, 0.6]), RangeError);
  assert.throws(() => randomSplit(ds, [-1, 11]), TypeError);
  assert.throws(() => randomSplit(ds, [2.5, 7.5]), /neither an integer nor part of fractions/);
  const sub = new Subset(ds, [9, 0]);
  assert.equal(sub.get(-2)[0].item(), 9);
  assert.throws(() => sub.get(2), /index 2 is out of range for a dataset of 2 samples/);
  assert.throws(() => new Subset(ds, [0.5]), TypeError);
});
