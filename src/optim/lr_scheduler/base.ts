// The base class of the epoch-based schedulers (every one but ReduceLROnPlateau), following PyTorch
// 2.x's torch.optim.lr_scheduler: the same recursive ("chainable") get_lr, the same closed forms
// where SequentialLR asks for one, `initialLr` in the param groups (PyTorch's `initial_lr`) and the
// same state-dict keys.
import { Optimizer } from '../optimizer.js';
import { noStepArgs, type AnyOptimizer } from './options.js';
import { loadFields, saveFields, type SchedulerStateDict } from './state_dict.js';

/** @internal A parameter group as the schedulers read and write it. */
export type Group = Record<string, unknown> & { lr: number };
/** @internal The optimizer's parameter groups, typed for the schedulers. */
export const groupsOf = (o: AnyOptimizer): Group[] => o.paramGroups as unknown as Group[];

/**
 * The schedulers' base: at construction it records each group's `initialLr` (if unset) and
 * takes the first step (epoch 0); each `step()` moves one epoch and writes every group's `lr`.
 * PyTorch: `torch.optim.lr_scheduler.LRScheduler`.
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' `lr` this scheduler sets. PyTorch: `LRScheduler.optimizer`. */
  readonly optimizer: Optimizer<object>;
  /** Each group's learning rate when the schedule started (`initialLr`). PyTorch: `LRScheduler.base_lrs`. */
  baseLrs: number[];
  /** The epoch of the last `step()` (0 after construction). PyTorch: `LRScheduler.last_epoch`. */
  lastEpoch = -1;
  /** @internal step() calls, the first at construction (PyTorch's `_step_count`). */
  stepCount = 0;
  /** @internal the learning rates the last step() set (PyTorch's `_last_lr`). */
  lastLr: number[] = [];
  /** @internal the fields saved by stateDict(), besides the base ones. */
  protected abstract readonly fields: string[];

  /** `optimizer`: the optimizer to schedule. */
  constructor(optimizer: Optimizer<object>) {
    this.optimizer = optimizer;
    for (const g of groupsOf(optimizer)) if (g.initialLr === undefined) g.initialLr = g.lr;
    this.baseLrs = groupsOf(optimizer).map((g) => g.initialLr as number);
  }

  /** @internal The chainable learning rates of epoch `lastEpoch`, from the groups' current ones (PyTorch's `get_lr`). */
  protected abstract getLr(): number[];
  /** @internal The closed form at `lastEpoch`, where PyTorch has one (`_get_closed_form_lr`). */
  protected closedFormLr(): number[] { return this.getLr(); }

  /** @internal The first step, taken by the subclass's constructor (PyTorch's `_initial_step`). */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  private apply(lrs: number[]): void {
    groupsOf(this.optimizer).forEach((g, i) => { g.lr = lrs[i]; });
    this.lastLr = groupsOf(this.optimizer).map((g) => g.lr);
  }

  /** Moves to the next epoch and sets every group's `lr`. PyTorch: `LRScheduler.step()`. */
  step(): void {
    noStepArgs(`${this.constructor.name}.step`, arguments);
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** @internal Jumps to `epoch` with the closed form (what SequentialLR does at a milestone, PyTorch's `step(epoch)`). */
  stepTo(epoch: number): void {
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr());
  }

  /** The learning rates the last `step()` set, one per group. PyTorch: `LRScheduler.get_last_lr()`. */
  getLastLr(): number[] { return [...this.lastLr]; }

  /** @internal Option checks also run after loadStateDict. */
  protected check(): void {}

  /** The scheduler's state under PyTorch's names (`last_epoch`, `base_lrs`, `_step_count`, `_last_lr`, its options in snake_case). PyTorch: `LRScheduler.state_dict()`. */
  stateDict(): SchedulerStateDict {
    return saveFields(this, [...this.fields, 'baseLrs', 'lastEpoch', 'stepCount', 'lastLr']);
  }

  /** Restores a `stateDict()` (keys, types and values checked first; a failed load changes nothing). PyTorch: `LRScheduler.load_state_dict()`. */
  loadStateDict(dict: SchedulerStateDict): void {
    loadFields(`${this.constructor.name}.loadStateDict`, this, [...this.fields, 'baseLrs', 'lastEpoch', 'stepCount', 'lastLr'], dict,
      this.optimizer.paramGroups.length, () => this.check());
  }
}
