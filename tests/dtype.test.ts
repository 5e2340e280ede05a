// The dtype family (src/ops/dtype.ts, the in-place ops of src/ops/inplace.ts on int32 and bool
// targets, the casts of src/ops/elementwise.ts and assembly/dtype.ts): PyTorch fixtures
// (tests/fixtures/gen_dtype.py → dtype.json) for conversions, in-place int32/bool/mixed arithmetic,
// the *_as helpers and `.T`, and PyTorch's errors; NaN, ±Infinity and out-of-range float → int32
// conversions (PyTorch: undefined values; here a RangeError naming the value); identity and graph
// rules; finite differences for the differentiable helpers; options, error paths and memory.
// Tolerances: int32 and bool results are compared exactly; float32 results to 1e-6 relative +
// 1e-6 absolute (single IEEE operations: they match PyTorch to the last bit in practice); finite
// differences to 2e-2 (float32 steps of 1e-2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import type { Tensor, DType } from '../src/index.js';
import { loadFixture, assertClose, checkFiniteDifferences as fd } from './oracle.js';

interface TJ { shape: number[]; data: number[]; dtype: DType }
type Arg = TJ | { scalar: number } | { dtype: DType };
interface DCase { name: string; op: string; self: TJ; args: Arg[]; kwargs: Record<string, unknown>; transpose: boolean; out?: TJ; error?: string }
interface LikeCase { op: 'randnLike' | 'randLike'; self: TJ; error?: string | null; dtype?: DType; shape?: number[] }
const fx = loadFixture<{ cases: DCase[]; like: LikeCase[]; identity: Record<string, boolean> }>('dtype.json');

/** A tensor from fixture JSON, with its dtype. */
function make(t: TJ): Tensor {
  return torch.tensor(t.dtype === 'float32' ? Float32Array.from(t.data) : Int32Array.from(t.data), { dtype: t.dtype }).reshape(t.shape);
}
/** Values as plain numbers (bool as 0/1), exact for int32. */
const vals = (t: Tensor): number[] => (t.dtype === 'float32' ? Array.from(t.toFloat32Array()) : Array.from(t.toInt32Array()));

/** Each fixture op as wasmtorch spells it: PyTorch's snake_case → camelCase, keyword args → options. */
function run(c: DCase, self: Tensor, args: (Tensor | number | DType)[]): Tensor {
  const kw = c.kwargs as Record<string, any>;
  const a0 = args[0] as any;
  switch (c.op) {
    case 'float': return self.float();
    case 'int': return self.int();
    case 'long': return self.long();
    case 'bool': return self.bool();
    case 'to': return args.length ? self.to(a0) : self.to({ dtype: kw.dtype });
    case 'type_as': return self.typeAs(a0);
    case 'view_as': return self.viewAs(a0);
    case 'reshape_as': return self.reshapeAs(a0);
    case 'expand_as': return self.expandAs(a0);
    case 'add_': return self.add_(a0, kw.alpha === undefined ? undefined : { alpha: kw.alpha });
    case 'sub_': return self.sub_(a0, kw.alpha === undefined ? undefined : { alpha: kw.alpha });
    case 'mul_': return self.mul_(a0);
    case 'div_': return self.div_(a0);
    case 'fill_': return self.fill_(a0);
    case 'zero_': return self.zero_();
    case 'copy_': return self.copy_(a0);
    case 'clamp_': return self.clamp_(args.length > 0 ? a0 : kw.min, args.length > 1 ? (args[1] as number) : kw.max);
  }
  throw new Error(`no wasmtorch op for fixture op '${c.op}'`);
}

