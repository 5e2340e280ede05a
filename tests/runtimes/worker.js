// A Cloudflare worker importing the package by name, as a user's would (workerd resolves it to
// the `workerd` entry, which instantiates the .wasm module import); a request gets a prediction,
// and what an async tidy leaves behind.
import * as torch from 'wasmtorch';
import wasm from 'wasmtorch.wasm';
import { seedLosses } from './seed_steps.js';
import { asyncTidyFrees } from './async_tidy.js';

export default {
  async fetch() {
    await torch.init({ module: wasm });
    const body = { ...seedLosses(torch), asyncTidyFrees: await asyncTidyFrees(torch) };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  },
};
