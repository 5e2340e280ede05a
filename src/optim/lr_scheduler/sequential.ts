// SequentialLR: runs schedulers one after another, switching at milestone epochs.
import { Optimizer } from '../optimizer.js';
import { LRScheduler, groupsOf } from './base.js';
import { checkOptimizer, noStepArgs, readOptions, type KindTest } from './options.js';
import { ReduceLROnPlateau } from './plateau.js';
import type { SchedulerStateDict } from './state_dict.js';
import { bisectRight, describe } from './util.js';

// the `schedulers` option's check (a ReduceLROnPlateau passes it, to be refused with its own message)
const SCHEDULERS: KindTest = [(v) => Array.isArray(v) && v.every((x) => x instanceof LRScheduler || x instanceof ReduceLROnPlateau), 'an array of schedulers'];

/** SequentialLR's options. PyTorch: `torch.optim.lr_scheduler.SequentialLR`'s keywords. */
export interface SequentialLROptions {
  /** The schedulers, run one after the other (required). PyTorch: `schedulers`. */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over, one fewer than the schedulers (required). PyTorch: `milestones`. */
  milestones: number[];
}
/** Runs schedulers one after another, switching at the milestone epochs. PyTorch: `torch.optim.lr_scheduler.SequentialLR`. */
export class SequentialLR extends LRScheduler {
  protected readonly fields = ['seqMilestones'];
  protected schedulers: LRScheduler[];
  protected seqMilestones: number[];
  /** `optimizer` and `{ schedulers, milestones }`. */
  constructor(optimizer: Optimizer<object>, options: SequentialLROptions) {
    const op = 'SequentialLR';
    checkOptimizer(op, optimizer);
    const o = readOptions(op, options, { schedulers: SCHEDULERS, milestones: 'ints' }, ['schedulers', 'milestones']);
    const scheds = o.schedulers as LRScheduler[];
    if (scheds.length < 1) throw new RangeError(`${op}: expects at least one scheduler, got none`);
    scheds.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new TypeError(`${op}: scheduler ${i} is a ReduceLROnPlateau, which SequentialLR does not support`);
      if (s.optimizer !== optimizer) throw new RangeError(`${op}: scheduler ${i} belongs to another optimizer than the one passed in`);
    });
    if (o.milestones.length !== scheds.length - 1) {
      throw new RangeError(`${op}: expects one milestone fewer than schedulers, got ${scheds.length} schedulers and ${o.milestones.length} milestones`);
    }
    super(optimizer);
    this.schedulers = scheds;
    this.seqMilestones = [...o.milestones];
    this.lastEpoch = 0;
    // back to the initial learning rates, undo the other schedulers' first step, and start the first one
    for (const g of groupsOf(optimizer)) g.lr = g.initialLr as number;
    // PyTorch 2.x's recursive_undo: a nested SequentialLR undoes its own schedulers
    const undo = (s: LRScheduler): void => { if (s instanceof SequentialLR) s.schedulers.forEach(undo); else s.lastEpoch -= 1; };
    scheds.forEach(undo);
    scheds[0].initialStep();
    this.lastLr = scheds[0].getLastLr();
  }
  protected getLr(): number[] { return this.getLastLr(); }
  override step(): void {
    noStepArgs('SequentialLR.step', arguments);
    this.lastEpoch += 1;
    const idx = bisectRight(this.seqMilestones, this.lastEpoch);
    const s = this.schedulers[idx];
    if (idx > 0 && this.seqMilestones[idx - 1] === this.lastEpoch) s.stepTo(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }
  /** Its own state and each scheduler's under `_schedulers`, as PyTorch. PyTorch: `SequentialLR.state_dict()`. */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }
  /** Restores a `stateDict()`, each scheduler's included (all checked before any is written). PyTorch: `SequentialLR.load_state_dict()`. */
  override loadStateDict(dict: SchedulerStateDict): void {
    if (dict === null || typeof dict !== 'object') throw new TypeError(`SequentialLR.loadStateDict: expected a state dict object, got ${describe(dict)}`);
    const { _schedulers: subs, ...own } = dict;
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) {
      throw new RangeError(`SequentialLR.loadStateDict: '_schedulers' must hold ${this.schedulers.length} state dicts, got ${describe(subs)}`);
    }
    // dry runs on the current state first, so that a bad entry anywhere changes nothing
    const saved = [this.stateDict(), ...this.schedulers.map((s) => s.stateDict())];
    try {
      super.loadStateDict(own);
      this.schedulers.forEach((s, i) => s.loadStateDict(subs[i] as SchedulerStateDict));
    } catch (e) {
      super.loadStateDict(Object.fromEntries(Object.entries(saved[0]).filter(([k]) => k !== '_schedulers')));
      this.schedulers.forEach((s, i) => s.loadStateDict(saved[i + 1]));
      throw e;
    }
  }
}
