// The MNIST model and its training loop, shared by examples/mnist.ts (Node) and the web demo.
import * as torch from 'wasmtorch';
import type { Split } from './mnist_data.js';
const { nn, optim } = torch;

export function makeModel(): torch.nn.Sequential {
  return new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10));
}

export interface StepStats { loss: number; correct: number; size: number }

/** A trainer that runs one mini-batch per call (Adam, cross-entropy), shuffling each epoch. */
export function makeTrainer(model: torch.nn.Sequential, data: Split, batchSize = 64, lr = 1e-3, seed = 1) {
  // a seeded shuffle, so a run is reproducible end to end with torch.manualSeed
  let s = seed >>> 0;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const optimizer = new optim.Adam(model.parameters(), { lr });
  const criterion = new nn.CrossEntropyLoss();
  let order = Int32Array.from({ length: data.count }, (_, i) => i);
  let pos = data.count;
  const bx = new Float32Array(batchSize * 784), by = new Int32Array(batchSize);
  return {
    batchesPerEpoch: Math.floor(data.count / batchSize),
    /** Trains on the next batch; returns its loss and accuracy. */
    step(): StepStats {
      if (pos + batchSize > data.count) {
        for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
        pos = 0;
      }
      for (let b = 0; b < batchSize; b++) {
        const i = order[pos + b];
        bx.set(data.x.subarray(i * 784, (i + 1) * 784), b * 784);
        by[b] = data.y[i];
      }
      pos += batchSize;
      return torch.tidy(() => {
        const x = torch.tensor(bx).reshape(batchSize, 784), y = torch.tensor(by);
        const logits = model.forward(x);
        const loss = criterion.forward(logits, y);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        const pred = logits.argmax(1).toInt32Array();
        let correct = 0;
        for (let b = 0; b < batchSize; b++) if (pred[b] === by[b]) correct++;
        return { loss: loss.item(), correct, size: batchSize };
      });
    },
    dispose(): void { optimizer.dispose(); order = new Int32Array(0); },
  };
}

/** Accuracy on a split, in batches, without recording the graph. */
export function evaluate(model: torch.nn.Sequential, data: Split, batchSize = 500): number {
  let correct = 0;
  torch.noGrad(() => {
    for (let s = 0; s < data.count; s += batchSize) {
      const n = Math.min(batchSize, data.count - s);
      torch.tidy(() => {
        const x = torch.tensor(data.x.subarray(s * 784, (s + n) * 784)).reshape(n, 784);
        const pred = model.forward(x).argmax(1).toInt32Array();
        for (let i = 0; i < n; i++) if (pred[i] === data.y[s + i]) correct++;
      });
    }
  });
  return correct / data.count;
}
