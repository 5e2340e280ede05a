// The entry for Cloudflare's workerd (the `workerd` export condition): workerd forbids compiling
// WebAssembly from bytes, so the kernels come in as a module import (dist/wasmtorch.wasm beside
// this file) and are instantiated at import; `init()` is then a no-op.
import wasm from '../../build/wasmtorch.wasm';
import { initWithModule } from '../runtime/wasm.js';

initWithModule(wasm);
export * from '../index.js';
