// Creation: tensor(data), zeros/ones/full/empty, randn/rand/randint, arange/linspace/eye, *Like.
import { Tensor, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { f32View, i32View } from '../runtime/storage.js';
import { fmt, checkSize, checkAllocSize, numelOf } from '../shape.js';
import { nextUniform, nextNormal, nextInt } from './random.js';
import { checkOptions, describeValue } from '../options.js';

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
  const bad = size.findIndex((d) => typeof d !== 'number');
  if (bad >= 0) throw new TypeError(`${op}: sizes must be numbers, got ${describeValue(size[bad])} at position ${bad}`);
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

/**
 * @internal Throws a RangeError naming `op` and `v` unless `v` converts to int32 without overflow
 * (it is then truncated toward zero), as PyTorch's "value cannot be converted to type int32 without
 * overflow"; NaN and ±Infinity never convert.
 */
export function checkInt32Value(v: number, op: string, what = 'value', where = ''): void {
  if (!(v >= -2147483648 && v <= 2147483647)) {
    throw new RangeError(`${op}: ${what} ${v}${where} cannot be converted to type int32 without overflow (int32 holds integers in [-2147483648, 2147483647])`);
  }
}

/** A trailing options object (anything object-like but an array or a tensor; checkOptions judges it). */
function isOptionsArg(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && (v as { isTensor?: unknown }).isTensor !== true && !ArrayBuffer.isView(v);
}

/** Throws a TypeError naming `op` and the argument unless `v` is a number. */
function numberArg(v: unknown, name: string, op: string, usage: string): number {
  if (typeof v !== 'number') {
    const hint = isOptionsArg(v) ? ` (the options object comes last: ${usage})` : ` (${usage})`;
    throw new TypeError(`${op}: ${name} must be a number, got ${describeValue(v)}${hint}`);
  }
  return v;
}

function fromFlat(values: ArrayLike<number>, shape: number[], dtype: DType, op: string): Tensor {
  const n = numelOf(shape);
  if (dtype === 'int32' && !(values instanceof Int32Array)) {
    for (let i = 0; i < n; i++) checkInt32Value(values[i], op, 'value', n === 1 ? '' : ` (at index ${i})`);
  }
  const t = Tensor.empty(shape, dtype, op);
  if (dtype === 'float32') f32View(t.ptr(op), n).set(values);
  else if (dtype === 'bool') {
    const v = i32View(t.ptr(op), n);
    for (let i = 0; i < n; i++) v[i] = values[i] !== 0 ? 1 : 0; // NaN is true, as bool(nan) in Python
  } else {
    const v = i32View(t.ptr(op), n);
    for (let i = 0; i < n; i++) v[i] = values[i]; // checked above: truncates toward zero, as PyTorch
  }
  return t;
}

/**
 * A tensor copied from a number, a boolean, nested arrays, a Float32Array or an Int32Array (booleans
 * alone give bool); into int32, fractions truncate toward zero and a value outside int32 is a
 * RangeError. PyTorch: `torch.tensor`.
 */
export function tensor(data: Nested | Float32Array | Int32Array, options: CreateOptions = {}): Tensor {
  const op = 'tensor';
  checkOptions(op, options, CREATE_OPTIONS);
  if (data instanceof Float32Array || data instanceof Int32Array) {
    const dtype = dtypeOf(options, op, data instanceof Int32Array ? 'int32' : 'float32');
    return finish(fromFlat(data, [data.length], dtype, op), options);
  }
  if (ArrayBuffer.isView(data)) {
    throw new TypeError(`${op}: ${describeValue(data)} is not supported (its element type would be lost); pass a Float32Array, an Int32Array or Array.from(data)`);
  }
  const [shape, flat, allBool] = flatten(data, op);
  const dtype = dtypeOf(options, op, allBool ? 'bool' : 'float32');
  return finish(fromFlat(flat, shape, dtype, op), options);
}

/** A tensor of `size` (an array) filled with `value` (a boolean gives bool; into int32 it truncates, and must fit). PyTorch: `torch.full`. */
export function full(size: number[], value: number | boolean, options: CreateOptions = {}, op = 'full'): Tensor {
  if (!Array.isArray(size)) throw new TypeError(`${op}: size must be an array of numbers, got ${describeValue(size)} (full(size, value, options))`);
  checkSize(size, op);
  const fillBool = typeof value === 'boolean';
  const v = fillBool ? (value ? 1 : 0) : numberArg(value, 'the fill value', op, op === 'full' ? 'full(size, value, options)' : `${op}(input, value, options)`);
  checkOptions(op, options, CREATE_OPTIONS);
  const dtype = dtypeOf(options, op, fillBool ? 'bool' : 'float32');
  if (dtype === 'int32') checkInt32Value(v, op, 'fill value');
  const t = Tensor.empty(size, dtype, op);
  if (t.dtype === 'bool') i32View(t.ptr(op), t.numel()).fill(v !== 0 ? 1 : 0);
  else if (t.dtype === 'int32') i32View(t.ptr(op), t.numel()).fill(v); // checked: truncates toward zero
  else K().fill(t.ptr(op), t.numel(), v);
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

/** Splits positional arguments from a trailing options object; refuses more than `max` positionals. */
function splitArgs(args: readonly unknown[], op: string, max: number, usage: string): [unknown[], CreateOptions | undefined] {
  const pos = [...args];
  let opts: CreateOptions | undefined;
  if (pos.length > 0 && isOptionsArg(pos[pos.length - 1])) opts = pos.pop() as CreateOptions;
  else if (pos.length > max) opts = pos.pop() as CreateOptions; // a non-object in the options slot: checkOptions names it
  while (pos.length > 0 && pos[pos.length - 1] === undefined) pos.pop(); // trailing undefined: the default
  if (pos.length > max) throw new TypeError(`${op}: takes ${usage}; got ${args.length} arguments`);
  return [pos, opts];
}

const RANDINT_USAGE = 'randint(high, size, options?) or randint(low, high, size, options?)';

/** Uniform integers from [low, high) (`low` defaults to 0: `randint(high, size)`), int32 by default. PyTorch: `torch.randint`. */
export function randint(high: number, size: number[], options?: CreateOptions): Tensor;
/** Uniform integers from [low, high), int32 by default. PyTorch: `torch.randint`. */
export function randint(low: number, high: number, size: number[], options?: CreateOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const op = 'randint';
  const [pos, opts] = splitArgs(args, op, 3, RANDINT_USAGE);
  // randint(high, size) when the second argument is the size, as PyTorch
  const [lowArg, highArg, size] = Array.isArray(pos[1]) && pos.length === 2 ? [0, pos[0], pos[1]] : pos;
  if (pos.length < 2) throw new TypeError(`${op}: takes ${RANDINT_USAGE}; the size is missing`);
  const low = numberArg(lowArg, 'low', op, RANDINT_USAGE), high = numberArg(highArg, 'high', op, RANDINT_USAGE);
  if (!Array.isArray(size)) throw new TypeError(`${op}: size must be an array of numbers, got ${describeValue(size)} (${RANDINT_USAGE})`);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw new RangeError(`randint: expected integers low < high, got ${low} and ${high}`);
  checkAllocSize(size, op); // before the values are drawn into a JS array
  checkOptions(op, opts, CREATE_OPTIONS);
  const options = opts ?? {};
  const dtype = dtypeOf(options, op, 'int32');
  if (dtype === 'int32') { checkInt32Value(low, op, 'low'); checkInt32Value(high - 1, op, 'high - 1 ='); }
  const vals = Array.from({ length: numelOf(size) }, () => nextInt(low, high));
  return finish(fromFlat(vals, size, dtype, op), options);
}

const ARANGE_USAGE = 'arange(end, options?), arange(start, end, options?) or arange(start, end, step, options?)';

/** Values from 0 to before `end` by 1 (int32 when `end` is an integer). PyTorch: `torch.arange(end)`. */
export function arange(end: number, options?: CreateOptions): Tensor;
/** Values from `start` to before `end` by `step` (int32 when all are integers). PyTorch: `torch.arange`. */
export function arange(start: number, end: number, options?: CreateOptions): Tensor;
/** Values from `start` to before `end` by `step` (int32 when all are integers). PyTorch: `torch.arange`. */
export function arange(start: number, end: number | undefined, step: number | undefined, options?: CreateOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const op = 'arange';
  const [pos, opts] = splitArgs(args, op, 3, ARANGE_USAGE);
  if (pos.length === 0) throw new TypeError(`${op}: takes ${ARANGE_USAGE}; the end is missing`);
  if (pos.length === 3 && pos[1] === undefined) pos.splice(0, 2, 0, pos[0]); // arange(end, undefined, step)
  const names = pos.length === 1 ? ['end'] : ['start', 'end', 'step'];
  pos.forEach((v, i) => numberArg(v, names[i], op, ARANGE_USAGE));
  const [start, end, step] = pos.length === 1 ? [0, pos[0] as number, 1] : [pos[0] as number, pos[1] as number, (pos[2] as number | undefined) ?? 1];
  checkOptions(op, opts, CREATE_OPTIONS);
  const options = opts ?? {};
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`arange: unsupported range: ${start} -> ${end} (expected finite numbers)`);
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be a non-zero finite number, got ${step}`);
  if ((step > 0 && end < start) || (step < 0 && end > start)) {
    throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign: start ${start}, end ${end}, step ${step}`);
  }
  const n = Math.ceil((end - start) / step);
  checkSize([n], op);
  const ints = Number.isInteger(start) && Number.isInteger(step) && Number.isInteger(end);
  const dtype = dtypeOf(options, op, ints ? 'int32' : 'float32');
  if (dtype === 'bool') throw new TypeError("arange: dtype 'bool' is not supported (as in PyTorch); expected 'float32' or 'int32'");
  if (dtype === 'int32' && n > 0) {
    // the values run monotonically from the first to the last: checking both checks them all
    const hint = ints && options.dtype === undefined ? "; PyTorch's result would be int64: pass { dtype: 'float32' }" : '';
    for (const v of [start, start + (n - 1) * step]) {
      if (!(v >= -2147483648 && v <= 2147483647)) throw new RangeError(`arange: value ${v} cannot be converted to type int32 without overflow (int32 holds integers in [-2147483648, 2147483647])${hint}`);
    }
  }
  const t = Tensor.empty([n], dtype, op);
  const v = dtype === 'float32' ? f32View(t.ptr(op), n) : i32View(t.ptr(op), n);
  for (let i = 0; i < n; i++) v[i] = start + i * step; // int32 truncates toward zero, as PyTorch
  return finish(t, options);
}

