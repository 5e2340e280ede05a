// The caching allocator (issue 8): freed blocks wait in JavaScript free lists keyed by TLSF's size
// class, and the next request of that class takes one without a call into WebAssembly.
// torch.memory().cachedBytes counts them (PyTorch: memory_reserved - memory_allocated),
// torch.emptyCache() returns them to TLSF (PyTorch: torch.cuda.empty_cache). Checked here: a block
// is reused and never handed out twice, only the last reference caches it, scratch blocks stay
// out, the limits (maxMemoryMB, TLSF having to grow memory) empty the cache before they refuse,
// and a training loop keeps every figure flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { scratchBlocks, setCacheLimit } from '../src/runtime/storage.js';
import { K } from '../src/runtime/wasm.js';
import { throwsClean } from './support/throws.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** TLSF's payload for a request of n bytes (16-byte aligned after a 4-byte header): what a cached block holds. */
const capacity = (n: number): number => ((Math.max(n, 4) + 19) & ~15) - 4;

/** Runs `body` (with `torch` imported) in a fresh process, whose heap holds nothing yet; returns what it prints as JSON. */
function fresh<T>(body: string): T {
  const code = `import * as torch from './src/index.ts';\n${body}`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' })) as T;
}

test('a disposed block is cached and the next request of its size class gets the same address', () => {
  torch.emptyCache();
  torch.empty(2 ** 20).dispose(); // 4 MiB, not cached: room in TLSF, so no request below has to empty the cache
  const m0 = torch.memory();
  assert.equal(m0.cachedBytes, 0);
  const t = torch.empty(17); // 68 bytes: class capacity 76
  const p = t.storage.ptr;
  t.dispose();
  assert.equal(t.storage.ptr, -1, 'a freed storage has no address');
  const m1 = torch.memory();
  assert.equal(m1.bytesInUse, m0.bytesInUse, 'bytesInUse counts live storages only');
  assert.equal(m1.cachedBytes, capacity(68));
  const u = torch.empty(18); // 72 bytes: the same class
  assert.equal(u.storage.ptr, p, 'the cached block is reused');
  assert.deepEqual([torch.memory().cachedBytes, torch.memory().bytesInUse], [0, m0.bytesInUse + 72]);
  u.fill_(5);
  assert.deepEqual(u.tolist(), new Array(18).fill(5), 'the reused block holds the new tensor');
  u.dispose();
  torch.emptyCache();
});

test('no block is handed out twice: 4,000 seeded allocations and disposals, every live tensor keeps its values', () => {
  let seed = 12345;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const sizes = [1, 3, 4, 17, 18, 64, 100, 1000, 5000, 16384, 70_000]; // a few recurring sizes, so most requests hit
  const live: { t: Tensor; id: number }[] = [];
  const base = torch.memory();
  let hits = 0;
  for (let step = 0; step < 4000; step++) {
    if (live.length < 40 && (live.length === 0 || rand(3) > 0)) {
      const n = rand(5) === 0 ? 1 + rand(3000) : sizes[rand(sizes.length)];
      const cached = torch.memory().cachedBytes;
      const t = torch.full([n], step);
      if (torch.memory().cachedBytes < cached) hits++;
      live.push({ t, id: step });
    } else {
      const [{ t, id }] = live.splice(rand(live.length), 1);
      const v = t.toFloat32Array();
      assert.ok(v.every((x) => x === id), `tensor ${id} (${v.length} elements) was overwritten: another tensor got its block`);
      t.dispose();
    }
    if (step % 100 === 0) { // live blocks never overlap
      const spans = live.map(({ t }) => [t.storage.ptr, t.storage.ptr + t.storage.bytes]).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1][1] <= spans[i][0], `blocks overlap at step ${step}`);
    }
  }
  for (const { t } of live) t.dispose();
  assert.ok(hits > 1000, `the cache served ${hits} requests`);
  assert.deepEqual([torch.memory().liveTensors, torch.memory().bytesInUse], [base.liveTensors, base.bytesInUse]);
  torch.emptyCache();
});

test('only the last reference caches the block: a view keeps it out of the cache', () => {
  torch.emptyCache();
  const base = torch.ones(8);
  const v = base.view(2, 4);
  base.dispose();
  assert.equal(torch.memory().cachedBytes, 0, 'the view still holds the block');
  assert.deepEqual(Array.from(v.toFloat32Array()), new Array(8).fill(1));
  const w = torch.empty(8); // the view's block must not be handed out
  assert.notEqual(w.storage.ptr, v.storage.ptr);
  w.dispose();
  assert.equal(torch.memory().cachedBytes, capacity(32));
  v.dispose();
  assert.equal(torch.memory().cachedBytes, 2 * capacity(32), 'the last release cached it');
  torch.emptyCache();
});

