// Threads under a memory limit (its own process: init({ maxMemoryMB }) is process-wide): a
// convolution split over threads takes one im2col buffer per part, so a call that fits on one
// thread must still run on more (on fewer parts), with the same bits; and a call whose first
// buffer does not fit frees everything it allocated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';

await torch.init({ maxMemoryMB: 32 });
const calls = (): number => Number(/calls split over threads: (\d+)/.exec(torch.parallelInfo())![1]);

test('a convolution that fits on one thread runs on four, forward and backward, with the same bits', () => {
  torch.manualSeed(1);
  // x and y 4.7 MB each, one im2col buffer 10.6 MB: about 20 MB on one thread, 52 MB with 4 buffers
  const x = torch.randn([4, 32, 96, 96], { requiresGrad: true }), w = torch.randn([32, 32, 3, 3], { requiresGrad: true });
  const run = (n: number): Float32Array[] => {
    torch.setNumThreads(n);
    const y = torch.nn.functional.conv2d(x, w, null, { padding: 1 });
    y.sum().backward();
    const out = [y.toFloat32Array(), x.grad!.toFloat32Array(), w.grad!.toFloat32Array()];
    y.dispose(); x.grad = null; w.grad = null;
    return out;
  };
  const one = run(1);
  const before = calls();
  const four = run(4);
  assert.ok(calls() > before, 'the calls were still split (over the parts whose buffers fit)');
  for (let r = 0; r < 3; r++) assert.ok(one[r].every((v, i) => Object.is(v, four[r][i])), `result ${r} differs`);
  torch.setNumThreads(2);
  x.dispose(); w.dispose();
});

test('a convolution whose im2col buffer is out of memory frees its output: nothing stays live', () => {
  for (const n of [1, 2]) {
    torch.setNumThreads(n);
    // im2col 576 × 16384 floats = 37.7 MB, past the 32 MB limit
    const x = torch.randn([1, 64, 128, 128], { requiresGrad: true }), w = torch.randn([8, 64, 3, 3]);
    const before = torch.memory();
    assert.throws(() => torch.nn.functional.conv2d(x, w, null, { padding: 1 }), { name: 'RangeError', message: /^conv2d: out of memory/ });
    const after = torch.memory();
    assert.deepEqual([after.liveTensors, after.bytesInUse], [before.liveTensors, before.bytesInUse]);
    x.dispose(); w.dispose();
  }
  torch.setNumThreads(2);
});
