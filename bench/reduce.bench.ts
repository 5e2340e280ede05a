// Reductions and the row-wise ops built on them, float32: the sum of 1M elements, the sum over dim
// 1 of [1000, 1000], softmax over the last dim of [1000, 1000], and the mean cross-entropy of
// [1024, 1000] logits against int class targets (forward only). The JSON detail gives GB/s (the
// bytes of the inputs read plus the output written, per call).
// Cross-entropy in each library's idiom for int targets: wasmtorch `F.crossEntropy(x, t)` (int32
// targets, as PyTorch's int64 ones); TensorFlow.js has no sparse form, so the step makes the
// one-hot labels (`tf.oneHot`, cast to float32) and calls `tf.losses.softmaxCrossEntropy`
// (mean over the batch); jax-js `-mean(sum(oneHot(t) · logSoftmax(x)))` under jit (as
// steps.bench.ts; jax-js has no optax on npm).
import * as torch from '../src/index.js';
import { tf, jax } from './peers.js';
import type { Case } from './lib.js';
import { classes, opCase, uniform } from './op_case.js';
const { numpy: np } = jax;

const M = 1 << 20;

export const cases: Case[] = [
  opCase({
    name: 'sum 1M',
    // positive values: the sum does not cancel, so the check compares it at full weight
    inputs: () => [{ data: uniform(M, 21, 0, 1), shape: [M] }],
    ours: (a) => torch.sum(a),
    tfjs: (a) => tf.sum(a),
    jax: (a) => np.sum(a),
    rate: { unit: 'GB/s', perCall: 4 * M },
    warmup: 20,
    // float32 sums of 1M terms in three summation orders
    rtol: 1e-4,
  }),
  opCase({
    name: 'sum dim 1 of [1000,1000]',
    inputs: () => [{ data: uniform(1e6, 22), shape: [1000, 1000] }],
    ours: (a) => torch.sum(a, 1),
    tfjs: (a) => tf.sum(a, 1),
    jax: (a) => np.sum(a, 1),
    rate: { unit: 'GB/s', perCall: 4 * (1e6 + 1000) },
    warmup: 20,
    rtol: 1e-4,
  }),
  opCase({
    name: 'softmax dim -1 of [1000,1000]',
    inputs: () => [{ data: uniform(1e6, 23, -4, 4), shape: [1000, 1000] }],
    ours: (a) => torch.softmax(a, -1),
    tfjs: (a) => tf.softmax(a, -1),
    jax: (a) => jax.nn.softmax(a, -1),
    rate: { unit: 'GB/s', perCall: 4 * 2e6 },
    warmup: 20,
    rtol: 1e-4,
  }),
  opCase({
    name: 'cross-entropy [1024,1000], int targets',
    inputs: () => [{ data: uniform(1024 * 1000, 24, -4, 4), shape: [1024, 1000] }, { data: classes(1024, 1000, 25), shape: [1024] }],
    ours: (x, t) => torch.F.crossEntropy(x, t),
    tfjs: (x, t) => tf.losses.softmaxCrossEntropy(tf.cast(tf.oneHot(t as tf.Tensor1D, 1000), 'float32'), x),
    jax: (x, t) => np.mean(np.sum(jax.nn.oneHot(t, 1000).mul(jax.nn.logSoftmax(x, -1)), -1)).mul(-1),
    rate: { unit: 'GB/s', perCall: 4 * (1024 * 1000 + 1024) },
    warmup: 20,
    rtol: 1e-4,
  }),
];
