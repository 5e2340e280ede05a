// torch.utils.data: datasets (TensorDataset, Subset, randomSplit) and the DataLoader that batches
// them, shuffling from the seeded generator (torch.manualSeed) and collating like PyTorch's
// default_collate. Memory: each batch the loader yields is new and belongs to the caller (dispose
// it, or iterate inside torch.tidy); what the loader makes on the way (the samples' row views,
// temporaries of a collate function) is freed before the batch is handed out.
import { Tensor } from '../tensor.js';
import { tidy } from '../runtime/scope.js';
import { tensor } from '../ops/create.js';
import { copyInto } from '../ops/movement.js';
import { indexSelect } from '../ops/indexing.js';
import { noGrad } from '../autograd/grad_mode.js';
import { nextInt } from '../ops/random.js';
import { contiguousStrides, fmt, sameShape } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';

/** What a DataLoader reads: a `length` and `get(index)` for 0 ≤ index < length. PyTorch: a map-style `torch.utils.data.Dataset`. */
export interface DatasetLike<T> {
  /** The number of samples. PyTorch: `Dataset.__len__`. */
  readonly length: number;
  /** The sample at `index`. PyTorch: `Dataset.__getitem__`. */
  get(index: number): T;
}

/** The base of map-style datasets: implement `length` and `get(index)`. PyTorch: `torch.utils.data.Dataset`. */
export abstract class Dataset<T> implements DatasetLike<T> {
  /** The number of samples. PyTorch: `Dataset.__len__`. */
  abstract readonly length: number;
  /** The sample at `index`. PyTorch: `Dataset.__getitem__`. */
  abstract get(index: number): T;
}

function checkIndex(i: number, n: number, op: string): number {
  if (typeof i !== 'number') throw new TypeError(`${op}: index must be a number, got ${describeValue(i)}`);
  const j = i < 0 ? i + n : i;
  if (!Number.isInteger(i) || j < 0 || j >= n) throw new RangeError(`${op}: index ${i} is out of range for a dataset of ${n} samples`);
  return j;
}

function checkDataset(d: unknown, op: string): void {
  if (d === null || typeof d !== 'object' || typeof (d as DatasetLike<unknown>).get !== 'function'
    || !Number.isInteger((d as DatasetLike<unknown>).length) || (d as DatasetLike<unknown>).length < 0) {
    throw new TypeError(`${op}: expected a dataset (an object with a non-negative integer length and get(index)), got ${describeValue(d)}`);
  }
}

/**
 * Samples are rows of the given tensors, which share their first dimension: `get(i)` is the
 * array `[t0[i], t1[i], ...]` of views (no copy, no autograd history). PyTorch: `torch.utils.data.TensorDataset`.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, in the order given. PyTorch: `TensorDataset.tensors`. */
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    const op = 'TensorDataset';
    if (tensors.length === 0) throw new TypeError(`${op}: expected at least one tensor`);
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`${op}: argument ${i} is not a Tensor (got ${describeValue(t)})`);
      t.ptr(op);
      if (t.ndim === 0) throw new RangeError(`${op}: tensor ${i} is 0-dim; every tensor needs a first dimension to index`);
    });
    const n = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== n);
    if (bad >= 0) throw new RangeError(`${op}: size mismatch between tensors: tensor 0 has ${n} rows (shape ${fmt(tensors[0].shape)}), tensor ${bad} has shape ${fmt(tensors[bad].shape)}`);
    this.tensors = tensors;
  }
  /** The number of rows. PyTorch: `len(dataset)`. */
  get length(): number { return this.tensors[0].shape[0]; }
  /** Row `index` (negative counts from the end) of every tensor, as views. PyTorch: `dataset[index]`. */
  get(index: number): Tensor[] {
    const i = checkIndex(index, this.length, 'TensorDataset.get');
    // a view of a freed storage would be freed again by the garbage-collection net
    for (const t of this.tensors) t.ptr('TensorDataset.get');
    return this.tensors.map((t) => t.view_(t.shape.slice(1), t.strides.slice(1), t.offset + i * t.strides[0]));
  }
}

/** The samples of `dataset` at `indices`, in that order. PyTorch: `torch.utils.data.Subset`. */
export class Subset<T> extends Dataset<T> {
  /** The underlying dataset. PyTorch: `Subset.dataset`. */
  readonly dataset: DatasetLike<T>;
  /** The positions in `dataset` this subset reads. PyTorch: `Subset.indices`. */
  readonly indices: number[];
  constructor(dataset: DatasetLike<T>, indices: Iterable<number>) {
    super();
    checkDataset(dataset, 'Subset');
    if (indices === null || typeof indices !== 'object' || typeof (indices as Iterable<number>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`Subset: indices must be an iterable of integers, got ${describeValue(indices)}`);
    }
    const list = [...indices];
    const n = dataset.length;
    list.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new TypeError(`Subset: index ${i} is ${describeValue(v)}; expected an integer`);
      // checked here rather than at get(): a bad index in a DataLoader's subset would fail mid-epoch
      if (v < -n || v >= n) throw new RangeError(`Subset: index ${v} (at position ${i}) is out of range for a dataset of ${n} samples`);
    });
    this.dataset = dataset;
    this.indices = list;
  }
  /** The number of indices. PyTorch: `len(subset)`. */
  get length(): number { return this.indices.length; }
  /** The sample `dataset.get(indices[index])`. PyTorch: `subset[index]`. */
  get(index: number): T { return this.dataset.get(this.indices[checkIndex(index, this.indices.length, 'Subset.get')]); }
}

