// Convolution layers: Conv1d, Conv2d and ConvTranspose2d hold weight and bias, draw them as
// PyTorch does (kaiming_uniform with a = √5, bias U(±1/√fan_in)) and call the functional forms.
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';
import { empty } from '../../ops/create.js';
import { noGrad } from '../../autograd/grad_mode.js';
import { conv1d, conv2d, convTranspose2d, checkParams, expandSize, type ConvSize } from '../../ops/conv.js';
import { checkAllocSize } from '../../shape.js';
import { checkOptions, describeValue } from '../../options.js';
import { kaimingUniform_ } from '../init.js';

/** How a convolution pads its input. Only `'zeros'` is supported; the others are PyTorch's names. PyTorch: `padding_mode`. */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options of `nn.Conv1d` / `nn.Conv2d`. PyTorch: the keyword arguments of `torch.nn.Conv2d`. */
export interface ConvModuleOptions {
  /** Step of the kernel (default 1). PyTorch: `stride`. */
  stride?: ConvSize;
  /** Zeros on both sides (default 0), `'valid'` or `'same'` (stride 1 only). PyTorch: `padding`. */
  padding?: ConvSize | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). PyTorch: `dilation`. */
  dilation?: ConvSize;
  /** Channel groups; both channel counts must be multiples (default 1). PyTorch: `groups`. */
  groups?: number;
  /** Whether the layer has a bias (default true). PyTorch: `bias`. */
  bias?: boolean;
  /** Only `'zeros'` (the default) is supported. PyTorch: `padding_mode`. */
  paddingMode?: PaddingMode;
}

/** Options of `nn.ConvTranspose2d`. PyTorch: the keyword arguments of `torch.nn.ConvTranspose2d`. */
export interface ConvTransposeModuleOptions {
  /** Step of the kernel (default 1). PyTorch: `stride`. */
  stride?: ConvSize;
  /** Removed from both sides of the output (default 0). PyTorch: `padding`. */
  padding?: ConvSize;
  /** Added to one side of the output (default 0). PyTorch: `output_padding`. */
  outputPadding?: ConvSize;
  /** Channel groups (default 1). PyTorch: `groups`. */
  groups?: number;
  /** Whether the layer has a bias (default true). PyTorch: `bias`. */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). PyTorch: `dilation`. */
  dilation?: ConvSize;
  /** Only `'zeros'` (the default), as PyTorch. PyTorch: `padding_mode`. */
  paddingMode?: PaddingMode;
}

const size = (v: unknown): string | null =>
  (typeof v === 'number' || (Array.isArray(v) && v.every((e) => typeof e === 'number'))) ? null : 'a number or an array of numbers';
const MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** Python's tuple repr: `(3,)` or `(3, 3)`. */
const tuple = (v: readonly number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`);

/** The shared part of the convolution layers: checked sizes, parameters, init and repr. */
abstract class ConvBase extends Module {
  /** The weight: [out, in/groups, ...kernel] ([in, out/groups, ...kernel] when transposed). PyTorch: `weight`. */
  weight: Tensor;
  /** The bias, [outChannels], or null with `{ bias: false }`. PyTorch: `bias`. */
  bias: Tensor | null;
  /** Input channels. PyTorch: `in_channels`. */
  readonly inChannels: number;
  /** Output channels. PyTorch: `out_channels`. */
  readonly outChannels: number;
  /** Kernel size per spatial dim. PyTorch: `kernel_size`. */
  readonly kernelSize: number[];
  /** Stride per spatial dim. PyTorch: `stride`. */
  readonly stride: number[];
  /** Padding per spatial dim, or `'same'` / `'valid'`. PyTorch: `padding`. */
  readonly padding: number[] | 'same' | 'valid';
  /** Dilation per spatial dim. PyTorch: `dilation`. */
  readonly dilation: number[];
  /** Output padding per spatial dim (zeros unless transposed). PyTorch: `output_padding`. */
  readonly outputPadding: number[];
  /** Channel groups. PyTorch: `groups`. */
  readonly groups: number;
  /** How the input is padded: `'zeros'`. PyTorch: `padding_mode`. */
  readonly paddingMode: PaddingMode = 'zeros';

  constructor(op: string, nd: number, transposed: boolean, inChannels: number, outChannels: number,
              kernelSize: ConvSize, o: ConvModuleOptions | ConvTransposeModuleOptions) {
    super();
    for (const [k, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (typeof v !== 'number') throw new TypeError(`${op}: ${k} must be a positive integer, got ${describeValue(v)}`);
      if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${op}: ${k} must be a positive integer, got ${describeValue(v)}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    if (size(kernelSize) !== null) throw new TypeError(`${op}: kernelSize must be a number or an array of numbers, got ${describeValue(kernelSize)}`);
    this.kernelSize = expandSize(op, 'kernelSize', kernelSize, nd);
    if (this.kernelSize.some((k) => k <= 0)) throw new RangeError(`${op}: kernelSize must be positive, got [${this.kernelSize.join(', ')}]`);
    this.stride = expandSize(op, 'stride', o.stride ?? 1, nd);
    this.dilation = expandSize(op, 'dilation', o.dilation ?? 1, nd);
    this.outputPadding = expandSize(op, 'outputPadding', ('outputPadding' in o ? o.outputPadding : undefined) ?? 0, nd);
    const pad = o.padding ?? 0;
    if (typeof pad === 'string') {
      if (pad !== 'same' && pad !== 'valid') throw new RangeError(`${op}: Invalid padding string '${pad}', should be one of 'valid', 'same'`);
      if (pad === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
      this.padding = pad;
    } else {
      this.padding = expandSize(op, 'padding', pad, nd);
    }
    this.groups = o.groups ?? 1;
    // refused here rather than at the first forward (PyTorch checks them there)
    checkParams(op, this.stride, typeof this.padding === 'string' ? [0] : this.padding, this.dilation, this.groups);
    if (this.outputPadding.some((p) => p < 0)) throw new RangeError(`${op}: negative output_padding is not supported (got outputPadding=[${this.outputPadding.join(', ')}])`);
    if (inChannels % this.groups !== 0) throw new RangeError(`${op}: in_channels must be divisible by groups (inChannels ${inChannels}, groups ${this.groups})`);
    if (outChannels % this.groups !== 0) throw new RangeError(`${op}: out_channels must be divisible by groups (outChannels ${outChannels}, groups ${this.groups})`);
    const mode = o.paddingMode ?? 'zeros';
    if (mode !== 'zeros') {
      throw new Error(transposed ? `${op}: only 'zeros' paddingMode is supported for ${op} (got '${mode}'), as in PyTorch`
        : `${op}: paddingMode '${mode}' is not supported yet (only 'zeros')`);
    }
    const wShape = transposed
      ? [inChannels, outChannels / this.groups, ...this.kernelSize]
      : [outChannels, inChannels / this.groups, ...this.kernelSize];
    checkAllocSize(wShape, op);
    this.weight = new Parameter(empty(wShape));
    this.bias = o.bias ?? true ? new Parameter(empty(outChannels)) : null;
    this.resetParameters();
  }

  /** Draws the weight from kaiming_uniform(a = √5), i.e. U(±1/√fan_in), and the bias from U(±1/√fan_in). PyTorch: `reset_parameters`. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const fanIn = this.weight.shape[1] * this.kernelSize.reduce((a, b) => a * b, 1);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      noGrad(() => this.bias!.uniform_(-bound, bound));
    }
  }

  /** `in, out, kernel_size=(…), stride=(…)` and the options away from their defaults, as PyTorch prints them. PyTorch: `extra_repr`. */
  extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${tuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${tuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    return s;
  }
}

const CONV_MODULE_OPTIONS = {
  stride: size, dilation: size, groups: 'integer', bias: 'boolean',
  padding: (v: unknown) => (typeof v === 'string' ? null : size(v)),
  paddingMode: (v: unknown) => (MODES.includes(v as PaddingMode) ? null : `one of ${MODES.map((m) => `'${m}'`).join(', ')}`),
} as const;
const TRANSPOSE_MODULE_OPTIONS = {
  stride: size, padding: size, outputPadding: size, groups: 'integer', bias: 'boolean', dilation: size,
  paddingMode: CONV_MODULE_OPTIONS.paddingMode,
} as const;

/**
 * A 2-D convolution layer: weight [out, in/groups, kH, kW], bias [out];
 * `new nn.Conv2d(1, 16, 3, { stride: 1, padding: 1 })`. Input [N, C, H, W] or unbatched [C, H, W].
 * PyTorch: `torch.nn.Conv2d`.
 */
export class Conv2d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: ConvSize, options?: ConvModuleOptions) {
    super('Conv2d', 2, false, inChannels, outChannels, kernelSize, checkOptions('Conv2d', options, CONV_MODULE_OPTIONS));
  }
  /** The convolution of `x`. PyTorch: `nn.Conv2d.forward`. */
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * A 1-D convolution layer: weight [out, in/groups, k], bias [out]; input [N, C, L] or unbatched [C, L].
 * PyTorch: `torch.nn.Conv1d`.
 */
export class Conv1d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: ConvSize, options?: ConvModuleOptions) {
    super('Conv1d', 1, false, inChannels, outChannels, kernelSize, checkOptions('Conv1d', options, CONV_MODULE_OPTIONS));
  }
  /** The convolution of `x`. PyTorch: `nn.Conv1d.forward`. */
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

/**
 * A 2-D transposed convolution layer (the gradient of Conv2d with respect to its input): weight
 * [in, out/groups, kH, kW], bias [out]; `{ stride, padding, outputPadding, groups, bias, dilation }`.
 * PyTorch: `torch.nn.ConvTranspose2d`.
 */
export class ConvTranspose2d extends ConvBase {
  constructor(inChannels: number, outChannels: number, kernelSize: ConvSize, options?: ConvTransposeModuleOptions) {
    super('ConvTranspose2d', 2, true, inChannels, outChannels, kernelSize, checkOptions('ConvTranspose2d', options, TRANSPOSE_MODULE_OPTIONS));
  }
  /** The transposed convolution of `x`. PyTorch: `nn.ConvTranspose2d.forward`. */
  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding as number[], outputPadding: this.outputPadding, groups: this.groups, dilation: this.dilation,
    });
  }
}
