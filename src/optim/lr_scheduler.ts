// Learning-rate schedulers, following PyTorch 2.x's torch.optim.lr_scheduler epoch by epoch: the
// same recursive ("chainable") get_lr, the same closed forms where SequentialLR asks for one, the
// same keys in param groups (`initialLr` ↔ `initial_lr`, OneCycleLR's `maxLr`, `minLr`,
// `maxMomentum`, `baseMomentum`) and the same state-dict keys. Options are checked: an unknown
// key, a missing required one or a wrong type is a TypeError, a bad value a RangeError.
import { Optimizer, snakeCase } from './optimizer.js';

type AnyOptimizer = Optimizer<object>;
type Group = Record<string, unknown> & { lr: number };
type Kind = 'number' | 'int' | 'boolean' | 'string' | 'numbers' | 'ints' | 'fns' | 'schedulers';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'function') return 'a function';
  return typeof v === 'string' ? `the string '${v}'` : `${typeof v} ${String(v)}`;
}

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);
const KIND_TEST: Record<Kind, [(v: unknown) => boolean, string]> = {
  number: [(v) => typeof v === 'number', 'a number'],
  int: [isInt, 'an integer'],
  boolean: [(v) => typeof v === 'boolean', 'a boolean'],
  string: [(v) => typeof v === 'string', 'a string'],
  numbers: [(v) => typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number')), 'a number or an array of numbers (one per parameter group)'],
  ints: [(v) => Array.isArray(v) && v.every(isInt), 'an array of integers'],
  fns: [(v) => typeof v === 'function' || (Array.isArray(v) && v.every((x) => typeof x === 'function')), 'a function or an array of functions (one per parameter group)'],
  schedulers: [(v) => Array.isArray(v) && v.every((x) => x instanceof LRScheduler || x instanceof ReduceLROnPlateau), 'an array of schedulers'],
};

/** Checks an options object against `spec`: unknown keys, missing required ones and wrong types are TypeErrors. */
function readOptions(op: string, options: unknown, spec: Record<string, Kind>, required: string[] = []): Record<string, any> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${op}: options must be an object, got ${describe(options)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (!(k in spec)) throw new TypeError(`${op}: unknown option '${k}'; expected one of ${Object.keys(spec).join(', ')}`);
    if (v === undefined) continue;
    const [ok, what] = KIND_TEST[spec[k]];
    if (!ok(v)) throw new TypeError(`${op}: option '${k}' must be ${what}, got ${describe(v)}`);
    out[k] = v;
  }
  for (const k of required) if (out[k] === undefined) throw new TypeError(`${op}: option '${k}' is required`);
  return out;
}

function checkOptimizer(op: string, optimizer: unknown): AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`${op}: ${describe(optimizer)} is not an Optimizer`);
  return optimizer as AnyOptimizer;
}

/** PyTorch's `_format_param`: one value per group from a number or a list of the groups' length. */
function perGroup(op: string, name: string, optimizer: AnyOptimizer, v: number | number[] | unknown): unknown[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(v)) {
    if (v.length !== n) throw new RangeError(`${op}: expected ${n} values for ${name} (one per parameter group), got ${v.length}`);
    return [...v];
  }
  return Array(n).fill(v);
}

const groupsOf = (o: AnyOptimizer): Group[] => o.paramGroups as unknown as Group[];
/** Python's `a % b` (the sign of b). */
const pymod = (a: number, b: number): number => ((a % b) + b) % b;
/** Python's bisect.bisect_right on a sorted list. */
function bisectRight(list: number[], x: number): number {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (x < list[mid]) hi = mid; else lo = mid + 1; }
  return lo;
}
// Keys PyTorch writes into a scheduler's state dict that this library has no use for: accepted
// with the value PyTorch writes there by default, refused otherwise. PyTorch 2.x's `_is_initial`
// only tells get_lr() it runs inside the constructor's first step, which a loaded scheduler has
// taken already, so either boolean loads.
const PYTORCH_EXTRAS: Record<string, unknown[]> = { verbose: [false], _get_lr_called_within_step: [false], _is_initial: [false, true] };

