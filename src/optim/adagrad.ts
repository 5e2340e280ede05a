import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkRange, type ParamGroup, type ParamsArg, type ParamState } from './optimizer.js';

/** Adagrad's options. PyTorch: `torch.optim.Adagrad`'s keywords. */
export interface AdagradOptions {
  /** Learning rate (0.01). PyTorch: `lr`. */
  lr: number;
  /** Learning-rate decay: step t uses lr / (1 + (t − 1)·lrDecay) (0). PyTorch: `lr_decay`. */
  lrDecay: number;
  /** L2 penalty added to the gradient (0). PyTorch: `weight_decay`. */
  weightDecay: number;
  /** The starting value of the sum of squared gradients (0). PyTorch: `initial_accumulator_value`. */
  initialAccumulatorValue: number;
  /** Added to the denominator (1e-10). PyTorch: `eps`. */
  eps: number;
  /** Maximize the objective instead of minimizing it (false). PyTorch: `maximize`. */
  maximize: boolean;
}

/**
 * Adagrad: each element's step is divided by the root of its summed squared gradients. Its
 * state (`step`, `sum`) exists from construction, as in PyTorch. PyTorch: `torch.optim.Adagrad`.
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  protected readonly stateKeys = ['step', 'sum'];
  protected readonly scalarStateKeys = ['step'];
  constructor(params: ParamsArg<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
    for (const g of this.paramGroups) this.initGroup(g);
  }
  protected override initGroup(group: ParamGroup<AdagradOptions>): void {
    for (const p of group.params) this.state.set(p, { step: 0, sum: this.filledLike(p, group.initialAccumulatorValue) });
  }
  protected validate(g: AdagradOptions): void {
    checkRange('Adagrad', 'learning rate', g.lr, g.lr >= 0);
    checkRange('Adagrad', 'lr_decay', g.lrDecay, g.lrDecay >= 0);
    checkRange('Adagrad', 'weight_decay', g.weightDecay, g.weightDecay >= 0);
    checkRange('Adagrad', 'initial_accumulator_value', g.initialAccumulatorValue, g.initialAccumulatorValue >= 0);
    checkRange('Adagrad', 'epsilon', g.eps, g.eps >= 0);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: AdagradOptions): void {
    const sum = this.buffer(st, 'sum', p, g.initialAccumulatorValue);
    const step = this.countStep(st);
    const clr = g.lr / (1 + (step - 1) * g.lrDecay);
    const op = 'Adagrad.step';
    K().adagrad(p.ptr(op), grad.ptr(op), sum.ptr(op), p.numel(), clr, g.eps, g.weightDecay, g.maximize ? 1 : 0);
  }
}
