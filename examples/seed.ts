// The seed program of API.md, printing the loss every 10 epochs.
import * as torch from 'wasmtorch';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';
const { nn, optim } = torch;

parseCli('npx tsx examples/seed.ts'); // no arguments: anything given is refused

await torch.init();
const inputs = torch.randn(100, 10);
const targets = torch.randn(100, 1);
const model = new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU(), new nn.Linear(20, 1));
const criterion = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
for (let epoch = 0; epoch < 100; epoch++) {
  const outputs = model.forward(inputs);
  const loss = criterion.forward(outputs, targets);
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
  if (epoch % 10 === 0 || epoch === 99) console.log(`epoch ${String(epoch).padStart(3)}  loss ${loss.item().toFixed(6)}`);
}
console.log(model.toString());
