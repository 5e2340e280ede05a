// The suite's shared shape and helpers: what a case is, how one library's side of a case is
// timed with benchmark.js, and how a fresh Node process is spawned and timed. Family files
// (bench/*.bench.ts that export `cases`) build on these; bench/run.ts runs them and prints the table.
// The browser suite (bench/web/) bundles this file too: Node's modules are imported only inside
// the Node-only helper (timeProcess), when it is called.
import Benchmark from 'benchmark';

/** The libraries compared, in table order: wasmtorch first, the peers after it. */
export const LIBS = ['wasmtorch', 'tfjs', 'jax'] as const;
export type Lib = (typeof LIBS)[number];
export const LIB_TITLES: Record<Lib, string> = { wasmtorch: 'wasmtorch', tfjs: 'tfjs-wasm', jax: 'jax-js' };

/** One library's figure for a case: seconds per call (smaller is better), a median. */
export interface Measure {
  seconds: number;
  /** The mean's 95 % margin of error (percent) over benchmark.js's samples, when benchmark.js timed it. */
  rme?: number;
  samples?: number;
  /** Anything else worth keeping in the JSON (the mean, each process's figures). */
  detail?: Record<string, unknown>;
  /** A short remark printed in the table's last column (a speedup over one thread). */
  note?: string;
}
export type Row = Partial<Record<Lib, Measure>>;

export interface RunOptions {
  /** Short samples and fewer processes: for checking the suite runs, not for figures. */
  quick: boolean;
  /** Print what each case checks (losses of every library, values) before timing it. */
  log: (line: string) => void;
}

/** A benchmark case: one figure measured in each library that has it. */
export interface Case {
  /** Unique, shown in the table's first column; `--filter` matches a substring of it. */
  name: string;
  /** Runs only in Node (it spawns processes): the browser suite (bench/web/) leaves it out. */
  node?: true;
  run(opts: RunOptions): Promise<Row>;
}

/**
 * One library's side of an in-process case. `step` is what benchmark.js times; `check`, run
 * before the timing and never inside it, does the same work and returns a number to compare
 * across libraries (a loss read back, an op's result).
 */
export interface Side {
  step: (() => void) | (() => Promise<void>);
  /** `step` returns a promise: benchmark.js times it as a deferred benchmark. */
  async?: boolean;
  check: () => number;
  /** Calls made inside one `step` (a batch of tiny ops): the figure is divided by it. */
  perStep?: number;
  /** Frees what the side holds, after it has been timed. */
  dispose?: () => void;
}

/**
 * How long benchmark.js samples each side of a case. The defaults (3 rounds of 0.6 s, at least 5
 * samples each) suit the training steps; the op families (one call of microseconds to a second)
 * take fewer rounds and samples so that the whole suite stays within its few minutes.
 */
export interface Timing {
  rounds?: number;
  /** Seconds per benchmark.js run (one library, one round); --quick caps it at 0.25. */
  maxTime?: number;
  minSamples?: number;
  /** benchmark.js's shortest sample (seconds; its default 0.05). */
  minTime?: number;
}

/** benchmark.js samples (seconds per call of `side.step`) from one run of `maxTime` seconds. */
async function sample(name: string, side: Side, maxTime: number, minSamples = 5, minTime?: number): Promise<number[]> {
  const bench = side.async
    ? new Benchmark(name, (d: { resolve(): void }) => { (side.step() as Promise<void>).then(() => d.resolve()); },
      { defer: true, maxTime, minSamples, minTime })
    : new Benchmark(name, side.step as () => void, { maxTime, minSamples, minTime });
  await new Promise<void>((resolve, reject) => {
    bench.on('complete', () => resolve()).on('error', (e: Benchmark.Event) => reject((e.target as { error?: unknown }).error));
    bench.run({ async: side.async ?? false });
  });
  return bench.stats.sample;
}

/** The figure from pooled samples: their median per call, and the mean's 95 % margin of error in percent. */
function summarise(samples: number[], per: number): Measure {
  const n = samples.length, mean = samples.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1));
  return { seconds: median(samples) / per, rme: ((1.96 * sd) / Math.sqrt(n) / mean) * 100, samples: n, detail: { meanSeconds: mean / per, perCall: per } };
}