test('scratch blocks (kernel metadata, scalars, matmul packing) are never cached nor given to tensors', () => {
  const a = torch.randn(64, 64), b = torch.randn(64, 64);
  const want = a.matmul(b).sum().item();
  const s = scratchBlocks();
  const k = K();
  const spans = [[s.meta, 1024], [s.scalar, 16], [s.packA, k.gemmPackABytes()], [s.packB, k.gemmPackBBytes()]];
  torch.emptyCache();
  const made: Tensor[] = [];
  for (let i = 0; i < 200; i++) made.push(torch.empty(1 + (i * 37) % 900));
  for (const t of made) {
    const [p, q] = [t.storage.ptr, t.storage.ptr + t.storage.bytes];
    for (const [at, n] of spans) assert.ok(q <= at || p >= at + n, `a tensor at ${p} overlaps a scratch block at ${at}`);
  }
  for (const t of made) t.dispose();
  torch.emptyCache();
  assert.equal(torch.memory().cachedBytes, 0);
  assert.equal(a.matmul(b).sum().item(), want, 'matmul still has its packing blocks');
  a.dispose(); b.dispose();
});

test('the cache holds at most its limit and no block over 1 MiB; memory() stays consistent', () => {
  torch.emptyCache();
  const m0 = torch.memory();
  assert.deepEqual(Object.keys(m0), ['liveTensors', 'bytesInUse', 'peakBytes', 'cachedBytes', 'wasmBytes']);
  const big = torch.empty(300_000); // 1.2 MB: goes straight back to TLSF
  big.dispose();
  assert.equal(torch.memory().cachedBytes, 0);
  const was = setCacheLimit(3 * capacity(400));
  try {
    const ts = [1, 2, 3, 4, 5].map(() => torch.empty(100)); // 400 bytes each
    for (const t of ts) t.dispose();
    assert.equal(torch.memory().cachedBytes, 3 * capacity(400), 'two blocks past the limit went back to TLSF');
  } finally { setCacheLimit(was); }
  const held = [torch.empty(10), torch.empty(1000), torch.empty(3)];
  held[1].dispose();
  const m = torch.memory();
  assert.equal(m.bytesInUse, m0.bytesInUse + 40 + 12);
  assert.equal(m.cachedBytes, 3 * capacity(400) + capacity(4000));
  assert.equal(m.liveTensors, m0.liveTensors + 2);
  assert.ok(m.peakBytes >= m.bytesInUse && m.bytesInUse + m.cachedBytes < m.wasmBytes);
  held[0].dispose(); held[2].dispose();
  torch.emptyCache();
  assert.deepEqual([torch.memory().bytesInUse, torch.memory().cachedBytes], [m0.bytesInUse, 0]);
});

test('emptyCache returns every cached block: cachedBytes drops to 0 and another size reuses the memory without growing it', () => {
  // a fresh heap, so the four blocks sit side by side and no older free block can serve the large request
  const r = fresh<{ cached: number; after: number; inUse: number; first: number; bigAt: number; w0: number; w1: number }>(`
    const blocks = [0, 1, 2, 3].map(() => torch.empty(16384)); // 64 KiB each
    const first = Math.min(...blocks.map((t) => t.storage.ptr));
    const inUse = torch.memory().bytesInUse;
    for (const t of blocks) t.dispose();
    const cached = torch.memory().cachedBytes;
    torch.emptyCache();
    const after = torch.memory().cachedBytes, w0 = torch.memory().wasmBytes;
    const big = torch.empty(4 * 16384);
    console.log(JSON.stringify({ cached, after, inUse, first, bigAt: big.storage.ptr, w0, w1: torch.memory().wasmBytes }));`);
  assert.equal(r.cached, 4 * capacity(65536));
  assert.equal(r.after, 0);
  assert.equal(r.bigAt, r.first, 'the 256 KiB tensor took the memory of the four 64 KiB blocks');
  assert.equal(r.w1, r.w0, 'WebAssembly memory did not grow');
});

test('a request TLSF could only serve by growing memory first returns the cache to it', () => {
  const r = fresh<{ cachedBefore: number; cachedAfter: number; first: number; bigAt: number; w0: number; w1: number }>(`
    const blocks = [0, 1, 2, 3].map(() => torch.empty(16384));
    const first = Math.min(...blocks.map((t) => t.storage.ptr));
    for (const t of blocks) t.dispose();
    const cachedBefore = torch.memory().cachedBytes, w0 = torch.memory().wasmBytes;
    const big = torch.empty(4 * 16384); // no emptyCache(): the allocator does it
    console.log(JSON.stringify({ cachedBefore, cachedAfter: torch.memory().cachedBytes, first, bigAt: big.storage.ptr, w0, w1: torch.memory().wasmBytes }));`);
  assert.equal(r.cachedBefore, 4 * capacity(65536));
  assert.equal(r.cachedAfter, 0);
  assert.equal(r.w1, r.w0, 'WebAssembly memory did not grow (TLSF doubles it when it grows)');
  assert.equal(r.bigAt, r.first);
});

