// The real runtimes: Deno (npm `deno`) and Cloudflare's workerd (npm `workerd`) train the seed
// model from the built package, and their numbers equal Node's. Run after `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameAsNode } from './runtimes/compare.js';
import { fetchFromWorkerd } from './runtimes/workerd.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

test('Deno imports the built package and trains the seed model like Node', () => {
  const out = execFileSync(bin('deno'), ['run', '--allow-read', '--no-prompt', 'tests/runtimes/deno_main.js'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  const r = JSON.parse(out);
  assert.equal(r.info.relaxedSimd, true, 'Deno runs the relaxed-SIMD build');
  assertSameAsNode(r, 'deno');
  assert.deepEqual(r.asyncTidyFrees, { before: true, after: true, kept: false }, 'an async tidy frees the tensors made after its await (AsyncLocalStorage)');
});

test('workerd runs a worker importing the package (its workerd entry, the .wasm as a module) and answers a request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-workerd-'));
  copyFileSync(join(root, 'dist/workerd.js'), join(dir, 'wasmtorch.js'));
  copyFileSync(join(root, 'dist/wasmtorch.wasm'), join(dir, 'wasmtorch.wasm'));
  copyFileSync(join(root, 'tests/runtimes/worker.js'), join(dir, 'worker.js'));
  copyFileSync(join(root, 'tests/runtimes/seed_steps.js'), join(dir, 'seed_steps.js'));
  copyFileSync(join(root, 'tests/runtimes/async_tidy.js'), join(dir, 'async_tidy.js'));
  try {
    const body = await fetchFromWorkerd(dir, [
      { name: 'worker.js', file: 'worker.js', kind: 'esModule' },
      { name: 'wasmtorch', file: 'wasmtorch.js', kind: 'esModule' },
      { name: 'seed_steps.js', file: 'seed_steps.js', kind: 'esModule' },
      { name: 'async_tidy.js', file: 'async_tidy.js', kind: 'esModule' },
      { name: 'wasmtorch.wasm', file: 'wasmtorch.wasm', kind: 'wasm' },
    ]);
    const r = JSON.parse(body);
    assertSameAsNode(r, 'workerd');
    assert.deepEqual(r.asyncTidyFrees, { before: true, after: true, kept: false }, 'an async tidy frees the tensors made after its await (AsyncLocalStorage from process.getBuiltinModule)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
