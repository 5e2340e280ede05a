// A Cloudflare worker: the kernels arrive as a WebAssembly.Module (workerd forbids compiling
// bytes), the package is imported as a user would, and a request gets a prediction.
import * as torch from './wasmtorch.js';
import wasm from './wasmtorch.wasm';
import { seedLosses } from './seed_steps.js';

export default {
  async fetch() {
    await torch.init({ module: wasm });
    return new Response(JSON.stringify(seedLosses(torch)), { headers: { 'content-type': 'application/json' } });
  },
};
