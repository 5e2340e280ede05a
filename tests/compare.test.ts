// The compare family (src/ops/compare.ts, the dtype rules of src/ops/elementwise.ts, the i32 and
// select kernels of assembly/elementwise.ts and assembly/compare.ts): PyTorch fixtures
// (tests/fixtures/gen_compare.py → compare.json), NaN and infinities (which JSON cannot carry),
// finite differences for where, maximum, minimum and maskedFill, strided operands, bool creation,
// error paths and memory.
// Tolerances: bool and int32 results are compared exactly; float32 results and gradients to
// 1e-6 relative + 1e-7 absolute (they are selections, halves and single IEEE operations, so they
// match PyTorch to the last bit in practice); finite differences to 2e-2 (float32 steps of 1e-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { loadFixture, checkCase, checkFiniteDifferences as fd, type FixtureCase, type OpFn } from './oracle.js';

const T = (x: Tensor | number): Tensor => x as Tensor;
/** The values of any tensor as plain numbers (bool as 0/1), exact for int32. */
const vals = (t: Tensor): number[] => (t.dtype === 'int32' ? Array.from(t.toInt32Array()) : Array.from(t.toFloat32Array()));

/** Each fixture op as wasmtorch spells it. */
const OPS: Record<string, OpFn> = {
  eq: ([a, b]) => torch.eq(a, b), ne: ([a, b]) => torch.ne(a, b),
  gt: ([a, b]) => torch.gt(a, b), ge: ([a, b]) => torch.ge(a, b),
  lt: ([a, b]) => torch.lt(a, b), le: ([a, b]) => torch.le(a, b),
  maximum: ([a, b]) => torch.maximum(a, b), minimum: ([a, b]) => torch.minimum(a, b),
  maximum_self: ([a]) => T(a).maximum(T(a)), minimum_self: ([a]) => T(a).minimum(T(a)),
  where: ([c, a, b]) => torch.where(T(c), a, b),
  maskedFill: ([x, m, v]) => T(x).maskedFill(T(m), v),
  logicalAnd: ([a, b]) => torch.logicalAnd(a, b), logicalOr: ([a, b]) => T(a).logicalOr(b),
  logicalXor: ([a, b]) => torch.logicalXor(a, b), logicalNot: ([a]) => T(a).logicalNot(),
  any: ([a], kw) => T(a).any(kw.dim, kw.keepdim ?? false),
  all: ([a], kw) => torch.all(T(a), kw.dim, kw.keepdim ?? false),
  add: ([a, b], kw) => torch.add(a, b, kw), sub: ([a, b], kw) => torch.sub(a, b, kw),
  mul: ([a, b]) => torch.mul(a, b), div: ([a, b]) => torch.div(a, b),
  neg: ([a]) => T(a).neg(), abs: ([a]) => torch.abs(T(a)), exp: ([a]) => T(a).exp(),
  sigmoid: ([a]) => T(a).sigmoid(), sqrt: ([a]) => T(a).sqrt(), reciprocal: ([a]) => T(a).reciprocal(),
  relu: ([a]) => T(a).relu(), sign: ([a]) => T(a).sign(), square: ([a]) => T(a).square(),
  clamp: ([a], kw) => T(a).clamp(kw.min, kw.max),
  pow: ([a, b]) => torch.pow(a, b),
};

/**
 * The op map for one case: bool inputs (which oracle.ts reads as float 0/1) become bool tensors,
 * and the result's dtype must be the fixture's.
 */
function opsFor(c: FixtureCase): Record<string, OpFn> {
  const fn = OPS[c.op];
  assert.ok(fn, `no op for '${c.op}'`);
  return {
    [c.op]: (inputs, kw) => {
      const ins = inputs.map((x, i) => ((c.inputs[i] as { dtype?: string }).dtype === 'bool'
        ? torch.tensor(T(x).toFloat32Array(), { dtype: 'bool' }).reshape(T(x).shape)
        : x));
      const out = fn(ins, kw) as Tensor;
      assert.equal(out.dtype, c.out.dtype, `${c.name}: dtype`);
      return out;
    },
  };
}

