import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { ELEMENTS_MIN, elementwise } from '../runtime/parallel.js';
import { Optimizer, checkAdamOptions, type ParamsArg, type ParamState } from './optimizer.js';

/** Adam's options: `lr`, `betas`, `eps`, `weightDecay`, `amsgrad`, `maximize`. PyTorch: `torch.optim.Adam`'s keywords. */
export interface AdamOptions { lr: number; betas: [number, number]; eps: number; weightDecay: number; amsgrad: boolean; maximize: boolean }

/** Adam with optional weight decay (added to the gradient), AMSGrad and maximize. PyTorch: `torch.optim.Adam`. */
export class Adam extends Optimizer<AdamOptions> {
  protected readonly decoupled: boolean = false;
  protected readonly stateKeys = ['step', 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'];
  protected readonly scalarStateKeys = ['step'];
  /** The class's default weight decay (AdamW: 0.01). */
  protected static readonly defaultWeightDecay: number = 0;
  constructor(params: ParamsArg<AdamOptions>, options: Partial<AdamOptions> = {}) {
    const weightDecay = (new.target as unknown as typeof Adam).defaultWeightDecay;
    super(params, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false }, options);
  }
  protected validate(g: AdamOptions): void {
    checkAdamOptions(this.constructor.name, g);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: AdamOptions): void {
    if (!st.exp_avg) st.step = 0; // no average yet: the state starts over, as PyTorch's first step
    const step = this.countStep(st);
    const m = this.buffer(st, 'exp_avg', p), v = this.buffer(st, 'exp_avg_sq', p);
    const vmax = g.amsgrad ? this.buffer(st, 'max_exp_avg_sq', p) : undefined;
    const [b1, b2] = g.betas;
    const op = `${this.constructor.name}.step`;
    const n = p.numel(), bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step;
    const pp = p.ptr(op), pg = grad.ptr(op), pm = m.ptr(op), pv = v.ptr(op), pvm = vmax ? vmax.ptr(op) : 0;
    const dec = this.decoupled ? 1 : 0, ams = g.amsgrad ? 1 : 0, max = g.maximize ? 1 : 0;
    if (n < ELEMENTS_MIN) K().adam(pp, pg, pm, pv, pvm, n, g.lr, b1, b2, g.eps, g.weightDecay, dec, ams, max, bc1, bc2);
    else elementwise('adam', [pp, pg, pm, pv, pvm, n, g.lr, b1, b2, g.eps, g.weightDecay, dec, ams, max, bc1, bc2], 5, [0, 1, 2, 3, 4]);
  }
}

/** Adam with decoupled weight decay (`weightDecay` 0.01 by default). PyTorch: `torch.optim.AdamW`. */
export class AdamW extends Adam {
  protected override readonly decoupled = true;
  protected static override readonly defaultWeightDecay: number = 0.01;
}
