// Reductions: sum, mean, max/min (whole tensor or along a dim, with indices), argmax/argmin,
// and sumToShape, the one place broadcast gradients are summed back to an input's shape.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Reduce } from '../runtime/kernels.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { noGrad } from '../autograd/grad_mode.js';
import { normDim, fmt, aroundDim, numelOf } from '../shape.js';
import { dense, reshape, expand } from './movement.js';
import { mul } from './elementwise.js';
import { assertFloat } from './elementwise.js';

/** Reduces dim d of t (kept as size 1) with a kernel op; no graph. */
function reduceDim(t: Tensor, d: number, code: number, op: string): Tensor {
  const c = dense(t);
  const shape = [...t.shape];
  const [outer, n, inner] = aroundDim(shape, d);
  if (n === 0 && code !== Reduce.sum) {
    if (c !== t) c.dispose();
    throw new RangeError(`${op}: cannot reduce an empty dimension ${d} of shape ${fmt(t.shape)}`);
  }
  shape[d] = 1;
  const out = Tensor.empty(shape, code >= Reduce.argmax ? 'int32' : 'float32', op);
  if (n === 0) K().fill(out.ptr(op), out.numel(), 0);
  else K().reduce(code, c.ptr(op), out.ptr(op), outer, n, inner);
  if (c !== t) c.dispose();
  return out;
}

