// PyTorch as the oracle: every op, loss and optimizer trajectory recorded by
// tests/fixtures/generate.py (Debian's python3-torch) reproduced here.
// Tolerances: 1e-4 relative (+1e-5 absolute) for single ops and losses; optimizer
// trajectories 1e-4 relative over 5 steps; the seed run's 100 losses 1e-4 relative.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import { loadFixture, checkCase, fromFixture, assertClose, type FixtureCase } from './oracle.js';

const ops = loadFixture<{ cases: FixtureCase[] }>('ops.json');
const losses = loadFixture<{ cases: FixtureCase[] }>('losses.json');

for (const c of [...ops.cases, ...losses.cases]) test(`oracle: ${c.name}`, () => checkCase(c));

interface OptimCase {
  name: string; optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop'; options: Record<string, unknown>;
  params: { shape: number[]; data: number[] }[]; grads: number[][][]; trajectory: number[][][];
  state: Record<string, Record<string, number[] | number | null>>;
}
const optimCases = loadFixture<{ cases: OptimCase[] }>('optim.json').cases;

for (const c of optimCases) {
  test(`oracle: optimizer ${c.name}`, () => {
    const params = c.params.map((p) => fromFixture(p, true));
    const Opt = torch.optim[c.optimizer] as unknown as new (p: torch.Tensor[], o: Record<string, unknown>) => torch.optim.Optimizer<object>;
    const opt = new Opt(params, c.options);
    c.grads.forEach((stepGrads, s) => {
      params.forEach((p, i) => { p.grad?.dispose(); p.grad = torch.keep(fromFixture({ shape: p.shape, data: stepGrads[i] })); });
      opt.step();
      params.forEach((p, i) => assertClose(p.toFloat32Array(), c.trajectory[s][i], `${c.name} step ${s + 1} param ${i}`, 1e-4, 1e-6));
    });
    for (const [i, st] of Object.entries(c.state)) {
      const ours = opt.state.get(params[Number(i)])!;
      for (const [k, v] of Object.entries(st)) {
        if (v === null) { assert.equal(ours[k], undefined, `${c.name}: ${k} absent`); continue; }
        if (typeof v === 'number') assert.equal(ours[k], v, `${c.name}: state ${k}`);
        else assertClose((ours[k] as torch.Tensor).toFloat32Array(), v, `${c.name}: state ${k}`, 1e-4, 1e-6);
      }
    }
    opt.dispose();
    params.forEach((p) => p.dispose());
  });
}

test('oracle: the seed program, all 100 losses and the final weights', () => {
  const seed = loadFixture<{
    inputs: { shape: number[]; data: number[] }; targets: { shape: number[]; data: number[] };
    initial: Record<string, { shape: number[]; data: number[] }>; losses: number[];
    final: Record<string, { shape: number[]; data: number[] }>;
  }>('seed.json');
  const { nn, optim } = torch;
  const inputs = fromFixture(seed.inputs), targets = fromFixture(seed.targets);
  const model = new nn.Sequential(new nn.Linear(10, 20), new nn.ReLU(), new nn.Linear(20, 1));
  model.loadStateDict(Object.fromEntries(Object.entries(seed.initial).map(([k, v]) => [k, fromFixture(v)])));
  const criterion = new nn.MSELoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
  const ours: number[] = [];
  for (let epoch = 0; epoch < 100; epoch++) {
    const loss = criterion.forward(model.forward(inputs), targets);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    ours.push(loss.item());
  }
  assertClose(ours, seed.losses, 'seed losses', 1e-4, 1e-6);
  const sd = model.stateDict();
  for (const [k, v] of Object.entries(seed.final)) assertClose(sd[k].toFloat32Array(), v.data, `final ${k}`, 1e-4, 1e-5);
});

function sameJson(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b)))) assert.fail(`${path}: ${a} vs committed ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') { assert.equal(a, b, path); return; }
  const ka = Object.keys(a), kb = Object.keys(b);
  assert.deepEqual(ka, kb, `${path}: keys`);
  for (const k of ka) sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
}

// The committed fixtures are what the generator writes (skipped only where PyTorch is absent;
// .ci/run installs it).
const hasTorch = (() => {
  try { execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
test('fixtures: regenerating with PyTorch reproduces the committed JSON (numbers to 1e-6)', { skip: (!hasTorch && 'python3-torch is not installed') || process.env.WASMTORCH_RELAXED === '1' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-fixtures-'));
  const here = fileURLToPath(new URL('./fixtures/', import.meta.url));
  try {
    // generate.py and every gen_<family>.py; together they write every committed JSON file
    const generators = readdirSync(here).filter((f) => f === 'generate.py' || /^gen_\w+\.py$/.test(f));
    for (const g of generators) execFileSync('/usr/bin/python3', [join(here, g)], { env: { ...process.env, FIXTURES_OUT: dir }, stdio: 'ignore' });
    const committed = readdirSync(here).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.json')).sort(), committed, 'every committed fixture has its generator');
    for (const f of committed) {
      // numbers to 1e-6: PyTorch's CPU kernels may round differently on another processor
      sameJson(JSON.parse(readFileSync(join(dir, f), 'utf8')), JSON.parse(readFileSync(join(here, f), 'utf8')), f);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The relaxed-SIMD build against the same PyTorch fixtures: Node 20 runs it only behind a flag.
// Node 22+ validates relaxed SIMD (and refuses the flag): init() loads that build, the cases above ran on it.
const RELAXED_FLAG = '--experimental-wasm-relaxed-simd';
const relaxedByDefault = torch.backendInfo().relaxedSimd && !process.execArgv.includes(RELAXED_FLAG);
test('the relaxed-SIMD build passes every oracle case (node --experimental-wasm-relaxed-simd)', {
  skip: process.env.WASMTORCH_RELAXED === '1' || (relaxedByDefault && 'this runtime loads the relaxed-SIMD build by default: the cases above ran on it'),
}, () => {
  execFileSync(process.execPath, [RELAXED_FLAG, '--import', 'tsx', '--test', fileURLToPath(import.meta.url)],
    { env: { ...process.env, WASMTORCH_RELAXED: '1' }, stdio: 'pipe' });
});
if (process.env.WASMTORCH_RELAXED === '1') {
  test('this run uses the relaxed-SIMD build', () => assert.equal(torch.backendInfo().relaxedSimd, true));
}
