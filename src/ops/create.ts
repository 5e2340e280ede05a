// Creation: tensor(data), zeros/ones/full/empty, randn/rand/randint, arange/linspace/eye, *Like.
import { Tensor, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { f32View, i32View } from '../runtime/storage.js';
import { fmt, checkSize, numelOf } from '../shape.js';
import { nextUniform, nextNormal, nextInt } from './random.js';
import { checkOptions } from '../options.js';

/** Options of the creation functions: `dtype` (float32 unless noted) and `requiresGrad`. PyTorch: the `dtype` and `requires_grad` keywords. */
export interface CreateOptions { requiresGrad?: boolean; dtype?: DType }
/** A size as numbers or one array, optionally followed by CreateOptions: `zeros(2, 3)`, `zeros([2, 3], { dtype })`. */
export type SizeArgs = (number | number[] | CreateOptions)[];
/** The keys CreateOptions may have, with their types (checked by checkOptions). */
const CREATE_OPTIONS = { requiresGrad: 'boolean', dtype: ['float32', 'int32', 'bool'] } as const;

/** Splits `(2, 3, { requiresGrad })` or `([2, 3], opts)` into a size and options. */
export function parseSize(args: SizeArgs, op: string): [number[], CreateOptions] {
  let opts: CreateOptions = {};
  const rest = [...args];
  const last = rest[rest.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) { opts = last; rest.pop(); }
  const size = rest.length === 1 && Array.isArray(rest[0]) ? [...(rest[0] as number[])] : (rest as number[]);
  if (size.some((d) => Array.isArray(d))) throw new TypeError(`${op}: give the size as numbers or as one array, got ${JSON.stringify(args)}`);
  checkSize(size, op);
  checkOptions(op, opts, CREATE_OPTIONS);
  return [size, opts];
}

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function dtypeOf(opts: CreateOptions, op: string, fallback: DType = 'float32'): DType {
  const d = opts.dtype ?? fallback;
  if (d !== 'float32' && d !== 'int32' && d !== 'bool') throw new TypeError(`${op}: dtype must be 'float32', 'int32' or 'bool', got '${String(d)}'`);
  if (opts.requiresGrad && d !== 'float32') throw new TypeError(`${op}: only float32 tensors can require gradients, got ${d}`);
  return d;
}

/** A number, a boolean or nested arrays of them. */
type Nested = number | boolean | Nested[];

/** The shape, the values as numbers, and whether every value was a boolean (then the default dtype is bool, as PyTorch). */
function flatten(data: Nested, op: string): [number[], number[], boolean] {
  const shape: number[] = [];
  let cur: Nested = data;
  while (Array.isArray(cur)) { shape.push(cur.length); cur = cur[0] as Nested; }
  const flat: number[] = [];
  let bools = 0;
  const walk = (x: Nested, d: number, path: string): void => {
    if (d === shape.length) {
      if (Array.isArray(x)) throw new RangeError(`${op}: ragged nested array at ${path} (expected shape ${fmt(shape)})`);
      if (typeof x !== 'number' && typeof x !== 'boolean') throw new TypeError(`${op}: expected numbers, got ${typeof x} at ${path}`);
      if (typeof x === 'boolean') bools++;
      flat.push(Number(x));
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[d]) throw new RangeError(`${op}: ragged nested array at ${path} (expected shape ${fmt(shape)})`);
    x.forEach((v, i) => walk(v, d + 1, `${path}[${i}]`));
  };
  walk(data, 0, 'data');
  return [shape, flat, bools > 0 && bools === flat.length];
}

function fromFlat(values: ArrayLike<number>, shape: number[], dtype: DType, op: string): Tensor {
  const t = Tensor.empty(shape, dtype, op);
  const n = numelOf(shape);
  if (dtype === 'float32') f32View(t.ptr(op), n).set(values);
  else if (dtype === 'bool') {
    const v = i32View(t.ptr(op), n);
    for (let i = 0; i < n; i++) v[i] = values[i] !== 0 ? 1 : 0; // NaN is true, as bool(nan) in Python
  } else {
    const v = i32View(t.ptr(op), n);
    for (let i = 0; i < n; i++) v[i] = values[i];
  }
  return t;
}

/** A tensor copied from a number, a boolean, nested arrays, a Float32Array or an Int32Array (booleans alone give bool). PyTorch: `torch.tensor`. */
export function tensor(data: Nested | Float32Array | Int32Array, options: CreateOptions = {}): Tensor {
  const op = 'tensor';
  checkOptions(op, options, CREATE_OPTIONS);
  if (data instanceof Float32Array || data instanceof Int32Array) {
    const dtype = dtypeOf(options, op, data instanceof Int32Array ? 'int32' : 'float32');
    return finish(fromFlat(data, [data.length], dtype, op), options);
  }
  const [shape, flat, allBool] = flatten(data, op);
  const dtype = dtypeOf(options, op, allBool ? 'bool' : 'float32');
  if (dtype === 'int32' && flat.some((v) => !Number.isInteger(v))) throw new TypeError('tensor: int32 data must be integers');
  return finish(fromFlat(flat, shape, dtype, op), options);
}

/** A tensor of `size` filled with `value`. PyTorch: `torch.full`. */
export function full(size: number[], value: number, options: CreateOptions = {}, op = 'full'): Tensor {
  checkSize(size, op);
  checkOptions(op, options, CREATE_OPTIONS);
  const t = Tensor.empty(size, dtypeOf(options, op), op);
  if (t.dtype === 'bool') i32View(t.ptr(op), t.numel()).fill(value !== 0 ? 1 : 0);
  else if (t.dtype === 'int32') i32View(t.ptr(op), t.numel()).fill(value);
  else K().fill(t.ptr(op), t.numel(), value);
  return finish(t, options);
}

/** A tensor filled with 0. PyTorch: `torch.zeros`. */
export function zeros(...args: SizeArgs): Tensor { const [s, o] = parseSize(args, 'zeros'); return full(s, 0, o, 'zeros'); }
/** A tensor filled with 1. PyTorch: `torch.ones`. */
export function ones(...args: SizeArgs): Tensor { const [s, o] = parseSize(args, 'ones'); return full(s, 1, o, 'ones'); }
/** A tensor with uninitialised data. PyTorch: `torch.empty`. */
export function empty(...args: SizeArgs): Tensor {
  const [s, o] = parseSize(args, 'empty');
  return finish(Tensor.empty(s, dtypeOf(o, 'empty'), 'empty'), o);
}

function random(args: SizeArgs, op: string, next: () => number): Tensor {
  const [s, o] = parseSize(args, op);
  if (o.dtype && o.dtype !== 'float32') throw new TypeError(`${op}: only float32 is supported, got ${o.dtype}`);
  const t = Tensor.empty(s, 'float32', op);
  const n = t.numel();
  const v = f32View(t.ptr(op), n);
  for (let i = 0; i < n; i++) v[i] = next();
  return finish(t, o);
}

/** Samples from the standard normal distribution. PyTorch: `torch.randn`. */
export const randn = (...args: SizeArgs): Tensor => random(args, 'randn', nextNormal);
/** Uniform samples from [0, 1). PyTorch: `torch.rand`. */
export const rand = (...args: SizeArgs): Tensor => random(args, 'rand', nextUniform);

/** Uniform integers from [low, high), int32 by default. PyTorch: `torch.randint`. */
export function randint(low: number, high: number, size: number[], options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw new RangeError(`randint: expected integers low < high, got ${low} and ${high}`);
  checkSize(size, 'randint');
  checkOptions('randint', options, CREATE_OPTIONS);
  const dtype = dtypeOf(options, 'randint', 'int32');
  const vals = Array.from({ length: numelOf(size) }, () => nextInt(low, high));
  return finish(fromFlat(vals, size, dtype, 'randint'), options);
}

/** Values from `start` to before `end` by `step` (int32 when all are integers). PyTorch: `torch.arange`. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  checkOptions('arange', options, CREATE_OPTIONS);
  if (end === undefined) { end = start; start = 0; }
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = Number.isInteger(start) && Number.isInteger(step) && Number.isInteger(end);
  const dtype = dtypeOf(options, 'arange', ints ? 'int32' : 'float32');
  if (dtype === 'bool') throw new TypeError("arange: dtype 'bool' is not supported (as in PyTorch); expected 'float32' or 'int32'");
  return finish(fromFlat(Array.from({ length: n }, (_, i) => start + i * step), [n], dtype, 'arange'), options);
}

/** `steps` evenly spaced float32 values from `start` to `end` inclusive. PyTorch: `torch.linspace`. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  checkOptions('linspace', options, CREATE_OPTIONS);
  const dtype = dtypeOf(options, 'linspace');
  if (dtype === 'bool') throw new TypeError("linspace: dtype 'bool' is not supported (as in PyTorch); expected 'float32' or 'int32'");
  const vals = Array.from({ length: steps }, (_, i) => (steps === 1 ? start : start + (end - start) * (i / (steps - 1))));
  return finish(fromFlat(vals, [steps], dtype, 'linspace'), options); // int32 truncates toward zero, as PyTorch
}

/** An n×m matrix with ones on the diagonal. PyTorch: `torch.eye`. */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  checkOptions('eye', options, CREATE_OPTIONS);
  const t = full([n, m], 0, options, 'eye');
  const v = t.dtype === 'float32' ? f32View(t.ptr('eye'), n * m) : i32View(t.ptr('eye'), n * m);
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return finish(t, options);
}

