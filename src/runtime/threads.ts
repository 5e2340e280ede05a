// Worker threads on the shared WebAssembly memory. Each worker instantiates the same kernels (a
// copy without data segments: the calling thread's instance already wrote them into the memory,
// and writing them again would clear static scratch another thread is using) and waits on its
// slot of a control block. A large kernel call is split into parts, one per thread: the calling
// thread posts parts 1… to the workers, runs part 0 itself and waits for the rest. Parts never
// change the arithmetic of an element (see the callers' splits), so results are bit-identical to
// one thread's. Workers run only kernels that use no static scratch (WORKER_KERNELS).
//
// Workers start on the first call large enough to want them and the calls before they are ready
// run on one thread, so nothing blocks on a worker booting (browsers forbid blocking the page's
// thread). Node's setNumThreads waits for them (up to a second), so benchmarks and tests start
// with every thread.
import type { Kernels } from './kernels.js';

/**
 * The kernels a worker may run: they use only the pointers they are given (reduce only along
 * rows: its column paths use static tiles, so callers split it only when inner is 1).
 */
export const WORKER_KERNELS = ['gemm', 'gemmBias', 'binaryRun', 'unary', 'unaryBackward', 'adam', 'sgd', 'softmax', 'softmaxBackward', 'reduce',
  'convForward', 'convBackwardInput', 'convBackwardWeight'] as const;
export type WorkerKernel = typeof WORKER_KERNELS[number];

// Control block: SLOT_BYTES per worker: i32 words [posted job, finished job, kernel, state, error],
// then MAX_ARGS f64 arguments from byte 64 (threadMain passes that many to the kernel).
const SLOT_BYTES = 256, SLOT_WORDS = SLOT_BYTES / 4, ARGS_AT = 64, MAX_ARGS = 20;
const POSTED = 0, DONE = 1, KERNEL = 2, STATE = 3, FAILED = 4;
const BOOTING = 0, READY = 1, BROKEN = 2;

/** What a worker needs to run kernels: posted to it once. */
interface ThreadInit {
  module: WebAssembly.Module; memory: WebAssembly.Memory; control: SharedArrayBuffer; slot: number; names: readonly string[];
  /** Sleep in Atomics.wait (Node, browsers); false: in Atomics.waitAsync, where only a worker back in its event loop can be terminated (Deno). */
  block: boolean;
}

/**
 * A worker's whole program, shipped as source (Function.prototype.toString), so it must not use
 * anything from outside its body. Spins a little before sleeping: in a training step the next
 * large kernel call usually follows within microseconds, and waking a sleeping thread costs more.
 */
async function threadMain(init: ThreadInit): Promise<void> {
  const SLOT_WORDS = 64, ARGS_AT = 64, POSTED = 0, DONE = 1, KERNEL = 2, STATE = 3, FAILED = 4, SPINS = 20000;
  const ctrl = new Int32Array(init.control), args = new Float64Array(init.control);
  const base = init.slot * SLOT_WORDS, a = (init.slot * SLOT_WORDS * 4 + ARGS_AT) / 8;
  let fns: ((...x: number[]) => void)[];
  try {
    const ex = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as Record<string, (...x: number[]) => void>;
    fns = init.names.map((n) => ex[n]);
  } catch {
    Atomics.store(ctrl, base + STATE, 2);
    Atomics.notify(ctrl, base + STATE);
    return;
  }
  Atomics.store(ctrl, base + STATE, 1);
  Atomics.notify(ctrl, base + STATE);
  let seen = 0;
  for (;;) {
    let spins = 0;
    while (Atomics.load(ctrl, base + POSTED) === seen) {
      if (++spins < SPINS) continue;
      if (init.block) Atomics.wait(ctrl, base + POSTED, seen);
      else {
        const w = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> } }).waitAsync(ctrl, base + POSTED, seen);
        if (w.async) await w.value;
      }
    }
    seen = Atomics.load(ctrl, base + POSTED);
    try {
      fns[ctrl[base + KERNEL]](args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5], args[a + 6], args[a + 7],
        args[a + 8], args[a + 9], args[a + 10], args[a + 11], args[a + 12], args[a + 13], args[a + 14], args[a + 15],
        args[a + 16], args[a + 17], args[a + 18], args[a + 19]);
    } catch {
      ctrl[base + FAILED] = 1;
    }
    Atomics.store(ctrl, base + DONE, seen);
    Atomics.notify(ctrl, base + DONE);
  }
}

interface NodeProcess { versions?: { node?: string; deno?: string; bun?: string }; getBuiltinModule?: (id: string) => unknown }
interface NodeWorker { unref(): void; terminate(): Promise<number> | void; on(ev: string, f: (...a: unknown[]) => void): void }
interface WebWorker { terminate(): void; postMessage(m: unknown): void; addEventListener(ev: string, f: () => void): void }
type Handle = { terminate(): void };

