// nn.Parameter: marks a tensor as a trainable leaf that modules find and tidy() never frees.
import { Tensor } from '../tensor.js';
import { describeValue } from '../options.js';

/** `nn.Parameter`'s call signatures: with or without `new`, it returns the marked tensor. */
export interface ParameterConstructor {
  new (data: Tensor, requiresGrad?: boolean): Tensor;
  (data: Tensor, requiresGrad?: boolean): Tensor;
}

/** Marks a tensor as trainable: `new nn.Parameter(t)` returns t itself (a detached view of a non-leaf). PyTorch: `torch.nn.Parameter`. */
export const Parameter = function (data: Tensor, requiresGrad = true): Tensor {
  if (!(data instanceof Tensor)) throw new TypeError('Parameter: expected a Tensor');
  data.ptr('Parameter');
  if (typeof requiresGrad !== 'boolean') throw new TypeError(`Parameter: requiresGrad must be a boolean, got ${describeValue(requiresGrad)}`);
  if (requiresGrad && data.dtype !== 'float32') throw new TypeError(`Parameter: only float32 tensors can require gradients, got ${data.dtype}`);
  const p = data.isLeaf ? data : data.detach();
  p.isParameter = true;
  p.pinned = true;
  p.requiresGrad = requiresGrad;
  return p;
} as unknown as ParameterConstructor;
