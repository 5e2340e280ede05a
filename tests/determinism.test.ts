// Determinism (issue 11): with manualSeed, two runs give bit-identical losses on the same build.
// - examples/seed.ts and examples/mnist.ts (--epochs 1) run twice each as a user runs them (node
//   with tsx, on the built package that `import 'wasmtorch'` resolves to), with a preload module
//   that seeds the generator (seed.ts does not seed itself) and records, without changing any
//   computation, the exact float64 bits of every loss a loss module returns and a hash of every
//   parameter's float32 bits after every optimizer step; both runs' records and output must match;
// - in process, the seed model trained twice from manualSeed gives the same losses (Object.is on
//   each) and the same parameter bits, and another seed gives other losses (the check can fail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as torch from '../src/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// `import 'wasmtorch'` inside this package resolves to the build (package.json "exports", node import)
const BUILD = pathToFileURL(join(ROOT, 'dist/index.js')).href;

// Loaded with --import before the example: the same module instance as the example's 'wasmtorch'.
const PRELOAD = `
import { writeFileSync } from 'node:fs';
const torch = await import(${JSON.stringify(BUILD)});
torch.manualSeed(Number(process.env.WT_SEED));
const record = { losses: [], params: [] };
const bits = (x) => Array.from(new Uint32Array(new Float64Array([x]).buffer), (w) => w.toString(16).padStart(8, '0')).join('');
for (const Loss of [torch.nn.MSELoss, torch.nn.CrossEntropyLoss]) {
  const forward = Loss.prototype.forward;
  Loss.prototype.forward = function (...args) { const out = forward.apply(this, args); record.losses.push(bits(out.item())); return out; };
}
for (const Opt of [torch.optim.SGD, torch.optim.Adam]) {
  const step = Opt.prototype.step;
  Opt.prototype.step = function (...args) {
    const r = step.apply(this, args);
    let h = 0x811c9dc5; // FNV-1a over every parameter's float32 bits, in order
    for (const g of this.paramGroups) for (const p of g.params) for (const w of new Int32Array(p.toFloat32Array().buffer)) h = Math.imul(h ^ w, 16777619);
    record.params.push((h >>> 0).toString(16));
    return r;
  };
}
process.on('exit', () => writeFileSync(process.env.WT_RECORD, JSON.stringify(record)));
`;

interface Run { stdout: string; losses: string[]; params: string[] }

/** Runs an example under the recording preload; resolves to its output and record. */
function runExample(dir: string, tag: string, args: string[], seed = 0): Promise<Run> {
  const record = join(dir, `${tag}.json`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--import', pathToFileURL(join(dir, 'preload.mjs')).href, ...args],
      { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, WT_SEED: String(seed), WT_RECORD: record } },
      (err, stdout, stderr) => {
        if (err) { reject(new Error(`${args.join(' ')} failed: ${err.message}\n${stderr}`)); return; }
        resolve({ stdout, ...(JSON.parse(readFileSync(record, 'utf8')) as { losses: string[]; params: string[] }) });
      });
  });
}

function assertSameRuns(a: Run, b: Run, what: string, losses: number, steps: number, stdout: (s: string) => string = (s) => s): void {
  assert.equal(a.losses.length, losses, `${what}: ${a.losses.length} losses recorded (the preload hooks the build the example runs)`);
  assert.equal(a.params.length, steps, `${what}: ${a.params.length} optimizer steps recorded`);
  for (let i = 0; i < a.losses.length; i++) assert.equal(b.losses[i], a.losses[i], `${what}: loss ${i} differs between runs`);
  assert.equal(b.losses.length, a.losses.length);
  for (let i = 0; i < a.params.length; i++) assert.equal(b.params[i], a.params[i], `${what}: parameters after step ${i + 1} differ between runs`);
  assert.equal(b.params.length, a.params.length);
  assert.equal(stdout(b.stdout), stdout(a.stdout), `${what}: output differs`);
}

test('examples/seed.ts (seeded) and examples/mnist.ts --epochs 1, each run twice: bit-identical losses and parameters', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-determinism-'));
  try {
    writeFileSync(join(dir, 'preload.mjs'), PRELOAD);
    const [s1, s2, m1, m2] = await Promise.all([
      runExample(dir, 'seed1', ['examples/seed.ts'], 42),
      runExample(dir, 'seed2', ['examples/seed.ts'], 42),
      runExample(dir, 'mnist1', ['examples/mnist.ts', '--epochs', '1']),
      runExample(dir, 'mnist2', ['examples/mnist.ts', '--epochs', '1']),
    ]);
    assertSameRuns(s1, s2, 'seed.ts', 100, 100);
    // 8,000 digits in batches of 64: 125 steps; times and images per second vary from run to run
    assertSameRuns(m1, m2, 'mnist.ts', 125, 125, (s) => s.replace(/[\d.]+ ?(img\/s|ms|s)\b/g, 'N $1'));
    const s3 = await runExample(dir, 'seed3', ['examples/seed.ts'], 43);
    assert.notEqual(s3.losses[0], s1.losses[0], 'another seed gives another first loss');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The seed program of the README, in process: every loss and the final parameters. */
function seedTraining(seed: number, epochs = 100): { losses: number[]; params: Int32Array[] } {
  return torch.tidy(() => {
    torch.manualSeed(seed);
    const inputs = torch.randn(100, 10);
    const targets = torch.randn(100, 1);
    const model = new torch.nn.Sequential(new torch.nn.Linear(10, 20), new torch.nn.ReLU(), new torch.nn.Linear(20, 1));
    const criterion = new torch.nn.MSELoss();
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      torch.tidy(() => {
        const loss = criterion.forward(model.forward(inputs), targets);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      });
    }
    const params = model.parameters().map((p) => new Int32Array(p.toFloat32Array().buffer));
    optimizer.dispose();
    model.dispose();
    return { losses, params };
  });
}

test('in process: the seed model trained twice from manualSeed gives identical losses (Object.is) and parameter bits', () => {
  const before = torch.memory();
  const a = seedTraining(7), b = seedTraining(7), other = seedTraining(8);
  assert.equal(a.losses.length, 100);
  for (let i = 0; i < 100; i++) assert.ok(Object.is(a.losses[i], b.losses[i]), `loss ${i}: ${a.losses[i]} vs ${b.losses[i]}`);
  assert.equal(a.params.length, 4);
  for (let k = 0; k < a.params.length; k++) assert.deepEqual(b.params[k], a.params[k], `parameter ${k}`);
  assert.ok(!Object.is(other.losses[0], a.losses[0]), 'another seed gives another first loss');
  assert.ok(a.losses[99] < a.losses[0], 'it trained');
  const after = torch.memory();
  assert.equal(after.liveTensors, before.liveTensors);
});
