// The Chromium headless shell that the devDependency @sparticuz/chromium carries in its tarball
// (Linux x64 only), unpacked by us rather than by its executablePath(): that one writes fixed
// names under /tmp (parallel test processes race, `spawn ETXTBSY`) and unpacks the bundled NSS
// libraries only on AWS/Vercel. Here each process unpacks into its own temporary folder and
// renames it into a cache folder keyed by package version, so whoever renames first wins and
// nobody ever sees a half-written browser.
import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

export interface NpmChromium {
  executable: string;
  version: string; // of the npm package
  libDir: string; // bundled NSS/NSPR/expat, for LD_LIBRARY_PATH
  fontConfig: string; // for FONTCONFIG_FILE
}

const pkgName = '@sparticuz/chromium';

/** The package's folder, or undefined when it is not installed (e.g. `npm ci --omit=dev`). */
function packageRoot(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    // Its `exports` hide package.json; its CommonJS entry is build/cjs/index.cjs.
    return join(dirname(require.resolve(pkgName)), '..', '..');
  } catch {
    return undefined;
  }
}

type Extract = (cwd: string, opts: { chown: boolean }) => NodeJS.WritableStream;

/** tar-fs is the package's own dependency: resolve it from there, not from wherever npm hoists it. */
function tarExtract(root: string): Extract {
  const require = createRequire(join(root, 'package.json'));
  return (require('tar-fs') as { extract: Extract }).extract;
}

/** Unpack (once per version and user) and return the browser, or undefined without the package. */
export async function unpackNpmChromium(cacheRoot = tmpdir()): Promise<NpmChromium | undefined> {
  const root = packageRoot();
  if (!root) return undefined;
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const uid = process.getuid?.() ?? 0; // per user: another user's folder in a shared /tmp is not ours to run
  const name = `wasmtorch-chromium-${version}-${uid}`;
  const dir = join(cacheRoot, name);
  if (!ready(dir, uid)) {
    await dropStalePartials(cacheRoot, `${name}.partial-`);
    const partial = await mkdtemp(join(cacheRoot, `${name}.partial-`));
    try {
      await unpackInto(root, partial, dir);
      await rename(partial, dir); // atomic; fails with ENOTEMPTY/EEXIST if another process won
    } catch (e) {
      await rm(partial, { recursive: true, force: true });
      if (ready(dir, uid)) return npmChromium(dir, version); // another process renamed first
      if (existsSync(dir)) throw new Error(`${dir} exists without a browser in it; remove it`, { cause: e });
      throw e;
    }
  }
  return npmChromium(dir, version);
}

function npmChromium(dir: string, version: string): NpmChromium {
  return {
    executable: join(dir, 'chromium'),
    version,
    libDir: join(dir, 'lib'),
    fontConfig: join(dir, 'fonts.conf'),
  };
}

/** The folder appears only by rename, so its existence means complete. */
function ready(dir: string, uid: number): boolean {
  if (!existsSync(join(dir, 'chromium'))) return false;
  if (statSync(dir).uid !== uid) throw new Error(`${dir} belongs to another user; remove it`);
  return true;
}

async function unpackInto(root: string, into: string, finalDir: string): Promise<void> {
  const bin = join(root, 'bin');
  const extract = tarExtract(root);
  const untar = (file: string): Promise<void> =>
    pipeline(createReadStream(join(bin, file)), createBrotliDecompress(), extract(into, { chown: false }));
  await Promise.all([
    pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(join(into, 'chromium'), { mode: 0o755 })),
    untar('al2023.tar.br'), // lib/: libnss3, libnspr4, libexpat, … for LD_LIBRARY_PATH
    untar('swiftshader.tar.br'), // libEGL/libGLESv2 beside the binary, where Chromium looks for them
    untar('fonts.tar.br'), // fonts/Open_Sans; its fonts.conf names /tmp/fonts, replaced below
  ]);
  // Paths as they will be after the rename; fontconfig's cache stays inside our folder.
  await writeFile(join(into, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${xml(join(finalDir, 'fonts'))}</dir>
  <cachedir>${xml(join(finalDir, 'fontconfig-cache'))}</cachedir>
</fontconfig>
`);
}

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A process killed mid-unpack leaves ~200 MB behind; anything older than an hour is dead. */
async function dropStalePartials(cacheRoot: string, prefix: string): Promise<void> {
  for (const entry of await readdir(cacheRoot)) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(cacheRoot, entry);
    const s = await stat(path).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > 3600_000) await rm(path, { recursive: true, force: true });
  }
}
