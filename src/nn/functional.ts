// nn.functional (also torch.F): the math behind every layer and loss, tensors first, options last.
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/grad_mode.js';
import { f32View } from '../runtime/storage.js';
import { relu, leakyRelu, sigmoid, tanh, gelu, mul, assertFloat } from '../ops/elementwise.js';
import { softmax, logSoftmax } from '../ops/softmax.js';
import { linear } from '../ops/matmul.js';
import { mseLoss, l1Loss, crossEntropy } from '../ops/loss.js';
import { nextUniform } from '../ops/random.js';
import { empty } from '../ops/create.js';

export { relu, leakyRelu, sigmoid, tanh, gelu, softmax, logSoftmax, linear, mseLoss, l1Loss, crossEntropy };

/** Zeroes each element with probability p and scales the rest by 1/(1−p) in training. PyTorch: `F.dropout`. */
export function dropout(input: Tensor, p = 0.5, training = true): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: probability has to be between 0 and 1, got ${p}`);
  assertFloat(input, 'dropout');
  if (!training || p === 0) return mul(input, 1);
  const mask = noGrad(() => empty([...input.shape]));
  const n = mask.numel(), scale = p === 1 ? 0 : 1 / (1 - p);
  const v = f32View(mask.ptr('dropout'), n);
  for (let i = 0; i < n; i++) v[i] = nextUniform() < p ? 0 : scale;
  const out = mul(input, mask); // the mask is saved by mul for backward
  mask.dispose();
  return out;
}
