import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';
import { zeros } from '../../ops/create.js';
import { noGrad } from '../../autograd/grad_mode.js';
import { batchNorm } from '../../ops/norm.js';
import { fmt } from '../../shape.js';
import { checkOptions, describeValue } from '../../options.js';
import { pyFloat, epsOption, sizeArg, filled } from './normalization.js';

/** Options of `nn.BatchNorm1d` and `nn.BatchNorm2d`. PyTorch: the keyword arguments of `torch.nn.BatchNorm1d`. */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). PyTorch: `eps`. */
  eps?: number;
  /** The batch's weight in the running statistics' update (default 0.1); null: a cumulative average. PyTorch: `momentum`. */
  momentum?: number | null;
  /** Learn a per-channel weight and bias (default true). PyTorch: `affine`. */
  affine?: boolean;
  /** Keep running statistics and use them in eval() (default true); false: batch statistics always. PyTorch: `track_running_stats`. */
  trackRunningStats?: boolean;
}

/**
 * The BatchNorm layers' shared machinery: per-channel weight and bias, and the buffers
 * `running_mean`, `running_var` and `num_batches_tracked` (int32 here; PyTorch's is int64),
 * updated in place by each training step. PyTorch: `torch.nn.modules.batchnorm._BatchNorm`.
 */
export abstract class BatchNormBase extends Module {
  /** The number of channels C. PyTorch: `nn.BatchNorm1d.num_features`. */
  readonly numFeatures: number;
  /** Added to the variance before the square root. PyTorch: `nn.BatchNorm1d.eps`. */
  readonly eps: number;
  /** The running update's factor, or null for a cumulative average. PyTorch: `nn.BatchNorm1d.momentum`. */
  momentum: number | null;
  /** Whether weight and bias are learned. PyTorch: `nn.BatchNorm1d.affine`. */
  readonly affine: boolean;
  /** Whether running statistics are kept. PyTorch: `nn.BatchNorm1d.track_running_stats`. */
  readonly trackRunningStats: boolean;
  /** The scale, [numFeatures], or null. PyTorch: `nn.BatchNorm1d.weight`. */
  weight: Tensor | null;
  /** The shift, [numFeatures], or null. PyTorch: `nn.BatchNorm1d.bias`. */
  bias: Tensor | null;
  /** The running mean, [numFeatures] (zeros at first), or null. PyTorch: `nn.BatchNorm1d.running_mean`. */
  readonly runningMean: Tensor | null;
  /** The running (unbiased) variance, [numFeatures] (ones at first), or null. PyTorch: `nn.BatchNorm1d.running_var`. */
  readonly runningVar: Tensor | null;
  /** Training batches seen, a 0-dim int32 tensor, or null. PyTorch: `nn.BatchNorm1d.num_batches_tracked` (int64 there). */
  readonly numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const name = new.target.name;
    const o = checkOptions(name, options, {
      eps: 'number', momentum: (v: unknown) => (v === null || typeof v === 'number' ? null : 'a number or null'),
      affine: 'boolean', trackRunningStats: 'boolean',
    });
    sizeArg(numFeatures, 'numFeatures', name);
    this.numFeatures = numFeatures;
    this.eps = epsOption(o.eps, name);
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? true;
    this.trackRunningStats = o.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(filled([numFeatures], 1, name)) : null;
    this.bias = this.affine ? new Parameter(filled([numFeatures], 0, name)) : null;
    if (this.trackRunningStats) {
      this.runningMean = filled([numFeatures], 0, name);
      this.runningVar = filled([numFeatures], 1, name);
      this.numBatchesTracked = zeros([], { dtype: 'int32' });
      this.registerBuffer('running_mean', this.runningMean);
      this.registerBuffer('running_var', this.runningVar);
      this.registerBuffer('num_batches_tracked', this.numBatchesTracked);
    } else {
      this.runningMean = this.runningVar = this.numBatchesTracked = null;
    }
  }

  /** Running mean to zeros, variance to ones, the batch count to 0, in place. PyTorch: `_BatchNorm.reset_running_stats`. */
  resetRunningStats(): void {
    noGrad(() => { this.runningMean?.zero_(); this.runningVar?.fill_(1); this.numBatchesTracked?.zero_(); });
  }
  /** The running statistics reset, weight to ones and bias to zeros. PyTorch: `_BatchNorm.reset_parameters`. */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => { this.weight?.fill_(1); this.bias?.zero_(); });
  }

  /** @internal Throws unless x has a shape this layer takes. */
  protected abstract checkInputDim(x: Tensor): void;

  /**
   * Training: normalizes by the batch's statistics and updates the running ones in place (once per
   * call); eval(): by the running statistics (by the batch's when trackRunningStats is false).
   * PyTorch: `_BatchNorm.forward`.
   */
  forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    if (x === null || typeof x !== 'object' || (x as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`${name}: input must be a Tensor, got ${describeValue(x)}`);
    x.ptr('batchNorm'); // a disposed input is refused before num_batches_tracked counts it
    if (x.dtype !== 'float32') throw new TypeError(`${name}: expected a float32 input, got ${x.dtype} of shape ${fmt(x.shape)}`);
    this.checkInputDim(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new RangeError(`${name}: running_mean should contain ${x.shape[1]} elements not ${this.numFeatures} (the layer has ${this.numFeatures} features; input of shape ${fmt(x.shape)})`);
    }
    const training = this.training;
    if (training && x.numel() / x.shape[1] <= 1) {
      throw new RangeError(`${name}: Expected more than 1 value per channel when training, got input size ${fmt(x.shape)}`);
    }
    let factor = this.momentum ?? 0;
    if (training && this.numBatchesTracked) {
      const nbt = this.numBatchesTracked;
      noGrad(() => nbt.add_(1));
      if (this.momentum === null) factor = 1 / nbt.item();
    }
    const useBatch = training || !this.trackRunningStats;
    const track = !training || this.trackRunningStats;
    return batchNorm(x, track ? this.runningMean : null, track ? this.runningVar : null, this.weight, this.bias,
      { training: useBatch, momentum: factor, eps: this.eps });
  }

  /** `16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True`, as PyTorch prints it. PyTorch: `_NormBase.extra_repr`. */
  extraRepr(): string {
    const py = (b: boolean): string => (b ? 'True' : 'False');
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${py(this.affine)}, track_running_stats=${py(this.trackRunningStats)}`;
  }
}

/** Batch normalization of (N, C) or (N, C, L) over N (and L) per channel C. PyTorch: `torch.nn.BatchNorm1d`. */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${x.ndim}D input of shape ${fmt(x.shape)})`);
  }
}

/** Batch normalization of (N, C, H, W) over N, H and W per channel C. PyTorch: `torch.nn.BatchNorm2d`. */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${x.ndim}D input of shape ${fmt(x.shape)})`);
  }
}
