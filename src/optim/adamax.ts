import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkRange, type ParamState } from './optimizer.js';

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
  constructor(params: ConstructorParameters<typeof Optimizer<AdamaxOptions>>[0], options: Partial<AdamaxOptions> = {}) {
    super(params, { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }
  protected validate(g: AdamaxOptions): void {
    checkRange('Adamax', 'learning rate', g.lr, g.lr >= 0);
    checkRange('Adamax', 'epsilon', g.eps, g.eps >= 0);
    checkRange('Adamax', 'beta parameter at index 0', g.betas[0], g.betas[0] >= 0 && g.betas[0] < 1);
    checkRange('Adamax', 'beta parameter at index 1', g.betas[1], g.betas[1] >= 0 && g.betas[1] < 1);
    checkRange('Adamax', 'weight_decay', g.weightDecay, g.weightDecay >= 0);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: AdamaxOptions): void {
    if (st.step === undefined) st.step = 0;
    if (!st.exp_avg) st.exp_avg = this.zerosLike(p);
    if (!st.exp_inf) st.exp_inf = this.zerosLike(p);
    const step = (st.step as number) + 1;
    st.step = step;
    const [b1, b2] = g.betas;
    const op = 'Adamax.step';
    K().adamax(p.ptr(op), grad.ptr(op), (st.exp_avg as Tensor).ptr(op), (st.exp_inf as Tensor).ptr(op), p.numel(),
      g.lr / (1 - b1 ** step), b1, b2, g.eps, g.weightDecay, g.maximize ? 1 : 0);
  }
}
