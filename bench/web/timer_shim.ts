// What benchmark.js looks for while it loads, lent to it for that moment only (bench/web/benchmark.ts
// takes them away again): in a bundle its require of lodash fails, so it finds lodash as the
// global `_`; and in a page its only timer is Date (1 ms steps) unless it sees Node's
// `process.hrtime`, here made from performance.now() (5 µs steps in a cross-origin-isolated page).
// @ts-expect-error: lodash (benchmark.js's dependency) ships no types
import lodash from 'lodash';

type Hrtime = (since?: [number, number]) => [number, number];
const hrtime: Hrtime = (since) => {
  const ms = performance.now();
  let s = Math.floor(ms / 1e3), ns = Math.round((ms - s * 1e3) * 1e6);
  if (since) {
    s -= since[0]; ns -= since[1];
    if (ns < 0) { s -= 1; ns += 1e9; }
  }
  return [s, ns];
};
const g = globalThis as { _?: unknown; process?: unknown };
if (g._ !== undefined || g.process !== undefined) throw new Error('bench/web: the page already has a global _ or process');
g._ = lodash;
g.process = { hrtime };

/** Read by ./benchmark.ts: the project's `"sideEffects": false` would let esbuild drop an import of this file that uses nothing. */
export const lent = ['_', 'process'] as const;
