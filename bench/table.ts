// The suite's table, printed by bench/run.ts (Node) and bench/web/run.ts (Chromium): the header
// lines naming what was measured where, then one line per case (time per call of each library,
// the ratios to the peers, the threads cases' note).
import { LIBS, LIB_TITLES, type Measure } from './lib.js';
import type { Suite } from './suite.js';

/** What the header names: versions, the machine, the runtime (`Node v20…`, `Chromium 147…`). */
export interface Machine {
  cpu: string; cores: number; threads: number; wasmtorch: string; commit: string;
  tfjs: string; 'tfjs-backend-wasm': string; 'jax-js': string; benchmark: string; loadavg1: number;
}

function fmtTime(m: Measure | undefined): string {
  if (!m) return '—';
  const s = m.seconds;
  const [v, unit] = s >= 1 ? [s, 's'] : s >= 1e-3 ? [s * 1e3, 'ms'] : [s * 1e6, 'µs'];
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}${m.rme !== undefined ? ` ±${m.rme.toFixed(0)}%` : ''}`;
}
const fmtRatio = (r: number | null): string => (r === null ? '—' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);

/** The table's lines; `stale`: the fresh-process cases ran an older build than src/. */
export function tableLines(machine: Machine, runtime: string, suite: Suite, stale = false): string[] {
  const { results, failed, seconds } = suite;
  const notes = results.some((r) => r.row.wasmtorch?.note);
  const header = ['case', ...LIBS.map((l) => LIB_TITLES[l]), 'tfjs/ours', 'jax/ours', ...(notes ? ['note'] : [])];
  const lines = results.map((r) => [r.case, ...LIBS.map((l) => fmtTime(r.row[l])), fmtRatio(r.ratios['tfjs/ours']), fmtRatio(r.ratios['jax/ours']),
    ...(notes ? [r.row.wasmtorch?.note ?? ''] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmtLine = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || (notes && i === cells.length - 1) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const ourThreads = machine.threads === 1 ? 'one thread each' : `wasmtorch on ${machine.threads} threads, the peers on one`;
  const out = [
    `wasmtorch ${machine.wasmtorch} (${machine.commit}) vs TensorFlow.js ${machine.tfjs} (wasm backend ${machine['tfjs-backend-wasm']}) and jax-js ${machine['jax-js']} (wasm), ${ourThreads} (the threads cases: see their note)`,
    `${machine.cpu}, ${machine.cores} cores, ${runtime}, benchmark.js ${machine.benchmark}; load average ${machine.loadavg1} at start; ${seconds.toFixed(0)} s`,
  ];
  if (stale) out.push('NOTE: dist/ is older than src/: the fresh-process cases ran the last build (node scripts/build.mjs)');
  out.push('time per call: median of the benchmark.js samples ± its margin of error, or the median of fresh processes; ratios above 1: wasmtorch is faster');
  out.push(fmtLine(header));
  out.push(`|${widths.map((w, i) => (i === 0 || (notes && i === widths.length - 1) ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const l of lines) out.push(fmtLine(l));
  for (const name of failed) out.push(fmtLine([name, 'FAILED (see above)', ...widths.slice(2).map(() => '')]));
  return out;
}
