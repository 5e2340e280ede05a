// nn.functional additions of the nn family: oneHot, normalize (with its gradient), the
// argument parsing of dropout (which stays in functional.ts), and the activations with their
// arguments checked (relu, leakyRelu, gelu with approximate 'tanh', sigmoid, tanh, softmax, logSoftmax).
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/grad_mode.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { tidy } from '../runtime/scope.js';
import { f32View, i32View } from '../runtime/storage.js';
import { full, tensor, empty } from '../ops/create.js';
import { nextUniform } from '../ops/random.js';
import { abs, sign, sqrt, square, pow, mul, div, sub, add, assertFloat } from '../ops/elementwise.js';
import { clamp } from '../ops/clamp.js';
import {
  relu as reluOp, leakyRelu as leakyReluOp, gelu as geluOp, sigmoid as sigmoidOp, tanh as tanhOp,
} from '../ops/elementwise.js';
import { softmax as softmaxOp, logSoftmax as logSoftmaxOp } from '../ops/softmax.js';
import { sum, maxDim } from '../ops/reduce.js';
import { dense } from '../ops/movement.js';
import { fmt, normDim, aroundDim } from '../shape.js';
import { checkOptions, describeValue as describe } from '../options.js';

/**
 * One-hot encoding: an int32 tensor of class indices becomes int32 `[...shape, numClasses]` with
 * a 1 at each index (PyTorch returns int64; wasmtorch's integer dtype is int32). `numClasses`
 * −1 (the default) means the largest index + 1. PyTorch: `torch.nn.functional.one_hot`.
 */
