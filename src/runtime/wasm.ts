// Loading the kernels: feature detection, compilation and instantiation, once.
import type { Kernels } from './kernels.js';
import { WASM_BASE64, WASM_RELAXED_BASE64 } from './wasm_bytes.js';

/** Where `init()` gets the kernels and how much tensor memory it allows. PyTorch: none. */
export interface InitOptions {
  /** A compiled module, for runtimes that forbid compiling from bytes (Cloudflare Workers). */
  module?: WebAssembly.Module;
  /** The kernels' .wasm bytes (`wasmtorch/wasm`), compiled here. */
  bytes?: BufferSource;
  /** Where to fetch the kernels' .wasm from, e.g. `wasmtorch/wasm` served as a static file. */
  url?: string | URL;
  /** Use the relaxed-SIMD build (fused multiply-add in matmul); default: where the runtime validates it. */
  relaxedSimd?: boolean;
  /** Refuse allocations that would take tensor memory past this many MiB. */
  maxMemoryMB?: number;
}

/**
 * What `init()` loaded: `simd` (true once loaded), `relaxedSimd` (the fused multiply-add build), `threads`
 * (1) and `wasmBytes` (size of the compiled .wasm, 0 for a precompiled module). PyTorch: none.
 */
export interface BackendInfo { simd: boolean; relaxedSimd: boolean; threads: number; wasmBytes: number }

let kernels: Kernels | null = null;
let info: BackendInfo = { simd: false, relaxedSimd: false, threads: 1, wasmBytes: 0 };
let maxBytes = Infinity;

function instantiate(module: WebAssembly.Module, wasmBytes: number, relaxedSimd = false): void {
  const inst = new WebAssembly.Instance(module, {});
  kernels = inst.exports as unknown as Kernels;
  info = { simd: true, relaxedSimd, threads: 1, wasmBytes };
}

/** One of the embedded builds (scripts/embed-wasm.mjs) as bytes. */
function embeddedBytes(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const bin = atob(relaxed ? WASM_RELAXED_BASE64 : WASM_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// Node may compile synchronously, so the package works right after import without init().
// Browsers, workers and edge runtimes call init(), which compiles asynchronously.
function nodeAutoInit(): void {
  const proc = (globalThis as { process?: { versions?: { node?: string; deno?: string; bun?: string } } }).process;
  if (!proc?.versions?.node || proc.versions.deno) return;
  const { bytes, relaxed } = chooseEmbedded();
  instantiate(new WebAssembly.Module(bytes), bytes.byteLength, relaxed);
}

/**
 * The relaxed-SIMD build where the runtime validates it (Node 20 doesn't), else the SIMD build;
 * `prefer` false forces SIMD, true insists on relaxed.
 */
function chooseEmbedded(prefer?: boolean): { bytes: Uint8Array<ArrayBuffer>; relaxed: boolean } {
  if (prefer !== false) {
    const bytes = embeddedBytes(true);
    let ok = false;
    try { ok = WebAssembly.validate(bytes); } catch { ok = false; }
    if (ok) return { bytes, relaxed: true };
    if (prefer) throw new Error('init: relaxedSimd was requested but this runtime does not validate relaxed SIMD');
  }
  return { bytes: embeddedBytes(false), relaxed: false };
}
nodeAutoInit();

/** Compiles and instantiates the kernels (optional in Node, needed elsewhere); idempotent. PyTorch: none. */
export async function init(options: InitOptions = {}): Promise<void> {
  if (options.maxMemoryMB !== undefined) {
    if (!(options.maxMemoryMB > 0)) throw new RangeError(`init: maxMemoryMB must be a positive number, got ${options.maxMemoryMB}`);
    maxBytes = options.maxMemoryMB * 1024 * 1024;
  }
  if (kernels) return;
  let module = options.module;
  let size = 0;
  let relaxed = false;
  if (!module) {
    let bytes: BufferSource;
    if (options.bytes) bytes = options.bytes;
    else if (options.url !== undefined) {
      const res = await fetch(options.url);
      if (!res.ok) throw new Error(`init: could not fetch the WebAssembly kernels from ${String(options.url)} (${res.status} ${res.statusText})`);
      bytes = await res.arrayBuffer();
    } else {
      ({ bytes, relaxed } = chooseEmbedded(options.relaxedSimd));
    }
    size = bytes.byteLength;
    module = await WebAssembly.compile(bytes);
  }
  instantiate(module, size, relaxed);
}

/** Instantiates a precompiled module synchronously (the workerd entry; allowed there). */
export function initWithModule(module: WebAssembly.Module): void {
  if (!kernels) instantiate(module, 0);
}

/** The kernels; throws the message users need when init() has not run. */
export function K(): Kernels {
  if (kernels === null) throw new Error('wasmtorch is not initialised: call `await torch.init()` before any tensor operation');
  return kernels;
}

/** Which kernel build runs, and its features. PyTorch: none (cf. `torch.backends`). */
export function backendInfo(): BackendInfo { return { ...info }; }
export function memoryLimitBytes(): number { return maxBytes; }