const LINSPACE_USAGE = 'linspace(start, end, steps, options?)';

/** `steps` evenly spaced float32 values from `start` to `end` inclusive. PyTorch: `torch.linspace`. */
export function linspace(start: number, end: number, steps: number, options?: CreateOptions): Tensor {
  const op = 'linspace';
  if (arguments.length > 4) throw new TypeError(`${op}: takes ${LINSPACE_USAGE}; got ${arguments.length} arguments`);
  numberArg(start, 'start', op, LINSPACE_USAGE); numberArg(end, 'end', op, LINSPACE_USAGE); numberArg(steps, 'steps', op, LINSPACE_USAGE);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  checkAllocSize([steps], op); // before the values are listed: a size past the memory limit throws here
  checkOptions(op, options, CREATE_OPTIONS);
  const opts = options ?? {};
  const dtype = dtypeOf(opts, op);
  if (dtype === 'bool') throw new TypeError("linspace: dtype 'bool' is not supported (as in PyTorch); expected 'float32' or 'int32'");
  const vals = Array.from({ length: steps }, (_, i) => (steps === 1 ? start : start + (end - start) * (i / (steps - 1))));
  return finish(fromFlat(vals, [steps], dtype, op), opts); // int32 truncates toward zero, as PyTorch
}

const EYE_USAGE = 'eye(n, options?) or eye(n, m, options?)';