export function oneHot(input: Tensor, numClasses = -1): Tensor {
  const op = 'F.oneHot';
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(input)}`);
  input.ptr(op);
  if (input.dtype !== 'int32') throw new TypeError(`${op}: one_hot is only applicable to index tensors (int32), got ${input.dtype} of shape ${fmt(input.shape)}`);
  if (typeof numClasses !== 'number') throw new TypeError(`${op}: numClasses must be a number, got ${describe(numClasses)}`);
  if (!Number.isInteger(numClasses) || numClasses < -1) throw new RangeError(`${op}: numClasses must be -1 (infer) or a non-negative integer, got ${numClasses}`);
  const n = input.numel();
  const c = dense(input);
  const idx = new Int32Array(i32View(c.ptr(op), n));
  if (c !== input) c.dispose();
  let classes = numClasses;
  if (classes === -1) {
    if (n === 0) throw new RangeError(`${op}: cannot infer the number of classes from an empty tensor (shape ${fmt(input.shape)}); pass numClasses`);
    classes = idx.reduce((m, v) => Math.max(m, v), 0) + 1;
  }
  for (let i = 0; i < n; i++) {
    if (idx[i] < 0 || idx[i] >= classes) {
      throw new RangeError(`${op}: class index ${idx[i]} (element ${i}) is out of range for ${classes} classes (expected 0 <= index < ${classes})`);
    }
  }
  const out = full([...input.shape, classes], 0, { dtype: 'int32' }, op);
  if (n > 0 && classes > 0) {
    const o = i32View(out.ptr(op), n * classes);
    for (let i = 0; i < n; i++) o[i * classes + idx[i]] = 1;
  }
  return out;
}

/** Options of `F.normalize`. PyTorch: `p`, `dim`, `eps`. */
export interface NormalizeOptions {
  /** The exponent of the norm: a positive number or `Infinity` (default 2). PyTorch: `p`. */
  p?: number;
  /** The dimension to normalise along, negative counting from the end (default 1). PyTorch: `dim`. */
  dim?: number;
  /** The smallest denominator, guarding against division by zero (default 1e-12). PyTorch: `eps`. */
  eps?: number;
}

/** The p-norm of x along d with the dim kept; no graph. */
function pnorm(x: Tensor, p: number, d: number): Tensor {
  return tidy(() => {
    if (p === 2) return sqrt(sum(square(x), d, true));
    const a = abs(x);
    if (p === 1) return sum(a, d, true);
    if (p === Infinity) return maxDim(a, d, true).values;
    return pow(sum(pow(a, p), d, true), 1 / p);
  });
}

/** A float32 tensor of `shape` holding f(i) for each flat index i. */
function fromFn(shape: number[], n: number, f: (i: number) => number): Tensor {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = f(i);
  const flat = tensor(v);
  const out = flat.reshape(shape);
  flat.dispose();
  return out;
}

/** ∂‖x‖ₚ/∂x along d (zero where the norm is zero), for the backward pass. */
function normGrad(x: Tensor, n: Tensor, p: number, d: number): Tensor {
  if (p === 2) { // x/‖x‖, 0 where the norm is 0 (x is 0 there; the caller masks those rows too)
    const safe = clamp(n, 1e-30, null);
    const out = div(x, safe);
    safe.dispose();
    return out;
  }
  if (p === 1) return sign(x);
  const xc = dense(x), nc = dense(n);
  const xs = f32View(xc.ptr('backward'), x.numel()), ns = f32View(nc.ptr('backward'), n.numel());
  const [outer, len, inner] = aroundDim(x.shape, d);
  let out: Tensor;
  if (p === Infinity) {
    // the gradient goes to the entries of largest magnitude, split evenly among ties (as PyTorch)
    const count = new Float32Array(outer * inner);
    for (let o = 0; o < outer; o++) for (let k = 0; k < len; k++) for (let i = 0; i < inner; i++) {
      if (Math.abs(xs[(o * len + k) * inner + i]) === ns[o * inner + i]) count[o * inner + i]++;
    }
    out = fromFn([...x.shape], x.numel(), (j) => {
      const o = Math.floor(j / (len * inner)), i = j % inner;
      const v = xs[j], m = ns[o * inner + i];
      return Math.abs(v) === m && v !== 0 ? Math.sign(v) / count[o * inner + i] : 0;
    });
  } else {
    out = fromFn([...x.shape], x.numel(), (j) => {
      const o = Math.floor(j / (len * inner)), i = j % inner;
      const v = xs[j], m = ns[o * inner + i];
      return v === 0 || m === 0 ? 0 : Math.sign(v) * Math.pow(Math.abs(v) / m, p - 1);
    });
  }
  if (xc !== x) xc.dispose();
  if (nc !== n) nc.dispose();
  return out;
}

/**
 * `x / max(‖x‖ₚ, eps)` along `dim`: unit-norm rows (or columns), with its gradient.
 * PyTorch: `torch.nn.functional.normalize`.
 */
export function normalize(input: Tensor, options?: NormalizeOptions): Tensor {
  const op = 'F.normalize';
  const o = checkOptions(op, options, { p: 'number', dim: 'number', eps: 'number' });
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(input)}`);
  input.ptr(op);
  if (input.dtype !== 'float32') throw new TypeError(`${op}: expected a float32 tensor, got ${input.dtype} of shape ${fmt(input.shape)}`);
  const p = o.p ?? 2, eps = o.eps ?? 1e-12;
  if (!(p > 0)) throw new RangeError(`${op}: p must be a positive number or Infinity, got ${p}`);
  if (Number.isNaN(eps)) throw new RangeError(`${op}: eps must be a number, got NaN`);
  const d = normDim(o.dim ?? 1, input.ndim, op);
  if (input.ndim > 0 && input.shape[d] === 0 && p === Infinity) {
    throw new RangeError(`${op}: the infinity norm of an empty dimension ${d} (shape ${fmt(input.shape)}) is undefined`);
  }
  const [n, den, out] = noGrad(() => tidy(() => {
    const nn = pnorm(input, p, d);
    const dd = clamp(nn, eps, null);
    return [nn, dd, div(input, dd)] as const;
  }));
  if (needsGrad(input)) {
    const sx = save(input), sn = save(n), sd = save(den);
    record('DivBackward0', out, [input], (g) => {
      // dx = g/den − [‖x‖ ≥ eps, ‖x‖ > 0] · Σ(g·x)/den² · ∂‖x‖/∂x
      const s = sum(mul(g, sx), d, true);
      const ns = f32View(sn.ptr('backward'), sn.numel()), ds = f32View(sd.ptr('backward'), sd.numel());
      const coef = fromFn([...sn.shape], sn.numel(), (i) => (ns[i] >= eps && ns[i] > 0 ? 1 / (ds[i] * ds[i]) : 0));
      const dn = normGrad(sx, sn, p, d);
      return [sub(div(g, sd), mul(mul(s, coef), dn))];
    }, [sx, sn, sd]);
  }
  n.dispose(); den.dispose();
  return out;
}

