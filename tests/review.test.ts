// Regression tests for the seventh review's findings: `grad` assignment is checked and frees the
// gradient it replaces; creation functions take their options object last; int32 values that do
// not fit are a RangeError instead of wrapping; max/min(dim) results destructure as PyTorch's named
// tuple, and max/min with a tensor second argument are elementwise. PyTorch 1.13/2.x is the oracle
// (the messages quoted below are PyTorch's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
const { optim } = torch;

const live = (): number => torch.memory().liveTensors;

// ---- 1. grad is a checked accessor ---------------------------------------------------------------

test('grad: a tensor of another shape or dtype, or a non-tensor, is refused before anything changes', () => {
  const p = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const opt = new optim.SGD([p], { lr: 1 });
  const bad = [torch.ones(3, 2), torch.ones(1, 2), torch.ones(6), torch.ones(2, 3, { dtype: 'int32' }), torch.ones(2, 3, { dtype: 'bool' })];
  const before = live();
  // PyTorch: "assigned grad has data of a different size" / "... of a different type"
  assert.throws(() => { p.grad = bad[0]; }, (e: Error) => e instanceof RangeError && /assigned grad has data of a different size: got shape \[3, 2\], the tensor has shape \[2, 3\]/.test(e.message));
  assert.throws(() => { p.grad = bad[1]; }, RangeError);
  assert.throws(() => { p.grad = bad[2]; }, RangeError);
  assert.throws(() => { p.grad = bad[3]; }, (e: Error) => e instanceof TypeError && /different type: got int32, the tensor is float32/.test(e.message));
  assert.throws(() => { p.grad = bad[4]; }, TypeError);
  assert.throws(() => { (p as { grad: unknown }).grad = 3; }, (e: Error) => e instanceof TypeError && /expected to be a Tensor or null but got/.test(e.message));
  assert.throws(() => { (p as { grad: unknown }).grad = [[1, 2, 3], [4, 5, 6]]; }, TypeError);
  assert.throws(() => { p.grad = p; }, /own grad/);
  const gone = torch.ones(2, 3); gone.dispose();
  assert.throws(() => { p.grad = gone; }, /the assigned tensor of shape \[2, 3\] was disposed/);
  assert.equal(p.grad, null);
  assert.equal(live(), before, 'a refused assignment allocates nothing and frees nothing');
  // the step that used to misread them leaves p as it was
  opt.step();
  assert.deepEqual(p.tolist(), [[1, 2, 3], [4, 5, 6]]);
  bad.forEach((t) => { assert.equal(t.isDisposed, false, 'a refused tensor stays the caller\'s'); t.dispose(); });
  p.dispose();
});

test('grad: same shape and dtype is accepted (strided too), null and undefined clear it', () => {
  const p = torch.ones(2, 3, { requiresGrad: true });
  const g = torch.tensor([[1, 2], [3, 4], [5, 6]]).t();
  p.grad = g;
  assert.equal(p.grad, g, 'the assigned tensor itself, as PyTorch (p.grad is g)');
  new optim.SGD([p], { lr: 1 }).step();
  assert.deepEqual(p.tolist(), [[0, -2, -4], [-1, -3, -5]]);
  (p as { grad: unknown }).grad = undefined;
  assert.equal(p.grad, null);
  assert.equal(g.isDisposed, true, 'the leaf owned the gradient it held');
  // an int32 tensor takes an int32 grad, as PyTorch (the grad's dtype is the tensor's)
  const i = torch.tensor([1, 2], { dtype: 'int32' });
  i.grad = torch.tensor([3, 4], { dtype: 'int32' });
  assert.deepEqual(i.grad!.tolist(), [3, 4]);
  assert.throws(() => { i.grad = torch.ones(2); }, /different type: got float32, the tensor is int32/);
  i.dispose();
  assert.equal(i.grad, null);
  p.dispose();
});

