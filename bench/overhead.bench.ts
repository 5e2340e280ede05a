// Per-op overhead: an add of two 1-element tensors, the result freed, in a batch of 100 per
// benchmark.js call (the table shows the time of one op). What each library's op includes:
//   wasmtorch: `torch.add(a, b)` then `.dispose()`: eager, the kernel has run when add returns.
//   TensorFlow.js: `tf.add(a, b)` then `.dispose()`: eager too (the wasm backend runs the kernel
//     synchronously on the calling thread).
//   jax-js: `np.add(a.ref, b.ref)` (jax-js consumes its arguments; `.ref` keeps a and b alive),
//     then `await c.blockUntilReady()` and `c.dispose()`: jax-js is lazy, and without the wait
//     the add would be recorded and dropped, never computed. blockUntilReady is its cheapest way
//     to run one op (dataSync, which also reads the value back, was ~2× slower).
// A second case reads the sum back as a JS number in all three (`item()`, `dataSync()`), the
// same work everywhere, synchronously.
import * as torch from '../src/index.js';
import { readyPeers, tf, jax } from './peers.js';
import { agree, timeSides, type Case, type RunOptions } from './lib.js';
const { numpy: np } = jax;

const BATCH = 100;

function addCase(name: string, readBack: boolean): Case {
  return {
    name,
    async run(opts: RunOptions) {
      await readyPeers();
      const [va, vb] = [1.5, 2.25];
      return timeSides(name, {
        wasmtorch: () => {
          const a = torch.tensor([va]), b = torch.tensor([vb]);
          return {
            step: readBack
              ? () => { for (let i = 0; i < BATCH; i++) { const c = torch.add(a, b); c.item(); c.dispose(); } }
              : () => { for (let i = 0; i < BATCH; i++) torch.add(a, b).dispose(); },
            check: () => { const c = torch.add(a, b); const v = c.item(); c.dispose(); return v; },
            perStep: BATCH,
            dispose: () => { a.dispose(); b.dispose(); },
          };
        },
        tfjs: () => {
          const a = tf.tensor1d([va]), b = tf.tensor1d([vb]);
          return {
            step: readBack
              ? () => { for (let i = 0; i < BATCH; i++) { const c = tf.add(a, b); c.dataSync(); c.dispose(); } }
              : () => { for (let i = 0; i < BATCH; i++) tf.add(a, b).dispose(); },
            check: () => { const c = tf.add(a, b); const v = c.dataSync()[0]; c.dispose(); return v; },
            perStep: BATCH,
            dispose: () => { a.dispose(); b.dispose(); },
          };
        },
        jax: () => {
          const a = np.array([va]), b = np.array([vb]);
          return readBack
            ? {
              // dataSync runs the pending add, reads it and disposes the array
              step: () => { for (let i = 0; i < BATCH; i++) np.add(a.ref, b.ref).dataSync(); },
              check: () => np.add(a.ref, b.ref).dataSync()[0],
              perStep: BATCH,
              dispose: () => { a.dispose(); b.dispose(); },
            }
            : {
              step: async () => { for (let i = 0; i < BATCH; i++) { const c = np.add(a.ref, b.ref); await c.blockUntilReady(); c.dispose(); } },
              async: true,
              check: () => np.add(a.ref, b.ref).dataSync()[0],
              perStep: BATCH,
              dispose: () => { a.dispose(); b.dispose(); },
            };
        },
      }, opts.quick ? 20 : 500, opts, (v) => agree(name, v, 0, opts.log));
    },
  };
}

export const cases: Case[] = [
  addCase('tiny add + dispose (1 element; per op)', false),
  addCase('tiny add + read back + dispose (per op)', true),
];
