// Reductions: sum, mean, prod, var/std, logsumexp, norm, amax/amin, max/min (whole tensor or along
// a dim, with indices), argmax/argmin, cumsum; and sumToShape, the one place broadcast gradients
// are summed back to an input's shape. Every reduction, over any set of dims, is one kernel call
// on an [outer, n, inner] layout of the input (layoutOf); its backward is one kernel call too.
import { Tensor, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { rows } from '../runtime/parallel.js';
import { Reduce } from '../runtime/kernels.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { noGrad } from '../autograd/grad_mode.js';
import { normDim, fmt, aroundDim, numelOf, contiguousStrides } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense, reshape, expand } from './movement.js';
import { mul, sub, exp } from './elementwise.js';

// ---- shared machinery -----------------------------------------------------------------------

type DimArg = number | number[] | null | undefined;

/** Throws a TypeError unless t has one of the dtypes; `what` ends PyTorch-style messages. */
function checkDtype(t: Tensor, op: string, allowed: readonly DType[]): void {
  t.ptr(op);
  if (!allowed.includes(t.dtype)) {
    throw new TypeError(`${op}: expected a ${allowed.join(' or ')} tensor, got ${t.dtype} of shape ${fmt(t.shape)}`);
  }
}

function checkKeepdim(keepdim: unknown, op: string): boolean {
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: keepdim must be a boolean, got ${describeValue(keepdim)}`);
  return keepdim;
}

/** The reduced dims, ascending and distinct; none given (or []) means every dim. */
function dimList(t: Tensor, dim: DimArg, op: string): number[] {
  if (dim === undefined || dim === null || (Array.isArray(dim) && dim.length === 0)) return t.shape.map((_, i) => i);
  if (typeof dim !== 'number' && !(Array.isArray(dim) && dim.every((d) => typeof d === 'number'))) {
    throw new TypeError(`${op}: dim must be a number or an array of numbers, got ${describeValue(dim)}`);
  }
  const dims = (Array.isArray(dim) ? dim : [dim]).map((d) => normDim(d, t.ndim, op));
  if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dim ${fmt(dims)} repeats a dimension`);
  return t.ndim === 0 ? [] : dims.sort((a, b) => a - b);
}

function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((s, i) => (dims.includes(i) ? 1 : s)) : shape.filter((_, i) => !dims.includes(i));
}

function reducedCount(shape: readonly number[], dims: readonly number[]): number {
  return dims.reduce((n, d) => n * shape[d], 1);
}

/**
 * The input as a contiguous [outer, n, inner] block with the reduced dims in the middle: t's
 * own data when they are adjacent (size-1 dims ignored), else a copy with the kept dims first
 * and the reduced ones last (perm). The kept dims keep their order, so the result's data
 * matches [outer, inner] either way.
 */
interface Layout { src: Tensor; outer: number; n: number; inner: number; perm: number[] | null }

function layoutOf(t: Tensor, dims: readonly number[], op: string): Layout {
  const shape = t.shape;
  const red = new Set(dims);
  const sig = shape.map((s, i) => (s === 1 ? '' : red.has(i) ? 'r' : 'k')).join('');
  if (/^k*r*k*$/.test(sig)) {
    let outer = 1, n = 1, inner = 1, seen = false;
    for (let i = 0; i < shape.length; i++) {
      if (red.has(i)) { n *= shape[i]; if (shape[i] !== 1) seen = true; } else if (seen) inner *= shape[i]; else outer *= shape[i];
    }
    return { src: dense(t, op), outer, n, inner, perm: null };
  }
  const kept = shape.map((_, i) => i).filter((i) => !red.has(i));
  const perm = [...kept, ...dims];
  const view = t.view_(perm.map((d) => shape[d]), perm.map((d) => t.strides[d]));
  const src = dense(view, op);
  if (src !== view) view.dispose();
  return { src, outer: numelOf(kept.map((d) => shape[d])), n: reducedCount(shape, dims), inner: 1, perm };
}

function freeLayout(L: Layout, t: Tensor): void { if (L.src !== t) L.src.dispose(); }