/** The error class wasmtorch throws where PyTorch raises, and what its message must say. */
function expectedError(c: DCase): [typeof TypeError | typeof RangeError, RegExp] {
  const cast = /result type (\w+) can't be cast to the desired output type (\w+)/.exec(c.error!);
  if (cast) {
    // PyTorch names a Python integer Long; wasmtorch's integer type is int32 (Int)
    const from = cast[1] === 'Long' ? 'Int' : cast[1];
    const to = cast[2][0].toUpperCase() + cast[2].slice(1);
    return [TypeError, new RegExp(`^${c.op}: result type ${from} can't be cast to the desired output type ${to}`)];
  }
  if (/alpha must not be a floating point/.test(c.error!)) return [TypeError, new RegExp(`^${c.op}: alpha must be an integer`)];
  if (/Subtraction/.test(c.error!)) return [TypeError, new RegExp(`^${c.op}: subtraction with a bool tensor is not supported`)];
  if (/without overflow/.test(c.error!)) return [RangeError, new RegExp(`^${c.op}: cannot fill an int32 tensor with 1099511627776`)];
  if (c.op === 'expand_as') return [RangeError, /^expand: the size 3 of dim 1/];
  return [RangeError, new RegExp(`^${c.op}: .*(does not fit|cannot be broadcast|shape)`)];
}

for (const c of fx.cases) {
  test(`PyTorch fixture: ${c.name}`, () => {
    torch.tidy(() => {
      const base = make(c.self);
      const self = c.transpose ? base.t() : base;
      const args = c.args.map((a) => ('scalar' in a ? a.scalar : 'data' in a ? make(a) : a.dtype));
      const before = vals(base);
      if (c.error !== undefined) {
        const live = torch.memory().liveTensors;
        const [cls, re] = expectedError(c);
        assert.throws(() => run(c, self, args), (e: Error) => {
          assert.ok(e instanceof cls, `${c.name}: expected a ${cls.name}, got ${e.constructor.name}: ${e.message}`);
          assert.match(e.message, re, `${c.name}: message (PyTorch: ${c.error})`);
          return true;
        });
        assert.deepEqual(vals(base), before, `${c.name}: the target is unchanged`);
        assert.equal(torch.memory().liveTensors, live, `${c.name}: no tensor leaked`);
        return;
      }
      const out = run(c, self, args);
      if (c.op.endsWith('_')) assert.equal(out, self, `${c.name}: in-place ops return the target`);
      assert.equal(out.dtype, c.out!.dtype, `${c.name}: dtype`);
      assert.deepEqual(out.shape, c.out!.shape, `${c.name}: shape`);
      if (out.dtype === 'float32') assertClose(vals(out), c.out!.data, `${c.name}: values`, 1e-6, 1e-6);
      else assert.deepEqual(vals(out), c.out!.data, `${c.name}: values`);
    });
  });
}

test('randnLike and randLike refuse int32 and bool inputs as PyTorch, and take { dtype: float32 }', () => {
  for (const c of fx.like) {
    const t = make(c.self);
    const f = c.op === 'randnLike' ? torch.randnLike : torch.randLike;
    if (c.error) {
      const live = torch.memory().liveTensors;
      assert.throws(() => f(t), (e: Error) => e instanceof TypeError && e.message.startsWith(`${c.op}: sampling is not implemented for ${c.self.dtype}`)
        && e.message.includes(c.error!.replace(/'(Int|Bool)'/, '')), `${c.op} of ${c.self.dtype}`);
      assert.equal(torch.memory().liveTensors, live, `${c.op}: nothing allocated`);
    } else if (c.dtype) {
      const r = f(t, { dtype: c.dtype });
      assert.equal(r.dtype, 'float32');
      assert.deepEqual(r.shape, c.shape);
      if (c.op === 'randLike') assert.ok(vals(r).every((v) => v >= 0 && v < 1), 'randLike draws from [0, 1)');
      r.dispose();
    }
    t.dispose();
  }
  const x = torch.randn(2, 3);
  assert.deepEqual(torch.randLike(x).shape, [2, 3]);
  assert.throws(() => torch.randLike(x, { dtpye: 'float32' } as never), /randLike: unknown option 'dtpye'/);
  assert.throws(() => torch.randnLike(x, { dtype: 'int32' }), /randnLike: sampling is not implemented for int32/);
  x.dispose();
});

