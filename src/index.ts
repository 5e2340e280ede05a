// wasmtorch's public surface (../shared/API.md): PyTorch's names in JavaScript's conventions.
export { Tensor, type DType, type Operand } from './tensor.js';
export { init, backendInfo, type InitOptions, type BackendInfo } from './runtime/wasm.js';
export { tidy, keep } from './runtime/scope.js';
export { memoryStats as memory } from './runtime/storage.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad_mode.js';
export { manualSeed } from './ops/random.js';
export {
  tensor, zeros, ones, full, empty, randn, rand, randint, arange, linspace, eye,
  zerosLike, onesLike, fullLike, randnLike, type CreateOptions,
} from './ops/create.js';
export {
  add, sub, mul, div, pow, neg, exp, log, sqrt, rsqrt, abs, sign, sin, cos, square, reciprocal,
  relu, leakyRelu, sigmoid, tanh, gelu, clamp,
} from './ops/elementwise.js';
export { matmul, mm, bmm } from './ops/matmul.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export {
  reshape, view, transpose, t, permute, expand, squeeze, unsqueeze, flatten, contiguous, clone, detach,
} from './ops/movement.js';
import { Tensor } from './tensor.js';
import * as rd from './ops/reduce.js';
export * as nn from './nn/index.js';
export { functional as F } from './nn/index.js';
export * as optim from './optim/index.js';

export const sum = (t: Tensor, dim?: number | number[], keepdim = false): Tensor => rd.sum(t, dim, keepdim);
export const mean = (t: Tensor, dim?: number | number[], keepdim = false): Tensor => rd.mean(t, dim, keepdim);
export function max(t: Tensor): Tensor;
export function max(t: Tensor, dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
export function max(t: Tensor, dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
  return dim === undefined ? rd.maxAll(t) : rd.maxDim(t, dim, keepdim);
}
export function min(t: Tensor): Tensor;
export function min(t: Tensor, dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
export function min(t: Tensor, dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
  return dim === undefined ? rd.minAll(t) : rd.minDim(t, dim, keepdim);
}
export const argmax = (t: Tensor, dim?: number, keepdim = false): Tensor => rd.argmax(t, dim, keepdim);
export const argmin = (t: Tensor, dim?: number, keepdim = false): Tensor => rd.argmin(t, dim, keepdim);

/** Worker threads are not used yet: always 1. */
export function getNumThreads(): number { return 1; }
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${n}`);
}