/** Options of `F.dropout`. PyTorch: `p`, `training`. */
export interface DropoutOptions {
  /** The probability of zeroing an element, in [0, 1] (default 0.5). PyTorch: `p`. */
  p?: number;
  /** Whether to drop at all; false makes dropout the identity (default true, as `F.dropout`). PyTorch: `training`. */
  training?: boolean;
}

/** `F.dropout`'s arguments, `(input, { p, training })` or PyTorch's positional `(input, p, training)`, checked. */
export function dropoutArgs(options: DropoutOptions | number | undefined, training: boolean | undefined): { p: number; training: boolean } {
  const op = 'F.dropout';
  let p: unknown, tr: unknown;
  if (typeof options === 'number' || options === undefined) {
    p = options ?? 0.5; tr = training ?? true;
  } else {
    if (training !== undefined) throw new TypeError(`${op}: give training either in the options object or positionally, not both`);
    const o = checkOptions(op, options, { p: 'number', training: 'boolean' });
    p = o.p ?? 0.5; tr = o.training ?? true;
  }
  if (typeof p !== 'number') throw new TypeError(`${op}: p must be a number, got ${describe(p)}`);
  if (typeof tr !== 'boolean') throw new TypeError(`${op}: training must be a boolean, got ${describe(tr)}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${op}: dropout probability has to be between 0 and 1, but got ${p}`);
  return { p, training: tr };
}

// ---- activations: PyTorch's arguments, positional or as an options object, checked -------------

/** How `F.gelu` computes Φ: `'none'` is the exact erf form, `'tanh'` PyTorch's tanh approximation. PyTorch: `approximate`. */
export type GeluApproximate = 'none' | 'tanh';

/** Options of `F.gelu` and `nn.GELU`. PyTorch: `approximate`. */
export interface GELUOptions {
  /** `'none'` (the default, the erf form) or `'tanh'` (`0.5·x·(1+tanh(√(2/π)·(x+0.044715·x³)))`). PyTorch: `approximate`. */
  approximate?: GeluApproximate;
}

/** Options of `F.relu` and `nn.ReLU`. PyTorch: `inplace`. */
export interface ReLUOptions {
  /** Must be false (the default): wasmtorch has no in-place activations. PyTorch: `inplace`. */
  inplace?: boolean;
}

/** Options of `F.leakyRelu` and `nn.LeakyReLU`. PyTorch: `negative_slope`, `inplace`. */
export interface LeakyReLUOptions {
  /** The factor of negative inputs, a finite number (default 0.01). PyTorch: `negative_slope`. */
  negativeSlope?: number;
  /** Must be false (the default): wasmtorch has no in-place activations. PyTorch: `inplace`. */
  inplace?: boolean;
}

/** Options of `F.softmax`, `F.logSoftmax`, `nn.Softmax` and `nn.LogSoftmax`. PyTorch: `dim`. */
export interface SoftmaxOptions {
  /** The dimension to normalise along, negative counting from the end (required). PyTorch: `dim`. */
  dim?: number;
}

/** Options of `nn.Flatten`. PyTorch: `start_dim`, `end_dim`. */
export interface FlattenOptions {
  /** The first dim to merge (default 1, keeping the batch dim). PyTorch: `start_dim`. */
  startDim?: number;
  /** The last dim to merge, negative counting from the end (default −1). PyTorch: `end_dim`. */
  endDim?: number;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor);
}

