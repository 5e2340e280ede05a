// Threads: wasmtorch on one thread and on every thread the runtime gives it by default
// (getNumThreads before the suite set its own count: the cores, at most 8), the same work timed
// both ways: matmul N=256, 512 and 1024 and the MLP step (784→256→128→10, batch 64, Adam). The
// table's wasmtorch column is the threaded figure, the note the speedup over one thread; the
// peers do not run threads in Node (TensorFlow.js turns them off there, jax-js needs a web Worker).
// And the relaxed-SIMD build with threads, in a fresh process (bench/programs/wasmtorch-threads.mjs,
// started with Node 20's flag for it where the runtime needs it): its GFLOP/s and MLP step; Node
// only, so the browser suite leaves it out (and this file imports Node's modules only when it runs).
import * as torch from '../src/index.js';
import { lastJson, timeProcess, timeSides, type Case, type Measure, type RunOptions, type Side, type Timing } from './lib.js';
import { ours, workload } from './steps.bench.js';

/** The threads this runtime runs by default (read at import, before bench/run.ts sets --threads). */
const THREADS = torch.getNumThreads();

/**
 * Resolves once the `getNumThreads() - 1` workers run: Node's setNumThreads returns with them
 * running, a page's workers boot asynchronously (until then calls run on fewer threads).
 */
export async function threadsReady(timeoutMs = 10_000): Promise<void> {
  const n = torch.getNumThreads();
  const deadline = performance.now() + timeoutMs;
  while (n > 1 && !torch.parallelInfo().includes(`, ${n - 1} ready`)) {
    if (performance.now() > deadline) throw new Error(`threads: ${n - 1} workers not ready after ${timeoutMs / 1000} s: ${torch.parallelInfo()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `make`'s side timed with one thread and with THREADS; the second figure, noting the first. */
function threadsCase(name: string, make: () => Side, warmup: number, timing: Timing, flops?: number): Case {
  return {
    name,
    async run(opts: RunOptions) {
      const was = torch.getNumThreads();
      const at = async (n: number): Promise<Measure> => {
        torch.setNumThreads(n);
        await threadsReady();
        const row = await timeSides(`${name} (${n} thread${n > 1 ? 's' : ''})`, { wasmtorch: make }, opts.quick ? 1 : warmup, opts, () => {}, 1, timing);
        return row.wasmtorch!;
      };
      try {
        const one = await at(1), many = await at(THREADS);
        const speedup = one.seconds / many.seconds;
        many.detail = {
          ...many.detail, threads: THREADS, oneThreadSeconds: one.seconds, speedup: Number(speedup.toFixed(3)),
          ...(flops ? { 'GFLOP/s': Number((flops / many.seconds / 1e9).toPrecision(4)), 'GFLOP/s one thread': Number((flops / one.seconds / 1e9).toPrecision(4)) } : {}),
        };
        many.note = `${THREADS} threads: ${speedup.toFixed(2)}× one thread`;
        return { wasmtorch: many };
      } finally {
        torch.setNumThreads(was);
        await threadsReady();
      }
    },
  };
}

function matmulSide(n: number): Side {
  torch.manualSeed(2);
  const a = torch.keep(torch.rand(n, n)), b = torch.keep(torch.rand(n, n));
  return {
    step: () => { a.matmul(b).dispose(); },
    check: () => torch.tidy(() => a.matmul(b).sum().item()),
    dispose: () => { a.dispose(); b.dispose(); },
  };
}

const mlp = workload([784, 256, 128, 10], 64, 'ce-adam');

export const cases: Case[] = [
  ...[256, 512, 1024].map((n) => threadsCase(`threads: matmul N=${n}`, () => matmulSide(n), n >= 1024 ? 1 : 5,
    n >= 1024 ? { rounds: 1, maxTime: 0.5, minSamples: 3 } : { rounds: 2, maxTime: 0.4 }, 2 * n ** 3)),
  threadsCase('threads: MLP step (784→256→128→10, b64, CE, Adam)', () => ours(mlp), 20, { rounds: 2, maxTime: 0.5 }),
  {
    name: 'threads: relaxed-SIMD build, fresh process',
    node: true,
    async run(opts: RunOptions) {
      const { join } = await import('node:path');
      const { fileURLToPath } = await import('node:url');
      const root = fileURLToPath(new URL('..', import.meta.url));
      // Node 20 validates relaxed SIMD only behind this flag; Node 22+ has it and refuses the flag
      const flag = '--experimental-wasm-relaxed-simd';
      const needsFlag = !torch.backendInfo().relaxedSimd || process.execArgv.includes(flag);
      const args = [...(needsFlag ? [flag] : []), join(root, 'bench/programs/wasmtorch-threads.mjs'), ...(opts.quick ? ['--quick'] : [])];
      const { stdout } = await timeProcess(args, root);
      const r = lastJson(stdout);
      if (!r.relaxedSimd) throw new Error('the fresh process did not load the relaxed-SIMD build');
      opts.log(`  relaxed build: ${JSON.stringify(r)}`);
      const m: Measure = {
        seconds: r.mlpMs / 1e3, detail: { ...r, speedup: Number((r.mlpMsOne / r.mlpMs).toFixed(3)) },
        note: `MLP step ${r.mlpMs.toFixed(2)} ms with ${r.threads} threads; matmul N=1024 ${r.gflops1024.toFixed(1)} GFLOP/s (${r.gflops1024One.toFixed(1)} on one)`,
      };
      return { wasmtorch: m };
    },
  },
];
