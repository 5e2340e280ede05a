// One Adam step (lr 1e-3, betas 0.9/0.999, eps 1e-8 as PyTorch's) over 1M parameters: a single
// [1000, 1000] parameter whose gradient is already set, the same values in every library.
//   wasmtorch: `optim.Adam([p]).step()` inside `torch.tidy` (p.grad assigned once).
//   TensorFlow.js: `tf.train.adam(...).applyGradients([{ name: p.name, tensor: g }])` on a `tf.variable`.
//   jax-js: Adam written out (jax-js has no optax on npm), as bench/steps.bench.ts writes it,
//     under jit; the step ends with `await blockUntilReady` of the new parameter and state.
// The check reads the parameter back before and after one step and returns Σ Δp·g in float64:
// about −lr·Σ|g| on the early steps, so a wrong learning rate, a wrong sign or a missed bias
// correction moves it (two steps are compared: the first two bias corrections differ).
// The JSON detail gives GB/s: 28 MB per step (p, g, m, v read; p, m, v written).
import * as torch from '../src/index.js';
import { readyPeers, tf, jax } from './peers.js';
import { agree, timeSides, withRate, type Case, type RunOptions, type Side } from './lib.js';
import { OP_TIMING, uniform } from './op_case.js';
const { nn, optim } = torch;
const { numpy: np } = jax;
type JArray = jax.Array;

const [R, C] = [1000, 1000];
const [LR, B1, B2, EPS] = [1e-3, 0.9, 0.999, 1e-8];

/** Σ (after − before)·g in float64. */
function moved(before: ArrayLike<number>, after: ArrayLike<number>, g: Float32Array): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += (after[i] - before[i]) * g[i];
  return s;
}

function ours(p0: Float32Array, g0: Float32Array): Side {
  const p = torch.tidy(() => nn.Parameter(torch.tensor(p0).reshape(R, C)));
  torch.tidy(() => { p.grad = torch.tensor(g0).reshape(R, C); });
  const opt = new optim.Adam([p], { lr: LR, betas: [B1, B2], eps: EPS });
  return {
    step: () => torch.tidy(() => opt.step()),
    check: () => { const before = p.toFloat32Array(); opt.step(); return moved(before, p.toFloat32Array(), g0); },
    dispose: () => { opt.dispose(); p.dispose(); },
  };
}

function theirsTf(p0: Float32Array, g0: Float32Array): Side {
  const init = tf.tensor2d(p0, [R, C]);
  const p = tf.variable(init); // shares init's data, which stays held until init is disposed too
  init.dispose();
  const g = tf.tensor2d(g0, [R, C]);
  const opt = tf.train.adam(LR, B1, B2, EPS);
  const grads = [{ name: p.name, tensor: g }];
  return {
    step: () => opt.applyGradients(grads),
    check: () => { const before = p.dataSync().slice(); opt.applyGradients(grads); return moved(before, p.dataSync(), g0); },
    dispose: () => { opt.dispose(); tf.dispose([p, g]); },
  };
}

function theirsJax(p0: Float32Array, g0: Float32Array): Side {
  type State = { m: JArray; v: JArray; b1t: JArray; b2t: JArray };
  let p = np.array(p0, { shape: [R, C] });
  const g = np.array(g0, { shape: [R, C] });
  let s: State = { m: np.zeros([R, C]), v: np.zeros([R, C]), b1t: np.ones([]), b2t: np.ones([]) };
  // PyTorch's update: p -= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + eps); β1ᵗ and β2ᵗ stay on the device.
  // jax-js moves its arguments: an array used twice is passed as `.ref` the first time.
  const update = jax.jit((p: JArray, g: JArray, s: State) => {
    const b1t = s.b1t.mul(B1), b2t = s.b2t.mul(B2);
    const alpha = np.divide(LR, b1t.ref.mul(-1).add(1));
    const ibc2 = np.divide(1, np.sqrt(b2t.ref.mul(-1).add(1)));
    const m = s.m.mul(B1).add(g.ref.mul(1 - B1));
    const v = s.v.mul(B2).add(np.square(g).mul(1 - B2));
    const p2 = p.sub(m.ref.mul(alpha).div(np.sqrt(v.ref).mul(ibc2).add(EPS)));
    return [p2, { m, v, b1t, b2t }] as [JArray, State];
  });
  const run = () => { [p, s] = update(p, g.ref, s); };
  return {
    step: async () => { run(); await jax.blockUntilReady([p, s]); },
    async: true,
    check: () => { const before = p.ref.dataSync(); run(); return moved(before, p.ref.dataSync(), g0); },
    dispose: () => { update.dispose(); jax.tree.dispose([p, g, s]); },
  };
}

const NAME = 'Adam step, 1M parameters ([1000,1000], grad set)';

export const cases: Case[] = [{
  name: NAME,
  async run(opts: RunOptions) {
    await readyPeers();
    const p0 = uniform(R * C, 31), g0 = uniform(R * C, 32);
    const row = await timeSides(NAME, { wasmtorch: () => ours(p0, g0), tfjs: () => theirsTf(p0, g0), jax: () => theirsJax(p0, g0) },
      opts.quick ? 2 : 10, opts, (v) => agree(NAME, v, 1e-4, opts.log), 2, OP_TIMING);
    return withRate(row, 'GB/s', 7 * 4 * R * C);
  },
}];
