// The README's main job: the seed program, the optimizer comparison and the MNIST example run
// as a user runs them, and every example and script refuses arguments it does not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_RUNS, runSeedComparison, takeaway } from '../examples/compare_runs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs node with args; resolves to the exit code and output, whatever the code. */
function node(args: string[], cwd = ROOT, timeout = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

test('examples/seed.ts (the program of API.md) trains and prints a falling loss', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/seed.ts'], { cwd: root, encoding: 'utf8' });
  const losses = [...out.matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
  assert.equal(losses.length, 11, out);
  assert.ok(losses[10] < losses[0], `loss fell: ${losses[0]} → ${losses[10]}`);
  assert.match(out, /\(0\): Linear\(in_features=10, out_features=20, bias=True\)/);
});

test('examples/mnist.ts trains the MLP on the shipped digits to at least 94 % test accuracy', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/mnist.ts'], { cwd: root, encoding: 'utf8' });
  assert.match(out, /8000 training and 2000 test images/);
  assert.equal([...out.matchAll(/^epoch \d\/6 loss [\d.]+ train acc [\d.]+% \d+ img\/s$/gm)].length, 6, out);
  const acc = Number(/test accuracy ([\d.]+)%/.exec(out)?.[1]);
  assert.ok(acc >= 94, `test accuracy ${acc}%`);
});

// The CNN's 6 default epochs take ~15 s of CPU here (~2.5 s per epoch; one to one and a half
// minutes of wall time on a loaded 2-core machine). The run is seeded: 97.55 % with the kernels of
// December 2026; a kernel that rounds otherwise moves it by a few hundredths.
test('examples/mnist.ts --model cnn trains the CNN on the shipped digits to at least 97 % test accuracy', async () => {
  const { code, stdout, stderr } = await node(['--import', 'tsx', 'examples/mnist.ts', '--model', 'cnn'], ROOT, 300_000);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /8000 training and 2000 test images; CNN of 10 layers, batches of 32/);
  assert.equal([...stdout.matchAll(/^epoch \d\/6 loss [\d.]+ train acc [\d.]+% \d+ img\/s$/gm)].length, 6, stdout);
  assert.match(stdout, /^trained 6 epochs in [\d.]+ s \([\d.]+ s per epoch\)$/m);
  const acc = Number(/^test accuracy ([\d.]+)% on 2000 images$/m.exec(stdout)?.[1]);
  assert.ok(acc >= 97, `test accuracy ${acc}%`);
  console.log(stdout.split('\n').slice(-3).join(' / '));
});

test('the MNIST file is what scripts/mnist-convert.mjs makes from the mnist package', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const committed = readFileSync(join(root, 'examples/data/mnist.bin.gz'));
  execFileSync(process.execPath, ['scripts/mnist-convert.mjs'], { cwd: root, stdio: 'ignore' });
  assert.ok(gunzipSync(readFileSync(join(root, 'examples/data/mnist.bin.gz'))).equals(gunzipSync(committed)));
});

test('examples/compare.ts prints every run in a table, the loss curves as charts and a takeaway per comparison', async () => {
  const { code, stdout, stderr } = await node(['--import', 'tsx', 'examples/compare.ts']);
  assert.equal(code, 0, stderr);
  const lines = stdout.split('\n');
  for (const spec of DEFAULT_RUNS) {
    // the widest name is followed by exactly the two-space column gap
    const row = lines.find((l) => l.startsWith(`${spec.name}  `));
    assert.ok(row, `a row for ${spec.name}:\n${stdout}`);
    const [, optimizer, lr, , loss, start, final] = row.split(/\s{2,}/);
    assert.deepEqual([optimizer, Number(lr), loss], [spec.optimizer, spec.lr, spec.loss], row);
    assert.ok(Number.isFinite(Number(start)) && Number.isFinite(Number(final)) && Number(final) < Number(start), row);
  }
  // asciichart's box drawing: three charts of 11 rows on a labelled axis, curves bending down
  assert.equal(lines.filter((l) => /^ +\d+\.\d{3} [┤┼]/.test(l)).length, 3 * 11, stdout);
  assert.match(stdout, /[╭╮╰╯]/);
  assert.doesNotMatch(stdout, /\u001b\[/, 'no colors when stdout is not a terminal');
  assert.equal([...stdout.matchAll(/right edge, top to bottom: /g)].length, 3);
  assert.match(stdout, /Optimizers \(MSE\): lowest final loss /);
  assert.match(stdout, /Losses \(Adam lr 0\.01\): /);
  assert.match(stdout, /3 classes \(cross-entropy\): lowest loss /);
});

test('runSeedComparison: same data and initial weights for every run, finite falling losses, reproducible', () => {
  const seen: string[] = [];
  const a = runSeedComparison({ epochs: 30, onRun: (r, i, n) => seen.push(`${r.name} ${i + 1}/${n}`) });
  assert.equal(a.runs.length, DEFAULT_RUNS.length);
  assert.equal(seen.length, DEFAULT_RUNS.length);
  for (const r of a.runs) {
    assert.equal(r.losses.length, 30);
    assert.ok(r.losses.every(Number.isFinite) && Number.isFinite(r.final), r.name);
    assert.ok(r.final < r.losses[0], `${r.name}: ${r.losses[0]} → ${r.final}`);
    // the epoch-0 loss is the untrained model's: equal for every run with the same loss function
    assert.equal(r.losses[0], a.runs.find((q) => q.loss === r.loss)!.losses[0], r.name);
  }
  const b = runSeedComparison({ epochs: 30 });
  assert.deepEqual(b.runs.map((r) => r.losses), a.runs.map((r) => r.losses));
  // the takeaway names the run with the lowest final loss, whichever it is
  const best = a.runs.filter((r) => r.comparison === 'optimizer').sort((p, q) => p.final - q.final)[0];
  assert.match(takeaway(a.runs, 'optimizer'), new RegExp(`lowest final loss ${best.name.replace(/[()+.]/g, '\\$&')} ${best.final.toFixed(4)}`));
});

test('examples/compare.ts --json --epochs 5 prints the runs as JSON', async () => {
  const { code, stdout, stderr } = await node(['--import', 'tsx', 'examples/compare.ts', '--json', '--epochs', '5']);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout) as ReturnType<typeof runSeedComparison>;
  assert.equal(result.epochs, 5);
  assert.deepEqual(result.runs.map((r) => [r.name, r.losses.length]), DEFAULT_RUNS.map((r) => [r.name, 5]));
});

