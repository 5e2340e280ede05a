// The seed program in jax-js (wasm) as its users write it: a jit-compiled step of value_and_grad
// and the SGD update on a parameter tree. Same shapes: 100×10 → 20 → ReLU → 1, MSE, SGD lr 0.01,
// 100 steps. jax-js is lazy: the final read-back runs whatever is still pending.
import { init, jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import { parseCli } from '../../scripts/args.mjs';

parseCli('node bench/programs/jax-seed.mjs'); // takes no arguments: refuse any, as every script here does

await init('wasm');
const inputs = random.normal(random.key(0), [100, 10]);
const targets = random.normal(random.key(1), [100, 1]);
// PyTorch's nn.Linear initialisation: U(-1/√in, 1/√in)
const uniform = (seed, shape, i) => random.uniform(random.key(seed), shape, { minval: -1 / Math.sqrt(i), maxval: 1 / Math.sqrt(i) });
let params = { w1: uniform(2, [10, 20], 10), b1: uniform(3, [20], 10), w2: uniform(4, [20, 1], 20), b2: uniform(5, [1], 20) };
// jax-js moves its arguments: an array used again is passed as `.ref`
const lossFn = (p, x, y) => {
  const h = nn.relu(np.matmul(x, p.w1).add(p.b1));
  return np.mean(np.square(np.matmul(h, p.w2).add(p.b2).sub(y)));
};
const step = jit((p, x, y) => {
  const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), x, y);
  return [loss, tree.map((w, g) => w.sub(g.mul(0.01)), p, grads)];
});
let loss = null;
for (let epoch = 0; epoch < 100; epoch++) {
  loss?.dispose();
  [loss, params] = step(params, inputs.ref, targets.ref);
}
console.log(JSON.stringify({ finalLoss: loss.dataSync()[0] }));
