// Cosine annealing of the learning rate (CosineAnnealingLR).
import { Optimizer } from '../optimizer.js';
import { LRScheduler, groupsOf } from './base.js';
import { checkOptimizer, readOptions } from './options.js';
import type { SchedulerStateDict } from './state_dict.js';
import { pymod } from './util.js';

/** CosineAnnealingLR's options. PyTorch: `torch.optim.lr_scheduler.CosineAnnealingLR`'s keywords. */
export interface CosineAnnealingLROptions {
  /** Epochs of a half cosine period (positive, required). PyTorch: `T_max`. */
  tMax: number;
  /** The lowest learning rate (0). PyTorch: `eta_min`. */
  etaMin?: number;
}
/**
 * Cosine annealing from each group's initial lr to `etaMin` over `tMax` epochs (then back up),
 * computed recursively epoch by epoch as PyTorch's `get_lr` does. PyTorch: `torch.optim.lr_scheduler.CosineAnnealingLR`.
 */
export class CosineAnnealingLR extends LRScheduler {
  protected readonly fields = ['tMax', 'etaMin'];
  protected tMax: number;
  protected etaMin: number;
  /** `optimizer` and `{ tMax, etaMin? }`. */
  constructor(optimizer: Optimizer<object>, options: CosineAnnealingLROptions) {
    checkOptimizer('CosineAnnealingLR', optimizer);
    const o = readOptions('CosineAnnealingLR', options, { tMax: 'number', etaMin: 'number' }, ['tMax']);
    if (!(o.tMax > 0) || !Number.isFinite(o.tMax)) throw new RangeError(`CosineAnnealingLR: tMax must be a positive number, got ${o.tMax}`);
    super(optimizer);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin ?? 0;
    this.initialStep();
  }
  override stateDict(): SchedulerStateDict {
    // PyTorch's attribute names: T_max, eta_min
    const d = super.stateDict();
    const { t_max, ...rest } = d;
    return { T_max: t_max, ...rest };
  }
  override loadStateDict(dict: SchedulerStateDict): void {
    if (dict !== null && typeof dict === 'object' && 'T_max' in dict) {
      const { T_max, ...rest } = dict;
      return super.loadStateDict({ t_max: T_max, ...rest });
    }
    super.loadStateDict(dict);
  }
  protected override check(): void {
    if (!(this.tMax > 0)) throw new RangeError(`CosineAnnealingLR: T_max must be a positive number, got ${this.tMax}`);
  }
  protected getLr(): number[] {
    const gs = groupsOf(this.optimizer);
    const { tMax, etaMin, lastEpoch: e } = this;
    if (e === 0) return gs.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((b) => etaMin + ((b - etaMin) * (1 + Math.cos((e * Math.PI) / tMax))) / 2);
    }
    if (pymod(e - 1 - tMax, 2 * tMax) === 0) {
      return gs.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return gs.map((g) => ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (g.lr - etaMin) + etaMin);
  }
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
