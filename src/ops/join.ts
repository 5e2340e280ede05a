// Joining and splitting: cat, stack, chunk, split (views), flip and repeat, each with its
// gradient. cat and stack validate every input before the output is allocated, promote dtypes
// as PyTorch 2.x does (bool < int32 < float32) and copy each input, whatever its strides, into
// its slab of the output with one kernel call (assembly/indexing.ts copyToStrided).
import { Tensor, type DType } from '../tensor.js';
import { needsGrad, record } from '../autograd/graph.js';
import { fmt, normDim, numelOf, contiguousStrides } from '../shape.js';
import { reshape, type Dims } from './movement.js';
import { sum } from './reduce.js';
import { intArg, tensorArg, stridedCopy, zerosOf, sliceView, narrow, select } from './indexing.js';

/** The promoted dtype of a list (bool < int32 < float32), as PyTorch 2.x's torch.cat. */
function promote(dtypes: readonly DType[]): DType {
  if (dtypes.includes('float32')) return 'float32';
  if (dtypes.includes('int32')) return 'int32';
  return 'bool';
}

function tensorList(tensors: unknown, op: string): Tensor[] {
  if (!Array.isArray(tensors)) throw new TypeError(`${op}: expected an array of tensors, got ${tensors === null ? 'null' : typeof tensors}`);
  if (tensors.length === 0) throw new RangeError(`${op}: expected a non-empty array of tensors`);
  return tensors.map((t, i) => tensorArg(t, `element ${i} of the list`, op));
}

/** PyTorch's legacy rule, kept in 2.x: a 1-D tensor of size 0 is skipped by cat whatever the other shapes. */
const skipped = (t: Tensor): boolean => t.ndim === 1 && t.shape[0] === 0;

/** The tensors joined along an existing dimension `dim` (default 0); sizes must match elsewhere. PyTorch: `torch.cat`. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const op = 'cat';
  const list = tensorList(tensors, op);
  intArg(dim, 'dim', op);
  list.forEach((t, i) => {
    if (t.ndim === 0) throw new RangeError(`cat: zero-dimensional tensor (at position ${i}) cannot be concatenated; use stack() or unsqueeze it`);
  });
  const dtype = promote(list.map((t) => t.dtype));
  const first = list.findIndex((t) => !skipped(t));
  if (first < 0) {
    // only legacy empty tensors: PyTorch returns an empty 1-D tensor
    normDim(dim, 1, op);
    const out = Tensor.empty([0], dtype, op);
    if (needsGrad(...list)) record('CatBackward0', out, list, () => list.map(() => zerosOf([0], 'float32', 'backward')));
    return out;
  }
  const ref = list[first];
  const d = normDim(dim, ref.ndim, op);
  let total = 0;
  list.forEach((t, i) => {
    if (skipped(t)) return;
    if (t.ndim !== ref.ndim) {
      throw new RangeError(`cat: tensors must have the same number of dims: tensor ${first} has ${ref.ndim} (shape ${fmt(ref.shape)}) and tensor ${i} has ${t.ndim} (shape ${fmt(t.shape)})`);
    }
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw new RangeError(`cat: sizes of tensors must match except in dimension ${d}: expected size ${ref.shape[k]} but got size ${t.shape[k]} in dimension ${k} for tensor ${i} in the list (shape ${fmt(t.shape)}; tensor ${first} has shape ${fmt(ref.shape)})`);
      }
    }
    total += t.shape[d];
  });
  const shape = [...ref.shape];
  shape[d] = total;
  const out = Tensor.empty(shape, dtype, op); // allocated only once every input passed
  const cs = contiguousStrides(shape);
  const starts: number[] = [];
  let at = 0;
  for (const t of list) {
    starts.push(at);
    if (skipped(t)) continue;
    stridedCopy(t.ptr(op), t.strides, out.ptr(op) + at * cs[d] * 4, cs, t.shape, dtype === 'float32' && t.dtype !== 'float32');
    at += t.shape[d];
  }
  if (needsGrad(...list)) {
    const sizes = list.map((t) => (skipped(t) ? -1 : t.shape[d]));
    // each input's gradient is its slab of g, as a view (PyTorch's CatBackward0 narrows g too)
    record('CatBackward0', out, list, (g, needs) => sizes.map((n, i) => {
      if (!needs[i]) return null;
      return n < 0 ? zerosOf([0], 'float32', 'backward') : narrow(g, d, starts[i], n);
    }));
  }
  return out;
}

/** The tensors (all of one shape) joined along a new dimension `dim` (default 0). PyTorch: `torch.stack`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const op = 'stack';
  const list = tensorList(tensors, op);
  const ref = list[0];
  const d = normDim(intArg(dim, 'dim', op), ref.ndim + 1, op);
  list.forEach((t, i) => {
    if (t.ndim !== ref.ndim || t.shape.some((s, k) => s !== ref.shape[k])) {
      throw new RangeError(`stack: expects each tensor to be equal size, but got ${fmt(ref.shape)} at entry 0 and ${fmt(t.shape)} at entry ${i}`);
    }
  });
  const dtype = promote(list.map((t) => t.dtype));
  const shape = [...ref.shape];
  shape.splice(d, 0, list.length);
  const out = Tensor.empty(shape, dtype, op);
  const cs = contiguousStrides(shape);
  const slab = cs.filter((_, k) => k !== d);
  list.forEach((t, i) => {
    stridedCopy(t.ptr(op), t.strides, out.ptr(op) + i * cs[d] * 4, slab, t.shape, dtype === 'float32' && t.dtype !== 'float32');
  });
  if (needsGrad(...list)) {
    record('StackBackward0', out, list, (g, needs) => list.map((_, i) => (needs[i] ? select(g, d, i) : null)));
  }
  return out;
}

/** Views of consecutive pieces of dim d of the given sizes. */
function pieces(t: Tensor, d: number, sizes: readonly number[], op: string, gradName: string): Tensor[] {
  const out: Tensor[] = [];
  let at = 0;
  for (const n of sizes) { out.push(sliceView(t, d, at, n, op, gradName)); at += n; }
  return out;
}