/** An n×n matrix with ones on the diagonal. PyTorch: `torch.eye(n)`. */
export function eye(n: number, options?: CreateOptions): Tensor;
/** An n×m matrix with ones on the diagonal. PyTorch: `torch.eye(n, m)`. */
export function eye(n: number, m?: number, options?: CreateOptions): Tensor;
export function eye(...args: unknown[]): Tensor {
  const op = 'eye';
  const [pos, opts] = splitArgs(args, op, 2, EYE_USAGE);
  if (pos.length === 0) throw new TypeError(`${op}: takes ${EYE_USAGE}; n is missing`);
  const n = numberArg(pos[0], 'n', op, EYE_USAGE);
  const m = pos.length > 1 ? numberArg(pos[1], 'm', op, EYE_USAGE) : n;
  checkSize([n, m], op);
  checkOptions(op, opts, CREATE_OPTIONS);
  const options = opts ?? {};
  const t = full([n, m], 0, options, op);
  const v = t.dtype === 'float32' ? f32View(t.ptr(op), n * m) : i32View(t.ptr(op), n * m);
  for (let i = 0; i < Math.min(n, m); i++) v[i * m + i] = 1;
  return finish(t, options);
}

/** The options of a *Like function, checked under its name; `t`'s dtype unless one is given. */
function likeOptions(op: string, t: Tensor, o: CreateOptions): CreateOptions {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor, got ${describeValue(t)}`);
  t.ptr(op); // a disposed input has no shape to copy
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