test('grad = null frees the gradient (the tutorial loop does not leak), a grad assigned in tidy survives it', () => {
  const a = torch.tensor(0.5, { requiresGrad: true });
  const x = torch.linspace(-1, 1, 100);
  const before = live();
  for (let t = 0; t < 50; t++) {
    torch.tidy(() => {
      a.mul(x).sub(x.sin()).pow(2).sum().backward();
      torch.noGrad(() => { a.sub_(a.grad!.mul(1e-3)); a.grad = null; });
    });
  }
  assert.equal(live(), before, 'no gradient left behind per step');
  // replacing a gradient frees the old one; assigning the same tensor again keeps it
  const g1 = torch.tensor(1), g2 = torch.tensor(2);
  a.grad = g1; a.grad = g1;
  assert.equal(g1.isDisposed, false);
  a.grad = g2;
  assert.equal(g1.isDisposed, true);
  // backward accumulates into an assigned grad, and a strided one is replaced by a fresh sum
  a.mul(3).backward();
  assert.equal(a.grad!.item(), 5);
  assert.equal(a.grad, g2);
  const p = torch.zeros(2, 3, { requiresGrad: true });
  const strided = torch.ones(3, 2).t();
  p.grad = strided;
  p.mul(2).sum().backward();
  assert.deepEqual(p.grad!.tolist(), [[3, 3, 3], [3, 3, 3]]);
  assert.equal(strided.isDisposed, true, 'the strided grad it replaced is freed');
  // inside tidy, an assigned gradient outlives the scope as backward's do
  const kept = torch.tidy(() => { p.grad = torch.full([2, 3], 7); return null; });
  assert.equal(kept, null);
  assert.deepEqual(p.grad!.tolist(), [[7, 7, 7], [7, 7, 7]]);
  const n0 = live();
  p.dispose();
  assert.equal(live(), n0 - 2, 'dispose frees the tensor and its grad');
  a.dispose(); x.dispose();
});

test('grad: backward into a fresh leaf and zeroGrad keep working with the accessor', () => {
  const w = torch.ones(3, { requiresGrad: true });
  const before = live();
  torch.tidy(() => w.mul(2).sum().backward());
  assert.equal(live(), before + 1, 'backward leaves exactly the gradient');
  torch.tidy(() => w.mul(2).sum().backward());
  assert.deepEqual(w.grad!.tolist(), [4, 4, 4]);
  const opt = new optim.SGD([w], { lr: 0.5 });
  opt.step();
  opt.zeroGrad();
  assert.equal(w.grad, null);
  assert.equal(live(), before);
  w.dispose();
});

// ---- 2. creation functions take the options object last -------------------------------------------

test('creation: an options object is accepted last wherever API.md allows it', () => {
  torch.tidy(() => {
    const a = torch.arange(5, { dtype: 'float32' });
    assert.deepEqual([a.dtype, a.shape, a.tolist()], ['float32', [5], [0, 1, 2, 3, 4]]);
    const b = torch.arange(1, 4, { dtype: 'float32', requiresGrad: true });
    assert.deepEqual([b.dtype, b.requiresGrad, b.tolist()], ['float32', true, [1, 2, 3]]);
    assert.deepEqual(torch.arange(0, 6, 2, { dtype: 'float32' }).tolist(), [0, 2, 4]);
    assert.deepEqual(torch.arange(3, undefined, 2).tolist(), [0, 2], 'an undefined end still means arange(end, step)');
    assert.deepEqual(torch.arange(5, 0, -2).tolist(), [5, 3, 1]);
    const e = torch.eye(2, { dtype: 'int32' });
    assert.deepEqual([e.dtype, e.tolist()], ['int32', [[1, 0], [0, 1]]]);
    assert.deepEqual(torch.eye(2, 3, { dtype: 'int32' }).tolist(), [[1, 0, 0], [0, 1, 0]]);
    assert.equal(torch.linspace(0, 1, 3, { requiresGrad: true }).requiresGrad, true);
    assert.deepEqual(torch.full([2], 7, { dtype: 'int32' }).tolist(), [7, 7]);
    assert.deepEqual([torch.full([2], true).dtype, torch.full([2], true).tolist()], ['bool', [true, true]], 'a boolean fill value gives bool, as torch.full((2,), True)');
    // PyTorch's randint(high, size): low defaults to 0
    torch.manualSeed(3);
    const r = torch.randint(10, [200]);
    assert.deepEqual([r.dtype, r.shape], ['int32', [200]]);
    assert.ok(r.toInt32Array().every((v) => v >= 0 && v < 10));
    assert.equal(torch.randint(10, [3], { dtype: 'float32' }).dtype, 'float32');
    assert.equal(torch.randint(0, 10, [3], { dtype: 'float32' }).dtype, 'float32');
    // the same draws as randint(0, high, size)
    torch.manualSeed(5); const r1 = torch.randint(7, [8]).tolist();
    torch.manualSeed(5); const r2 = torch.randint(0, 7, [8]).tolist();
    assert.deepEqual(r1, r2);
  });
});

