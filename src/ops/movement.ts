// Views and copies: reshape/view, transpose/t/permute, expand, squeeze/unsqueeze, flatten
// share storage (zero-copy); contiguous and clone copy through the strided kernel.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { writeMeta } from '../runtime/storage.js';
import { needsGrad, record } from '../autograd/graph.js';
import { fmt, normDim, checkSize, contiguousStrides, numelOf } from '../shape.js';
import { describeValue } from '../options.js';

export { normDim };

/** normDim for a user-given dim: a non-number is a TypeError naming it (else '0' read as 'dimension 0 is out of range'). */
function dimOf(dim: number, nd: number, op: string): number {
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${describeValue(dim)}`);
  return normDim(dim, nd, op);
}

/** Copies src's elements (any strides) into dst of the same shape (any strides that do not overlap). */
export function copyInto(src: Tensor, dst: Tensor, op: string): void {
  const scalar = src.shape.length === 0;
  const shape = scalar ? [1] : src.shape;
  K().copyStrided(src.ptr(op), dst.ptr(op), shape.length, writeMeta([shape, scalar ? [1] : src.strides, scalar ? [1] : dst.strides]));
}

/** A contiguous copy that records nothing. */
export function copyOf(t: Tensor, op = 'contiguous'): Tensor {
  t.ptr(op);
  const out = Tensor.empty(t.shape, t.dtype, op);
  copyInto(t, out, op);
  return out;
}

/** A row-major copy, or t's own data when already contiguous (and `force` is false). PyTorch: `torch.Tensor.contiguous`. */
export function contiguous(t: Tensor, force = false, op = 'contiguous'): Tensor {
  if (!force && t.isContiguous()) return viewAs(t, t.shape, t.strides, t.offset, op);
  const out = copyOf(t, op);
  if (needsGrad(t)) record('CloneBackward0', out, [t], (g) => [g]);
  return out;
}

/** t itself when contiguous, else a contiguous copy that records nothing (the caller disposes it). */
export function dense(t: Tensor, op = 'contiguous'): Tensor {
  t.ptr(op);
  return t.isContiguous() ? t : copyOf(t, op);
}

/** A contiguous copy that gradients flow through. PyTorch: `torch.clone`. */
export function clone(t: Tensor): Tensor { return contiguous(t, true, 'clone'); }

/** A view of the same data, cut from the graph. PyTorch: `torch.detach`. */
export function detach(t: Tensor): Tensor {
  t.ptr('detach');
  return t.view_(t.shape, t.strides, t.offset, true); // shares the version counter, but is no view (as PyTorch)
}

/** A view recording ViewBackward-style gradients via `back` (gradient of the view → input). */
function viewAs(t: Tensor, shape: number[], strides: number[], offset: number, op: string,
                gradName?: string, back?: (g: Tensor) => Tensor): Tensor {
  t.ptr(op);
  const out = t.view_(shape, strides, offset);
  if (gradName && back && needsGrad(t)) record(gradName, out, [t], (g) => [back(g)]);
  else if (needsGrad(t)) record('AliasBackward0', out, [t], (g) => [g]);
  return out;
}

function inferShape(t: Tensor, size: number[], op: string): number[] {
  const n = t.numel();
  let infer = -1, known = 1;
  for (let i = 0; i < size.length; i++) {
    if (size[i] === -1) {
      if (infer >= 0) throw new RangeError(`${op}: only one dimension can be -1, got ${fmt(size)}`);
      infer = i;
    } else {
      if (typeof size[i] !== 'number') throw new TypeError(`${op}: sizes must be numbers, got ${describeValue(size[i])} at position ${i} of ${fmt(size)}`);
      if (!Number.isInteger(size[i]) || size[i] < 0) throw new RangeError(`${op}: invalid size ${fmt(size)}: expected non-negative integers and at most one -1`);
      known *= size[i];
    }
  }
  const out = [...size];
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new RangeError(`${op}: shape ${fmt(size)} is invalid for input of size ${n} (shape ${fmt(t.shape)})`);
    out[infer] = n / known;
  } else if (known !== n) {
    throw new RangeError(`${op}: shape ${fmt(size)} is invalid for input of size ${n} (shape ${fmt(t.shape)})`);
  }
  return out;
}

/** A view in a new shape (one size may be −1); the tensor must be contiguous. PyTorch: `torch.Tensor.view`. */
export function view(t: Tensor, size: number[]): Tensor {
  const shape = inferShape(t, size, 'view');
  if (!t.isContiguous()) {
    throw new RangeError(`view: a tensor of shape ${fmt(t.shape)} with strides ${fmt(t.strides)} is not contiguous; use reshape() or contiguous() first`);
  }
  const inShape = t.shape;
  return viewAs(t, shape, contiguousStrides(shape), t.offset, 'view', 'ViewBackward0', (g) => reshape(g, inShape));
}

/** The same data in a new shape (one size may be −1): a view when possible, else a copy. PyTorch: `torch.reshape`. */
export function reshape(t: Tensor, size: number[]): Tensor {
  const shape = inferShape(t, size, 'reshape');
  if (t.isContiguous()) {
    const inShape = t.shape;
    return viewAs(t, shape, contiguousStrides(shape), t.offset, 'reshape', 'ViewBackward0', (g) => reshape(g, inShape));
  }
  const c = contiguous(t, false, 'reshape');
  const out = reshape(c, shape);
  c.dispose();
  return out;
}

/** A view with the dimensions reordered. PyTorch: `torch.permute`. */
export function permute(t: Tensor, dims: number[]): Tensor {
  const nd = t.ndim;
  if (dims.length !== nd) throw new RangeError(`permute: expected ${nd} dims for a tensor of shape ${fmt(t.shape)}, got ${fmt(dims)}`);
  const p = dims.map((d) => dimOf(d, nd, 'permute'));
  if (new Set(p).size !== nd) throw new RangeError(`permute: dims ${fmt(dims)} repeat a dimension`);
  const inv = new Array<number>(nd);
  p.forEach((d, i) => { inv[d] = i; });
  return viewAs(t, p.map((d) => t.shape[d]), p.map((d) => t.strides[d]), t.offset, 'permute',
    'PermuteBackward0', (g) => permute(g, inv));
}

/** A view with dimensions `dim0` and `dim1` swapped. PyTorch: `torch.transpose`. */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const nd = t.ndim;
  if (nd === 0) return viewAs(t, [], [], t.offset, 'transpose');
  const a = dimOf(dim0, nd, 'transpose'), b = dimOf(dim1, nd, 'transpose');
  const p = Array.from({ length: nd }, (_, i) => i);
  p[a] = b; p[b] = a;
  return viewAs(t, p.map((d) => t.shape[d]), p.map((d) => t.strides[d]), t.offset, 'transpose',
    'TransposeBackward0', (g) => transpose(g, a, b));
}

/** A 2-D tensor transposed, as a view (0-D and 1-D as they are). PyTorch: `torch.t`. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, got shape ${fmt(x.shape)}; use transpose(d0, d1)`);
  return x.ndim < 2 ? viewAs(x, x.shape, x.strides, x.offset, 't') : transpose(x, 0, 1);
}