const cases = loadFixture<{ cases: FixtureCase[] }>('compare.json').cases;
test('compare.json covers every op of the family', () => {
  const seen = new Set(cases.map((c) => c.op));
  for (const op of Object.keys(OPS)) assert.ok(seen.has(op), `no fixture case for ${op}`);
  assert.ok(cases.length > 200);
});
for (const c of cases) test(`compare oracle: ${c.name}`, () => checkCase(c, 1e-6, 1e-7, opsFor(c)));

// ---- NaN and infinities (not in the fixtures) ------------------------------------------------------

test('comparisons with NaN: only ne holds; maximum/minimum propagate NaN; isnan/isfinite', () => {
  torch.tidy(() => {
    const x = torch.tensor([NaN, 1, Infinity, -Infinity, 0]);
    assert.deepEqual(vals(x.eq(x)), [0, 1, 1, 1, 1]);
    assert.deepEqual(vals(x.ne(x)), [1, 0, 0, 0, 0]);
    assert.deepEqual(vals(x.gt(NaN)), [0, 0, 0, 0, 0]);
    assert.deepEqual(vals(x.le(Infinity)), [0, 1, 1, 1, 1]);
    assert.deepEqual(vals(x.isnan()), [1, 0, 0, 0, 0]);
    assert.deepEqual(vals(x.isfinite()), [0, 1, 0, 0, 1]);
    assert.equal(x.isnan().dtype, 'bool');
    const y = torch.tensor([1, NaN, 2, 2, -0]);
    assert.deepEqual(vals(torch.maximum(x, y)).map(String), ['NaN', 'NaN', 'Infinity', '2', '0']);
    assert.deepEqual(vals(torch.minimum(x, y)).map(String), ['NaN', 'NaN', '2', '-Infinity', '0']);
    // NaN is true for logical ops and any/all, as bool(nan) in Python
    assert.deepEqual(vals(x.logicalNot()), [0, 0, 0, 0, 1]);
    assert.equal(torch.tensor([0, NaN]).any().item(), 1);
    assert.equal(torch.tensor([NaN, NaN]).all().item(), 1);
    assert.deepEqual(vals(torch.tensor([NaN, 0], { dtype: 'bool' })), [1, 0]);
    // int32 and bool are never NaN and always finite
    const i = torch.tensor([1, 2], { dtype: 'int32' });
    assert.deepEqual(vals(i.isnan()), [0, 0]);
    assert.deepEqual(vals(i.isfinite()), [1, 1]);
    assert.deepEqual(vals(torch.tensor([true, false]).isfinite()), [1, 1]);
  });
});

test('maximum at a NaN sends the whole gradient to both sides, as PyTorch', () => {
  const a = torch.tensor([NaN, 1, 2], { requiresGrad: true });
  const b = torch.tensor([1, NaN, 2], { requiresGrad: true });
  torch.maximum(a, b).sum().backward();
  assert.deepEqual(vals(a.grad!), [1, 1, 0.5]);
  assert.deepEqual(vals(b.grad!), [1, 1, 0.5]);
  a.dispose(); b.dispose();
});

// ---- int32 exactness, promotion and out-of-range numbers ------------------------------------------