test('examples/mnist.ts --epochs 1 trains one epoch and evaluates', async () => {
  const { code, stdout, stderr } = await node(['--import', 'tsx', 'examples/mnist.ts', '--epochs', '1']);
  assert.equal(code, 0, stderr);
  assert.equal([...stdout.matchAll(/^epoch 1\/1 loss [\d.]+ train acc [\d.]+% \d+ img\/s$/gm)].length, 1, stdout);
  assert.match(stdout, /^test accuracy \d+\.\d\d% on 2000 images$/m);
});

// Each refuses before doing anything; the .mjs scripts run from an empty folder all the same, so a
// broken check in build.mjs (which works relative to the current folder) deletes nothing here.
const TS = ['examples/seed.ts', 'examples/compare.ts', 'examples/mnist.ts', 'bench/run.ts', 'bench/conv.bench.ts'];
const MJS = ['scripts/mnist-convert.mjs', 'scripts/serve.mjs', 'scripts/build.mjs', 'scripts/embed-wasm.mjs',
  ...['wasmtorch', 'tfjs', 'jax'].flatMap((lib) => [`bench/programs/${lib}-seed.mjs`, `bench/programs/${lib}-steps.mjs`])];

test('every example and script refuses an unknown argument: exit code 2 and a usage line on stderr', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'wasmtorch-args-'));
  try {
    const runs = [
      ...TS.map((f) => ({ f, args: ['--import', 'tsx', f, '--no-such-option'], cwd: ROOT })),
      ...MJS.map((f) => ({ f, args: [join(ROOT, f), '--no-such-option'], cwd: scratch })),
    ];
    const results = await Promise.all(runs.map(({ args, cwd }) => node(args, cwd)));
    results.forEach(({ code, stdout, stderr }, i) => {
      assert.equal(code, 2, `${runs[i].f}: ${stderr}`);
      assert.match(stderr, /Unknown option '--no-such-option'/, runs[i].f);
      assert.ok(stderr.split('\n').some((l) => l.startsWith('usage: ') && l.includes(runs[i].f)), `${runs[i].f}: ${stderr}`);
      assert.equal(stdout, '', runs[i].f);
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('bad values and positionals are refused naming the value; --help prints the usage', async () => {
  const [fraction, zero, positional, port, help, model] = await Promise.all([
    node(['--import', 'tsx', 'examples/mnist.ts', '--epochs', '1.5']),
    node(['--import', 'tsx', 'examples/compare.ts', '--epochs', '0']),
    node(['--import', 'tsx', 'examples/mnist.ts', '6']),
    node(['scripts/serve.mjs', '--port', 'http']),
    node(['--import', 'tsx', 'examples/mnist.ts', '--help']),
    node(['--import', 'tsx', 'examples/mnist.ts', '--model', 'resnet']),
  ]);
  assert.deepEqual([fraction.code, zero.code, positional.code, port.code, model.code], [2, 2, 2, 2, 2]);
  assert.match(fraction.stderr, /--epochs needs an integer ≥ 1, not '1\.5'\nusage: npx tsx examples\/mnist\.ts \[--model mlp\|cnn \(default mlp\)\] \[--epochs N/);
  assert.equal(model.stderr, "--model needs one of mlp, cnn, not 'resnet'\nusage: npx tsx examples/mnist.ts [--model mlp|cnn (default mlp)] [--epochs N (default 6)]\n");
  assert.equal(model.stdout, '', 'refused before loading anything');
  assert.match(zero.stderr, /--epochs needs an integer ≥ 1, not '0'/);
  assert.match(positional.stderr, /Unexpected argument '6'/);
  assert.match(port.stderr, /--port needs an integer from 0 to 65535, not 'http'/);
  assert.deepEqual([help.code, help.stderr], [0, '']);
  assert.match(help.stdout, /^usage: npx tsx examples\/mnist\.ts \[--model mlp\|cnn \(default mlp\)\] \[--epochs N/);
});