/**
 * Times each library's side of a case. The sides are built and checked first (one after the
 * other, so one library's set-up never overlaps another's timing), warmed up by `warmup` calls,
 * then timed by benchmark.js in rounds that alternate the libraries: on a shared machine a burst
 * of someone else's load then falls on all of them. The figure is the median of the pooled samples.
 */
export async function timeSides(caseName: string, make: Partial<Record<Lib, () => Promise<Side> | Side>>, warmup: number,
  opts: RunOptions, compare: (values: Partial<Record<Lib, number[]>>) => void, checks = 1, timing: Timing = {}): Promise<Row> {
  const sides: Partial<Record<Lib, Side>> = {};
  const values: Partial<Record<Lib, number[]>> = {};
  for (const lib of LIBS) {
    const f = make[lib];
    if (!f) continue;
    const side = await f();
    sides[lib] = side;
    values[lib] = Array.from({ length: checks }, () => side.check());
  }
  compare(values);
  const present = LIBS.filter((lib) => sides[lib]);
  for (const lib of present) for (let i = 0; i < warmup; i++) await sides[lib]!.step();
  const rounds = opts.quick ? 1 : timing.rounds ?? 3;
  const maxTime = opts.quick ? Math.min(0.25, timing.maxTime ?? 0.25) : timing.maxTime ?? 0.6;
  const samples: Partial<Record<Lib, number[]>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const lib of present) (samples[lib] ??= []).push(...await sample(`${caseName} ${lib}`, sides[lib]!, maxTime, timing.minSamples, timing.minTime));
  }
  const row: Row = {};
  for (const lib of present) {
    row[lib] = summarise(samples[lib]!, sides[lib]!.perStep ?? 1);
    sides[lib]!.dispose?.();
  }
  return row;
}

/**
 * Adds a throughput to each library's JSON detail: `amount` (FLOPs or bytes of one call) per
 * second, in units of 1e9 (`unit` names it: 'GFLOP/s', 'GB/s'). The table keeps showing time.
 */
export function withRate(row: Row, unit: string, amount: number): Row {
  for (const lib of LIBS) {
    const m = row[lib];
    if (m) m.detail = { ...m.detail, [unit]: Number((amount / m.seconds / 1e9).toPrecision(4)) };
  }
  return row;
}

/** The largest relative difference of `b` from `a`, elementwise. */
export function maxRelDiff(a: number[], b: number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), 1e-12));
  return m;
}

/** Throws unless every library's check values match wasmtorch's within `rtol`: the sides computed the same thing. */
export function agree(caseName: string, values: Partial<Record<Lib, number[]>>, rtol: number, log: (s: string) => void): void {
  const ours = values.wasmtorch;
  const fmt = (v: number[]) => (v.length > 6 ? [...v.slice(0, 3), '…', ...v.slice(-2)] : v).map((x) => (typeof x === 'number' ? x.toPrecision(6) : x)).join(' ');
  for (const lib of LIBS) if (values[lib]) log(`  check ${caseName} ${LIB_TITLES[lib]}: ${fmt(values[lib]!)}`);
  if (!ours) return;
  for (const lib of LIBS) {
    const v = values[lib];
    if (!v || lib === 'wasmtorch') continue;
    const d = maxRelDiff(ours, v);
    if (!(d <= rtol)) throw new Error(`${caseName}: ${LIB_TITLES[lib]} computed ${fmt(v)}, wasmtorch ${fmt(ours)} (relative difference ${d.toExponential(2)} > ${rtol})`);
  }
}

/** Runs `node args…` from spawn to exit; resolves with the wall time (ms) and stdout, rejects on a non-zero exit. */
export async function timeProcess(args: string[], cwd: string): Promise<{ ms: number; stdout: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

/** The last line of a child's stdout, parsed as JSON (the children print their figures that way). */
export function lastJson(stdout: string): Record<string, number> {
  const line = stdout.trim().split('\n').pop() ?? '';
  try { return JSON.parse(line); } catch { throw new Error(`expected a JSON line from the child, got: ${line}`); }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Row-major [rows, cols] → [cols, rows]: wasmtorch's Linear weight [out, in] to the peers' [in, out]. */
export function transpose2d(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}