/** 0..n−1 in a random order (Fisher–Yates on the seeded generator). */
function randperm(n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = nextInt(0, i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/**
 * Splits `dataset` at random into non-overlapping subsets of the given lengths: integers that sum
 * to its length, or fractions that sum to 1 (each floor(n·f), the remainder handed out one by one
 * from the first, as PyTorch 2.x). The order comes from the seeded generator. PyTorch: `torch.utils.data.random_split`.
 */
export function randomSplit<T>(dataset: DatasetLike<T>, lengths: number[]): Subset<T>[] {
  const op = 'randomSplit';
  checkDataset(dataset, op);
  if (!Array.isArray(lengths)) throw new TypeError(`${op}: lengths must be an array of non-negative numbers, got ${describeValue(lengths)}`);
  lengths.forEach((l, i) => {
    if (typeof l !== 'number') throw new TypeError(`${op}: lengths must be non-negative numbers, got ${describeValue(l)} at index ${i}`);
    if (!(l >= 0) || l === Infinity) throw new TypeError(`${op}: lengths must be non-negative numbers, got ${l} at index ${i}`);
  });
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  let sizes: number[];
  if (Math.abs(total - 1) <= 1e-9 && total <= n) {
    lengths.forEach((f, i) => { if (f > 1) throw new RangeError(`${op}: fraction at index ${i} (${f}) is not between 0 and 1`); });
    sizes = lengths.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
  } else {
    const bad = lengths.findIndex((l) => !Number.isInteger(l));
    if (bad >= 0) throw new RangeError(`${op}: length ${lengths[bad]} at index ${bad} is neither an integer nor part of fractions summing to 1`);
    sizes = [...lengths];
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) throw new RangeError(`${op}: the lengths [${lengths.join(', ')}] sum to ${sum}, not to the length of the dataset (${n})`);
  const perm = randperm(n);
  let at = 0;
  return sizes.map((s) => { const sub = new Subset(dataset, perm.slice(at, at + s)); at += s; return sub; });
}

/** The type `defaultCollate` turns a sample type into: tensors and numbers stack, arrays and objects collate per field. PyTorch: none (Python is untyped). */
export type Collated<T> = T extends Tensor ? Tensor
  : T extends number | boolean ? Tensor
    : T extends string ? string[]
      : T extends readonly unknown[] ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object ? { [K in keyof T]: Collated<T[K]> }
          : never;

/** Tensors of one shape and dtype stacked along a new dim 0, copied into one new tensor (no autograd history). */
function stackSamples(batch: Tensor[], op: string): Tensor {
  const first = batch[0];
  batch.forEach((t, i) => {
    t.ptr(op);
    if (!sameShape(t.shape, first.shape)) {
      throw new RangeError(`${op}: stack expects each tensor to be equal size, but got ${fmt(first.shape)} at entry 0 and ${fmt(t.shape)} at entry ${i}`);
    }
    if (t.dtype !== first.dtype) throw new TypeError(`${op}: stack expects one dtype, but got ${first.dtype} at entry 0 and ${t.dtype} at entry ${i}`);
  });
  const shape = [...first.shape];
  const numel = first.numel();
  const out = Tensor.empty([batch.length, ...shape], first.dtype, op);
  if (numel > 0) {
    batch.forEach((t, i) => {
      const dst = out.view_(shape, contiguousStrides(shape), i * numel);
      copyInto(t, dst, op);
      dst.dispose();
    });
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Merges a list of samples into a batch as PyTorch's default_collate: tensors stack along a new
 * dim 0; numbers become a 1-D tensor (int32 when all are integers, as PyTorch's int64, else
 * float32); booleans a tensor of them; strings stay an array; arrays and plain objects are
 * collated position by position and key by key. PyTorch: `torch.utils.data.default_collate`.
 */
export function defaultCollate<T>(batch: T[]): Collated<T> {
  return collate(batch, 'defaultCollate') as Collated<T>;
}

function collate(batch: unknown[], op: string): unknown {
  if (!Array.isArray(batch)) throw new TypeError(`${op}: expected an array of samples, got ${describeValue(batch)}`);
  if (batch.length === 0) throw new RangeError(`${op}: cannot collate an empty batch`);
  const elem = batch[0];
  const same = (pred: (v: unknown) => boolean, what: string): void => {
    const bad = batch.findIndex((v) => !pred(v));
    if (bad >= 0) throw new TypeError(`${op}: sample 0 is ${what} but sample ${bad} is ${describeValue(batch[bad])}`);
  };
  if (elem instanceof Tensor) {
    same((v) => v instanceof Tensor, 'a Tensor');
    return stackSamples(batch as Tensor[], op);
  }
  if (typeof elem === 'number') {
    same((v) => typeof v === 'number', 'a number');
    const nums = batch as number[];
    const ints = nums.every((v) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
    return ints ? tensor(Int32Array.from(nums)) : tensor(Float32Array.from(nums));
  }
  if (typeof elem === 'boolean') {
    same((v) => typeof v === 'boolean', 'a boolean');
    return tensor(batch as boolean[]);
  }
  if (typeof elem === 'string') {
    same((v) => typeof v === 'string', 'a string');
    return [...batch];
  }
  if (Array.isArray(elem)) {
    same(Array.isArray, 'an array');
    const len = elem.length;
    const bad = batch.findIndex((v) => (v as unknown[]).length !== len);
    if (bad >= 0) throw new RangeError(`${op}: each element in list of batch should be of equal size: sample 0 has ${len} items, sample ${bad} has ${(batch[bad] as unknown[]).length}`);
    return Array.from({ length: len }, (_, k) => collate(batch.map((v) => (v as unknown[])[k]), op));
  }
  if (isPlainObject(elem)) {
    same(isPlainObject, 'a plain object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      const bad = batch.findIndex((v) => !(key in (v as Record<string, unknown>)));
      if (bad >= 0) throw new RangeError(`${op}: sample ${bad} has no key '${key}' (sample 0 has [${Object.keys(elem).join(', ')}])`);
      out[key] = collate(batch.map((v) => (v as Record<string, unknown>)[key]), op);
    }
    return out;
  }
  throw new TypeError(`${op}: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found ${describeValue(elem)}`);
}

/** Options of a DataLoader. PyTorch: `batch_size`, `shuffle`, `drop_last`, `collate_fn`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch, a positive integer (default 1). PyTorch: `batch_size`. */
  batchSize?: number;
  /** Draw a new order each epoch from the seeded generator (default false). PyTorch: `shuffle`. */
  shuffle?: boolean;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). PyTorch: `drop_last`. */
  dropLast?: boolean;
  /** Merges the samples of a batch (default `defaultCollate`); return tensors in arrays or plain objects. PyTorch: `collate_fn`. */
  collate?: (samples: T[]) => B;
}

/**
 * Iterates over a dataset in batches: `for (const [x, y] of loader)`. Each iteration of the
 * loader is one epoch (a new order when `shuffle`). Every batch is a new tensor (or tensors) that
 * belongs to the caller: dispose it (or `using`), or run the loop inside `torch.tidy`; the sample
 * views and temporaries of collating are freed before the batch is handed out. PyTorch: `torch.utils.data.DataLoader`.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  /** The dataset read. PyTorch: `DataLoader.dataset`. */
  readonly dataset: DatasetLike<T>;
  /** Samples per batch. PyTorch: `DataLoader.batch_size`. */
  readonly batchSize: number;
  /** Whether each epoch draws a new order. PyTorch: `shuffle` (a `RandomSampler`). */
  readonly shuffle: boolean;
  /** Whether a last, smaller batch is left out. PyTorch: `DataLoader.drop_last`. */
  readonly dropLast: boolean;
  /** The function merging samples into a batch. PyTorch: `DataLoader.collate_fn`. */
  readonly collate: (samples: T[]) => B;
  constructor(dataset: DatasetLike<T>, options?: DataLoaderOptions<T, B>) {
    const op = 'DataLoader';
    checkDataset(dataset, op);
    const o = checkOptions(op, options, { batchSize: 'integer', shuffle: 'boolean', dropLast: 'boolean', collate: 'function' });
    const bs = o.batchSize ?? 1;
    if (bs < 1) throw new RangeError(`${op}: batchSize must be a positive integer, got ${bs}`);
    this.dataset = dataset;
    this.batchSize = bs;
    this.shuffle = o.shuffle ?? false;
    this.dropLast = o.dropLast ?? false;
    this.collate = o.collate ?? ((samples: T[]) => defaultCollate(samples) as unknown as B);
    this.gatherRows = o.collate === undefined && dataset instanceof TensorDataset;
  }
  /** A TensorDataset with the default collate: each batch is one row gather per tensor (same result, no per-sample views). */
  private readonly gatherRows: boolean;
  /** The number of batches per epoch. PyTorch: `len(loader)`. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }
  /** One epoch of batches; the order is drawn when the iteration starts. PyTorch: `iter(loader)`. */
  [Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    const order = this.shuffle ? randperm(n) : Array.from({ length: n }, (_, i) => i);
    return this.batches(order);
  }
  private *batches(order: number[]): Generator<B> {
    const { dataset, batchSize, dropLast, collate } = this;
    for (let start = 0; start < order.length; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      if (idx.length < batchSize && dropLast) return;
      if (this.gatherRows) {
        yield tidy(() => {
          const index = tensor(Int32Array.from(idx));
          return noGrad(() => (dataset as unknown as TensorDataset).tensors.map((t) => indexSelect(t, 0, index))) as unknown as B;
        });
        continue;
      }
      // the samples (fresh views) and any temporaries are freed; the batch survives
      yield tidy(() => collate(idx.map((i) => dataset.get(i))));
    }
  }
}
