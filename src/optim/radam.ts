import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkAdamOptions, type ParamsArg, type ParamState } from './optimizer.js';

/** RAdam's options (PyTorch 2.x's, `decoupledWeightDecay` and `maximize` included). PyTorch: `torch.optim.RAdam`'s keywords. */
export interface RAdamOptions {
  /** Learning rate (0.001). PyTorch: `lr`. */
  lr: number;
  /** Decay of the first and second moments ([0.9, 0.999]). PyTorch: `betas`. */
  betas: [number, number];
  /** Added to the denominator (1e-8). PyTorch: `eps`. */
  eps: number;
  /** Weight decay: an L2 penalty added to the gradient, or decoupled (0). PyTorch: `weight_decay`. */
  weightDecay: number;
  /** Decay the weights directly (p *= 1 − lr·weightDecay, RAdamW) instead of through the gradient (false). PyTorch: `decoupled_weight_decay`. */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead of minimizing it (false). PyTorch: `maximize`. */
  maximize: boolean;
}

/**
 * The rectification term of RAdam's step `step` (1-based), or 0 while the variance is not yet
 * tractable (ρ_t ≤ 5, when PyTorch takes an unadapted momentum step). PyTorch: the `rect` of
 * `torch.optim.radam`.
 */
export function radamRectification(beta2: number, step: number): number {
  const bc2 = 1 - beta2 ** step;
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
  if (!(rhoT > 5.0)) return 0;
  return (((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5;
}

/** RAdam: Adam whose adaptive step is switched on and rectified once its variance is tractable. PyTorch: `torch.optim.RAdam`. */
export class RAdam extends Optimizer<RAdamOptions> {
  protected readonly stateKeys = ['step', 'exp_avg', 'exp_avg_sq'];
  protected readonly scalarStateKeys = ['step'];
  constructor(params: ParamsArg<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false }, options);
  }
  protected validate(g: RAdamOptions): void {
    checkAdamOptions('RAdam', g);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: RAdamOptions): void {
    const step = this.countStep(st);
    const m = this.buffer(st, 'exp_avg', p), v = this.buffer(st, 'exp_avg_sq', p);
    const [b1, b2] = g.betas;
    const op = 'RAdam.step';
    K().radam(p.ptr(op), grad.ptr(op), m.ptr(op), v.ptr(op), p.numel(),
      g.lr, b1, b2, g.eps, g.weightDecay, g.decoupledWeightDecay ? 1 : 0, g.maximize ? 1 : 0,
      1 - b1 ** step, Math.sqrt(1 - b2 ** step), radamRectification(b2, step));
  }
}
