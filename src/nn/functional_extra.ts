// nn.functional additions of the nn family: oneHot, normalize (with its gradient), and the
// argument parsing of dropout (which stays in functional.ts).
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/grad_mode.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { tidy } from '../runtime/scope.js';
import { f32View, i32View } from '../runtime/storage.js';
import { full, tensor } from '../ops/create.js';
import { abs, sign, sqrt, square, pow, mul, div, sub, clamp } from '../ops/elementwise.js';
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