/** Throws a TypeError if a scheduler's step() got an argument (PyTorch's deprecated `step(epoch)`). */
function noStepArgs(op: string, args: IArguments): void {
  if (args.length > 0) {
    throw new TypeError(`${op}: step() takes no argument, got ${describe(args[0])} (PyTorch's deprecated step(epoch) is not supported; call step() once per epoch)`);
  }
}
// state-dict names that are not the snake_case of the field
const SPECIAL_NAMES: Record<string, string> = { stepCount: '_step_count', lastLr: '_last_lr', schedulePhases: '_schedule_phases', lrLambdaState: 'lr_lambdas', seqMilestones: '_milestones', annealStrategy: '_anneal_func_type' };

/** A state dict of a scheduler: PyTorch's attribute names and values. PyTorch: `LRScheduler.state_dict()`'s value. */
export type SchedulerStateDict = Record<string, unknown>;

/** Saves the fields named in `fields` under PyTorch's names (arrays and objects copied). */
function saveFields(owner: object, fields: string[]): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const f of fields) out[SPECIAL_NAMES[f] ?? snakeCase(f)] = structuredClone((owner as Record<string, unknown>)[f]);
  return out;
}

/**
 * Loads a state dict into `owner`'s fields: every key known and of the current value's type,
 * arrays of per-group values of the groups' length; then `check()` runs, and on any error every
 * field is restored, so a failed load changes nothing.
 */
function loadFields(op: string, owner: object, fields: string[], dict: unknown, groups: number, check: () => void, skip: string[] = []): void {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new TypeError(`${op}: expected a state dict object, got ${describe(dict)}`);
  const o = owner as Record<string, unknown>;
  const byName = new Map(fields.map((f) => [SPECIAL_NAMES[f] ?? snakeCase(f), f]));
  const updates: [string, unknown][] = [];
  for (const [k, v] of Object.entries(dict)) {
    if (skip.includes(k)) continue;
    if (k in PYTORCH_EXTRAS) {
      if (!PYTORCH_EXTRAS[k].includes(v)) throw new TypeError(`${op}: ${k} = ${describe(v)} is not supported`);
      continue;
    }
    const f = byName.get(k);
    if (!f) throw new TypeError(`${op}: unknown key '${k}'; expected one of ${[...byName.keys(), ...skip].join(', ')}`);
    const cur = o[f];
    const sameType = cur === null || v === null ? typeof cur === 'number' || typeof v === 'number' || cur === v
      : Array.isArray(cur) ? Array.isArray(v) : typeof v === typeof cur && !Array.isArray(v);
    if (!sameType) throw new TypeError(`${op}: '${k}' must be ${Array.isArray(cur) ? 'an array' : cur === null ? 'a number or null' : `a ${typeof cur}`}, got ${describe(v)}`);
    if ((f === 'baseLrs' || f === 'lastLr' || f === 'minLrs') && ((v as unknown[]).length !== groups || !(v as unknown[]).every((x) => typeof x === 'number'))) {
      throw new RangeError(`${op}: '${k}' must hold ${groups} numbers (one per parameter group), got ${describe(v)}`);
    }
    updates.push([f, v]);
  }
  const before = fields.map((f) => o[f]);
  for (const [f, v] of updates) o[f] = structuredClone(v);
  try {
    check();
  } catch (e) {
    fields.forEach((f, i) => { o[f] = before[i]; });
    throw e;
  }
}

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