test('a conversion to the own dtype is the tensor itself; to int32 or bool leaves the graph (as PyTorch)', () => {
  assert.deepEqual(fx.identity, { to_float32_is_self: true, float_is_self: true, int_requires_grad: false, bool_requires_grad: false, int_of_int_is_self: true });
  torch.tidy(() => {
    const x = torch.randn(3, { requiresGrad: true });
    assert.equal(x.to('float32'), x);
    assert.equal(x.float(), x);
    assert.equal(x.to({ dtype: 'float32' }), x);
    assert.equal(x.to('cpu'), x);
    assert.equal(x.to({ device: 'cpu' }), x);
    assert.equal(x.to({}), x);
    assert.equal(x.typeAs(torch.zeros(1)), x);
    const i = x.int(), b = x.bool();
    assert.equal(i.requiresGrad, false); assert.equal(i.isLeaf, true); assert.equal(i.gradFn, null);
    assert.equal(b.requiresGrad, false);
    const k = torch.tensor([1, 2], { dtype: 'int32' });
    assert.equal(k.int(), k); assert.equal(k.long(), k); assert.equal(k.to('int32'), k);
    // the gradient flows through the identity
    x.float().mul(2).sum().backward();
    assert.deepEqual(vals(x.grad!), [2, 2, 2]);
    // int32 → float32 gives a new leaf that may then require grad
    const f = k.float();
    assert.notEqual(f, k);
    assert.equal(f.requiresGrad, false);
    f.requiresGrad_();
    f.square().sum().backward();
    assert.deepEqual(vals(f.grad!), [2, 4]);
  });
});

test('NaN, ±Infinity and values outside int32 are a RangeError naming the value (PyTorch: undefined values)', () => {
  const cases: [number[], string, number][] = [
    [[1, NaN, 3], 'NaN', 1], [[Infinity], 'Infinity', 0], [[0, -Infinity], '-Infinity', 1],
    [[2147483648], '2147483648', 0], [[-2147483904], '-2147483904', 0], [[1e30, 1], '1.0000000150474662e+30', 0],
  ];
  for (const [data, shown, at] of cases) {
    const t = torch.tensor(data);
    const live = torch.memory().liveTensors;
    for (const [name, f] of [['int', () => t.int()], ['long', () => t.long()], ['to', () => t.to('int32')], ['to', () => t.to({ dtype: 'int32' })],
      ['typeAs', () => t.typeAs(torch.zeros(1, { dtype: 'int32' }))]] as const) {
      assert.throws(f, (e: Error) => e instanceof RangeError && e.message.startsWith(`${name}: cannot convert ${shown} (element ${at} of a float32 tensor`), `${name} of ${data}`);
    }
    assert.ok(torch.memory().liveTensors <= live + 1, 'only typeAs\'s own target tensor may remain'); // torch.zeros above
    const dst = torch.tensor(data.map(() => 7), { dtype: 'int32' });
    assert.throws(() => dst.copy_(t), (e: Error) => e instanceof RangeError && e.message.startsWith(`copy_: cannot convert ${shown}`));
    assert.deepEqual(vals(dst), data.map(() => 7), 'copy_ wrote nothing');
    dst.dispose(); t.dispose();
  }
  // the largest float32 values that fit convert exactly; the SIMD loop and the scalar tail agree
  assert.deepEqual(vals(torch.tensor([2147483520, -2147483648, -2147483520, 0.5, -0.5]).int()), [2147483520, -2147483648, -2147483520, 0, 0]);
  torch.manualSeed(3);
  const big = torch.randn(1001).mul(1000);
  const expected = Array.from(big.toFloat32Array(), (v) => Math.trunc(v) + 0); // + 0: -0 → 0
  assert.deepEqual(vals(big.int()), expected);
  const withNaN = torch.tensor(Float32Array.from({ length: 1001 }, (_, k) => (k === 997 ? NaN : k - 500.5)));
  assert.throws(() => withNaN.int(), /int: cannot convert NaN \(element 997 of a float32 tensor of shape \[1001\]\)/);
  // a strided source is converted in its logical order
  const tr = torch.tensor([[1.5, -2.5], [3.5, -4.5]]).t();
  assert.deepEqual(vals(tr.int()), [1, 3, -2, -4]);
  // fill_ of an int32 tensor: NaN and out-of-range values
  const k = torch.zeros(3, { dtype: 'int32' });
  for (const v of [NaN, Infinity, 2 ** 31, -(2 ** 31) - 1]) {
    assert.throws(() => k.fill_(v), (e: Error) => e instanceof RangeError && e.message.startsWith(`fill_: cannot fill an int32 tensor with ${v}`));
  }
  assert.deepEqual(vals(k.fill_(-(2 ** 31))), [-2147483648, -2147483648, -2147483648]);
  assert.deepEqual(vals(torch.tensor([true, false]).fill_(NaN)), [1, 1], 'NaN is true, as bool(nan)');
  k.dispose();
});

