// Schedulers that multiply the learning rate by `gamma`: every `stepSize` epochs (StepLR), at
// milestone epochs (MultiStepLR), every epoch (ExponentialLR).
import { Optimizer } from '../optimizer.js';
import { LRScheduler, groupsOf } from './base.js';
import { checkOptimizer, readOptions } from './options.js';
import { bisectRight, isInt } from './util.js';

/** StepLR's options. PyTorch: `torch.optim.lr_scheduler.StepLR`'s keywords. */
export interface StepLROptions {
  /** Epochs between two decays (a positive integer, required). PyTorch: `step_size`. */
  stepSize: number;
  /** The factor of each decay (0.1). PyTorch: `gamma`. */
  gamma?: number;
}
/** gamma multiplies the rate: a finite number ≥ 0 (NaN or a negative rate would only fail later, at optimizer.step()). */
function checkGamma(op: string, gamma: number | undefined): void {
  if (gamma !== undefined && !(Number.isFinite(gamma) && gamma >= 0)) throw new RangeError(`${op}: gamma must be a finite number >= 0, got ${gamma}`);
}

/** Multiplies the learning rate by `gamma` every `stepSize` epochs. PyTorch: `torch.optim.lr_scheduler.StepLR`. */
export class StepLR extends LRScheduler {
  protected readonly fields = ['stepSize', 'gamma'];
  protected stepSize: number;
  protected gamma: number;
  /** `optimizer` and `{ stepSize, gamma? }`. */
  constructor(optimizer: Optimizer<object>, options: StepLROptions) {
    checkOptimizer('StepLR', optimizer);
    const o = readOptions('StepLR', options, { stepSize: 'int', gamma: 'number' }, ['stepSize']);
    checkGamma('StepLR', o.gamma);
    if (o.stepSize < 1) throw new RangeError(`StepLR: stepSize must be a positive integer, got ${o.stepSize}`);
    super(optimizer);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }
  protected override check(): void {
    if (!isInt(this.stepSize) || this.stepSize < 1) throw new RangeError(`StepLR: step_size must be a positive integer, got ${this.stepSize}`);
  }
  protected getLr(): number[] {
    const gs = groupsOf(this.optimizer);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return gs.map((g) => g.lr);
    return gs.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/** MultiStepLR's options. PyTorch: `torch.optim.lr_scheduler.MultiStepLR`'s keywords. */
export interface MultiStepLROptions {
  /** Epochs at which to decay (integers; one repeated decays that many times; required). PyTorch: `milestones`. */
  milestones: number[];
  /** The factor of each decay (0.1). PyTorch: `gamma`. */
  gamma?: number;
}
/** Multiplies the learning rate by `gamma` at each milestone epoch. PyTorch: `torch.optim.lr_scheduler.MultiStepLR`. */
export class MultiStepLR extends LRScheduler {
  protected readonly fields = ['milestones', 'gamma'];
  /** @internal milestone → how many times it was given (PyTorch's Counter). */
  protected milestones: Record<string, number>;
  protected gamma: number;
  /** `optimizer` and `{ milestones, gamma? }`. */
  constructor(optimizer: Optimizer<object>, options: MultiStepLROptions) {
    checkOptimizer('MultiStepLR', optimizer);
    const o = readOptions('MultiStepLR', options, { milestones: 'ints', gamma: 'number' }, ['milestones']);
    checkGamma('MultiStepLR', o.gamma);
    super(optimizer);
    this.milestones = {};
    for (const m of o.milestones as number[]) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }
  protected override check(): void {
    for (const [k, v] of Object.entries(this.milestones)) {
      if (!isInt(Number(k)) || !isInt(v) || v < 1) throw new TypeError(`MultiStepLR: milestones must map integer epochs to positive counts, got ${k}: ${v}`);
    }
  }
  protected getLr(): number[] {
    const gs = groupsOf(this.optimizer);
    const count = this.milestones[this.lastEpoch];
    if (!count) return gs.map((g) => g.lr);
    return gs.map((g) => g.lr * this.gamma ** count);
  }
  protected override closedFormLr(): number[] {
    const sorted = Object.entries(this.milestones).flatMap(([k, v]) => Array(v).fill(Number(k)) as number[]).sort((a, b) => a - b);
    return this.baseLrs.map((b) => b * this.gamma ** bisectRight(sorted, this.lastEpoch));
  }
}

/** ExponentialLR's options. PyTorch: `torch.optim.lr_scheduler.ExponentialLR`'s keywords. */
export interface ExponentialLROptions {
  /** The factor applied every epoch (required). PyTorch: `gamma`. */
  gamma: number;
}
/** Multiplies the learning rate by `gamma` every epoch. PyTorch: `torch.optim.lr_scheduler.ExponentialLR`. */
export class ExponentialLR extends LRScheduler {
  protected readonly fields = ['gamma'];
  protected gamma: number;
  /** `optimizer` and `{ gamma }`. */
  constructor(optimizer: Optimizer<object>, options: ExponentialLROptions) {
    checkOptimizer('ExponentialLR', optimizer);
    const o = readOptions('ExponentialLR', options, { gamma: 'number' }, ['gamma']);
    checkGamma('ExponentialLR', o.gamma);
    super(optimizer);
    this.gamma = o.gamma;
    this.initialStep();
  }
  protected getLr(): number[] {
    const gs = groupsOf(this.optimizer);
    return this.lastEpoch === 0 ? gs.map((g) => g.lr) : gs.map((g) => g.lr * this.gamma);
  }
  protected override closedFormLr(): number[] { return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch); }
}
