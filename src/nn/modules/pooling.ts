// The pooling layers: thin modules over src/ops/pool.ts holding their options, printed as PyTorch
// prints them (values as given: `kernel_size=2` or `kernel_size=(2, 3)`).
import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import { checkOptions } from '../../options.js';
import {
  maxPool2d, maxPool1d, avgPool2d, avgPool1d, adaptiveAvgPool2d, perDim,
  MAX_POOL_KEYS, AVG_POOL_KEYS, type IntOrTuple, type MaxPoolOptions, type AvgPoolOptions, type AdaptiveSize, checkPoolParams, adaptiveSize,
} from '../../ops/pool.js';

/** A value as Python prints it: `2`, `(2, 3)`, `(3,)`, `None`. */
export function pyRepr(v: IntOrTuple | null | readonly (number | null)[]): string {
  if (v === null) return 'None';
  if (typeof v === 'number') return String(v);
  const items = v.map((e) => (e === null ? 'None' : String(e)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}
const pyBool = (b: boolean): string => (b ? 'True' : 'False');


/** What a max-pooling module's forward returns: `[output, indices]` when built with `returnIndices: true`. PyTorch: none. */
export type MaxPoolResult<I extends boolean> = I extends true ? [Tensor, Tensor] : Tensor;

/** Shared by MaxPool1d and MaxPool2d: the options, checked once at construction. */
abstract class MaxPoolNd<I extends boolean> extends Module {
  /** The window size. PyTorch: `kernel_size`. */
  readonly kernelSize: IntOrTuple;
  /** The step between windows (the kernel size by default). PyTorch: `stride`. */
  readonly stride: IntOrTuple;
  /** Implicit −∞ on both sides. PyTorch: `padding`. */
  readonly padding: IntOrTuple;
  /** The spacing between taps. PyTorch: `dilation`. */
  readonly dilation: IntOrTuple;
  /** Whether the output size rounds up. PyTorch: `ceil_mode`. */
  readonly ceilMode: boolean;
  /** Whether forward returns `[output, indices]`. PyTorch: `return_indices`. */
  readonly returnIndices: I;
  constructor(kernelSize: IntOrTuple, options: MaxPoolOptions | undefined, dims: number, name: string) {
    super();
    const o = checkOptions(name, options, MAX_POOL_KEYS);
    // the size checks forward runs that need no input, so a bad value fails at construction
    perDim(kernelSize, dims, 'kernel_size', name);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    checkPoolParams(perDim(kernelSize, dims, 'kernel_size', name), perDim(this.stride, dims, 'stride', name),
      perDim(this.padding, dims, 'padding', name), perDim(this.dilation, dims, 'dilation', name), dims as 1 | 2, name, dims === 1);
    this.ceilMode = o.ceilMode ?? false;
    this.returnIndices = (o.returnIndices ?? false) as I;
  }
  protected opts(): MaxPoolOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode, returnIndices: this.returnIndices };
  }
  extraRepr(): string {
    return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}, dilation=${pyRepr(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/**
 * 2-D max pooling over (N, C, H, W) or (C, H, W): `new nn.MaxPool2d(2)` or
 * `new nn.MaxPool2d(3, { stride: 2, padding: 1, dilation, ceilMode, returnIndices })`. PyTorch: `torch.nn.MaxPool2d`.
 */
export class MaxPool2d<I extends boolean = false> extends MaxPoolNd<I> {
  constructor(kernelSize: IntOrTuple, options?: MaxPoolOptions & { returnIndices?: I }) { super(kernelSize, options, 2, 'MaxPool2d'); }
  /** The pooled input, or `[output, indices]` with `returnIndices`. PyTorch: `nn.MaxPool2d.forward`. */
  forward(x: Tensor): MaxPoolResult<I> { return maxPool2d(x, this.kernelSize, this.opts()) as MaxPoolResult<I>; }
}

/** 1-D max pooling over (N, C, L) or (C, L). PyTorch: `torch.nn.MaxPool1d`. */
export class MaxPool1d<I extends boolean = false> extends MaxPoolNd<I> {
  constructor(kernelSize: IntOrTuple, options?: MaxPoolOptions & { returnIndices?: I }) { super(kernelSize, options, 1, 'MaxPool1d'); }
  /** The pooled input, or `[output, indices]` with `returnIndices`. PyTorch: `nn.MaxPool1d.forward`. */
  forward(x: Tensor): MaxPoolResult<I> { return maxPool1d(x, this.kernelSize, this.opts()) as MaxPoolResult<I>; }
}

/**
 * 2-D average pooling over (N, C, H, W) or (C, H, W): `new nn.AvgPool2d(2, { stride, padding,
 * ceilMode, countIncludePad, divisorOverride })`. PyTorch: `torch.nn.AvgPool2d`.
 */
export class AvgPool2d extends Module {
  /** The window size. PyTorch: `kernel_size`. */
  readonly kernelSize: IntOrTuple;
  /** The step between windows (the kernel size by default). PyTorch: `stride`. */
  readonly stride: IntOrTuple;
  /** Implicit zeros on both sides. PyTorch: `padding`. */
  readonly padding: IntOrTuple;
  /** Whether the output size rounds up. PyTorch: `ceil_mode`. */
  readonly ceilMode: boolean;
  /** Whether the padding counts in the divisor. PyTorch: `count_include_pad`. */
  readonly countIncludePad: boolean;
  /** The divisor used instead of the window's size, or null. PyTorch: `divisor_override`. */
  readonly divisorOverride: number | null;
  constructor(kernelSize: IntOrTuple, options?: AvgPoolOptions) {
    super();
    const o = checkOptions('AvgPool2d', options, AVG_POOL_KEYS);
    perDim(kernelSize, 2, 'kernel_size', 'AvgPool2d');
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
    if (this.divisorOverride === 0) throw new RangeError('AvgPool2d: divisor must be not zero (divisorOverride 0)');
    checkPoolParams(perDim(kernelSize, 2, 'kernel_size', 'AvgPool2d'), perDim(this.stride, 2, 'stride', 'AvgPool2d'),
      perDim(this.padding, 2, 'padding', 'AvgPool2d'), [1, 1], 2, 'AvgPool2d', false);
  }
  /** The pooled input. PyTorch: `nn.AvgPool2d.forward`. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }
  extraRepr(): string { return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`; }
}

/** 1-D average pooling over (N, C, L) or (C, L). PyTorch: `torch.nn.AvgPool1d`. */
export class AvgPool1d extends Module {
  /** The window size, as a one-element list (PyTorch stores `_single(kernel_size)`). PyTorch: `kernel_size`. */
  readonly kernelSize: number[];
  /** The step between windows. PyTorch: `stride`. */
  readonly stride: number[];
  /** Implicit zeros on both sides. PyTorch: `padding`. */
  readonly padding: number[];
  /** Whether the output size rounds up. PyTorch: `ceil_mode`. */
  readonly ceilMode: boolean;
  /** Whether the padding counts in the divisor. PyTorch: `count_include_pad`. */
  readonly countIncludePad: boolean;
  constructor(kernelSize: IntOrTuple, options?: Omit<AvgPoolOptions, 'divisorOverride'>) {
    super();
    const { divisorOverride: _, ...keys } = AVG_POOL_KEYS;
    const o = checkOptions('AvgPool1d', options, keys);
    this.kernelSize = perDim(kernelSize, 1, 'kernel_size', 'AvgPool1d');
    this.stride = perDim(o.stride ?? kernelSize, 1, 'stride', 'AvgPool1d');
    this.padding = perDim(o.padding ?? 0, 1, 'padding', 'AvgPool1d');
    checkPoolParams(this.kernelSize, this.stride, this.padding, [1], 1, 'AvgPool1d', false);
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
  }
  /** The pooled input. PyTorch: `nn.AvgPool1d.forward`. */
  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad });
  }
  extraRepr(): string { return `kernel_size=${pyRepr(this.kernelSize)}, stride=${pyRepr(this.stride)}, padding=${pyRepr(this.padding)}`; }
}

/** Average pooling to a fixed output size: `new nn.AdaptiveAvgPool2d(1)` or `([7, null])` (null keeps that dim). PyTorch: `torch.nn.AdaptiveAvgPool2d`. */
export class AdaptiveAvgPool2d extends Module {
  /** The output's H and W (or one size for both; null keeps the input's). PyTorch: `output_size`. */
  readonly outputSize: AdaptiveSize;
  constructor(outputSize: AdaptiveSize) {
    super();
    const ok = (v: unknown): boolean => v === null || Number.isInteger(v);
    if (!(ok(outputSize) || (Array.isArray(outputSize) && outputSize.every(ok)))) {
      throw new TypeError(`AdaptiveAvgPool2d: output_size must be an integer, null or an array of two of them, got ${String(outputSize)}`);
    }
    adaptiveSize(outputSize, 0, 0, 'AdaptiveAvgPool2d'); // sizes and signs, as forward checks them
    this.outputSize = outputSize;
  }
  /** The pooled input. PyTorch: `nn.AdaptiveAvgPool2d.forward`. */
  forward(x: Tensor): Tensor { return adaptiveAvgPool2d(x, this.outputSize); }
  extraRepr(): string { return `output_size=${pyRepr(this.outputSize)}`; }
}
