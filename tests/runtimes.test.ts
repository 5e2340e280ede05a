// The real runtimes: Deno (npm `deno`) and Cloudflare's workerd (npm `workerd`) train the seed
// model from the built package, and their numbers equal Node's. Run after `npm run build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { assertSameAsNode } from './runtimes/compare.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

test('Deno imports the built package and trains the seed model like Node', () => {
  const out = execFileSync(bin('deno'), ['run', '--allow-read', '--no-prompt', 'tests/runtimes/deno_main.js'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  const r = JSON.parse(out);
  assert.equal(r.info.relaxedSimd, true, 'Deno runs the relaxed-SIMD build');
  assertSameAsNode(r, 'deno');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

test('workerd runs a worker importing the package (its workerd entry, the .wasm as a module) and answers a request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-workerd-'));
  const port = await freePort();
  copyFileSync(join(root, 'dist/workerd.js'), join(dir, 'wasmtorch.js'));
  copyFileSync(join(root, 'dist/wasmtorch.wasm'), join(dir, 'wasmtorch.wasm'));
  copyFileSync(join(root, 'tests/runtimes/worker.js'), join(dir, 'worker.js'));
  copyFileSync(join(root, 'tests/runtimes/seed_steps.js'), join(dir, 'seed_steps.js'));
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "wasmtorch", esModule = embed "wasmtorch.js"),
    (name = "seed_steps.js", esModule = embed "seed_steps.js"),
    (name = "wasmtorch.wasm", wasm = embed "wasmtorch.wasm"),
  ],
  compatibilityDate = "2026-11-01",
);
`);
  const proc = spawn(bin('workerd'), ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  try {
    let body: string | null = null;
    for (let i = 0; i < 100 && body === null; i++) {
      try { body = await (await fetch(`http://127.0.0.1:${port}/`)).text(); } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    assert.ok(body !== null, `workerd did not answer: ${stderr}`);
    assertSameAsNode(JSON.parse(body), 'workerd');
  } finally {
    proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