test('to() checks its argument: dtype strings, { dtype, device }, a tensor', () => {
  const x = torch.tensor([1.5, -1.5]);
  assert.throws(() => x.to('float64' as never), (e: Error) => e instanceof TypeError && /^to: expected a dtype \('float32', 'int32', 'bool'\), the device 'cpu', \{ dtype, device \} or a tensor, got string "float64"/.test(e.message));
  assert.throws(() => x.to('cuda' as never), /to: expected a dtype .* got string "cuda"/);
  assert.throws(() => x.to({ dtype: 'int64' } as never), (e: Error) => e instanceof TypeError && /to: option 'dtype' must be one of 'float32', 'int32', 'bool', got string "int64"/.test(e.message));
  assert.throws(() => x.to({ device: 'cuda:0' } as never), /to: option 'device' must be 'cpu'/);
  assert.throws(() => x.to({ dtpye: 'int32' } as never), /to: unknown option 'dtpye'; known options: dtype, device/);
  assert.throws(() => x.to({ dtype: 'int32', copy: true } as never), /to: unknown option 'copy'/);
  assert.throws(() => x.to({ DType: 'int32' } as never), /to: unknown option 'DType' \(did you mean 'dtype'\?\)/);
  assert.throws(() => x.to(null as never), /to: expected a dtype .* got null/);
  assert.throws(() => x.to(undefined as never), /to: expected a dtype .* got undefined/);
  assert.deepEqual(vals(x.to(torch.zeros(1, { dtype: 'int32' }))), [1, -1]);
  assert.equal(x.to({ dtype: 'bool', device: 'cpu' }).dtype, 'bool');
  for (const [name, f] of [['typeAs', () => x.typeAs(3 as never)], ['viewAs', () => x.viewAs([2] as never)],
    ['reshapeAs', () => x.reshapeAs(null as never)], ['expandAs', () => x.expandAs({} as never)]] as const) {
    assert.throws(f, (e: Error) => e instanceof TypeError && e.message.startsWith(`${name}: expected a tensor`), name);
  }
  assert.throws(() => torch.numel([1, 2] as never), /numel: expected a tensor, got an array of 2/);
  assert.equal(torch.numel(torch.zeros(2, 3, 4)), 24);
  assert.equal(torch.isFloatingPoint(x), true);
  assert.equal(torch.tensor([1], { dtype: 'int32' }).isFloatingPoint(), false);
  assert.equal(torch.tensor([true]).isFloatingPoint(), false);
  const d = torch.tensor([1.5]);
  d.dispose();
  for (const [name, f] of [['to', () => d.to('int32')], ['int', () => d.int()], ['float', () => d.float()], ['bool', () => d.bool()],
    ['long', () => d.long()], ['typeAs', () => x.typeAs(d)], ['viewAs', () => x.viewAs(d)]] as const) {
    assert.throws(f, new RegExp(`^Error: ${name}: the tensor of shape \\[1\\] was disposed`), name);
  }
  // a disposed tensor is refused even where the conversion would return it unchanged
  assert.throws(() => d.to('float32'), /to: the tensor of shape \[1\] was disposed/);
  x.dispose();
});