function dimList(t: Tensor, dim: number | number[] | undefined, op: string): number[] {
  if (dim === undefined || (Array.isArray(dim) && dim.length === 0)) return t.shape.map((_, i) => i).reverse();
  const dims = (Array.isArray(dim) ? dim : [dim]).map((d) => normDim(d, t.ndim, op));
  if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dim ${fmt(dims)} repeats a dimension`);
  return dims.sort((a, b) => b - a);
}

function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((s, i) => (dims.includes(i) ? 1 : s)) : shape.filter((_, i) => !dims.includes(i));
}

/** Sum over dims with no graph: the kernel once per dim. */
function sumRaw(t: Tensor, dims: number[], keepdim: boolean, op: string): Tensor {
  let cur = t;
  if (t.ndim === 0 || dims.length === t.ndim) {
    // whole tensor: one row of numel elements
    const c = dense(t);
    const out = Tensor.empty(reducedShape(t.shape, dims, keepdim), 'float32', op);
    if (c.numel() === 0) K().fill(out.ptr(op), 1, 0);
    else K().reduce(Reduce.sum, c.ptr(op), out.ptr(op), 1, c.numel(), 1);
    if (c !== t) c.dispose();
    return out;
  }
  for (const d of dims) {
    const next = reduceDim(cur, d, Reduce.sum, op);
    if (cur !== t) cur.dispose();
    cur = next;
  }
  if (!keepdim) {
    const out = reshape(cur, reducedShape(t.shape, dims, false));
    cur.dispose();
    return out;
  }
  return cur;
}

/** The gradient of a reduction: g laid out with kept dims, expanded to the input's shape. */
function expandBack(g: Tensor, inShape: readonly number[], dims: number[]): Tensor {
  return expand(reshape(g, reducedShape(inShape, dims, true)), [...inShape]);
}

export function sum(t: Tensor, dim?: number | number[], keepdim = false): Tensor {
  assertFloat(t, 'sum');
  const dims = dimList(t, dim, 'sum');
  const out = sumRaw(t, dims, keepdim, 'sum');
  if (needsGrad(t)) {
    const inShape = [...t.shape];
    record('SumBackward' + (dim === undefined ? '0' : '1'), out, [t], (g) => [expandBack(g, inShape, dims)]);
  }
  return out;
}

export function mean(t: Tensor, dim?: number | number[], keepdim = false): Tensor {
  assertFloat(t, 'mean');
  const dims = dimList(t, dim, 'mean');
  const count = dims.reduce((n, d) => n * (t.shape[d] ?? 1), 1);
  const s = sumRaw(t, dims, keepdim, 'mean');
  const out = noGrad(() => mul(s, 1 / count));
  s.dispose();
  if (needsGrad(t)) {
    const inShape = [...t.shape];
    record('MeanBackward' + (dim === undefined ? '0' : '1'), out, [t], (g) => [expandBack(mul(g, 1 / count), inShape, dims)]);
  }
  return out;
}

/** Sums g over broadcast dims so it has `shape` (the engine's central un-broadcast). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.ndim === shape.length && g.shape.every((s, i) => s === shape[i])) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = sumRaw(g, dims.sort((a, b) => b - a), true, 'backward');
  const out = reshape(s, [...shape]);
  s.dispose();
  return out;
}

// ---- max / min / argmax / argmin ----------------------------------------------------------

function extremeDim(t: Tensor, dim: number, keepdim: boolean, isMax: boolean, op: string): { values: Tensor; indices: Tensor } {
  assertFloat(t, op);
  const d = normDim(dim, t.ndim, op);
  const dd = t.ndim === 0 ? 0 : d;
  const src = t.ndim === 0 ? reshape(t, [1]) : t;
  const indices = reduceDim(src, dd, isMax ? Reduce.argmax : Reduce.argmin, op);
  const values = reduceDim(src, dd, isMax ? Reduce.max : Reduce.min, op);
  if (src !== t) src.dispose();
  const shape = t.ndim === 0 ? [] : reducedShape(t.shape, [d], keepdim);
  const v = reshape(values, shape), i = reshape(indices, shape);
  values.dispose(); indices.dispose();
  if (needsGrad(t)) {
    const inShape = [...t.shape], si = save(i);
    record(isMax ? 'MaxBackward0' : 'MinBackward0', v, [t], (g) => [indexGrad(g, si, inShape, dd)], [si]);
  }
  return { values: v, indices: i };
}

/** Gradient that flows only to the selected index along dim d. */
function indexGrad(g: Tensor, idx: Tensor, inShape: number[], d: number): Tensor {
  const shape = inShape.length === 0 ? [1] : inShape;
  const gc = dense(g), ic = dense(idx);
  const out = Tensor.empty(inShape, 'float32', 'backward');
  K().indexBackward(gc.ptr('backward'), ic.ptr('backward'), out.ptr('backward'), ...aroundDim(shape, d));
  if (gc !== g) gc.dispose();
  if (ic !== idx) ic.dispose();
  return out;
}

function extremeAll(t: Tensor, isMax: boolean, op: string): Tensor {
  if (t.numel() === 0) throw new RangeError(`${op}: expected a non-empty tensor, got shape ${fmt(t.shape)}`);
  const flat = reshape(t, [t.numel()]);
  const { values, indices } = noGrad(() => extremeDim(flat, 0, false, isMax, op));
  flat.dispose();
  if (needsGrad(t)) {
    const inShape = [...t.shape], si = save(indices);
    record(isMax ? 'MaxBackward1' : 'MinBackward1', values, [t], (g) => {
      const gflat = indexGrad(g, si, [numelOf(inShape)], 0);
      return [reshape(gflat, inShape)];
    }, [si]);
  }
  indices.dispose();
  return values;
}

export const maxAll = (t: Tensor): Tensor => extremeAll(t, true, 'max');
export const minAll = (t: Tensor): Tensor => extremeAll(t, false, 'min');
export const maxDim = (t: Tensor, dim: number, keepdim = false) => extremeDim(t, dim, keepdim, true, 'max');
export const minDim = (t: Tensor, dim: number, keepdim = false) => extremeDim(t, dim, keepdim, false, 'min');

function argExtreme(t: Tensor, dim: number | undefined, keepdim: boolean, isMax: boolean): Tensor {
  const op = isMax ? 'argmax' : 'argmin';
  assertFloat(t, op);
  if (dim !== undefined) normDim(dim, t.ndim, op);
  if (dim === undefined || t.ndim === 0) {
    if (t.numel() === 0) throw new RangeError(`${op}: expected a non-empty tensor, got shape ${fmt(t.shape)}`);
    const flat = reshape(t, [t.numel()]);
    const r = reduceDim(flat, 0, isMax ? Reduce.argmax : Reduce.argmin, op);
    flat.dispose();
    const out = reshape(r, keepdim ? t.shape.map(() => 1) : []);
    r.dispose();
    return out;
  }
  const d = normDim(dim, t.ndim, op);
  const r = reduceDim(t, d, isMax ? Reduce.argmax : Reduce.argmin, op);
  const out = reshape(r, reducedShape(t.shape, [d], keepdim));
  r.dispose();
  return out;
}

export const argmax = (t: Tensor, dim?: number, keepdim = false): Tensor => argExtreme(t, dim, keepdim, true);
export const argmin = (t: Tensor, dim?: number, keepdim = false): Tensor => argExtreme(t, dim, keepdim, false);

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** Sum of all elements, or over `dim`, dropping it unless `keepdim`. PyTorch: `torch.Tensor.sum`. */
    sum(dim?: number | number[], keepdim?: boolean): Tensor;
    /** Mean of all elements, or over `dim`, dropping it unless `keepdim`. PyTorch: `torch.Tensor.mean`. */
    mean(dim?: number | number[], keepdim?: boolean): Tensor;
    /** The largest element, as a 0-dim tensor. PyTorch: `torch.Tensor.max()`. */
    max(): Tensor;
    /** The largest values along `dim` and their int32 indices. PyTorch: `torch.Tensor.max(dim)`. */
    max(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
    /** The smallest element, as a 0-dim tensor. PyTorch: `torch.Tensor.min()`. */
    min(): Tensor;
    /** The smallest values along `dim` and their int32 indices. PyTorch: `torch.Tensor.min(dim)`. */
    min(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
    /** Index (int32) of the largest element, flattened or along `dim`. PyTorch: `torch.Tensor.argmax`. */
    argmax(dim?: number, keepdim?: boolean): Tensor;
    /** Index (int32) of the smallest element, flattened or along `dim`. PyTorch: `torch.Tensor.argmin`. */
    argmin(dim?: number, keepdim?: boolean): Tensor;
  }
}