/** Throws unless `args` holds at most `n` arguments; `what` lists the ones PyTorch has. */
export function noExtraArgs(op: string, args: ArrayLike<unknown>, n: number, what: string): void {
  if (args.length > n) throw new TypeError(`${op}: takes ${what}, got ${args.length} arguments`);
}

/** Accepts `inplace` false or absent; true is a TypeError (no in-place activations here). */
export function checkInplace(op: string, inplace: unknown): void {
  if (inplace === undefined || inplace === false) return;
  if (inplace === true) throw new TypeError(`${op}: inplace=true is not supported (wasmtorch has no in-place activations); use the returned tensor (inplace: false, the default)`);
  throw new TypeError(`${op}: inplace must be a boolean, got ${describe(inplace)}`);
}

/** `(inplace?)` or `({ inplace })` of ReLU, checked. */
export function reluArgs(op: string, arg: unknown): void {
  if (isPlain(arg)) checkInplace(op, checkOptions<ReLUOptions>(op, arg, { inplace: 'boolean' }).inplace);
  else checkInplace(op, arg);
}

/** `(negativeSlope?, inplace?)` or `({ negativeSlope, inplace })` of LeakyReLU, checked: the slope. */
export function leakyReluArgs(op: string, arg: unknown, inplace: unknown): number {
  let slope: unknown = arg;
  if (isPlain(arg)) {
    if (inplace !== undefined) throw new TypeError(`${op}: give inplace either in the options object or positionally, not both`);
    const o = checkOptions<LeakyReLUOptions>(op, arg, { negativeSlope: 'number', inplace: 'boolean' });
    slope = o.negativeSlope;
    checkInplace(op, o.inplace);
  } else {
    checkInplace(op, inplace);
  }
  if (slope === undefined) return 0.01;
  if (typeof slope !== 'number' || !Number.isFinite(slope)) {
    throw new TypeError(`${op}: negativeSlope must be a finite number (or { negativeSlope }), got ${describe(slope)}`);
  }
  return slope;
}

/** `(approximate?)` or `({ approximate })` of GELU, checked. */
export function geluArgs(op: string, arg: unknown): GeluApproximate {
  let a: unknown = arg;
  if (isPlain(arg)) a = checkOptions<GELUOptions>(op, arg, { approximate: 'string' }).approximate;
  if (a === undefined) return 'none';
  if (a !== 'none' && a !== 'tanh') throw new TypeError(`${op}: approximate must be 'none' or 'tanh', got ${describe(a)}`);
  return a;
}

/** `(dim)` or `({ dim })` of softmax/logSoftmax, checked: undefined when not given. */
export function softmaxDimArg(op: string, arg: unknown): number | undefined {
  const d = isPlain(arg) ? checkOptions<SoftmaxOptions>(op, arg, { dim: 'number' }).dim : arg;
  if (d === undefined) return undefined;
  if (!Number.isInteger(d)) throw new TypeError(`${op}: dim must be an integer (or { dim }), got ${describe(d)}`);
  return d as number;
}

/** `(startDim?, endDim?)` or `({ startDim, endDim })` of Flatten, checked. */
export function flattenArgs(op: string, start: unknown, end: unknown): [number, number] {
  let s = start, e = end;
  if (isPlain(start)) {
    if (end !== undefined) throw new TypeError(`${op}: give endDim either in the options object or positionally, not both`);
    const o = checkOptions<FlattenOptions>(op, start, { startDim: 'number', endDim: 'number' });
    s = o.startDim; e = o.endDim;
  }
  s ??= 1; e ??= -1;
  for (const [v, name] of [[s, 'startDim'], [e, 'endDim']] as const) {
    if (!Number.isInteger(v)) throw new TypeError(`${op}: ${name} must be an integer, got ${describe(v)}`);
  }
  return [s as number, e as number];
}

