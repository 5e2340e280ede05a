// A Vercel Edge Function as a user writes one (api/train.js): the package by name, the kernels
// imported as a compiled module with Vercel's `?module` suffix and handed to init(), because the
// Edge runtime refuses to compile WebAssembly from bytes. A request gets the seed run as JSON.
import * as torch from 'wasmtorch';
import wasm from 'wasmtorch/wasmtorch.wasm?module';
import { seedLosses } from './seed_steps.js';

export const config = { runtime: 'edge' };

export default async function handler() {
  await torch.init({ module: wasm });
  return new Response(JSON.stringify(seedLosses(torch)), { headers: { 'content-type': 'application/json' } });
}
