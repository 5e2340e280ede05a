// The published package as a user gets it: `npm pack`, installed into a fresh consumer
// project, then ESM import, CommonJS require and a TypeScript consumer type-checked against
// the shipped declarations, and the linters npm users run on a dual package (publint, attw).
// Run after `npm run build` (npm test does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, statSync, readdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir = '';
// The npm that started `npm test` (npm_execpath), or the one on PATH.
const npmCli = process.env.npm_execpath;
const npm = (args: string[], cwd: string, stdio?: 'ignore'): string => npmCli
  ? execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8', stdio })
  : execFileSync('npm', args, { cwd, encoding: 'utf8', stdio });
let files: string[] = [];
let unpacked = 0;
let tgz = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasmtorch-consumer-'));
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root));
  files = packed[0].files.map((f: { path: string }) => f.path).sort();
  unpacked = packed[0].unpackedSize;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  tgz = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  npm(['install', '--no-audit', '--no-fund', '--offline', tgz], dir, 'ignore');
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

test('the tarball holds what the exports map names and nothing else, under 2.5 MB unpacked', () => {
  assert.ok(files.includes('dist/index.js') && files.includes('dist/index.cjs') && files.includes('dist/wasmtorch.wasm'));
  assert.ok(files.includes('dist/types/index.d.ts'));
  const stray = files.filter((f) => !/^(package\.json|README\.md|dist\/(index\.js|index\.cjs|workerd\.js|wasm_bytes\.js|wasmtorch(-relaxed)?(-threads)?\.wasm|types\/.*\.d\.c?ts))$/.test(f));
  assert.deepEqual(stray, []);
  console.log(`# tarball: ${files.length} files, ${(unpacked / 1024).toFixed(1)} KiB unpacked`);
  // two minified bundles, the embedded kernels (wasm_bytes.js), the workerd bundle, four .wasm builds
  // (with and without shared memory), and documented declarations for both module systems;
  // 1.6 MB at issue 7's end, 2.2 MB with threads (issue 9)
  assert.ok(unpacked < 2.5 * 1024 * 1024, `${unpacked} bytes unpacked`);
});

test('ESM import and CommonJS require both train the seed model with equal numbers', () => {
  const esm = run('seed.mjs', `import * as torch from 'wasmtorch';\nawait torch.init();${SEED_STEPS}`);
  const cjs = run('seed.cjs', `const torch = require('wasmtorch');${SEED_STEPS}`);
  assert.equal(esm.length, 5);
  assert.ok(esm[4] < esm[0], `loss falls: ${esm}`);
  assert.deepEqual(cjs, esm);
});

test('Node reads the .wasm beside the bundle: with the embedded copy gone, import and require still train without init()', () => {
  const embedded = join(dir, 'node_modules/wasmtorch/dist/wasm_bytes.js');
  const saved = readFileSync(embedded);
  rmSync(embedded);
  try {
    const esm = run('seed_noinit.mjs', `import * as torch from 'wasmtorch';${SEED_STEPS}`);
    const cjs = run('seed_noinit.cjs', `const torch = require('wasmtorch');${SEED_STEPS}`);
    assert.equal(esm.length, 5);
    assert.deepEqual(cjs, esm);
    const info = execFileSync(process.execPath, ['--input-type=module', '-e', "import * as torch from 'wasmtorch'; await torch.init(); console.log(JSON.stringify(torch.backendInfo()))"], { cwd: dir, encoding: 'utf8' });
    const got = JSON.parse(info);
    // Node 22+ validates relaxed SIMD, so init() takes that build there (Node 20 only behind a flag)
    const build = got.relaxedSimd ? 'wasmtorch-relaxed-threads.wasm' : 'wasmtorch-threads.wasm';
    assert.equal(got.wasmBytes, statSync(join(root, 'build', build)).size, `the shared-memory build ${build}, read from dist/`);
    assert.equal(got.threads, Math.min(availableParallelism(), 8), 'threads on every core');
  } finally {
    writeFileSync(embedded, saved);
  }
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
    npm(['install', '--no-audit', '--no-fund', '--offline', tgz], dir, 'ignore');
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

// ---- publint and Are the Types Wrong?, the checks npm users run on a dual-format package ----

type Exports = Record<string, unknown>;
const pkgOf = (packageDir: string) => JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

/** publint's messages (errors, warnings and suggestions, warnings counted as errors) for a tarball. */
async function publintProblems(tarball: string): Promise<string[]> {
  const bytes = readFileSync(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
    level: 'suggestion', strict: true,
  });
  return messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false })}`);
}

// The `exports` subpaths that are not JavaScript: the kernels as .wasm files, for
// require.resolve/import.meta.resolve, fetch() or a bundler's asset loader. TypeScript cannot
// resolve a `.wasm` specifier to declarations (there is no JS module to type: what an import of
// it yields depends on the host — workerd gives a WebAssembly.Module, Node an instance's
// exports, esbuild a URL), so attw would report NoResolution for them under every resolution.
// They are left out of attw and checked by the test after it instead.
const wasmSubpaths = (exportsMap: Exports) =>
  Object.entries(exportsMap).filter(([, v]) => typeof v === 'string' && v.endsWith('.wasm')).map(([k]) => k);

const RESOLUTIONS = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];
const attwBin = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
/** Runs the attw CLI on a tarball with the strict profile (all four resolutions); its stdout. */
function attwRun(tarball: string, exclude: string[], format: 'json' | 'ascii'): string {
  const args = [attwBin, tarball, '--format', format, '--profile', 'strict', '--no-color', '--no-emoji'];
  if (exclude.length) args.push('--exclude-entrypoints', ...exclude);
  // exit code 1 means "problems found": read them from stdout; anything else is a crash
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(r.status === 0 || r.status === 1, `attw exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
interface AttwResolution { resolution?: { fileName: string }; implementationResolution?: { fileName: string } }
interface AttwEntry { hasTypes: boolean; resolutions: Record<string, AttwResolution> }
interface AttwAnalysis {
  types: { kind: string };
  entrypoints: Record<string, AttwEntry>;
  problems: { kind: string; entrypoint?: string; resolutionKind?: string }[];
}
/** attw's problems for a tarball, one line each with its docs page, and what it checked. */
function attwProblems(tarball: string, exclude: string[]): { problems: string[]; analysis: AttwAnalysis } {
  const { analysis } = JSON.parse(attwRun(tarball, exclude, 'json')) as { analysis: AttwAnalysis };
  const problems = analysis.problems.map(({ kind, entrypoint, resolutionKind, ...rest }) =>
    `${kind}${entrypoint === undefined ? '' : ` for "${entrypoint}"`}${resolutionKind ? ` under ${resolutionKind}` : ''} ${JSON.stringify(rest)} ` +
    `(https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/${kind}.md)`);
  if (analysis.types.kind !== 'included') problems.push(`types are ${analysis.types.kind}, not included in the package`);
  return { problems, analysis };
}

