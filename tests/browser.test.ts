// Headless Chromium (found by tests/support/chromium.ts: WASMTORCH_CHROMIUM, a system one, or the
// headless shell from the devDependency @sparticuz/chromium; driven by playwright-core): the
// built package trains the seed model on the main thread, in a module Web Worker and in a
// cross-origin-isolated page, under a Content-Security-Policy that allows only
// 'wasm-unsafe-eval', and the numbers equal Node's. Run after `npm run build`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
// @ts-expect-error: plain JS script
import { startServer } from '../scripts/serve.mjs';
import { assertSameAsNode, type SeedRun } from './runtimes/compare.js';
import { launchChromium, type LaunchedChromium } from './support/chromium.js';

const browser = await launchChromium();
const skip = 'skip' in browser ? browser.skip : false;
if ('skip' in browser) console.log(`# browser: none; ${browser.skip}`);
else console.log(`# browser: ${browser.source} ${browser.version}`);

let server: Server, base = '';

before(async () => {
  if (!skip) ({ server, url: base } = await startServer());
});

after(async () => {
  if ('skip' in browser) return;
  await browser.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** The launched browser; only called from tests that are not skipped. */
function chrome(): LaunchedChromium {
  assert.ok(!('skip' in browser));
  return browser;
}

async function runPage(query: string): Promise<{ losses: number[]; prediction: number; isolated: boolean; info: { relaxedSimd: boolean }; error?: string }> {
  const page = await chrome().context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/tests/runtimes/page.html?${query}`);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 30000 });
  const r = await page.evaluate(() => (window as unknown as { __result: unknown }).__result) as { losses: number[]; prediction: number; isolated: boolean; info: { relaxedSimd: boolean }; error?: string };
  await page.close();
  assert.equal(r.error, undefined, `${query}: ${r.error} ${errors.join('\n')}`);
  return r;
}

function check(r: SeedRun, where: string): void {
  assert.equal(r.info.relaxedSimd, true, `${where}: Chromium runs the relaxed-SIMD build`);
  assertSameAsNode(r, where);
}

test('Chromium main thread', { skip }, async () => check(await runPage('where=main'), 'main thread'));
test('Chromium with init({ url }) fetching the SIMD build: the numbers equal Node\'s bit for bit', { skip }, async () => {
  const r = await runPage('where=main&init=url');
  assert.equal(r.info.relaxedSimd, false);
  assertSameAsNode(r, 'init({ url })'); // same build as Node 20: bit for bit
});
test('Chromium module Web Worker', { skip }, async () => check(await runPage('where=worker'), 'worker'));
test('Chromium cross-origin-isolated page (COOP/COEP)', { skip }, async () => {
  const r = await runPage('where=main&isolated=1');
  assert.equal(r.isolated, true);
  check(r, 'isolated page');
});
interface ThreadResult { count: number; cores: number; same: boolean; info: string }
test('Chromium cross-origin-isolated page: worker threads run products and elementwise ops, bit-identical to one thread', { skip }, async () => {
  const r = await runPage('where=main&isolated=1&threads=1') as unknown as SeedRun & { threads: ThreadResult };
  const t = r.threads;
  assert.equal(t.count, Math.min(t.cores, 8), `the default count is the cores (${t.cores}), at most 8`);
  if (t.count > 1) {
    assert.match(t.info, new RegExp(`worker threads: ${t.count - 1} started, ${t.count - 1} ready`), t.info);
    assert.match(t.info, /kernel calls split over threads: [1-9]/, t.info);
  }
  assert.equal(t.same, true, 'the same bits with one thread and with all');
  check(r, 'isolated page with threads');
});
test('Chromium page that is not cross-origin isolated: one thread, no error', { skip }, async () => {
  const r = await runPage('where=main&threads=1') as unknown as SeedRun & { threads: ThreadResult };
  assert.equal(r.threads.count, 1);
  assert.match(r.threads.info, /no shared memory here: one thread/);
  assert.equal(r.threads.same, true);
  check(r, 'page without isolation');
});
test('Chromium isolated page whose CSP forbids blob: workers: threads fall back to one, with no error', { skip }, async () => {
  const r = await runPage('where=main&isolated=1&strictcsp=1&threads=1') as unknown as SeedRun & { threads: ThreadResult };
  assert.match(r.threads.info, /0 ready/, r.threads.info);
  assert.equal(r.threads.same, true);
  check(r, 'isolated page, strict CSP');
});
