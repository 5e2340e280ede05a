// The README's main job: examples/seed.ts runs as a user runs it and its loss falls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('examples/seed.ts (the program of API.md) trains and prints a falling loss', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/seed.ts'], { cwd: root, encoding: 'utf8' });
  const losses = [...out.matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
  assert.equal(losses.length, 11, out);
  assert.ok(losses[10] < losses[0], `loss fell: ${losses[0]} → ${losses[10]}`);
  assert.match(out, /\(0\): Linear\(in_features=10, out_features=20, bias=True\)/);
});
