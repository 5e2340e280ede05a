import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkRange, type ParamsArg, type ParamState } from './optimizer.js';

/** Adadelta's options. PyTorch: `torch.optim.Adadelta`'s keywords. */
export interface AdadeltaOptions {
  /** Scales the computed step (1.0). PyTorch: `lr`. */
  lr: number;
  /** Decay of the running averages, in [0, 1] (0.9). PyTorch: `rho`. */
  rho: number;
  /** Added inside both square roots (1e-6). PyTorch: `eps`. */
  eps: number;
  /** L2 penalty added to the gradient (0). PyTorch: `weight_decay`. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (false). PyTorch: `maximize`. */
  maximize: boolean;
}

/** Adadelta: steps scaled by the ratio of running RMS of updates and of gradients. PyTorch: `torch.optim.Adadelta`. */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  protected readonly stateKeys = ['step', 'square_avg', 'acc_delta'];
  protected readonly scalarStateKeys = ['step'];
  constructor(params: ParamsArg<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }
  protected validate(g: AdadeltaOptions): void {
    checkRange('Adadelta', 'learning rate', g.lr, g.lr >= 0);
    checkRange('Adadelta', 'rho', g.rho, g.rho >= 0 && g.rho <= 1);
    checkRange('Adadelta', 'epsilon', g.eps, g.eps >= 0);
    checkRange('Adadelta', 'weight_decay', g.weightDecay, g.weightDecay >= 0);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: AdadeltaOptions): void {
    this.countStep(st);
    const sq = this.buffer(st, 'square_avg', p), acc = this.buffer(st, 'acc_delta', p);
    const op = 'Adadelta.step';
    K().adadelta(p.ptr(op), grad.ptr(op), sq.ptr(op), acc.ptr(op), p.numel(),
      g.lr, g.rho, g.eps, g.weightDecay, g.maximize ? 1 : 0);
  }
}