/** A gradient buffer in L's layout, and how to turn it into one of the input's shape. */
function gradIn(L: Layout, inShape: readonly number[]): { buf: Tensor; finish: () => Tensor } {
  if (!L.perm) {
    const buf = Tensor.empty(inShape, 'float32', 'backward');
    return { buf, finish: () => buf };
  }
  const perm = L.perm;
  const permShape = perm.map((d) => inShape[d]);
  const buf = Tensor.empty(permShape, 'float32', 'backward');
  return {
    buf,
    finish: () => {
      const st = contiguousStrides(permShape);
      const v = buf.view_([...inShape], inShape.map((_, d) => st[perm.indexOf(d)]));
      const out = dense(v);
      if (out !== v) v.dispose();
      buf.dispose();
      return out;
    },
  };
}

/** g (any strides) as a contiguous [outer, inner] block; the caller disposes it if it differs. */
const gradOut = (g: Tensor): Tensor => dense(g);

/** One kernel reduction (sum, prod, max, min, argmax, argmin) over dims; no graph. */
function reduceRaw(t: Tensor, dims: readonly number[], keepdim: boolean, code: number, op: string): Tensor {
  const isFloat = t.dtype === 'float32';
  const picks = code === Reduce.max || code === Reduce.min || code === Reduce.argmax || code === Reduce.argmin;
  if (picks) {
    const empty = dims.find((d) => t.shape[d] === 0);
    if (empty !== undefined) {
      throw new RangeError(`${op}(): expected reduction dim ${empty ?? 0} to have non-zero size (shape ${fmt(t.shape)}); the reduction has no identity`);
    }
  }
  const dtype: DType = code === Reduce.argmax || code === Reduce.argmin ? 'int32'
    : isFloat ? 'float32' : code === Reduce.sum || code === Reduce.prod ? 'int32' : t.dtype;
  const L = layoutOf(t, dims, op);
  const out = Tensor.empty(reducedShape(t.shape, dims, keepdim), dtype, op);
  // along rows (inner 1), each row is one thread's: split over the threads when large
  if (isFloat && L.inner === 1) rows('reduce', [code, L.src.ptr(op), out.ptr(op), L.outer, L.n, 1], 3, [1, 2], [L.n, 1], L.outer * L.n);
  else if (isFloat) K().reduce(code, L.src.ptr(op), out.ptr(op), L.outer, L.n, L.inner);
  else K().reduceI32(code, L.src.ptr(op), out.ptr(op), L.outer, L.n, L.inner);
  freeLayout(L, t);
  return out;
}

/** The gradient of a reduction: g laid out with kept dims, expanded to the input's shape. */
function expandBack(g: Tensor, inShape: readonly number[], dims: number[]): Tensor {
  return expand(reshape(g, reducedShape(inShape, dims, true)), [...inShape]);
}

const suffix = (dim: DimArg): string => (dim === undefined || dim === null ? '0' : '1');

// ---- sum / mean / prod ----------------------------------------------------------------------

export function sum(t: Tensor, dim?: DimArg, keepdim = false): Tensor {
  checkDtype(t, 'sum', ['float32', 'int32', 'bool']);
  checkKeepdim(keepdim, 'sum');
  const dims = dimList(t, dim, 'sum');
  const out = reduceRaw(t, dims, keepdim, Reduce.sum, 'sum');
  if (needsGrad(t)) {
    const inShape = [...t.shape];
    record('SumBackward' + suffix(dim), out, [t], (g) => [expandBack(g, inShape, dims)]);
  }
  return out;
}