test('viewAs, reshapeAs, expandAs and T: views sharing storage, with gradients (finite differences)', () => {
  torch.tidy(() => {
    // pytorch/examples' MNIST: correct += pred.eq(target.view_as(pred)).sum().item()
    const pred = torch.tensor([[3], [1], [4], [1]], { dtype: 'int32' });
    const target = torch.tensor([3, 2, 4, 1], { dtype: 'int32' });
    assert.equal(pred.eq(target.viewAs(pred)).sum().item(), 3);
    const m = torch.arange(6).reshape(2, 3);
    const mt = m.T;
    assert.deepEqual(mt.shape, [3, 2]);
    assert.equal(mt.storage, m.storage, 'T is a view');
    assert.deepEqual(vals(mt.contiguous()), [0, 3, 1, 4, 2, 5]);
    assert.deepEqual(torch.zeros(2, 3, 4).T.shape, [4, 3, 2]);
    assert.deepEqual(torch.zeros(5).T.shape, [5]);
    assert.deepEqual(torch.tensor(2).T.shape, []);
    assert.throws(() => torch.arange(6).reshape(2, 3).T.viewAs(torch.zeros(6)), /view: a tensor of shape \[3, 2\] .* is not contiguous/);
    assert.throws(() => m.viewAs(torch.zeros(4)), (e: Error) => e instanceof RangeError && /view: shape \[4\] is invalid for input of size 6/.test(e.message));
    assert.equal(m.expandAs(torch.zeros(4, 2, 3)).storage, m.storage);
  });
  fd('T', (x) => x.T.mul(torch.arange(12).reshape(4, 3).float()), [3, 4]);
  fd('T 3-D', (x) => x.T.square(), [2, 3, 4]);
  fd('viewAs', (x) => x.viewAs(torch.zeros(6, 2)).square(), [3, 4]);
  fd('reshapeAs of a transposed view', (x) => x.t().reshapeAs(torch.zeros(12)).square(), [3, 4]);
  fd('expandAs', (x) => x.expandAs(torch.zeros(4, 2, 3)).square(), [2, 1]);
  fd('typeAs float32', (x) => x.typeAs(torch.zeros(1)).square(), [3]);
  fd('to float32', (x) => x.to('float32').square(), [3]);
});

