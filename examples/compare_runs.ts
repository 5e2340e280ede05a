// The seed article's question — which optimizer, which loss? — as one function: the seed model
// trained on the seed data under several optimizers and losses, every run from the same initial
// weights, so the curves differ only by the choice being compared. Shared by examples/compare.ts
// and the demo page's Web Worker, hence no Node imports. Call after `await torch.init()`.
import * as torch from 'wasmtorch';
const { nn, optim } = torch;

/** What a group of runs compares: optimizers (MSE), regression losses, or optimizers on 3 classes. */
export type Comparison = 'optimizer' | 'loss' | 'classification';

export interface RunSpec {
  name: string;
  comparison: Comparison;
  optimizer: 'SGD' | 'Adam' | 'RMSprop';
  lr: number;
  /** SGD's momentum (0 when absent). */
  momentum?: number;
  loss: 'MSE' | 'L1' | 'CrossEntropy';
}

export interface Run extends RunSpec {
  /** The training loss of each epoch, measured before that epoch's step (so losses[0] is the untrained model's). */
  losses: number[];
  /** The loss after the last step. */
  final: number;
  /** After training: mse and mae for regression runs, accuracy (0–1) for classification runs. */
  metrics: Record<string, number>;
}

export interface ComparisonOptions {
  epochs?: number;
  seed?: number;
  runs?: RunSpec[];
  /** Called after each run (a worker can post progress). */
  onRun?: (run: Run, index: number, total: number) => void;
}

export interface ComparisonResult { epochs: number; seed: number; samples: number; runs: Run[] }

// The article's typical learning rates; Adam at both its default 0.001 and the seed's 0.01.
export const DEFAULT_RUNS: RunSpec[] = [
  { name: 'SGD', comparison: 'optimizer', optimizer: 'SGD', lr: 0.01, loss: 'MSE' },
  { name: 'SGD + momentum', comparison: 'optimizer', optimizer: 'SGD', lr: 0.01, momentum: 0.9, loss: 'MSE' },
  { name: 'Adam (lr 0.001)', comparison: 'optimizer', optimizer: 'Adam', lr: 0.001, loss: 'MSE' },
  { name: 'Adam (lr 0.01)', comparison: 'optimizer', optimizer: 'Adam', lr: 0.01, loss: 'MSE' },
  { name: 'RMSprop', comparison: 'optimizer', optimizer: 'RMSprop', lr: 0.01, loss: 'MSE' },
  { name: 'MSE loss', comparison: 'loss', optimizer: 'Adam', lr: 0.01, loss: 'MSE' },
  { name: 'L1 loss', comparison: 'loss', optimizer: 'Adam', lr: 0.01, loss: 'L1' },
  { name: 'SGD (3 classes)', comparison: 'classification', optimizer: 'SGD', lr: 0.01, loss: 'CrossEntropy' },
  { name: 'SGD + momentum (3 classes)', comparison: 'classification', optimizer: 'SGD', lr: 0.01, momentum: 0.9, loss: 'CrossEntropy' },
  { name: 'Adam (3 classes)', comparison: 'classification', optimizer: 'Adam', lr: 0.01, loss: 'CrossEntropy' },
  { name: 'RMSprop (3 classes)', comparison: 'classification', optimizer: 'RMSprop', lr: 0.01, loss: 'CrossEntropy' },
];

const SAMPLES = 100, FEATURES = 10, HIDDEN = 20, CLASSES = 3;

/** Trains every run for `epochs` full-batch steps; deterministic for a given seed. */
export function runSeedComparison(options: ComparisonOptions = {}): ComparisonResult {
  const { epochs = 100, seed = 0, runs = DEFAULT_RUNS, onRun } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
  // The seed's data: random inputs and targets. The classes are the argmax of a fixed random
  // projection of the inputs, so (unlike binned random targets) they can be learned.
  torch.manualSeed(seed);
  const x = torch.randn(SAMPLES, FEATURES), y = torch.randn(SAMPLES, 1);
  const labels = torch.noGrad(() => torch.tidy(() => x.matmul(torch.randn(FEATURES, CLASSES)).argmax(1)));
  try {
    const results: Run[] = [];
    for (const spec of runs) {
      const run = train(spec, epochs, seed, x, spec.loss === 'CrossEntropy' ? labels : y);
      results.push(run);
      onRun?.(run, results.length - 1, runs.length);
    }
    return { epochs, seed, samples: SAMPLES, runs: results };
  } finally {
    x.dispose(); y.dispose(); labels.dispose();
  }
}

