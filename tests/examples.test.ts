// The README's main job: the seed program and the MNIST example run as a user runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

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

test('the MNIST file is what scripts/mnist-convert.mjs makes from the mnist package', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const committed = readFileSync(join(root, 'examples/data/mnist.bin.gz'));
  execFileSync(process.execPath, ['scripts/mnist-convert.mjs'], { cwd: root, stdio: 'ignore' });
  assert.ok(gunzipSync(readFileSync(join(root, 'examples/data/mnist.bin.gz'))).equals(gunzipSync(committed)));
});