const proc = (globalThis as { process?: NodeProcess }).process;
// Node and Bun: worker_threads is there; it is loaded only when a worker starts (loading it costs
// ~2.5 ms of import, for a module most programs never use)
const nodeLike = !!proc?.versions?.node && !proc.versions.deno && typeof proc.getBuiltinModule === 'function';
const nodeWorkers = (): { Worker: new (src: string, o: object) => NodeWorker } | undefined =>
  nodeLike ? proc!.getBuiltinModule!('node:worker_threads') as { Worker: new (src: string, o: object) => NodeWorker } | undefined : undefined;
const isDeno = (globalThis as { Deno?: unknown }).Deno !== undefined;
const WebWorkerCtor = (globalThis as { Worker?: new (url: string, o?: object) => WebWorker }).Worker;

/** Whether this runtime can run kernels on workers sharing memory: Node, Bun, Deno, cross-origin-isolated pages. */
export function threadsPossible(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (nodeLike) return true;
  const g = globalThis as { crossOriginIsolated?: boolean; Deno?: unknown; WebSocketPair?: unknown };
  if (g.WebSocketPair !== undefined) return false; // workerd: no workers
  return typeof WebWorkerCtor === 'function' && (g.crossOriginIsolated === true || isDeno);
}

/** Logical cores where the runtime says (availableParallelism, hardwareConcurrency), else 1. */
export function coresAvailable(): number {
  const os = nodeLike ? proc!.getBuiltinModule!('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } : undefined;
  const n = os ? (os.availableParallelism?.() ?? os.cpus().length) : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}

// PyTorch's default is the physical cores; past 8 the small products of a training step gain little.
const DEFAULT_MAX_THREADS = 8;

/**
 * Threads by default: the cores, at most 8. Deno: 1 until setNumThreads asks for more, because a
 * Deno process does not exit while a worker lives (it has no unref); setNumThreads(1) ends them.
 */
export function defaultThreads(): number { return isDeno ? 1 : Math.min(coresAvailable(), DEFAULT_MAX_THREADS); }

/** The pool's state: the workers' module, the control block and the workers. */
interface Pool {
  module: WebAssembly.Module;
  control: SharedArrayBuffer;
  ctrl: Int32Array;
  args: Float64Array;
  workers: Handle[];
  ready: number; // workers 0..ready-1 have said they run
  job: number;
}
let pool: Pool | null = null;
let shared: { kernels: Kernels; workerModule: () => WebAssembly.Module } | null = null;
let wanted = 1;
let requested: number | null = null; // setNumThreads' count, kept for a build loaded later
let splitCalls = 0; // for parallelInfo
const MAX_THREADS = 64;

/** Called by the loader once the shared-memory build runs; `workerModule` compiles the workers' copy. */
export function useSharedKernels(kernels: Kernels, workerModule: () => WebAssembly.Module, threads: number): void {
  stopWorkers();
  shared = { kernels, workerModule };
  wanted = requested ?? threads;
}

/** Called by the loader when a build without shared memory runs: one thread. */
export function useSingleThread(): void {
  stopWorkers();
  shared = null;
  wanted = 1;
}

function stopWorkers(): void {
  if (!pool) return;
  for (const w of pool.workers) w.terminate();
  pool = null;
}

/**
 * The state of the threads as text: the count, the workers started and ready, and how many kernel
 * calls ran split over them. PyTorch: `torch.__config__.parallel_info`.
 */
export function parallelInfo(): string {
  const lines = [`wasmtorch threads: ${wanted}${shared ? '' : ' (no shared memory here: one thread)'}`];
  if (shared) {
    const started = pool?.workers.length ?? 0;
    if (pool) countReady(pool);
    lines.push(`worker threads: ${started} started, ${pool?.ready ?? 0} ready`, `kernel calls split over threads: ${splitCalls}`);
  }
  return lines.join('\n');
}

/** Threads the kernels may use: the calling thread and the workers. */
export function threadCount(): number { return wanted; }

/** Sets the threads; where there is no shared memory the count stays 1. */
export function setThreadCount(n: number): void {
  if (n > MAX_THREADS) throw new RangeError(`setNumThreads: at most ${MAX_THREADS} threads, got ${n}`);
  requested = n;
  if (!shared) return;
  if (pool && pool.workers.length > n - 1) stopWorkers();
  wanted = n;
  if (n > 1) {
    const p = start();
    // Node may block the calling thread: wait for the workers, so the next call runs on all of them
    if (p && nodeLike) {
      // A worker usually runs within ~100 ms. One dying before its code runs (a preload throwing)
      // reports through an event this thread cannot receive while it waits: stop waiting after a
      // second (late workers join when ready; getNumThreads() is the count asked for, as PyTorch's)
      const deadline = Date.now() + 1_000;
      for (let w = 0; w < p.workers.length; w++) {
        while (Atomics.load(p.ctrl, w * SLOT_WORDS + STATE) === BOOTING && Date.now() < deadline) {
          Atomics.wait(p.ctrl, w * SLOT_WORDS + STATE, BOOTING, 50);
        }
      }
      countReady(p);
    }
  }
}

// Starts (or tops up) the workers; their calls begin once each has said it runs.
function start(): Pool | null {
  if (!shared || wanted <= 1) return null;
  const need = wanted - 1;
  if (pool && pool.workers.length >= need) return pool;
  if (!pool) {
    const control = new SharedArrayBuffer(SLOT_BYTES * MAX_THREADS);
    pool = { module: shared.workerModule(), control, ctrl: new Int32Array(control), args: new Float64Array(control), workers: [], ready: 0, job: 0 };
  }
  const p = pool;
  const names = WORKER_KERNELS as readonly string[];
  const src = `(${threadMain.toString()})`;
  const nw = nodeWorkers();
  for (let slot = p.workers.length; slot < need; slot++) {
    const init: ThreadInit = { module: p.module, memory: shared.kernels.memory, control: p.control, slot, names, block: !isDeno };
    try {
      if (nw) {
        // no execArgv: the worker needs no loader hooks (tsx) and --input-type=module would make its
        // script a module; getBuiltinModule works in either kind
        const w = new nw.Worker(`${src}(process.getBuiltinModule('node:worker_threads').workerData)`, { eval: true, workerData: init, execArgv: [] });
        w.unref(); // an idle pool does not keep the process alive
        w.on('error', () => broken(p, slot));
        p.workers.push({ terminate: () => { void w.terminate(); } });
      } else {
        const url = URL.createObjectURL(new Blob([`self.onmessage = (e) => { self.onmessage = null; ${src}(e.data); };`], { type: 'text/javascript' }));
        const w = new WebWorkerCtor!(url, { type: 'module' });
        w.addEventListener('error', () => broken(p, slot));
        w.postMessage(init);
        p.workers.push({ terminate: () => w.terminate() });
      }
    } catch {
      break; // no more workers: run on those there are
    }
  }
  return p;
}

function broken(p: Pool, slot: number): void {
  Atomics.store(p.ctrl, slot * SLOT_WORDS + STATE, BROKEN);
  countReady(p);
}

// Workers 0..ready-1 are ready: the first one not READY ends the count (one that failed is never used).
function countReady(p: Pool): void {
  let r = 0;
  while (r < p.workers.length && Atomics.load(p.ctrl, r * SLOT_WORDS + STATE) === READY) r++;
  p.ready = r;
}

/**
 * How many parts a large call may be split into now: 1 + the workers ready (starting them on the
 * first call). Cheap enough for every large call; callers test their size threshold first.
 */
export function ways(): number {
  if (wanted <= 1) return 1;
  const p = pool ?? start();
  if (!p) return 1;
  if (p.ready < p.workers.length) countReady(p);
  return Math.min(wanted, 1 + p.ready);
}

// Browsers forbid Atomics.wait on the page's thread: there the calling thread spins. Elsewhere it
// spins as long as a worker does before it sleeps (0.3–1 ms here): waking a sleeping thread took
// ~100 µs on this VM (a futex round trip), while spinning longer would take the core from a worker
// sharing it.
const MAIN_SPINS = 20_000;
let canBlock: boolean | null = null;
function blockingAllowed(ctrl: Int32Array): boolean {
  if (canBlock === null) {
    try { Atomics.wait(ctrl, MAX_THREADS * SLOT_WORDS - 1, 1, 0); canBlock = true; } catch { canBlock = false; }
  }
  return canBlock;
}

/**
 * Runs `kernel` once per part, parts[0] on this thread and the others on workers 0…; returns when
 * all are done. parts.length must not exceed ways().
 */
export function runParts(kernel: WorkerKernel, parts: readonly (readonly number[])[]): void {
  const p = pool!;
  const code = WORKER_KERNELS.indexOf(kernel);
  if (parts[0].length > MAX_ARGS) throw new RangeError(`threads: ${kernel} takes at most ${MAX_ARGS} arguments`); // before any is posted
  const job = p.job = (p.job + 1) | 0; // the control words are int32: wrap as they do
  splitCalls++;
  for (let w = 0; w < parts.length - 1; w++) {
    const base = w * SLOT_WORDS, a = (w * SLOT_BYTES + ARGS_AT) / 8, args = parts[w + 1];
    for (let i = 0; i < args.length; i++) p.args[a + i] = args[i];
    p.ctrl[base + KERNEL] = code;
    p.ctrl[base + FAILED] = 0;
    Atomics.store(p.ctrl, base + POSTED, job);
    Atomics.notify(p.ctrl, base + POSTED);
  }
  // this thread's part; if it throws, the workers' parts still finish before the caller frees anything
  let mine: unknown = null;
  try {
    (shared!.kernels[kernel] as (...x: number[]) => void)(...parts[0]);
  } catch (e) {
    mine = e ?? new Error(`threads: ${kernel} failed`);
  }
  let failed = false;
  const block = blockingAllowed(p.ctrl);
  for (let w = 0; w < parts.length - 1; w++) {
    const at = w * SLOT_WORDS + DONE;
    let spins = 0;
    while (Atomics.load(p.ctrl, at) !== job) {
      if (block && ++spins > MAIN_SPINS) Atomics.wait(p.ctrl, at, Atomics.load(p.ctrl, at), 1);
    }
    if (p.ctrl[w * SLOT_WORDS + FAILED] !== 0) failed = true;
  }
  if (mine !== null) throw mine;
  if (failed) throw new Error(`threads: ${kernel} failed on a worker thread`);
}