test('int32 arithmetic is exact past 2^24 and wraps as int32; promotion follows PyTorch', () => {
  torch.tidy(() => {
    const i = torch.tensor(Int32Array.of(16777217, -16777217, 2147483647));
    assert.equal(i.dtype, 'int32');
    assert.deepEqual(vals(i.add(1)), [16777218, -16777216, -2147483648]);
    assert.deepEqual(vals(i.sub(i)), [0, 0, 0]);
    assert.deepEqual(vals(i.mul(2)), [33554434, -33554434, -2]);
    assert.equal(i.add(1).dtype, 'int32');
    assert.equal(i.add(0.5).dtype, 'float32');
    assert.equal(i.div(1).dtype, 'float32');
    assert.equal(i.add(torch.ones(3)).dtype, 'float32');
    assert.equal(torch.tensor([true]).add(1).dtype, 'int32');
    assert.equal(torch.tensor([true]).add(torch.tensor([true])).dtype, 'bool');
    assert.equal(torch.tensor([true]).mul(0.5).dtype, 'float32');
    // a 0-dim float32 tensor still makes the result float32 (category beats dimension)
    assert.equal(i.add(torch.tensor(2)).dtype, 'float32');
    // comparisons stay exact: 16777217 is not 16777216 even though float32 cannot tell them apart
    assert.deepEqual(vals(i.eq(16777216)), [0, 0, 0]);
    assert.deepEqual(vals(i.gt(torch.tensor(Int32Array.of(16777216, -16777218, 0)))), [1, 1, 1]);
    // numbers beyond int32 compare by value instead of wrapping
    assert.deepEqual(vals(i.lt(2 ** 40)), [1, 1, 1]);
    assert.deepEqual(vals(i.ge(-(2 ** 40))), [1, 1, 1]);
    assert.deepEqual(vals(i.eq(2 ** 32 + 1)), [0, 0, 0]);
    assert.deepEqual(vals(i.ne(2 ** 32 + 1)), [1, 1, 1]);
    assert.deepEqual(vals(torch.gt(2 ** 40, i)), [1, 1, 1]);
    assert.deepEqual(vals(torch.le(2 ** 40, i)), [0, 0, 0]);
    // unary: neg/abs/sign stay int32, float math gives float32
    assert.deepEqual(vals(torch.tensor(Int32Array.of(-2147483648, 5)).neg()), [-2147483648, -5]);
    assert.equal(i.sqrt().dtype, 'float32');
    assert.equal(torch.tensor([true, false]).sign().dtype, 'bool');
    // clamp bounds beyond int32 are int32's own limits
    assert.deepEqual(vals(i.clamp(-(2 ** 40), 2 ** 40)), vals(i));
    assert.deepEqual(vals(i.clamp(0, 2 ** 40)), [16777217, 0, 2147483647]);
    assert.equal(i.clamp(null, 2 ** 40).dtype, 'int32');
  });
});

test('item() on bool gives 1 or 0; bool creation', () => {
  torch.tidy(() => {
    assert.equal(torch.tensor(true).item(), 1);
    assert.equal(torch.tensor([false]).item(), 0);
    assert.equal(torch.tensor(2).gt(1).item(), 1);
    const b = torch.tensor([[true, false], [false, true]]);
    assert.equal(b.dtype, 'bool');
    assert.deepEqual(b.shape, [2, 2]);
    assert.deepEqual(vals(b), [1, 0, 0, 1]);
    assert.equal(torch.tensor([true, 2]).dtype, 'float32', 'mixed booleans and numbers are numbers');
    assert.deepEqual(vals(torch.tensor([0, 2, -0.5], { dtype: 'bool' })), [0, 1, 1]);
    assert.deepEqual(vals(torch.tensor(Int32Array.of(0, 7), { dtype: 'bool' })), [0, 1]);
    assert.deepEqual(vals(torch.tensor([true, false], { dtype: 'int32' })), [1, 0]);
    for (const t of [torch.zeros(3, { dtype: 'bool' }), torch.ones([3], { dtype: 'bool' }), torch.full([3], 5, { dtype: 'bool' }),
      torch.empty(3, { dtype: 'bool' }), torch.eye(3, 3, { dtype: 'bool' }), torch.zerosLike(b), torch.randint(0, 2, [3], { dtype: 'bool' })]) {
      assert.equal(t.dtype, 'bool');
    }
    assert.deepEqual(vals(torch.full([2], 5, { dtype: 'bool' })), [1, 1]);
    assert.deepEqual(vals(torch.eye(2, 2, { dtype: 'bool' })), [1, 0, 0, 1]);
    assert.deepEqual(vals(torch.onesLike(b)), [1, 1, 1, 1]);
  });
});

