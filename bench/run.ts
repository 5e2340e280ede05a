// The benchmark suite: wasmtorch against TensorFlow.js's wasm backend and jax-js, one table.
// It imports every bench/*.bench.ts that is a family of cases (exports `cases`), runs the cases
// whose name contains --filter, and prints one table: each library's time per call and the
// ratios "tfjs/ours" and "jax/ours" (above 1: wasmtorch is faster). Every in-process case first
// checks that the three libraries computed the same thing (printed as "check" lines).
// wasmtorch runs on --threads threads (default 1, as the peers in Node); the threads family times
// one thread against the runtime's default count by itself.
// Run: npm run bench [-- --filter SUBSTR] [--json FILE] [--quick] [--threads N]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';
import { LIBS, LIB_TITLES, distIsStale, type Case, type Measure, type Row } from './lib.js';
import * as torch from '../src/index.js';

const usage = 'npx tsx bench/run.ts [--filter SUBSTR] [--json FILE] [--quick] [--threads N]';
const args = parseCli(usage, {
  filter: { type: 'string', default: '' },
  json: { type: 'string' },
  quick: { type: 'boolean', default: false },
  threads: { type: 'integer', default: 1, min: 1 },
}) as { filter: string; json?: string; quick: boolean; threads: number };

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// conv.bench.ts is a script of its own (npm run bench:conv): importing it would run it
const STANDALONE = new Set(['conv.bench.ts']);

// figures move with every commit to src/: the table names the one it measured
const commit = (): string => {
  try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(); } catch { return 'unknown'; }
};
const version = (pkg: string): string => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
const machine = {
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  threads: args.threads,
  wasmtorch: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string,
  commit: commit(),
  tfjs: version('@tensorflow/tfjs'),
  'tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
  'jax-js': version('@jax-js/jax'),
  benchmark: version('benchmark'),
  loadavg1: Number(loadavg()[0].toFixed(2)),
};

// the issue's order first (steady steps, per-op overhead, fresh processes), any other family after
const ORDER = ['steps', 'overhead', 'startup'];
const rank = (f: string) => { const i = ORDER.indexOf(f.replace(/\.bench\.ts$/, '')); return i < 0 ? ORDER.length : i; };
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && !STANDALONE.has(f))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const all: { family: string; c: Case }[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { cases?: Case[] };
  if (!Array.isArray(mod.cases)) throw new Error(`bench/${f}: a family file must export \`cases\` (or be listed as standalone in bench/run.ts)`);
  for (const c of mod.cases) all.push({ family: f.replace(/\.bench\.ts$/, ''), c });
}
// after the families' imports: the threads family reads the runtime's default count first
torch.setNumThreads(args.threads);
const names = new Set<string>();
for (const { c } of all) { if (names.has(c.name)) throw new Error(`two cases are named '${c.name}'`); names.add(c.name); }
const chosen = all.filter(({ c }) => c.name.includes(args.filter));
if (chosen.length === 0) {
  process.stderr.write(`--filter '${args.filter}' matches no case; the cases are:\n${all.map(({ c }) => `  ${c.name}`).join('\n')}\n`);
  process.exit(2);
}

const stale = chosen.some(({ family }) => family === 'startup') && distIsStale(root);
const failed: string[] = [];
const t0 = performance.now();
const results: { family: string; case: string; row: Row; ratios: Record<string, number | null>; seconds: number }[] = [];
for (const { family, c } of chosen) {
  console.error(`${family}: ${c.name}`);
  // each case's wall time (set-up, checks, warm-up, sampling): the suite has a budget of 3 minutes
  const tc = performance.now();
  let row: Row;
  try {
    row = await c.run({ quick: args.quick, log: (s) => console.error(s) });
  } catch (e) {
    // reported here: TensorFlow.js's wasm module rethrows uncaught errors with its whole source
    console.error(`FAILED ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
    failed.push(c.name);
    continue;
  }
  const ratio = (lib: 'tfjs' | 'jax'): number | null => (row[lib] && row.wasmtorch ? row[lib]!.seconds / row.wasmtorch.seconds : null);
  const caseSeconds = (performance.now() - tc) / 1000;
  console.error(`  (${caseSeconds.toFixed(1)} s)`);
  results.push({ family, case: c.name, row, ratios: { 'tfjs/ours': ratio('tfjs'), 'jax/ours': ratio('jax') }, seconds: Number(caseSeconds.toFixed(2)) });
}
const seconds = (performance.now() - t0) / 1000;

function fmtTime(m: Measure | undefined): string {
  if (!m) return '—';
  const s = m.seconds;
  const [v, unit] = s >= 1 ? [s, 's'] : s >= 1e-3 ? [s * 1e3, 'ms'] : [s * 1e6, 'µs'];
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}${m.rme !== undefined ? ` ±${m.rme.toFixed(0)}%` : ''}`;
}
const fmtRatio = (r: number | null): string => (r === null ? '—' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);

const notes = results.some((r) => r.row.wasmtorch?.note);
const header = ['case', ...LIBS.map((l) => LIB_TITLES[l]), 'tfjs/ours', 'jax/ours', ...(notes ? ['note'] : [])];
const lines = results.map((r) => [r.case, ...LIBS.map((l) => fmtTime(r.row[l])), fmtRatio(r.ratios['tfjs/ours']), fmtRatio(r.ratios['jax/ours']),
  ...(notes ? [r.row.wasmtorch?.note ?? ''] : [])]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const fmtLine = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 || (notes && i === cells.length - 1) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
const ourThreads = args.threads === 1 ? 'one thread each' : `wasmtorch on ${args.threads} threads, the peers on one`;
console.log(`wasmtorch ${machine.wasmtorch} (${machine.commit}) vs TensorFlow.js ${machine.tfjs} (wasm backend ${machine['tfjs-backend-wasm']}) and jax-js ${machine['jax-js']} (wasm), ${ourThreads} (the threads cases: see their note)`);
console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, benchmark.js ${machine.benchmark}; load average ${machine.loadavg1} at start; ${seconds.toFixed(0)} s`);
if (stale) console.log('NOTE: dist/ is older than src/: the fresh-process cases ran the last build (node scripts/build.mjs)');
console.log('time per call: median of the benchmark.js samples ± its margin of error, or the median of fresh processes; ratios above 1: wasmtorch is faster');
console.log(fmtLine(header));
console.log(`|${widths.map((w, i) => (i === 0 || (notes && i === widths.length - 1) ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const l of lines) console.log(fmtLine(l));

for (const name of failed) console.log(fmtLine([name, 'FAILED (see above)', ...widths.slice(2).map(() => '')]));

if (args.json) {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), command, machine, seconds, results, failed }, null, 2) + '\n');
  console.error(`wrote ${args.json}`);
}
if (failed.length) process.exitCode = 1;
