// Trains a model on the 8,000 training digits of examples/data/mnist.bin.gz with a progress bar
// per epoch, then prints the test accuracy on the other 2,000: the 784→256→128→10 MLP (default)
// or a small CNN (--model cnn), both with ReLU, cross-entropy and Adam (examples/mnist_model.ts).
// Run: npm run demo (after the seed program), or: npx tsx examples/mnist.ts [--model mlp|cnn] [--epochs N]
import * as torch from 'wasmtorch';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseMnist } from './mnist_data.js';
import { makeModel, makeTrainer, evaluate, MODEL_KINDS, type ModelKind } from './mnist_model.js';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';

const { model: kind, epochs } = parseCli('npx tsx examples/mnist.ts [--model mlp|cnn (default mlp)] [--epochs N (default 6)]', {
  model: { type: 'choice', choices: MODEL_KINDS, default: 'mlp' },
  epochs: { type: 'integer', default: 6, min: 1 },
}) as { model: ModelKind; epochs: number };
await torch.init();
torch.manualSeed(0);
const data = parseMnist(gunzipSync(readFileSync(new URL('./data/mnist.bin.gz', import.meta.url))));
const model = makeModel(kind);
const trainer = makeTrainer(model, data.train, kind);
const layers = model.toString().split('\n').length - 2;
console.log(`MNIST: ${data.train.count} training and ${data.test.count} test images; ${kind.toUpperCase()} of ${layers} layers, batches of ${trainer.batchSize}`);
const start = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  let loss = 0, correct = 0, seen = 0;
  const t0 = performance.now();
  for (let b = 0; b < trainer.batchesPerEpoch; b++) {
    const s = trainer.step();
    loss += s.loss * s.size; correct += s.correct; seen += s.size;
    if (process.stdout.isTTY && (b % 10 === 0 || b === trainer.batchesPerEpoch - 1)) {
      const done = Math.round(((b + 1) / trainer.batchesPerEpoch) * 30);
      const ips = seen / ((performance.now() - t0) / 1000);
      process.stdout.write(`\repoch ${epoch}/${epochs} [${'#'.repeat(done)}${'.'.repeat(30 - done)}] loss ${(loss / seen).toFixed(4)} acc ${(100 * correct / seen).toFixed(1)}% ${ips.toFixed(0)} img/s`);
    }
  }
  const ips = seen / ((performance.now() - t0) / 1000);
  const line = `epoch ${epoch}/${epochs} loss ${(loss / seen).toFixed(4)} train acc ${(100 * correct / seen).toFixed(1)}% ${ips.toFixed(0)} img/s`;
  process.stdout.write(process.stdout.isTTY ? `\r${line}${' '.repeat(20)}\n` : `${line}\n`);
}
const seconds = (performance.now() - start) / 1000;
const acc = evaluate(model, data.test, kind);
console.log(`trained ${epochs} epoch${epochs === 1 ? '' : 's'} in ${seconds.toFixed(1)} s (${(seconds / epochs).toFixed(1)} s per epoch)`);
console.log(`test accuracy ${(100 * acc).toFixed(2)}% on ${data.test.count} images`);
trainer.dispose();
model.dispose();
