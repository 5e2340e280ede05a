// A Cloudflare worker importing the package by name, as a user's would (workerd resolves it to
// the `workerd` entry, which instantiates the .wasm module import); a request gets a prediction.
import * as torch from 'wasmtorch';
import wasm from 'wasmtorch.wasm';
import { seedLosses } from './seed_steps.js';

export default {
  async fetch() {
    await torch.init({ module: wasm });
    return new Response(JSON.stringify(seedLosses(torch)), { headers: { 'content-type': 'application/json' } });
  },
};
