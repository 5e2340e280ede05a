// The package build: ESM and CommonJS bundles (kernels embedded), the .wasm file for
// `wasmtorch/wasm`, and TypeScript declarations. Run after `npm run asbuild` (npm run build).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseCli } from './args.mjs';

parseCli('node scripts/build.mjs'); // takes no arguments: refuse any before deleting dist/

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
// whitespace and syntax minified, names kept: stack traces and class names (module repr) stay readable
const common = { entryPoints: ['src/index.ts'], bundle: true, platform: 'neutral', target: 'es2022', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true,
  // methods.ts imports the op families bare for the declaration files; the bundle has them anyway
  logOverride: { 'ignored-bare-import': 'silent' } };
// The embedded kernels stay a file of their own (dist/wasm_bytes.js), imported by init() only where
// no .wasm file can be read (src/runtime/wasm_embedded.ts): Node's import never parses them.
const bytesApart = { name: 'bytes-apart', setup(b) { b.onResolve({ filter: /wasm_bytes\.js$/ }, () => ({ path: './wasm_bytes.js', external: true })); } };
await build({ ...common, format: 'esm', outfile: 'dist/index.js', plugins: [bytesApart] });
// CommonJS: import.meta is empty (src/runtime/wasm.ts then finds the .wasm through __filename)
await build({ ...common, format: 'cjs', outfile: 'dist/index.cjs', plugins: [bytesApart], logOverride: { ...common.logOverride, 'empty-import-meta': 'silent' } });
await build({ ...common, entryPoints: ['src/runtime/wasm_bytes.ts'], format: 'esm', outfile: 'dist/wasm_bytes.js' });
// workerd: the .wasm stays a separate module beside the bundle
const wasmBeside = { name: 'wasm-beside', setup(b) { b.onResolve({ filter: /\.wasm$/ }, () => ({ path: './wasmtorch.wasm', external: true })); } };
// ...and no embedded bytes: workerd with Node compatibility reports process.versions.node, and
// the kernels must still come from the module (and 200 KB of base64 would be dead weight)
const noEmbedded = { name: 'no-embedded', setup(b) {
  b.onResolve({ filter: /wasm_embedded\.js$/ }, () => ({ path: 'wasm_embedded', namespace: 'no-embedded' }));
  b.onLoad({ filter: /.*/, namespace: 'no-embedded' }, () => ({ contents: "export const EMBEDDED = false; export async function embeddedBase64() { return { simd: '', relaxed: '' }; }", loader: 'js' }));
} };
await build({ ...common, entryPoints: ['src/entries/workerd.ts'], format: 'esm', outfile: 'dist/workerd.js', plugins: [wasmBeside, noEmbedded] });
copyFileSync('build/wasmtorch.wasm', 'dist/wasmtorch.wasm');
for (const f of ['wasmtorch-relaxed.wasm', 'wasmtorch-threads.wasm', 'wasmtorch-relaxed-threads.wasm']) copyFileSync(`build/${f}`, `dist/${f}`);
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
// CommonJS consumers get the same declarations as .d.cts, importing each other as .cjs
for (const f of readdirSync('dist/types', { recursive: true })) {
  if (!String(f).endsWith('.d.ts')) continue;
  const src = join('dist/types', String(f));
  writeFileSync(src.replace(/\.d\.ts$/, '.d.cts'), readFileSync(src, 'utf8').replace(/(from\s+'\.{1,2}\/[^']*)\.js'/g, "$1.cjs'").replace(/(import\('\.{1,2}\/[^']*)\.js'/g, "$1.cjs'")
    // the op families' method declarations: their bare imports and their '../tensor.js' augmentations
    .replace(/(import\s+'\.{1,2}\/[^']*)\.js'/g, "$1.cjs'")
    .replace(/(declare module\s+'\.{1,2}\/[^']*)\.js'/g, "$1.cjs'"));
}

// The demo page: a consumer of the package, bundled by esbuild for the browser.
for (const name of ['main', 'worker']) {
  await build({ entryPoints: [`examples/web/${name}.ts`], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    outfile: `examples/web/dist/${name}.js`, logLevel: 'warning' });
}
