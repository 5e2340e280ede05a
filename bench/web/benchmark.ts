// benchmark.js for the page: loaded with the globals of ./timer_shim.ts, which are removed once it
// has read them (the libraries loaded after it must not mistake the page for Node).
import { lent } from './timer_shim.js';
import Benchmark from 'benchmark';

for (const name of lent) delete (globalThis as Record<string, unknown>)[name];
// in a page it compiles its timing loops in script elements that name the global Benchmark (its
// own browser build defines it; loaded from a bundle it does not)
(globalThis as { Benchmark?: unknown }).Benchmark = Benchmark;

/** Throws unless benchmark.js loaded whole (without lodash it exports a bare constructor). */
export function checkBenchmark(): void {
  if (typeof Benchmark.prototype.run !== 'function') throw new Error('bench/web: benchmark.js loaded without lodash');
}