function splitDim(t: Tensor, dim: number, op: string): number {
  tensorArg(t, 'input', op);
  if (t.ndim === 0) throw new RangeError(`${op}: expects at least a 1-dimensional tensor, got a 0-dim one`);
  return normDim(intArg(dim, 'dim', op), t.ndim, op);
}

/**
 * `chunks` views along `dim` (default 0) of ⌈size/chunks⌉ elements each, the last smaller; fewer
 * chunks come back when the size runs out first. PyTorch: `torch.chunk`.
 */
export function chunk(t: Tensor, chunks: number, dim = 0): Tensor[] {
  const op = 'chunk';
  const d = splitDim(t, dim, op);
  intArg(chunks, 'chunks', op);
  if (chunks < 1) throw new RangeError(`chunk: expects chunks to be greater than 0, got ${chunks}`);
  const n = t.shape[d];
  const size = Math.ceil(n / chunks);
  if (n === 0) return pieces(t, d, new Array<number>(chunks).fill(0), op, 'SplitBackward0');
  const count = Math.ceil(n / size);
  return pieces(t, d, Array.from({ length: count }, (_, i) => Math.min(size, n - i * size)), op, 'SplitBackward0');
}

/**
 * Views along `dim` (default 0): pieces of `splitSizeOrSections` elements (the last smaller), or
 * of each size in the array (which must sum to the dim's size). PyTorch: `torch.split`.
 */
export function split(t: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const op = 'split';
  const d = splitDim(t, dim, op);
  const n = t.shape[d];
  if (Array.isArray(splitSizeOrSections)) {
    const sizes = splitSizeOrSections as readonly number[];
    sizes.forEach((s) => intArg(s, 'every split size', op));
    if (sizes.some((s) => s < 0)) throw new RangeError(`split: split sizes must be non-negative, got ${fmt(sizes)}`);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) {
      throw new RangeError(`split: split sizes ${fmt(sizes)} sum to ${total}, expected exactly ${n} (the size of dimension ${d} of shape ${fmt(t.shape)})`);
    }
    return pieces(t, d, sizes, op, 'SplitWithSizesBackward0');
  }
  const size = intArg(splitSizeOrSections, 'splitSizeOrSections', op);
  if (size < 0) throw new RangeError(`split: the split size must be non-negative, got ${size}`);
  if (size === 0 && n !== 0) throw new RangeError(`split: the split size can be 0 only if the dimension's size is 0, but dimension ${d} has size ${n}`);
  const count = n === 0 ? 1 : Math.ceil(n / size);
  return pieces(t, d, Array.from({ length: count }, (_, i) => Math.min(size, n - i * size)), op, 'SplitBackward0');
}

