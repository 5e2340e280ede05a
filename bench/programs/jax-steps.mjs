// Seed steps in a fresh process, in jax-js (wasm), written as jax-seed.mjs is, except that each
// step is made to run before its time is taken: jax-js is lazy, and `loss.dataSync()` runs the
// step's whole jit program (the loss and the new parameters share it). Prints JSON like
// wasmtorch-steps.mjs. `--steps N` (default 3300).
import { parseCli } from '../../scripts/args.mjs';
const { steps } = parseCli('node bench/programs/jax-steps.mjs [--steps N]', { steps: { type: 'integer', default: 3300, min: 100 } });

const t0 = performance.now();
const { init, jit, nn, numpy: np, random, tree, valueAndGrad } = await import('@jax-js/jax');
await init('wasm');
const importMs = performance.now() - t0;
const inputs = random.normal(random.key(0), [100, 10]);
const targets = random.normal(random.key(1), [100, 1]);
const uniform = (seed, shape, i) => random.uniform(random.key(seed), shape, { minval: -1 / Math.sqrt(i), maxval: 1 / Math.sqrt(i) });
let params = { w1: uniform(2, [10, 20], 10), b1: uniform(3, [20], 10), w2: uniform(4, [20, 1], 20), b2: uniform(5, [1], 20) };
const lossFn = (p, x, y) => {
  const h = nn.relu(np.matmul(x, p.w1).add(p.b1));
  return np.mean(np.square(np.matmul(h, p.w2).add(p.b2).sub(y)));
};
const step = jit((p, x, y) => {
  const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), x, y);
  return [loss, tree.map((w, g) => w.sub(g.mul(0.01)), p, grads)];
});
const times = new Float64Array(steps);
let firstLoss = NaN, lastLoss = NaN;
for (let i = 0; i < steps; i++) {
  const a = performance.now();
  const [loss, p] = step(params, inputs.ref, targets.ref);
  params = p;
  lastLoss = loss.dataSync()[0];
  times[i] = performance.now() - a;
  if (i === 0) firstLoss = lastLoss;
}
const meanUs = (a, b) => { let s = 0; for (let i = a; i < Math.min(b, steps); i++) s += times[i]; return (s / (Math.min(b, steps) - a)) * 1000; };
console.log(JSON.stringify({ importMs, first100Us: meanUs(0, 100), steady300Us: steps > 300 ? meanUs(300, 3300) : NaN, firstLoss, lastLoss }));
