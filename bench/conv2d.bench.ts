// A convolution's forward pass, float32: conv2d of x [32, 16, 28, 28] with w [32, 16, 3, 3],
// padding 1 (same size), no bias; the JSON detail gives GFLOP/s (2·N·Cout·H·W·Cin·9 per call).
// The in-process counterpart of the first case of bench/conv.bench.ts (a standalone script with
// TensorFlow.js only, the training cases and PyTorch), here against jax-js too.
//   wasmtorch: `F.conv2d(x, w, null, { padding: 1 })`, NCHW.
//   TensorFlow.js: `tf.conv2d(x, w, 1, 'same')` in its layouts, NHWC and HWIO: its inputs are the
//     same values transposed once before the timing, its output transposed back for the check only.
//   jax-js: `lax.conv(x, w, [1, 1], 'SAME')` under jit, NCHW and OIHW as wasmtorch.
import * as torch from '../src/index.js';
import { tf, jax } from './peers.js';
import type { Case } from './lib.js';
import { opCase, uniform, type Input } from './op_case.js';

const [N, CIN, COUT, H, W, K] = [32, 16, 32, 28, 28, 3];

/** Permutes a row-major array of `shape` by `perm` (numpy's transpose). */
function permute(x: Input, perm: number[]): Input {
  const { data, shape } = x;
  const out = new Float32Array(data.length);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += idx[d] * inStrides[perm[d]];
    out[o] = data[src];
    for (let d = outShape.length - 1; d >= 0 && ++idx[d] === outShape[d]; d--) idx[d] = 0;
  }
  return { data: out, shape: outShape };
}

export const cases: Case[] = [
  opCase({
    name: `conv2d forward 3×3 ${CIN}→${COUT}, ${H}×${W}, batch ${N}`,
    inputs: () => [{ data: uniform(N * CIN * H * W, 41), shape: [N, CIN, H, W] }, { data: uniform(COUT * CIN * K * K, 42, -0.3, 0.3), shape: [COUT, CIN, K, K] }],
    ours: (x, w) => torch.F.conv2d(x, w, null, { padding: 1 }),
    tfjs: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
    tfjsLayout: {
      inputs: ([x, w]) => [permute(x, [0, 2, 3, 1]), permute(w, [2, 3, 1, 0])],
      output: (y) => tf.transpose(y, [0, 3, 1, 2]),
    },
    jax: (x, w) => jax.lax.conv(x, w, [1, 1], 'SAME'),
    rate: { unit: 'GFLOP/s', perCall: 2 * N * COUT * H * W * CIN * K * K },
    // jax-js takes 0.7–1 s a call here: no warm-up beyond the check's call, one round of two samples
    warmup: 0,
    rtol: 1e-4,
    timing: { rounds: 1, maxTime: 0.2, minSamples: 2 },
  }),
];
