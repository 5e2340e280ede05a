// Schedulers that set the learning rate to the initial one times a factor of the epoch: a
// user function (LambdaLR) or a linear ramp (LinearLR).
import { Optimizer } from '../optimizer.js';
import { LRScheduler, groupsOf } from './base.js';
import { checkOptimizer, perGroup, readOptions } from './options.js';
import { describe, isInt } from './util.js';

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