test('any/all over several dims (PyTorch 2.2+), dim null, keepdim without dim, 0-dim inputs', () => {
  torch.tidy(() => {
    torch.manualSeed(21);
    const x = torch.randn(2, 3, 4).gt(0.8);
    assert.deepEqual(vals(x.any([0, 2])), vals(x.any(2).any(0)));
    assert.deepEqual(vals(x.all([-1, 0], true)), vals(x.all(2, true).all(0, true)));
    assert.deepEqual(x.all([-1, 0], true).shape, [1, 3, 1]);
    assert.deepEqual(x.any([0, 1, 2]).shape, []);
    assert.deepEqual(vals(x.any([0, 1, 2])), vals(x.any()));
    assert.deepEqual(x.any(null, true).shape, [1, 1, 1]);
    assert.deepEqual(x.all([]).shape, [], 'an empty dim list reduces everything, as sum');
    assert.equal(torch.any(x, null).item(), x.any().item());
    const s = torch.tensor(0.5);
    assert.deepEqual(s.any(0).shape, []);
    assert.equal(s.all(-1, true).item(), 1);
    assert.equal(torch.tensor(0).any().item(), 0);
  });
});

// ---- strided and broadcast operands ----------------------------------------------------------------

test('transposed and expanded operands give the same results as contiguous copies', () => {
  torch.tidy(() => {
    torch.manualSeed(5);
    const a = torch.randint(-2, 3, [4, 3], { dtype: 'float32' }).t(); // [3, 4], strided
    const b = torch.randint(-2, 3, [3, 4], { dtype: 'float32' });
    const ac = a.contiguous();
    assert.equal(a.isContiguous(), false);
    for (const op of ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'maximum', 'minimum', 'logicalAnd', 'logicalXor'] as const) {
      assert.deepEqual(vals(torch[op](a, b)), vals(torch[op](ac, b)), op);
    }
    const ai = torch.randint(-5, 5, [4, 3]).t(), bi = torch.randint(-5, 5, [1, 4]);
    for (const op of ['add', 'sub', 'mul', 'maximum', 'lt'] as const) {
      assert.deepEqual(vals(torch[op](ai, bi)), vals(torch[op](ai.contiguous(), bi)), op);
    }
    const cond = a.gt(0);
    assert.deepEqual(vals(torch.where(cond, a, b)), vals(torch.where(cond.contiguous(), ac, b)));
    assert.deepEqual(vals(a.maskedFill(cond, 9)), vals(ac.maskedFill(cond.contiguous(), 9)));
    assert.deepEqual(vals(a.any(0)), vals(ac.any(0)));
    assert.deepEqual(vals(a.all(1, true)), vals(ac.all(1, true)));
    assert.deepEqual(vals(a.logicalNot()), vals(ac.logicalNot()));
    assert.deepEqual(vals(ai.neg()), vals(ai.contiguous().neg()));
    // long rows exercise the v128 loops and their tails
    const x = torch.randn(3, 37), y = torch.randn(37);
    const expect = Array.from(x.toFloat32Array(), (v, k) => Number(v > y.toFloat32Array()[k % 37]));
    assert.deepEqual(vals(x.gt(y)), expect);
    assert.deepEqual(vals(torch.where(x.gt(y), 1, 0)), expect);
    assert.equal(torch.where(x.gt(y), 1, 0).dtype, 'int32');
    assert.deepEqual(vals(x.gt(y).any(1)), expect.reduce((acc, v, k) => { acc[Math.floor(k / 37)] ||= v; return acc; }, [0, 0, 0]));
  });
});

// ---- gradients -------------------------------------------------------------------------------------

