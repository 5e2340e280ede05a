// The seed program of API.md (examples/seed.ts) as a user runs it, on the built package; it
// prints the final loss. bench/startup.bench.ts times this whole process from spawn to exit.
import * as torch from '../../dist/index.js';
import { parseCli } from '../../scripts/args.mjs';

parseCli('node bench/programs/wasmtorch-seed.mjs'); // takes no arguments: refuse any, as every script here does
const { nn, optim } = torch;

await torch.init();
const inputs = torch.randn(100, 10);
const targets = torch.randn(100, 1);
const model = new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU(), new nn.Linear(20, 1));
const criterion = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
let last;
for (let epoch = 0; epoch < 100; epoch++) {
  const outputs = model.forward(inputs);
  const loss = criterion.forward(outputs, targets);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  last = loss;
}
console.log(JSON.stringify({ finalLoss: last.item() }));
