// Trains the MNIST MLP in a Web Worker so the page stays responsive; reports progress every
// 20 steps and the test accuracy (plus predictions for a grid of digits) every 100.
// Bundled into examples/web/dist/worker.js, hence the data's path.
import * as torch from 'wasmtorch';
import { parseMnist } from '../mnist_data.js';
import { makeModel, makeTrainer, evaluate } from '../mnist_model.js';

export interface Progress {
  step: number; epoch: number; loss: number; trainAcc: number; testAcc: number | null; imagesPerSecond: number;
  backend: torch.BackendInfo; samples?: { pixels: number[]; label: number; predicted: number }[]; error?: string;
}

const post = (m: Progress | { error: string }): void => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(m);

async function main(): Promise<void> {
  await torch.init();
  torch.manualSeed(0);
  const res = await fetch(new URL('../../data/mnist.bin.gz', import.meta.url));
  const raw = new Uint8Array(await new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const data = parseMnist(raw);
  const model = makeModel();
  const trainer = makeTrainer(model, data.train);
  const GRID = 24;
  const gridX = data.test.x.subarray(0, GRID * 784);
  const start = performance.now();
  let loss = 0, correct = 0, seen = 0;
  for (let step = 1; step <= 2000; step++) {
    const s = trainer.step();
    loss += s.loss * s.size; correct += s.correct; seen += s.size;
    if (step % 20 !== 0) continue;
    const progress: Progress = {
      step, epoch: Math.floor((step * 64) / data.train.count) + 1, loss: loss / seen, trainAcc: correct / seen,
      testAcc: null, imagesPerSecond: (step * 64) / ((performance.now() - start) / 1000), backend: torch.backendInfo(),
    };
    loss = 0; correct = 0; seen = 0;
    if (step % 100 === 0) {
      progress.testAcc = evaluate(model, data.test);
      const pred = torch.tidy(() => torch.noGrad(() => model.forward(torch.tensor(gridX).reshape(GRID, 784)).argmax(1).toInt32Array()));
      progress.samples = Array.from({ length: GRID }, (_, i) => ({
        pixels: Array.from(gridX.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)), label: data.test.y[i], predicted: pred[i],
      }));
    }
    post(progress);
    await new Promise((r) => setTimeout(r, 0)); // let messages out between batches
  }
}

main().catch((e: unknown) => post({ error: String(e instanceof Error ? e.stack : e) }));
