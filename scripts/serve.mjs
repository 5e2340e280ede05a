// A static file server for the demo page and the browser tests, on localhost only.
// Serves the project folder; `?isolated=1` pages (and their subresources) get COOP/COEP.
// Run: npm run demo:web  (then open the printed address), or: node scripts/serve.mjs [--port N]
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './args.mjs';

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.css': 'text/css', '.wasm': 'application/wasm', '.gz': 'application/gzip', '.json': 'application/json' };
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Starts the server on 127.0.0.1 (port 0 = any free one); resolves to { server, url }. */
export function startServer(port = 0) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = normalize(join(ROOT, decodeURIComponent(url.pathname)));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(ROOT) || !existsSync(file)) { res.writeHead(404).end('not found'); return; }
    // wasmtorch's worker threads start from blob: URLs; ?strictcsp=1 pages forbid them (threads then fall back to one)
    const strict = url.searchParams.get('strictcsp') === '1' || req.headers.referer?.includes('strictcsp=1');
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'${strict ? '' : ' blob:'}; style-src 'self' 'unsafe-inline'`,
    };
    if (url.searchParams.get('isolated') === '1' || req.headers.referer?.includes('isolated=1')) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  // only as the main script: the tests import startServer and have their own arguments
  const { port } = parseCli('node scripts/serve.mjs [--port N (default $PORT or 8080)]', {
    port: { type: 'integer', default: Number(process.env.PORT ?? 8080), min: 0, max: 65535 },
  });
  const { url } = await startServer(port);
  console.log(`wasmtorch demo: ${url}/examples/web/  (Ctrl-C to stop)`);
}
