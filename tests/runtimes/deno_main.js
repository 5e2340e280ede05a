// Deno imports the built package as a user would and prints the seed run as JSON, with what an
// async tidy leaves behind (Deno has AsyncLocalStorage: tensors made after an await are freed).
import * as torch from '../../dist/index.js';
import { seedLosses } from './seed_steps.js';
await torch.init();
const run = seedLosses(torch);
const before = torch.memory().liveTensors;
const kept = await torch.tidy(async () => {
  torch.ones(3);
  await new Promise((r) => setTimeout(r, 1));
  torch.ones(4);
  return torch.ones(2);
});
run.asyncTidyLive = torch.memory().liveTensors - before; // 1: only the returned tensor
kept.dispose();
console.log(JSON.stringify(run));