test('creation: anything else in a positional slot is a TypeError naming the function and the argument; a non-finite size a RangeError', () => {
  const before = live();
  const type: [() => unknown, RegExp][] = [
    [() => torch.arange(0, { dtype: 'float32' } as never, 5), /^arange: end must be a number, got an object \(the options object comes last/],
    [() => torch.arange('5' as never), /^arange: end must be a number, got string "5"/],
    [() => (torch.arange as (...a: unknown[]) => unknown)(0, 5, 1, {}, 3), /^arange: takes arange\(end, options\?\), .* got 5 arguments/],
    [() => (torch.arange as (...a: unknown[]) => unknown)(), /^arange: takes .*; the end is missing/],
    [() => torch.arange(0, 5, 1, 5 as never), /^arange: options must be a plain object/],
    [() => torch.arange(5, { typo: 1 } as never), /^arange: unknown option 'typo'/],
    [() => torch.eye('2' as never), /^eye: n must be a number, got string "2"/],
    [() => torch.eye(2, 'x' as never), /^eye: m must be a number, got string "x"/],
    [() => torch.eye(2, 3, 4 as never), /^eye: options must be a plain object/],
    [() => torch.linspace(0, 1, { dtype: 'float32' } as never), /^linspace: steps must be a number, got an object \(the options object comes last/],
    [() => (torch.linspace as (...a: unknown[]) => unknown)(0, 1, 3, {}, 1), /^linspace: takes linspace\(start, end, steps, options\?\); got 5 arguments/],
    [() => torch.full([2], { dtype: 'int32' } as never), /^full: the fill value must be a number, got an object \(the options object comes last/],
    [() => torch.full(2 as never, 7), /^full: size must be an array of numbers, got number 2/],
    [() => torch.fullLike(torch.ones(1), 'x' as never), /^fullLike: the fill value must be a number, got string "x"/],
    [() => torch.randint(10, { dtype: 'float32' } as never), /^randint: takes .*; the size is missing/],
    [() => torch.randint(0, 10, 3 as never), /^randint: size must be an array of numbers, got number 3/],
    [() => torch.randint('0' as never, 3, [2]), /^randint: low must be a number, got string "0"/],
    [() => (torch.randint as (...a: unknown[]) => unknown)(0, 3, [2], {}, 1), /^randint: takes .* got 5 arguments/],
  ];
  for (const [f, re] of type) assert.throws(f, (e: Error) => e instanceof TypeError && re.test(e.message), re.source);
  const range: [() => unknown, RegExp][] = [
    [() => torch.arange(NaN), /^arange: unsupported range: 0 -> NaN/],
    [() => torch.arange(0, Infinity), /^arange: unsupported range: 0 -> Infinity/],
    [() => torch.arange(0, 5, NaN), /^arange: step must be a non-zero finite number, got NaN/],
    // PyTorch: "upper bound and larger bound inconsistent with step sign"
    [() => torch.arange(0, -5), /^arange: upper bound and larger bound inconsistent with step sign/],
    [() => torch.eye(NaN), /^eye: sizes must be non-negative integers, got \[NaN, NaN\]/],
    [() => torch.eye(2, Infinity), /^eye: sizes must be non-negative integers/],
    [() => torch.linspace(0, 1, NaN), /^linspace: steps must be a non-negative integer, got NaN/],
    [() => torch.randint(0, 10, [NaN]), /^randint: sizes must be non-negative integers, got \[NaN\]/],
    [() => torch.full([Infinity], 1), /^full: sizes must be non-negative integers/],
    [() => torch.zeros(NaN), /^zeros: sizes must be non-negative integers, got \[NaN\]/],
  ];
  for (const [f, re] of range) assert.throws(f, (e: Error) => e instanceof RangeError && re.test(e.message), re.source);
  assert.equal(live(), before + 1, 'nothing allocated but the one ones(1) made for fullLike');
});

// ---- 3. int32 values never wrap ------------------------------------------------------------------

test('int32: a value that does not fit is a RangeError naming the op and the value, before anything is allocated', () => {
  const idx = torch.tensor([0], { dtype: 'int32' });
  const dst = torch.zeros(1, { dtype: 'int32' });
  const before = live();
  // PyTorch: "value cannot be converted to type int32 without overflow"
  const cases: [() => unknown, RegExp][] = [
    [() => torch.tensor([3e9], { dtype: 'int32' }), /^tensor: value 3000000000 cannot be converted to type int32 without overflow/],
    [() => torch.tensor([2 ** 31], { dtype: 'int32' }), /^tensor: value 2147483648 cannot/],
    [() => torch.tensor([1, 2147483647.5], { dtype: 'int32' }), /^tensor: value 2147483647.5 \(at index 1\) cannot/],
    [() => torch.tensor([[1, NaN]], { dtype: 'int32' }), /^tensor: value NaN \(at index 1\) cannot/],
    [() => torch.tensor(-Infinity, { dtype: 'int32' }), /^tensor: value -Infinity cannot/],
    [() => torch.tensor(new Float32Array([1, 3e9]), { dtype: 'int32' }), /^tensor: value 3000000000 \(at index 1\) cannot/],
    [() => torch.full([2], 3e9, { dtype: 'int32' }), /^full: fill value 3000000000 cannot be converted to type int32 without overflow/],
    [() => torch.full([2], NaN, { dtype: 'int32' }), /^full: fill value NaN cannot/],
    [() => torch.fullLike(dst, -3e9), /^fullLike: fill value -3000000000 cannot/],
    [() => dst.scatter(0, idx, 3e9), /^scatter: value 3000000000 cannot be converted to type int32 without overflow/],
    [() => torch.scatter(dst, 0, idx, NaN), /^scatter: value NaN cannot/],
    [() => torch.arange(2 ** 31 - 2, 2 ** 31 + 1), /^arange: value 2147483648 cannot be converted to type int32 without overflow .*pass \{ dtype: 'float32' \}/],
    [() => torch.arange(-(2 ** 31) - 1, 0), /^arange: value -2147483649 cannot/],
    [() => torch.linspace(0, 3e9, 3, { dtype: 'int32' }), /^linspace: value 3000000000 \(at index 2\) cannot/],
    [() => torch.randint(0, 3e9, [2]), /^randint: high - 1 = 2999999999 cannot be converted to type int32/],
    [() => torch.randint(-3e9, 0, [2]), /^randint: low -3000000000 cannot/],
  ];
  for (const [f, re] of cases) assert.throws(f, (e: Error) => e instanceof RangeError && re.test(e.message), re.source);
  assert.equal(live(), before, 'nothing allocated or leaked');
  assert.deepEqual(dst.tolist(), [0], 'the input is unchanged');
  idx.dispose(); dst.dispose();
});

test('int32: fractions truncate toward zero as PyTorch, and the edges of int32 fit', () => {
  torch.tidy(() => {
    assert.deepEqual(torch.tensor([1.7, -1.7, 0.5], { dtype: 'int32' }).tolist(), [1, -1, 0], 'torch.tensor([1.7, -1.7, 0.5], dtype=torch.int32)');
    assert.deepEqual(torch.tensor([2147483647, -2147483648], { dtype: 'int32' }).tolist(), [2147483647, -2147483648]);
    assert.deepEqual(torch.tensor(new Float32Array([2.9, -2.9]), { dtype: 'int32' }).tolist(), [2, -2]);
    assert.deepEqual(torch.full([2], 1.5, { dtype: 'int32' }).tolist(), [1, 1], 'torch.full((2,), 1.5, dtype=torch.int32)');
    assert.deepEqual(torch.full([1], -2147483648.5 + 0.5, { dtype: 'int32' }).tolist(), [-2147483648]);
    const idx = torch.tensor([1], { dtype: 'int32' });
    assert.deepEqual(torch.zeros(2, { dtype: 'int32' }).scatter(0, idx, -1.7).tolist(), [0, -1], 'scatter of 1.5-style values truncates, as PyTorch');
    assert.deepEqual(torch.zeros(2).scatter(0, idx, 3e9).tolist(), [0, 3e9], 'a float32 target takes any number');
    assert.deepEqual(torch.arange(2 ** 31 - 3, 2 ** 31).tolist(), [2147483645, 2147483646, 2147483647]);
    assert.deepEqual(torch.arange(2 ** 31 - 2, 2 ** 31 + 1, { dtype: 'float32' }).tolist(), [2147483648, 2147483648, 2147483648], 'float32 when asked (float32 rounding)');
    const r = torch.randint(2 ** 31 - 2, 2 ** 31, [50]);
    assert.ok(r.toInt32Array().every((v) => v === 2147483646 || v === 2147483647));
    assert.equal(torch.randint(0, 3e9, [2], { dtype: 'float32' }).dtype, 'float32', 'a float32 randint takes a wider range');
  });
});

// ---- 4. max/min: PyTorch's named tuple, and the elementwise form -----------------------------------

test('max(dim)/min(dim) destructure as [values, indices] and index as r[0], r[1], keeping .values/.indices', () => {
  torch.tidy(() => {
    const x = torch.tensor([[1, 5, 5], [3, 2, -1]]);
    for (const r of [torch.max(x, 1), x.max(1)]) {
      const [values, indices] = r;
      assert.deepEqual(values.tolist(), [5, 3]);
      assert.deepEqual(indices.tolist(), [1, 0], 'the first among ties, as PyTorch');
      assert.equal(r[0], r.values);
      assert.equal(r[1], r.indices);
      assert.equal(r.length, 2);
      assert.deepEqual(Object.keys(r), ['values', 'indices'], 'the tuple view adds no enumerable key');
      assert.deepEqual([...r].map((t) => t.dtype), ['float32', 'int32']);
    }
    const [mv, mi] = torch.min(x, -1, true);
    assert.deepEqual([mv.tolist(), mi.tolist()], [[[1], [-1]], [[0], [2]]]);
    const [v2, i2] = x.min(0);
    assert.deepEqual([v2.tolist(), i2.tolist()], [[1, 2, -1], [0, 1, 1]]);
    // gradients still flow through values
    const w = torch.tensor([[1, 4], [3, 2]], { requiresGrad: true });
    const [wv] = w.max(1);
    wv.sum().backward();
    assert.deepEqual(w.grad!.tolist(), [[0, 1], [1, 0]]);
  });
});

test('max(dim) results returned from tidy keep both tensors; nothing else survives', () => {
  const x = torch.tensor([[1, 5], [3, 2]]);
  const before = live();
  const r = torch.tidy(() => x.mul(2).max(1));
  assert.equal(live(), before + 2, 'values and indices survive, the product does not');
  const [values, indices] = r;
  assert.deepEqual([values.tolist(), indices.tolist()], [[10, 6], [1, 0]]);
  values.dispose(); indices.dispose();
  const pair = torch.tidy(() => { const [v, i] = x.min(0); return [v, i]; });
  assert.equal(live(), before + 2);
  pair.forEach((t) => t.dispose());
  assert.equal(live(), before);
  x.dispose();
});

test('max(x, y)/min(x, y) with a tensor are the elementwise maximum/minimum, with their gradients', () => {
  torch.tidy(() => {
    const x = torch.tensor([[1, 5], [3, 2]], { requiresGrad: true });
    const y = torch.tensor([[2, 2], [2, 2]], { requiresGrad: true });
    assert.deepEqual(torch.max(x, y).tolist(), [[2, 5], [3, 2]], 'torch.max(x, y)');
    assert.deepEqual(x.max(y).tolist(), [[2, 5], [3, 2]]);
    assert.deepEqual(torch.min(x, y).tolist(), [[1, 2], [2, 2]]);
    assert.deepEqual(x.min(y).tolist(), [[1, 2], [2, 2]]);
    // broadcasting and int32, as maximum/minimum
    const i = torch.tensor([1, 7, 3], { dtype: 'int32' });
    const m = torch.max(i, torch.tensor(4, { dtype: 'int32' }));
    assert.deepEqual([m.dtype, m.tolist()], ['int32', [4, 7, 4]]);
    // the gradient is maximum's: ties split evenly, as PyTorch
    torch.max(x, y).sum().backward();
    assert.deepEqual(x.grad!.tolist(), [[0, 1], [1, 0.5]]);
    assert.deepEqual(y.grad!.tolist(), [[1, 0], [0, 0.5]]);
    assert.equal(torch.max(x, y).gradFn!.name, torch.maximum(x, y).gradFn!.name);
    // PyTorch has no keepdim for the elementwise form
    assert.throws(() => (torch.max as (...a: unknown[]) => unknown)(x, y, true), /^TypeError: max: max\(input, other\) with a tensor other is the elementwise maximum and takes no keepdim/);
    assert.throws(() => (x.min as (...a: unknown[]) => unknown)(y, false), /min: min\(input, other\) .* elementwise minimum/);
    // a number is still a dim, as PyTorch
    assert.throws(() => torch.max(x, 2), RangeError);
  });
});
