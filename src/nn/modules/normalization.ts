import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';
import { full } from '../../ops/create.js';
import { noGrad } from '../../autograd/grad_mode.js';
import { layerNorm, groupNorm, normalizedShapeArg } from '../../ops/norm.js';
import { checkOptions, describeValue } from '../../options.js';

/** @internal A number as Python's repr of a float prints it: `1e-05`, `0.1`, `1.0`. */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  const [mant, e] = v.toExponential().split('e');
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** @internal A shape as Python prints a tuple: `(8,)`, `(2, 3)`. */
export function pyTuple(s: readonly number[]): string { return s.length === 1 ? `(${s[0]},)` : `(${s.join(', ')})`; }

/** @internal eps as a number ≥ 0 (default 1e-5): not a number is a TypeError, a negative one a RangeError. */
export function epsOption(eps: unknown, op: string): number {
  if (eps === undefined) return 1e-5;
  if (typeof eps !== 'number') throw new TypeError(`${op}: eps must be a number ≥ 0, got ${describeValue(eps)}`);
  if (!(eps >= 0)) throw new RangeError(`${op}: eps must be a number ≥ 0, got ${describeValue(eps)}`);
  return eps;
}

/** @internal A layer's size argument: not an integer is a TypeError, one below `min` a RangeError. */
export function sizeArg(v: unknown, what: string, op: string, min = 1): number {
  const kind = min === 1 ? 'a positive integer' : 'a non-negative integer';
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}: ${what} must be ${kind}, got ${describeValue(v)}`);
  if (v < min) throw new RangeError(`${op}: ${what} must be ${kind}, got ${describeValue(v)}`);
  return v;
}

/** @internal A float32 tensor of `shape` filled with `value`, allocated under the layer's name (its size error names it). */
export function filled(shape: number[], value: number, op: string): Tensor { return full(shape, value, {}, op); }

/** Options of `nn.LayerNorm`. PyTorch: the keyword arguments of `torch.nn.LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). PyTorch: `eps`. */
  eps?: number;
  /** Learn a weight and a bias of shape normalizedShape (default true). PyTorch: `elementwise_affine`. */
  elementwiseAffine?: boolean;
  /** Learn the bias too (default true; only with elementwiseAffine). PyTorch: `bias` (2.1+). */
  bias?: boolean;
}

/**
 * Normalizes over the trailing dims `normalizedShape` (a number or an array), then `· weight +
 * bias` (ones and zeros at first). PyTorch: `torch.nn.LayerNorm`.
 */
export class LayerNorm extends Module {
  /** The trailing dims normalized over. PyTorch: `nn.LayerNorm.normalized_shape`. */
  readonly normalizedShape: number[];
  /** Added to the variance before the square root. PyTorch: `nn.LayerNorm.eps`. */
  readonly eps: number;
  /** Whether weight (and bias) are learned. PyTorch: `nn.LayerNorm.elementwise_affine`. */
  readonly elementwiseAffine: boolean;
  /** The scale, of shape normalizedShape, or null. PyTorch: `nn.LayerNorm.weight`. */
  weight: Tensor | null;
  /** The shift, of shape normalizedShape, or null. PyTorch: `nn.LayerNorm.bias`. */
  bias: Tensor | null;
  constructor(normalizedShape: number | number[], options: LayerNormOptions = {}) {
    super();
    const o = checkOptions('LayerNorm', options, { eps: 'number', elementwiseAffine: 'boolean', bias: 'boolean' });
    this.normalizedShape = normalizedShapeArg(normalizedShape, 'LayerNorm');
    this.eps = epsOption(o.eps, 'LayerNorm');
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    this.weight = this.elementwiseAffine ? new Parameter(filled(this.normalizedShape, 1, 'LayerNorm')) : null;
    this.bias = this.elementwiseAffine && (o.bias ?? true) ? new Parameter(filled(this.normalizedShape, 0, 'LayerNorm')) : null;
  }
  /** Sets weight to ones and bias to zeros. PyTorch: `nn.LayerNorm.reset_parameters`. */
  resetParameters(): void { noGrad(() => { this.weight?.fill_(1); this.bias?.zero_(); }); }
  /** Normalizes `x` over its trailing dims. PyTorch: `nn.LayerNorm.forward`. */
  forward(x: Tensor): Tensor { return layerNorm(x, this.normalizedShape, this.weight, this.bias, { eps: this.eps }); }
  /** `(8,), eps=1e-05, elementwise_affine=True`, as PyTorch prints it. PyTorch: `nn.LayerNorm.extra_repr`. */
  extraRepr(): string { return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${this.elementwiseAffine ? 'True' : 'False'}`; }
}

/** Options of `nn.GroupNorm`. PyTorch: the keyword arguments of `torch.nn.GroupNorm`. */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). PyTorch: `eps`. */
  eps?: number;
  /** Learn a per-channel weight and bias (default true). PyTorch: `affine`. */
  affine?: boolean;
}

/**
 * Normalizes each sample's groups of `numChannels / numGroups` channels of (N, C, *), then a
 * per-channel `· weight + bias`. PyTorch: `torch.nn.GroupNorm`.
 */
export class GroupNorm extends Module {
  /** The number of groups the channels are split into. PyTorch: `nn.GroupNorm.num_groups`. */
  readonly numGroups: number;
  /** The number of channels C. PyTorch: `nn.GroupNorm.num_channels`. */
  readonly numChannels: number;
  /** Added to the variance before the square root. PyTorch: `nn.GroupNorm.eps`. */
  readonly eps: number;
  /** Whether weight and bias are learned. PyTorch: `nn.GroupNorm.affine`. */
  readonly affine: boolean;
  /** The scale, [numChannels], or null. PyTorch: `nn.GroupNorm.weight`. */
  weight: Tensor | null;
  /** The shift, [numChannels], or null. PyTorch: `nn.GroupNorm.bias`. */
  bias: Tensor | null;
  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    const o = checkOptions('GroupNorm', options, { eps: 'number', affine: 'boolean' });
    sizeArg(numGroups, 'numGroups', 'GroupNorm');
    sizeArg(numChannels, 'numChannels', 'GroupNorm');
    if (numChannels % numGroups !== 0) throw new RangeError(`GroupNorm: num_channels must be divisible by num_groups, got numChannels ${numChannels} and numGroups ${numGroups}`);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = epsOption(o.eps, 'GroupNorm');
    this.affine = o.affine ?? true;
    this.weight = this.affine ? new Parameter(filled([numChannels], 1, 'GroupNorm')) : null;
    this.bias = this.affine ? new Parameter(filled([numChannels], 0, 'GroupNorm')) : null;
  }
  /** Sets weight to ones and bias to zeros. PyTorch: `nn.GroupNorm.reset_parameters`. */
  resetParameters(): void { noGrad(() => { this.weight?.fill_(1); this.bias?.zero_(); }); }
  /** Normalizes `x` of shape (N, C, *) by groups. PyTorch: `nn.GroupNorm.forward`. */
  forward(x: Tensor): Tensor { return groupNorm(x, this.numGroups, this.weight, this.bias, { eps: this.eps }); }
  /** `2, 4, eps=1e-05, affine=True`, as PyTorch prints it. PyTorch: `nn.GroupNorm.extra_repr`. */
  extraRepr(): string { return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${this.affine ? 'True' : 'False'}`; }
}
