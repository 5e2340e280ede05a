// nn.init: fill a weight in place, under noGrad, by PyTorch's rules for gains and fans, and
// return it. Random draws come from the seeded stream (torch.manualSeed), so the values are not
// PyTorch's, but every bound and standard deviation is.
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/grad_mode.js';
import { eye, tensor } from '../ops/create.js';
import { nextNormal, nextUniform } from '../ops/random.js';
import { fmt, numelOf } from '../shape.js';
import { checkOptions, describeValue as describe } from '../options.js';

/**
 * The nonlinearities `calculateGain` knows, spelled as PyTorch spells them (they are values
 * shared with PyTorch code, like `'leaky_relu'`, not JavaScript keys). PyTorch: the `nonlinearity` argument.
 */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d'
  | 'conv_transpose3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
const NONLINEARITIES = [...LINEAR_FNS, 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'];

/**
 * The recommended gain for a nonlinearity: 1 for linear and convolutions and sigmoid, 5/3 for
 * tanh, √2 for relu, √(2/(1+slope²)) for leaky_relu (`param` is the slope, default 0.01), 3/4
 * for selu. Names are PyTorch's strings (`'leaky_relu'`, `'conv_transpose2d'`); `param` is
 * accepted only with `'leaky_relu'`. PyTorch: `torch.nn.init.calculate_gain`.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const op = 'nn.init.calculateGain';
  if (typeof nonlinearity !== 'string') throw new TypeError(`${op}: nonlinearity must be a string, got ${describe(nonlinearity)}`);
  if (!NONLINEARITIES.includes(nonlinearity)) {
    const snake = nonlinearity.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const hint = snake !== nonlinearity && NONLINEARITIES.includes(snake) ? ` (did you mean '${snake}'? the names are PyTorch's strings)` : '';
    throw new RangeError(`${op}: unsupported nonlinearity '${nonlinearity}'${hint}; expected one of ${NONLINEARITIES.join(', ')}`);
  }
  if (param !== undefined && nonlinearity !== 'leaky_relu') {
    throw new TypeError(`${op}: param (${describe(param)}) is used only by 'leaky_relu', not by '${nonlinearity}'`);
  }
  if (param !== undefined && typeof param !== 'number') throw new TypeError(`${op}: negative_slope ${describe(param)} is not a valid number`);
  if (LINEAR_FNS.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2);
  if (nonlinearity === 'selu') return 3 / 4;
  const slope = param ?? 0.01;
  return Math.sqrt(2 / (1 + slope * slope));
}

function checkTensor(t: unknown, op: string, floatOnly: boolean): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(t)}`);
  t.ptr(op); // a disposed tensor throws
  if (floatOnly && t.dtype !== 'float32') throw new TypeError(`${op}: expected a float32 tensor, got ${t.dtype} of shape ${fmt(t.shape)}`);
  return t;
}

/** PyTorch's `_calculate_fan_in_and_fan_out`: dims 1 and 0 times the receptive field (dims 2...). */
function fans(t: Tensor, op: string): [number, number] {
  if (t.ndim < 2) throw new RangeError(`${op}: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape ${fmt(t.shape)})`);
  const receptive = numelOf(t.shape.slice(2));
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function num<T extends object>(o: T, key: keyof T, fallback: number): number {
  return (o[key] as number | undefined) ?? fallback;
}

function fillUniform(t: Tensor, a: number, b: number, op: string): Tensor {
  if (!(a <= b)) throw new RangeError(`${op}: expects a <= b (a range [a, b)), got a=${a} and b=${b}`);
  return noGrad(() => t.uniform_(a, b));
}

function fillNormal(t: Tensor, mean: number, std: number, op: string): Tensor {
  if (!(std >= 0)) throw new RangeError(`${op}: expects std >= 0, got ${std}`);
  return noGrad(() => t.normal_(mean, std));
}

/** Options of `nn.init.uniform_`: the range `[a, b)`, default `[0, 1)`. PyTorch: `a`, `b`. */
export interface UniformOptions {
  /** The lower bound (default 0). PyTorch: `a`. */
  a?: number;
  /** The upper bound (default 1). PyTorch: `b`. */
  b?: number;
}

/** Fills `t` with samples of U(a, b) in place and returns it. PyTorch: `torch.nn.init.uniform_`. */
export function uniform_(t: Tensor, options?: UniformOptions): Tensor {
  const op = 'nn.init.uniform_';
  const o = checkOptions(op, options, { a: 'number', b: 'number' });
  checkTensor(t, op, true);
  return fillUniform(t, num(o, 'a', 0), num(o, 'b', 1), op);
}

/** Options of `nn.init.normal_`: mean (default 0) and std (default 1). PyTorch: `mean`, `std`. */
export interface NormalOptions {
  /** The mean (default 0). PyTorch: `mean`. */
  mean?: number;
  /** The standard deviation (default 1). PyTorch: `std`. */
  std?: number;
}

/** Fills `t` with samples of N(mean, std²) in place and returns it. PyTorch: `torch.nn.init.normal_`. */
export function normal_(t: Tensor, options?: NormalOptions): Tensor {
  const op = 'nn.init.normal_';
  const o = checkOptions(op, options, { mean: 'number', std: 'number' });
  checkTensor(t, op, true);
  return fillNormal(t, num(o, 'mean', 0), num(o, 'std', 1), op);
}

/** Options of `nn.init.truncNormal_`: N(mean, std²) cut to `[a, b]` (defaults 0, 1, −2, 2). PyTorch: `mean`, `std`, `a`, `b`. */
export interface TruncNormalOptions {
  /** The mean of the normal (default 0). PyTorch: `mean`. */
  mean?: number;
  /** The standard deviation of the normal before truncation (default 1). PyTorch: `std`. */
  std?: number;
  /** The lowest value (default −2). PyTorch: `a`. */
  a?: number;
  /** The highest value (default 2). PyTorch: `b`. */
  b?: number;
}

/**
 * Fills `t` with samples of N(mean, std²) truncated to `[a, b]` in place (by the inverse CDF, as
 * PyTorch) and returns it. PyTorch: `torch.nn.init.trunc_normal_`.
 */
export function truncNormal_(t: Tensor, options?: TruncNormalOptions): Tensor {
  const op = 'nn.init.truncNormal_';
  const o = checkOptions(op, options, { mean: 'number', std: 'number', a: 'number', b: 'number' });
  checkTensor(t, op, true);
  const mean = num(o, 'mean', 0), std = num(o, 'std', 1), a = num(o, 'a', -2), b = num(o, 'b', 2);
  if (!(std >= 0)) throw new RangeError(`${op}: expects std >= 0, got ${std}`);
  if (!(a <= b)) throw new RangeError(`${op}: expects a <= b, got a=${a} and b=${b}`);
  const n = t.numel();
  const vals = new Float32Array(n);
  if (std === 0) vals.fill(Math.min(Math.max(mean, a), b));
  else {
    // uniform in [2l−1, 2u−1] mapped through erfinv: the truncated normal's inverse CDF
    const l = normCdf((a - mean) / std), u = normCdf((b - mean) / std);
    for (let i = 0; i < n; i++) {
      const p = 2 * l - 1 + (2 * u - 2 * l) * nextUniform();
      const v = mean + std * Math.SQRT2 * erfinv(p);
      vals[i] = Math.min(Math.max(v, a), b);
    }
  }
  return writeValues(t, vals);
}

/** Fills `t` with `value` in place and returns it. PyTorch: `torch.nn.init.constant_`. */
export function constant_(t: Tensor, value: number): Tensor {
  const op = 'nn.init.constant_';
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${describe(value)}`);
  checkTensor(t, op, false);
  return noGrad(() => t.fill_(value));
}

/** Fills `t` with zeros in place and returns it. PyTorch: `torch.nn.init.zeros_`. */
export function zeros_(t: Tensor): Tensor { checkTensor(t, 'nn.init.zeros_', false); return noGrad(() => t.fill_(0)); }

/** Fills `t` with ones in place and returns it. PyTorch: `torch.nn.init.ones_`. */
export function ones_(t: Tensor): Tensor { checkTensor(t, 'nn.init.ones_', false); return noGrad(() => t.fill_(1)); }

/** Fills the 2-D `t` with the identity (ones on the diagonal) in place and returns it. PyTorch: `torch.nn.init.eye_`. */
export function eye_(t: Tensor): Tensor {
  const op = 'nn.init.eye_';
  checkTensor(t, op, false);
  if (t.ndim !== 2) throw new RangeError(`${op}: only tensors with 2 dimensions are supported, got shape ${fmt(t.shape)}`);
  return noGrad(() => {
    const e = eye(t.shape[0], t.shape[1], { dtype: t.dtype });
    t.copy_(e);
    e.dispose();
    return t;
  });
}

/** Options of the Xavier (Glorot) initialisers: the `gain` (default 1). PyTorch: `gain`. */
export interface XavierOptions {
  /** The scaling factor, e.g. `calculateGain('tanh')` (default 1). PyTorch: `gain`. */
  gain?: number;
}

function xavierStd(t: Tensor, options: XavierOptions | undefined, op: string): number {
  const o = checkOptions(op, options, { gain: 'number' });
  checkTensor(t, op, true);
  const [fanIn, fanOut] = fans(t, op);
  return num(o, 'gain', 1) * Math.sqrt(2 / (fanIn + fanOut));
}

/** Fills `t` from U(−b, b) with b = gain·√(6/(fanIn+fanOut)) in place and returns it. PyTorch: `torch.nn.init.xavier_uniform_`. */
export function xavierUniform_(t: Tensor, options?: XavierOptions): Tensor {
  const op = 'nn.init.xavierUniform_';
  const std = xavierStd(t, options, op);
  const bound = Math.sqrt(3) * std;
  return fillUniform(t, -bound, bound, op);
}

/** Fills `t` from N(0, std²) with std = gain·√(2/(fanIn+fanOut)) in place and returns it. PyTorch: `torch.nn.init.xavier_normal_`. */
export function xavierNormal_(t: Tensor, options?: XavierOptions): Tensor {
  const op = 'nn.init.xavierNormal_';
  return fillNormal(t, 0, xavierStd(t, options, op), op);
}

/** Which fan Kaiming initialisation preserves: `'fanIn'` (forward pass, the default) or `'fanOut'` (backward). PyTorch: `mode='fan_in' | 'fan_out'`. */
export type FanMode = 'fanIn' | 'fanOut';

/** Options of the Kaiming (He) initialisers. PyTorch: `a`, `mode`, `nonlinearity`. */
export interface KaimingOptions {
  /** The negative slope of the leaky ReLU that follows (default 0; only with `'leaky_relu'`). PyTorch: `a`. */
  a?: number;
  /** `'fanIn'` (default) or `'fanOut'`: JavaScript's spelling of PyTorch's `'fan_in'`/`'fan_out'`. PyTorch: `mode`. */
  mode?: FanMode;
  /** The nonlinearity that follows, as PyTorch's string (default `'leaky_relu'`). PyTorch: `nonlinearity`. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions | undefined, op: string): number | null {
  // mode is JavaScript's spelling of PyTorch's 'fan_in'/'fan_out'; nothing else is accepted
  const o = checkOptions(op, options, { a: 'number', mode: ['fanIn', 'fanOut'], nonlinearity: 'string' });
  const mode = o.mode ?? 'fanIn';
  const nonlinearity = o.nonlinearity ?? 'leaky_relu';
  if (o.a !== undefined && nonlinearity !== 'leaky_relu') {
    throw new TypeError(`${op}: option 'a' is used only with nonlinearity 'leaky_relu', not '${nonlinearity}'`);
  }
  const gain = calculateGain(nonlinearity, nonlinearity === 'leaky_relu' ? num(o, 'a', 0) : undefined);
  checkTensor(t, op, true);
  if (t.numel() === 0) return null; // PyTorch: initializing zero-element tensors is a no-op
  const [fanIn, fanOut] = fans(t, op);
  return gain / Math.sqrt(mode === 'fanIn' ? fanIn : fanOut);
}

/** Fills `t` from U(−b, b) with b = gain·√(3/fan) in place and returns it. PyTorch: `torch.nn.init.kaiming_uniform_`. */
export function kaimingUniform_(t: Tensor, options?: KaimingOptions): Tensor {
  const op = 'nn.init.kaimingUniform_';
  const std = kaimingStd(t, options, op);
  if (std === null) return t;
  const bound = Math.sqrt(3) * std;
  return fillUniform(t, -bound, bound, op);
}

/** Fills `t` from N(0, std²) with std = gain/√fan in place and returns it. PyTorch: `torch.nn.init.kaiming_normal_`. */
export function kaimingNormal_(t: Tensor, options?: KaimingOptions): Tensor {
  const op = 'nn.init.kaimingNormal_';
  const std = kaimingStd(t, options, op);
  if (std === null) return t;
  return fillNormal(t, 0, std, op);
}

/** Options of `nn.init.orthogonal_`: the `gain` (default 1). PyTorch: `gain`. */
export interface OrthogonalOptions {
  /** The scaling factor of the orthogonal matrix (default 1). PyTorch: `gain`. */
  gain?: number;
}

/**
 * Fills `t` (≥ 2-D, seen as [size(0), rest]) with a (semi-)orthogonal matrix times `gain` in place:
 * the Q of a Gaussian matrix's QR with R's diagonal made positive, as PyTorch. PyTorch: `torch.nn.init.orthogonal_`.
 */
export function orthogonal_(t: Tensor, options?: OrthogonalOptions): Tensor {
  const op = 'nn.init.orthogonal_';
  const o = checkOptions(op, options, { gain: 'number' });
  checkTensor(t, op, true);
  if (t.ndim < 2) throw new RangeError(`${op}: only tensors with 2 or more dimensions are supported, got shape ${fmt(t.shape)}`);
  if (t.numel() === 0) return t;
  const gain = num(o, 'gain', 1);
  const rows = t.shape[0], cols = t.numel() / rows;
  // QR of the tall orientation: m × n with m ≥ n
  const m = Math.max(rows, cols), n = Math.min(rows, cols);
  const q = new Float64Array(m * n); // row-major m × n
  for (let i = 0; i < m * n; i++) q[i] = nextNormal();
  // modified Gram–Schmidt, each column orthogonalised twice (R's diagonal comes out positive)
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let r = 0;
        for (let i = 0; i < m; i++) r += q[i * n + k] * q[i * n + j];
        for (let i = 0; i < m; i++) q[i * n + j] -= r * q[i * n + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[i * n + j] * q[i * n + j];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) q[i * n + j] /= norm;
  }
  const vals = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) vals[r * cols + c] = gain * (rows >= cols ? q[r * n + c] : q[c * n + r]);
  }
  return writeValues(t, vals);
}

/** Copies row-major values into t (any strides) under noGrad. */
function writeValues(t: Tensor, vals: Float32Array): Tensor {
  return noGrad(() => {
    const flat = tensor(vals);
    const src = flat.reshape([...t.shape]);
    try { t.copy_(src); } finally { src.dispose(); flat.dispose(); }
    return t;
  });
}

// ---- special functions for truncNormal_ -----------------------------------------------------

/** The standard normal CDF. */
function normCdf(x: number): number { return (1 + erf(x / Math.SQRT2)) / 2; }

/** erf to ~1e-7 (Numerical Recipes' erfc Chebyshev fit). */
function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

/** The inverse of erf on (−1, 1) (Giles' single-precision approximation); ±Infinity at ±1. */
function erfinv(x: number): number {
  if (x <= -1) return -Infinity;
  if (x >= 1) return Infinity;
  let w = -Math.log((1 - x) * (1 + x)), p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w; p = -0.00125372503 + p * w; p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w; p = 1.50140941 + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w; p = -0.0076224613 + p * w; p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w; p = 2.83297682 + p * w;
  }
  return p * x;
}
