// The published package as a user gets it: `npm pack`, installed into a fresh consumer
// project, then ESM import, CommonJS require and a TypeScript consumer type-checked against
// the shipped declarations. Run after `npm run build` (npm test does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir = '';
// The npm that started `npm test` (npm_execpath), or the one on PATH.
const npmCli = process.env.npm_execpath;
const npm = (args: string[], cwd: string, stdio?: 'ignore'): string => npmCli
  ? execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8', stdio })
  : execFileSync('npm', args, { cwd, encoding: 'utf8', stdio });
let files: string[] = [];
let unpacked = 0;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasmtorch-consumer-'));
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root));
  files = packed[0].files.map((f: { path: string }) => f.path).sort();
  unpacked = packed[0].unpackedSize;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  npm(['install', '--no-audit', '--no-fund', '--offline', join(dir, tgz)], dir, 'ignore');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const SEED_STEPS = `
  torch.manualSeed(1);
  const x = torch.randn(100, 10), y = torch.randn(100, 1);
  const model = new torch.nn.Sequential(new torch.nn.Linear(10, 20), new torch.nn.ReLU(), new torch.nn.Linear(20, 1));
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  const losses = [];
  for (let i = 0; i < 5; i++) {
    const loss = new torch.nn.MSELoss().forward(model.forward(x), y);
    opt.zeroGrad(); loss.backward(); opt.step(); losses.push(loss.item());
  }
  console.log(JSON.stringify(losses));`;

function run(file: string, source: string): number[] {
  writeFileSync(join(dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }));
}

test('the tarball holds what the exports map names and nothing else, under 1 MB unpacked', () => {
  assert.ok(files.includes('dist/index.js') && files.includes('dist/index.cjs') && files.includes('dist/wasmtorch.wasm'));
  assert.ok(files.includes('dist/types/index.d.ts'));
  const stray = files.filter((f) => !/^(package\.json|README\.md|dist\/(index\.js|index\.cjs|workerd\.js|wasmtorch\.wasm|wasmtorch-relaxed\.wasm|types\/.*\.d\.c?ts))$/.test(f));
  assert.deepEqual(stray, []);
  console.log(`# tarball: ${files.length} files, ${(unpacked / 1024).toFixed(1)} KiB unpacked`);
  assert.ok(unpacked < 1024 * 1024, `${unpacked} bytes unpacked`);
});

test('ESM import and CommonJS require both train the seed model with equal numbers', () => {
  const esm = run('seed.mjs', `import * as torch from 'wasmtorch';\nawait torch.init();${SEED_STEPS}`);
  const cjs = run('seed.cjs', `const torch = require('wasmtorch');${SEED_STEPS}`);
  assert.equal(esm.length, 5);
  assert.ok(esm[4] < esm[0], `loss falls: ${esm}`);
  assert.deepEqual(cjs, esm);
});

test('a consumer bundled by esbuild (the kernels travel inside the bundle) runs in Node', async () => {
  const esm = run('seed.mjs', `import * as torch from 'wasmtorch';\nawait torch.init();${SEED_STEPS}`);
  await build({ entryPoints: [join(dir, 'seed.mjs')], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    outfile: join(dir, 'bundle/seed.mjs'), absWorkingDir: dir, logLevel: 'silent' });
  rmSync(join(dir, 'node_modules/wasmtorch'), { recursive: true, force: false, maxRetries: 0 });
  try {
    assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['bundle/seed.mjs'], { cwd: dir, encoding: 'utf8' })), esm);
  } finally {
    // put the package back for the tests after this one
    npm(['install', '--no-audit', '--no-fund', '--offline', join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!)], dir, 'ignore');
  }
});

test('the wasm subpaths resolve to the kernels file', () => {
  const out = execFileSync(process.execPath, ['-e',
    "console.log(require.resolve('wasmtorch/wasm') === require.resolve('wasmtorch/wasmtorch.wasm'), require('fs').statSync(require.resolve('wasmtorch/wasm')).size)"],
  { cwd: dir, encoding: 'utf8' }).trim().split(' ');
  assert.equal(out[0], 'true');
  assert.equal(Number(out[1]), statSync(join(root, 'build/wasmtorch.wasm')).size);
});

test('the exports map names a file that exists for every runtime condition', () => {
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/wasmtorch/package.json'), 'utf8'));
  const dot = pkg.exports['.'];
  assert.deepEqual(Object.keys(dot), ['workerd', 'deno', 'browser', 'node', 'import', 'require', 'default']);
  const targets = JSON.stringify(dot).match(/\.\/dist\/[^"]+/g)!;
  for (const t of targets) assert.ok(existsSync(join(dir, 'node_modules/wasmtorch', t)), `${t} is in the tarball`);
});

test('TypeScript consumers, ESM and CommonJS, type-check against the published declarations', () => {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, lib: ['es2023', 'dom', 'esnext.disposable'] }, files: ['use.mts', 'use.cts'] }));
  writeFileSync(join(dir, 'use.cts'), `import torch = require('wasmtorch');
const x: torch.Tensor = torch.ones(2, 2);
const n: number = x.sum().item();
export = n;
`);
  writeFileSync(join(dir, 'use.mts'), `import * as torch from 'wasmtorch';
const t: torch.Tensor = torch.randn(2, 3, { requiresGrad: true });
const m = new torch.nn.Linear(3, 1);
const loss: torch.Tensor = torch.F.mseLoss(m.forward(t), torch.zeros(2, 1));
loss.backward();
const shape: number[] = t.grad!.shape;
// @ts-expect-error: matmul takes a Tensor
t.matmul(3);
export { shape };
`);
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, stdio: 'pipe' });
});

test('scripts run with the npm that started them: no npm of its own in node_modules/.bin', () => {
  // glob-promise 5 (as-pect's) depended on npm-install-peers, which brought npm 6.14.
  assert.equal(existsSync(join(root, 'node_modules/.bin/npm')), false);
});