/** A broadcast view to a larger size, no copy (−1 keeps a dimension). PyTorch: `torch.Tensor.expand`. */
export function expand(x: Tensor, size: number[]): Tensor {
  const nd = size.length;
  if (nd < x.ndim) throw new RangeError(`expand: the number of sizes (${nd}) must be at least the tensor's dims (${x.ndim}, shape ${fmt(x.shape)})`);
  const shape = new Array<number>(nd), strides = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const j = i - (nd - x.ndim);
    const cur = j >= 0 ? x.shape[j] : 1;
    const want = size[i] === -1 ? cur : size[i];
    if (j < 0 && size[i] === -1) throw new RangeError(`expand: -1 is not allowed for a new leading dim (sizes ${fmt(size)})`);
    if (cur !== want && cur !== 1) {
      throw new RangeError(`expand: the size ${cur} of dim ${i} (shape ${fmt(x.shape)}) must match ${want} or be 1 (sizes ${fmt(size)})`);
    }
    shape[i] = want;
    strides[i] = j < 0 || cur !== want ? 0 : x.strides[j];
  }
  checkSize(shape, 'expand');
  // the engine sums the broadcast gradient back to x's shape
  return viewAs(x, shape, strides, x.offset, 'expand', 'ExpandBackward0', (g) => g);
}