test('maxMemoryMB counts cached blocks: past it the cache is emptied and the allocation succeeds; a refusal changes nothing', async () => {
  torch.emptyCache();
  await torch.init({ maxMemoryMB: 1 });
  try {
    const inUse = torch.memory().bytesInUse;
    for (const t of [torch.empty(100_000), torch.empty(100_000)]) t.dispose(); // 800,024 bytes cached
    assert.equal(torch.memory().cachedBytes, 2 * capacity(400_000));
    const c = torch.full([150_000], 2); // 600,000 bytes: fits only without the cache
    const m = torch.memory();
    assert.equal(m.cachedBytes, 0, 'the cache was emptied');
    assert.equal(m.bytesInUse, inUse + 600_000);
    assert.ok(m.bytesInUse + m.cachedBytes <= 2 ** 20);
    torch.empty(10).dispose(); // something cached
    const cached = torch.memory().cachedBytes;
    throwsClean(() => torch.zeros(150_000), RangeError, /zeros: out of memory: asked for 600000 bytes with \d+ in use, past the limit of 1048576 bytes \(init\(\{ maxMemoryMB \}\)\)/);
    assert.equal(torch.memory().cachedBytes, cached, 'the refused allocation left the cache as it was');
    assert.equal(c.sum().item(), 300_000);
    c.dispose();
  } finally {
    await torch.init({ maxMemoryMB: 4096 });
  }
});

test('at WebAssembly\'s 4 GiB a full cache is emptied before the allocation is refused', { timeout: 120_000 }, () => {
  // A fresh process fills linear memory (3 GiB of blocks, a filler, then 1 MiB tensors until the
  // RangeError), caches 16 of those, and asks for 8 MiB: only the cached memory can serve it.
  const r = fresh<{ err: string; cached: number; after: { bytesInUse: number; cachedBytes: number; wasmBytes: number }; full: number; sum: number; refused: string; unchanged: boolean }>(`
    const keep = [0, 1, 2].map(() => torch.empty((2 ** 30 - 16) / 4));
    keep.push(torch.empty(Math.floor((2 ** 32 - torch.memory().wasmBytes - 48 * 2 ** 20) / 4)));
    const small = [];
    let err = '';
    try { for (;;) small.push(torch.empty(2 ** 18)); } catch (e) { err = e.message; }
    const full = torch.memory().wasmBytes;
    for (const t of small.splice(0, 16)) t.dispose();
    const cached = torch.memory().cachedBytes;
    const t = torch.full([2 ** 21], 3);
    const after = torch.memory();
    let refused = '';
    try { torch.empty(2 ** 24); } catch (e) { refused = e.message; }
    const m = torch.memory();
    console.log(JSON.stringify({ err, cached, after, full, sum: t.sum().item(), refused, unchanged: m.bytesInUse === after.bytesInUse && m.liveTensors === after.liveTensors }));`);
  assert.match(r.err, /^empty: out of WebAssembly memory: asked for 1048576 bytes with \d+ in use \(\d+ bytes of linear memory could not grow; the limit is 4 GiB\)/);
  assert.equal(r.cached, 16 * capacity(2 ** 20));
  assert.equal(r.after.cachedBytes, 0, 'the cache was emptied');
  assert.equal(r.sum, 3 * 2 ** 21, 'the 8 MiB tensor took the cached memory');
  assert.equal(r.after.wasmBytes, r.full);
  assert.match(r.refused, /^empty: out of (WebAssembly )?memory: asked for 67108864 bytes/);
  assert.ok(r.unchanged, 'the refusal left the accounting as it was');
});

test('2,000 training steps inside tidy: bytesInUse, cachedBytes and wasmBytes stay flat', () => {
  torch.manualSeed(1);
  const x = torch.randn(100, 10), y = torch.randn(100, 1);
  const model = new torch.nn.Sequential(new torch.nn.Linear(10, 20), new torch.nn.ReLU(), new torch.nn.Linear(20, 1));
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const lossFn = new torch.nn.MSELoss();
  const step = (): number => torch.tidy(() => {
    opt.zeroGrad();
    const l = lossFn.forward(model.forward(x), y);
    l.backward();
    opt.step();
    return l.item();
  });
  for (let i = 0; i < 3; i++) step();
  const warm = torch.memory();
  assert.ok(warm.cachedBytes > 0, 'the step\'s temporaries wait in the cache');
  const first = step();
  let last = first;
  for (let i = 1; i < 2000; i++) {
    last = step();
    if (i % 100 === 0) {
      const m = torch.memory();
      assert.deepEqual([m.liveTensors, m.bytesInUse, m.cachedBytes, m.wasmBytes], [warm.liveTensors, warm.bytesInUse, warm.cachedBytes, warm.wasmBytes], `step ${i}`);
    }
  }
  assert.ok(last < first, `trained: ${first} → ${last}`);
  model.dispose(); opt.dispose(); x.dispose(); y.dispose();
  torch.emptyCache();
});