test('publint: no error, warning or suggestion for the packed tarball', async () => {
  const problems = await publintProblems(tgz);
  assert.deepEqual(problems, [], `publint:\n${problems.join('\n')}`);
});

test('attw: every JS entry point resolves to types and JS under node10, node16 (CJS and ESM) and bundler', () => {
  const exportsMap: Exports = pkgOf(join(dir, 'node_modules/wasmtorch')).exports;
  const skipped = wasmSubpaths(exportsMap);
  assert.ok(skipped.includes('./wasm') && skipped.includes('./wasmtorch.wasm'), `${skipped}`);
  const { problems, analysis } = attwProblems(tgz, skipped);
  if (problems.length) assert.fail(`attw:\n${problems.join('\n')}\n${attwRun(tgz, skipped, 'ascii')}`);
  // every other subpath of `exports` was checked, each under all four resolutions
  assert.deepEqual(Object.keys(analysis.entrypoints).sort(), Object.keys(exportsMap).filter((k) => !skipped.includes(k)).sort());
  for (const [subpath, entry] of Object.entries(analysis.entrypoints)) {
    assert.deepEqual(Object.keys(entry.resolutions).sort(), [...RESOLUTIONS].sort(), subpath);
    for (const kind of RESOLUTIONS) assert.ok(entry.resolutions[kind].resolution?.fileName, `${subpath} resolves under ${kind}`);
  }
  assert.equal(analysis.entrypoints['.'].hasTypes, true);
  for (const kind of RESOLUTIONS) {
    const { resolution, implementationResolution } = analysis.entrypoints['.'].resolutions[kind];
    assert.match(resolution!.fileName, /\/dist\/types\/index\.d\.c?ts$/, kind);
    assert.match(implementationResolution!.fileName, /\/dist\/index\.c?js$/, kind);
  }
});

test('the .wasm subpaths (not JS, so attw skips them) resolve under require and import to the kernels', () => {
  const installed = join(dir, 'node_modules/wasmtorch');
  const subpaths = wasmSubpaths(pkgOf(installed).exports);
  const specifiers = JSON.stringify(subpaths.map((s) => `wasmtorch/${s.slice(2)}`));
  const viaRequire: string[] = JSON.parse(execFileSync(process.execPath,
    ['-e', `console.log(JSON.stringify(${specifiers}.map((s) => require.resolve(s))))`], { cwd: dir, encoding: 'utf8' }));
  const viaImport: string[] = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e',
    `import { fileURLToPath } from 'node:url'; console.log(JSON.stringify(${specifiers}.map((s) => fileURLToPath(import.meta.resolve(s)))))`],
  { cwd: dir, encoding: 'utf8' }));
  assert.deepEqual(viaImport, viaRequire);
  for (const [i, file] of viaRequire.entries()) {
    const bytes = readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 8)], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], `${subpaths[i]} is a WebAssembly binary`);
    // byte for byte the kernels the build compiled (build/wasmtorch.wasm, build/wasmtorch-relaxed.wasm)
    assert.ok(bytes.equals(readFileSync(join(root, 'build', file.split(/[\\/]/).pop()!))), `${subpaths[i]} is the built kernels`);
  }
});