function train(spec: RunSpec, epochs: number, seed: number, x: torch.Tensor, target: torch.Tensor): Run {
  // Reseeding before construction gives every run the same initial weights (the 3-class head
  // differs only in its extra outputs).
  torch.manualSeed(seed + 1);
  const classify = spec.loss === 'CrossEntropy';
  const model = new nn.Sequential(new nn.Linear(FEATURES, HIDDEN), new nn.ReLU(), new nn.Linear(HIDDEN, classify ? CLASSES : 1));
  const criterion = spec.loss === 'MSE' ? new nn.MSELoss() : spec.loss === 'L1' ? new nn.L1Loss() : new nn.CrossEntropyLoss();
  const params = model.parameters();
  const optimizer = spec.optimizer === 'SGD' ? new optim.SGD(params, { lr: spec.lr, momentum: spec.momentum ?? 0 })
    : spec.optimizer === 'Adam' ? new optim.Adam(params, { lr: spec.lr })
    : new optim.RMSprop(params, { lr: spec.lr });
  const forward = (): torch.Tensor => model.forward(x) as torch.Tensor;
  try {
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      // tidy frees the step's intermediates at once instead of leaving them to the GC
      losses.push(torch.tidy(() => {
        const loss = criterion.forward(forward(), target);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss.item();
      }));
    }
    const { final, metrics } = torch.noGrad(() => torch.tidy((): { final: number; metrics: Record<string, number> } => {
      const out = forward();
      const final = criterion.forward(out, target).item();
      if (classify) return { final, metrics: { accuracy: accuracy(out, target) } };
      const err = out.sub(target);
      return { final, metrics: { mse: err.square().mean().item(), mae: err.abs().mean().item() } };
    }));
    return { ...spec, momentum: spec.momentum ?? 0, losses, final, metrics };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

function accuracy(logits: torch.Tensor, labels: torch.Tensor): number {
  const pred = logits.argmax(1).toInt32Array(), truth = labels.toInt32Array();
  return pred.reduce((n, p, i) => n + (p === truth[i] ? 1 : 0), 0) / truth.length;
}

/** One sentence per comparison, worded from the numbers (the same data the table shows). */
export function takeaway(runs: Run[], comparison: Comparison): string {
  const group = runs.filter((r) => r.comparison === comparison);
  if (group.length === 0) return '';
  const byFinal = [...group].sort((a, b) => a.final - b.final);
  const best = byFinal[0], worst = byFinal[byFinal.length - 1];
  const f = (v: number): string => v.toFixed(4);
  if (comparison === 'loss') {
    // Final losses of different loss functions are in different units: score both models on both.
    const [a, b] = group;
    if (!b) return `Losses: only ${a.name} ran.`;
    const winner = (m: string): Run => (a.metrics[m] <= b.metrics[m] ? a : b);
    const other = (r: Run): Run => (r === a ? b : a);
    const say = (m: string, label: string): string =>
      `${label} ${f(winner(m).metrics[m])} vs ${f(other(winner(m)).metrics[m])}`;
    const mse = winner('mse'), mae = winner('mae');
    return mse === mae
      ? `Losses (${a.optimizer} lr ${a.lr}): the ${mse.loss}-trained model wins both metrics after ${a.losses.length} epochs (${say('mse', 'MSE')}, ${say('mae', 'MAE')}).`
      : `Losses (${a.optimizer} lr ${a.lr}): each model wins the metric it was trained on (${say('mse', 'MSE')} for ${mse.loss}, ${say('mae', 'MAE')} for ${mae.loss}).`;
  }
  if (comparison === 'classification') {
    const pct = (r: Run): string => `${(100 * r.metrics.accuracy).toFixed(0)} %`;
    return `3 classes (cross-entropy): lowest loss ${best.name} ${f(best.final)} at ${pct(best)} accuracy; ` +
      `highest ${worst.name} ${f(worst.final)} at ${pct(worst)} (guessing: ${(100 / CLASSES).toFixed(0)} %).`;
  }
  const start = group[0].losses[0];
  const halved = group.map((r) => ({ r, epoch: r.losses.findIndex((l) => l <= start / 2) })).filter((h) => h.epoch >= 0)
    .sort((p, q) => p.epoch - q.epoch)[0];
  return `Optimizers (MSE): lowest final loss ${best.name} ${f(best.final)}` +
    (byFinal[1] ? ` (next ${byFinal[1].name} ${f(byFinal[1].final)})` : '') +
    `; highest ${worst.name} ${f(worst.final)}, ${(worst.final / best.final).toFixed(1)}× the lowest; ` +
    (halved ? `first to halve the starting ${f(start)}: ${halved.r.name}, after ${halved.epoch} epochs.` : `none halved the starting ${f(start)}.`);
}
