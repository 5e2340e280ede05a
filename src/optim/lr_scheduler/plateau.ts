// ReduceLROnPlateau: lowers the learning rate when a metric stops improving. Not an LRScheduler:
// its step() takes the metric, and nothing is chainable.
import { Optimizer } from '../optimizer.js';
import { groupsOf } from './base.js';
import { checkOptimizer, perGroup, readOptions } from './options.js';
import { loadFields, saveFields, type SchedulerStateDict } from './state_dict.js';
import { describe, isInt } from './util.js';

/** ReduceLROnPlateau's options. PyTorch: `torch.optim.lr_scheduler.ReduceLROnPlateau`'s keywords. */
export interface ReduceLROnPlateauOptions {
  /** `'min'` (default: the metric should fall) or `'max'`. PyTorch: `mode`. */
  mode?: 'min' | 'max';
  /** The factor of each reduction, below 1 (0.1). PyTorch: `factor`. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (10). PyTorch: `patience`. */
  patience?: number;
  /** What counts as an improvement (1e-4). PyTorch: `threshold`. */
  threshold?: number;
  /** `'rel'` (default: best·(1 ∓ threshold)) or `'abs'` (best ∓ threshold). PyTorch: `threshold_mode`. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again (0). PyTorch: `cooldown`. */
  cooldown?: number;
  /** The lowest lr, or one per group (0). PyTorch: `min_lr`. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (1e-8). PyTorch: `eps`. */
  eps?: number;
}

/** Reduces the learning rate by `factor` when a metric stops improving for `patience` epochs. PyTorch: `torch.optim.lr_scheduler.ReduceLROnPlateau`. */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' `lr` this scheduler sets. PyTorch: `ReduceLROnPlateau.optimizer`. */
  readonly optimizer: Optimizer<object>;
  /** The number of `step(metric)` calls so far. PyTorch: `ReduceLROnPlateau.last_epoch`. */
  lastEpoch = 0;
  /** The best metric seen so far. PyTorch: `ReduceLROnPlateau.best`. */
  best = Infinity;
  /** Epochs since the last improvement. PyTorch: `ReduceLROnPlateau.num_bad_epochs`. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. PyTorch: `ReduceLROnPlateau.cooldown_counter`. */
  cooldownCounter = 0;
  /** @internal */
  lastLr: number[];
  protected factor: number;
  protected minLrs: number[];
  protected patience: number;
  protected cooldown: number;
  protected mode: string;
  protected threshold: number;
  protected thresholdMode: string;
  protected modeWorse: number;
  protected eps: number;
  private static readonly FIELDS = ['factor', 'minLrs', 'patience', 'cooldown', 'cooldownCounter', 'mode', 'threshold', 'thresholdMode',
    'best', 'numBadEpochs', 'modeWorse', 'eps', 'lastEpoch', 'lastLr'];

  /** `optimizer` and `{ mode?, factor?, patience?, threshold?, thresholdMode?, cooldown?, minLr?, eps? }`. */
  constructor(optimizer: Optimizer<object>, options: ReduceLROnPlateauOptions = {}) {
    const op = 'ReduceLROnPlateau';
    checkOptimizer(op, optimizer);
    const o = readOptions(op, options, {
      mode: 'string', factor: 'number', patience: 'int', threshold: 'number', thresholdMode: 'string', cooldown: 'int', minLr: 'numbers', eps: 'number',
    });
    this.optimizer = optimizer;
    this.factor = o.factor ?? 0.1;
    this.minLrs = perGroup(op, 'minLr', optimizer, o.minLr ?? 0) as number[];
    this.patience = o.patience ?? 10;
    this.cooldown = o.cooldown ?? 0;
    this.mode = o.mode ?? 'min';
    this.threshold = o.threshold ?? 1e-4;
    this.thresholdMode = o.thresholdMode ?? 'rel';
    this.eps = o.eps ?? 1e-8;
    this.check();
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
    this.best = this.modeWorse;
    this.lastLr = groupsOf(optimizer).map((g) => g.lr);
  }

  private check(): void {
    const op = 'ReduceLROnPlateau';
    if (!(this.factor < 1)) throw new RangeError(`${op}: factor should be < 1.0, got ${this.factor}`);
    if (this.mode !== 'min' && this.mode !== 'max') throw new RangeError(`${op}: mode '${this.mode}' is unknown; expected 'min' or 'max'`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') throw new RangeError(`${op}: threshold mode '${this.thresholdMode}' is unknown; expected 'rel' or 'abs'`);
    if (!isInt(this.patience) || this.patience < 0) throw new RangeError(`${op}: patience must be a non-negative integer, got ${this.patience}`);
    if (!isInt(this.cooldown) || this.cooldown < 0) throw new RangeError(`${op}: cooldown must be a non-negative integer, got ${this.cooldown}`);
  }

  private isBetter(a: number, best: number): boolean {
    const rel = this.thresholdMode === 'rel';
    if (this.mode === 'min') return rel ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return rel ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records the epoch's metric and reduces the lr after `patience` epochs without improvement. PyTorch: `ReduceLROnPlateau.step(metrics)`. */
  step(metric: number | { item(): number }): void {
    if (arguments.length > 1) throw new TypeError(`ReduceLROnPlateau.step: takes one argument, the metric; got ${arguments.length} (PyTorch's deprecated step(metrics, epoch) is not supported)`);
    const current = typeof metric === 'number' ? metric
      : metric !== null && typeof metric === 'object' && typeof metric.item === 'function' ? metric.item() : NaN;
    if (typeof metric !== 'number' && Number.isNaN(current)) throw new TypeError(`ReduceLROnPlateau.step: expected a number or a one-element tensor, got ${describe(metric)}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      groupsOf(this.optimizer).forEach((g, i) => {
        const old = g.lr;
        const lr = Math.max(old * this.factor, this.minLrs[i]);
        if (old - lr > this.eps) g.lr = lr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = groupsOf(this.optimizer).map((g) => g.lr);
  }

  /** The groups' learning rates after the last `step()`. PyTorch: `ReduceLROnPlateau.get_last_lr()`. */
  getLastLr(): number[] { return [...this.lastLr]; }

  /** The scheduler's state under PyTorch's names (`best`, `num_bad_epochs`, `cooldown_counter`, `min_lrs`, ...). PyTorch: `ReduceLROnPlateau.state_dict()`. */
  stateDict(): SchedulerStateDict { return saveFields(this, ReduceLROnPlateau.FIELDS); }

  /** Restores a `stateDict()` (keys, types and values checked first; a failed load changes nothing). PyTorch: `ReduceLROnPlateau.load_state_dict()`. */
  loadStateDict(dict: SchedulerStateDict): void {
    loadFields('ReduceLROnPlateau.loadStateDict', this, ReduceLROnPlateau.FIELDS, dict, this.optimizer.paramGroups.length, () => this.check(), ['default_min_lr']);
  }
}
