// Normalization: layerNorm, groupNorm and batchNorm, each one fused kernel forward and one
// backward (assembly/norm.ts). LayerNorm and GroupNorm normalize contiguous rows (rowNorm);
// BatchNorm normalizes each channel of [N, C, L] and updates the running statistics in place.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { NormFlag } from '../runtime/kernels.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { noGrad } from '../autograd/grad_mode.js';
import { fmt, numelOf, sameShape } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense } from './movement.js';
import { copy_ } from './inplace.js';

function isTensor(v: unknown): v is Tensor {
  return v !== null && typeof v === 'object' && (v as { isTensor?: unknown }).isTensor === true;
}

/** A float32 tensor argument; throws a TypeError naming the op and the argument otherwise. */
function floatArg(t: unknown, what: string, op: string): Tensor {
  if (!isTensor(t)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(t)}`);
  t.ptr(op);
  if (t.dtype !== 'float32') throw new TypeError(`${op}: ${what} must be a float32 tensor, got ${t.dtype} of shape ${fmt(t.shape)}`);
  return t;
}

/** An optional float32 affine tensor (weight, bias) of exactly `shape`, or null. */
function affineArg(t: unknown, what: string, shape: readonly number[], op: string, expected: string): Tensor | null {
  if (t === undefined || t === null) return null;
  const a = floatArg(t, what, op);
  if (!sameShape(a.shape, shape)) throw new RangeError(`${op}: Expected ${what} to be of same shape as ${expected}, but got ${what} of shape ${fmt(a.shape)} and ${expected} = ${fmt(shape)}`);
  return a;
}

function epsArg(eps: unknown, op: string): number {
  if (eps === undefined) return 1e-5;
  if (typeof eps !== 'number') throw new TypeError(`${op}: eps must be a number ≥ 0, got ${describeValue(eps)}`);
  if (!(eps >= 0)) throw new RangeError(`${op}: eps must be a number ≥ 0, got ${describeValue(eps)}`);
  return eps;
}

/** The options object of a functional norm; a number where PyTorch has positional eps is refused clearly. */
function optionsArg<T extends object>(options: T | undefined, op: string, spec: Parameters<typeof checkOptions>[2]): T {
  if (typeof options === 'number') throw new TypeError(`${op}: eps goes in the options object ({ eps: ${options} }), got number ${options}`);
  return checkOptions(op, options, spec);
}

const ptrOr0 = (t: Tensor | null, op: string): number => (t ? t.ptr(op) : 0);

/**
 * The row kernel and its graph node, shared by layerNorm and groupNorm: `rows` rows of cpr·L
 * elements, row r in group r % G, channel c = (r % G)·cpr + k, each channel L long.
 */
function rowNormOp(x: Tensor, w: Tensor | null, b: Tensor | null, rows: number, G: number, cpr: number, L: number,
                   eps: number, op: string, gradName: string): Tensor {
  const xc = dense(x);
  const out = Tensor.empty(x.shape, 'float32', op);
  const mean = Tensor.empty([rows], 'float32', op);
  const rstd = Tensor.empty([rows], 'float32', op);
  const flags = (w ? NormFlag.hasW : 0) | (b ? NormFlag.hasB : 0);
  const wc = w ? dense(w) : null, bc = b ? dense(b) : null; // the kernels read weight and bias contiguously
  K().rowNorm(xc.ptr(op), out.ptr(op), mean.ptr(op), rstd.ptr(op), ptrOr0(wc, op), ptrOr0(bc, op), rows, G, cpr, L, eps, flags);
  if (bc && bc !== b) bc.dispose();
  const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  if (needsGrad(...inputs)) {
    const sx = save(xc), sm = save(mean), sr = save(rstd), sw = wc ? save(wc) : null;
    const wShape = w ? [...w.shape] : b ? [...b.shape] : [];
    record(gradName, out, inputs, (g, needs) => {
      const needDx = needs[0], needDw = w !== null && needs[1], needDb = b !== null && needs[w ? 2 : 1];
      const gc = dense(g);
      const dx = needDx ? Tensor.empty(sx.shape, 'float32', 'backward') : null;
      const dw = needDw ? Tensor.empty(wShape, 'float32', 'backward') : null;
      const db = needDb ? Tensor.empty(wShape, 'float32', 'backward') : null;
      const f = (sw ? NormFlag.hasW : 0) | (dx ? NormFlag.needDx : 0) | (dw ? NormFlag.needDw : 0) | (db ? NormFlag.needDb : 0);
      K().rowNormBackward(sx.ptr('backward'), gc.ptr('backward'), sm.ptr('backward'), sr.ptr('backward'), ptrOr0(sw, 'backward'),
        ptrOr0(dx, 'backward'), ptrOr0(dw, 'backward'), ptrOr0(db, 'backward'), rows, G, cpr, L, f);
      if (gc !== g) gc.dispose();
      return [dx, ...(w ? [dw] : []), ...(b ? [db] : [])];
    }, [sx, sm, sr, ...(sw ? [sw] : [])]);
  }
  if (wc && wc !== w) wc.dispose();
  if (xc !== x) xc.dispose();
  mean.dispose();
  rstd.dispose();
  return out;
}

// ---- layerNorm ----------------------------------------------------------------------------------

/** Options of `layerNorm`. PyTorch: the keyword arguments of `F.layer_norm`. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). PyTorch: `eps`. */
  eps?: number;
}

/** normalizedShape as an array of positive integers (a number is one dim). */
export function normalizedShapeArg(s: unknown, op: string): number[] {
  const dims = typeof s === 'number' ? [s] : Array.isArray(s) ? s : null;
  if (!dims || dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${op}: normalizedShape must be a non-negative integer or a non-empty array of them, got ${describeValue(s)}${Array.isArray(s) ? ` ${fmt(s as number[])}` : ''}`);
  }
  return [...dims] as number[];
}

