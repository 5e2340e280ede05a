// Matrix products, float32: square N = 64 … 1024, plain (a @ b) and with a transposed left
// operand (aᵀ @ b, each library's idiom: wasmtorch `a.t().matmul(b)`, TensorFlow.js
// `tf.matMul(a, b, true, false)`, jax-js `np.matmul(a.transpose(), b)` under jit), and a batched
// product [32, 128, 128] @ [32, 128, 128]. The JSON detail gives GFLOP/s (2·N³ per product).
// Same inputs everywhere (bench/op_case.ts); the checks agree to float32 rounding (~1e-6).
import * as torch from '../src/index.js';
import { tf, jax } from './peers.js';
import type { Case } from './lib.js';
import { opCase, uniform, type OpSpec } from './op_case.js';
const { numpy: np } = jax;

/** Steps before the timing and benchmark.js's sampling, by the size of one call. */
function effort(n: number): Pick<OpSpec, 'warmup' | 'timing'> {
  // N = 1024 takes 50 ms to 3.4 s a call (TensorFlow.js's transposed path): the check has run it
  // once already, one round, a sample is one call (a single one for the 3.4 s call)
  if (n >= 1024) return { warmup: 0, timing: { rounds: 1, maxTime: 0.3, minSamples: 1 } };
  if (n >= 512) return { warmup: 1, timing: { minSamples: 2 } };
  return { warmup: 10 };
}

function square(n: number, transposed: boolean): Case {
  return opCase({
    name: transposed ? `matmul aᵀ@b N=${n}` : `matmul N=${n}`,
    inputs: () => [{ data: uniform(n * n, 1), shape: [n, n] }, { data: uniform(n * n, 2), shape: [n, n] }],
    ours: transposed ? (a, b) => a.t().matmul(b) : (a, b) => a.matmul(b),
    tfjs: transposed ? (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, true, false) : (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    jax: transposed ? (a, b) => np.matmul(a.transpose(), b) : (a, b) => np.matmul(a, b),
    rate: { unit: 'GFLOP/s', perCall: 2 * n ** 3 },
    rtol: 1e-4,
    ...effort(n),
  });
}

const SIZES = [64, 128, 256, 512, 1024];
const [B, M] = [32, 128];

export const cases: Case[] = [
  ...SIZES.map((n) => square(n, false)),
  ...SIZES.map((n) => square(n, true)),
  opCase({
    name: `matmul batched [${B},${M},${M}]@[${B},${M},${M}]`,
    inputs: () => [{ data: uniform(B * M * M, 3), shape: [B, M, M] }, { data: uniform(B * M * M, 4), shape: [B, M, M] }],
    ours: (a, b) => torch.matmul(a, b),
    tfjs: (a, b) => tf.matMul(a, b),
    jax: (a, b) => np.matmul(a, b),
    rate: { unit: 'GFLOP/s', perCall: 2 * B * M ** 3 },
    rtol: 1e-4,
    warmup: 2,
  }),
];
