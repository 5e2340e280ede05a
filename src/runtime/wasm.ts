// Loading the kernels: feature detection, compilation and instantiation, once.
import type { Kernels } from './kernels.js';
import { EMBEDDED, embeddedBase64 } from './wasm_embedded.js';
import { defaultThreads, threadCount, threadsPossible, useSharedKernels, useSingleThread } from './threads.js';
import { unshared, withoutData } from './wasm_binary.js';

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
 * (`getNumThreads()`: 1 where the runtime has no shared memory) and `wasmBytes` (size of the compiled
 * .wasm, 0 for a precompiled module). PyTorch: none.
 */
export interface BackendInfo { simd: boolean; relaxedSimd: boolean; threads: number; wasmBytes: number }

let kernels: Kernels | null = null;
// Set by the first K(): from then on memory holds tensors or scratch blocks, so the instance
// can no longer be swapped for another build.
let used = false;
let info: BackendInfo = { simd: false, relaxedSimd: false, threads: 1, wasmBytes: 0 };
let maxBytes = Infinity;

let loadedModule: WebAssembly.Module | null = null;

// The threads builds import their memory (asconfig.json: initialMemory 2, maximumMemory 65536).
const PAGES = { initial: 2, maximum: 65536 };

/**
 * A build importing its memory gets one: shared where the build asks for it (a LinkError with a
 * shared one means it does not), with threads where the runtime has workers and the build's bytes
 * are at hand (the workers compile a copy of them). Every other build runs on one thread.
 */
function instantiate(module: WebAssembly.Module, wasmBytes: number, relaxedSimd = false, bytes?: BufferSource): void {
  let shared = false;
  if (WebAssembly.Module.imports(module).some((i) => i.kind === 'memory')) {
    let inst: WebAssembly.Instance | null = null;
    if (typeof SharedArrayBuffer === 'function') {
      try {
        inst = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ ...PAGES, shared: true }) } });
        shared = true;
      } catch (e) {
        if (!(e instanceof WebAssembly.LinkError)) throw e;
      }
    }
    inst ??= new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory(PAGES) } });
    kernels = inst.exports as unknown as Kernels;
  } else {
    kernels = new WebAssembly.Instance(module, {}).exports as unknown as Kernels;
  }
  loadedModule = module;
  if (shared && bytes && threadsPossible()) {
    // stripped now (a copy: the caller may reuse its buffer), compiled when the first worker starts
    const forWorkers = withoutData(asBytes(bytes));
    useSharedKernels(kernels, () => new WebAssembly.Module(forWorkers), defaultThreads());
  } else {
    useSingleThread();
  }
  info = { simd: true, relaxedSimd, threads: 1, wasmBytes };
}

const asBytes = (b: BufferSource): Uint8Array<ArrayBuffer> => ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);

/**
 * A build's bytes as this runtime can use them: a shared-memory build (the package's own, or one
 * passed in) made to import an unshared memory where threads cannot run. Where they can (one core
 * included, where the default count is 1), the shared memory stays, so setNumThreads(n) works.
 */
