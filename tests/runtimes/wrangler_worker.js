// A Cloudflare Worker as a user writes one (src/worker.js), word for word the README's: the
// package by name and nothing else. wrangler resolves it to the `workerd` entry, which imports
// the kernels as a .wasm module and instantiates them at import. A request gets the seed run.
import * as torch from 'wasmtorch';
import { seedLosses } from './seed_steps.js';

export default {
  async fetch() {
    return new Response(JSON.stringify(seedLosses(torch)), { headers: { 'content-type': 'application/json' } });
  },
};
