// nn.Upsample: F.interpolate with its options held by a module, printed as PyTorch 1.13 prints it.
import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import { checkOptions } from '../../options.js';
import { interpolate, type InterpolateMode } from '../../ops/interpolate.js';

/** Options of `nn.Upsample` (give `size` or `scaleFactor`). PyTorch: the arguments of `nn.Upsample`. */
export interface UpsampleOptions {
  /** The output's spatial size. PyTorch: `size`. */
  size?: number | readonly number[] | null;
  /** The multiplier of each spatial size. PyTorch: `scale_factor`. */
  scaleFactor?: number | readonly number[] | null;
  /** 'nearest' (default) or 'bilinear'. PyTorch: `mode`. */
  mode?: InterpolateMode;
  /** Bilinear only: align the corner pixels' centres. PyTorch: `align_corners`. */
  alignCorners?: boolean | null;
  /** Compute the scale from the sizes instead of using `scaleFactor` as given. PyTorch: `recompute_scale_factor`. */
  recomputeScaleFactor?: boolean | null;
}

/** A number as Python prints a float: `2.0`, `1.5`. */
const pyFloat = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/**
 * Resamples (N, C, W) or (N, C, H, W) inputs: `new nn.Upsample({ scaleFactor: 2 })` or
 * `new nn.Upsample({ size: [14, 14], mode: 'bilinear', alignCorners: true })`. PyTorch: `torch.nn.Upsample`.
 */
export class Upsample extends Module {
  /** The output size, or null. PyTorch: `size`. */
  readonly size: number | readonly number[] | null;
  /** The scale factor, or null. PyTorch: `scale_factor`. */
  readonly scaleFactor: number | readonly number[] | null;
  /** The resampling rule. PyTorch: `mode`. */
  readonly mode: InterpolateMode;
  /** Whether bilinear aligns corners (null: not given). PyTorch: `align_corners`. */
  readonly alignCorners: boolean | null;
  /** Whether the scale is recomputed from the sizes (null: not given). PyTorch: `recompute_scale_factor`. */
  readonly recomputeScaleFactor: boolean | null;
  constructor(options: UpsampleOptions = {}) {
    super();
    const o = checkOptions('Upsample', options, ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor']);
    this.size = o.size ?? null;
    this.scaleFactor = o.scaleFactor ?? null;
    this.mode = o.mode ?? 'nearest';
    this.alignCorners = o.alignCorners ?? null;
    this.recomputeScaleFactor = o.recomputeScaleFactor ?? null;
    if (this.mode !== 'nearest' && this.mode !== 'bilinear') {
      throw new TypeError(`Upsample: option 'mode' must be 'nearest' or 'bilinear', got ${String(this.mode)}`);
    }
    // what forward would refuse for any input, refused now (PyTorch checks it at the first call)
    if (this.size === null && this.scaleFactor === null) throw new TypeError('Upsample: either size or scale_factor should be defined');
    if (this.size !== null && this.scaleFactor !== null) throw new TypeError('Upsample: only one of size or scale_factor should be defined');
  }
  /** The resampled input. PyTorch: `nn.Upsample.forward`. */
  forward(x: Tensor): Tensor {
    return interpolate(x, { size: this.size, scaleFactor: this.scaleFactor, mode: this.mode, alignCorners: this.alignCorners, recomputeScaleFactor: this.recomputeScaleFactor });
  }
  extraRepr(): string {
    const sf = this.scaleFactor;
    const info = sf !== null
      ? `scale_factor=${typeof sf === 'number' ? pyFloat(sf) : `(${sf.map(pyFloat).join(', ')}${sf.length === 1 ? ',' : ''})`}`
      : `size=${typeof this.size === 'number' || this.size === null ? String(this.size) : `(${this.size.join(', ')}${this.size.length === 1 ? ',' : ''})`}`;
    return `${info}, mode=${this.mode}`;
  }
}