export function mean(t: Tensor, dim?: DimArg, keepdim = false): Tensor {
  t.ptr('mean');
  if (t.dtype !== 'float32') {
    throw new TypeError(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${t.dtype} (convert with a float32 copy first)`);
  }
  checkKeepdim(keepdim, 'mean');
  const dims = dimList(t, dim, 'mean');
  const count = reducedCount(t.shape, dims);
  const s = reduceRaw(t, dims, keepdim, Reduce.sum, 'mean');
  const out = noGrad(() => mul(s, 1 / count));
  s.dispose();
  if (needsGrad(t)) {
    const inShape = [...t.shape];
    record('MeanBackward' + suffix(dim), out, [t], (g) => [expandBack(mul(g, 1 / count), inShape, dims)]);
  }
  return out;
}

export function prod(t: Tensor, dim?: number | null, keepdim = false): Tensor {
  checkDtype(t, 'prod', ['float32', 'int32', 'bool']);
  checkKeepdim(keepdim, 'prod');
  if (dim !== undefined && dim !== null && typeof dim !== 'number') {
    throw new TypeError(`prod: dim must be a single number (as torch.prod), got ${describeValue(dim)}`);
  }
  const dims = dimList(t, dim, 'prod');
  const L = layoutOf(t, dims, 'prod');
  const out = Tensor.empty(reducedShape(t.shape, dims, keepdim), t.dtype === 'float32' ? 'float32' : 'int32', 'prod');
  if (t.dtype === 'float32') K().reduce(Reduce.prod, L.src.ptr('prod'), out.ptr('prod'), L.outer, L.n, L.inner);
  else K().reduceI32(Reduce.prod, L.src.ptr('prod'), out.ptr('prod'), L.outer, L.n, L.inner);
  if (needsGrad(t)) {
    const sx = save(L.src), inShape = [...t.shape], { outer, n, inner } = L;
    record('ProdBackward' + suffix(dim), out, [t], (g) => {
      const gc = gradOut(g);
      const { buf, finish } = gradIn(L, inShape);
      K().prodBackward(sx.ptr('backward'), gc.ptr('backward'), buf.ptr('backward'), outer, n, inner);
      if (gc !== g) gc.dispose();
      return [finish()];
    }, [sx]);
  }
  freeLayout(L, t);
  return out;
}

/** Sums g over broadcast dims so it has `shape` (the engine's central un-broadcast). */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (g.ndim === shape.length && g.shape.every((s, i) => s === shape[i])) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  const s = reduceRaw(g, dims, true, Reduce.sum, 'backward');
  const out = reshape(s, [...shape]);
  s.dispose();
  return out;
}

// ---- var / std ------------------------------------------------------------------------------

/** Options of `var` and `std`. PyTorch: the keyword arguments of `torch.var`. */
export interface VarOptions {
  /** Divide by n − 1 (true, the default) or n (false); the older spelling of `correction`. PyTorch: `unbiased`. */
  unbiased?: boolean;
  /** Divide by max(0, n − correction); default 1. PyTorch: `correction` (2.x). */
  correction?: number;
  /** Keep the reduced dims as size 1. PyTorch: `keepdim`. */
  keepdim?: boolean;
}

const VAR_KEYS = {
  unbiased: 'boolean',
  correction: (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'a finite number ≥ 0'),
  keepdim: 'boolean',
} as const;

function isOptionsObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function moments(t: Tensor, dimArg: DimArg | VarOptions, optArg: VarOptions | undefined, isStd: boolean): Tensor {
  const op = isStd ? 'std' : 'var';
  let dim = dimArg as DimArg, options = optArg;
  if (isOptionsObject(dimArg)) {
    if (optArg !== undefined) throw new TypeError(`${op}: expected (dim?, options?), got an options object and then ${describeValue(optArg)}`);
    dim = undefined; options = dimArg as VarOptions;
  }
  if (typeof options === 'boolean') {
    throw new TypeError(`${op}: the second argument is an options object { unbiased?, correction?, keepdim? }, got boolean ${options} (PyTorch's positional unbiased/keepdim are options here)`);
  }
  const o = checkOptions(op, options, VAR_KEYS);
  if (o.unbiased !== undefined && o.correction !== undefined) {
    throw new TypeError(`${op}: give either unbiased or correction, not both (got unbiased ${o.unbiased} and correction ${o.correction})`);
  }
  t.ptr(op);
  if (t.dtype !== 'float32') throw new TypeError(`${op}: std and var only support floating point dtypes, got ${t.dtype} of shape ${fmt(t.shape)}`);
  const correction = o.correction ?? (o.unbiased === false ? 0 : 1);
  const keepdim = o.keepdim ?? false;
  const dims = dimList(t, dim, op);
  const L = layoutOf(t, dims, op);
  const divisor = Math.max(0, L.n - correction);
  const shape = reducedShape(t.shape, dims, keepdim);
  const mean = Tensor.empty(shape, 'float32', op);
  const out = Tensor.empty(shape, 'float32', op);
  K().moments(L.src.ptr(op), mean.ptr(op), out.ptr(op), L.outer, L.n, L.inner, divisor, isStd ? 1 : 0);
  if (needsGrad(t)) {
    const sx = save(L.src), sm = save(mean), so = save(out), inShape = [...t.shape], { outer, n, inner } = L;
    record(isStd ? 'StdBackward0' : 'VarBackward0', out, [t], (g) => {
      const gc = gradOut(g);
      const { buf, finish } = gradIn(L, inShape);
      K().momentsBackward(sx.ptr('backward'), sm.ptr('backward'), so.ptr('backward'), gc.ptr('backward'), buf.ptr('backward'),
        outer, n, inner, divisor, isStd ? 1 : 0);
      if (gc !== g) gc.dispose();
      return [finish()];
    }, [sx, sm, so]);
  }
  mean.dispose();
  freeLayout(L, t);
  return out;
}

export function variance(t: Tensor, dim?: DimArg | VarOptions, options?: VarOptions): Tensor { return moments(t, dim, options, false); }
export function std(t: Tensor, dim?: DimArg | VarOptions, options?: VarOptions): Tensor { return moments(t, dim, options, true); }

// ---- logsumexp ------------------------------------------------------------------------------

export function logsumexp(t: Tensor, dim: number | number[], keepdim = false): Tensor {
  checkDtype(t, 'logsumexp', ['float32']);
  checkKeepdim(keepdim, 'logsumexp');
  if (dim === undefined || dim === null) throw new TypeError('logsumexp: dim is required (a number or an array of numbers), as in torch.logsumexp');
  const dims = dimList(t, dim, 'logsumexp');
  const L = layoutOf(t, dims, 'logsumexp');
  const out = Tensor.empty(reducedShape(t.shape, dims, keepdim), 'float32', 'logsumexp');
  K().logsumexp(L.src.ptr('logsumexp'), out.ptr('logsumexp'), L.outer, L.n, L.inner);
  freeLayout(L, t);
  if (needsGrad(t)) {
    // d/dx = g · exp(x − out): the softmax over the reduced dims
    const sx = save(t), so = save(out), inShape = [...t.shape], kept = reducedShape(inShape, dims, true);
    record('LogsumexpBackward0', out, [t], (g) => {
      const ok = reshape(so, kept), gk = reshape(g, kept);
      const d = sub(sx, ok), e = exp(d), dx = mul(e, gk);
      ok.dispose(); gk.dispose(); d.dispose(); e.dispose();
      return [dx];
    }, [sx, so]);
  }
  return out;
}

// ---- norm -----------------------------------------------------------------------------------

export function norm(t: Tensor, p: number | 'fro' = 'fro', dim?: DimArg, keepdim = false): Tensor {
  checkDtype(t, 'norm', ['float32']);
  checkKeepdim(keepdim, 'norm');
  if (p !== 'fro' && (typeof p !== 'number' || Number.isNaN(p))) {
    throw new TypeError(`norm: p must be a number (Infinity and -Infinity included) or 'fro', got ${describeValue(p)}`);
  }
  const dims = dimList(t, dim, 'norm');
  if (p === 'fro' && dim !== undefined && dim !== null && Array.isArray(dim) && dim.length > 2) {
    throw new RangeError(`norm: the Frobenius norm reduces one or two dims, got dim ${fmt(dim)}`);
  }
  const pv = p === 'fro' ? 2 : p;
  const isInf = pv === Infinity || pv === -Infinity;
  if (isInf && reducedCount(t.shape, dims) === 0) {
    throw new RangeError(`norm: cannot compute the ${pv}-norm over an empty reduction (shape ${fmt(t.shape)}, dim ${fmt(dims)}): it has no identity`);
  }
  const L = layoutOf(t, dims, 'norm');
  const out = Tensor.empty(reducedShape(t.shape, dims, keepdim), 'float32', 'norm');
  K().pnorm(L.src.ptr('norm'), out.ptr('norm'), L.outer, L.n, L.inner, pv);
  if (needsGrad(t)) {
    const sx = save(L.src), so = save(out), inShape = [...t.shape], { outer, n, inner } = L;
    record('LinalgVectorNormBackward0', out, [t], (g) => {
      const gc = gradOut(g);
      const { buf, finish } = gradIn(L, inShape);
      if (isInf) K().tieBackward(sx.ptr('backward'), so.ptr('backward'), gc.ptr('backward'), buf.ptr('backward'), outer, n, inner, 1);
      else K().pnormBackward(sx.ptr('backward'), so.ptr('backward'), gc.ptr('backward'), buf.ptr('backward'), outer, n, inner, pv);
      if (gc !== g) gc.dispose();
      return [finish()];
    }, [sx, so]);
  }
  freeLayout(L, t);
  return out;
}

// ---- amax / amin, max / min / argmax / argmin -------------------------------------------------

/** Values picked by max/min over dims; the gradient splits evenly among ties (amax, whole max). */
function pickValues(t: Tensor, dims: number[], keepdim: boolean, isMax: boolean, op: string, gradName: string): Tensor {
  const code = isMax ? Reduce.max : Reduce.min;
  if (!needsGrad(t)) return reduceRaw(t, dims, keepdim, code, op);
  const empty = dims.find((d) => t.shape[d] === 0);
  if (empty !== undefined) {
    throw new RangeError(`${op}(): expected reduction dim ${empty ?? 0} to have non-zero size (shape ${fmt(t.shape)}); the reduction has no identity`);
  }
  const L = layoutOf(t, dims, op);
  const out = Tensor.empty(reducedShape(t.shape, dims, keepdim), 'float32', op);
  K().reduce(code, L.src.ptr(op), out.ptr(op), L.outer, L.n, L.inner);
  const sx = save(L.src), so = save(out), inShape = [...t.shape], { outer, n, inner } = L;
  record(gradName, out, [t], (g) => {
    const gc = gradOut(g);
    const { buf, finish } = gradIn(L, inShape);
    K().tieBackward(sx.ptr('backward'), so.ptr('backward'), gc.ptr('backward'), buf.ptr('backward'), outer, n, inner, 0);
    if (gc !== g) gc.dispose();
    return [finish()];
  }, [sx, so]);
  freeLayout(L, t);
  return out;
}

export function amax(t: Tensor, dim?: DimArg, keepdim = false): Tensor {
  checkDtype(t, 'amax', ['float32', 'int32', 'bool']);
  checkKeepdim(keepdim, 'amax');
  return pickValues(t, dimList(t, dim, 'amax'), keepdim, true, 'amax', 'AmaxBackward0');
}

export function amin(t: Tensor, dim?: DimArg, keepdim = false): Tensor {
  checkDtype(t, 'amin', ['float32', 'int32', 'bool']);
  checkKeepdim(keepdim, 'amin');
  return pickValues(t, dimList(t, dim, 'amin'), keepdim, false, 'amin', 'AminBackward0');
}

/**
 * What `max(dim)` and `min(dim)` return: `{ values, indices }` that also reads as PyTorch's named
 * tuple — `const [values, indices] = x.max(1)`, `r[0]`, `r[1]`. PyTorch: `torch.return_types.max`.
 */
export interface ValuesIndices {
  /** The largest (or smallest) values along the dim. PyTorch: `torch.return_types.max.values`. */
  values: Tensor;
  /** Their int32 indices along the dim (the first among ties). PyTorch: `torch.return_types.max.indices`. */
  indices: Tensor;
  /** `values`, as the tuple's first element. PyTorch: `result[0]`. */
  readonly 0: Tensor;
  /** `indices`, as the tuple's second element. PyTorch: `result[1]`. */
  readonly 1: Tensor;
  /** 2, as the tuple's length. PyTorch: `len(result)`. */
  readonly length: 2;
  /** Yields `values` then `indices`, so the result destructures as an array. PyTorch: `iter(result)`. */
  [Symbol.iterator](): IterableIterator<Tensor>;
}

// 0, 1, length and the iterator are non-enumerable, so the result stays a plain object whose
// Object.values are the two tensors (torch.tidy finds them when it is returned).
const VALUES_INDICES: PropertyDescriptorMap = {
  0: { get(this: ValuesIndices) { return this.values; } },
  1: { get(this: ValuesIndices) { return this.indices; } },
  length: { value: 2 },
  [Symbol.iterator]: { *value(this: ValuesIndices) { yield this.values; yield this.indices; } },
};

/** @internal A `ValuesIndices` result. */
export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.defineProperties({ values, indices }, VALUES_INDICES) as ValuesIndices;
}

/**
 * @internal True when max/min's second argument is a tensor (then they are the elementwise
 * maximum/minimum, which take no keepdim); `argCount` counts the input.
 */
export function isOtherTensor(other: unknown, argCount: number, op: 'max' | 'min'): other is Tensor {
  if (other === null || typeof other !== 'object' || (other as { isTensor?: unknown }).isTensor !== true) return false;
  if (argCount > 2) throw new TypeError(`${op}: ${op}(input, other) with a tensor other is the elementwise ${op}imum and takes no keepdim; got ${argCount} arguments`);
  return true;
}

function extremeDim(t: Tensor, dim: number, keepdim: boolean, isMax: boolean, op: string): ValuesIndices {
  checkDtype(t, op, ['float32', 'int32', 'bool']);
  checkKeepdim(keepdim, op);
  if (typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${describeValue(dim)}`);
  const d = normDim(dim, t.ndim, op);
  const dims = t.ndim === 0 ? [] : [d];
  const indices = reduceRaw(t, dims, keepdim, isMax ? Reduce.argmax : Reduce.argmin, op);
  const values = reduceRaw(t, dims, keepdim, isMax ? Reduce.max : Reduce.min, op);
  if (needsGrad(t)) {
    const inShape = [...t.shape], si = save(indices);
    record(isMax ? 'MaxBackward0' : 'MinBackward0', values, [t], (g) => [indexGrad(g, si, inShape, t.ndim === 0 ? 0 : d)], [si]);
  }
  return valuesIndices(values, indices);
}

/** Gradient that flows only to the selected index along dim d (PyTorch's rule for max(dim)). */
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
  checkDtype(t, op, ['float32', 'int32', 'bool']);
  if (t.numel() === 0) {
    throw new RangeError(`${op}(): expected a non-empty tensor, got shape ${fmt(t.shape)}; specify the reduction dim with the dim argument`);
  }
  return pickValues(t, dimList(t, undefined, op), false, isMax, op, isMax ? 'MaxBackward1' : 'MinBackward1');
}

export const maxAll = (t: Tensor): Tensor => extremeAll(t, true, 'max');
export const minAll = (t: Tensor): Tensor => extremeAll(t, false, 'min');
export const maxDim = (t: Tensor, dim: number, keepdim = false) => extremeDim(t, dim, keepdim, true, 'max');
export const minDim = (t: Tensor, dim: number, keepdim = false) => extremeDim(t, dim, keepdim, false, 'min');

function argExtreme(t: Tensor, dim: number | undefined | null, keepdim: boolean, isMax: boolean): Tensor {
  const op = isMax ? 'argmax' : 'argmin';
  checkDtype(t, op, ['float32', 'int32', 'bool']);
  checkKeepdim(keepdim, op);
  if (dim !== undefined && dim !== null && typeof dim !== 'number') throw new TypeError(`${op}: dim must be a number, got ${describeValue(dim)}`);
  const code = isMax ? Reduce.argmax : Reduce.argmin;
  if (dim === undefined || dim === null || t.ndim === 0) {
    if (dim !== undefined && dim !== null) normDim(dim, t.ndim, op);
    if (t.numel() === 0) throw new RangeError(`${op}(): expected a non-empty tensor, got shape ${fmt(t.shape)}`);
    const r = reduceRaw(t, dimList(t, undefined, op), false, code, op);
    if (!keepdim) return r;
    const out = reshape(r, t.shape.map(() => 1));
    r.dispose();
    return out;
  }
  const d = normDim(dim, t.ndim, op);
  return reduceRaw(t, [d], keepdim, code, op);
}

export const argmax = (t: Tensor, dim?: number | null, keepdim = false): Tensor => argExtreme(t, dim, keepdim, true);
export const argmin = (t: Tensor, dim?: number | null, keepdim = false): Tensor => argExtreme(t, dim, keepdim, false);

// ---- cumsum ---------------------------------------------------------------------------------

export function cumsum(t: Tensor, dim: number): Tensor {
  if (arguments.length > 2) throw new TypeError(`cumsum: takes (input, dim), got ${arguments.length} arguments (${describeValue(arguments[2])} third); dtype is not supported`);
  checkDtype(t, 'cumsum', ['float32', 'int32', 'bool']);
  if (typeof dim !== 'number') throw new TypeError(`cumsum: dim is required and must be a number, got ${describeValue(dim)}`);
  const d = normDim(dim, t.ndim, 'cumsum');
  const isFloat = t.dtype === 'float32';
  const c = dense(t, 'cumsum');
  const [outer, n, inner] = aroundDim(t.shape.length === 0 ? [1] : t.shape, t.ndim === 0 ? 0 : d);
  const out = Tensor.empty(t.shape, isFloat ? 'float32' : 'int32', 'cumsum');
  K().cumsum(c.ptr('cumsum'), out.ptr('cumsum'), outer, n, inner, 0, isFloat ? 0 : 1);
  if (c !== t) c.dispose();
  if (needsGrad(t)) {
    record('CumsumBackward0', out, [t], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(gc.shape, 'float32', 'backward');
      K().cumsum(gc.ptr('backward'), dx.ptr('backward'), outer, n, inner, 1, 0);
      if (gc !== g) gc.dispose();
      return [dx];
    });
  }
  return out;
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** Sum of all elements, or over `dim`, dropping it unless `keepdim`; int32 and bool give int32. PyTorch: `torch.Tensor.sum`. */
    sum(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Mean of all elements, or over `dim`, dropping it unless `keepdim` (float32 only). PyTorch: `torch.Tensor.mean`. */
    mean(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Product of all elements, or along `dim`; int32 and bool give int32. PyTorch: `torch.Tensor.prod`. */
    prod(dim?: number | null, keepdim?: boolean): Tensor;
    /** Variance over `dim` (all dims by default), unbiased unless `correction`/`unbiased` say otherwise. PyTorch: `torch.Tensor.var`. */
    var(dim?: number | number[] | null, options?: VarOptions): Tensor;
    /** Variance of all elements with options (`x.var({ correction: 0 })`). PyTorch: `torch.Tensor.var`. */
    var(options: VarOptions): Tensor;
    /** Standard deviation over `dim` (all dims by default), unbiased by default. PyTorch: `torch.Tensor.std`. */
    std(dim?: number | number[] | null, options?: VarOptions): Tensor;
    /** Standard deviation of all elements with options (`x.std({ unbiased: false })`). PyTorch: `torch.Tensor.std`. */
    std(options: VarOptions): Tensor;
    /** `log Σ exp(x)` over `dim`, computed stably. PyTorch: `torch.Tensor.logsumexp`. */
    logsumexp(dim: number | number[], keepdim?: boolean): Tensor;
    /** Vector p-norm (p = 2 by default, 1, Infinity, -Infinity, 0, 'fro' or any p) over `dim` or all. PyTorch: `torch.Tensor.norm`. */
    norm(p?: number | 'fro', dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Running sum along `dim`; int32 and bool give int32. PyTorch: `torch.Tensor.cumsum`. */
    cumsum(dim: number): Tensor;
    /** Largest values over `dim` (all dims by default); ties share the gradient. PyTorch: `torch.Tensor.amax`. */
    amax(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Smallest values over `dim` (all dims by default); ties share the gradient. PyTorch: `torch.Tensor.amin`. */
    amin(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** The largest element, as a 0-dim tensor; ties share the gradient evenly. PyTorch: `torch.Tensor.max()`. */
    max(): Tensor;
    /** The largest values along `dim` and their int32 indices (the first among ties), also as `[values, indices]`. PyTorch: `torch.Tensor.max(dim)`. */
    max(dim: number, keepdim?: boolean): ValuesIndices;
    /** The elementwise maximum with `other`, as `maximum`. PyTorch: `torch.Tensor.max(other)`. */
    max(other: Tensor): Tensor;
    /** The smallest element, as a 0-dim tensor; ties share the gradient evenly. PyTorch: `torch.Tensor.min()`. */
    min(): Tensor;
    /** The smallest values along `dim` and their int32 indices (the first among ties), also as `[values, indices]`. PyTorch: `torch.Tensor.min(dim)`. */
    min(dim: number, keepdim?: boolean): ValuesIndices;
    /** The elementwise minimum with `other`, as `minimum`. PyTorch: `torch.Tensor.min(other)`. */
    min(other: Tensor): Tensor;
    /** Index (int32) of the largest element, flattened or along `dim`. PyTorch: `torch.Tensor.argmax`. */
    argmax(dim?: number | null, keepdim?: boolean): Tensor;
    /** Index (int32) of the smallest element, flattened or along `dim`. PyTorch: `torch.Tensor.argmin`. */
    argmin(dim?: number | null, keepdim?: boolean): Tensor;
  }
}