/** The options of a *Like function, checked under its name; `t`'s dtype unless one is given. */
function likeOptions(op: string, t: Tensor, o: CreateOptions): CreateOptions {
  checkOptions(op, o, CREATE_OPTIONS);
  return { ...o, dtype: o.dtype ?? t.dtype };
}

/** Zeros with `t`'s shape and dtype. PyTorch: `torch.zeros_like`. */
export const zerosLike = (t: Tensor, o: CreateOptions = {}): Tensor => full(t.shape, 0, likeOptions('zerosLike', t, o), 'zerosLike');
/** Ones with `t`'s shape and dtype. PyTorch: `torch.ones_like`. */
export const onesLike = (t: Tensor, o: CreateOptions = {}): Tensor => full(t.shape, 1, likeOptions('onesLike', t, o), 'onesLike');
/** `value` everywhere, with `t`'s shape and dtype. PyTorch: `torch.full_like`. */
export const fullLike = (t: Tensor, value: number, o: CreateOptions = {}): Tensor => full(t.shape, value, likeOptions('fullLike', t, o), 'fullLike');
/** Standard normal samples with `t`'s shape and dtype: an int32 or bool `t` needs `{ dtype: 'float32' }`, as PyTorch. PyTorch: `torch.randn_like`. */
export const randnLike = (t: Tensor, o: CreateOptions = {}): Tensor => randomLike('randnLike', 'normal_kernel_cpu', t, o, randn);
/** Uniform samples from [0, 1) with `t`'s shape and dtype: an int32 or bool `t` needs `{ dtype: 'float32' }`, as PyTorch. PyTorch: `torch.rand_like`. */
export const randLike = (t: Tensor, o: CreateOptions = {}): Tensor => randomLike('randLike', 'check_uniform_bounds', t, o, rand);

/** A *Like sampler: `t`'s dtype unless one is given, and PyTorch's refusal of integer dtypes before drawing. */
function randomLike(op: string, kernel: string, t: Tensor, o: CreateOptions, draw: (...args: SizeArgs) => Tensor): Tensor {
  t.ptr(op);
  const opts = likeOptions(op, t, o);
  if (opts.dtype !== 'float32') {
    throw new TypeError(`${op}: sampling is not implemented for ${opts.dtype} (PyTorch: "${kernel}" not implemented for '${opts.dtype === 'int32' ? 'Int' : 'Bool'}'); pass { dtype: 'float32' }`);
  }
  return draw([...t.shape], opts);
}
