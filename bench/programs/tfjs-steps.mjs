// Seed steps in a fresh process, in TensorFlow.js (wasm backend), written as tfjs-seed.mjs is:
// each optimizer.minimize timed alone. Prints JSON like wasmtorch-steps.mjs. `--steps N` (default 3300).
import { parseCli } from '../../scripts/args.mjs';
const { steps } = parseCli('node bench/programs/tfjs-steps.mjs [--steps N]', { steps: { type: 'integer', default: 3300, min: 100 } });

const t0 = performance.now();
const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm');
const importMs = performance.now() - t0;
const inputs = tf.randomNormal([100, 10]);
const targets = tf.randomNormal([100, 1]);
const dense = (i, o) => [tf.variable(tf.randomUniform([i, o], -1 / Math.sqrt(i), 1 / Math.sqrt(i))),
  tf.variable(tf.randomUniform([o], -1 / Math.sqrt(i), 1 / Math.sqrt(i)))];
const [[w1, b1], [w2, b2]] = [dense(10, 20), dense(20, 1)];
const model = (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
const optimizer = tf.train.sgd(0.01);
const times = new Float64Array(steps);
let firstLoss = NaN, loss = null;
for (let i = 0; i < steps; i++) {
  const a = performance.now();
  loss?.dispose();
  loss = optimizer.minimize(() => tf.losses.meanSquaredError(targets, model(inputs)), true);
  times[i] = performance.now() - a;
  if (i === 0) firstLoss = loss.dataSync()[0];
}
const meanUs = (a, b) => { let s = 0; for (let i = a; i < Math.min(b, steps); i++) s += times[i]; return (s / (Math.min(b, steps) - a)) * 1000; };
console.log(JSON.stringify({ importMs, first100Us: meanUs(0, 100), steady300Us: steps > 300 ? meanUs(300, 3300) : NaN, firstLoss, lastLoss: loss.dataSync()[0] }));
