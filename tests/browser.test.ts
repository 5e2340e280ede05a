// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): the built package
// trains the seed model on the main thread, in a module Web Worker and in a cross-origin-
// isolated page, under a Content-Security-Policy that allows only 'wasm-unsafe-eval', and the
// numbers equal Node's. Run after `npm run build`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import * as torch from '../src/index.js';
// @ts-expect-error: plain JS shared with the other runtimes
import { seedLosses } from './runtimes/seed_steps.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.wasm': 'application/wasm', '.gz': 'application/gzip' };
const node = seedLosses(torch) as { losses: number[]; prediction: number };
let server: Server, base = '', context: BrowserContext, profile = '';

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404).end(); return; }
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'",
    };
    if (url.searchParams.get('isolated') === '1' || req.headers.referer?.includes('isolated=1')) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  profile = mkdtempSync(join(tmpdir(), 'wasmtorch-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await context?.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(profile, { recursive: true, force: true });
});

async function runPage(query: string): Promise<{ losses: number[]; prediction: number; isolated: boolean; error?: string }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${base}/tests/runtimes/page.html?${query}`);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, null, { timeout: 30000 });
  const r = await page.evaluate(() => (window as unknown as { __result: unknown }).__result) as { losses: number[]; prediction: number; isolated: boolean; error?: string };
  await page.close();
  assert.equal(r.error, undefined, `${query}: ${r.error} ${errors.join('\n')}`);
  return r;
}

function check(r: { losses: number[]; prediction: number }, where: string): void {
  assert.ok(r.losses[4] < r.losses[0], `${where}: loss falls`);
  assert.deepEqual(r.losses, node.losses, `${where}: losses equal Node's`);
  assert.equal(r.prediction, node.prediction, `${where}: prediction equals Node's`);
}

test('Chromium main thread', async () => check(await runPage('where=main'), 'main thread'));
test('Chromium module Web Worker', async () => check(await runPage('where=worker'), 'worker'));
test('Chromium cross-origin-isolated page (COOP/COEP)', async () => {
  const r = await runPage('where=main&isolated=1');
  assert.equal(r.isolated, true);
  check(r, 'isolated page');
});