/** A view without size-1 dimensions (all of them, or `dim`). PyTorch: `torch.squeeze`. */
export function squeeze(x: Tensor, dim?: number): Tensor {
  const inShape = x.shape;
  let keep: number[];
  if (dim === undefined) keep = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  else {
    const d = dimOf(dim, x.ndim, 'squeeze');
    keep = x.shape.map((_, i) => i).filter((i) => i !== d || x.shape[i] !== 1);
  }
  return viewAs(x, keep.map((i) => x.shape[i]), keep.map((i) => x.strides[i]), x.offset, 'squeeze',
    'SqueezeBackward0', (g) => reshape(g, inShape));
}

/** A view with a size-1 dimension inserted at `dim`. PyTorch: `torch.unsqueeze`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = dimOf(dim, x.ndim + 1, 'unsqueeze');
  const shape = [...x.shape], strides = [...x.strides];
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.ndim ? x.strides[d] * x.shape[d] : 1);
  const inShape = x.shape;
  return viewAs(x, shape, strides, x.offset, 'unsqueeze', 'UnsqueezeBackward0', (g) => reshape(g, inShape));
}

/** Dimensions `startDim` to `endDim` merged into one. PyTorch: `torch.flatten`. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = dimOf(startDim, x.ndim, 'flatten'), e = dimOf(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${fmt(x.shape)}`);
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
/** Sizes or dims as separate numbers or one array: `reshape(2, 3)` or `reshape([2, 3])`. */
export type Dims = number[] | [number[]];
/** The sizes or dims of a `Dims` rest parameter as one array. */
export function flatDims(dims: Dims): number[] {
  return dims.length === 1 && Array.isArray(dims[0]) ? [...dims[0]] : (dims as number[]);
}

declare module '../tensor.js' {
  interface Tensor {
    /** A view of the same data, cut from the graph. PyTorch: `torch.Tensor.detach`. */
    detach(): Tensor;
    /** A contiguous copy that gradients flow through. PyTorch: `torch.Tensor.clone`. */
    clone(): Tensor;
    /** The same data in a new shape (one size may be −1): a view when possible, else a copy. PyTorch: `torch.Tensor.reshape`. */
    reshape(...size: Dims): Tensor;
    /** A view in a new shape (one size may be −1); the tensor must be contiguous. PyTorch: `torch.Tensor.view`. */
    view(...size: Dims): Tensor;
    /** A view with two dimensions swapped. PyTorch: `torch.Tensor.transpose`. */
    transpose(dim0: number, dim1: number): Tensor;
    /** A view of a 2-D tensor transposed (0-D and 1-D as they are). PyTorch: `torch.Tensor.t`. */
    t(): Tensor;
    /** A view with the dimensions reordered. PyTorch: `torch.Tensor.permute`. */
    permute(...dims: Dims): Tensor;
    /** A broadcast view to a larger size, no copy (−1 keeps a dimension). PyTorch: `torch.Tensor.expand`. */
    expand(...size: Dims): Tensor;
    /** A view without size-1 dimensions (all of them, or `dim`). PyTorch: `torch.Tensor.squeeze`. */
    squeeze(dim?: number): Tensor;
    /** A view with a size-1 dimension inserted at `dim`. PyTorch: `torch.Tensor.unsqueeze`. */
    unsqueeze(dim: number): Tensor;
    /** Dimensions `startDim` to `endDim` merged into one. PyTorch: `torch.Tensor.flatten`. */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** This tensor's data when contiguous, else a row-major copy. PyTorch: `torch.Tensor.contiguous`. */
    contiguous(): Tensor;
  }
}