function checkInput(op: string, input: unknown): asserts input is Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(input)}`);
}

/** `max(x, 0)`, elementwise; `inplace` (positional or `{ inplace }`) must be false. PyTorch: `F.relu`. */
export function relu(input: Tensor, inplace?: boolean | ReLUOptions): Tensor {
  const op = 'F.relu';
  noExtraArgs(op, arguments, 2, '(input, inplace?)');
  checkInput(op, input);
  reluArgs(op, inplace);
  return reluOp(input);
}

/**
 * `x` where positive, else `negativeSlope·x`: `leakyRelu(x, 0.2)` or `leakyRelu(x, { negativeSlope: 0.2 })`
 * (default 0.01); `inplace` must be false. PyTorch: `F.leaky_relu`.
 */
export function leakyRelu(input: Tensor, negativeSlope?: number | LeakyReLUOptions, inplace?: boolean): Tensor {
  const op = 'F.leakyRelu';
  noExtraArgs(op, arguments, 3, '(input, negativeSlope?, inplace?)');
  checkInput(op, input);
  return leakyReluOp(input, leakyReluArgs(op, negativeSlope, inplace));
}

/** `0.5·x·(1+tanh(√(2/π)·(x+0.044715·x³)))`, composed of differentiable ops. */
function geluTanh(x: Tensor): Tensor {
  return tidy(() => {
    const inner = mul(add(x, mul(mul(square(x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanhOp(inner), 1));
  });
}

/**
 * GELU, `x·Φ(x)`: the exact erf form by default, PyTorch's tanh approximation with
 * `gelu(x, { approximate: 'tanh' })` (or `gelu(x, 'tanh')`). PyTorch: `F.gelu`.
 */
export function gelu(input: Tensor, approximate?: GeluApproximate | GELUOptions): Tensor {
  const op = 'F.gelu';
  noExtraArgs(op, arguments, 2, '(input, approximate?)');
  checkInput(op, input);
  const a = geluArgs(op, approximate);
  if (a === 'none') return geluOp(input);
  input.ptr(op);
  assertFloat(input, op);
  return geluTanh(input);
}

/** `1/(1+e⁻ˣ)`, elementwise. PyTorch: `F.sigmoid`. */
export function sigmoid(input: Tensor): Tensor {
  noExtraArgs('F.sigmoid', arguments, 1, 'only (input)');
  checkInput('F.sigmoid', input);
  return sigmoidOp(input);
}

/** Hyperbolic tangent, elementwise. PyTorch: `F.tanh`. */
export function tanh(input: Tensor): Tensor {
  noExtraArgs('F.tanh', arguments, 1, 'only (input)');
  checkInput('F.tanh', input);
  return tanhOp(input);
}

function softmaxFn(op: string, log: boolean, input: Tensor, dim: unknown, nArgs: number): Tensor {
  noExtraArgs(op, { length: nArgs }, 2, '(input, dim) (dtype and _stacklevel are not supported)');
  checkInput(op, input);
  const d = softmaxDimArg(op, dim);
  return (log ? logSoftmaxOp : softmaxOp)(input, d as number);
}

/** `exp(x)/Σexp(x)` along `dim`: `softmax(x, 1)` or `softmax(x, { dim: 1 })`. PyTorch: `F.softmax`. */
export function softmax(input: Tensor, dim: number | SoftmaxOptions): Tensor {
  return softmaxFn('F.softmax', false, input, dim, arguments.length);
}

/** `log(softmax(x))` along `dim`, computed stably: `logSoftmax(x, 1)` or `logSoftmax(x, { dim: 1 })`. PyTorch: `F.log_softmax`. */
export function logSoftmax(input: Tensor, dim: number | SoftmaxOptions): Tensor {
  return softmaxFn('F.logSoftmax', true, input, dim, arguments.length);
}

/** @internal dropout's and Dropout2d's work: input × a mask of maskShape (broadcast over input) holding 0 with probability p, else 1/(1−p). */
export function dropMasked(input: Tensor, p: number, maskShape: number[], op: string): Tensor {
  const mask = noGrad(() => empty(maskShape));
  const n = mask.numel(), scale = p === 1 ? 0 : 1 / (1 - p);
  const v = f32View(mask.ptr(op), n);
  for (let i = 0; i < n; i++) v[i] = nextUniform() < p ? 0 : scale;
  const out = mul(input, mask); // the mask is saved by mul for backward
  mask.dispose();
  return out;
}

