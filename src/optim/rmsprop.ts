import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Optimizer, checkRange, type ParamsArg, type ParamState } from './optimizer.js';

/** RMSprop's options: `lr`, `alpha`, `eps`, `weightDecay`, `momentum`, `centered`, `maximize`. PyTorch: `torch.optim.RMSprop`'s keywords. */
export interface RMSpropOptions { lr: number; alpha: number; eps: number; weightDecay: number; momentum: number; centered: boolean; maximize: boolean }

/** RMSprop with momentum, centering, weight decay and maximize. PyTorch: `torch.optim.RMSprop`. */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsArg<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }
  protected readonly stateKeys = ['step', 'square_avg', 'momentum_buffer', 'grad_avg'];
  protected readonly scalarStateKeys = ['step'];
  protected validate(g: RMSpropOptions): void {
    checkRange('RMSprop', 'learning rate', g.lr, g.lr >= 0);
    checkRange('RMSprop', 'epsilon', g.eps, g.eps >= 0);
    checkRange('RMSprop', 'momentum', g.momentum, g.momentum >= 0);
    checkRange('RMSprop', 'weight_decay', g.weightDecay, g.weightDecay >= 0);
    checkRange('RMSprop', 'alpha', g.alpha, g.alpha >= 0);
  }
  protected update(p: Tensor, grad: Tensor, st: ParamState, g: RMSpropOptions): void {
    if (!st.square_avg) st.step = 0; // no average yet: the state starts over, as PyTorch's first step
    this.countStep(st);
    this.buffer(st, 'square_avg', p);
    if (g.momentum > 0) this.buffer(st, 'momentum_buffer', p);
    if (g.centered) this.buffer(st, 'grad_avg', p);
    const op = 'RMSprop.step';
    const ptr = (t: Tensor | number | undefined): number => (t instanceof Tensor ? t.ptr(op) : 0);
    K().rmsprop(p.ptr(op), grad.ptr(op), ptr(st.square_avg), ptr(st.momentum_buffer), ptr(st.grad_avg), p.numel(),
      g.lr, g.alpha, g.eps, g.weightDecay, g.momentum, g.centered ? 1 : 0, g.maximize ? 1 : 0);
  }
}
