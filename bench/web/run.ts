// The benchmark suite in headless Chromium: bundles bench/web/entry.ts (esbuild, for the browser)
// into bench/web/dist/, serves the project (scripts/serve.mjs; ?isolated=1 gives the page COOP/COEP,
// so SharedArrayBuffer and wasmtorch's worker threads work), opens bench/web/index.html in
// tests/support/chromium.ts's browser, prints the page's console lines (progress, checks) on
// stderr and the same table as bench/run.ts, its header naming Chromium's version.
// Run: npm run bench:web [-- --filter SUBSTR] [--json FILE] [--quick] [--threads N]
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JS helper shared with scripts/*.mjs
import { parseCli } from '../../scripts/args.mjs';
// @ts-expect-error: plain JS module of the demo server
import { startServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../../tests/support/chromium.js';
import { describeMachine } from '../machine.js';
import { tableLines } from '../table.js';
import { SUITE_OPTIONS, suiteUsage, type SuiteArgs } from '../suite.js';
import type { PageResult } from './entry.js';

const args = parseCli(suiteUsage('bench/web/run.ts'), SUITE_OPTIONS) as SuiteArgs;

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

await build({
  entryPoints: [join(here, 'entry.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
  outfile: join(here, 'dist', 'entry.js'), logLevel: 'warning',
  // imported only inside the Node-only helpers (bench/lib.ts's timeProcess, the fresh-process case)
  external: ['node:*'],
  // src/methods.ts imports the op families bare for the declaration files (as in scripts/build.mjs)
  logOverride: { 'ignored-bare-import': 'silent' },
});

const browser = await launchChromium();
if ('skip' in browser) {
  process.stderr.write(`bench:web: ${browser.skip}\n`);
  process.exit(2);
}
// before the run, as bench/run.ts (the load average at start)
const machine = describeMachine(root, args.threads, { chromium: browser.version });
const { server, url } = await startServer() as { server: { close(): void }; url: string };
let result: PageResult;
try {
  const page = await browser.context.newPage();
  // benchmark.js compiles its timing loops from source (script elements, Function); the server's
  // Content-Security-Policy forbids that, so this page runs without it
  await (await browser.context.newCDPSession(page)).send('Page.setBypassCSP', { enabled: true });
  page.on('console', (m) => process.stderr.write(`${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  const q = new URLSearchParams({ isolated: '1', filter: args.filter, threads: String(args.threads), ...(args.quick ? { quick: '1' } : {}) });
  await page.goto(`${url}/bench/web/index.html?${q}`);
  await page.waitForFunction(() => 'benchSuite' in globalThis);
  result = await page.evaluate(() => (globalThis as { benchSuite?: Promise<PageResult> }).benchSuite!);
} finally {
  await browser.close();
  server.close();
}

if ('noMatch' in result) {
  process.stderr.write(`--filter '${args.filter}' matches no case; the cases are:\n${result.noMatch.map((n) => `  ${n}`).join('\n')}\n`);
  process.exit(2);
}
const { suite } = result;
for (const line of tableLines(machine, `Chromium ${browser.version} (${browser.source})`, suite)) console.log(line);
console.log(`in the page: crossOriginIsolated ${result.page.crossOriginIsolated}; TensorFlow.js on ${args.threads} thread${args.threads > 1 ? 's' : ''}; jax-js dispatches to its own pool of ${result.page.hardwareConcurrency} web workers`);
console.log(`wasmtorch after the run: ${String(result.page.parallelInfoAfter).replaceAll('\n', '; ')}`);

if (args.json) {
  const command = `npm run bench:web -- ${process.argv.slice(2).join(' ')}`.trim();
  writeFileSync(args.json, JSON.stringify({ date: new Date().toISOString(), command, machine, seconds: suite.seconds, results: suite.results, failed: suite.failed, page: result.page }, null, 2) + '\n');
  console.error(`wrote ${args.json}`);
}
if (suite.failed.length) process.exitCode = 1;
