// Pooling over the last one or two dims: max pooling (with PyTorch's flat per-plane indices),
// average pooling and adaptive average pooling, forward and backward side by side. Every input is
// a contiguous [planes, H, W] block for the kernels (assembly/pool.ts); 1-D pooling is H = 1.
// Sizes follow PyTorch 1.13's pooling_output_shape, and its errors are checked before any
// allocation.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { fmt } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense } from './movement.js';
import { assertFloat } from './elementwise.js';

/** An int, or one int per pooled dim (a one-element list counts for every dim). PyTorch: `int` or a tuple of ints. */
export type IntOrTuple = number | readonly number[];

/** Options of `F.maxPool2d`/`F.maxPool1d` and their modules. PyTorch: the keyword arguments of `F.max_pool2d`. */
export interface MaxPoolOptions {
  /** The step between windows; default (null or absent) the kernel size. PyTorch: `stride`. */
  stride?: IntOrTuple | null;
  /** Implicit −∞ on both sides, at most half the kernel (default 0). PyTorch: `padding`. */
  padding?: IntOrTuple;
  /** The spacing between a window's taps (default 1). PyTorch: `dilation`. */
  dilation?: IntOrTuple;
  /** Round the output size up, keeping only windows that start inside the input or left padding (default false). PyTorch: `ceil_mode`. */
  ceilMode?: boolean;
  /** Also return the int32 flat index (within its plane) of each max (default false). PyTorch: `return_indices`. */
  returnIndices?: boolean;
}

/** Options of `F.avgPool2d`/`F.avgPool1d` and their modules. PyTorch: the keyword arguments of `F.avg_pool2d`. */
export interface AvgPoolOptions {
  /** The step between windows; default (null or absent) the kernel size. PyTorch: `stride`. */
  stride?: IntOrTuple | null;
  /** Implicit zeros on both sides, at most half the kernel (default 0). PyTorch: `padding`. */
  padding?: IntOrTuple;
  /** Round the output size up, keeping only windows that start inside the input or left padding (default false). PyTorch: `ceil_mode`. */
  ceilMode?: boolean;
  /** Count the padding in each window's divisor (default true). PyTorch: `count_include_pad`. */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead (2-D only; non-zero). PyTorch: `divisor_override`. */
  divisorOverride?: number | null;
}

const intOrTuple = (v: unknown): string | null =>
  (Number.isInteger(v) || (Array.isArray(v) && v.every((e) => Number.isInteger(e))) ? null : 'an integer or an array of integers');
/** @internal The option types of max pooling. */
export const MAX_POOL_KEYS = { stride: (v: unknown) => (v === null ? null : intOrTuple(v)), padding: intOrTuple, dilation: intOrTuple, ceilMode: 'boolean', returnIndices: 'boolean' } as const;
/** @internal The option types of average pooling. */
export const AVG_POOL_KEYS = {
  stride: (v: unknown) => (v === null ? null : intOrTuple(v)), padding: intOrTuple, ceilMode: 'boolean', countIncludePad: 'boolean',
  divisorOverride: (v: unknown) => (v === null || Number.isInteger(v) ? null : 'an integer or null'),
} as const;

/** One value per pooled dim from an int or a list of 1 or n ints (PyTorch's `_pair` plus its length check). */
export function perDim(v: IntOrTuple, n: number, what: string, op: string): number[] {
  if (typeof v === 'number' && Number.isInteger(v)) return new Array<number>(n).fill(v);
  if (Array.isArray(v) && v.every((e) => Number.isInteger(e)) && (v.length === 1 || v.length === n)) {
    return v.length === 1 ? new Array<number>(n).fill(v[0]) : [...v];
  }
  const want = n === 1 ? 'a single int' : `a single int, or a tuple of ${n} ints`;
  throw new TypeError(`${op}: ${what} must either be ${what === 'stride' ? 'omitted, ' : ''}${want}, got ${describeValue(v)}`);
}

