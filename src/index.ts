// wasmtorch's public surface (../shared/API.md): PyTorch's names in JavaScript's conventions.
// Tensor comes through methods.ts, which binds its methods (so no bundler can drop them).
export { Tensor } from './methods.js';
export type { DType, Operand } from './tensor.js';
export { init, backendInfo, type InitOptions, type BackendInfo } from './runtime/wasm.js';
import { threadCount, setThreadCount } from './runtime/threads.js';
export { parallelInfo } from './runtime/threads.js';
export { tidy, keep, scope, type Scoped } from './runtime/scope.js';
export { memoryStats as memory, emptyCache } from './runtime/storage.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad_mode.js';
/** Autograd's tools beyond the Tensor methods: `detectAnomaly`. PyTorch: `torch.autograd`. */
export * as autograd from './autograd/api.js';
export { manualSeed } from './ops/random.js';
export { save, load, loadMetadata, type SaveOptions } from './io/safetensors.js';
export {
  tensor, zeros, ones, full, empty, randn, rand, randint, arange, linspace, eye,
  zerosLike, onesLike, fullLike, randnLike, type CreateOptions,
} from './ops/create.js';
export { randLike } from './ops/create.js';
export {
  add, sub, mul, div, pow, neg, exp, log, sqrt, rsqrt, abs, sign, sin, cos, square, reciprocal,
  relu, leakyRelu, sigmoid, tanh, gelu,
} from './ops/elementwise.js';
export { clamp, type ClampBound, type ClampOptions } from './ops/clamp.js';
export { matmul, mm, bmm } from './ops/matmul.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export {
  reshape, view, transpose, t, permute, expand, squeeze, unsqueeze, flatten, contiguous, clone, detach,
} from './ops/movement.js';
export {
  eq, ne, gt, ge, lt, le, maximum, minimum, where, maskedFill, logicalAnd, logicalOr, logicalXor, logicalNot,
  any, all, isnan, isfinite,
} from './ops/compare.js';
export { narrow, select, indexSelect, gather, scatter, scatterAdd, tril, triu } from './ops/indexing.js';
export { cat, stack, chunk, split, flip, repeat } from './ops/join.js';
export { numel, isFloatingPoint, type ToOptions } from './ops/dtype.js';
import { Tensor } from './tensor.js';
import * as rd from './ops/reduce.js';
import { maximum, minimum } from './ops/compare.js';
/** Layers, losses, `Module` and `nn.functional`. PyTorch: `torch.nn`. */
export * as nn from './nn/index.js';
/** `nn.functional` under its usual short name. PyTorch: `torch.nn.functional` (`import torch.nn.functional as F`). */
export { functional as F } from './nn/index.js';
/** Optimizers (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam) and `lrScheduler`. PyTorch: `torch.optim`. */
export * as optim from './optim/index.js';
/** Data loading: `utils.data.TensorDataset`, `DataLoader`, `randomSplit`. PyTorch: `torch.utils`. */
export * as utils from './utils/index.js';

