import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { ELEMENTS_MIN, elementwise } from '../runtime/parallel.js';
import { Optimizer, checkRange, type ParamsArg, type ParamState } from './optimizer.js';

/** SGD's options: `lr`, `momentum`, `dampening`, `weightDecay`, `nesterov`, `maximize`. PyTorch: `torch.optim.SGD`'s keywords. */
export interface SGDOptions { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean; maximize: boolean }

/** Stochastic gradient descent with momentum, dampening, Nesterov, weight decay and maximize (lr 0.001 by default). PyTorch: `torch.optim.SGD`. */
export class SGD extends Optimizer<SGDOptions> {
  protected readonly stateKeys = ['momentum_buffer'];
  protected readonly scalarStateKeys: string[] = [];
  constructor(params: ParamsArg<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { lr: 0.001, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
  }
  protected validate(g: SGDOptions): void {
    checkRange('SGD', 'learning rate', g.lr, g.lr >= 0);
    checkRange('SGD', 'momentum', g.momentum, g.momentum >= 0);
    checkRange('SGD', 'weight_decay', g.weightDecay, g.weightDecay >= 0);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) throw new RangeError('SGD: Nesterov momentum requires a momentum and zero dampening');
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: SGDOptions): void {
    const first = g.momentum !== 0 && !st.momentum_buffer; // PyTorch clones the first gradient into the buffer
    if (g.momentum !== 0) this.buffer(st, 'momentum_buffer', p);
    const buf = st.momentum_buffer as Tensor | undefined;
    const n = p.numel(), pp = p.ptr('SGD.step'), pg = grad.ptr('SGD.step'), pb = buf ? buf.ptr('SGD.step') : 0;
    const nest = g.nesterov ? 1 : 0, max = g.maximize ? 1 : 0, fst = first ? 1 : 0;
    if (n < ELEMENTS_MIN) K().sgd(pp, pg, pb, n, g.lr, g.momentum, g.dampening, g.weightDecay, nest, max, fst);
    else elementwise('sgd', [pp, pg, pb, n, g.lr, g.momentum, g.dampening, g.weightDecay, nest, max, fst], 3, [0, 1, 2]);
  }
}
