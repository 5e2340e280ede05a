// nn.Parameter: marks a tensor as a trainable leaf that modules find and tidy() never frees.
import { Tensor } from '../tensor.js';

export interface ParameterConstructor {
  new (data: Tensor, requiresGrad?: boolean): Tensor;
  (data: Tensor, requiresGrad?: boolean): Tensor;
}

/** `new nn.Parameter(t)` returns t itself (or a detached view of a non-leaf), marked. */
export const Parameter = function (data: Tensor, requiresGrad = true): Tensor {
  if (!(data instanceof Tensor)) throw new TypeError('Parameter: expected a Tensor');
  const p = data.isLeaf ? data : data.detach();
  p.isParameter = true;
  p.pinned = true;
  p.requiresGrad = requiresGrad;
  return p;
} as unknown as ParameterConstructor;