/**
 * Normalizes over the trailing dims `normalizedShape` (mean 0, biased variance 1, `eps` added),
 * then `· weight + bias` (each of shape normalizedShape, optional). PyTorch: `F.layer_norm`.
 */
export function layerNorm(input: Tensor, normalizedShape: number | number[], weight?: Tensor | null, bias?: Tensor | null,
                          options?: LayerNormOptions): Tensor {
  const op = 'layerNorm';
  const x = floatArg(input, 'input', op);
  const shape = normalizedShapeArg(normalizedShape, op);
  const o = optionsArg(options, op, { eps: 'number' });
  const eps = epsArg(o.eps, op);
  const k = shape.length;
  if (x.ndim < k || !sameShape(x.shape.slice(x.ndim - k), shape)) {
    throw new RangeError(`${op}: Given normalized_shape=${fmt(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size ${fmt(x.shape)}`);
  }
  const w = affineArg(weight, 'weight', shape, op, 'normalized_shape');
  const b = affineArg(bias, 'bias', shape, op, 'normalized_shape');
  const n = numelOf(shape);
  const rows = n === 0 ? 0 : x.numel() / n;
  return rowNormOp(x, w, b, rows, 1, n, 1, eps, op, 'NativeLayerNormBackward0');
}

// ---- groupNorm ----------------------------------------------------------------------------------

/** Options of `groupNorm`. PyTorch: the keyword arguments of `F.group_norm`. */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). PyTorch: `eps`. */
  eps?: number;
}

/**
 * Splits the C channels of (N, C, *) into `numGroups` groups and normalizes each sample's group
 * (mean 0, biased variance 1), then `· weight + bias` per channel (each [C], optional). PyTorch: `F.group_norm`.
 */
export function groupNorm(input: Tensor, numGroups: number, weight?: Tensor | null, bias?: Tensor | null, options?: GroupNormOptions): Tensor {
  const op = 'groupNorm';
  const x = floatArg(input, 'input', op);
  if (typeof numGroups !== 'number' || !Number.isInteger(numGroups)) throw new TypeError(`${op}: numGroups must be a positive integer, got ${describeValue(numGroups)}`);
  if (numGroups <= 0) throw new RangeError(`${op}: numGroups must be a positive integer, got ${describeValue(numGroups)}`);
  const o = optionsArg(options, op, { eps: 'number' });
  const eps = epsArg(o.eps, op);
  if (x.ndim < 2) throw new RangeError(`${op}: Expected at least 2 dimensions for input tensor but received ${x.ndim} (input of shape ${fmt(x.shape)})`);
  const [N, C] = x.shape;
  if (C % numGroups !== 0) {
    throw new RangeError(`${op}: Expected number of channels in input to be divisible by num_groups, but got input of shape ${fmt(x.shape)} and num_groups=${numGroups}`);
  }
  const w = affineArg(weight, 'weight', [C], op, 'the number of channels');
  const b = affineArg(bias, 'bias', [C], op, 'the number of channels');
  const L = numelOf(x.shape.slice(2));
  // PyTorch's F.group_norm refuses groups of one value (_verify_batch_size on [N·C/G, G, ...])
  if (N * (C / numGroups) * L === 1) throw new RangeError(`${op}: Expected more than 1 value per channel when training, got input size ${fmt(x.shape)} with num_groups=${numGroups}`);
  return rowNormOp(x, w, b, N * numGroups, numGroups, C / numGroups, L, eps, op, 'NativeGroupNormBackward0');
}

// ---- batchNorm ----------------------------------------------------------------------------------

/** Options of `batchNorm`. PyTorch: the keyword arguments of `F.batch_norm`. */
export interface BatchNormOptions {
  /** Normalize with the batch's statistics and update the running ones (default false: use the running ones). PyTorch: `training`. */
  training?: boolean;
  /** The weight of the batch's statistics in the running update (default 0.1). PyTorch: `momentum`. */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). PyTorch: `eps`. */
  eps?: number;
}

/** A running statistic: null, or a float32 [C] tensor that does not require grad. */
function runningArg(t: unknown, what: string, C: number, op: string): Tensor | null {
  if (t === undefined || t === null) return null;
  const r = floatArg(t, what, op);
  if (!sameShape(r.shape, [C])) throw new RangeError(`${op}: ${what} should contain ${C} elements not ${r.numel()} (the input has ${C} channels in dim 1; ${what} has shape ${fmt(r.shape)})`);
  return r;
}

