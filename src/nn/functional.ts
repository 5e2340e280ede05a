// nn.functional (also torch.F): the math behind every layer and loss, tensors first, options last.
import { Tensor } from '../tensor.js';
import { mul, assertFloat, checkTensorArg } from '../ops/elementwise.js';
import { linear } from '../ops/matmul.js';
import { mseLoss, l1Loss, crossEntropy } from '../ops/loss.js';
export {
  nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, smoothL1Loss, huberLoss, klDiv,
  type NLLLossOptions, type BCELossOptions, type BCEWithLogitsLossOptions, type SmoothL1LossOptions,
  type HuberLossOptions, type KLDivLossOptions, type KLDivReduction,
} from '../ops/loss.js';
import { dropoutArgs, dropMasked, type DropoutOptions } from './functional_extra.js';
export { oneHot, normalize, type NormalizeOptions, type DropoutOptions } from './functional_extra.js';
export {
  relu, leakyRelu, sigmoid, tanh, gelu, softmax, logSoftmax,
  type GeluApproximate, type GELUOptions, type ReLUOptions, type LeakyReLUOptions, type SoftmaxOptions, type FlattenOptions,
} from './functional_extra.js';

export { linear, mseLoss, l1Loss, crossEntropy };
export { conv1d, conv2d, convTranspose2d, type ConvOptions, type ConvTransposeOptions, type ConvSize } from '../ops/conv.js';
export { layerNorm, groupNorm, batchNorm } from '../ops/norm.js';
export type { LayerNormOptions, GroupNormOptions, BatchNormOptions } from '../ops/norm.js';
export { embedding, type EmbeddingOptions } from '../ops/embedding.js';
export {
  maxPool2d, maxPool1d, avgPool2d, avgPool1d, adaptiveAvgPool2d,
  type MaxPoolOptions, type AvgPoolOptions, type IntOrTuple, type AdaptiveSize,
} from '../ops/pool.js';
export { pad, type PadOptions, type PadMode } from '../ops/pad.js';
export { interpolate, type InterpolateOptions, type InterpolateMode } from '../ops/interpolate.js';

/**
 * Zeroes each element with probability p and scales the rest by 1/(1−p) when training (default
 * true, as `F.dropout`): `dropout(x, { p, training })` or PyTorch's positional `dropout(x, p, training)`. PyTorch: `F.dropout`.
 */
export function dropout(input: Tensor, options?: DropoutOptions | number, trainingArg?: boolean): Tensor {
  const { p, training } = dropoutArgs(options, trainingArg);
  checkTensorArg(input, 'dropout'); // before the mask is made: a disposed input leaks nothing
  assertFloat(input, 'dropout');
  if (!training || p === 0) return mul(input, 1);
  return dropMasked(input, p, [...input.shape], 'dropout');
}

/**
 * Zeroes whole channels (one draw per sample and channel of an (N, C, H, W) or (N, C, L) input)
 * with probability p and scales the rest by 1/(1−p) when training: `dropout2d(x, { p, training })`
 * or PyTorch's positional `dropout2d(x, p, training)`. PyTorch: `F.dropout2d`.
 */
export function dropout2d(input: Tensor, options?: DropoutOptions | number, trainingArg?: boolean): Tensor {
  const { p, training } = dropoutArgs(options, trainingArg);
  checkTensorArg(input, 'dropout2d');
  assertFloat(input, 'dropout2d');
  if (input.ndim !== 3 && input.ndim !== 4) throw new RangeError(`dropout2d: expected a 4-D (N, C, H, W) or 3-D (N, C, L) input, got shape [${input.shape.join(', ')}]`);
  if (!training || p === 0) return mul(input, 1);
  return dropMasked(input, p, input.shape.map((s, i) => (i < 2 ? s : 1)), 'dropout2d');
}