function fitted(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> { return threadsPossible() ? bytes : unshared(bytes); }

/** The embedded copy of one build (wasm_embedded.ts), decoded. */
async function embeddedBytes(relaxed: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const b64 = await embeddedBase64();
  const bin = atob(relaxed ? b64.relaxed : b64.simd);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// A function returning f32x4.relaxed_madd of three constants: 82 bytes that validate exactly
// where the runtime has relaxed SIMD (Node 20 only with --experimental-wasm-relaxed-simd), so the
// choice costs no decoding of the 100 KB builds.
const RELAXED_PROBE = (() => {
  const c = [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0
  const body = [0x00, ...c, ...c, ...c, 0xfd, 0x85, 0x02, 0x0b];
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 10, body.length + 2, 1, body.length, ...body]);
})();

function hasRelaxedSimd(): boolean {
  try { return WebAssembly.validate(RELAXED_PROBE); } catch { return false; }
}

/** The relaxed-SIMD build where the runtime has it, unless `prefer` is false; true insists on it. */
function useRelaxed(prefer?: boolean): boolean {
  if (prefer === false) return false;
  const ok = hasRelaxedSimd();
  if (prefer && !ok) throw new Error('init: relaxedSimd was requested but this runtime does not validate relaxed SIMD');
  return ok;
}

/** The shared-memory build's file, relaxed SIMD or not (wasmtorch.wasm and wasmtorch-relaxed.wasm, without shared memory, are for `init({ module })`). */
const fileOf = (relaxed: boolean): string => `wasmtorch${relaxed ? '-relaxed' : ''}-threads.wasm`;

interface NodeLike { versions?: { node?: string; deno?: string }; getBuiltinModule?: (id: string) => unknown }
type ReadFileSync = (path: URL) => Uint8Array<ArrayBuffer>;

/**
 * The .wasm file beside this module, read synchronously: dist/ in the package, build/ when running
 * from the sources (tsx). Null where there is no such file or no synchronous file system.
 */
function readBeside(name: string): Uint8Array<ArrayBuffer> | null {
  const proc = (globalThis as { process?: NodeLike }).process;
  if (!proc?.versions?.node || proc.versions.deno) return null; // Deno would ask for a read permission
  const fs = proc?.getBuiltinModule?.('node:fs') as { readFileSync?: ReadFileSync } | undefined;
  if (!fs?.readFileSync) return null;
  // the ESM bundle and the sources know their URL; the CommonJS bundle (import.meta is empty there) its __filename
  let here: string | undefined = (import.meta as { url?: string }).url;
  if (here === undefined && typeof __filename === 'string') {
    const url = proc.getBuiltinModule!('node:url') as { pathToFileURL(p: string): URL };
    here = url.pathToFileURL(__filename).href;
  }
  if (here === undefined) return null;
  // beside the bundle; from the sources (this very file, under tsx), the AssemblyScript build's output
  const rel = here.endsWith('/src/runtime/wasm.ts') ? `../../build/${name}` : `./${name}`;
  try { return fs.readFileSync(new URL(rel, here)); } catch { return null; }
}

// Node (and Bun) compile synchronously at import, from the .wasm file beside the bundle, so the
// package works right after import without init(). Browsers, workers and edge runtimes call init(),
// which compiles asynchronously.
function nodeAutoInit(): void {
  // The workerd build embeds nothing and its kernels arrive as a module, even where workerd's
  // Node compatibility reports process.versions.node.
  if (!EMBEDDED) return;
  const relaxed = useRelaxed();
  const read = readBeside(fileOf(relaxed));
  if (!read) return;
  const bytes = fitted(read);
  instantiate(new WebAssembly.Module(bytes), bytes.byteLength, relaxed, bytes);
}
nodeAutoInit();

const INIT_KEYS = new Set(['module', 'bytes', 'url', 'relaxedSimd', 'maxMemoryMB']);

/** Compiles and instantiates the kernels (optional in Node, needed elsewhere); idempotent. PyTorch: none. */
export async function init(options: InitOptions = {}): Promise<void> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const got = options === null ? 'null' : typeof options === 'string' ? `string ${JSON.stringify(options)}` : Array.isArray(options) ? 'an array' : `${typeof options} ${String(options)}`;
    throw new TypeError(`init: options must be an object { ${[...INIT_KEYS].join(', ')} }, got ${got}`);
  }
  for (const key of Object.keys(options)) {
    if (!INIT_KEYS.has(key)) throw new TypeError(`init: unknown option '${key}'; expected one of ${[...INIT_KEYS].join(', ')}`);
  }
  const sources = (['module', 'bytes', 'url'] as const).filter((k) => options[k] !== undefined);
  if (sources.length > 1) throw new TypeError(`init: pass one of module, bytes or url, got ${sources.join(' and ')}`);
  if (options.module !== undefined
    // by tag, not instanceof: a module compiled in another realm (an edge sandbox, an iframe) is fine
    && Object.prototype.toString.call(options.module) !== '[object WebAssembly.Module]') {
    throw new TypeError('init: module must be a WebAssembly.Module (e.g. `import wasm from \'wasmtorch/wasmtorch.wasm\'`)');
  }
  if (options.relaxedSimd !== undefined && typeof options.relaxedSimd !== 'boolean') {
    throw new TypeError(`init: relaxedSimd must be a boolean, got ${String(options.relaxedSimd)}`);
  }
  if (options.maxMemoryMB !== undefined && typeof options.maxMemoryMB !== 'number') {
    throw new TypeError(`init: maxMemoryMB must be a positive number, got ${typeof options.maxMemoryMB === 'string' ? `string ${JSON.stringify(options.maxMemoryMB)}` : typeof options.maxMemoryMB}`);
  }
  if (options.maxMemoryMB !== undefined && !(options.maxMemoryMB > 0)) {
    throw new RangeError(`init: maxMemoryMB must be a positive number, got ${String(options.maxMemoryMB)}`);
  }
  if (sources.length > 0 && options.relaxedSimd !== undefined) {
    throw new TypeError(`init: relaxedSimd chooses between the embedded builds; with ${sources[0]} the build is the one passed`);
  }
  // Already loaded (Node and the workerd entry load at import): options asking for other
  // kernels are honoured while memory holds nothing yet, and refused after.
  const differs = kernels !== null && ((sources.length > 0 && options.module !== loadedModule)
    || (options.relaxedSimd !== undefined && options.relaxedSimd !== info.relaxedSimd));
  if (differs && used) {
    throw new Error(`init: the kernels are already loaded (${info.relaxedSimd ? 'relaxed-SIMD' : 'SIMD'} build) and in use; ${sources.length > 0 ? sources.join(', ') : 'relaxedSimd'} can only be chosen before the first tensor operation`);
  }
  if (options.maxMemoryMB !== undefined) maxBytes = options.maxMemoryMB * 1024 * 1024;
  if (kernels !== null && !differs) return;
  let module = options.module;
  let size = 0;
  let relaxed = false;
  if (!module) {
    let bytes: BufferSource;
    if (options.bytes) bytes = fitted(asBytes(options.bytes));
    else if (options.url !== undefined) {
      const res = await fetch(options.url);
      if (!res.ok) throw new Error(`init: could not fetch the WebAssembly kernels from ${String(options.url)} (${res.status} ${res.statusText})`);
      bytes = fitted(new Uint8Array(await res.arrayBuffer()));
    } else if (!EMBEDDED) {
      throw new Error('init: this build (the workerd entry) embeds no kernels; pass { module } from `import wasm from \'wasmtorch/wasmtorch.wasm\'`');
    } else {
      relaxed = useRelaxed(options.relaxedSimd);
      bytes = fitted(readBeside(fileOf(relaxed)) ?? await embeddedBytes(relaxed));
    }
    size = bytes.byteLength;
    module = await WebAssembly.compile(bytes);
    instantiate(module, size, relaxed, bytes);
    return;
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
  used = true;
  return kernels;
}

/** Which kernel build runs, and its features. PyTorch: none (cf. `torch.backends`). */
export function backendInfo(): BackendInfo { return { ...info, threads: threadCount() }; }
export function memoryLimitBytes(): number { return maxBytes; }
