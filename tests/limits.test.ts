// Sizes and memory limits (issue 11): byte counts never wrap at 32 bits on their way to the
// allocator, addresses past 2 GiB read unsigned, and running out of memory is a RangeError
// that names the bytes asked and the limit, after which every tensor keeps its values and the
// next allocation succeeds once memory is freed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { throwsClean } from './support/throws.js';

const MAX_TENSOR_BYTES = 2 ** 30 - 16;

test('sizes whose byte count passes one allocator block are refused before any allocation', () => {
  const witness = torch.arange(5);
  const freed = torch.ones(7); freed.dispose(); // a free block the wrapped size would have fitted
  throwsClean(() => torch.zeros(2 ** 30 + 2), RangeError, /zeros: a tensor of shape \[1073741826\] needs 4294967304 bytes; the largest tensor is 1073741808 bytes/);
  throwsClean(() => torch.zeros(65536, 65536), RangeError, /zeros: a tensor of shape \[65536, 65536\] needs 17179869184 bytes/);
  throwsClean(() => torch.ones([2 ** 16, 2 ** 16, 2]), RangeError, /ones: .* needs 34359738368 bytes/);
  throwsClean(() => torch.empty(MAX_TENSOR_BYTES / 4 + 1), RangeError, /empty: .*largest tensor is 1073741808 bytes/);
  throwsClean(() => torch.full([2 ** 31], 1), RangeError, /full: .* needs 8589934592 bytes/);
  const base = torch.ones(3);
  const wide = base.expand(2 ** 20, 2 ** 20, 3); // a view: no allocation, as PyTorch allows
  throwsClean(() => wide.contiguous(), RangeError, /contiguous: a tensor of shape \[1048576, 1048576, 3\] needs 13194139533312 bytes/);
  wide.dispose(); base.dispose();
  assert.deepEqual(witness.tolist(), [0, 1, 2, 3, 4]);
  const m = torch.memory();
  assert.equal(m.bytesInUse, 20);
  witness.dispose();
});

test('NaN, Infinity, fractional, negative and unsafe sizes are RangeErrors naming the size', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => torch.zeros(NaN), /zeros: sizes must be non-negative integers, got \[NaN\]/],
    [() => torch.ones(Infinity), /ones: sizes must be non-negative integers, got \[Infinity\]/],
    [() => torch.empty(2.5), /empty: sizes must be non-negative integers, got \[2.5\] \(2.5 is not an integer\)/],
    [() => torch.zeros(-1), /zeros: sizes must be non-negative integers, got \[-1\]/],
    [() => torch.zeros(2 ** 53), /zeros: sizes must be non-negative integers, got \[9007199254740992\]/],
    [() => torch.full([3, NaN], 0), /full: sizes must be non-negative integers, got \[3, NaN\]/],
    [() => torch.arange(NaN), /arange/],
    [() => torch.randn(2 ** 40), /randn: .* needs/],
  ];
  for (const [fn, re] of cases) throwsClean(fn, RangeError, re);
  const m = torch.memory();
  assert.ok(Number.isFinite(m.bytesInUse) && Number.isFinite(m.peakBytes), 'the accounting stays finite');
});

test('maxMemoryMB: past the limit a RangeError names the bytes and the limit; freeing lets the next allocation succeed', async () => {
  await torch.init({ maxMemoryMB: 1 });
  try {
    const a = torch.full([100_000], 3); // 400,000 bytes
    const b = torch.full([100_000], 4);
    throwsClean(() => torch.zeros(100_000), RangeError, /zeros: out of memory: asked for 400000 bytes with \d+ in use, past the limit of 1048576 bytes \(init\(\{ maxMemoryMB \}\)\)/);
    assert.equal(a.sum().item(), 300_000);
    assert.equal(b.max().item(), 4);
    a.dispose();
    const c = torch.zeros(100_000);
    assert.equal(c.sum().item(), 0);
    b.dispose(); c.dispose();
  } finally {
    await torch.init({ maxMemoryMB: 4096 });
  }
});

test('past 2 GiB of tensors, addresses are unsigned and the last tensor reads and computes', { timeout: 120_000 }, () => {
  const n = (MAX_TENSOR_BYTES - 64) / 4;
  const blocks = [torch.empty(n), torch.empty(n)]; // 2 GiB, never written
  const last = torch.full([4_000_000], 7); // larger than any freed block, so it comes from the top
  try {
    assert.ok(last.storage.ptr >= 2 ** 31, `the last tensor sits past 2 GiB (at ${last.storage.ptr})`);
    assert.ok(torch.memory().wasmBytes > 2 ** 31);
    assert.equal(last.sum().item(), 28_000_000);
    assert.deepEqual(last.narrow(0, 3_999_998, 2).tolist(), [7, 7]);
    const far = blocks[1].narrow(0, n - 3, 3).fill_(2);
    assert.deepEqual(far.mul(2).tolist(), [4, 4, 4]);
    far.dispose();
  } finally {
    for (const b of blocks) b.dispose();
    last.dispose();
  }
});
