// The benchmark suite in a page: the families of bench/ that run in-process, with the same Case
// objects as bench/run.ts; the cases that spawn processes (bench/startup.bench.ts, cases marked
// `node`) are Node's only. bench/web/run.ts opens index.html?isolated=1&filter=…&quick=1&threads=N,
// prints the console lines as progress and reads window.benchSuite for the table.
import { checkBenchmark } from './benchmark.js'; // first: benchmark.js loads before the libraries (see timer_shim.ts)
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as torch from '../../src/index.js';
import type { Case } from '../lib.js';
import { choose, runCases, type Family, type Suite } from '../suite.js';

/** What the page hands back: the suite, or the case names when --filter matched none. */
export type PageResult = ({ suite: Suite } | { noMatch: string[] }) & { page: Record<string, unknown> };

async function main(): Promise<PageResult> {
  checkBenchmark();
  const q = new URLSearchParams(location.search);
  const filter = q.get('filter') ?? '', quick = q.get('quick') === '1', threads = Number(q.get('threads') ?? '1');
  // TensorFlow.js fetches its .wasm files from the page's folder unless told; in a
  // cross-origin-isolated page it runs a thread pool: as many threads as wasmtorch gets
  setWasmPaths('/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
  setThreadsCount(threads);
  await torch.init();
  // imported after init(): a page loads the kernels asynchronously, and the threads family reads
  // getNumThreads() (the cores, at most 8) at import. bench/run.ts's order, without startup.
  const families: [string, Promise<{ cases: Case[] }>][] = [
    ['steps', import('../steps.bench.js')], ['overhead', import('../overhead.bench.js')],
    ['conv2d', import('../conv2d.bench.js')], ['elementwise', import('../elementwise.bench.js')],
    ['matmul', import('../matmul.bench.js')], ['optim', import('../optim.bench.js')],
    ['reduce', import('../reduce.bench.js')], ['threads', import('../threads.bench.js')],
  ];
  const all: Family[] = [];
  for (const [family, mod] of families) for (const c of (await mod).cases) if (!c.node) all.push({ family, c });
  const { threadsReady } = await import('../threads.bench.js');
  torch.setNumThreads(threads);
  await threadsReady();
  const page = { crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, userAgent: navigator.userAgent, parallelInfo: torch.parallelInfo() };
  const chosen = choose(all, filter);
  if (chosen.length === 0) return { noMatch: all.map(({ c }) => c.name), page };
  const suite = await runCases(chosen, quick, (s) => console.log(s));
  // whether the threaded cases really split their calls over the page's workers
  return { suite, page: { ...page, parallelInfoAfter: torch.parallelInfo() } };
}

(globalThis as { benchSuite?: Promise<PageResult> }).benchSuite = main();
