// Deno imports the built package as a user would and prints the seed run as JSON, with what an
// async tidy leaves behind.
import * as torch from '../../dist/index.js';
import { seedLosses } from './seed_steps.js';
import { asyncTidyFrees } from './async_tidy.js';
await torch.init();
console.log(JSON.stringify({ ...seedLosses(torch), asyncTidyFrees: await asyncTidyFrees(torch) }));