/** PyTorch 1.13's pooling_output_shape (div_rtn is floor division; ceilMode drops a window starting in the right padding). */
export function poolOutSize(size: number, k: number, pad: number, stride: number, dil: number, ceil: boolean): number {
  let o = Math.floor((size + 2 * pad - dil * (k - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  if (ceil && (o - 1) * stride >= size + pad) o--;
  return o;
}

interface Geometry {
  batched: boolean; planes: number; H: number; W: number; OH: number; OW: number;
  k: number[]; s: number[]; p: number[]; d: number[]; outShape: number[];
}

/** The input's dims for 1-D (2 or 3 dims) or 2-D (3 or 4 dims) pooling, with PyTorch's messages. */
function checkInput(x: Tensor, dims: 1 | 2, op: string): { batched: boolean; planes: number; H: number; W: number } {
  x.ptr(op);
  assertFloat(x, op);
  const nd = x.ndim, sh = x.shape;
  if (nd !== dims + 1 && nd !== dims + 2) {
    throw new RangeError(dims === 2
      ? `${op}: non-empty 3D or 4D (batch mode) tensor expected for input, got shape ${fmt(sh)}`
      : `${op}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got: ${fmt(sh)}`);
  }
  const batched = nd === dims + 2;
  if (sh.some((v, i) => v === 0 && !(batched && i === 0))) {
    throw new RangeError(`${op}: Expected ${dims + 1}D or ${dims + 2}D (batch mode) tensor with optional 0 dim batch size for input, but got: ${fmt(sh)}`);
  }
  const H = dims === 2 ? sh[nd - 2] : 1, W = sh[nd - 1];
  let planes = 1;
  for (let i = 0; i < nd - dims; i++) planes *= sh[i];
  return { batched, planes, H, W };
}

/** Kernel, stride, padding and dilation checked as PyTorch's pool2d_shape_check, and the output sizes. */
function geometry(x: Tensor, dims: 1 | 2, kernelSize: IntOrTuple, stride: IntOrTuple | null | undefined, padding: IntOrTuple,
                  dilation: IntOrTuple, ceil: boolean, op: string, max1d: boolean, allowEmpty = false): Geometry {
  const k = perDim(kernelSize, dims, 'kernel_size', op);
  const s = stride === undefined || stride === null || (Array.isArray(stride) && stride.length === 0) ? k : perDim(stride, dims, 'stride', op);
  const p = perDim(padding, dims, 'padding', op), d = perDim(dilation, dims, 'dilation', op);
  const { batched, planes, H, W } = checkInput(x, dims, op);
  const { k: kk, s: ss, p: pp, d: dd } = checkPoolParams(k, s, p, d, dims, op, max1d);
  const OH = poolOutSize(H, kk[0], pp[0], ss[0], dd[0], ceil), OW = poolOutSize(W, kk[1], pp[1], ss[1], dd[1], ceil);
  if ((OH < 1 || OW < 1) && !(allowEmpty && OH >= 0 && OW >= 0)) {
    const C = x.shape[batched ? 1 : 0];
    throw new RangeError(`${op}: Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${OH}x${OW}). Output size is too small`);
  }
  const lead = x.shape.slice(0, x.ndim - dims);
  const outShape = dims === 2 ? [...lead, OH, OW] : [...lead, OW];
  return { batched, planes, H, W, OH, OW, k: kk, s: ss, p: pp, d: dd, outShape };
}

/**
 * The checks of PyTorch's pool2d_shape_check that need no input (run again by the modules at
 * construction), and kernel, stride, padding and dilation as (H, W) pairs.
 */
export function checkPoolParams(k: number[], s: number[], p: number[], d: number[], dims: 1 | 2, op: string, max1d: boolean): { k: number[]; s: number[]; p: number[]; d: number[] } {
  if (dims === 1 && max1d) {
    // max_pool1d checks its values first, in its own words
    if (k[0] <= 0) throw new RangeError(`${op}: kernel_size must be greater than zero, but got ${k[0]}`);
    if (s[0] <= 0) throw new RangeError(`${op}: stride must be greater than zero, but got ${s[0]}`);
    if (p[0] < 0) throw new RangeError(`${op}: padding must be non-negative, but got ${p[0]}`);
    if (d[0] <= 0) throw new RangeError(`${op}: dilation must be greater than zero, but got ${d[0]}`);
    if (p[0] > k[0] / 2) throw new RangeError(`${op}: padding should be at most half of kernel size, but got padding=${p[0]} and kernel_size=${k[0]}`);
  }
  const kk = dims === 2 ? k : [1, k[0]], ss = dims === 2 ? s : [1, s[0]], pp = dims === 2 ? p : [0, p[0]], dd = dims === 2 ? d : [1, d[0]];
  for (const v of ss) if (v === 0) throw new RangeError(`${op}: stride should not be zero`);
  for (const v of pp) if (v < 0) throw new RangeError(`${op}: pad must be non-negative, but got pad: ${v}`);
  for (let i = 0; i < 2; i++) {
    if (pp[i] > Math.floor(kk[i] / 2)) throw new RangeError(`${op}: pad should be at most half of kernel size, but got pad=${pp[i]} and kernel_size=${kk[i]}`);
  }
  if (kk[0] <= 0 || kk[1] <= 0) throw new RangeError(`${op}: kernel size should be greater than zero, but got kH: ${kk[0]} kW: ${kk[1]}`);
  if (ss[0] < 0 || ss[1] < 0) throw new RangeError(`${op}: stride should be greater than zero, but got dH: ${ss[0]} dW: ${ss[1]}`);
  if (dd[0] <= 0 || dd[1] <= 0) throw new RangeError(`${op}: dilation should be greater than zero, but got dilationH: ${dd[0]} dilationW: ${dd[1]}`);
  return { k: kk, s: ss, p: pp, d: dd };
}

// ---- max pooling ------------------------------------------------------------------------------

function maxPool(x: Tensor, dims: 1 | 2, kernelSize: IntOrTuple, options: MaxPoolOptions | undefined, op: string): Tensor | [Tensor, Tensor] {
  const o = checkOptions(op, options, MAX_POOL_KEYS);
  const ceil = o.ceilMode ?? false, returnIndices = o.returnIndices ?? false;
  x.ptr(op);
  const grad = needsGrad(x);
  // PyTorch's max_pool1d without grad or indices gives an empty result where the others refuse one
  const G = geometry(x, dims, kernelSize, o.stride, o.padding ?? 0, o.dilation ?? 1, ceil, op, dims === 1, dims === 1 && !grad && !returnIndices);
  const xc = dense(x);
  const out = Tensor.empty(G.outShape, 'float32', op);
  const idx = grad || returnIndices ? Tensor.empty(G.outShape, 'int32', op) : null;
  K().maxPool2d(xc.ptr(op), out.ptr(op), idx ? idx.ptr(op) : 0, G.planes, G.H, G.W, G.OH, G.OW,
    G.k[0], G.k[1], G.s[0], G.s[1], G.p[0], G.p[1], G.d[0], G.d[1], idx ? 1 : 0);
  if (xc !== x) xc.dispose();
  if (grad) {
    const si = save(idx!), inShape = [...x.shape], { planes, H, W, OH, OW, k, s, p, d } = G;
    // 2×2 windows at stride 2 don't overlap: the kernel writes dx directly instead of scattering
    const disjoint = k[0] === 2 && k[1] === 2 && s[0] === 2 && s[1] === 2 && p[0] === 0 && p[1] === 0 && d[0] === 1 && d[1] === 1;
    record('MaxPool2DWithIndicesBackward0', out, [x], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(inShape, 'float32', 'backward');
      if (disjoint) K().maxPool2x2Backward(gc.ptr('backward'), si.ptr('backward'), dx.ptr('backward'), planes, H, W, OH, OW);
      else K().maxPool2dBackward(gc.ptr('backward'), si.ptr('backward'), dx.ptr('backward'), planes, H * W, OH * OW);
      if (gc !== g) gc.dispose();
      return [dx];
    }, [si]);
  }
  if (returnIndices) return [out, idx!];
  idx?.dispose(); // the saved handle keeps the indices for backward
  return out;
}

/**
 * The maximum over each `kernelSize` window of the last two dims of a (N, C, H, W) or (C, H, W)
 * input; with `returnIndices`, `[output, indices]` (int32 flat indices within each H×W plane).
 * The gradient goes to the first maximum in window order (the last NaN when a window holds NaN),
 * as PyTorch's. PyTorch: `F.max_pool2d`.
 */
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPoolOptions): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPoolOptions): Tensor | [Tensor, Tensor] {
  return maxPool(input, 2, kernelSize, options, 'maxPool2d');
}

