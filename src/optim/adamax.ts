import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkAdamOptions, type ParamsArg, type ParamState } from './optimizer.js';

/** Adamax's options. PyTorch: `torch.optim.Adamax`'s keywords. */
export interface AdamaxOptions {
  /** Learning rate (0.002). PyTorch: `lr`. */
  lr: number;
  /** Decay of the first moment and of the infinity norm ([0.9, 0.999]). PyTorch: `betas`. */
  betas: [number, number];
  /** Added to the infinity norm (1e-8). PyTorch: `eps`. */
  eps: number;
  /** L2 penalty added to the gradient (0). PyTorch: `weight_decay`. */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (false). PyTorch: `maximize`. */
  maximize: boolean;
}

/** Adamax: Adam with the infinity norm in place of the second moment. PyTorch: `torch.optim.Adamax`. */
export class Adamax extends Optimizer<AdamaxOptions> {
  protected readonly stateKeys = ['step', 'exp_avg', 'exp_inf'];
  protected readonly scalarStateKeys = ['step'];
  constructor(params: ParamsArg<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }
  protected validate(g: AdamaxOptions): void {
    checkAdamOptions('Adamax', g);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: AdamaxOptions): void {
    const step = this.countStep(st);
    const m = this.buffer(st, 'exp_avg', p), u = this.buffer(st, 'exp_inf', p);
    const [b1, b2] = g.betas;
    const op = 'Adamax.step';
    K().adamax(p.ptr(op), grad.ptr(op), m.ptr(op), u.ptr(op), p.numel(),
      g.lr / (1 - b1 ** step), b1, b2, g.eps, g.weightDecay, g.maximize ? 1 : 0);
  }
}
