// What the table's header and the JSON file say about the run (Node only): the CPU, the load,
// the commit measured and the versions of the libraries, read from package.json files.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Machine } from './table.js';

/** The machine and versions, with `runtime` (`{ node: process.version }`, `{ chromium: … }`) after the cores. */
export function describeMachine<R extends Record<string, string>>(root: string, threads: number, runtime: R): Machine & R {
  // figures move with every commit to src/: the table names the one it measured
  const commit = (): string => {
    try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim(); } catch { return 'unknown'; }
  };
  const version = (pkg: string): string => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ...runtime,
    threads,
    wasmtorch: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string,
    commit: commit(),
    tfjs: version('@tensorflow/tfjs'),
    'tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
    'jax-js': version('@jax-js/jax'),
    benchmark: version('benchmark'),
    loadavg1: Number(loadavg()[0].toFixed(2)),
  };
}