/** Each leaf of a conditional `exports` target: the conditions leading to it, its types and its JS file. */
function leaves(node: unknown, conditions: string[] = []): { conditions: string[]; types?: string; js: string }[] {
  if (typeof node === 'string') return [{ conditions, js: node }];
  const o = node as Record<string, unknown>;
  if (typeof o.default === 'string' && Object.keys(o).every((k) => k === 'types' || k === 'default')) {
    return [{ conditions, types: o.types as string | undefined, js: o.default }];
  }
  return Object.entries(o).flatMap(([k, v]) => leaves(v, [...conditions, k]));
}
/** The value names a declaration file exports, as the TypeScript checker sees them. */
const declared = new Map<string, string[]>();
function declaredValues(file: string): string[] {
  if (declared.has(file)) return declared.get(file)!;
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const names = checker.getExportsOfModule(moduleSymbol).filter((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return (target.flags & ts.SymbolFlags.Value) !== 0;
  }).map((s) => s.name).sort();
  declared.set(file, names);
  return names;
}
/** The names a JS file exports: esbuild's static analysis for ESM (workerd.js imports a .wasm module
 * Node cannot load), what `require` returns for CommonJS. */
async function exportedNames(file: string): Promise<string[]> {
  if (file.endsWith('.cjs')) {
    return JSON.parse(execFileSync(process.execPath, ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(file)}))))`],
      { cwd: dir, encoding: 'utf8' })).sort();
  }
  const { metafile } = await build({ entryPoints: [file], bundle: false, write: false, metafile: true, format: 'esm',
    outdir: join(dir, 'unused'), logLevel: 'silent' });
  return Object.values(metafile.outputs)[0].exports.slice().sort();
}

test('each export condition: TypeScript picks its declarations, which declare exactly what its JS file exports', async () => {
  const installed = join(dir, 'node_modules/wasmtorch');
  const found = leaves(pkgOf(installed).exports['.']);
  assert.equal(found.length, 8, JSON.stringify(found));
  const tsExtra = new Set(['types', 'node', 'import', 'require', 'default']);
  for (const { conditions, types, js } of found) {
    const where = conditions.join(' → ');
    assert.ok(types, `${where}: no types`);
    const cjs = js.endsWith('.cjs');
    assert.equal(types.endsWith('.d.cts'), cjs, `${where}: ${types} and ${js} are one module format`);
    assert.deepEqual(declaredValues(join(installed, types)), await exportedNames(join(installed, js)), `${where}: ${types} vs ${js}`);
    // TypeScript adds `import` or `require` to every resolution: a bare `default` is for other tools only
    if (conditions.length === 1 && conditions[0] === 'default') continue;
    const options: ts.CompilerOptions = conditions.includes('node')
      ? { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext }
      : { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler,
        customConditions: conditions.filter((c) => !tsExtra.has(c)) };
    const from = join(dir, cjs ? 'use.cts' : 'use.mts');
    const resolved = ts.resolveModuleName('wasmtorch', from, options, ts.sys, undefined, undefined,
      cjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext).resolvedModule;
    assert.equal(resolved?.resolvedFileName, join(installed, types), `${where}: TypeScript resolves 'wasmtorch' to its types`);
  }
});

test('the checks above catch a broken package: a wrong types path fails publint and attw', async () => {
  // a copy of the package whose ESM types point at a file that is not there
  const broken = join(dir, 'broken');
  mkdirSync(broken, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', broken]);
  const pkg = pkgOf(join(broken, 'package'));
  pkg.exports['.'].import.types = './dist/types/index.d.mts';
  pkg.types = './dist/types/missing.d.cts';
  writeFileSync(join(broken, 'package/package.json'), JSON.stringify(pkg, null, 2));
  const brokenTgz = join(broken, 'broken.tgz');
  execFileSync('tar', ['czf', brokenTgz, '-C', broken, 'package']);
  const lint = await publintProblems(brokenTgz);
  assert.ok(lint.some((m) => m.includes('FILE_DOES_NOT_EXIST') && m.includes('index.d.mts')), lint.join('\n'));
  assert.ok(lint.some((m) => m.includes('FILE_DOES_NOT_EXIST') && m.includes('missing.d.cts')), lint.join('\n'));
  const { problems } = attwProblems(brokenTgz, wasmSubpaths(pkg.exports));
  assert.ok(problems.some((p) => p.includes('under node10')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('under bundler')), problems.join('\n'));
});
