import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';
import { empty } from '../../ops/create.js';
import { noGrad } from '../../autograd/grad_mode.js';
import { linear } from '../../ops/matmul.js';
import { checkOptions, describeValue } from '../../options.js';
import { checkAllocSize } from '../../shape.js';

/**
 * `y = x·Wᵀ + b` with weight [outFeatures, inFeatures] and bias [outFeatures] (`inFeatures`, `outFeatures`
 * as given); PyTorch's init U(−1/√in, 1/√in) for both. PyTorch: `torch.nn.Linear`.
 */
export class Linear extends Module {
  /** The weight, [outFeatures, inFeatures]. PyTorch: `nn.Linear.weight`. */
  weight: Tensor;
  /** The bias, [outFeatures], or null with `{ bias: false }`. PyTorch: `nn.Linear.bias`. */
  bias: Tensor | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, options: { bias?: boolean } = {}) {
    super();
    checkOptions('Linear', options, { bias: 'boolean' });
    for (const [k, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (typeof v !== 'number') throw new TypeError(`Linear: ${k} must be a number, got ${describeValue(v)}`);
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${k} must be a positive integer, got ${v}`);
    }
    checkAllocSize([outFeatures, inFeatures], 'Linear'); // the weight must fit, named under Linear
    this.weight = new Parameter(empty(outFeatures, inFeatures));
    this.bias = options.bias ?? true ? new Parameter(empty(outFeatures)) : null;
    this.resetParameters();
  }
  /** Draws weight and bias again from U(−1/√in, 1/√in). PyTorch: `nn.Linear.reset_parameters`. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.inFeatures);
    noGrad(() => {
      this.weight.uniform_(-bound, bound);
      this.bias?.uniform_(-bound, bound);
    });
  }
  /** `x·Wᵀ + b` for `x` of shape [..., inFeatures]. PyTorch: `nn.Linear.forward`. */
  forward(x: Tensor): Tensor { return linear(x, this.weight, this.bias); }
  /** `in_features=…, out_features=…, bias=…`, as PyTorch prints it. PyTorch: `nn.Linear.extra_repr`. */
  extraRepr(): string { return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`; }
}
