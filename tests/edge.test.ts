// The runtimes users deploy to, each a real one from npm, each training the seed model from the
// built package with Node's numbers: Bun (npm `bun`), Vercel's Edge runtime (npm `edge-runtime`,
// the runtime `vercel dev` runs edge functions in) and a Cloudflare Worker bundled by wrangler
// (`wrangler deploy --dry-run`) and served by workerd. Vercel and Cloudflare get the package as
// users do: `npm pack`, installed into a project. Offline: nothing here phones home (wrangler's
// metrics, error reports and update check are off, Bun's crash reports and auto-install too).
// Run after `npm run build`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runInContext } from 'node:vm';
import { build, type Plugin } from 'esbuild';
import { EdgeRuntime, runServer } from 'edge-runtime';
import { assertSameAsNode, type SeedRun } from './runtimes/compare.js';
import { fetchFromWorkerd, compatibilityDate } from './runtimes/workerd.js';

// backendInfo().wasmBytes is 0 when the kernels came in as a compiled module (init({ module }))
type Run = SeedRun & { info: { wasmBytes: number } };

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string): string => join(root, 'tests/runtimes', name);
const kernels = readFileSync(join(root, 'dist/wasmtorch.wasm'));

// The consumer project: the packed package installed offline, as package.test.ts does.
let dir = '';
const npmCli = process.env.npm_execpath;
const npm = (args: string[], cwd: string): string => npmCli
  ? execFileSync(process.execPath, [npmCli, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  : execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasmtorch-edge-'));
  const tgz = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root))[0].filename;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--offline', join(dir, tgz)], dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Bun's executable. The `bun` package's postinstall replaces its placeholder bin/bun.exe with the
 * binary of the matching @oven/bun-<os>-<arch> package (the -baseline build on x64 CPUs without
 * AVX2); npm 11 runs a dependency's install script only once approved, so after a plain `npm ci`
 * the placeholder stays and the binary is still in the platform package.
 */
function bunBinary(modules = join(root, 'node_modules')): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'arm64' ? 'aarch64' : process.arch;
  const avx2 = process.platform !== 'linux' || process.arch !== 'x64' || /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  const builds = (avx2 ? [`bun-${os}-${arch}`] : []).concat(`bun-${os}-${arch}-baseline`);
  const candidates = [join(modules, 'bun/bin/bun.exe'),
    ...builds.map((b) => join(modules, '@oven', b, 'bin', process.platform === 'win32' ? 'bun.exe' : 'bun'))];
  const found = candidates.find((p) => existsSync(p) && statSync(p).size > 1_000_000); // not the placeholder
  if (!found) {
    throw new Error(`no Bun binary in ${candidates.join(', ')}` + (avx2 ? ''
      : ' (this CPU lacks AVX2, so Bun needs @oven/bun-linux-x64-baseline, which `bun` does not list as an optional dependency)'));
  }
  return found;
}

test('Bun imports the package by name (its node entry) and trains the seed model like Node', () => {
  const out = execFileSync(bunBinary(), ['--no-install', '--no-env-file', fixture('bun_main.js')], {
    cwd: root, encoding: 'utf8', env: { ...process.env, DO_NOT_TRACK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' },
  });
  const r = JSON.parse(out) as SeedRun & { resolved: string; bun: string };
  assert.equal(r.resolved, pathToFileURL(join(root, 'dist/index.js')).href, 'wasmtorch resolves to the ESM entry');
  assert.match(r.bun, /^1\.\d+\.\d+/);
  assertSameAsNode(r, `bun ${r.bun}`);
});

/**
 * What `vercel dev` (@vercel/node's edge handler) does with `import x from './file.wasm?module'`:
 * the import becomes a global binding named after the file's SHA-1, and the runtime's context
 * gets the WebAssembly.Module compiled outside under that name (Next.js's edge sandbox does the
 * same with its manifest's wasm bindings). The function never sees the bytes.
 */
function vercelWasm(): { plugin: Plugin; files: Map<string, string> } {
  const files = new Map<string, string>();
  const plugin: Plugin = {
    name: 'vercel-wasm',
    setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/ }, async (args) => {
        const r = await b.resolve(args.path.replace(/\?module$/, ''), { importer: args.importer, resolveDir: args.resolveDir, kind: args.kind });
        if (r.errors.length) return { errors: r.errors };
        const name = `wasm_${createHash('sha1').update(readFileSync(r.path)).digest('hex')}`;
        files.set(name, r.path);
        return { path: name, namespace: 'vercel-wasm' };
      });
      b.onLoad({ filter: /.*/, namespace: 'vercel-wasm' }, (args) => ({ contents: `export default globalThis[${JSON.stringify(args.path)}];`, loader: 'js' }));
    },
  };
  return { plugin, files };
}

// Counts, inside the runtime, every WebAssembly compilation from bytes (compile, instantiate of
// bytes, new Module); instantiating a module passed in is not one.
const countByteCompiles = `{
  const W = WebAssembly, seen = globalThis.__byteCompiles = [];
  const isModule = (x) => Object.prototype.toString.call(x) === '[object WebAssembly.Module]';
  for (const k of ['compile', 'instantiate']) {
    const f = W[k];
    W[k] = function (x, ...rest) { if (!isModule(x)) seen.push(k); return f.call(this, x, ...rest); };
  }
  W.Module = new Proxy(W.Module, { construct(t, args, nt) { seen.push('Module'); return Reflect.construct(t, args, nt); } });
}`;
const wasmHeader = 'new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])';

