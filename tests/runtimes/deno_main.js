// Deno imports the built package as a user would and prints the seed run as JSON.
import * as torch from '../../dist/index.js';
import { seedLosses } from './seed_steps.js';
await torch.init();
console.log(JSON.stringify(seedLosses(torch)));