torch.manualSeed(13);
const keep = (t: Tensor): Tensor => torch.keep(t);
const B34 = keep(torch.randn(3, 4)), B4 = keep(torch.randn(4)), M34 = keep(torch.randn(3, 4).gt(0)), M4 = keep(torch.randn(4).gt(0));
const fdCases: [string, (x: Tensor) => Tensor, number[]][] = [
  ['where a', (x) => torch.where(M34, x, B34), [3, 4]],
  ['where b broadcast', (x) => torch.where(M34, B4, x), [3, 1]],
  ['where both sides', (x) => torch.where(M4, x, x.mul(2)), [3, 4]],
  ['where number', (x) => x.where(M34, 0.5), [3, 4]],
  ['maximum', (x) => torch.maximum(x, B34), [3, 4]],
  ['maximum broadcast', (x) => torch.maximum(x, B4), [3, 1]],
  ['minimum', (x) => x.minimum(B4), [3, 4]],
  ['minimum number', (x) => torch.minimum(1.7, x), [3, 4]],
  ['maskedFill', (x) => x.maskedFill(M34, -1), [3, 4]],
  ['maskedFill mask broadcast', (x) => x.maskedFill(M4, 2), [3, 4]],
  ['maskedFill mask larger than input', (x) => x.maskedFill(M34, 2), [4]],
  ['int32 mul float', (x) => x.mul(torch.tensor(Int32Array.of(1, -2, 3, 4))), [3, 4]],
  ['bool div', (x) => torch.div(M4, x.abs().add(1)), [3, 4]],
];
for (const [name, fn, shape] of fdCases) test(`finite differences: ${name}`, () => fd(name, fn, shape));

test('maskedFill with a 0-dim tensor value: the value gets the masked gradient', () => {
  const x = torch.tensor([1, 2, 3], { requiresGrad: true });
  const v = torch.tensor(5, { requiresGrad: true });
  const m = torch.tensor([true, false, true]);
  const y = x.maskedFill(m, v);
  assert.equal(y.gradFn!.name, 'MaskedFillBackward1');
  y.mul(torch.tensor([1, 2, 3])).sum().backward();
  assert.deepEqual(vals(x.grad!), [0, 2, 0]);
  assert.deepEqual(vals(v.grad!), [4]);
  assert.deepEqual(v.grad!.shape, []);
  for (const t of [x, v, m, y]) t.dispose();
});

test('gradFn names and which results require grad', () => {
  torch.tidy(() => {
    const x = torch.randn(3, { requiresGrad: true });
    const m = x.gt(0);
    assert.equal(m.requiresGrad, false, 'comparisons are not differentiable');
    assert.equal(m.gradFn, null);
    assert.equal(torch.where(m, x, 0).gradFn!.name, 'WhereBackward0');
    assert.equal(torch.maximum(x, 0).gradFn!.name, 'MaximumBackward0');
    assert.equal(torch.minimum(x, x).gradFn!.name, 'MinimumBackward0');
    assert.equal(x.maskedFill(m, 0).gradFn!.name, 'MaskedFillBackward0');
    assert.equal(x.mul(torch.tensor(Int32Array.of(1, 2, 3))).gradFn!.name, 'MulBackward0');
    assert.equal(torch.where(m, torch.ones(3), 0).requiresGrad, false);
    assert.throws(() => { m.requiresGrad = true; }, /only float32 tensors can require gradients, got bool/);
    assert.throws(() => torch.zeros(2, { dtype: 'bool', requiresGrad: true }), /only float32/);
  });
});

// ---- errors: named, thrown before any allocation, inputs unchanged -----------------------------------

