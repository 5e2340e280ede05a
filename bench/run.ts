// The benchmark suite: wasmtorch against TensorFlow.js's wasm backend and jax-js, one table.
// It imports every bench/*.bench.ts that is a family of cases (exports `cases`), runs the cases
// whose name contains --filter, and prints one table: each library's time per call and the
// ratios "tfjs/ours" and "jax/ours" (above 1: wasmtorch is faster). Every in-process case first
// checks that the three libraries computed the same thing (printed as "check" lines).
// wasmtorch runs on --threads threads (default 1, as the peers in Node); the threads family times
// one thread against the runtime's default count by itself.
// Run: npm run bench [-- --filter SUBSTR] [--json FILE] [--quick] [--threads N]
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../scripts/args.mjs';
import type { Case } from './lib.js';
import { describeMachine } from './machine.js';
import { choose, runCases, SUITE_OPTIONS, suiteUsage, type Family, type SuiteArgs } from './suite.js';
import { tableLines } from './table.js';
import * as torch from '../src/index.js';

const args = parseCli(suiteUsage('bench/run.ts'), SUITE_OPTIONS) as SuiteArgs;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// conv.bench.ts is a script of its own (npm run bench:conv): importing it would run it
const STANDALONE = new Set(['conv.bench.ts']);

const machine = describeMachine(root, args.threads, { node: process.version });

// the order first (steady steps, per-op overhead, fresh processes), any other family after
const ORDER = ['steps', 'overhead', 'startup'];
const rank = (f: string) => { const i = ORDER.indexOf(f.replace(/\.bench\.ts$/, '')); return i < 0 ? ORDER.length : i; };
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && !STANDALONE.has(f))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const all: Family[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { cases?: Case[] };
  if (!Array.isArray(mod.cases)) throw new Error(`bench/${f}: a family file must export \`cases\` (or be listed as standalone in bench/run.ts)`);
  for (const c of mod.cases) all.push({ family: f.replace(/\.bench\.ts$/, ''), c });
}
// after the families' imports: the threads family reads the runtime's default count first
torch.setNumThreads(args.threads);
const chosen = choose(all, args.filter);
if (chosen.length === 0) {
  process.stderr.write(`--filter '${args.filter}' matches no case; the cases are:\n${all.map(({ c }) => `  ${c.name}`).join('\n')}\n`);
  process.exit(2);
}

const stale = chosen.some(({ family }) => family === 'startup') && distIsStale(root);
const { results, failed, seconds } = await runCases(chosen, args.quick, (s) => console.error(s));
for (const line of tableLines(machine, `Node ${machine.node}`, { results, failed, seconds }, stale)) console.log(line);

if (args.json) {
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), command, machine, seconds, results, failed }, null, 2) + '\n');
  console.error(`wrote ${args.json}`);
}
if (failed.length) process.exitCode = 1;

/** True when a file under src/ is newer than dist/index.js: wasmtorch's children would run old code. */
function distIsStale(root: string): boolean {
  const built = statSync(join(root, 'dist', 'index.js')).mtimeMs;
  const walk = (d: string): boolean => readdirSync(d, { withFileTypes: true })
    .some((e) => (e.isDirectory() ? walk(join(d, e.name)) : statSync(join(d, e.name)).mtimeMs > built));
  return walk(join(root, 'src'));
}
