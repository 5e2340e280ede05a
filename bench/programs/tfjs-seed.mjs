// The seed program in TensorFlow.js (wasm backend) as its users write a training loop:
// variables, a model function and optimizer.minimize (tf.sequential + model.fit is the Keras way,
// with more per-epoch machinery). Same shapes: 100×10 → 20 → ReLU → 1, MSE, SGD lr 0.01, 100 steps.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parseCli } from '../../scripts/args.mjs';

parseCli('node bench/programs/tfjs-seed.mjs'); // takes no arguments: refuse any, as every script here does

await tf.setBackend('wasm');
const inputs = tf.randomNormal([100, 10]);
const targets = tf.randomNormal([100, 1]);
// PyTorch's nn.Linear initialisation: U(-1/√in, 1/√in)
const dense = (i, o) => [tf.variable(tf.randomUniform([i, o], -1 / Math.sqrt(i), 1 / Math.sqrt(i))),
  tf.variable(tf.randomUniform([o], -1 / Math.sqrt(i), 1 / Math.sqrt(i)))];
const [[w1, b1], [w2, b2]] = [dense(10, 20), dense(20, 1)];
const model = (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
const optimizer = tf.train.sgd(0.01);
let loss = null;
for (let epoch = 0; epoch < 100; epoch++) {
  loss?.dispose();
  loss = optimizer.minimize(() => tf.losses.meanSquaredError(targets, model(inputs)), true);
}
console.log(JSON.stringify({ finalLoss: loss.dataSync()[0] }));
