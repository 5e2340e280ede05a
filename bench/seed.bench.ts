// One seed training step and one 784→256→128→10 MLP step (batch 64, cross-entropy, Adam),
// in wasmtorch and in TensorFlow.js's wasm backend in the same process; prints times and ratios.
// Run: npm run bench
import Benchmark from 'benchmark';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as torch from '../src/index.js';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';
const { nn, optim } = torch;

parseCli('npx tsx bench/seed.bench.ts'); // takes no arguments: refuse any

function wasmtorchStep(sizes: number[], batch: number, kind: 'mse-sgd' | 'ce-adam'): () => void {
  torch.manualSeed(0);
  const layers: torch.nn.Module[] = [];
  sizes.slice(1).forEach((n, i) => {
    layers.push(new nn.Linear(sizes[i], n));
    if (i < sizes.length - 2) layers.push(new nn.ReLU());
  });
  const model = new nn.Sequential(...layers);
  const x = torch.keep(torch.randn(batch, sizes[0]));
  const out = sizes[sizes.length - 1];
  const y = torch.keep(kind === 'mse-sgd' ? torch.randn(batch, out) : torch.randint(0, out, [batch]));
  const opt = kind === 'mse-sgd' ? new optim.SGD(model.parameters(), { lr: 0.01 }) : new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = kind === 'mse-sgd' ? new nn.MSELoss() : new nn.CrossEntropyLoss();
  return () => torch.tidy(() => {
    const loss = lossFn.forward(model.forward(x) as torch.Tensor, y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  });
}

function tfStep(sizes: number[], batch: number, kind: 'mse-sgd' | 'ce-adam'): () => void {
  const ws = sizes.slice(1).map((n, i) => [
    tf.variable(tf.randomUniform([sizes[i], n], -1 / Math.sqrt(sizes[i]), 1 / Math.sqrt(sizes[i]))),
    tf.variable(tf.zeros([n])),
  ]);
  const x = tf.randomNormal([batch, sizes[0]]);
  const out = sizes[sizes.length - 1];
  const y = kind === 'mse-sgd' ? tf.randomNormal([batch, out]) : tf.oneHot(tf.randomUniform([batch], 0, out, 'int32'), out);
  const opt = kind === 'mse-sgd' ? tf.train.sgd(0.01) : tf.train.adam(1e-3);
  return () => {
    const cost = opt.minimize(() => {
      let h: tf.Tensor = x;
      ws.forEach(([w, b], i) => { h = tf.add(tf.matMul(h, w), b); if (i < ws.length - 1) h = tf.relu(h); });
      return kind === 'mse-sgd' ? tf.losses.meanSquaredError(y, h) : tf.losses.softmaxCrossEntropy(y, h);
    }, true);
    cost?.dataSync();
    cost?.dispose();
  };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const workloads: [string, number[], number, 'mse-sgd' | 'ce-adam'][] = [
    ['seed step (100×10→20→1, MSE, SGD)', [10, 20, 1], 100, 'mse-sgd'],
    ['MLP step (784→256→128→10, batch 64, CE, Adam)', [784, 256, 128, 10], 64, 'ce-adam'],
  ];
  console.log(`wasmtorch vs TensorFlow.js ${tf.version.tfjs} (${tf.getBackend()} backend), Node ${process.version}`);
  for (const [name, sizes, batch, kind] of workloads) {
    const ours = wasmtorchStep(sizes, batch, kind), theirs = tfStep(sizes, batch, kind);
    for (let i = 0; i < 20; i++) { ours(); theirs(); } // past Liftoff into TurboFan
    const times: Record<string, number> = {};
    await new Promise<void>((resolve) => {
      new Benchmark.Suite(name)
        .add('wasmtorch', ours)
        .add('tfjs-wasm', theirs)
        .on('cycle', (e: Benchmark.Event) => { const b = e.target as unknown as Benchmark; times[b.name!] = b.stats.mean; })
        .on('complete', () => resolve())
        .run({ async: false });
    });
    const us = (s: number) => (s * 1e6 >= 1000 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);
    console.log(`${name}: wasmtorch ${us(times.wasmtorch)}, tfjs-wasm ${us(times['tfjs-wasm'])}, ` +
      `wasmtorch is ${(times['tfjs-wasm'] / times.wasmtorch).toFixed(1)}× faster`);
  }
}
await main();