test('error paths throw named errors and leave memory and inputs unchanged', () => {
  const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const i = torch.tensor(Int32Array.of(1, 2, 3));
  const b = torch.tensor([true, false, true]);
  const m23 = torch.tensor([[true, false, true], [false, true, false]]);
  const ones4 = torch.ones(4), ones1 = torch.ones(1), mask3 = torch.ones(3).gt(0), mask4 = torch.ones(4).gt(0), xpos = x.detach().gt(0);
  const before = torch.memory();
  const snapshot = [vals(x), vals(i), vals(b)];
  const cases: [() => unknown, string, RegExp][] = [
    [() => torch.where(xpos, x, ones4), 'RangeError', /where: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    [() => torch.where(i, x, 0), 'TypeError', /where: expected condition to be a bool tensor, got a int32 tensor of shape \[3\]/],
    [() => torch.where(x, x, 0), 'TypeError', /where: expected condition to be a bool tensor, got a float32 tensor/],
    [() => torch.where(b, 'a' as never, 0), 'TypeError', /where: input must be a tensor or a number, got string/],
    [() => torch.where(1 as never, x, 0), 'TypeError', /where: condition must be a tensor, got the number 1/],
    [() => x.maskedFill(i, 0), 'TypeError', /maskedFill: expected mask to be a bool tensor, got a int32 tensor/],
    [() => x.maskedFill(mask3, ones1), 'TypeError', /maskedFill: value must be a number or a 0-dim tensor, got a float32 tensor of shape \[1\]/],
    [() => x.maskedFill(mask4, 1), 'RangeError', /maskedFill: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    [() => x.maskedFill(m23, 'v' as never), 'TypeError', /maskedFill: value must be a number or a 0-dim tensor, got string/],
    [() => i.maskedFill(b, Infinity), 'RangeError', /maskedFill: cannot fill an int32 tensor with Infinity/],
    [() => i.maskedFill(b, 2 ** 40), 'RangeError', /maskedFill: the number 1099511627776 does not fit in int32/],
    [() => x.gt(ones4), 'RangeError', /gt: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    [() => x.eq('1' as never), 'TypeError', /eq: operands must be tensors or numbers/],
    [() => torch.lt(1 as never, 2), 'TypeError', /lt: at least one operand must be a tensor, got two numbers/],
    [() => torch.maximum(x, ones4), 'RangeError', /maximum: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    [() => i.maximum(2 ** 31), 'RangeError', /maximum: the number 2147483648 does not fit in int32/],
    [() => i.add(2 ** 31), 'RangeError', /add: the number 2147483648 does not fit in int32/],
    [() => i.add(i, { alpha: 0.5 }), 'TypeError', /add: alpha must be an integer for integer \(int32\/bool\) operands, got 0.5/],
    [() => i.add(i, { alpha: '2' as never }), 'TypeError', /add: alpha must be a number, got string/],
    [() => b.sub(b), 'TypeError', /sub: subtraction with a bool tensor is not supported/],
    [() => i.sub(b), 'TypeError', /sub: subtraction with a bool tensor is not supported/],
    [() => b.neg(), 'TypeError', /neg: negation of a bool tensor is not supported/],
    [() => b.abs(), 'TypeError', /abs: not supported for bool tensors/],
    [() => i.gelu(), 'TypeError', /gelu: not supported for int32 tensors/],
    [() => i.pow(-1), 'RangeError', /pow: integers to negative integer powers are not allowed \(exponent -1\)/],
    [() => torch.pow(b, b), 'TypeError', /pow: not supported for two bool tensors/],
    [() => i.pow(2 ** 31), 'RangeError', /pow: the number 2147483648 does not fit in int32/],
    [() => i.add(ones4), 'RangeError', /add: shapes \[3\] and \[4\] cannot be broadcast/],
    [() => i.mul('2' as never), 'TypeError', /mul: operands must be tensors or numbers/],
    [() => torch.logicalAnd(x, ones4), 'RangeError', /logicalAnd: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    [() => torch.logicalNot(3 as never), 'TypeError', /logicalNot: input must be a tensor, got the number 3/],
    [() => x.any(2), 'RangeError', /any: dimension 2 is out of range for a tensor of 2 dims/],
    [() => x.all(-3), 'RangeError', /all: dimension -3 is out of range/],
    [() => x.all([0, -2]), 'RangeError', /all: dim \[0, -2\] repeats a dimension/],
    [() => x.any(0, 'yes' as never), 'TypeError', /any: keepdim must be a boolean, got string/],
    [() => torch.isnan([1] as never), 'TypeError', /isnan: input must be a tensor/],
    [() => torch.arange(3, undefined, 1, { dtype: 'bool' }), 'TypeError', /arange: dtype 'bool' is not supported/],
    [() => torch.zeros(2, { dtype: 'int64' as never }), 'TypeError', /zeros: .*dtype.*bool.*int64/],
  ];
  for (const [fn, name, message] of cases) {
    assert.throws(fn, { name, message }, String(message));
    assert.equal(torch.memory().liveTensors, before.liveTensors, `${message}: live tensors`);
    assert.equal(torch.memory().bytesInUse, before.bytesInUse, `${message}: bytes`);
  }
  assert.deepEqual([vals(x), vals(i), vals(b)], snapshot);
  assert.equal(x.grad, null);
  // a disposed operand throws by name too
  const d = torch.ones(3);
  d.dispose();
  assert.throws(() => d.gt(0), /gt: the tensor of shape \[3\] was disposed/);
  assert.throws(() => torch.where(b, d, 0), /where: the tensor of shape \[3\] was disposed/);
  assert.throws(() => i.add(d), /was disposed/);
  for (const t of [x, i, b, m23, ones4, ones1, mask3, mask4, xpos]) t.dispose();
});

// ---- memory ------------------------------------------------------------------------------------------

test('every op frees its temporaries; backward frees what it saved', () => {
  // no input requires grad here, so no graph holds saved buffers: every live tensor is a leak
  const x = torch.randn(3, 4);
  const i = torch.randint(-3, 3, [4]);
  const b = torch.randn(4).gt(0);
  const one = torch.tensor(1), twoHalf = torch.tensor(2.5);
  const base = torch.memory();
  const run = (f: () => Tensor): void => {
    const before = torch.memory();
    const out = f();
    out.dispose();
    assert.equal(torch.memory().liveTensors, before.liveTensors, f.toString());
    assert.equal(torch.memory().bytesInUse, before.bytesInUse, f.toString());
  };
  for (const f of [
    () => x.gt(i), () => i.lt(0.5), () => i.eq(2 ** 40), () => x.maximum(i), () => i.minimum(b),
    () => torch.where(b, i, x), () => torch.where(b, i, 2.5), () => x.maskedFill(b, one),
    () => i.maskedFill(b, twoHalf), () => torch.logicalAnd(x, i), () => torch.logicalXor(x, 0),
    () => x.logicalNot(), () => x.any(), () => x.all([0, 1]), () => x.any(1), () => x.all(-1, true),
    () => x.isnan(), () => i.isfinite(), () => i.add(x), () => i.mul(i), () => b.add(b, { alpha: 0 }),
    () => i.sub(i, { alpha: 3 }), () => i.div(i), () => b.mul(0.5), () => i.sqrt(), () => i.neg(), () => i.relu(),
  ]) run(f);
  // a graph through where/maximum/maskedFill frees every saved buffer after backward
  const x2 = torch.randn(3, 4, { requiresGrad: true });
  const beforeGraph = torch.memory();
  torch.tidy(() => {
    const y = torch.where(b, x2, 0).maximum(x2.mul(0.5)).maskedFill(x2.gt(1), 0).add(x2.mul(i));
    y.sum().backward();
  });
  const afterGraph = torch.memory();
  assert.equal(afterGraph.liveTensors, beforeGraph.liveTensors + 1, 'only x2.grad is new');
  assert.equal(afterGraph.bytesInUse, beforeGraph.bytesInUse + 48);
  for (const t of [x, i, b, x2, one, twoHalf]) t.dispose();
  assert.equal(torch.memory().liveTensors, base.liveTensors - 5);
});