test('in place on int32: exact beyond 2^24, strided targets, alpha, broadcasting; float32 targets promote', () => {
  torch.tidy(() => {
    const big = torch.tensor([16777217, -16777219, 2147483647], { dtype: 'int32' });
    assert.deepEqual(vals(big.clone().add_(1)), [16777218, -16777218, -2147483648]);
    assert.deepEqual(vals(big.clone().sub_(big, { alpha: 1 })), [0, 0, 0]);
    assert.deepEqual(vals(big.clone().mul_(torch.tensor([true, false, true]))), [16777217, 0, 2147483647]);
    // a number outside int32 is refused, as the out-of-place add does (PyTorch wraps it silently)
    assert.throws(() => big.clone().add_(2 ** 40), (e: Error) => e instanceof RangeError && /add: the number 1099511627776 does not fit in int32/.test(e.message));
    assert.throws(() => big.add_(1, { aplha: 2 } as never), /add_: unknown option 'aplha'/);
    assert.throws(() => big.add_('1' as never), /add_: other must be a tensor or a number, got string/);
    assert.deepEqual(vals(big), [16777217, -16777219, 2147483647], 'refused calls left it unchanged');
    // int32 += int32 through a transposed target, with alpha
    const t = torch.zeros(2, 3, { dtype: 'int32' });
    t.t().add_(torch.tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'int32' }), { alpha: 3 });
    assert.deepEqual(vals(t), [3, 9, 15, 6, 12, 18]);
    t.t().clamp_(5, 12);
    assert.deepEqual(vals(t), [5, 9, 12, 6, 12, 12]);
    t.t().fill_(-1.9);
    assert.deepEqual(vals(t), [-1, -1, -1, -1, -1, -1]);
    // copy_ through a strided int32 target keeps every bit (words that read as float NaN included)
    const words = torch.tensor([-1, 2143289344, 2139095041, -4194304], { dtype: 'int32' });
    const dst = torch.zeros(2, 2, { dtype: 'int32' });
    dst.t().copy_(words.reshape(2, 2));
    assert.deepEqual(vals(dst), [-1, 2139095041, 2143289344, -4194304]);
    // float32 targets: int32 and bool operands are promoted, in place
    const f = torch.tensor([0.5, 1.5, -2.5]);
    f.add_(torch.tensor([1, 2, 3], { dtype: 'int32' }), { alpha: 0.5 });
    assert.deepEqual(vals(f), [1, 2.5, -1]);
    f.mul_(torch.tensor([true, false, true]));
    assert.deepEqual(vals(f), [1, 0, -1]);
    f.div_(torch.tensor([2, 1, 4], { dtype: 'int32' }));
    assert.deepEqual(vals(f), [0.5, 0, -0.25]);
    // clamp_ of bool, div_ of int32 with an int32 tensor
    assert.throws(() => torch.tensor([true]).clamp_(0, 1), /clamp_: result type Int can't be cast to the desired output type Bool/);
    assert.throws(() => torch.tensor([true]).clamp_(), /clamp_: at least one of min and max must be given/);
    assert.throws(() => torch.tensor([1], { dtype: 'int32' }).uniform_(), /uniform_: expected a float32 tensor, got int32/);
  });
});

test('in-place errors leave memory and every input unchanged; leaves that require grad are refused', () => {
  const i = torch.tensor([1, 2, 3], { dtype: 'int32' });
  const f = torch.tensor([0.5, 1.5, 2.5]);
  const nan = torch.tensor([NaN, 1, 2]), wide = torch.ones(2, 3, { dtype: 'int32' }), yes = torch.tensor([true]), it = i.t();
  const live = torch.memory().liveTensors, bytes = torch.memory().bytesInUse;
  for (const call of [() => i.add_(f), () => i.div_(i), () => i.mul_(0.5), () => i.clamp_(0.5), () => i.add_(i, { alpha: 0.5 }),
    () => i.copy_(nan), () => i.fill_(NaN), () => i.add_(wide), () => it.copy_(nan), () => f.sub_(yes)]) {
    assert.throws(call);
  }
  assert.deepEqual(vals(i), [1, 2, 3]);
  assert.deepEqual(vals(f), [0.5, 1.5, 2.5]);
  assert.equal(torch.memory().liveTensors, live);
  assert.equal(torch.memory().bytesInUse, bytes);
  // successful in-place int32 ops leave no temporary behind
  i.add_(i, { alpha: 2 }); i.mul_(3); i.clamp_(0, 20); i.copy_(f); i.fill_(2.5); i.zero_(); it.add_(1);
  f.add_(i); f.copy_(i);
  assert.equal(torch.memory().liveTensors, live);
  assert.equal(torch.memory().bytesInUse, bytes);
  const w = torch.randn(3, { requiresGrad: true });
  assert.throws(() => w.copy_(i), /copy_: a leaf tensor that requires grad/);
  torch.noGrad(() => w.copy_(i));
  assert.deepEqual(vals(w), [1, 1, 1]);
  for (const t of [i, f, w, nan, wide, yes, it]) t.dispose();
  // conversions in a loop free everything under tidy
  const before = torch.memory().liveTensors;
  const x = torch.randn(50);
  for (let k = 0; k < 20; k++) torch.tidy(() => { x.mul(100).int().float().bool().int().to('float32').typeAs(x).long(); });
  x.dispose();
  assert.equal(torch.memory().liveTensors, before);
});
