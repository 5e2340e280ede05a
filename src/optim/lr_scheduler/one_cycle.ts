// The 1cycle policy (OneCycleLR), with PyTorch's group keys `maxLr`, `minLr`, `maxMomentum`,
// `baseMomentum` and its `_schedule_phases` in the state dict.
import { Optimizer } from '../optimizer.js';
import { LRScheduler, groupsOf } from './base.js';
import { checkOptimizer, perGroup, readOptions } from './options.js';
import type { SchedulerStateDict } from './state_dict.js';
import { isInt } from './util.js';

/** OneCycleLR's options. PyTorch: `torch.optim.lr_scheduler.OneCycleLR`'s keywords. */
export interface OneCycleLROptions {
  /** The peak learning rate, or one per group (required). PyTorch: `max_lr`. */
  maxLr: number | number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. PyTorch: `total_steps`. */
  totalSteps?: number;
  /** With `stepsPerEpoch`: totalSteps = epochs·stepsPerEpoch. PyTorch: `epochs`. */
  epochs?: number;
  /** With `epochs`. PyTorch: `steps_per_epoch`. */
  stepsPerEpoch?: number;
  /** The share of the cycle spent increasing the lr, in [0, 1] (0.3). PyTorch: `pct_start`. */
  pctStart?: number;
  /** `'cos'` (default) or `'linear'` annealing. PyTorch: `anneal_strategy`. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (or β1) inversely to the lr (true; needs an optimizer with `momentum` or `betas`). PyTorch: `cycle_momentum`. */
  cycleMomentum?: boolean;
  /** The lower momentum, or one per group (0.85). PyTorch: `base_momentum`. */
  baseMomentum?: number | number[];
  /** The upper momentum, or one per group (0.95). PyTorch: `max_momentum`. */
  maxMomentum?: number | number[];
  /** initial lr = maxLr / divFactor (25). PyTorch: `div_factor`. */
  divFactor?: number;
  /** min lr = initial lr / finalDivFactor (1e4). PyTorch: `final_div_factor`. */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, then to the min lr) instead of two (false). PyTorch: `three_phase`. */
  threePhase?: boolean;
}
interface Phase { end_step: number; start_lr: string; end_lr: string; start_momentum: string; end_momentum: string }
const GROUP_KEY: Record<string, string> = { initial_lr: 'initialLr', max_lr: 'maxLr', min_lr: 'minLr', max_momentum: 'maxMomentum', base_momentum: 'baseMomentum' };

/**
 * The 1cycle policy: the lr rises from maxLr/divFactor to maxLr, then anneals to a minimum,
 * over `totalSteps` steps (call `step()` after every batch); momentum or β1 cycles the other
 * way. PyTorch: `torch.optim.lr_scheduler.OneCycleLR`.
 */
