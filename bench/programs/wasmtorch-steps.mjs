// Seed steps in a fresh process, in wasmtorch (the built package), written as API.md's seed
// program (no tidy), or with `--tidy` with the step inside torch.tidy as a long loop should be
// (without it, tensors wait for the garbage collector and wasmtorch warns after 10,000): each step timed alone. Prints JSON: the import (+ init) time, the mean µs
// per step of steps 0–99 and of steps 300–3,299, and the first and last losses (read after the
// step's time is taken). Run by bench/startup.bench.ts; `--steps N` (default 3300).
import { parseCli } from '../../scripts/args.mjs';
const { steps, tidy } = parseCli('node bench/programs/wasmtorch-steps.mjs [--steps N] [--tidy]', {
  steps: { type: 'integer', default: 3300, min: 100 },
  tidy: { type: 'boolean', default: false },
});

const t0 = performance.now();
const torch = await import('../../dist/index.js');
await torch.init();
const importMs = performance.now() - t0;
const { nn, optim } = torch;
const inputs = torch.randn(100, 10);
const targets = torch.randn(100, 1);
const model = new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU(), new nn.Linear(20, 1));
const criterion = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
const times = new Float64Array(steps);
const step = () => {
  const outputs = model.forward(inputs);
  const loss = criterion.forward(outputs, targets);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  return loss;
};
let firstLoss = NaN, loss;
for (let i = 0; i < steps; i++) {
  const a = performance.now();
  loss = tidy ? torch.tidy(step) : step(); // tidy keeps the loss it returns
  times[i] = performance.now() - a;
  if (i === 0) firstLoss = loss.item();
  if (tidy && i < steps - 1) loss.dispose();
}
const meanUs = (a, b) => { let s = 0; for (let i = a; i < Math.min(b, steps); i++) s += times[i]; return (s / (Math.min(b, steps) - a)) * 1000; };
console.log(JSON.stringify({ importMs, first100Us: meanUs(0, 100), steady300Us: steps > 300 ? meanUs(300, 3300) : NaN, firstLoss, lastLoss: loss.item() }));