/**
 * Normalizes each channel (dim 1) of (N, C, *): with `training`, by the batch's mean and biased
 * variance, updating `runningMean`/`runningVar` in place (when given) by `momentum` with the
 * unbiased variance; otherwise by the running statistics. Then `· weight + bias` per channel.
 * PyTorch: `F.batch_norm`.
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight?: Tensor | null,
                          bias?: Tensor | null, options?: BatchNormOptions): Tensor {
  const op = 'batchNorm';
  const x = floatArg(input, 'input', op);
  const o = optionsArg(options, op, { training: 'boolean', momentum: 'number', eps: 'number' });
  const eps = epsArg(o.eps, op);
  const training = o.training ?? false;
  const momentum = o.momentum ?? 0.1;
  if (x.ndim < 2) throw new RangeError(`${op}: expected an input of shape (N, C) or (N, C, *), got ${x.ndim}-D input of shape ${fmt(x.shape)}`);
  const [N, C] = x.shape;
  const L = numelOf(x.shape.slice(2));
  const rm = runningArg(runningMean, 'runningMean', C, op);
  const rv = runningArg(runningVar, 'runningVar', C, op);
  if ((rm === null) !== (rv === null)) throw new TypeError(`${op}: give both runningMean and runningVar, or neither`);
  if (!training && !rm) throw new TypeError(`${op}: runningMean and runningVar must be defined in evaluation mode (training: false)`);
  const w = affineArg(weight, 'weight', [C], op, 'the number of channels');
  const b = affineArg(bias, 'bias', [C], op, 'the number of channels');
  if (training && N * L <= 1) {
    throw new RangeError(`${op}: Expected more than 1 value per channel when training, got input size ${fmt(x.shape)}`);
  }
  const update = training && rm !== null;
  if (update) {
    for (const [t, what] of [[rm, 'runningMean'], [rv, 'runningVar']] as const) {
      if (t!.requiresGrad) throw new Error(`${op}: ${what} requires grad; running statistics are updated in place and must not`);
    }
  }
  const xc = dense(x);
  const out = Tensor.empty(x.shape, 'float32', op);
  const mean = Tensor.empty([C], 'float32', op);
  const rstd = Tensor.empty([C], 'float32', op);
  // the kernel updates contiguous running statistics in place; a strided one goes through a copy.
  // As PyTorch 1.13's batch_norm, the kernel's update leaves the running statistics' version as it is.
  const rmc = rm ? dense(rm) : null, rvc = rv ? dense(rv) : null;
  const flags = (w ? NormFlag.hasW : 0) | (b ? NormFlag.hasB : 0) | (training ? NormFlag.training : 0) | (update ? NormFlag.update : 0);
  const wc = w ? dense(w) : null, bc = b ? dense(b) : null; // the kernels read weight and bias contiguously
  K().batchNorm(xc.ptr(op), out.ptr(op), mean.ptr(op), rstd.ptr(op), ptrOr0(wc, op), ptrOr0(bc, op), ptrOr0(rmc, op), ptrOr0(rvc, op),
    N, C, L, eps, momentum, flags);
  if (bc && bc !== b) bc.dispose();
  for (const [c, t] of [[rmc, rm], [rvc, rv]] as const) {
    if (c && c !== t) { if (update) noGrad(() => copy_(t!, c)); c.dispose(); }
  }
  const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  if (needsGrad(...inputs)) {
    const sx = save(xc), sm = save(mean), sr = save(rstd), sw = wc ? save(wc) : null;
    record('NativeBatchNormBackward0', out, inputs, (g, needs) => {
      const needDx = needs[0], needDw = w !== null && needs[1], needDb = b !== null && needs[w ? 2 : 1];
      const gc = dense(g);
      const dx = needDx ? Tensor.empty(sx.shape, 'float32', 'backward') : null;
      const dw = needDw ? Tensor.empty([C], 'float32', 'backward') : null;
      const db = needDb ? Tensor.empty([C], 'float32', 'backward') : null;
      const f = (sw ? NormFlag.hasW : 0) | (training ? NormFlag.training : 0) | (dx ? NormFlag.needDx : 0)
        | (dw ? NormFlag.needDw : 0) | (db ? NormFlag.needDb : 0);
      K().batchNormBackward(sx.ptr('backward'), gc.ptr('backward'), sm.ptr('backward'), sr.ptr('backward'), ptrOr0(sw, 'backward'),
        ptrOr0(dx, 'backward'), ptrOr0(dw, 'backward'), ptrOr0(db, 'backward'), N, C, L, f);
      if (gc !== g) gc.dispose();
      return [dx, ...(w ? [dw] : []), ...(b ? [db] : [])];
    }, [sx, sm, sr, ...(sw ? [sw] : [])]);
  }
  if (wc && wc !== w) wc.dispose();
  if (xc !== x) xc.dispose();
  mean.dispose();
  rstd.dispose();
  return out;
}