/** StepLR's options. PyTorch: `torch.optim.lr_scheduler.StepLR`'s keywords. */
export interface StepLROptions {
  /** Epochs between two decays (a positive integer, required). PyTorch: `step_size`. */
  stepSize: number;
  /** The factor of each decay (0.1). PyTorch: `gamma`. */
  gamma?: number;
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

/** LambdaLR's options. PyTorch: `torch.optim.lr_scheduler.LambdaLR`'s keywords. */
export interface LambdaLROptions {
  /** epoch → factor of the initial lr, or one such function per group (required). PyTorch: `lr_lambda`. */
  lrLambda: ((epoch: number) => number) | Array<(epoch: number) => number>;
}
/** Sets each group's lr to its initial lr times `lrLambda(epoch)`. PyTorch: `torch.optim.lr_scheduler.LambdaLR`. */
export class LambdaLR extends LRScheduler {
  protected readonly fields = ['lrLambdaState'];
  protected lrLambdas: Array<(epoch: number) => number>;
  /** @internal functions are not saved: PyTorch writes None for each. */
  protected lrLambdaState: null[];
  /** `optimizer` and `{ lrLambda }`. */
  constructor(optimizer: Optimizer<object>, options: LambdaLROptions) {
    checkOptimizer('LambdaLR', optimizer);
    const o = readOptions('LambdaLR', options, { lrLambda: 'fns' }, ['lrLambda']);
    const lambdas = perGroup('LambdaLR', 'lrLambda', optimizer, o.lrLambda) as Array<(epoch: number) => number>;
    super(optimizer);
    this.lrLambdas = lambdas;
    this.lrLambdaState = lambdas.map(() => null);
    this.initialStep();
  }
  protected override check(): void {
    if (!Array.isArray(this.lrLambdaState) || this.lrLambdaState.length !== this.lrLambdas.length || this.lrLambdaState.some((x) => x !== null)) {
      throw new TypeError(`LambdaLR.loadStateDict: lr_lambdas must be ${this.lrLambdas.length} nulls (functions are not saved)`);
    }
  }
  protected getLr(): number[] {
    return this.baseLrs.map((b, i) => {
      const f = this.lrLambdas[i](this.lastEpoch);
      if (typeof f !== 'number') throw new TypeError(`LambdaLR: lrLambda(${this.lastEpoch}) returned ${describe(f)}, expected a number`);
      return b * f;
    });
  }
}

/** LinearLR's options. PyTorch: `torch.optim.lr_scheduler.LinearLR`'s keywords. */
export interface LinearLROptions {
  /** The factor at epoch 0, in (0, 1] (1/3). PyTorch: `start_factor`. */
  startFactor?: number;
  /** The factor from `totalIters` on, in [0, 1] (1). PyTorch: `end_factor`. */
  endFactor?: number;
  /** Epochs of the linear change (5). PyTorch: `total_iters`. */
  totalIters?: number;
}
/** Scales the learning rate by a factor moving linearly from `startFactor` to `endFactor` over `totalIters` epochs. PyTorch: `torch.optim.lr_scheduler.LinearLR`. */
export class LinearLR extends LRScheduler {
  protected readonly fields = ['startFactor', 'endFactor', 'totalIters'];
  protected startFactor: number;
  protected endFactor: number;
  protected totalIters: number;
  /** `optimizer` and `{ startFactor?, endFactor?, totalIters? }`. */
  constructor(optimizer: Optimizer<object>, options: LinearLROptions = {}) {
    checkOptimizer('LinearLR', optimizer);
    const o = readOptions('LinearLR', options, { startFactor: 'number', endFactor: 'number', totalIters: 'int' });
    const start = o.startFactor ?? 1 / 3, end = o.endFactor ?? 1, total = o.totalIters ?? 5;
    LinearLR.checkValues(start, end, total);
    super(optimizer);
    this.startFactor = start;
    this.endFactor = end;
    this.totalIters = total;
    this.initialStep();
  }
  private static checkValues(start: number, end: number, total: number): void {
    if (!(start > 0 && start <= 1)) throw new RangeError(`LinearLR: startFactor must be in (0, 1], got ${start}`);
    if (!(end >= 0 && end <= 1)) throw new RangeError(`LinearLR: endFactor must be in [0, 1], got ${end}`);
    if (!isInt(total) || total < 0) throw new RangeError(`LinearLR: totalIters must be a non-negative integer, got ${total}`);
  }
  protected override check(): void { LinearLR.checkValues(this.startFactor, this.endFactor, this.totalIters); }
  protected getLr(): number[] {
    const gs = groupsOf(this.optimizer);
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    if (e === 0) return gs.map((g) => g.lr * s);
    if (e > n) return gs.map((g) => g.lr);
    return gs.map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }
  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n, lastEpoch: e } = this;
    const frac = n === 0 ? 0 : Math.min(n, e) / n;
    return this.baseLrs.map((b) => b * (s + (f - s) * frac));
  }
}

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
    const o = readOptions(op, options, { schedulers: 'schedulers', milestones: 'ints' }, ['schedulers', 'milestones']);
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