test('Vercel Edge: a function bundled as Vercel bundles it runs in edge-runtime on init({ module }) and answers like Node', async () => {
  mkdirSync(join(dir, 'api'));
  copyFileSync(fixture('edge_function.js'), join(dir, 'api/train.js'));
  copyFileSync(fixture('seed_steps.js'), join(dir, 'api/seed_steps.js'));
  // Vercel's bundling: the edge conditions, a browser platform, CommonJS evaluated as a script
  const wasm = vercelWasm();
  const result = await build({ entryPoints: [join(dir, 'api/train.js')], absWorkingDir: dir, bundle: true, write: false,
    format: 'cjs', platform: 'browser', conditions: ['edge-light', 'worker', 'browser'], target: 'es2022',
    metafile: true, plugins: [wasm.plugin], logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  // the browser entry, and the embedded kernels it imports on demand (init() without a module)
  assert.deepEqual(inputs.filter((p) => p.startsWith('node_modules/')).sort(), ['node_modules/wasmtorch/dist/index.js', 'node_modules/wasmtorch/dist/wasm_bytes.js'], 'the browser entry');
  assert.deepEqual([...wasm.files.values()], [join(dir, 'node_modules/wasmtorch/dist/wasmtorch.wasm')], 'the ?module import');
  // @vercel/node's edge handler: the CommonJS bundle, then a fetch listener calling its default export
  const initialCode = `${result.outputFiles[0].text}
addEventListener('fetch', (event) => event.respondWith(module.exports.default(event.request, event)));`;
  const bindings: Record<string, WebAssembly.Module> = {};
  for (const [name, file] of wasm.files) bindings[name] = await WebAssembly.compile(readFileSync(file));
  const runtime = (wasmCodeGeneration: boolean) => new EdgeRuntime({
    initialCode,
    codeGeneration: { strings: false, wasm: wasmCodeGeneration },
    extend: (context) => {
      runInContext(countByteCompiles, context);
      return Object.assign(context, { module: {}, process: { env: {} }, ...bindings });
    },
  });

  // edge-runtime as `vercel dev` runs it lets code compile bytes (Vercel's deployed Edge does
  // not): the function still takes the module path, compiling nothing itself
  const dev = runtime(true);
  const server = await runServer({ runtime: dev, host: '127.0.0.1' });
  let body: Run;
  try {
    const res = await fetch(server.url);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'application/json');
    body = await res.json() as Run;
  } finally {
    await server.close();
  }
  assert.equal(dev.evaluate('JSON.stringify(__byteCompiles)'), '[]', 'init({ module }) compiled no bytes');
  await dev.evaluate(`WebAssembly.compile(${wasmHeader})`);
  assert.equal(dev.evaluate('JSON.stringify(__byteCompiles)'), '["compile"]', 'edge-runtime allows compiling bytes, and the count sees it');
  assert.equal(body.info.wasmBytes, 0, 'the kernels came in as a module');
  assertSameAsNode(body, 'edge-runtime');

  // with compiling bytes refused, as on Vercel's Edge, the same function gives the same answer
  const deployed = runtime(false);
  await assert.rejects(deployed.evaluate(`WebAssembly.compile(${wasmHeader})`), /disallowed/);
  const res = await deployed.dispatchFetch('https://example.vercel.app/api/train');
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(await res.text()), body);
});

test('Cloudflare: wrangler bundles a worker importing the package (its workerd entry, the .wasm a module of its own) and workerd serves it like Node', async () => {
  mkdirSync(join(dir, 'src'));
  copyFileSync(fixture('wrangler_worker.js'), join(dir, 'src/worker.js'));
  copyFileSync(fixture('seed_steps.js'), join(dir, 'src/seed_steps.js'));
  writeFileSync(join(dir, 'wrangler.jsonc'), JSON.stringify({ name: 'wasmtorch-seed', main: 'src/worker.js', compatibility_date: compatibilityDate }, null, 2));
  execFileSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', 'out', '--metafile'], {
    cwd: dir, encoding: 'utf8', stdio: 'pipe', env: {
      ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true',
      WRANGLER_LOG_PATH: join(dir, 'wrangler-logs'), XDG_CONFIG_HOME: join(dir, 'config'),
    },
  });
  const out = join(dir, 'out');
  const meta = JSON.parse(readFileSync(join(out, 'bundle-meta.json'), 'utf8'));
  assert.deepEqual(Object.keys(meta.inputs).filter((p) => p.startsWith('node_modules/')), ['node_modules/wasmtorch/dist/workerd.js'], 'the workerd entry');
  const wasmFiles = readdirSync(out).filter((f) => f.endsWith('.wasm'));
  assert.equal(wasmFiles.length, 1, `one .wasm module: ${readdirSync(out)}`);
  assert.deepEqual(meta.outputs['out/worker.js'].imports, [{ path: `./${wasmFiles[0]}`, kind: 'import-statement', external: true }]);
  assert.ok(readFileSync(join(out, wasmFiles[0])).equals(kernels), 'the module is dist/wasmtorch.wasm');

  // the upload as workerd runs it: the bundle and its .wasm module under the names wrangler gave
  const body = await fetchFromWorkerd(out, [
    { name: 'worker.js', file: 'worker.js', kind: 'esModule' },
    { name: wasmFiles[0], file: wasmFiles[0], kind: 'wasm' },
  ]);
  const r = JSON.parse(body) as Run;
  assert.equal(r.info.wasmBytes, 0, 'the kernels came from the .wasm module');
  assertSameAsNode(r, 'wrangler + workerd');
});
