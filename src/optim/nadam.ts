import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkAdamOptions, checkRange, type ParamsArg, type ParamState } from './optimizer.js';

/** NAdam's options (PyTorch 2.x's, `decoupledWeightDecay` and `maximize` included). PyTorch: `torch.optim.NAdam`'s keywords. */
export interface NAdamOptions {
  /** Learning rate (0.002). PyTorch: `lr`. */
  lr: number;
  /** Decay of the first and second moments ([0.9, 0.999]). PyTorch: `betas`. */
  betas: [number, number];
  /** Added to the denominator (1e-8). PyTorch: `eps`. */
  eps: number;
  /** Weight decay: an L2 penalty added to the gradient, or decoupled (0). PyTorch: `weight_decay`. */
  weightDecay: number;
  /** ψ of the momentum schedule μ_t = β1·(1 − 0.5·0.96^(t·ψ)) (0.004). PyTorch: `momentum_decay`. */
  momentumDecay: number;
  /** Decay the weights directly (p *= 1 − lr·weightDecay, NAdamW) instead of through the gradient (false). PyTorch: `decoupled_weight_decay`. */
  decoupledWeightDecay: boolean;
  /** Maximize the objective instead of minimizing it (false). PyTorch: `maximize`. */
  maximize: boolean;
}

/** NAdam: Adam with Nesterov momentum and a warming momentum schedule. PyTorch: `torch.optim.NAdam`. */
export class NAdam extends Optimizer<NAdamOptions> {
  protected readonly stateKeys = ['step', 'mu_product', 'exp_avg', 'exp_avg_sq'];
  protected readonly scalarStateKeys = ['step', 'mu_product'];
  constructor(params: ParamsArg<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, { lr: 0.002, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 0.004, decoupledWeightDecay: false, maximize: false }, options);
  }
  protected validate(g: NAdamOptions): void {
    checkAdamOptions('NAdam', g);
    checkRange('NAdam', 'momentum_decay', g.momentumDecay, g.momentumDecay >= 0);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: NAdamOptions): void {
    const step = this.countStep(st);
    if (st.mu_product === undefined) st.mu_product = 1;
    const m = this.buffer(st, 'exp_avg', p), v = this.buffer(st, 'exp_avg_sq', p);
    const [b1, b2] = g.betas;
    const mu = b1 * (1 - 0.5 * 0.96 ** (step * g.momentumDecay));
    const muNext = b1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentumDecay));
    // PyTorch keeps mu_product in a float32 tensor
    const muProduct = Math.fround((st.mu_product as number) * Math.fround(mu));
    st.mu_product = muProduct;
    const c1 = (g.lr * (1 - mu)) / (1 - muProduct);
    const c2 = (g.lr * muNext) / (1 - muProduct * muNext);
    const op = 'NAdam.step';
    K().nadam(p.ptr(op), grad.ptr(op), m.ptr(op), v.ptr(op), p.numel(),
      g.lr, b1, b2, g.eps, g.weightDecay, g.decoupledWeightDecay ? 1 : 0, g.maximize ? 1 : 0, 1 - b2 ** step, c1, c2);
  }
}
