// Serving a worker in real workerd (npm `workerd`) and fetching its answer once: shared by the
// workerd test (the package's workerd entry) and the wrangler test (wrangler's bundle).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const workerdBin = fileURLToPath(new URL('../../node_modules/.bin/workerd', import.meta.url));

/** A current date: from 2026-08-04 on workerd reports process.versions.node (the workerd entry
 * embeds no bytes, so it still instantiates its .wasm module). */
export const compatibilityDate = '2026-11-01';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
  });
}

/** A module of the worker: an ES module or a .wasm file in `dir`, under the name imports use. */
export interface WorkerModule { name: string; file: string; kind: 'esModule' | 'wasm' }

/** Serves the modules in `dir` (the first is the main module), fetches `/` once and returns the body. */
export async function fetchFromWorkerd(dir: string, modules: WorkerModule[]): Promise<string> {
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
${modules.map((m) => `    (name = "${m.name}", ${m.kind} = embed "${m.file}"),`).join('\n')}
  ],
  compatibilityDate = "${compatibilityDate}",
);
`);
  const proc = spawn(workerdBin, ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  try {
    for (let i = 0; i < 100; i++) {
      try { return await (await fetch(`http://127.0.0.1:${port}/`)).text(); } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    throw new Error(`workerd did not answer: ${stderr}`);
  } finally {
    proc.kill();
  }
}