/** A copy with the order of the elements reversed along each of `dims`. PyTorch: `torch.flip`. */
export function flip(t: Tensor, dims: readonly number[]): Tensor {
  const op = 'flip';
  tensorArg(t, 'input', op);
  if (!Array.isArray(dims)) throw new TypeError(`flip: dims must be an array of dims, got ${typeof dims}`);
  const ds = dims.map((k) => normDim(intArg(k, 'every dim', op), t.ndim, op));
  const seen = new Set<number>();
  for (const k of ds) {
    if (seen.has(k)) throw new RangeError(`flip: dim ${k} appears multiple times in the list of dims ${fmt(dims)}`);
    seen.add(k);
  }
  const out = flipRaw(t, ds, op);
  if (needsGrad(t)) record('FlipBackward0', out, [t], (g) => [flipRaw(g, ds, 'backward')]);
  return out;
}

/** The reversed copy: t read from the last element of each flipped dim with its stride negated. */
function flipRaw(t: Tensor, ds: readonly number[], op: string): Tensor {
  const out = Tensor.empty(t.shape, t.dtype, op);
  if (out.numel() === 0) return out;
  const strides = [...t.strides];
  let offset = 0;
  for (const k of ds) {
    if (t.ndim === 0) continue;
    offset += (t.shape[k] - 1) * strides[k];
    strides[k] = -strides[k];
  }
  stridedCopy(t.ptr(op) + offset * 4, strides, out.ptr(op), contiguousStrides(t.shape), t.shape);
  return out;
}

/** The tensor tiled `sizes[i]` times along each dim (extra leading sizes add dims). PyTorch: `torch.Tensor.repeat`. */
export function repeat(t: Tensor, sizes: readonly number[]): Tensor {
  const op = 'repeat';
  tensorArg(t, 'input', op);
  if (!Array.isArray(sizes)) throw new TypeError(`repeat: sizes must be numbers or one array, got ${typeof sizes}`);
  sizes.forEach((s) => intArg(s, 'every repeat count', op));
  if (sizes.length < t.ndim) {
    throw new RangeError(`repeat: the number of repeats (${sizes.length}, ${fmt(sizes)}) cannot be smaller than the tensor's number of dims (${t.ndim}, shape ${fmt(t.shape)})`);
  }
  if (sizes.some((s) => s < 0)) throw new RangeError(`repeat: repeat counts must be non-negative, got ${fmt(sizes)}`);
  const lead = sizes.length - t.ndim;
  const inShape = [...new Array<number>(lead).fill(1), ...t.shape];
  const inStrides = [...new Array<number>(lead).fill(0), ...t.strides];
  const outShape = sizes.map((r, i) => r * inShape[i]);
  // the output read as [r0, s0, r1, s1, ...] (a size-1 part dropped): the tiles have stride 0 in t
  const parts: number[] = [], partStrides: number[] = [], tileDims: number[] = [];
  sizes.forEach((r, i) => {
    if (r !== 1) { tileDims.push(parts.length); parts.push(r); partStrides.push(0); }
    if (inShape[i] !== 1 || r === 1) { parts.push(inShape[i]); partStrides.push(inStrides[i]); }
  });
  if (parts.length > 16) {
    throw new RangeError(`repeat: repeating shape ${fmt(t.shape)} by ${fmt(sizes)} needs ${parts.length} strided dims; at most 16 are supported`);
  }
  const out = Tensor.empty(outShape, t.dtype, op);
  stridedCopy(t.ptr(op), partStrides, out.ptr(op), contiguousStrides(parts), parts);
  if (needsGrad(t)) {
    const shape = [...t.shape];
    // each input element's gradient is the sum over its tiles
    record('RepeatBackward0', out, [t], (g) => {
      if (tileDims.length === 0) return [reshape(g, shape)];
      const gp = reshape(g, parts);
      const s = sum(gp, tileDims);
      gp.dispose();
      const r = reshape(s, shape);
      s.dispose();
      return [r];
    });
  }
  return out;
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** `chunks` views along `dim` of ⌈size/chunks⌉ elements each (the last smaller, maybe fewer chunks). PyTorch: `torch.Tensor.chunk`. */
    chunk(chunks: number, dim?: number): Tensor[];
    /** Views along `dim` of `splitSizeOrSections` elements each, or of each size in the array. PyTorch: `torch.Tensor.split`. */
    split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
    /** A copy with the elements reversed along each of `dims`. PyTorch: `torch.Tensor.flip`. */
    flip(...dims: Dims): Tensor;
    /** The tensor tiled `sizes[i]` times along each dim (extra leading sizes add dims). PyTorch: `torch.Tensor.repeat`. */
    repeat(...sizes: Dims): Tensor;
  }
}