/** The maximum over each window of the last dim of a (N, C, L) or (C, L) input; indices are positions along L. PyTorch: `F.max_pool1d`. */
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPoolOptions): Tensor;
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPoolOptions): Tensor | [Tensor, Tensor] {
  return maxPool(input, 1, kernelSize, options, 'maxPool1d');
}

// ---- average pooling --------------------------------------------------------------------------

function avgPool(x: Tensor, dims: 1 | 2, kernelSize: IntOrTuple, options: AvgPoolOptions | undefined, op: string): Tensor {
  const o = checkOptions(op, options, AVG_POOL_KEYS);
  if (dims === 1 && o.divisorOverride !== undefined && o.divisorOverride !== null) {
    throw new TypeError(`${op}: unknown option 'divisorOverride' (PyTorch's avg_pool1d has none); known options: stride, padding, ceilMode, countIncludePad`);
  }
  const ceil = o.ceilMode ?? false, countIncludePad = o.countIncludePad ?? true;
  const div = o.divisorOverride ?? 0;
  if (o.divisorOverride === 0) throw new RangeError(`${op}: divisor must be not zero`);
  x.ptr(op);
  if (dims === 1 && x.ndim !== 2 && x.ndim !== 3) {
    throw new RangeError(`${op}: Expected 2 to 3 dimensions, but got ${x.ndim}-dimensional tensor for argument #1 'self' (shape ${fmt(x.shape)})`);
  }
  const G = geometry(x, dims, kernelSize, o.stride, o.padding ?? 0, 1, ceil, op, false);
  const xc = dense(x);
  const out = Tensor.empty(G.outShape, 'float32', op);
  const { planes, H, W, OH, OW, k, s, p } = G;
  K().avgPool2d(xc.ptr(op), out.ptr(op), planes, H, W, OH, OW, k[0], k[1], s[0], s[1], p[0], p[1], countIncludePad ? 1 : 0, div);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) {
    const inShape = [...x.shape];
    record('AvgPool2DBackward0', out, [x], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(inShape, 'float32', 'backward');
      K().avgPool2dBackward(gc.ptr('backward'), dx.ptr('backward'), planes, H, W, OH, OW, k[0], k[1], s[0], s[1], p[0], p[1],
        countIncludePad ? 1 : 0, div);
      if (gc !== g) gc.dispose();
      return [dx];
    });
  }
  return out;
}