/** Sum of all elements, or over `dim` (one or several), dropping them unless `keepdim`. PyTorch: `torch.sum`. */
export const sum = (t: Tensor, dim?: number | number[], keepdim = false): Tensor => rd.sum(t, dim, keepdim);
/** Mean of all elements, or over `dim` (one or several), dropping them unless `keepdim`. PyTorch: `torch.mean`. */
export const mean = (t: Tensor, dim?: number | number[], keepdim = false): Tensor => rd.mean(t, dim, keepdim);
/** The largest element, as a 0-dim tensor. PyTorch: `torch.max(input)`. */
export function max(t: Tensor): Tensor;
/** The largest values along `dim` and their int32 indices, also as `[values, indices]`. PyTorch: `torch.max(input, dim, keepdim)`. */
export function max(t: Tensor, dim: number, keepdim?: boolean): rd.ValuesIndices;
/** The elementwise maximum of two tensors, as `maximum`. PyTorch: `torch.max(input, other)`. */
export function max(t: Tensor, other: Tensor): Tensor;
export function max(t: Tensor, dim?: number | Tensor, keepdim = false): Tensor | rd.ValuesIndices {
  if (rd.isOtherTensor(dim, arguments.length, 'max')) return maximum(t, dim);
  return dim === undefined ? rd.maxAll(t) : rd.maxDim(t, dim, keepdim);
}
/** The smallest element, as a 0-dim tensor. PyTorch: `torch.min(input)`. */
export function min(t: Tensor): Tensor;
/** The smallest values along `dim` and their int32 indices, also as `[values, indices]`. PyTorch: `torch.min(input, dim, keepdim)`. */
export function min(t: Tensor, dim: number, keepdim?: boolean): rd.ValuesIndices;
/** The elementwise minimum of two tensors, as `minimum`. PyTorch: `torch.min(input, other)`. */
export function min(t: Tensor, other: Tensor): Tensor;
export function min(t: Tensor, dim?: number | Tensor, keepdim = false): Tensor | rd.ValuesIndices {
  if (rd.isOtherTensor(dim, arguments.length, 'min')) return minimum(t, dim);
  return dim === undefined ? rd.minAll(t) : rd.minDim(t, dim, keepdim);
}
/** Index (int32) of the largest element of the flattened tensor, or along `dim`. PyTorch: `torch.argmax`. */
export const argmax = (t: Tensor, dim?: number, keepdim = false): Tensor => rd.argmax(t, dim, keepdim);
/** Index (int32) of the smallest element of the flattened tensor, or along `dim`. PyTorch: `torch.argmin`. */
export const argmin = (t: Tensor, dim?: number, keepdim = false): Tensor => rd.argmin(t, dim, keepdim);
/** Product of all elements, or along `dim`; int32 and bool give int32. PyTorch: `torch.prod`. */
export const prod = (t: Tensor, dim?: number | null, keepdim = false): Tensor => rd.prod(t, dim, keepdim);
/** Variance over `dim` (all by default), unbiased unless `{ correction }` or `{ unbiased }` say otherwise. PyTorch: `torch.var`. */
function varFn(t: Tensor, dim?: number | number[] | null | rd.VarOptions, options?: rd.VarOptions): Tensor { return rd.variance(t, dim, options); }
export { varFn as var };
/** Standard deviation over `dim` (all by default), unbiased by default. PyTorch: `torch.std`. */
export const std = (t: Tensor, dim?: number | number[] | null | rd.VarOptions, options?: rd.VarOptions): Tensor => rd.std(t, dim, options);
export type { VarOptions } from './ops/reduce.js';
export type { ValuesIndices } from './ops/reduce.js';
/** `log Σ exp(x)` over `dim`, computed stably. PyTorch: `torch.logsumexp`. */
export const logsumexp = (t: Tensor, dim: number | number[], keepdim = false): Tensor => rd.logsumexp(t, dim, keepdim);
/** Vector p-norm (2 by default; 1, Infinity, -Infinity, 0, 'fro' or any p) over `dim` or all elements. PyTorch: `torch.norm`. */
export const norm = (t: Tensor, p?: number | 'fro', dim?: number | number[] | null, keepdim = false): Tensor => rd.norm(t, p, dim, keepdim);
/** Running sum along `dim`; int32 and bool give int32. PyTorch: `torch.cumsum`. */
export function cumsum(t: Tensor, dim: number): Tensor { return arguments.length > 2 ? Reflect.apply(rd.cumsum, undefined, [...arguments]) as Tensor : rd.cumsum(t, dim); }
/** Largest values over `dim` (all dims by default); ties share the gradient. PyTorch: `torch.amax`. */
export const amax = (t: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => rd.amax(t, dim, keepdim);
/** Smallest values over `dim` (all dims by default); ties share the gradient. PyTorch: `torch.amin`. */
export const amin = (t: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => rd.amin(t, dim, keepdim);

/**
 * Threads the kernels use: this thread and worker threads on a shared memory (default: the cores
 * available, at most 8), 1 where the runtime has no shared memory or workers. PyTorch: `torch.get_num_threads`.
 */
export function getNumThreads(): number { return threadCount(); }
/**
 * Sets the threads large kernels (products, convolutions, large elementwise ops, softmax, row
 * reductions, SGD and Adam steps) are split over, at most 64; results are bit-identical for any
 * count. Where the runtime has no shared memory (workerd, a page that is not cross-origin isolated)
 * the kernels stay on one thread, without an error. Workers join as they start (`parallelInfo()`
 * says how many run); in Node it waits up to a second for them. Called before `init()`, it applies
 * when the kernels load. PyTorch: `torch.set_num_threads`.
 */
export function setNumThreads(n: number): void {
  if (typeof n !== 'number') throw new TypeError(`setNumThreads: expected a positive integer, got ${typeof n === 'string' ? `string ${JSON.stringify(n)}` : typeof n}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
  setThreadCount(n);
}