export class OneCycleLR extends LRScheduler {
  protected readonly fields = ['totalSteps', 'schedulePhases', 'annealStrategy', 'cycleMomentum', 'useBeta1'];
  protected totalSteps: number;
  protected schedulePhases: Phase[];
  protected annealStrategy: string;
  protected cycleMomentum: boolean;
  protected useBeta1: boolean;
  /** `optimizer` and `{ maxLr, totalSteps | epochs and stepsPerEpoch, ... }`. */
  constructor(optimizer: Optimizer<object>, options: OneCycleLROptions) {
    const op = 'OneCycleLR';
    checkOptimizer(op, optimizer);
    const o = readOptions(op, options, {
      maxLr: 'numbers', totalSteps: 'int', epochs: 'int', stepsPerEpoch: 'int', pctStart: 'number', annealStrategy: 'string',
      cycleMomentum: 'boolean', baseMomentum: 'numbers', maxMomentum: 'numbers', divFactor: 'number', finalDivFactor: 'number', threePhase: 'boolean',
    }, ['maxLr']);
    let total: number;
    if (o.totalSteps !== undefined) {
      if (o.totalSteps <= 0) throw new RangeError(`${op}: expected a positive integer totalSteps, got ${o.totalSteps}`);
      total = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      if (o.epochs <= 0) throw new RangeError(`${op}: expected a positive integer epochs, got ${o.epochs}`);
      if (o.stepsPerEpoch <= 0) throw new RangeError(`${op}: expected a positive integer stepsPerEpoch, got ${o.stepsPerEpoch}`);
      total = o.epochs * o.stepsPerEpoch;
    } else {
      throw new TypeError(`${op}: give either totalSteps or (epochs and stepsPerEpoch)`);
    }
    const pct = o.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) throw new RangeError(`${op}: expected pctStart between 0 and 1, got ${pct}`);
    const anneal = o.annealStrategy ?? 'cos';
    if (anneal !== 'cos' && anneal !== 'linear') throw new RangeError(`${op}: annealStrategy must be 'cos' or 'linear', got '${anneal}'`);
    const divFactor = o.divFactor ?? 25, finalDivFactor = o.finalDivFactor ?? 1e4;
    const maxLrs = perGroup(op, 'maxLr', optimizer, o.maxLr) as number[];
    const cycle = o.cycleMomentum ?? true;
    const defaults = optimizer.defaults as Record<string, unknown>;
    let maxMs: number[] = [], baseMs: number[] = [];
    const useBeta1 = 'betas' in defaults;
    if (cycle) {
      if (!('momentum' in defaults) && !useBeta1) {
        throw new TypeError(`${op}: ${optimizer.constructor.name} has neither momentum nor betas; pass cycleMomentum: false`);
      }
      maxMs = perGroup(op, 'maxMomentum', optimizer, o.maxMomentum ?? 0.95) as number[];
      baseMs = perGroup(op, 'baseMomentum', optimizer, o.baseMomentum ?? 0.85) as number[];
    }
    // everything checked: write the groups, as PyTorch does
    groupsOf(optimizer).forEach((g, i) => {
      g.initialLr = maxLrs[i] / divFactor;
      g.maxLr = maxLrs[i];
      g.minLr = (g.initialLr as number) / finalDivFactor;
      if (cycle) {
        if (useBeta1) g.betas = [maxMs[i], ...(g.betas as number[]).slice(1)];
        else g.momentum = maxMs[i];
        g.maxMomentum = maxMs[i];
        g.baseMomentum = baseMs[i];
      }
    });
    super(optimizer);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.schedulePhases = o.threePhase
      ? [
        { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: 2 * pct * total - 2, start_lr: 'max_lr', end_lr: 'initial_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
        { end_step: total - 1, start_lr: 'initial_lr', end_lr: 'min_lr', start_momentum: 'max_momentum', end_momentum: 'max_momentum' },
      ]
      : [
        { end_step: pct * total - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: total - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
      ];
    this.initialStep();
  }
  /** Its state under PyTorch 2.x's names (`total_steps`, `_schedule_phases`, `_anneal_func_type`, `use_beta1` when cycling momentum, ...). PyTorch: `OneCycleLR.state_dict()`. */
  override stateDict(): SchedulerStateDict {
    const d = super.stateDict();
    if (!this.cycleMomentum) delete d.use_beta1; // PyTorch sets it only when cycling
    return d;
  }
  protected override check(): void {
    if (!isInt(this.totalSteps) || this.totalSteps <= 0) throw new RangeError(`OneCycleLR: total_steps must be a positive integer, got ${this.totalSteps}`);
    if (this.annealStrategy !== 'cos' && this.annealStrategy !== 'linear') throw new RangeError(`OneCycleLR: anneal_strategy must be 'cos' or 'linear', got '${this.annealStrategy}'`);
    for (const p of this.schedulePhases) {
      if (p === null || typeof p !== 'object' || typeof p.end_step !== 'number' || ![p.start_lr, p.end_lr, p.start_momentum, p.end_momentum].every((k) => k in GROUP_KEY)) {
        throw new TypeError('OneCycleLR: _schedule_phases must hold { end_step, start_lr, end_lr, start_momentum, end_momentum } with group key names');
      }
    }
  }
  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }
  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new RangeError(`OneCycleLR: tried to step ${step} times; the schedule has ${this.totalSteps} total steps`);
    return groupsOf(this.optimizer).map((g) => {
      let start = 0, lr = 0, momentum = 0;
      const phases = this.schedulePhases;
      for (let i = 0; i < phases.length; i++) {
        const ph = phases[i];
        if (step <= ph.end_step || i === phases.length - 1) {
          const pct = (step - start) / (ph.end_step - start);
          const at = (k: string): number => g[GROUP_KEY[k]] as number;
          lr = this.anneal(at(ph.start_lr), at(ph.end_lr), pct);
          if (this.cycleMomentum) momentum = this.anneal(at(ph.start_momentum), at(ph.end_momentum), pct);
          break;
        }
        start = ph.end_step;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