/**
 * The mean over each `kernelSize` window of the last two dims of a (N, C, H, W) or (C, H, W)
 * input; `countIncludePad` (default true) counts the zero padding in the divisor,
 * `divisorOverride` replaces it. PyTorch: `F.avg_pool2d`.
 */
export function avgPool2d(input: Tensor, kernelSize: IntOrTuple, options?: AvgPoolOptions): Tensor {
  return avgPool(input, 2, kernelSize, options, 'avgPool2d');
}

/** The mean over each window of the last dim of a (N, C, L) or (C, L) input. PyTorch: `F.avg_pool1d`. */
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple, options?: Omit<AvgPoolOptions, 'divisorOverride'>): Tensor {
  return avgPool(input, 1, kernelSize, options, 'avgPool1d');
}

// ---- adaptive average pooling -----------------------------------------------------------------

/** An output size for adaptive pooling: one size for both dims, or [H, W] where null keeps the input's. PyTorch: `output_size`. */
export type AdaptiveSize = number | null | readonly (number | null)[];

/** The (OH, OW) of adaptive pooling, with PyTorch's checks. */
export function adaptiveSize(outputSize: AdaptiveSize, H: number, W: number, op: string): [number, number] {
  const ok = (v: unknown): boolean => v === null || Number.isInteger(v);
  let pair: (number | null)[];
  if (ok(outputSize) && !Array.isArray(outputSize)) pair = [outputSize as number | null, outputSize as number | null];
  else if (Array.isArray(outputSize) && outputSize.every(ok)) pair = [...outputSize];
  else throw new TypeError(`${op}: output_size must be an integer, null or an array of two of them, got ${describeValue(outputSize)}`);
  if (pair.length !== 2) throw new RangeError(`${op}: output_size must be 2, got ${pair.length} values`);
  const oh = pair[0] ?? H, ow = pair[1] ?? W;
  if (oh < 0 || ow < 0) throw new RangeError(`${op}: elements of output_size must be greater than or equal to 0 but received {${oh}, ${ow}}`);
  return [oh, ow];
}

/**
 * The mean over H×W windows that split the last two dims into `outputSize` cells (window o spans
 * floor(o·I/O) to ceil((o+1)·I/O), so windows overlap when the sizes don't divide). PyTorch: `F.adaptive_avg_pool2d`.
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const op = 'adaptiveAvgPool2d';
  input.ptr(op);
  assertFloat(input, op);
  const nd = input.ndim, sh = input.shape;
  if (nd !== 3 && nd !== 4) throw new RangeError(`${op}: Expected 3D or 4D tensor, but got ${fmt(sh)}`);
  for (let i = 1; i < nd; i++) {
    if (sh[i] === 0) throw new RangeError(`${op}: Expected input to have non-zero size for non-batch dimensions, but input has sizes ${fmt(sh)} with dimension ${i} being empty`);
  }
  const H = sh[nd - 2], W = sh[nd - 1];
  const [OH, OW] = adaptiveSize(outputSize, H, W, op);
  const planes = nd === 4 ? sh[0] * sh[1] : sh[0];
  const xc = dense(input);
  const out = Tensor.empty([...sh.slice(0, nd - 2), OH, OW], 'float32', op);
  K().adaptiveAvgPool2d(xc.ptr(op), out.ptr(op), planes, H, W, OH, OW);
  if (xc !== input) xc.dispose();
  if (needsGrad(input)) {
    const inShape = [...sh];
    record('AdaptiveAvgPool2DBackward0', out, [input], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(inShape, 'float32', 'backward');
      K().adaptiveAvgPool2dBackward(gc.ptr('backward'), dx.ptr('backward'), planes, H, W, OH, OW);
      if (gc !== g) gc.dispose();
      return [dx];
    });
  }
  return out;
}
