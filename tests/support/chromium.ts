// A headless Chromium for the browser tests, so that `npm ci && npm test` runs them on a fresh
// machine. Lookup order: WASMTORCH_CHROMIUM (an executable), a system Chromium/Chrome, then the
// headless shell shipped by the devDependency @sparticuz/chromium (Linux x64).
// WASMTORCH_BROWSER=npm skips the system lookup (CI sets it to prove the npm path).
//
//   const browser = await launchChromium();
//   const skip = 'skip' in browser ? browser.skip : false;   // test(name, { skip }, …)
//   after(() => 'skip' in browser ? undefined : browser.close());
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { unpackNpmChromium } from './npm-chromium.js';

/** With these flags COOP/COEP pages are crossOriginIsolated (the npm package's suggested ones are not). */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface FoundChromium {
  executable: string;
  source: string; // 'WASMTORCH_CHROMIUM', 'system' or '@sparticuz/chromium@<version>'
  env?: Record<string, string>; // the browser's whole environment, when it needs more than ours
}

export interface LaunchedChromium {
  context: BrowserContext;
  profile: string; // the persistent context's folder, removed by close(); fine for scratch files
  executable: string;
  source: string;
  version: string; // as the browser reports it
  close(): Promise<void>;
}

export interface Skip { skip: string }

/** What to look at; tests inject these, everyone else takes the defaults. */
export interface Where {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
}

const systemNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export async function findChromium(where: Where = {}): Promise<FoundChromium | Skip> {
  const { env = process.env, platform = process.platform, arch = process.arch } = where;
  const named = env.WASMTORCH_CHROMIUM;
  if (named) {
    // Asked for by name: a wrong path is an error, not a reason to skip.
    if (!isExecutable(named)) throw new Error(`WASMTORCH_CHROMIUM=${named} is not an executable file`);
    return { executable: named, source: 'WASMTORCH_CHROMIUM' };
  }
  const mode = env.WASMTORCH_BROWSER ?? '';
  if (mode !== '' && mode !== 'npm') throw new Error(`WASMTORCH_BROWSER=${mode}: the only value known is 'npm'`);
  if (mode !== 'npm') {
    const system = onPath(env.PATH);
    if (system) return { executable: system, source: 'system' };
  }
  const unsupported = platform === 'linux' && arch === 'x64' ? undefined : `its Chromium is Linux x64 only, this is ${platform} ${arch}`;
  const npm = unsupported ? undefined : await unpackNpmChromium();
  if (npm) {
    return {
      executable: npm.executable,
      source: `@sparticuz/chromium@${npm.version}`,
      env: {
        ...defined(env),
        LD_LIBRARY_PATH: [npm.libDir, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
        FONTCONFIG_FILE: npm.fontConfig,
      },
    };
  }
  const why = `@sparticuz/chromium: ${unsupported ?? 'not installed'}`;
  // CI asked for the npm browser: skipping would hide that it is missing.
  if (mode === 'npm') throw new Error(`WASMTORCH_BROWSER=npm, but ${why}`);
  return { skip: `no Chromium (none on PATH; ${why}); set WASMTORCH_CHROMIUM=/path/to/chrome to run these` };
}

/** Launch a persistent headless context on a fresh profile, or say why there is no browser. */
export async function launchChromium(where: Where = {}): Promise<LaunchedChromium | Skip> {
  const found = await findChromium(where);
  if ('skip' in found) return found;
  const profile = await mkdtemp(join(tmpdir(), 'wasmtorch-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: found.executable, headless: true, args: chromiumArgs,
      // Under LANG=C or no LANG (CI, env -i) the headless shell reports navigator.language
      // 'en-US@posix', which Intl.NumberFormat rejects (uPlot throws on load); fix it for all.
      locale: 'en-US',
      env: found.env ?? (where.env && defined(where.env)),
    });
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    context, profile, executable: found.executable, source: found.source,
    version: context.browser()?.version() ?? 'unknown version',
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

function onPath(path: string | undefined): string | undefined {
  const dirs = [...(path ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  for (const name of systemNames) {
    for (const dir of dirs) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function defined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
