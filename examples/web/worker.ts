// The demo page's Web Worker: trains the MNIST MLP or CNN (start/stop, a set number of epochs) and runs
// the optimizer playground's seed-model runs, so the page stays responsive. The MNIST loop yields
// between batches, so playground runs requested meanwhile run between two batches.
// Bundled into examples/web/dist/worker.js, hence the data's path.
import * as torch from 'wasmtorch';
import { parseMnist, type Mnist } from '../mnist_data.js';
import { makeModel, makeTrainer, evaluate, predict, MODELS, MODEL_KINDS, type ModelKind } from '../mnist_model.js';
import { runSeedComparison, DEFAULT_RUNS, type RunSpec } from '../compare_runs.js';
import type { Choice, FromWorker, MnistProgress, ToWorker } from './protocol.js';

const post = (m: FromWorker): void => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(m);
const errorText = (e: unknown): string => String(e instanceof Error ? e.stack : e);

// The playground's choices, in terms of compare_runs' RunSpec; each optimizer's default lr is the
// one the terminal comparison (DEFAULT_RUNS) gives it first.
type OptimizerChoice = Choice & { spec: Pick<RunSpec, 'optimizer' | 'momentum'> };
const OPTIMIZERS = ([
  { name: 'sgd', label: 'SGD', spec: { optimizer: 'SGD' } },
  { name: 'momentum', label: 'SGD+momentum', spec: { optimizer: 'SGD', momentum: 0.9 } },
  { name: 'adam', label: 'Adam', spec: { optimizer: 'Adam' } },
  { name: 'rmsprop', label: 'RMSprop', spec: { optimizer: 'RMSprop' } },
] satisfies OptimizerChoice[]).map((o): OptimizerChoice => ({
  ...o, defaultLr: DEFAULT_RUNS.find((r) => r.optimizer === o.spec.optimizer && (r.momentum ?? 0) === (o.spec.momentum ?? 0))!.lr,
}));
const LOSSES: (Choice & { loss: RunSpec['loss'] })[] = [
  { name: 'mse', label: 'MSE', loss: 'MSE' },
  { name: 'l1', label: 'L1', loss: 'L1' },
  { name: 'ce', label: 'cross-entropy (3 classes)', loss: 'CrossEntropy' },
];

/** One seed-model run: 100 epochs, the same seeded data and initial weights every time. */
function runOne(optimizer: string, lr: number, loss: string) {
  const o = OPTIMIZERS.find((c) => c.name === optimizer), l = LOSSES.find((c) => c.name === loss);
  if (!o || !l) throw new Error(`unknown optimizer ${optimizer} or loss ${loss}`);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`lr must be a positive number, got ${lr}`);
  const spec: RunSpec = { name: `${o.label}, lr ${lr}, ${l.label}`, comparison: l.loss === 'CrossEntropy' ? 'classification' : 'optimizer',
    ...o.spec, lr, loss: l.loss };
  return runSeedComparison({ runs: [spec] }).runs[0];
}

const GRID = 24;
let data: Promise<Mnist> | null = null;
let mnist: { stop: boolean } | null = null; // the MNIST run in progress

async function loadMnist(): Promise<Mnist> {
  const res = await fetch(new URL('../../data/mnist.bin.gz', import.meta.url));
  if (!res.ok || !res.body) throw new Error(`mnist.bin.gz: HTTP ${res.status}`);
  return parseMnist(new Uint8Array(await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()));
}

/**
 * Trains a fresh model of the chosen kind for `epochs` epochs or until stopped; reports every 20
 * steps, evaluates on the test digits every 100 steps and where it ends (done or stopped).
 */
async function trainMnist(epochs: number, kind: ModelKind): Promise<void> {
  if (!MODEL_KINDS.includes(kind)) throw new Error(`unknown model ${String(kind)}: expected one of ${MODEL_KINDS.join(', ')}`);
  const run = { stop: false };
  mnist = run;
  const { train, test } = await data!;
  torch.manualSeed(0);
  const model = makeModel(kind);
  const trainer = makeTrainer(model, train, kind);
  const total = epochs * trainer.batchesPerEpoch;
  const gridX = test.x.subarray(0, GRID * 784);
  post({ type: 'mnist-state', state: 'running', step: 0, epochs, model: kind, stepsPerEpoch: trainer.batchesPerEpoch });
  const start = performance.now();
  let step = 0, loss = 0, correct = 0, seen = 0, shown = { loss: NaN, trainAcc: NaN };
  const report = (withTest: boolean): void => {
    if (seen > 0) shown = { loss: loss / seen, trainAcc: correct / seen }; // else: stopped right after a report
    loss = 0; correct = 0; seen = 0;
    const progress: MnistProgress = {
      type: 'mnist-progress', model: kind, step, epoch: Math.ceil(step / trainer.batchesPerEpoch), ...shown, testAcc: null,
      imagesPerSecond: (step * trainer.batchSize) / ((performance.now() - start) / 1000),
    };
    if (withTest) {
      progress.testAcc = evaluate(model, test, kind);
      const pred = predict(model, kind, gridX, GRID);
      progress.samples = Array.from({ length: GRID }, (_, i) => ({
        pixels: Array.from(gridX.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)), label: test.y[i], predicted: pred[i],
      }));
    }
    post(progress);
  };
  try {
    while (step < total && !run.stop) {
      const s = trainer.step();
      step++;
      loss += s.loss * s.size; correct += s.correct; seen += s.size;
      if (step % 20 === 0 && step < total) report(step % 100 === 0);
      await new Promise((r) => setTimeout(r, 0)); // let messages in and out between batches
    }
    if (step > 0) report(true);
  } finally {
    trainer.dispose();
    model.dispose();
    if (mnist === run) mnist = null;
  }
  post({ type: 'mnist-state', state: run.stop ? 'stopped' : 'done', step, epochs, model: kind, stepsPerEpoch: trainer.batchesPerEpoch });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'mnist-start') {
    if (mnist) return; // one MNIST run at a time
    trainMnist(m.epochs, m.model).catch((err: unknown) => {
      mnist = null; // a failed start (say, an unknown model) must not block the next one
      post({ type: 'error', error: errorText(err) });
      post({ type: 'mnist-state', state: 'idle', step: 0, epochs: 0 });
    });
  } else if (m.type === 'mnist-stop') {
    if (mnist) mnist.stop = true;
  } else if (m.type === 'run') {
    try {
      const t0 = performance.now();
      const result = runOne(m.optimizer, m.lr, m.loss);
      post({ type: 'run', id: m.id, result, ms: performance.now() - t0 });
    } catch (err) {
      post({ type: 'error', id: m.id, error: errorText(err) });
    }
  }
};

async function main(): Promise<void> {
  await torch.init();
  data = loadMnist();
  const choice = ({ name, label, defaultLr }: Choice): Choice => ({ name, label, defaultLr });
  post({ type: 'ready', backend: torch.backendInfo(), optimizers: OPTIMIZERS.map(choice), losses: LOSSES.map(choice),
    models: MODEL_KINDS.map((k) => ({ name: k, label: MODELS[k].label })) });
  await data;
  post({ type: 'mnist-state', state: 'idle', step: 0, epochs: 0 });
}

main().catch((e: unknown) => post({ type: 'error', error: errorText(e) }));
