// Bun imports the package by name, as a user's script would: `wasmtorch` resolves through the
// package's own exports map (a package may import itself by name), where Bun takes the `node`
// entry. Prints where it resolved, Bun's version and the seed run as JSON.
import * as torch from 'wasmtorch';
import { seedLosses } from './seed_steps.js';
await torch.init();
console.log(JSON.stringify({ resolved: import.meta.resolve('wasmtorch'), bun: Bun.version, ...seedLosses(torch) }));
