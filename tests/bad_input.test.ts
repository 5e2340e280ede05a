// The bad-input sweep (issue 11): every public function given wrong shapes, dtypes, dims, indices,
// negative, fractional, NaN and Infinity sizes, ragged arrays, sizes past 4 GiB, unknown or
// snake_case option keys, wrong option types and disposed tensors. Each case must throw the
// fitting class (TypeError: a wrong type or an unknown key; RangeError: a value, size, dim or index
// out of range; Error: anything else, such as a disposed tensor) with a message naming the
// function, the value and what was expected, leak no tensor and no byte (throwsClean), and, where
// `state` is given, leave the values, parameters, gradients or optimizer state it reads unchanged.
//
// One table per family; adding a case is one line. A case marked `lead` fails because of a file
// this sweep does not own (the lead's tensor.ts, shape.ts, runtime/, autograd/, ops/inplace.ts, or
// another helper's io/, conv, pooling, parameter.ts...): it is kept in the table, skipped with the
// reason, until that file is fixed; BAD_INPUT_LEAD=1 runs those cases too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from '../src/index.js';
import { throwsClean } from './support/throws.js';

const { nn, optim, F } = torch;
type Tensor = torch.Tensor;

interface Case {
  /** The call, as a user would write it. */
  name: string;
  fn: () => unknown;
  type: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor;
  /** Must name the function, the value and what was expected. */
  message: RegExp;
  /** Reads what must not change (values, parameters, grads, optimizer state): compared before and after. */
  state?: () => unknown;
  /** Why the case is skipped: a file owned by the lead still has to fix it. */
  lead?: string;
}

/** BAD_INPUT_LEAD=1 runs the cases waiting for the lead's files too (to see which now pass). */
const RUN_LEAD = process.env.BAD_INPUT_LEAD === '1';

function run(family: string, cases: Case[]): void {
  describe(family, () => {
    for (const c of cases) {
      test(c.name, { skip: c.lead && !RUN_LEAD ? `lead: ${c.lead}` : false }, () => {
        const before = c.state?.();
        throwsClean(c.fn, c.type, c.message);
        if (c.state) assert.deepEqual(c.state(), before, `${c.name}: state unchanged`);
      });
    }
  });
}

/** The values (and gradients) of tensors, to compare before and after a failed call. */
const values = (...ts: (Tensor | null | undefined)[]) => (): unknown => ts.map((t) => (t ? [t.tolist(), t.grad?.tolist() ?? null] : null));
/** The regex source of a literal string. */
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const disposed = (op: string, shape = '[2, 3]'): RegExp => new RegExp(`^${esc(op)}: the tensor of shape ${esc(shape)} was disposed`);

// ---- fixtures: made once, outside every call, so a call that throws leaves nothing of its own --
const x = torch.randn(2, 3);
const y = torch.randn(2, 3);
const y45 = torch.randn(4, 5);
const w53 = torch.randn(5, 3);
const x4 = torch.randn(2, 4);
const b2 = torch.zeros(2);
const xi = torch.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' });
const xb = x.gt(0);
const b45 = torch.ones(4, 5).gt(0);
const v3 = torch.ones(3);
const v4 = torch.ones(4);
const s0 = torch.tensor(1);
const x3 = torch.ones(2, 2, 2);
const xt = x.t();
const nan1 = torch.tensor([NaN]);
const gone = torch.randn(2, 3); gone.dispose();
const gone3 = torch.ones(3); gone3.dispose();
const gone1 = torch.ones(1); gone1.dispose();
const idx05 = torch.tensor([0, 5], { dtype: 'int32' });
const idxf = torch.tensor([0, 1]);
const idx22 = torch.zeros(2, 2, { dtype: 'int32' });
const idx23 = torch.zeros(2, 3, { dtype: 'int32' });
const idx23oob = torch.tensor([[0, 5, 0], [0, 0, 0]], { dtype: 'int32' });
const idxNeg = torch.tensor([[-1], [0]], { dtype: 'int32' });
const leaf = torch.ones(3, { requiresGrad: true });
const leafOut = leaf.mul(2); // a non-scalar output with a graph
const noGradSum = x.sum();
const zeros1 = torch.zeros(1);
const int3 = torch.zeros(3, { dtype: 'int32' });
const exp3 = zeros1.expand(3);
const one11 = torch.ones(1, 1);
const mask11 = one11.gt(0);
const big = one11.expand(65536, 65536); // a view of 2^32 elements: any copy of it is past the limit
const sizes = ['-1', '1.5', 'NaN', 'Infinity'] as const;
const sizeOf = { '-1': -1, '1.5': 1.5, NaN: NaN, Infinity: Infinity } as const;

// ---- creation ----------------------------------------------------------------------------------
const SIZED = { zeros: torch.zeros, ones: torch.ones, empty: torch.empty, randn: torch.randn, rand: torch.rand } as const;

run('creation', [
  ...Object.entries(SIZED).flatMap(([op, f]) => [
    ...sizes.map((s) => ({ name: `${op}(${s})`, fn: () => f(sizeOf[s]), type: RangeError, message: new RegExp(`^${op}: sizes must be non-negative integers, got \\[${esc(String(sizeOf[s]))}\\]`) })),
    { name: `${op}(2, -3)`, fn: () => f(2, -3), type: RangeError, message: new RegExp(`^${op}: sizes must be non-negative integers, got \\[2, -3\\]`) },
    { name: `${op}('3')`, fn: () => f('3' as never), type: TypeError, message: new RegExp(`^${op}: sizes must be numbers, got string "3"`) },
    { name: `${op}([2, [3]])`, fn: () => f([2, [3]] as never), type: TypeError, message: new RegExp(`^${op}: give the size as numbers or as one array`) },
    { name: `${op}(2, { requires_grad })`, fn: () => f(2, { requires_grad: true } as never), type: TypeError, message: new RegExp(`^${op}: unknown option 'requires_grad' \\(did you mean 'requiresGrad'\\?\\)`) },
    { name: `${op}(2, { requiresGrad: 'yes' })`, fn: () => f(2, { requiresGrad: 'yes' } as never), type: TypeError, message: new RegExp(`^${op}: option 'requiresGrad' must be a boolean, got string "yes"`) },
    { name: `${op}(2, { dtype: 'float64' })`, fn: () => f(2, { dtype: 'float64' } as never), type: TypeError, message: new RegExp(`^${op}: option 'dtype' must be one of "float32", "int32", "bool", got string "float64"`) },
    { name: `${op}(65536, 65536)`, fn: () => f(65536, 65536), type: RangeError, message: new RegExp(`^${op}: a tensor of shape \\[65536, 65536\\] needs 17179869184 bytes; the largest tensor is`) },
    { name: `${op}(2 ** 30 + 2)`, fn: () => f(2 ** 30 + 2), type: RangeError, message: new RegExp(`^${op}: a tensor of shape \\[1073741826\\] needs 4294967304 bytes; the largest tensor is`) },
    { name: `${op}(2 ** 53)`, fn: () => f(2 ** 53), type: RangeError, message: new RegExp(`^${op}: sizes must be non-negative integers, got \\[9007199254740992\\]`) },
  ]),
  { name: "randn(2, { dtype: 'int32' })", fn: () => torch.randn(2, { dtype: 'int32' }), type: TypeError, message: /^randn: only float32 is supported, got int32/ },
  { name: "zeros(2, { dtype: 'int32', requiresGrad: true })", fn: () => torch.zeros(2, { dtype: 'int32', requiresGrad: true }), type: TypeError, message: /^zeros: only float32 tensors can require gradients, got int32/ },
  { name: 'full(3, 1)', fn: () => torch.full(3 as never, 1), type: TypeError, message: /^full: size must be an array of numbers, got number 3/ },
  { name: 'full([-1], 1)', fn: () => torch.full([-1], 1), type: RangeError, message: /^full: sizes must be non-negative integers, got \[-1\]/ },
  { name: 'full([NaN], 1)', fn: () => torch.full([NaN], 1), type: RangeError, message: /^full: sizes must be non-negative integers, got \[NaN\]/ },
  { name: "full([2], '1')", fn: () => torch.full([2], '1' as never), type: TypeError, message: /^full: the fill value must be a number, got string "1"/ },
  { name: "full([2], 3e9, { dtype: 'int32' })", fn: () => torch.full([2], 3e9, { dtype: 'int32' }), type: RangeError, message: /^full: fill value 3000000000 cannot be converted to type int32 without overflow/ },
  { name: 'full([2], 1, { device })', fn: () => torch.full([2], 1, { device: 'cpu' } as never), type: TypeError, message: /^full: unknown option 'device'; known options: requiresGrad, dtype/ },
  { name: 'full([65536, 65536], 1)', fn: () => torch.full([65536, 65536], 1), type: RangeError, message: /^full: .*65536, 65536/ },
  { name: 'tensor([[1, 2], [3]])', fn: () => torch.tensor([[1, 2], [3]]), type: RangeError, message: /^tensor: ragged nested array at data\[1\] \(expected shape \[2, 2\]\)/ },
  { name: 'tensor([[1, 2], 3])', fn: () => torch.tensor([[1, 2], 3]), type: RangeError, message: /^tensor: ragged nested array at data\[1\] \(expected shape \[2, 2\]\)/ },
  { name: 'tensor([1, [2]])', fn: () => torch.tensor([1, [2]]), type: RangeError, message: /^tensor: ragged nested array at data\[1\] \(expected shape \[2\]\)/ },
  { name: 'tensor([[[1]], [[2, 3]]])', fn: () => torch.tensor([[[1]], [[2, 3]]]), type: RangeError, message: /^tensor: ragged nested array at data\[1\]\[0\] \(expected shape \[2, 1, 1\]\)/ },
  { name: 'tensor(Float64Array)', fn: () => torch.tensor(new Float64Array([1, 2]) as never), type: TypeError, message: /^tensor: a Float64Array is not supported .*pass a Float32Array, an Int32Array or Array.from\(data\)/ },
  { name: 'tensor(Uint8Array)', fn: () => torch.tensor(new Uint8Array([1, 2]) as never), type: TypeError, message: /^tensor: a Uint8Array is not supported/ },
  { name: 'tensor([1n])', fn: () => torch.tensor([1n] as never), type: TypeError, message: /^tensor: expected numbers, got bigint at data\[0\]/ },
  { name: 'tensor(17 nested levels)', fn: () => torch.tensor([[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]), type: RangeError, message: /^tensor: tensors have at most 16 dims, got 17/ },
  { name: 'tensor([[], [1]])', fn: () => torch.tensor([[], [1]]), type: RangeError, message: /^tensor: ragged nested array at data\[1\] \(expected shape \[2, 0\]\)/ },
  { name: "tensor(Float32Array [NaN], { dtype: 'int32' })", fn: () => torch.tensor(new Float32Array([NaN]), { dtype: 'int32' }), type: RangeError, message: /^tensor: value NaN cannot be converted to type int32 without overflow/ },
  { name: "tensor(['a'])", fn: () => torch.tensor(['a'] as never), type: TypeError, message: /^tensor: expected numbers, got string at data\[0\]/ },
  { name: 'tensor(undefined)', fn: () => torch.tensor(undefined as never), type: TypeError, message: /^tensor: expected numbers, got undefined at data/ },
  { name: 'tensor(null)', fn: () => torch.tensor(null as never), type: TypeError, message: /^tensor: expected numbers, got (object|null) at data/ },
  { name: "tensor([1], { dtype: 'float64' })", fn: () => torch.tensor([1], { dtype: 'float64' } as never), type: TypeError, message: /^tensor: option 'dtype' must be one of .*got string "float64"/ },
  { name: 'tensor([1], { requires_grad })', fn: () => torch.tensor([1], { requires_grad: true } as never), type: TypeError, message: /^tensor: unknown option 'requires_grad' \(did you mean 'requiresGrad'\?\)/ },
  { name: "tensor([3e9], { dtype: 'int32' })", fn: () => torch.tensor([3e9], { dtype: 'int32' }), type: RangeError, message: /^tensor: value 3000000000 cannot be converted to type int32 without overflow/ },
  { name: "tensor([1, NaN], { dtype: 'int32' })", fn: () => torch.tensor([1, NaN], { dtype: 'int32' }), type: RangeError, message: /^tensor: value NaN \(at index 1\) cannot be converted to type int32/ },
  { name: "tensor([1], { dtype: 'int32', requiresGrad: true })", fn: () => torch.tensor([1], { dtype: 'int32', requiresGrad: true }), type: TypeError, message: /^tensor: only float32 tensors can require gradients, got int32/ },
  { name: 'arange(NaN)', fn: () => torch.arange(NaN), type: RangeError, message: /^arange: unsupported range: 0 -> NaN \(expected finite numbers\)/ },
  { name: 'arange(Infinity)', fn: () => torch.arange(Infinity), type: RangeError, message: /^arange: unsupported range: 0 -> Infinity/ },
  { name: 'arange(0, 5, 0)', fn: () => torch.arange(0, 5, 0), type: RangeError, message: /^arange: step must be a non-zero finite number, got 0/ },
  { name: 'arange(0, 5, -1)', fn: () => torch.arange(0, 5, -1), type: RangeError, message: /^arange: upper bound and larger bound inconsistent with step sign: start 0, end 5, step -1/ },
  { name: "arange('5')", fn: () => torch.arange('5' as never), type: TypeError, message: /^arange: end must be a number, got string "5"/ },
  { name: "arange(5, { dtype: 'bool' })", fn: () => torch.arange(5, { dtype: 'bool' }), type: TypeError, message: /^arange: dtype 'bool' is not supported/ },
  { name: 'arange(5, { device })', fn: () => torch.arange(5, { device: 'cpu' } as never), type: TypeError, message: /^arange: unknown option 'device'/ },
  { name: 'arange(3e9)', fn: () => torch.arange(3e9), type: RangeError, message: /^arange: value 2999999999 cannot be converted to type int32 without overflow/ },
  { name: "arange(0, 2 ** 31, { dtype: 'float32' })", fn: () => torch.arange(0, 2 ** 31, { dtype: 'float32' }), type: RangeError, message: /^arange: .*2147483648/ },
  { name: 'linspace(0, 1, -1)', fn: () => torch.linspace(0, 1, -1), type: RangeError, message: /^linspace: steps must be a non-negative integer, got -1/ },
  { name: 'linspace(0, 1, 1.5)', fn: () => torch.linspace(0, 1, 1.5), type: RangeError, message: /^linspace: steps must be a non-negative integer, got 1.5/ },
  { name: 'linspace(0, 1, NaN)', fn: () => torch.linspace(0, 1, NaN), type: RangeError, message: /^linspace: steps must be a non-negative integer, got NaN/ },
  { name: "linspace(0, 1, '3')", fn: () => torch.linspace(0, 1, '3' as never), type: TypeError, message: /^linspace: steps must be a number, got string "3"/ },
  { name: "linspace(0, 1, 3, { dtype: 'bool' })", fn: () => torch.linspace(0, 1, 3, { dtype: 'bool' }), type: TypeError, message: /^linspace: dtype 'bool' is not supported/ },
  { name: 'linspace(0, 1, 2 ** 31)', fn: () => torch.linspace(0, 1, 2 ** 31), type: RangeError, message: /^linspace: .*2147483648/ },
  { name: 'eye(-1)', fn: () => torch.eye(-1), type: RangeError, message: /^eye: sizes must be non-negative integers, got \[-1, -1\]/ },
  { name: 'eye(1.5)', fn: () => torch.eye(1.5), type: RangeError, message: /^eye: sizes must be non-negative integers, got \[1.5, 1.5\]/ },
  { name: 'eye(NaN)', fn: () => torch.eye(NaN), type: RangeError, message: /^eye: sizes must be non-negative integers, got \[NaN, NaN\]/ },
  { name: 'eye(2, -1)', fn: () => torch.eye(2, -1), type: RangeError, message: /^eye: sizes must be non-negative integers, got \[2, -1\]/ },
  { name: "eye('2')", fn: () => torch.eye('2' as never), type: TypeError, message: /^eye: n must be a number, got string "2"/ },
  { name: 'eye(2, { requires_grad })', fn: () => torch.eye(2, { requires_grad: true } as never), type: TypeError, message: /^eye: unknown option 'requires_grad' \(did you mean 'requiresGrad'\?\)/ },
  { name: 'eye(65536)', fn: () => torch.eye(65536), type: RangeError, message: /^eye: .*65536/ },
  { name: 'randint(0, 5, [-1])', fn: () => torch.randint(0, 5, [-1]), type: RangeError, message: /^randint: sizes must be non-negative integers, got \[-1\]/ },
  { name: 'randint(5, 5, [2])', fn: () => torch.randint(5, 5, [2]), type: RangeError, message: /^randint: expected integers low < high, got 5 and 5/ },
  { name: 'randint(0.5, 5, [2])', fn: () => torch.randint(0.5, 5, [2]), type: RangeError, message: /^randint: expected integers low < high, got 0.5 and 5/ },
  { name: 'randint(0, NaN, [2])', fn: () => torch.randint(0, NaN, [2]), type: RangeError, message: /^randint: expected integers low < high, got 0 and NaN/ },
  { name: 'randint(0, 5, 3)', fn: () => torch.randint(0, 5, 3 as never), type: TypeError, message: /^randint: size must be an array of numbers, got number 3/ },
  { name: 'randint(0, 3e9, [1])', fn: () => torch.randint(0, 3e9, [1]), type: RangeError, message: /^randint: high - 1 = 2999999999 cannot be converted to type int32 without overflow/ },
  { name: "randint(0, 5, [2], { dtype: 'int64' })", fn: () => torch.randint(0, 5, [2], { dtype: 'int64' } as never), type: TypeError, message: /^randint: option 'dtype' must be one of .*got string "int64"/ },
  { name: 'randint(0, 5, [65536, 65536])', fn: () => torch.randint(0, 5, [65536, 65536]), type: RangeError, message: /^randint: .*65536, 65536/ },
  { name: 'zerosLike(disposed)', fn: () => torch.zerosLike(gone), type: Error, message: disposed('zerosLike') },
  { name: 'zerosLike(3)', fn: () => torch.zerosLike(3 as never), type: TypeError, message: /^zerosLike: input must be a Tensor, got number 3/ },
  { name: 'onesLike(x, { requires_grad })', fn: () => torch.onesLike(x, { requires_grad: true } as never), type: TypeError, message: /^onesLike: unknown option 'requires_grad' \(did you mean 'requiresGrad'\?\)/ },
  { name: "fullLike(x, 'a')", fn: () => torch.fullLike(x, 'a' as never), type: TypeError, message: /^fullLike: the fill value must be a number, got string "a"/ },
  { name: 'fullLike(disposed, 1)', fn: () => torch.fullLike(gone, 1), type: Error, message: disposed('fullLike') },
  { name: 'fullLike(int32, 3e9)', fn: () => torch.fullLike(xi, 3e9), type: RangeError, message: /^fullLike: fill value 3000000000 cannot be converted to type int32 without overflow/ },
  { name: 'randnLike(disposed)', fn: () => torch.randnLike(gone), type: Error, message: disposed('randnLike') },
  { name: 'randLike(int32)', fn: () => torch.randLike(xi), type: TypeError, message: /^randLike: sampling is not implemented for int32.*pass \{ dtype: 'float32' \}/ },
  { name: "randnLike(x, { dtype: 'int32' })", fn: () => torch.randnLike(x, { dtype: 'int32' }), type: TypeError, message: /^randnLike: sampling is not implemented for int32/ },
  { name: 'manualSeed(NaN)', fn: () => torch.manualSeed(NaN), type: RangeError, message: /^manualSeed: expected a finite number, got NaN/ },
  { name: 'manualSeed(Infinity)', fn: () => torch.manualSeed(Infinity), type: RangeError, message: /^manualSeed: expected a finite number, got Infinity/ },
  { name: "manualSeed('1')", fn: () => torch.manualSeed('1' as never), type: TypeError, message: /^manualSeed: expected a number, got string "1"/ },
  { name: 'setNumThreads(0)', fn: () => torch.setNumThreads(0), type: RangeError, message: /^setNumThreads: expected a positive integer, got 0/ },
  { name: "setNumThreads('2')", fn: () => torch.setNumThreads('2' as never), type: TypeError, message: /^setNumThreads: expected a positive integer, got string "2"/ },
  { name: 'setNumThreads(1.5)', fn: () => torch.setNumThreads(1.5), type: RangeError, message: /^setNumThreads: expected a positive integer, got 1.5/ },
]);

// ---- elementwise -------------------------------------------------------------------------------
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'logicalAnd', 'logicalOr', 'logicalXor'] as const;
const UNARY = ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'sin', 'cos', 'square', 'reciprocal', 'relu', 'sigmoid', 'tanh', 'gelu', 'leakyRelu', 'logicalNot', 'isnan', 'isfinite'] as const;
const T = torch as unknown as Record<string, (...a: unknown[]) => unknown>;

run('elementwise', [
  ...BINARY.flatMap((op) => [
    { name: `${op}([2, 3], [4, 5])`, fn: () => T[op](x, y45), type: RangeError, message: new RegExp(`^${op}: shapes \\[2, 3\\] and \\[4, 5\\] cannot be broadcast together \\(dim 0: 2 vs 4\\)`) },
    { name: `${op}(disposed, x)`, fn: () => T[op](gone, x), type: Error, message: disposed(op) },
    { name: `${op}(x, disposed)`, fn: () => T[op](x, gone), type: Error, message: disposed(op) },
    { name: `${op}(x, '1')`, fn: () => T[op](x, '1'), type: TypeError, message: new RegExp(`^${op}: operands must be tensors or numbers, got a Tensor and string "1"`) },
    { name: `${op}(x, null)`, fn: () => T[op](x, null), type: TypeError, message: new RegExp(`^${op}: operands must be tensors or numbers, got a Tensor and null`) },
    { name: `${op}(x, [1, 2, 3])`, fn: () => T[op](x, [1, 2, 3]), type: TypeError, message: new RegExp(`^${op}: operands must be tensors or numbers, got a Tensor and an array of 3`) },
    { name: `${op}([1], x)`, fn: () => T[op]([1], x), type: TypeError, message: new RegExp(`^${op}: operands must be tensors or numbers, got an array of 1 and a Tensor`) },
  ]),
  ...UNARY.flatMap((op) => [
    { name: `${op}(3)`, fn: () => T[op](3), type: TypeError, message: new RegExp(`^${op}: input must be a Tensor, got (number 3|the number 3)`, 'i') },
    { name: `${op}(undefined)`, fn: () => T[op](undefined), type: TypeError, message: new RegExp(`^${op}: input must be a Tensor, got undefined`, 'i') },
    { name: `${op}(disposed)`, fn: () => T[op](gone), type: Error, message: disposed(op) },
  ]),
  { name: "add(x, y, { alpha: '2' })", fn: () => torch.add(x, y, { alpha: '2' } as never), type: TypeError, message: /^add: alpha must be a number, got string/ },
  { name: 'add(x, y, { Alpha })', fn: () => torch.add(x, y, { Alpha: 2 } as never), type: TypeError, message: /^add: unknown option 'Alpha' \(did you mean 'alpha'\?\); known options: alpha/ },
  { name: 'sub(x, y, 2)', fn: () => torch.sub(x, y, 2 as never), type: TypeError, message: /^sub: options must be a plain object \{ alpha \}, got number 2/ },
  { name: 'add(int32, int32, { alpha: 0.5 })', fn: () => torch.add(xi, xi, { alpha: 0.5 }), type: TypeError, message: /^add: alpha must be an integer for integer \(int32\/bool\) operands, got 0.5/ },
  { name: 'add(int32, 3e9)', fn: () => torch.add(xi, 3e9), type: RangeError, message: /^add: the number 3000000000 does not fit in int32/ },
  { name: 'sub(bool, bool)', fn: () => torch.sub(xb, xb), type: TypeError, message: /^sub: subtraction with a bool tensor is not supported/ },
  { name: 'neg(bool)', fn: () => torch.neg(xb), type: TypeError, message: /^neg: negation of a bool tensor is not supported/ },
  { name: 'pow(int32, -1)', fn: () => torch.pow(xi, -1), type: RangeError, message: /^pow: integers to negative integer powers are not allowed \(exponent -1\)/ },
  { name: 'pow(bool, bool)', fn: () => torch.pow(xb, xb), type: TypeError, message: /^pow: not supported for two bool tensors/ },
  { name: "leakyRelu(x, 'a')", fn: () => torch.leakyRelu(x, 'a' as never), type: TypeError, message: /^leakyRelu: negativeSlope must be a finite number, got string "a"/ },
  { name: 'leakyRelu(x, NaN)', fn: () => torch.leakyRelu(x, NaN), type: TypeError, message: /^leakyRelu: negativeSlope must be a finite number, got number NaN/ },
  { name: 'relu(x, true)', fn: () => (torch.relu as (...a: unknown[]) => unknown)(x, true), type: TypeError, message: /^relu: takes only the input, got 2; in-place activations are not supported/ },
  { name: "gelu(x, 'tanh')", fn: () => (torch.gelu as (...a: unknown[]) => unknown)(x, 'tanh'), type: TypeError, message: /^gelu: takes only the input, got 2/ },
  { name: "clamp(x, 'a')", fn: () => torch.clamp(x, 'a' as never), type: TypeError, message: /^clamp: min must be a number, a Tensor or null, got string "a"/ },
  { name: 'clamp(x, { minimum })', fn: () => torch.clamp(x, { minimum: 0 } as never), type: TypeError, message: /^clamp: unknown option 'minimum'; known options: min, max/ },
  { name: 'clamp(x)', fn: () => torch.clamp(x), type: TypeError, message: /^clamp: at least one of min and max must be given/ },
  { name: 'clamp(x, NaN)', fn: () => torch.clamp(x, NaN), type: RangeError, message: /^clamp: min and max must be numbers, got NaN/ },
  { name: 'clamp(disposed, 0)', fn: () => torch.clamp(gone, 0), type: Error, message: disposed('clamp') },
  { name: 'clamp(3, 0)', fn: () => torch.clamp(3 as never, 0), type: TypeError, message: /^clamp: expected a Tensor, got number 3/ },
  { name: 'clamp(x, [4, 5] tensor)', fn: () => torch.clamp(x, y45), type: RangeError, message: /^clamp: shapes \[2, 3\] and \[4, 5\] cannot be broadcast/ },
  { name: 'where(cond [4, 5], x, y)', fn: () => torch.where(b45, x, y), type: RangeError, message: /^where: shapes \[4, 5\] and \[2, 3\] cannot be broadcast/ },
  { name: 'where(float cond, x, y)', fn: () => torch.where(x, x, y), type: TypeError, message: /^where: expected condition to be a bool tensor, got a float32 tensor of shape \[2, 3\]/ },
  { name: 'where(disposed cond, x, y)', fn: () => torch.where(gone, x, y), type: Error, message: disposed('where') },
  { name: 'maskedFill(x, float mask, 0)', fn: () => torch.maskedFill(x, x, 0), type: TypeError, message: /^maskedFill: expected mask to be a bool tensor, got a float32 tensor of shape \[2, 3\]/ },
  { name: 'maskedFill(x, mask [4, 5], 0)', fn: () => torch.maskedFill(x, b45, 0), type: RangeError, message: /^maskedFill: shapes \[2, 3\] and \[4, 5\] cannot be broadcast/ },
  { name: "maskedFill(x, mask, 'a')", fn: () => torch.maskedFill(x, xb, 'a' as never), type: TypeError, message: /^maskedFill: value must be a number or a 0-dim tensor, got string/ },
  { name: 'maskedFill(disposed, mask, 0)', fn: () => torch.maskedFill(gone, xb, 0), type: Error, message: disposed('maskedFill') },
]);

// ---- reductions --------------------------------------------------------------------------------
const DIM_REDUCE = ['sum', 'mean', 'amax', 'amin', 'logsumexp', 'any', 'all'] as const;
const ONE_DIM = ['argmax', 'argmin', 'prod', 'cumsum', 'softmax', 'logSoftmax'] as const;
const outOfRange = (op: string, d: number | string, nd = 2): RegExp =>
  new RegExp(`^${op}: dimension ${esc(String(d))} is out of range for a tensor of ${nd} dims \\(expected in \\[${-nd}, ${nd - 1}\\]\\)`);

run('reductions', [
  ...[...DIM_REDUCE, ...ONE_DIM].flatMap((op) => [
    { name: `${op}(x, 2)`, fn: () => T[op](x, 2), type: RangeError, message: outOfRange(op, 2) },
    { name: `${op}(x, -3)`, fn: () => T[op](x, -3), type: RangeError, message: outOfRange(op, -3) },
    { name: `${op}(x, 1.5)`, fn: () => T[op](x, 1.5), type: RangeError, message: outOfRange(op, 1.5) },
    { name: `${op}(x, NaN)`, fn: () => T[op](x, NaN), type: RangeError, message: outOfRange(op, NaN) },
    { name: `${op}(x, '1')`, fn: () => T[op](x, '1'), type: TypeError, message: new RegExp(`^${op}: dim (is required and )?must be (a number|a single number)( or an array of numbers)?.*, got string "1"`) },
    { name: `${op}(x, { dim: 0 })`, fn: () => T[op](x, { dim: 0 }), type: TypeError, message: new RegExp(`^${op}: dim (is required and )?must be .*, got an object`) },
    { name: `${op}(disposed, 0)`, fn: () => T[op](gone, 0), type: Error, message: disposed(op) },
  ]),
  ...DIM_REDUCE.flatMap((op) => [
    { name: `${op}(x, [0, 0])`, fn: () => T[op](x, [0, 0]), type: RangeError, message: new RegExp(`^${op}: dim \\[0, 0\\] repeats a dimension`) },
    { name: `${op}(x, [0, 2])`, fn: () => T[op](x, [0, 2]), type: RangeError, message: outOfRange(op, 2) },
    { name: `${op}(x, 0, 'yes')`, fn: () => T[op](x, 0, 'yes'), type: TypeError, message: new RegExp(`^${op}: keepdim must be a boolean, got string "yes"`) },
    { name: `${op}(x, 0, { keepdim: true })`, fn: () => T[op](x, 0, { keepdim: true }), type: TypeError, message: new RegExp(`^${op}: keepdim must be a boolean, got an object`) },
  ]),
  ...(['argmax', 'argmin', 'prod'] as const).flatMap((op) => [
    { name: `${op}(x, [0, 1])`, fn: () => T[op](x, [0, 1]), type: TypeError, message: new RegExp(`^${op}: dim must be (a number|a single number).*, got an array of 2`) },
    { name: `${op}(x, 0, 'yes')`, fn: () => T[op](x, 0, 'yes'), type: TypeError, message: new RegExp(`^${op}: keepdim must be a boolean, got string "yes"`) },
  ]),
  { name: 'cumsum(x)', fn: () => (torch.cumsum as (...a: unknown[]) => unknown)(x), type: TypeError, message: /^cumsum: dim is required and must be a number, got undefined/ },
  { name: 'softmax(x)', fn: () => (torch.softmax as (...a: unknown[]) => unknown)(x), type: TypeError, message: /^softmax: dim is required/ },
  { name: 'softmax(int32, 0)', fn: () => torch.softmax(xi, 0), type: TypeError, message: /^softmax: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'softmax(3, 0)', fn: () => torch.softmax(3 as never, 0), type: TypeError, message: /^softmax: input must be a Tensor, got number 3/ },
  { name: 'max(x, 2)', fn: () => torch.max(x, 2), type: RangeError, message: outOfRange('max', 2) },
  { name: 'max(x, 1.5)', fn: () => torch.max(x, 1.5), type: RangeError, message: outOfRange('max', 1.5) },
  { name: "max(x, 0, 'y')", fn: () => torch.max(x, 0, 'y' as never), type: TypeError, message: /^max: keepdim must be a boolean, got string "y"/ },
  { name: 'max(disposed)', fn: () => torch.max(gone), type: Error, message: disposed('max') },
  { name: 'max(x, [4, 5] tensor)', fn: () => torch.max(x, y45), type: RangeError, message: /^maximum: shapes \[2, 3\] and \[4, 5\] cannot be broadcast/ },
  { name: 'min(x, y, true)', fn: () => (torch.min as (...a: unknown[]) => unknown)(x, y, true), type: TypeError, message: /^min: .*keepdim/ },
  { name: 'min(disposed, 0)', fn: () => torch.min(gone, 0), type: Error, message: disposed('min') },
  { name: 'var(x, 0, { keep_dim })', fn: () => torch.var(x, 0, { keep_dim: true } as never), type: TypeError, message: /^var: unknown option 'keep_dim' \(did you mean 'keepdim'\?\); known options: unbiased, correction, keepdim/ },
  { name: "var(x, 0, { unbiased: 'no' })", fn: () => torch.var(x, 0, { unbiased: 'no' } as never), type: TypeError, message: /^var: option 'unbiased' must be a boolean, got string "no"/ },
  { name: 'var(x, 2)', fn: () => torch.var(x, 2), type: RangeError, message: outOfRange('var', 2) },
  { name: 'var(disposed)', fn: () => torch.var(gone), type: Error, message: disposed('var') },
  { name: 'std(x, { keepDim })', fn: () => torch.std(x, { keepDim: true } as never), type: TypeError, message: /^std: unknown option 'keepDim' \(did you mean 'keepdim'\?\)/ },
  { name: 'std(x, 2)', fn: () => torch.std(x, 2), type: RangeError, message: outOfRange('std', 2) },
  { name: "norm(x, 'nuc')", fn: () => torch.norm(x, 'nuc' as never), type: TypeError, message: /^norm: p must be a number .* or 'fro', got string "nuc"/ },
  { name: 'norm(x, NaN)', fn: () => torch.norm(x, NaN), type: TypeError, message: /^norm: p must be a number .*got number NaN/ },
  { name: 'norm(x, 2, 2)', fn: () => torch.norm(x, 2, 2), type: RangeError, message: outOfRange('norm', 2) },
  { name: "norm(x, 2, 0, 'y')", fn: () => torch.norm(x, 2, 0, 'y' as never), type: TypeError, message: /^norm: keepdim must be a boolean, got string "y"/ },
  { name: 'norm(disposed)', fn: () => torch.norm(gone), type: Error, message: disposed('norm') },
]);

// ---- movement ----------------------------------------------------------------------------------
run('movement', [
  { name: 'reshape(x, [4, 2])', fn: () => x.reshape(4, 2), type: RangeError, message: /^reshape: shape \[4, 2\] is invalid for input of size 6 \(shape \[2, 3\]\)/ },
  { name: 'reshape(x, [-1, -1])', fn: () => x.reshape(-1, -1), type: RangeError, message: /^reshape: only one dimension can be -1, got \[-1, -1\]/ },
  { name: 'reshape(x, [1.5, 4])', fn: () => x.reshape(1.5, 4), type: RangeError, message: /^reshape: invalid size \[1.5, 4\]: expected non-negative integers and at most one -1/ },
  { name: 'reshape(x, [NaN])', fn: () => x.reshape(NaN), type: RangeError, message: /^reshape: invalid size \[NaN\]/ },
  { name: 'reshape(x, [-2, -3])', fn: () => x.reshape(-2, -3), type: RangeError, message: /^reshape: invalid size \[-2, -3\]/ },
  { name: 'reshape(x, [Infinity])', fn: () => x.reshape(Infinity), type: RangeError, message: /^reshape: invalid size \[Infinity\]/ },
  { name: "reshape(x, ['6'])", fn: () => x.reshape('6' as never), type: TypeError, message: /^reshape: sizes must be numbers, got string "6" at position 0/ },
  { name: 'reshape(disposed, 6)', fn: () => gone.reshape(6), type: Error, message: disposed('reshape') },
  { name: 'view(x.t(), 6)', fn: () => xt.view(6), type: RangeError, message: /^view: a tensor of shape \[3, 2\] with strides \[1, 3\] is not contiguous; use reshape\(\) or contiguous\(\) first/ },
  { name: 'view(x, 4, 2)', fn: () => x.view(4, 2), type: RangeError, message: /^view: shape \[4, 2\] is invalid for input of size 6/ },
  { name: 'view(disposed, 6)', fn: () => gone.view(6), type: Error, message: disposed('view') },
  { name: 'transpose(x, 0, 2)', fn: () => x.transpose(0, 2), type: RangeError, message: outOfRange('transpose', 2) },
  { name: 'transpose(x, 0, 0.5)', fn: () => x.transpose(0, 0.5), type: RangeError, message: outOfRange('transpose', 0.5) },
  { name: 'transpose(disposed, 0, 1)', fn: () => gone.transpose(0, 1), type: Error, message: disposed('transpose') },
  { name: 't(3-D)', fn: () => x3.t(), type: RangeError, message: /^t: expects a tensor with <= 2 dimensions, got shape \[2, 2, 2\]/ },
  { name: 'permute(x, 0)', fn: () => x.permute(0), type: RangeError, message: /^permute: expected 2 dims for a tensor of shape \[2, 3\], got \[0\]/ },
  { name: 'permute(x, 0, 2)', fn: () => x.permute(0, 2), type: RangeError, message: outOfRange('permute', 2) },
  { name: 'permute(x, 0, 0)', fn: () => x.permute(0, 0), type: RangeError, message: /^permute: dims \[0, 0\] repeat/ },
  { name: 'permute(disposed, 1, 0)', fn: () => gone.permute(1, 0), type: Error, message: disposed('permute') },
  { name: 'expand(x, 4, 3)', fn: () => x.expand(4, 3), type: RangeError, message: /^expand: the size 2 of dim 0 \(shape \[2, 3\]\) must match 4 or be 1/ },
  { name: 'expand(x, 2, -2)', fn: () => x.expand(2, -2), type: RangeError, message: /^expand: .*-2/ },
  { name: 'expand(x, NaN, 3)', fn: () => x.expand(NaN, 3), type: RangeError, message: /^expand: .*NaN/ },
  { name: 'expand(x, 3)', fn: () => x.expand(3), type: RangeError, message: /^expand: the number of sizes \(1\) must be at least the tensor's dims \(2, shape \[2, 3\]\)/ },
  { name: 'expand(disposed, 2, 3)', fn: () => gone.expand(2, 3), type: Error, message: disposed('expand') },
  { name: 'squeeze(x, 2)', fn: () => x.squeeze(2), type: RangeError, message: outOfRange('squeeze', 2) },
  { name: 'unsqueeze(x, 3)', fn: () => x.unsqueeze(3), type: RangeError, message: outOfRange('unsqueeze', 3, 3) },
  { name: 'unsqueeze(x, 0.5)', fn: () => x.unsqueeze(0.5), type: RangeError, message: outOfRange('unsqueeze', 0.5, 3) },
  { name: 'flatten(x, 2)', fn: () => x.flatten(2), type: RangeError, message: outOfRange('flatten', 2) },
  { name: 'flatten(x, 1, 0)', fn: () => x.flatten(1, 0), type: RangeError, message: /^flatten: startDim 1 comes after endDim 0 for shape \[2, 3\]/ },
  { name: 'contiguous(disposed)', fn: () => gone.contiguous(), type: Error, message: disposed('contiguous') },
  { name: 'clone(disposed)', fn: () => gone.clone(), type: Error, message: disposed('clone') },
  { name: 'detach(disposed)', fn: () => gone.detach(), type: Error, message: disposed('detach') },
  { name: 'viewAs(x, [4])', fn: () => x.viewAs(v4), type: RangeError, message: /^(viewAs|view): shape \[4\] is invalid for input of size 6/ },
  { name: 'reshapeAs(x, [4])', fn: () => x.reshapeAs(v4), type: RangeError, message: /^(reshapeAs|reshape): shape \[4\] is invalid for input of size 6/ },
  { name: 'expandAs(x, [4])', fn: () => x.expandAs(v4), type: RangeError, message: /^(expandAs|expand): the number of sizes \(1\) must be at least the tensor's dims/ },
  { name: 'viewAs(x, 3)', fn: () => x.viewAs(3 as never), type: TypeError, message: /^viewAs: expected a tensor, got number 3/ },
]);

// ---- indexing and joining ---------------------------------------------------------------------
run('indexing', [
  { name: 'narrow(x, 1, 2, 2)', fn: () => x.narrow(1, 2, 2), type: RangeError, message: /^narrow: start \(2\) \+ length \(2\) exceeds dimension 1 of size 3/ },
  { name: 'narrow(x, 1, 0, -1)', fn: () => x.narrow(1, 0, -1), type: RangeError, message: /^narrow: start \(0\) \+ length \(-1\) exceeds dimension 1 of size 3 \(length must be in \[0, 3\]\)/ },
  { name: 'narrow(x, 1, 0.5, 1)', fn: () => x.narrow(1, 0.5, 1), type: TypeError, message: /^narrow: start must be an integer, got 0.5/ },
  { name: 'narrow(x, 1, NaN, 1)', fn: () => x.narrow(1, NaN, 1), type: TypeError, message: /^narrow: start must be an integer, got NaN/ },
  { name: 'narrow(x, 2, 0, 1)', fn: () => x.narrow(2, 0, 1), type: RangeError, message: outOfRange('narrow', 2) },
  { name: 'narrow(disposed, 0, 0, 1)', fn: () => gone.narrow(0, 0, 1), type: Error, message: disposed('narrow') },
  { name: 'select(x, 1, 3)', fn: () => x.select(1, 3), type: RangeError, message: /^select: index 3 is out of range for dimension 1 with size 3 \(shape \[2, 3\]; expected in \[-3, 2\]\)/ },
  { name: 'select(x, 1, -4)', fn: () => x.select(1, -4), type: RangeError, message: /^select: index -4 is out of range/ },
  { name: 'select(x, 1, 1.5)', fn: () => x.select(1, 1.5), type: TypeError, message: /^select: index must be an integer, got 1.5/ },
  { name: 'select(x, 1, NaN)', fn: () => x.select(1, NaN), type: TypeError, message: /^select: index must be an integer, got NaN/ },
  { name: 'select(disposed, 0, 0)', fn: () => gone.select(0, 0), type: Error, message: disposed('select') },
  { name: 'indexSelect(x, 1, [0, 5])', fn: () => x.indexSelect(1, idx05), type: RangeError, message: /^indexSelect: index 5 is out of bounds for dimension 1 with size 3 \(at position \[1\] of the index; indices must be in \[0, 2\]\)/ },
  { name: 'indexSelect(x, 1, float index)', fn: () => x.indexSelect(1, idxf), type: TypeError, message: /^indexSelect: index must be an int32 tensor .*got float32 of shape \[2\]/ },
  { name: 'indexSelect(x, 1, 2-D index)', fn: () => x.indexSelect(1, idx22), type: RangeError, message: /^indexSelect: index must be 1-D \(or 0-D\), got shape \[2, 2\]/ },
  { name: 'indexSelect(x, 2, index)', fn: () => x.indexSelect(2, idx05), type: RangeError, message: outOfRange('indexSelect', 2) },
  { name: 'indexSelect(x, 1, [0, 1])', fn: () => x.indexSelect(1, [0, 1] as never), type: TypeError, message: /^indexSelect: index must be a Tensor, got/ },
  { name: 'indexSelect(disposed, 0, index)', fn: () => gone.indexSelect(0, idx05), type: Error, message: disposed('indexSelect') },
  { name: 'indexSelect(x, 0, disposed index)', fn: () => x.indexSelect(0, gone3), type: Error, message: disposed('indexSelect', '[3]') },
  { name: 'gather(x, 1, index with 5)', fn: () => x.gather(1, idx23oob), type: RangeError, message: /^gather: index 5 is out of bounds for dimension 1 with size 3 \(at position \[0, 1\] of the index; indices must be in \[0, 2\]\)/ },
  { name: 'gather(x, 1, index with -1)', fn: () => x.gather(1, idxNeg), type: RangeError, message: /^gather: index -1 is out of bounds for dimension 1 with size 3/ },
  { name: 'gather(x, 1, float index)', fn: () => x.gather(1, x), type: TypeError, message: /^gather: index must be an int32 tensor/ },
  { name: 'gather(x, 1, 1-D index)', fn: () => x.gather(1, idx05), type: RangeError, message: /^gather: index must have as many dims as the input: index of shape \[2\] has 1, input of shape \[2, 3\] has 2/ },
  { name: 'gather(x, 2, index)', fn: () => x.gather(2, idx23), type: RangeError, message: outOfRange('gather', 2) },
  { name: 'gather(disposed, 1, index)', fn: () => gone.gather(1, idx23), type: Error, message: disposed('gather') },
  { name: 'scatter(x, 1, index with 5, y)', fn: () => x.scatter(1, idx23oob, y), type: RangeError, message: /^scatter: index 5 is out of bounds for dimension 1 with size 3/, state: values(x) },
  { name: 'scatter(x, 1, float index, y)', fn: () => x.scatter(1, x, y), type: TypeError, message: /^scatter: index must be an int32 tensor/ },
  { name: "scatter(x, 1, index, 'a')", fn: () => x.scatter(1, idx23, 'a' as never), type: TypeError, message: /^scatter: src must be a Tensor.*, got string/ },
  { name: 'scatter(int32, 1, index, 3e9)', fn: () => xi.scatter(1, idx23, 3e9), type: RangeError, message: /^scatter: .*3000000000 cannot be converted to type int32 without overflow/ },
  { name: 'scatter(x, 1, index, disposed)', fn: () => x.scatter(1, idx23, gone), type: Error, message: disposed('scatter') },
  { name: 'scatterAdd(x, 1, index with 5, y)', fn: () => x.scatterAdd(1, idx23oob, y), type: RangeError, message: /^scatterAdd: index 5 is out of bounds for dimension 1 with size 3/ },
  { name: 'scatterAdd(x, 1, index, 1)', fn: () => x.scatterAdd(1, idx23, 1 as never), type: TypeError, message: /^scatterAdd: src must be a Tensor, got number/ },
  { name: 'scatterAdd(x, 1, index, int32)', fn: () => x.scatterAdd(1, idx23, xi), type: TypeError, message: /^scatterAdd: src \(int32\) must have the input's dtype \(float32\)/ },
  { name: 'tril(1-D)', fn: () => v3.tril(), type: RangeError, message: /^tril: expected a tensor of at least 2 dims \(a matrix or a batch of matrices\), got shape \[3\]/ },
  { name: 'tril(x, 0.5)', fn: () => x.tril(0.5), type: TypeError, message: /^tril: diagonal must be an integer, got 0.5/ },
  { name: 'tril(x, NaN)', fn: () => x.tril(NaN), type: TypeError, message: /^tril: diagonal must be an integer, got NaN/ },
  { name: "triu(x, '1')", fn: () => x.triu('1' as never), type: TypeError, message: /^triu: diagonal must be an integer, got string/ },
  { name: 'triu(disposed)', fn: () => gone.triu(), type: Error, message: disposed('triu') },
]);

run('joining', [
  { name: 'cat([])', fn: () => torch.cat([]), type: RangeError, message: /^cat: expected a non-empty array of tensors/ },
  { name: 'cat([[2, 3], [3, 2]])', fn: () => torch.cat([x, xt]), type: RangeError, message: /^cat: sizes of tensors must match except in dimension 0: expected size 3 but got size 2 in dimension 1 for tensor 1/ },
  { name: 'cat([x, x], 2)', fn: () => torch.cat([x, x], 2), type: RangeError, message: outOfRange('cat', 2) },
  { name: 'cat([x, x], 0.5)', fn: () => torch.cat([x, x], 0.5), type: TypeError, message: /^cat: dim must be an integer, got 0.5/ },
  { name: 'cat(x)', fn: () => torch.cat(x as never), type: TypeError, message: /^cat: expected an array of tensors, got/ },
  { name: 'cat([x, 3])', fn: () => torch.cat([x, 3] as never), type: TypeError, message: /^cat: element 1 of the list must be a Tensor, got number 3/ },
  { name: 'cat([x, disposed])', fn: () => torch.cat([x, gone]), type: Error, message: disposed('cat') },
  { name: 'cat([[2, 3], [3]])', fn: () => torch.cat([x, v3]), type: RangeError, message: /^cat: tensors must have the same number of dims: tensor 0 has 2 \(shape \[2, 3\]\) and tensor 1 has 1 \(shape \[3\]\)/ },
  { name: 'stack([[2, 3], [3, 2]])', fn: () => torch.stack([x, xt]), type: RangeError, message: /^stack: expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[3, 2\] at entry 1/ },
  { name: 'stack([x, x], 3)', fn: () => torch.stack([x, x], 3), type: RangeError, message: outOfRange('stack', 3, 3) },
  { name: 'stack([])', fn: () => torch.stack([]), type: RangeError, message: /^stack: expected a non-empty array of tensors/ },
  { name: 'stack([x, disposed])', fn: () => torch.stack([x, gone]), type: Error, message: disposed('stack') },
  { name: 'chunk(x, 0)', fn: () => x.chunk(0), type: RangeError, message: /^chunk: expects chunks to be greater than 0, got 0/ },
  { name: 'chunk(x, 1.5)', fn: () => x.chunk(1.5), type: TypeError, message: /^chunk: chunks must be an integer, got 1.5/ },
  { name: 'chunk(x, NaN)', fn: () => x.chunk(NaN), type: TypeError, message: /^chunk: chunks must be an integer, got NaN/ },
  { name: 'chunk(x, 2, 2)', fn: () => x.chunk(2, 2), type: RangeError, message: outOfRange('chunk', 2) },
  { name: 'chunk(disposed, 2)', fn: () => gone.chunk(2), type: Error, message: disposed('chunk') },
  { name: 'split(x, 0)', fn: () => x.split(0), type: RangeError, message: /^split: the split size can be 0 only if the dimension's size is 0, but dimension 0 has size 2/ },
  { name: 'split(x, [1, 1], 1)', fn: () => x.split([1, 1], 1), type: RangeError, message: /^split: split sizes \[1, 1\] sum to 2, expected exactly 3/ },
  { name: 'split(x, [4, -1], 1)', fn: () => x.split([4, -1], 1), type: RangeError, message: /^split: split sizes must be non-negative, got \[4, -1\]/ },
  { name: 'split(x, 1.5)', fn: () => x.split(1.5), type: TypeError, message: /^split: splitSizeOrSections must be an integer, got 1.5/ },
  { name: 'split(x, NaN)', fn: () => x.split(NaN), type: TypeError, message: /^split: splitSizeOrSections must be an integer, got NaN/ },
  { name: 'split(disposed, 1)', fn: () => gone.split(1), type: Error, message: disposed('split') },
  { name: 'flip(x, 0, 0)', fn: () => x.flip(0, 0), type: RangeError, message: /^flip: dim 0 appears multiple times in the list of dims \[0, 0\]/ },
  { name: 'flip(x, 2)', fn: () => x.flip(2), type: RangeError, message: outOfRange('flip', 2) },
  { name: 'flip(disposed, 0)', fn: () => gone.flip(0), type: Error, message: disposed('flip') },
  { name: 'repeat(x, 2)', fn: () => x.repeat(2), type: RangeError, message: /^repeat: the number of repeats \(1, \[2\]\) cannot be smaller than the tensor's number of dims \(2, shape \[2, 3\]\)/ },
  { name: 'repeat(x, -1, 1)', fn: () => x.repeat(-1, 1), type: RangeError, message: /^repeat: repeat counts must be non-negative, got \[-1, 1\]/ },
  { name: 'repeat(x, 1.5, 1)', fn: () => x.repeat(1.5, 1), type: TypeError, message: /^repeat: every repeat count must be an integer, got 1.5/ },
  { name: 'repeat(x, NaN, 1)', fn: () => x.repeat(NaN, 1), type: TypeError, message: /^repeat: every repeat count must be an integer, got NaN/ },
  { name: 'repeat(disposed, 1, 1)', fn: () => gone.repeat(1, 1), type: Error, message: disposed('repeat') },
  { name: 'cat([expanded 2^32, same])', fn: () => torch.cat([big, big]), type: RangeError, message: /^cat: a tensor of shape \[131072, 65536\] needs 34359738368 bytes; the largest tensor is/ },
  { name: 'repeat(x, 65536, 65536)', fn: () => x.repeat(65536, 65536), type: RangeError, message: /^repeat: .*131072, 196608/ },
]);

// ---- past the size limit: a 2^32-element view (expand) is fine, any copy or result of its size is not
const tooBig = (op: string): RegExp => new RegExp(`^${op}: a tensor of shape \\[65536, 65536\\] needs 17179869184 bytes; the largest tensor is`);
run('sizes past the limit', [
  ...(['contiguous', 'clone', 'exp', 'relu', 'int', 'toFloat32Array', 'tolist'] as const).map((op) => ({ name: `${op}(expanded 2^32)`, fn: () => (big as unknown as Record<string, () => unknown>)[op](), type: RangeError, message: tooBig(op) })),
  ...(['sum', 'mean', 'amax', 'logsumexp', 'softmax', 'cumsum', 'argmax', 'any'] as const).map((op) => ({ name: `${op}(expanded 2^32, 0)`, fn: () => T[op](big, 0), type: RangeError, message: tooBig(op) })),
  ...(['add', 'mul', 'gt', 'maximum', 'logicalAnd'] as const).map((op) => ({ name: `${op}(expanded 2^32, 1)`, fn: () => T[op](big, 1), type: RangeError, message: tooBig(op) })),
  { name: 'sum(expanded 2^32)', fn: () => big.sum(), type: RangeError, message: tooBig('sum') },
  { name: 'reshape(expanded 2^32, -1)', fn: () => big.reshape(-1), type: RangeError, message: tooBig('reshape') },
  { name: 'matmul(expanded 2^32, itself)', fn: () => big.matmul(big), type: RangeError, message: tooBig('matmul') },
  { name: 'where(mask, expanded 2^32, 0)', fn: () => torch.where(mask11, big, 0), type: RangeError, message: tooBig('where') },
]);

// ---- matmul ------------------------------------------------------------------------------------
run('matmul', [
  { name: 'matmul([2, 3], [2, 3])', fn: () => x.matmul(y), type: RangeError, message: /^matmul: shapes \[2, 3\] and \[2, 3\] cannot be multiplied \(3 != 2\)/ },
  { name: 'matmul(0-D, x)', fn: () => torch.matmul(s0, x), type: RangeError, message: /^matmul: both arguments need at least 1 dimension, got shapes \[\] and \[2, 3\]/ },
  { name: 'matmul(int32, x)', fn: () => torch.matmul(xi, xt), type: TypeError, message: /^matmul: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'matmul(x, 2)', fn: () => torch.matmul(x, 2 as never), type: TypeError, message: /^matmul: other must be a Tensor, got number 2/ },
  { name: 'matmul(disposed, x.t())', fn: () => torch.matmul(gone, xt), type: Error, message: disposed('matmul') },
  { name: 'mm(3-D, x)', fn: () => torch.mm(x3, x), type: RangeError, message: /^mm: expected 2-D tensors, got shapes \[2, 2, 2\] and \[2, 3\]/ },
  { name: 'mm(x, disposed)', fn: () => torch.mm(x, gone), type: Error, message: disposed('mm') },
  { name: 'bmm(2-D, 2-D)', fn: () => torch.bmm(x, y), type: RangeError, message: /^bmm: expected 3-D tensors with the same batch size, got shapes \[2, 3\] and \[2, 3\]/ },
  { name: 'F.linear(x, [4, 5])', fn: () => F.linear(x, y45), type: RangeError, message: /^linear: input of shape \[2, 3\] does not match weight of shape \[4, 5\] \(expected last dim 5\)/ },
  { name: 'F.linear(x, w [5, 3], bias [4])', fn: () => F.linear(x, w53, v4), type: RangeError, message: /^linear: bias must have shape \[5\], got \[4\]/ },
  { name: 'F.linear(x, 3-D weight)', fn: () => F.linear(x, x3), type: RangeError, message: /^linear: weight must be 2-D \[out, in\], got shape \[2, 2, 2\]/ },
  { name: 'F.linear(disposed, w)', fn: () => F.linear(gone, y), type: Error, message: disposed('linear') },
  { name: 'F.linear(x, [1, 2])', fn: () => F.linear(x, [1, 2] as never), type: TypeError, message: /^linear: weight must be a Tensor, got an array of 2/ },
]);

// ---- dtypes and reading -----------------------------------------------------------------------
run('dtype and reading', [
  { name: "to(x, 'float64')", fn: () => x.to('float64' as never), type: TypeError, message: /^to: expected a dtype \('float32', 'int32', 'bool'\), the device 'cpu', \{ dtype, device \} or a tensor, got string "float64"/ },
  { name: "to(x, 'cuda')", fn: () => x.to('cuda' as never), type: TypeError, message: /^to: expected .* got string "cuda"/ },
  { name: 'to(x, { non_blocking })', fn: () => x.to({ dtype: 'int32', non_blocking: true } as never), type: TypeError, message: /^to: unknown option 'non_blocking'; known options: dtype, device/ },
  { name: 'to(x, 1)', fn: () => x.to(1 as never), type: TypeError, message: /^to: expected .* got number 1/ },
  { name: "to(disposed, 'int32')", fn: () => gone.to('int32'), type: Error, message: disposed('to') },
  { name: 'int([NaN])', fn: () => nan1.int(), type: RangeError, message: /^int: cannot convert NaN \(element 0 of a float32 tensor of shape \[1\]\) to int32/ },
  { name: 'float(disposed)', fn: () => gone.float(), type: Error, message: disposed('float') },
  { name: 'bool(disposed)', fn: () => gone.bool(), type: Error, message: disposed('bool') },
  { name: 'typeAs(x, 1)', fn: () => x.typeAs(1 as never), type: TypeError, message: /^typeAs: expected a tensor, got number 1/ },
  { name: 'numel(3)', fn: () => torch.numel(3 as never), type: TypeError, message: /^numel: expected a tensor, got number 3/ },
  { name: 'isFloatingPoint(3)', fn: () => torch.isFloatingPoint(3 as never), type: TypeError, message: /^isFloatingPoint: expected a tensor, got number 3/ },
  { name: 'item([2, 3])', fn: () => x.item(), type: RangeError, message: /^item: a Tensor with 6 elements \(shape \[2, 3\]\) cannot be converted to a number; expected exactly one element/ },
  { name: 'item(disposed)', fn: () => gone1.item(), type: Error, message: disposed('item', '[1]') },
  { name: 'tolist(disposed)', fn: () => gone.tolist(), type: Error, message: disposed('tolist') },
  { name: 'toFloat32Array(disposed)', fn: () => gone.toFloat32Array(), type: Error, message: disposed('toFloat32Array') },
  { name: 'toInt32Array(disposed)', fn: () => gone.toInt32Array(), type: Error, message: disposed('toInt32Array') },
  { name: 'dataSync(disposed)', fn: () => gone.dataSync(), type: Error, message: disposed('dataSync') },
  { name: 'size(x, 2)', fn: () => x.size(2), type: RangeError, message: outOfRange('size', 2) },
  { name: 'size(x, 0.5)', fn: () => x.size(0.5), type: RangeError, message: outOfRange('size', 0.5) },
]);

// ---- in place (the target must keep its values) -------------------------------------------------
run('in place', [
  { name: 'add_(x, [4])', fn: () => x.add_(v4), type: RangeError, message: /^add_: shapes \[2, 3\] and \[4\] cannot be broadcast/, state: values(x) },
  { name: 'add_(int32, float)', fn: () => xi.add_(x), type: TypeError, message: /^add_: result type Float can't be cast to the desired output type Int/, state: values(xi) },
  { name: 'add_(x, y, { scale })', fn: () => x.add_(y, { scale: 2 } as never), type: TypeError, message: /^add_: unknown option 'scale'; known options: alpha/, state: values(x) },
  { name: "sub_(x, y, { alpha: '2' })", fn: () => x.sub_(y, { alpha: '2' } as never), type: TypeError, message: /^sub_: option 'alpha' must be a number, got string "2"/, state: values(x) },
  { name: 'mul_([3], [2, 3])', fn: () => v3.mul_(x), type: RangeError, message: /^mul_: the result of shape \[2, 3\] does not fit the in-place target of shape \[3\]/, state: values(v3) },
  { name: 'div_(int32, 2)', fn: () => xi.div_(2), type: TypeError, message: /^div_: result type Float can't be cast to the desired output type Int/, state: values(xi) },
  { name: "fill_(x, 'a')", fn: () => x.fill_('a' as never), type: TypeError, message: /^fill_: value must be a number, got string/, state: values(x) },
  { name: 'fill_(int32, 3e9)', fn: () => xi.fill_(3e9), type: RangeError, message: /^fill_: cannot fill an int32 tensor with 3000000000/, state: values(xi) },
  { name: 'copy_(x, [4])', fn: () => x.copy_(v4), type: RangeError, message: /^copy_: shapes \[2, 3\] and \[4\] cannot be broadcast/, state: values(x) },
  { name: 'copy_(x, disposed)', fn: () => x.copy_(gone), type: Error, message: disposed('copy_'), state: values(x) },
  { name: 'zero_(disposed)', fn: () => gone.zero_(), type: Error, message: disposed('zero_') },
  { name: "clamp_(x, 'a')", fn: () => x.clamp_('a' as never), type: TypeError, message: /^clamp_: min must be a number, a Tensor or null, got string "a"/, state: values(x) },
  { name: 'add_(leaf requiring grad, 1)', fn: () => leaf.add_(1), type: Error, message: /^add_: .*leaf tensor that requires grad/, state: values(leaf) },
  { name: 'uniform_(x, 1, 0)', fn: () => x.uniform_(1, 0), type: RangeError, message: /^uniform_: .*from=1 > to=0|^uniform_: .*1.*0/, state: values(x) },
  { name: 'uniform_(x, NaN, 1)', fn: () => x.uniform_(NaN, 1), type: RangeError, message: /^uniform_: .*NaN/, state: values(x) },
  { name: 'normal_(x, 0, -1)', fn: () => x.normal_(0, -1), type: RangeError, message: /^normal_: .*std >= 0.*-1|^normal_: .*-1/, state: values(x) },
  { name: 'add_(zeros(1).expand(3), 1)', fn: () => exp3.add_(1), type: Error, message: /^add_: .*(overlap|expanded)/, state: values(zeros1) },
]);

// ---- autograd and memory -----------------------------------------------------------------------
run('autograd and memory', [
  { name: 'backward(non-scalar)', fn: () => leafOut.backward(), type: Error, message: /^backward: grad can be implicitly created only for scalar outputs; got shape \[3\]/, state: values(leaf) },
  { name: 'backward(no grad_fn)', fn: () => noGradSum.backward(), type: Error, message: /^backward: the tensor does not require grad and has no grad_fn/ },
  { name: 'backward(undefined, { retain_graph })', fn: () => leafOut.backward(v3, { retain_graph: true } as never), type: TypeError, message: /^backward: unknown option 'retain_graph' \(did you mean 'retainGraph'\?\); known options: retainGraph/, state: values(leaf) },
  { name: 'backward(undefined, { retainGraph: 1 })', fn: () => leafOut.backward(v3, { retainGraph: 1 } as never), type: TypeError, message: /^backward: option 'retainGraph' must be a boolean, got number 1/, state: values(leaf) },
  { name: 'backward(gradient [4])', fn: () => leafOut.backward(v4), type: RangeError, message: /^backward: gradient of shape \[4\] does not match the tensor's shape \[3\]/, state: values(leaf) },
  { name: 'backward(int32 gradient)', fn: () => leafOut.backward(int3), type: TypeError, message: /^backward: gradient .*int32/, state: values(leaf) },
  { name: 'backward(disposed gradient)', fn: () => leafOut.backward(gone3), type: Error, message: disposed('backward', '[3]'), state: values(leaf) },
  { name: 'backward([1])', fn: () => leafOut.backward([1, 1, 1] as never), type: TypeError, message: /^backward: gradient must be a Tensor, got an array of 3/, state: values(leaf) },
  { name: 'grad = zeros(1) on [3]', fn: () => { leaf.grad = zeros1; }, type: RangeError, message: /^grad: assigned grad has data of a different size: got shape \[1\], the tensor has shape \[3\]/, state: values(leaf) },
  { name: 'grad = int32 tensor', fn: () => { leaf.grad = int3; }, type: TypeError, message: /^grad: assigned grad has data of a different type: got int32, the tensor is float32/, state: values(leaf) },
  { name: 'grad = [1, 2, 3]', fn: () => { leaf.grad = [1, 2, 3] as never; }, type: TypeError, message: /^grad: assigned grad expected to be a Tensor or null but got an array of 3/, state: values(leaf) },
  { name: 'grad = disposed', fn: () => { leaf.grad = gone3; }, type: Error, message: /^grad: the assigned tensor of shape \[3\] was disposed/, state: values(leaf) },
  { name: 'requiresGrad_(int32)', fn: () => xi.requiresGrad_(), type: TypeError, message: /^requiresGrad: only float32 tensors can require gradients, got int32/ },
  { name: "requiresGrad_('yes')", fn: () => y.requiresGrad_('yes' as never), type: TypeError, message: /^requiresGrad_?: .*boolean.*string "yes"/, state: () => y.requiresGrad },
  { name: "noGrad('x')", fn: () => torch.noGrad('x' as never), type: TypeError, message: /^noGrad: expected a function.*string "x"/ },
  { name: 'enableGrad(1)', fn: () => torch.enableGrad(1 as never), type: TypeError, message: /^enableGrad: expected a function.*number 1/ },
  { name: "tidy('x')", fn: () => torch.tidy('x' as never), type: TypeError, message: /^tidy: expected a function to run, got string "x"/ },
  { name: 'tidy(fn, {})', fn: () => (torch.tidy as (...a: unknown[]) => unknown)(() => 1, {}), type: TypeError, message: /^tidy: takes one function and nothing else, got 2 arguments/ },
  { name: 'keep(1)', fn: () => torch.keep(1 as never), type: TypeError, message: /^keep: expected a Tensor, got number 1/ },
  { name: 'keep(disposed)', fn: () => torch.keep(gone), type: Error, message: disposed('keep') },
]);

// ---- losses (nn.functional and the loss modules) -----------------------------------------------
const probs = torch.rand(2, 3);
const notProbs = torch.tensor([[-0.5, 0.2, 0.3], [0.1, 0.2, 0.3]]);
const logits = torch.randn(2, 3);
const classes = torch.tensor([0, 2], { dtype: 'int32' });
const classOob = torch.tensor([0, 3], { dtype: 'int32' });
const classNeg = torch.tensor([-1, 0], { dtype: 'int32' });
const classesF = torch.tensor([0, 2]);
const w3 = torch.ones(3);
const w3i = torch.ones(3, { dtype: 'int32' });
const POINTWISE = ['mseLoss', 'l1Loss', 'smoothL1Loss', 'huberLoss', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'klDiv'] as const;
const FF = F as unknown as Record<string, (...a: unknown[]) => unknown>;

run('losses', [
  ...POINTWISE.flatMap((op) => [
    { name: `F.${op}([2, 3], [4, 5])`, fn: () => FF[op](probs, y45), type: RangeError, message: new RegExp(`^${op}: input of shape \\[2, 3\\] and target of shape \\[4, 5\\] must have the same shape`) },
    { name: `F.${op}(x, y, { reduction: 'avg' })`, fn: () => FF[op](probs, probs, { reduction: 'avg' }), type: RangeError, message: new RegExp(`^${op}: reduction must be 'mean', ('batchmean', )?'sum' or 'none', got 'avg'`) },
    { name: `F.${op}(x, y, { size_average })`, fn: () => FF[op](probs, probs, { size_average: true }), type: TypeError, message: new RegExp(`^${op}: unknown option 'size_average'; known options: `) },
    { name: `F.${op}(x, y, 1)`, fn: () => FF[op](probs, probs, 1), type: TypeError, message: new RegExp(`^${op}: options must be a plain object .*got number 1`) },
    { name: `F.${op}(disposed, y)`, fn: () => FF[op](gone, probs), type: Error, message: disposed(op) },
    { name: `F.${op}(x, disposed)`, fn: () => FF[op](probs, gone), type: Error, message: disposed(op) },
    { name: `F.${op}(x, 1)`, fn: () => FF[op](probs, 1), type: TypeError, message: new RegExp(`^${op}: target must be a Tensor, got number 1`) },
    { name: `F.${op}(int32, y)`, fn: () => FF[op](xi, probs), type: TypeError, message: new RegExp(`^${op}: expected a float32 tensor, got int32 of shape \\[2, 3\\]`) },
  ]),
  { name: 'F.smoothL1Loss(x, y, { beta: -1 })', fn: () => F.smoothL1Loss(probs, probs, { beta: -1 }), type: RangeError, message: /^smoothL1Loss: beta must be non-negative .*got -1/ },
  { name: 'F.huberLoss(x, y, { delta: 0 })', fn: () => F.huberLoss(probs, probs, { delta: 0 }), type: RangeError, message: /^huberLoss: delta must be positive .*got 0/ },
  { name: "F.huberLoss(x, y, { delta: '1' })", fn: () => F.huberLoss(probs, probs, { delta: '1' } as never), type: TypeError, message: /^huberLoss: option 'delta' must be a number, got string "1"/ },
  { name: 'F.binaryCrossEntropy(x, y, { weight [4] })', fn: () => F.binaryCrossEntropy(probs, probs, { weight: v4 }), type: RangeError, message: /^binaryCrossEntropy: weight of shape \[4\] cannot be broadcast to the input's shape \[2, 3\]/ },
  { name: 'F.binaryCrossEntropy(x, y, { weight: disposed })', fn: () => F.binaryCrossEntropy(probs, probs, { weight: gone }), type: Error, message: disposed('binaryCrossEntropy') },
  { name: 'F.binaryCrossEntropy(-0.5, y)', fn: () => F.binaryCrossEntropy(notProbs, probs), type: RangeError, message: /^binaryCrossEntropy: all elements of input should be between 0 and 1 .*got -0.5 at position 0/ },
  { name: 'F.binaryCrossEntropyWithLogits(x, y, { pos_weight })', fn: () => F.binaryCrossEntropyWithLogits(probs, probs, { pos_weight: v4 } as never), type: TypeError, message: /^binaryCrossEntropyWithLogits: unknown option 'pos_weight' \(did you mean 'posWeight'\?\)/ },
  { name: 'F.binaryCrossEntropyWithLogits(x, y, { posWeight [4] })', fn: () => F.binaryCrossEntropyWithLogits(probs, probs, { posWeight: v4 }), type: RangeError, message: /^binaryCrossEntropyWithLogits: posWeight of shape \[4\] cannot be broadcast to the input's shape \[2, 3\]/ },
  { name: 'F.klDiv(x, y, { log_target })', fn: () => F.klDiv(probs, probs, { log_target: true } as never), type: TypeError, message: /^klDiv: unknown option 'log_target' \(did you mean 'logTarget'\?\)/ },
  { name: 'F.crossEntropy(logits, target 3 of 3 classes)', fn: () => F.crossEntropy(logits, classOob), type: RangeError, message: /^crossEntropy: target 3 at position 1 is out of bounds for 3 classes \(expected in \[0, 2\] or ignoreIndex -100\)/ },
  { name: 'F.crossEntropy(logits, target -1)', fn: () => F.crossEntropy(logits, classNeg), type: RangeError, message: /^crossEntropy: target -1 at position 0 is out of bounds for 3 classes/ },
  { name: 'F.crossEntropy(logits, float target [2])', fn: () => F.crossEntropy(logits, classesF), type: RangeError, message: /^crossEntropy: probability targets must have the input's shape \[2, 3\], got \[2\]/ },
  { name: 'F.crossEntropy(logits, target [3])', fn: () => F.crossEntropy(logits, int3), type: RangeError, message: /^crossEntropy: class-index targets for input of shape \[2, 3\] must have shape \[2\], got \[3\]/ },
  { name: 'F.crossEntropy(logits, t, { ignore_index })', fn: () => F.crossEntropy(logits, classes, { ignore_index: 1 } as never), type: TypeError, message: /^crossEntropy: unknown option 'ignore_index' \(did you mean 'ignoreIndex'\?\)/ },
  { name: 'F.crossEntropy(logits, t, { label_smoothing })', fn: () => F.crossEntropy(logits, classes, { label_smoothing: 0.1 } as never), type: TypeError, message: /^crossEntropy: unknown option 'label_smoothing' \(did you mean 'labelSmoothing'\?\)/ },
  { name: 'F.crossEntropy(logits, t, { labelSmoothing: 2 })', fn: () => F.crossEntropy(logits, classes, { labelSmoothing: 2 }), type: RangeError, message: /^crossEntropy: labelSmoothing must be between 0.0 and 1.0, got 2/ },
  { name: 'F.crossEntropy(logits, t, { ignoreIndex: 1.5 })', fn: () => F.crossEntropy(logits, classes, { ignoreIndex: 1.5 }), type: TypeError, message: /^crossEntropy: option 'ignoreIndex' must be an integer, got number 1.5/ },
  { name: 'F.crossEntropy(logits, t, { weight [4] })', fn: () => F.crossEntropy(logits, classes, { weight: v4 }), type: RangeError, message: /^crossEntropy: weight must be a 1-D tensor of 3 class weights .*got shape \[4\]/ },
  { name: 'F.crossEntropy(logits, t, { weight int32 })', fn: () => F.crossEntropy(logits, classes, { weight: w3i }), type: TypeError, message: /^crossEntropy: weight must be a float32 tensor, got int32 of shape \[3\]/ },
  { name: 'F.crossEntropy(logits, t, { weight: [1, 1, 1] })', fn: () => F.crossEntropy(logits, classes, { weight: [1, 1, 1] } as never), type: TypeError, message: /^crossEntropy: option 'weight' must be a float32 Tensor or null, got an array of 3/ },
  { name: 'F.crossEntropy(disposed, t)', fn: () => F.crossEntropy(gone, classes), type: Error, message: disposed('crossEntropy') },
  { name: 'F.crossEntropy(0-D, t)', fn: () => F.crossEntropy(s0, classes), type: RangeError, message: /^crossEntropy: input must have at least 1 dim \(classes\), got shape \[\]/ },
  { name: 'F.nllLoss(logits, target 3)', fn: () => F.nllLoss(logits, classOob), type: RangeError, message: /^nllLoss: target 3 at position 1 is out of bounds for 3 classes/ },
  { name: 'F.nllLoss(logits, float target)', fn: () => F.nllLoss(logits, classesF), type: TypeError, message: /^nllLoss: targets must be int32 class indices, got float32 of shape \[2\]/ },
  { name: 'F.nllLoss(logits, t, { ignoreindex })', fn: () => F.nllLoss(logits, classes, { ignoreindex: 1 } as never), type: TypeError, message: /^nllLoss: unknown option 'ignoreindex' \(did you mean 'ignoreIndex'\?\)/ },
  { name: 'F.nllLoss(logits, disposed)', fn: () => F.nllLoss(logits, gone), type: Error, message: disposed('nllLoss') },
  { name: "new MSELoss({ reduction: 'avg' })", fn: () => new nn.MSELoss({ reduction: 'avg' } as never), type: RangeError, message: /^MSELoss: reduction must be 'mean', 'sum' or 'none', got 'avg'/ },
  { name: 'new MSELoss({ size_average })', fn: () => new nn.MSELoss({ size_average: false } as never), type: TypeError, message: /^MSELoss: unknown option 'size_average'; known options: reduction/ },
  { name: "new MSELoss('sum')", fn: () => new nn.MSELoss('sum' as never), type: TypeError, message: /^MSELoss: options must be a plain object \{ reduction \}, got string "sum"/ },
  { name: "new L1Loss({ reduction: 'batchmean' })", fn: () => new nn.L1Loss({ reduction: 'batchmean' } as never), type: RangeError, message: /^L1Loss: reduction must be 'mean', 'sum' or 'none', got 'batchmean'/ },
  { name: 'new CrossEntropyLoss({ ignore_index })', fn: () => new nn.CrossEntropyLoss({ ignore_index: 0 } as never), type: TypeError, message: /^CrossEntropyLoss: unknown option 'ignore_index' \(did you mean 'ignoreIndex'\?\)/ },
  { name: 'new CrossEntropyLoss({ weight: [1, 2] })', fn: () => new nn.CrossEntropyLoss({ weight: [1, 2] } as never), type: TypeError, message: /^CrossEntropyLoss: option 'weight' must be a float32 Tensor or null, got an array of 2/ },
  { name: 'new CrossEntropyLoss({ weight: disposed })', fn: () => new nn.CrossEntropyLoss({ weight: gone3 }), type: Error, message: disposed('CrossEntropyLoss', '[3]') },
  { name: 'new CrossEntropyLoss({ labelSmoothing: -0.1 })', fn: () => new nn.CrossEntropyLoss({ labelSmoothing: -0.1 }), type: RangeError, message: /^CrossEntropyLoss: labelSmoothing must be between 0.0 and 1.0, got -0.1/ },
  { name: 'new CrossEntropyLoss({ ignoreIndex: 1.5 })', fn: () => new nn.CrossEntropyLoss({ ignoreIndex: 1.5 }), type: TypeError, message: /^CrossEntropyLoss: option 'ignoreIndex' must be an integer, got number 1.5/ },
  { name: 'new NLLLoss({ reduce })', fn: () => new nn.NLLLoss({ reduce: true } as never), type: TypeError, message: /^NLLLoss: unknown option 'reduce'; known options: weight, ignoreIndex, reduction/ },
  { name: 'new BCELoss({ pos_weight })', fn: () => new nn.BCELoss({ pos_weight: w3 } as never), type: TypeError, message: /^BCELoss: unknown option 'pos_weight'; known options: weight, reduction/ },
  { name: 'new BCEWithLogitsLoss({ pos_weight })', fn: () => new nn.BCEWithLogitsLoss({ pos_weight: w3 } as never), type: TypeError, message: /^BCEWithLogitsLoss: unknown option 'pos_weight' \(did you mean 'posWeight'\?\)/ },
  { name: 'new SmoothL1Loss({ beta: -1 })', fn: () => new nn.SmoothL1Loss({ beta: -1 }), type: RangeError, message: /^SmoothL1Loss: beta must be non-negative .*got -1/ },
  { name: 'new HuberLoss({ delta: -1 })', fn: () => new nn.HuberLoss({ delta: -1 }), type: RangeError, message: /^HuberLoss: delta must be positive .*got -1/ },
  { name: "new KLDivLoss({ reduction: 'avg' })", fn: () => new nn.KLDivLoss({ reduction: 'avg' } as never), type: RangeError, message: /^KLDivLoss: reduction must be 'mean', 'batchmean', 'sum' or 'none', got 'avg'/ },
  { name: 'new KLDivLoss({ log_target })', fn: () => new nn.KLDivLoss({ log_target: true } as never), type: TypeError, message: /^KLDivLoss: unknown option 'log_target' \(did you mean 'logTarget'\?\)/ },
  { name: 'MSELoss.forward([2, 3], [4, 5])', fn: () => new nn.MSELoss().forward(probs, y45), type: RangeError, message: /^mseLoss: input of shape \[2, 3\] and target of shape \[4, 5\] must have the same shape/ },
  { name: 'CrossEntropyLoss.forward(logits, target 3)', fn: () => new nn.CrossEntropyLoss().forward(logits, classOob), type: RangeError, message: /^crossEntropy: target 3 at position 1 is out of bounds for 3 classes/ },
]);

// ---- nn.functional -----------------------------------------------------------------------------
run('nn.functional', [
  { name: 'F.oneHot(index 3, 3)', fn: () => F.oneHot(classOob, 3), type: RangeError, message: /^F.oneHot: class index 3 \(element 1\) is out of range for 3 classes \(expected 0 <= index < 3\)/ },
  { name: 'F.oneHot(index -1, 3)', fn: () => F.oneHot(classNeg, 3), type: RangeError, message: /^F.oneHot: class index -1 \(element 0\) is out of range for 3 classes/ },
  { name: 'F.oneHot(float, 3)', fn: () => F.oneHot(classesF, 3), type: TypeError, message: /^F.oneHot: one_hot is only applicable to index tensors \(int32\), got float32 of shape \[2\]/ },
  { name: 'F.oneHot(t, 2.5)', fn: () => F.oneHot(classes, 2.5), type: RangeError, message: /^F.oneHot: numClasses must be -1 \(infer\) or a non-negative integer, got 2.5/ },
  { name: 'F.oneHot(t, 2 ** 30)', fn: () => F.oneHot(classes, 2 ** 30), type: RangeError, message: /^F.oneHot: a tensor of shape \[2, 1073741824\] needs 8589934592 bytes; the largest tensor is/ },
  { name: 'F.oneHot(disposed)', fn: () => F.oneHot(gone3), type: Error, message: disposed('F.oneHot', '[3]') },
  { name: 'F.normalize(x, { P: 2 })', fn: () => F.normalize(x, { P: 2 } as never), type: TypeError, message: /^F.normalize: unknown option 'P' \(did you mean 'p'\?\); known options: p, dim, eps/ },
  { name: 'F.normalize(x, { dim: 2 })', fn: () => F.normalize(x, { dim: 2 }), type: RangeError, message: outOfRange('F.normalize', 2) },
  { name: "F.normalize(x, { p: '2' })", fn: () => F.normalize(x, { p: '2' } as never), type: TypeError, message: /^F.normalize: option 'p' must be a number, got string "2"/ },
  { name: 'F.normalize(disposed)', fn: () => F.normalize(gone), type: Error, message: disposed('F.normalize') },
  { name: 'F.dropout(x, { p: 2 })', fn: () => F.dropout(x, { p: 2 }), type: RangeError, message: /^F.dropout: dropout probability has to be between 0 and 1, but got 2/ },
  { name: 'F.dropout(x, NaN)', fn: () => F.dropout(x, NaN), type: RangeError, message: /^F.dropout: dropout probability has to be between 0 and 1, but got NaN/ },
  { name: 'F.dropout(x, { P })', fn: () => F.dropout(x, { P: 0.5 } as never), type: TypeError, message: /^F.dropout: unknown option 'P' \(did you mean 'p'\?\); known options: p, training/ },
  { name: "F.dropout(x, { training: 'yes' })", fn: () => F.dropout(x, { training: 'yes' } as never), type: TypeError, message: /^F.dropout: option 'training' must be a boolean, got string "yes"/ },
  { name: 'F.dropout(int32)', fn: () => F.dropout(xi), type: TypeError, message: /^dropout: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'F.dropout(disposed)', fn: () => F.dropout(gone), type: Error, message: disposed('dropout') },
  { name: 'F.relu(x, true)', fn: () => F.relu(x, true), type: TypeError, message: /^F.relu: inplace=true is not supported/ },
  { name: 'F.relu(x, { in_place })', fn: () => F.relu(x, { in_place: true } as never), type: TypeError, message: /^F.relu: unknown option 'in_place' \(did you mean 'inplace'\?\); known options: inplace/ },
  { name: 'F.leakyRelu(x, { negative_slope })', fn: () => F.leakyRelu(x, { negative_slope: 0.1 } as never), type: TypeError, message: /^F.leakyRelu: unknown option 'negative_slope' \(did you mean 'negativeSlope'\?\)/ },
  { name: "F.gelu(x, 'fast')", fn: () => F.gelu(x, 'fast' as never), type: TypeError, message: /^F.gelu: approximate must be 'none' or 'tanh', got string "fast"/ },
  { name: 'F.gelu(x, { approx })', fn: () => F.gelu(x, { approx: 'tanh' } as never), type: TypeError, message: /^F.gelu: unknown option 'approx'; known options: approximate/ },
  { name: 'F.softmax(x, 2)', fn: () => F.softmax(x, 2), type: RangeError, message: outOfRange('softmax', 2) },
  { name: 'F.softmax(x, { axis })', fn: () => F.softmax(x, { axis: 1 } as never), type: TypeError, message: /^F.softmax: unknown option 'axis'; known options: dim/ },
  { name: 'F.softmax(x)', fn: () => (F.softmax as (...a: unknown[]) => unknown)(x), type: TypeError, message: /^softmax: dim is required/ },
  { name: "F.logSoftmax(x, '1')", fn: () => F.logSoftmax(x, '1' as never), type: TypeError, message: /^F.logSoftmax: dim must be an integer \(or \{ dim \}\), got string "1"/ },
  { name: 'F.sigmoid(disposed)', fn: () => F.sigmoid(gone), type: Error, message: disposed('sigmoid') },
  { name: 'F.tanh(3)', fn: () => F.tanh(3 as never), type: TypeError, message: /^F.tanh: expected a Tensor, got number 3/ },
]);

// ---- nn modules: constructors, forward, Module methods -----------------------------------------
const net = new nn.Linear(3, 2);
net.forward(x).sum().backward(); // gradients to keep unchanged
const netState = values(net.weight, net.bias);
const seq = new nn.Sequential(new nn.Linear(3, 2));

run('nn modules', [
  ...(['0', '-1', '1.5', 'NaN', 'Infinity'] as const).map((s) => ({ name: `new Linear(${s}, 2)`, fn: () => new nn.Linear(Number(s), 2), type: RangeError, message: new RegExp(`^Linear: inFeatures must be a positive integer, got ${s}`) })),
  { name: 'new Linear(2, -1)', fn: () => new nn.Linear(2, -1), type: RangeError, message: /^Linear: outFeatures must be a positive integer, got -1/ },
  { name: "new Linear('3', 2)", fn: () => new nn.Linear('3' as never, 2), type: TypeError, message: /^Linear: inFeatures must be a number, got string "3"/ },
  { name: 'new Linear(65536, 65536)', fn: () => new nn.Linear(65536, 65536), type: RangeError, message: /^Linear: a tensor of shape \[65536, 65536\] needs 17179869184 bytes/ },
  { name: 'new Linear(2, 2, { Bias })', fn: () => new nn.Linear(2, 2, { Bias: true } as never), type: TypeError, message: /^Linear: unknown option 'Bias' \(did you mean 'bias'\?\); known options: bias/ },
  { name: 'Linear.forward([2, 4])', fn: () => net.forward(x4), type: RangeError, message: /^linear: input of shape \[2, 4\] does not match weight of shape \[2, 3\] \(expected last dim 3\)/, state: netState },
  { name: 'Linear.forward(int32)', fn: () => net.forward(xi), type: TypeError, message: /^linear: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'Linear.forward(disposed)', fn: () => net.forward(gone), type: Error, message: disposed('linear') },
  { name: 'Linear.forward(3)', fn: () => net.forward(3 as never), type: TypeError, message: /^linear: input must be a Tensor, got number 3/ },
  { name: "new LeakyReLU('a')", fn: () => new nn.LeakyReLU('a' as never), type: TypeError, message: /^LeakyReLU: negativeSlope must be a finite number \(or \{ negativeSlope \}\), got string "a"/ },
  { name: 'new LeakyReLU({ negative_slope })', fn: () => new nn.LeakyReLU({ negative_slope: 0.1 } as never), type: TypeError, message: /^LeakyReLU: unknown option 'negative_slope' \(did you mean 'negativeSlope'\?\)/ },
  { name: 'new LeakyReLU(0.1, true)', fn: () => new nn.LeakyReLU(0.1, true), type: TypeError, message: /^LeakyReLU: inplace=true is not supported/ },
  { name: "new GELU({ approximate: 'fast' })", fn: () => new nn.GELU({ approximate: 'fast' } as never), type: TypeError, message: /^GELU: approximate must be 'none' or 'tanh', got string "fast"/ },
  { name: 'new Softmax({ axis })', fn: () => new nn.Softmax({ axis: 1 } as never), type: TypeError, message: /^Softmax: unknown option 'axis'; known options: dim/ },
  { name: "new Softmax('1')", fn: () => new nn.Softmax('1' as never), type: TypeError, message: /^Softmax: dim must be an integer \(or \{ dim \}\), got string "1"/ },
  { name: 'Softmax(2).forward([2, 3])', fn: () => new nn.Softmax(2).forward(x), type: RangeError, message: outOfRange('softmax', 2) },
  { name: 'new LogSoftmax(0.5)', fn: () => new nn.LogSoftmax(0.5), type: TypeError, message: /^LogSoftmax: dim must be an integer \(or \{ dim \}\), got number 0.5/ },
  { name: 'new Flatten({ start_dim })', fn: () => new nn.Flatten({ start_dim: 1 } as never), type: TypeError, message: /^Flatten: unknown option 'start_dim' \(did you mean 'startDim'\?\)/ },
  { name: 'new Flatten(0.5)', fn: () => new nn.Flatten(0.5), type: TypeError, message: /^Flatten: startDim must be an integer, got number 0.5/ },
  { name: 'Flatten(2).forward([2, 3])', fn: () => new nn.Flatten(2).forward(x), type: RangeError, message: outOfRange('flatten', 2) },
  { name: 'new Dropout(2)', fn: () => new nn.Dropout(2), type: RangeError, message: /^Dropout: probability has to be between 0 and 1, got 2/ },
  { name: 'new Dropout(NaN)', fn: () => new nn.Dropout(NaN), type: RangeError, message: /^Dropout: probability has to be between 0 and 1, got NaN/ },
  { name: 'new Dropout({ p: 0.2 })', fn: () => new nn.Dropout({ p: 0.2 } as never), type: TypeError, message: /^Dropout: p must be a number .*got an object/ },
  { name: 'new ReLU(true)', fn: () => new nn.ReLU(true), type: TypeError, message: /^ReLU: inplace=true is not supported/ },
  { name: 'new ReLU({ in_place })', fn: () => new nn.ReLU({ in_place: true } as never), type: TypeError, message: /^ReLU: unknown option 'in_place' \(did you mean 'inplace'\?\)/ },
  { name: 'new Sigmoid(1)', fn: () => new (nn.Sigmoid as unknown as new (a: unknown) => unknown)(1), type: TypeError, message: /^Sigmoid: takes no arguments, got 1/ },
  { name: 'Tanh.forward(disposed)', fn: () => new nn.Tanh().forward(gone), type: Error, message: disposed('tanh') },
  { name: 'new Sequential(ReLU, 3)', fn: () => new nn.Sequential(new nn.ReLU(), 3 as never), type: TypeError, message: /^Sequential: argument 1 is not an nn.Module/ },
  { name: 'Sequential.append(3)', fn: () => seq.append(3 as never), type: TypeError, message: /^Sequential.append: number 3 is not an nn.Module/, state: () => seq.toString() },
  { name: 'Sequential.forward([2, 4])', fn: () => seq.forward(x4), type: RangeError, message: /^linear: input of shape \[2, 4\] does not match weight of shape \[2, 3\]/ },
  { name: 'new ModuleList([3])', fn: () => new nn.ModuleList([3 as never]), type: TypeError, message: /^ModuleList.extend: item 0: number 3 is not an nn.Module/ },
  { name: 'new ModuleDict({ a: 3 })', fn: () => new nn.ModuleDict({ a: 3 as never }), type: TypeError, message: /^ModuleDict.update 'a': number 3 is not an nn.Module/ },
  { name: 'new ParameterList([3])', fn: () => new nn.ParameterList([3 as never]), type: TypeError, message: /^ParameterList.extend: item 0 \(number 3\) is not a Tensor/ },
  { name: 'loadStateDict({ weight }) (bias missing)', fn: () => net.loadStateDict({ weight: y }), type: Error, message: /^loadStateDict: missing keys \[bias\], unexpected keys \[\]/, state: netState },
  { name: 'loadStateDict(weight [4, 5])', fn: () => net.loadStateDict({ weight: y45, bias: w3 }), type: RangeError, message: /^loadStateDict: size mismatch for (weight|bias): got \[(4, 5|3)\], the module has \[(2, 3|2)\]/, state: netState },
  { name: 'loadStateDict(int32 weight)', fn: () => net.loadStateDict({ weight: xi, bias: b2 }), type: TypeError, message: /^loadStateDict: dtype mismatch for weight: got int32, the module has float32/, state: netState },
  { name: 'loadStateDict(disposed weight)', fn: () => net.loadStateDict({ weight: gone, bias: b2 }), type: Error, message: disposed('loadStateDict (weight)'), state: netState },
  { name: 'loadStateDict(dict, { strict: 0 })', fn: () => net.loadStateDict({}, { strict: 0 } as never), type: TypeError, message: /^loadStateDict: option 'strict' must be a boolean, got number 0/, state: netState },
  { name: 'loadStateDict(dict, { Strict })', fn: () => net.loadStateDict({}, { Strict: false } as never), type: TypeError, message: /^loadStateDict: unknown option 'Strict' \(did you mean 'strict'\?\)/, state: netState },
  { name: "train('yes')", fn: () => net.train('yes' as never), type: TypeError, message: /^Module.train: mode must be a boolean, got string "yes"/, state: () => net.training },
  { name: 'eval(1)', fn: () => (net.eval as (...a: unknown[]) => unknown)(1), type: TypeError, message: /^Module.eval: takes no arguments, got 1 \(number 1\)/, state: () => net.training },
  { name: "apply('x')", fn: () => net.apply('x' as never), type: TypeError, message: /^Module.apply: expected a function, got string "x"/ },
  { name: "requiresGrad_('no')", fn: () => net.requiresGrad_('no' as never), type: TypeError, message: /^Module.requiresGrad_: expected a boolean, got string "no"/, state: () => net.weight.requiresGrad },
  { name: 'namedModules({ remove_duplicate })', fn: () => [...net.namedModules({ remove_duplicate: true } as never)], type: TypeError, message: /^Module.namedModules: unknown option 'remove_duplicate' \(did you mean 'removeDuplicate'\?\)/ },
  { name: 'zeroGrad({ set_to_none })', fn: () => net.zeroGrad({ set_to_none: true } as never), type: TypeError, message: /^zeroGrad: unknown option 'set_to_none' \(did you mean 'setToNone'\?\)/, state: netState },
  { name: 'zeroGrad({ setToNone: 0 })', fn: () => net.zeroGrad({ setToNone: 0 } as never), type: TypeError, message: /^zeroGrad: option 'setToNone' must be a boolean, got number 0/, state: netState },
  { name: 'parameters(false)', fn: () => (net.parameters as (...a: unknown[]) => unknown)(false), type: TypeError, message: /^Module.parameters: takes no arguments, got 1 \(boolean false\)/ },
  { name: 'namedParameters({ recurse })', fn: () => [...(net.namedParameters as (...a: unknown[]) => Iterable<unknown>)({ recurse: false })], type: TypeError, message: /^Module.namedParameters: takes no arguments, got 1/ },
  { name: 'stateDict({ keep_vars })', fn: () => (net.stateDict as (...a: unknown[]) => unknown)({ keep_vars: true }), type: TypeError, message: /^Module.stateDict: takes no arguments, got 1 \(an object\)/ },
  { name: "registerBuffer('b', 3)", fn: () => net.registerBuffer('b', 3 as never), type: TypeError, message: /^Module.registerBuffer: buffer 'b' must be a Tensor, got number 3/, state: () => net.buffers().length },
  { name: "registerBuffer('b', disposed)", fn: () => net.registerBuffer('b', gone), type: Error, message: disposed("Module.registerBuffer ('b')"), state: () => net.buffers().length },
  { name: "registerBuffer('a.b', t)", fn: () => net.registerBuffer('a.b', y), type: TypeError, message: /^Module.registerBuffer: name must be a non-empty string without '\.', got string "a.b"/, state: () => net.buffers().length },
  { name: 'new Parameter(3)', fn: () => new nn.Parameter(3 as never), type: TypeError, message: /^Parameter: expected a Tensor/ },
  { name: 'new Parameter(int32)', fn: () => new nn.Parameter(xi), type: TypeError, message: /only float32 tensors can require gradients, got int32/, state: () => xi.isParameter },
  { name: 'new Parameter(disposed)', fn: () => new nn.Parameter(gone), type: Error, message: disposed('Parameter') },
  { name: "new Parameter(x, 'yes')", fn: () => new nn.Parameter(y, 'yes' as never), type: TypeError, message: /^Parameter: .*boolean.*string "yes"/, state: () => [y.isParameter, y.requiresGrad] },
]);

// ---- nn.init and nn.utils ----------------------------------------------------------------------
const w34 = torch.randn(3, 4);
const w34State = values(w34);
const v1 = torch.randn(4);

run('nn.init', [
  { name: 'init.uniform_(w, { low })', fn: () => nn.init.uniform_(w34, { low: 0 } as never), type: TypeError, message: /^nn.init.uniform_: unknown option 'low'; known options: a, b/, state: w34State },
  { name: 'init.uniform_(w, { a: 1, b: 0 })', fn: () => nn.init.uniform_(w34, { a: 1, b: 0 }), type: RangeError, message: /^nn.init.uniform_: expects a <= b \(a range \[a, b\)\), got a=1 and b=0/, state: w34State },
  { name: 'init.uniform_(w, { a: NaN })', fn: () => nn.init.uniform_(w34, { a: NaN }), type: RangeError, message: /^nn.init.uniform_: expects a <= b .*got a=NaN and b=1/, state: w34State },
  { name: 'init.uniform_(disposed)', fn: () => nn.init.uniform_(gone), type: Error, message: disposed('nn.init.uniform_') },
  { name: 'init.uniform_(int32)', fn: () => nn.init.uniform_(xi), type: TypeError, message: /^nn.init.uniform_: expected a float32 tensor, got int32 of shape \[2, 3\]/, state: values(xi) },
  { name: 'init.uniform_(3)', fn: () => nn.init.uniform_(3 as never), type: TypeError, message: /^nn.init.uniform_: expected a Tensor, got number 3/ },
  { name: 'init.normal_(w, { std: -1 })', fn: () => nn.init.normal_(w34, { std: -1 }), type: RangeError, message: /^nn.init.normal_: expects std >= 0, got -1/, state: w34State },
  { name: 'init.normal_(w, { sigma })', fn: () => nn.init.normal_(w34, { sigma: 1 } as never), type: TypeError, message: /^nn.init.normal_: unknown option 'sigma'; known options: mean, std/, state: w34State },
  { name: 'init.truncNormal_(w, { a: 2, b: -2 })', fn: () => nn.init.truncNormal_(w34, { a: 2, b: -2 }), type: RangeError, message: /^nn.init.truncNormal_: expects a <= b, got a=2 and b=-2/, state: w34State },
  { name: "init.constant_(w, '1')", fn: () => nn.init.constant_(w34, '1' as never), type: TypeError, message: /^nn.init.constant_: value must be a number, got string "1"/, state: w34State },
  { name: 'init.eye_(1-D)', fn: () => nn.init.eye_(v1), type: RangeError, message: /^nn.init.eye_: only tensors with 2 dimensions are supported, got shape \[4\]/, state: values(v1) },
  { name: 'init.xavierUniform_(1-D)', fn: () => nn.init.xavierUniform_(v1), type: RangeError, message: /^nn.init.xavierUniform_: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions \(shape \[4\]\)/, state: values(v1) },
  { name: 'init.xavierUniform_(w, { Gain })', fn: () => nn.init.xavierUniform_(w34, { Gain: 1 } as never), type: TypeError, message: /^nn.init.xavierUniform_: unknown option 'Gain' \(did you mean 'gain'\?\)/, state: w34State },
  { name: "init.xavierNormal_(w, { gain: '1' })", fn: () => nn.init.xavierNormal_(w34, { gain: '1' } as never), type: TypeError, message: /^nn.init.xavierNormal_: option 'gain' must be a number, got string "1"/, state: w34State },
  { name: "init.kaimingUniform_(w, { mode: 'fan_in' })", fn: () => nn.init.kaimingUniform_(w34, { mode: 'fan_in' } as never), type: TypeError, message: /^nn.init.kaimingUniform_: option 'mode' must be one of "fanIn", "fanOut", got string "fan_in"/, state: w34State },
  { name: "init.kaimingNormal_(w, { nonlinearity: 'swish' })", fn: () => nn.init.kaimingNormal_(w34, { nonlinearity: 'swish' } as never), type: RangeError, message: /^nn.init.calculateGain: unsupported nonlinearity 'swish'; expected one of linear, /, state: w34State },
  { name: 'init.kaimingNormal_(w, { negative_slope })', fn: () => nn.init.kaimingNormal_(w34, { negative_slope: 0.1 } as never), type: TypeError, message: /^nn.init.kaimingNormal_: unknown option 'negative_slope'; known options: a, mode, nonlinearity/, state: w34State },
  { name: 'init.kaimingUniform_(1-D)', fn: () => nn.init.kaimingUniform_(v1), type: RangeError, message: /^nn.init.kaimingUniform_: fan in and fan out can not be computed .*shape \[4\]/, state: values(v1) },
  { name: 'init.orthogonal_(1-D)', fn: () => nn.init.orthogonal_(v1), type: RangeError, message: /^nn.init.orthogonal_: only tensors with 2 or more dimensions are supported, got shape \[4\]/, state: values(v1) },
  { name: "init.orthogonal_(w, { gain: 'x' })", fn: () => nn.init.orthogonal_(w34, { gain: 'x' } as never), type: TypeError, message: /^nn.init.orthogonal_: option 'gain' must be a number, got string "x"/, state: w34State },
  { name: "init.calculateGain('swish')", fn: () => nn.init.calculateGain('swish' as never), type: RangeError, message: /^nn.init.calculateGain: unsupported nonlinearity 'swish'/ },
  { name: "init.calculateGain('leaky_relu', 'x')", fn: () => nn.init.calculateGain('leaky_relu', 'x' as never), type: TypeError, message: /^nn.init.calculateGain: negative_slope string "x" is not a valid number/ },
  { name: 'init.zeros_(disposed)', fn: () => nn.init.zeros_(gone), type: Error, message: disposed('nn.init.zeros_') },
]);

const noParams = [] as Tensor[];
run('nn.utils', [
  { name: "clipGradNorm_(params, '1')", fn: () => nn.utils.clipGradNorm_(net.parameters(), '1' as never), type: TypeError, message: /^nn.utils.clipGradNorm_: maxNorm must be a number, got string "1"/, state: netState },
  { name: 'clipGradNorm_(params, NaN)', fn: () => nn.utils.clipGradNorm_(net.parameters(), NaN), type: RangeError, message: /^nn.utils.clipGradNorm_: maxNorm must be a non-negative number, got NaN/, state: netState },
  { name: 'clipGradNorm_(params, -1)', fn: () => nn.utils.clipGradNorm_(net.parameters(), -1), type: RangeError, message: /^nn.utils.clipGradNorm_: maxNorm must be a non-negative number, got -1/, state: netState },
  { name: 'clipGradNorm_(params, 1, { norm_type })', fn: () => nn.utils.clipGradNorm_(net.parameters(), 1, { norm_type: 2 } as never), type: TypeError, message: /^nn.utils.clipGradNorm_: unknown option 'norm_type' \(did you mean 'normType'\?\)/, state: netState },
  { name: "clipGradNorm_(params, 1, { normType: 'inf' })", fn: () => nn.utils.clipGradNorm_(net.parameters(), 1, { normType: 'inf' } as never), type: TypeError, message: /^nn.utils.clipGradNorm_: option 'normType' must be a number, got string "inf"/, state: netState },
  { name: 'clipGradNorm_(3, 1)', fn: () => nn.utils.clipGradNorm_(3 as never, 1), type: TypeError, message: /^nn.utils.clipGradNorm_: parameters must be a Tensor or an iterable of tensors, got number 3/ },
  { name: "clipGradValue_(params, 'x')", fn: () => nn.utils.clipGradValue_(net.parameters(), 'x' as never), type: TypeError, message: /^nn.utils.clipGradValue_: clipValue must be a number, got string "x"/, state: netState },
  { name: 'clipGradValue_(params, -1)', fn: () => nn.utils.clipGradValue_(net.parameters(), -1), type: RangeError, message: /^nn.utils.clipGradValue_: clipValue must be non-negative .*got -1/, state: netState },
  { name: 'parametersToVector(3)', fn: () => nn.utils.parametersToVector(3 as never), type: TypeError, message: /^nn.utils.parametersToVector: parameters must be a Tensor or an iterable of tensors, got number 3/ },
  { name: 'parametersToVector([disposed])', fn: () => nn.utils.parametersToVector([gone]), type: Error, message: disposed('nn.utils.parametersToVector') },
  { name: 'vectorToParameters([3], params of 8)', fn: () => nn.utils.vectorToParameters(v3, net.parameters()), type: RangeError, message: /^nn.utils.vectorToParameters: vec has 3 elements but the parameters have 8 \(shapes \[2, 3\], \[2\]\)/, state: netState },
  { name: 'vectorToParameters([2, 3], params)', fn: () => nn.utils.vectorToParameters(x, net.parameters()), type: RangeError, message: /^nn.utils.vectorToParameters: vec must be 1-D, got shape \[2, 3\]/, state: netState },
  { name: 'vectorToParameters([1], params)', fn: () => nn.utils.vectorToParameters([1] as never, net.parameters()), type: TypeError, message: /^nn.utils.vectorToParameters: expected vec to be a Tensor, got an array of 1/, state: netState },
  { name: 'vectorToParameters(vec, [])', fn: () => nn.utils.vectorToParameters(v3, noParams), type: RangeError, message: /^nn.utils.vectorToParameters: vec has 3 elements but the parameters have 0/ },
]);

// ---- optimizers and lr schedulers: a failed call leaves parameters, grads and state as they were --
const OPTIMIZERS = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta', 'Adamax', 'NAdam', 'RAdam'] as const;
const O = optim as unknown as Record<string, new (...a: unknown[]) => torch.optim.Optimizer<object>>;
const model = new nn.Linear(3, 2);
model.forward(x).sum().backward();
const adam = new optim.Adam(model.parameters(), { lr: 0.1 });
adam.step(); // state exists: exp_avg, exp_avg_sq, step
const sgd = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
sgd.step();
/** Parameters, grads, state and groups of an optimizer as plain values (its state dict's tensors are copies, freed here). */
const optState = (o: torch.optim.Optimizer<object>) => (): unknown => {
  const sd = o.stateDict();
  const plain = JSON.parse(JSON.stringify(sd, (_k, v) => (v && v.isTensor === true ? v.tolist() : v)));
  for (const st of Object.values(sd.state)) for (const v of Object.values(st)) if (v instanceof torch.Tensor) v.dispose();
  return [plain, o.paramGroups.map((g) => ({ ...g, params: g.params.map((p) => [p.tolist(), p.grad && !p.grad.isDisposed ? p.grad.tolist() : null]) }))];
};
const adamState = optState(adam), sgdState = optState(sgd);
/** Sets paramGroups[0][key] for one call and puts the old value back. */
function withGroupKey(o: torch.optim.Optimizer<object>, key: string, v: unknown, fn: () => unknown): () => void {
  return () => {
    const g = o.paramGroups[0] as Record<string, unknown>;
    const had = key in g, old = g[key];
    g[key] = v;
    try { fn(); } finally { if (had) g[key] = old; else delete g[key]; }
  };
}
const extra = torch.ones(2, { requiresGrad: true });
const goneGrad = torch.ones(3, { requiresGrad: true });
goneGrad.grad = torch.ones(3);
goneGrad.grad.dispose(); // a parameter whose gradient was freed behind the optimizer's back
const sgdGoneGrad = new optim.SGD([...model.parameters(), goneGrad], { lr: 0.1 });
/** An optimizer's state dict (tensors copied, pinned by the optimizer's state) with one change. */
function changedDict(o: torch.optim.Optimizer<object>, change: (sd: torch.optim.OptimizerStateDict) => void): () => void {
  return () => {
    const sd = o.stateDict();
    const copies = Object.values(sd.state).flatMap((st) => Object.values(st)).filter((v): v is Tensor => v instanceof torch.Tensor);
    try { change(sd); o.loadStateDict(sd); } finally { for (const c of copies) c.dispose(); }
  };
}

run('optimizers', [
  ...OPTIMIZERS.flatMap((name) => [
    { name: `new ${name}(params, { lr: -1 })`, fn: () => new O[name](model.parameters(), { lr: -1 }), type: RangeError, message: new RegExp(`^${name}: invalid learning rate value: -1`) },
    { name: `new ${name}(params, { lr: NaN })`, fn: () => new O[name](model.parameters(), { lr: NaN }), type: RangeError, message: new RegExp(`^${name}: invalid learning rate value: NaN`) },
    { name: `new ${name}(params, { lr: '0.1' })`, fn: () => new O[name](model.parameters(), { lr: '0.1' }), type: TypeError, message: new RegExp(`^${name}: option 'lr' must be a number, got the string '0.1'`) },
    { name: `new ${name}(params, { weight_decay })`, fn: () => new O[name](model.parameters(), { weight_decay: 0.1 }), type: TypeError, message: new RegExp(`^${name}: unknown option 'weight_decay'; expected one of lr, .*weightDecay`) },
    { name: `new ${name}(params, { weightDecay: -1 })`, fn: () => new O[name](model.parameters(), { weightDecay: -1 }), type: RangeError, message: new RegExp(`^${name}: invalid weight_decay value: -1`) },
    { name: `new ${name}([])`, fn: () => new O[name]([]), type: Error, message: new RegExp(`^${name}: got an empty parameter list`) },
    { name: `new ${name}(3)`, fn: () => new O[name](3), type: TypeError, message: new RegExp(`^${name}: params must be an iterable of Tensors or of parameter groups, got number 3`) },
    { name: `new ${name}([int32])`, fn: () => new O[name]([xi]), type: TypeError, message: new RegExp(`^${name}: parameters must be float32, got int32 \\(shape \\[2, 3\\]\\)`) },
    { name: `new ${name}(params, 0.1)`, fn: () => new O[name](model.parameters(), 0.1), type: TypeError, message: new RegExp(`^${name}: options must be an object, got number 0.1`) },
    { name: `new ${name}([disposed])`, fn: () => new O[name]([gone]), type: Error, message: new RegExp(`^${name}: a parameter of group 0 \\(shape \\[2, 3\\]\\) was disposed and cannot be optimized`) },
    { name: `new ${name}([non-leaf])`, fn: () => new O[name]([leafOut]), type: Error, message: new RegExp(`^${name}: can't optimize a non-leaf Tensor \\(shape \\[3\\]\\)`) },
    { name: `new ${name}([p, p])`, fn: () => new O[name]([extra, extra]), type: Error, message: new RegExp(`^${name}: some parameters appear in more than one parameter group`) },
  ]),
  { name: 'new Adam(params, { betas: [0.9] })', fn: () => new optim.Adam(model.parameters(), { betas: [0.9] as never }), type: TypeError, message: /^Adam: option 'betas' must be an array of 2 numbers, got an array \[0.9\]/ },
  { name: 'new Adam(params, { betas: [NaN, 0.9] })', fn: () => new optim.Adam(model.parameters(), { betas: [NaN, 0.9] }), type: RangeError, message: /^Adam: invalid beta parameter at index 0 value: NaN/ },
  { name: 'new Adam(params, { betas: [1, 0.9] })', fn: () => new optim.Adam(model.parameters(), { betas: [1, 0.9] }), type: RangeError, message: /^Adam: invalid beta parameter at index 0 value: 1/ },
  { name: 'new Adam(params, { eps: -1 })', fn: () => new optim.Adam(model.parameters(), { eps: -1 }), type: RangeError, message: /^Adam: invalid epsilon value: -1/ },
  { name: 'new SGD(params, { momentum: -1 })', fn: () => new optim.SGD(model.parameters(), { momentum: -1 }), type: RangeError, message: /^SGD: invalid momentum value: -1/ },
  { name: 'new SGD(params, { nesterov: true })', fn: () => new optim.SGD(model.parameters(), { nesterov: true }), type: RangeError, message: /^SGD: Nesterov momentum requires a momentum and zero dampening/ },
  { name: 'new RMSprop(params, { alpha: -1 })', fn: () => new optim.RMSprop(model.parameters(), { alpha: -1 }), type: RangeError, message: /^RMSprop: invalid alpha value: -1/ },
  { name: 'new Adadelta(params, { rho: 2 })', fn: () => new optim.Adadelta(model.parameters(), { rho: 2 }), type: RangeError, message: /^Adadelta: invalid rho value: 2/ },
  { name: 'new Adagrad(params, { lr_decay })', fn: () => new optim.Adagrad(model.parameters(), { lr_decay: 0.1 } as never), type: TypeError, message: /^Adagrad: unknown option 'lr_decay'; expected one of lr, lrDecay/ },
  { name: 'new SGD([{ params, weight_decay }])', fn: () => new optim.SGD([{ params: model.parameters(), weight_decay: 1 } as never]), type: TypeError, message: /^SGD: unknown parameter group key 'weight_decay'; expected one of lr, .*weightDecay/ },
  { name: 'Adam.step() with lr -1', fn: withGroupKey(adam, 'lr', -1, () => adam.step()), type: RangeError, message: /^Adam: invalid learning rate value: -1/, state: adamState },
  { name: "Adam.step() with lr '0.1'", fn: withGroupKey(adam, 'lr', '0.1', () => adam.step()), type: TypeError, message: /^Adam.step: paramGroups\[0\]: option 'lr' must be a number, got the string '0.1'/, state: adamState },
  { name: 'Adam.step() with group key weight_decay', fn: withGroupKey(adam, 'weight_decay', 0.1, () => adam.step()), type: TypeError, message: /^Adam.step: paramGroups\[0\]: unknown parameter group key 'weight_decay'/, state: adamState },
  { name: 'Adam.step() with betas undefined', fn: withGroupKey(adam, 'betas', undefined, () => adam.step()), type: TypeError, message: /^Adam.step: paramGroups\[0\]: option 'betas' is missing \(undefined\)/, state: adamState },
  { name: 'SGD.step() with a disposed grad (after a good parameter)', fn: () => sgdGoneGrad.step(), type: Error, message: /^SGD.step: paramGroups\[0\].params\[2\]: its grad \(shape \[3\]\) was disposed and cannot be used/, state: optState(sgdGoneGrad) },
  { name: 'SGD.step(closure)', fn: () => (sgd.step as (...a: unknown[]) => unknown)(() => 1), type: TypeError, message: /^SGD.step: takes no arguments, got a function; closures are not supported/, state: sgdState },
  { name: 'SGD.zeroGrad({ set_to_none })', fn: () => sgd.zeroGrad({ set_to_none: true } as never), type: TypeError, message: /^SGD.zeroGrad: unknown option 'set_to_none'; expected one of setToNone/, state: sgdState },
  { name: 'SGD.zeroGrad({ setToNone: 1 })', fn: () => sgd.zeroGrad({ setToNone: 1 } as never), type: TypeError, message: /^SGD.zeroGrad: option 'setToNone' must be a boolean, got number 1/, state: sgdState },
  { name: 'SGD.addParamGroup(params already in a group)', fn: () => sgd.addParamGroup({ params: model.parameters() }), type: Error, message: /^SGD: some parameters appear in more than one parameter group/, state: sgdState },
  { name: 'SGD.addParamGroup({ params, weight_decay })', fn: () => sgd.addParamGroup({ params: [extra], weight_decay: 1 } as never), type: TypeError, message: /^SGD: unknown parameter group key 'weight_decay'/, state: sgdState },
  { name: 'SGD.addParamGroup({ lr })', fn: () => sgd.addParamGroup({ lr: 1 } as never), type: TypeError, message: /^SGD: parameter group 1 needs 'params', an iterable of Tensors/, state: sgdState },
  { name: 'SGD.addParamGroup({ params, lr: -1 })', fn: () => sgd.addParamGroup({ params: [extra], lr: -1 }), type: RangeError, message: /^SGD: invalid learning rate value: -1/, state: sgdState },
  { name: 'Adam.loadStateDict(3)', fn: () => adam.loadStateDict(3 as never), type: TypeError, message: /^Adam.loadStateDict: expected \{ state, param_groups \}, got number 3/, state: adamState },
  { name: 'Adam.loadStateDict(lr -5)', fn: changedDict(adam, (sd) => { sd.param_groups[0].lr = -5; }), type: RangeError, message: /^Adam: invalid learning rate value: -5/, state: adamState },
  { name: 'Adam.loadStateDict(unknown group key)', fn: changedDict(adam, (sd) => { sd.param_groups[0].foo = 1; }), type: TypeError, message: /^Adam.loadStateDict: param_groups\[0\]: unknown parameter group key 'foo'; expected one of lr, .*weight_decay/, state: adamState },
  { name: 'Adam.loadStateDict(camelCase group key)', fn: changedDict(adam, (sd) => { sd.param_groups[0].weightDecay = 0; }), type: TypeError, message: /^Adam.loadStateDict: param_groups\[0\] key 'weightDecay' is not PyTorch's name; a state dict spells it 'weight_decay'/, state: adamState },
  { name: "Adam.loadStateDict(lr '0.1')", fn: changedDict(adam, (sd) => { sd.param_groups[0].lr = '0.1'; }), type: TypeError, message: /^Adam.loadStateDict: param_groups\[0\]: option 'lr' must be a number, got the string '0.1'/, state: adamState },
  { name: 'Adam.loadStateDict(no groups)', fn: () => adam.loadStateDict({ state: {}, param_groups: [] }), type: RangeError, message: /^Adam.loadStateDict: the state dict has 0 parameter groups, the optimizer 1/, state: adamState },
  { name: 'Adam.loadStateDict(exp_avg of shape [4, 5])', fn: changedDict(adam, (sd) => { (sd.state[0] as Record<string, unknown>).exp_avg = y45; }), type: RangeError, message: /^Adam.loadStateDict: state\[0\].exp_avg has shape \[4, 5\], parameter 0 has shape \[2, 3\]/, state: adamState },
  { name: 'Adam.loadStateDict(exp_avg: 5)', fn: changedDict(adam, (sd) => { (sd.state[0] as Record<string, unknown>).exp_avg = 5; }), type: TypeError, message: /^Adam.loadStateDict: state\[0\].exp_avg must be a Tensor shaped like parameter 0 \(\[2, 3\]\), got number 5/, state: adamState },
  { name: 'Adam.loadStateDict(exp_avg disposed)', fn: changedDict(adam, (sd) => { (sd.state[0] as Record<string, unknown>).exp_avg = gone; }), type: Error, message: disposed('Adam.loadStateDict'), state: adamState },
  { name: 'Adam.loadStateDict(step: -1)', fn: changedDict(adam, (sd) => { (sd.state[0] as Record<string, unknown>).step = -1; }), type: TypeError, message: /^Adam.loadStateDict: state\[0\].step must be a Tensor or a number: a non-negative finite number .*got number -1/, state: adamState },
  { name: 'Adam.loadStateDict(unknown state key)', fn: changedDict(adam, (sd) => { (sd.state[0] as Record<string, unknown>).momentum_buffer = y; }), type: TypeError, message: /^Adam.loadStateDict: unknown state key 'momentum_buffer' for parameter 0; Adam keeps /, state: adamState },
]);

const S = optim.lrScheduler;
const schedOpt = new optim.SGD([extra], { lr: 0.1 });
const stepLR = new S.StepLR(schedOpt, { stepSize: 2 });
const schedState = (): unknown => [JSON.stringify(stepLR.stateDict()), JSON.stringify(schedOpt.paramGroups.map((g) => ({ ...g, params: g.params.length })))];
type AnyOpts = Record<string, unknown>;
const sched = (name: string, opts: unknown) => (): unknown => new (S as unknown as Record<string, new (o: unknown, p: unknown) => unknown>)[name](schedOpt, opts as AnyOpts);

run('lr schedulers', [
  { name: 'new StepLR(opt)', fn: () => new (S.StepLR as unknown as new (o: unknown) => unknown)(schedOpt), type: TypeError, message: /^StepLR: options must be an object, got undefined$/, state: schedState },
  { name: 'new StepLR(opt, { step_size })', fn: sched('StepLR', { step_size: 1 }), type: TypeError, message: /^StepLR: unknown option 'step_size'; expected one of stepSize, gamma/, state: schedState },
  { name: 'new StepLR(opt, { stepSize: 1.5 })', fn: sched('StepLR', { stepSize: 1.5 }), type: TypeError, message: /^StepLR: option 'stepSize' must be an integer, got number 1.5/, state: schedState },
  { name: 'new StepLR(opt, { stepSize: 0 })', fn: sched('StepLR', { stepSize: 0 }), type: RangeError, message: /^StepLR: stepSize must be a positive integer, got 0/, state: schedState },
  { name: "new StepLR(opt, { gamma: '0.1' })", fn: sched('StepLR', { stepSize: 1, gamma: '0.1' }), type: TypeError, message: /^StepLR: option 'gamma' must be a number, got the string '0.1'/, state: schedState },
  { name: 'new StepLR(opt, { gamma: NaN })', fn: sched('StepLR', { stepSize: 1, gamma: NaN }), type: RangeError, message: /^StepLR: gamma must be a finite number >= 0, got NaN/, state: schedState },
  { name: 'new StepLR(opt, { last_epoch })', fn: sched('StepLR', { stepSize: 1, last_epoch: 3 }), type: TypeError, message: /^StepLR: unknown option 'last_epoch'/, state: schedState },
  { name: 'new StepLR(3, { stepSize })', fn: () => new S.StepLR(3 as never, { stepSize: 1 }), type: TypeError, message: /^StepLR: number 3 is not an Optimizer/ },
  { name: 'new MultiStepLR(opt, { milestones: [1.5] })', fn: sched('MultiStepLR', { milestones: [1.5] }), type: TypeError, message: /^MultiStepLR: option 'milestones' must be an array of integers, got an array of 1/, state: schedState },
  { name: 'new MultiStepLR(opt, { gamma: -1 })', fn: sched('MultiStepLR', { milestones: [1], gamma: -1 }), type: RangeError, message: /^MultiStepLR: gamma must be a finite number >= 0, got -1/, state: schedState },
  { name: 'new ExponentialLR(opt, {})', fn: sched('ExponentialLR', {}), type: TypeError, message: /^ExponentialLR: option 'gamma' is required/, state: schedState },
  { name: 'new ExponentialLR(opt, { gamma: -1 })', fn: sched('ExponentialLR', { gamma: -1 }), type: RangeError, message: /^ExponentialLR: gamma must be a finite number >= 0, got -1/, state: schedState },
  { name: 'new CosineAnnealingLR(opt, { T_max })', fn: sched('CosineAnnealingLR', { T_max: 10 }), type: TypeError, message: /^CosineAnnealingLR: unknown option 'T_max'; expected one of tMax, etaMin/, state: schedState },
  { name: 'new CosineAnnealingLR(opt, { tMax: 0 })', fn: sched('CosineAnnealingLR', { tMax: 0 }), type: RangeError, message: /^CosineAnnealingLR: tMax must be a positive number, got 0/, state: schedState },
  { name: 'new CosineAnnealingLR(opt, { tMax: NaN })', fn: sched('CosineAnnealingLR', { tMax: NaN }), type: RangeError, message: /^CosineAnnealingLR: tMax must be a positive number, got NaN/, state: schedState },
  { name: 'new LambdaLR(opt, { lrLambda: 1 })', fn: sched('LambdaLR', { lrLambda: 1 }), type: TypeError, message: /^LambdaLR: option 'lrLambda' must be a function or an array of functions .*got number 1/, state: schedState },
  { name: 'new LinearLR(opt, { startFactor: 0 })', fn: sched('LinearLR', { startFactor: 0 }), type: RangeError, message: /^LinearLR: startFactor must be in \(0, 1\], got 0/, state: schedState },
  { name: 'new LinearLR(opt, { endFactor: 2 })', fn: sched('LinearLR', { endFactor: 2 }), type: RangeError, message: /^LinearLR: endFactor must be in \[0, 1\], got 2/, state: schedState },
  { name: 'new LinearLR(opt, { totalIters: 1.5 })', fn: sched('LinearLR', { totalIters: 1.5 }), type: TypeError, message: /^LinearLR: option 'totalIters' must be an integer, got number 1.5/, state: schedState },
  { name: 'new OneCycleLR(opt, {})', fn: sched('OneCycleLR', {}), type: TypeError, message: /^OneCycleLR: option 'maxLr' is required/, state: schedState },
  { name: 'new OneCycleLR(opt, { max_lr })', fn: sched('OneCycleLR', { max_lr: 1, totalSteps: 10 }), type: TypeError, message: /^OneCycleLR: unknown option 'max_lr'; expected one of maxLr, /, state: schedState },
  { name: 'new OneCycleLR(opt, { pctStart: 2 })', fn: sched('OneCycleLR', { maxLr: 1, totalSteps: 10, pctStart: 2 }), type: RangeError, message: /^OneCycleLR: expected pctStart between 0 and 1, got 2/, state: schedState },
  { name: "new OneCycleLR(opt, { annealStrategy: 'exp' })", fn: sched('OneCycleLR', { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' }), type: RangeError, message: /^OneCycleLR: annealStrategy must be 'cos' or 'linear', got 'exp'/, state: schedState },
  { name: 'new OneCycleLR(opt, { totalSteps: 0 })', fn: sched('OneCycleLR', { maxLr: 1, totalSteps: 0 }), type: RangeError, message: /^OneCycleLR: expected a positive integer totalSteps, got 0/, state: schedState },
  { name: "new ReduceLROnPlateau(opt, { mode: 'avg' })", fn: sched('ReduceLROnPlateau', { mode: 'avg' }), type: RangeError, message: /^ReduceLROnPlateau: mode 'avg' is unknown; expected 'min' or 'max'/, state: schedState },
  { name: 'new ReduceLROnPlateau(opt, { factor: 1 })', fn: sched('ReduceLROnPlateau', { factor: 1 }), type: RangeError, message: /^ReduceLROnPlateau: factor should be < 1.0, got 1/, state: schedState },
  { name: 'new ReduceLROnPlateau(opt, { min_lr })', fn: sched('ReduceLROnPlateau', { min_lr: 0 }), type: TypeError, message: /^ReduceLROnPlateau: unknown option 'min_lr'; expected one of mode, .*minLr/, state: schedState },
  { name: 'new SequentialLR(opt, { schedulers: [3] })', fn: sched('SequentialLR', { schedulers: [3], milestones: [] }), type: TypeError, message: /^SequentialLR: option 'schedulers' must be an array of schedulers, got an array of 1/, state: schedState },
  { name: 'StepLR.step(3)', fn: () => (stepLR.step as (...a: unknown[]) => unknown)(3), type: TypeError, message: /^StepLR.step: step\(\) takes no argument, got number 3/, state: schedState },
  { name: 'StepLR.loadStateDict(3)', fn: () => stepLR.loadStateDict(3 as never), type: TypeError, message: /^StepLR.loadStateDict: expected a state dict object, got number 3/, state: schedState },
  { name: 'StepLR.loadStateDict(unknown key)', fn: () => stepLR.loadStateDict({ ...stepLR.stateDict(), foo: 1 } as never), type: TypeError, message: /^StepLR.loadStateDict: unknown key 'foo'; expected one of step_size, gamma, /, state: schedState },
  { name: "StepLR.loadStateDict(last_epoch 'x')", fn: () => stepLR.loadStateDict({ ...stepLR.stateDict(), last_epoch: 'x' } as never), type: TypeError, message: /^StepLR.loadStateDict: 'last_epoch' must be a number, got the string 'x'/, state: schedState },
]);

// ---- utils.data --------------------------------------------------------------------------------
const D = torch.utils.data;
const rows2 = torch.ones(2);
const rows3 = torch.ones(3);
const ds = new D.TensorDataset(x, rows2);
const notADataset = [1, 2];

run('utils.data', [
  { name: 'new TensorDataset()', fn: () => new D.TensorDataset(), type: TypeError, message: /^TensorDataset: expected at least one tensor/ },
  { name: 'new TensorDataset([2, 3], [3])', fn: () => new D.TensorDataset(x, rows3), type: RangeError, message: /^TensorDataset: size mismatch between tensors: tensor 0 has 2 rows \(shape \[2, 3\]\), tensor 1 has shape \[3\]/ },
  { name: 'new TensorDataset(3)', fn: () => new D.TensorDataset(3 as never), type: TypeError, message: /^TensorDataset: argument 0 is not a Tensor \(got number 3\)/ },
  { name: 'new TensorDataset(disposed)', fn: () => new D.TensorDataset(gone), type: Error, message: disposed('TensorDataset') },
  { name: 'new TensorDataset(0-D)', fn: () => new D.TensorDataset(s0), type: RangeError, message: /^TensorDataset: tensor 0 is 0-dim; every tensor needs a first dimension to index/ },
  { name: 'TensorDataset.get(2)', fn: () => ds.get(2), type: RangeError, message: /^TensorDataset.get: index 2 is out of range for a dataset of 2 samples/ },
  { name: 'TensorDataset.get(-3)', fn: () => ds.get(-3), type: RangeError, message: /^TensorDataset.get: index -3 is out of range for a dataset of 2 samples/ },
  { name: 'TensorDataset.get(0.5)', fn: () => ds.get(0.5), type: RangeError, message: /^TensorDataset.get: index 0.5 is out of range for a dataset of 2 samples/ },
  { name: "TensorDataset.get('0')", fn: () => ds.get('0' as never), type: TypeError, message: /^TensorDataset.get: index must be a number, got string "0"/ },
  { name: 'new Subset(ds, [5])', fn: () => new D.Subset(ds, [5]), type: RangeError, message: /^Subset: index 5 \(at position 0\) is out of range for a dataset of 2 samples/ },
  { name: 'new Subset(ds, [0.5])', fn: () => new D.Subset(ds, [0.5]), type: TypeError, message: /^Subset: index 0 is number 0.5; expected an integer/ },
  { name: 'new Subset(ds, 0)', fn: () => new D.Subset(ds, 0 as never), type: TypeError, message: /^Subset: indices must be an iterable of integers, got number 0/ },
  { name: 'new Subset(3, [0])', fn: () => new D.Subset(3 as never, [0]), type: TypeError, message: /^Subset: expected a dataset \(an object with a non-negative integer length and get\(index\)\), got number 3/ },
  { name: 'randomSplit(ds, [1, 2])', fn: () => D.randomSplit(ds, [1, 2]), type: RangeError, message: /^randomSplit: the lengths \[1, 2\] sum to 3, not to the length of the dataset \(2\)/ },
  { name: 'randomSplit(ds, [3, -1])', fn: () => D.randomSplit(ds, [3, -1]), type: TypeError, message: /^randomSplit: lengths must be non-negative numbers, got -1 at index 1/ },
  { name: 'randomSplit(ds, [NaN, 2])', fn: () => D.randomSplit(ds, [NaN, 2]), type: TypeError, message: /^randomSplit: lengths must be non-negative numbers, got NaN at index 0/ },
  { name: "randomSplit(ds, ['1', 1])", fn: () => D.randomSplit(ds, ['1', 1] as never), type: TypeError, message: /^randomSplit: lengths must be non-negative numbers, got string "1" at index 0/ },
  { name: 'randomSplit(ds, [0.5, 0.6])', fn: () => D.randomSplit(ds, [0.5, 0.6]), type: RangeError, message: /^randomSplit: length 0.5 at index 0 is neither an integer nor part of fractions summing to 1/ },
  { name: 'randomSplit(3, [1])', fn: () => D.randomSplit(3 as never, [1]), type: TypeError, message: /^randomSplit: expected a dataset .*got number 3/ },
  { name: 'new DataLoader(ds, { batchSize: 0 })', fn: () => new D.DataLoader(ds, { batchSize: 0 }), type: RangeError, message: /^DataLoader: batchSize must be a positive integer, got 0/ },
  { name: 'new DataLoader(ds, { batchSize: 1.5 })', fn: () => new D.DataLoader(ds, { batchSize: 1.5 }), type: TypeError, message: /^DataLoader: option 'batchSize' must be an integer, got number 1.5/ },
  { name: 'new DataLoader(ds, { batch_size })', fn: () => new D.DataLoader(ds, { batch_size: 2 } as never), type: TypeError, message: /^DataLoader: unknown option 'batch_size' \(did you mean 'batchSize'\?\); known options: batchSize, shuffle, dropLast, collate/ },
  { name: 'new DataLoader(ds, { drop_last })', fn: () => new D.DataLoader(ds, { drop_last: true } as never), type: TypeError, message: /^DataLoader: unknown option 'drop_last' \(did you mean 'dropLast'\?\)/ },
  { name: 'new DataLoader(ds, { collate_fn })', fn: () => new D.DataLoader(ds, { collate_fn: (b: unknown) => b } as never), type: TypeError, message: /^DataLoader: unknown option 'collate_fn'; known options: / },
  { name: "new DataLoader(ds, { shuffle: 'yes' })", fn: () => new D.DataLoader(ds, { shuffle: 'yes' } as never), type: TypeError, message: /^DataLoader: option 'shuffle' must be a boolean, got string "yes"/ },
  { name: 'new DataLoader([1, 2])', fn: () => new D.DataLoader(notADataset as never), type: TypeError, message: /^DataLoader: expected a dataset .*got an array of 2/ },
  { name: 'new DataLoader(ds, 2)', fn: () => new D.DataLoader(ds, 2 as never), type: TypeError, message: /^DataLoader: options must be a plain object \{ batchSize, shuffle, dropLast, collate \}, got number 2/ },
  { name: 'defaultCollate([tensor, 1])', fn: () => D.defaultCollate([x, 1] as never), type: TypeError, message: /^defaultCollate: sample 0 is a Tensor but sample 1 is number 1/ },
  { name: 'defaultCollate([[2, 3], [4, 5]])', fn: () => D.defaultCollate([x, y45]), type: RangeError, message: /^defaultCollate: stack expects each tensor to be equal size, but got \[2, 3\] at entry 0 and \[4, 5\] at entry 1/ },
  { name: 'defaultCollate([])', fn: () => D.defaultCollate([]), type: RangeError, message: /^defaultCollate: cannot collate an empty batch/ },
  { name: 'defaultCollate(3)', fn: () => D.defaultCollate(3 as never), type: TypeError, message: /^defaultCollate: expected an array of samples, got number 3/ },
  { name: 'defaultCollate([fn])', fn: () => D.defaultCollate([() => 1] as never), type: TypeError, message: /^defaultCollate: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found a function/ },
  { name: 'defaultCollate([x, disposed])', fn: () => D.defaultCollate([x, gone]), type: Error, message: disposed('defaultCollate') },
]);

// ---- torch.save / torch.load -------------------------------------------------------------------
const dict = { w: x, b: rows2 };
const bytes = torch.save(dict);

run('save and load', [
  { name: "save(dict, 'model.safetensors')", fn: () => torch.save(dict, 'model.safetensors' as never), type: TypeError, message: /^save: returns the bytes rather than writing a file; write them yourself/ },
  { name: 'save(dict, { meta })', fn: () => torch.save(dict, { meta: {} } as never), type: TypeError, message: /^save: unknown option 'meta'; known options: metadata/ },
  { name: "save(dict, { metadata: 'x' })", fn: () => torch.save(dict, { metadata: 'x' } as never), type: TypeError, message: /^save: option 'metadata' must be a plain object, got string "x"/ },
  { name: 'save(dict, { metadata: { a: 1 } })', fn: () => torch.save(dict, { metadata: { a: 1 } } as never), type: TypeError, message: /^save: metadata values must be strings, but "a" is number 1/ },
  { name: 'save(tensor)', fn: () => torch.save(x as never), type: TypeError, message: /^save: expected a state dict, an object of named tensors such as module.stateDict\(\), got a Tensor/ },
  { name: 'save(null)', fn: () => torch.save(null as never), type: TypeError, message: /^save: expected a state dict, .*got null/ },
  { name: 'save({ a: 3 })', fn: () => torch.save({ a: 3 } as never), type: TypeError, message: /^save: the value of "a" is number 3, not a Tensor/ },
  { name: 'save({ a: disposed })', fn: () => torch.save({ a: gone }), type: Error, message: disposed('save ("a")') },
  { name: 'save({ __metadata__: t })', fn: () => torch.save({ __metadata__: x }), type: TypeError, message: /^save: the name '__metadata__' is reserved/ },
  { name: 'load(3 bytes)', fn: () => torch.load(new Uint8Array(3)), type: Error, message: /^load: the file is truncated: 3 bytes, but a safetensors file starts with an 8-byte header length/ },
  { name: "load('model.safetensors')", fn: () => torch.load('model.safetensors' as never), type: TypeError, message: /^load: takes the file's bytes \(Uint8Array, Buffer or ArrayBuffer\), not a path or a string/ },
  { name: 'load(3)', fn: () => torch.load(3 as never), type: TypeError, message: /^load: expected the file's bytes .*got number 3/ },
  { name: 'load(first 20 bytes)', fn: () => torch.load(bytes.subarray(0, 20)), type: RangeError, message: /^load: the header length \d+ runs past the end of the file \(20 bytes leave at most 12 for the header\)/ },
  { name: 'load(all but the last byte)', fn: () => torch.load(bytes.subarray(0, bytes.length - 1)), type: RangeError, message: /^load: tensor "b": data_offsets \[\d+, \d+\] run past the end of the data region/ },
  { name: "load(bytes, { map_location: 'cpu' })", fn: () => (torch.load as (...a: unknown[]) => unknown)(bytes, { map_location: 'cpu' }), type: TypeError, message: /^load: .*map_location/ },
  { name: "loadMetadata('x')", fn: () => torch.loadMetadata('x' as never), type: TypeError, message: /^loadMetadata: takes the file's bytes/ },
]);

// ---- convolution, pooling, normalization, embedding (issue 10's layers) -------------------------
const img = torch.randn(1, 3, 8, 8);
const img2ch = torch.randn(1, 2, 8, 8);
const img2x2 = torch.randn(1, 3, 2, 2);
const imgInt = torch.zeros(1, 3, 8, 8, { dtype: 'int32' });
const goneImg = torch.randn(1, 3, 8, 8); goneImg.dispose();
const convW = torch.randn(4, 3, 3, 3);
const ids = torch.tensor([[0, 1], [2, 9]], { dtype: 'int32' });
const idsNeg = torch.tensor([-1], { dtype: 'int32' });
const conv = new nn.Conv2d(3, 4, 3);
const convState = values(conv.weight, conv.bias);
const ln = new nn.LayerNorm(3);
const bn = new nn.BatchNorm2d(3);
const bnState = (): unknown => [values(bn.weight, bn.bias)(), bn.buffers().map((b) => b.tolist())];
const emb = new nn.Embedding(5, 2);
const embState = values(emb.weight);
const mp = new nn.MaxPool2d(2);

run('conv, pool, norm, embedding', [
  { name: 'new Conv2d(0, 4, 3)', fn: () => new nn.Conv2d(0, 4, 3), type: RangeError, message: /^Conv2d: inChannels must be a positive integer, got number 0/ },
  { name: 'new Conv2d(3, -1, 3)', fn: () => new nn.Conv2d(3, -1, 3), type: RangeError, message: /^Conv2d: outChannels must be a positive integer, got number -1/ },
  { name: 'new Conv2d(NaN, 4, 3)', fn: () => new nn.Conv2d(NaN, 4, 3), type: RangeError, message: /^Conv2d: inChannels must be a positive integer, got number NaN/ },
  { name: "new Conv2d('3', 4, 3)", fn: () => new nn.Conv2d('3' as never, 4, 3), type: TypeError, message: /^Conv2d: inChannels must be .*got string "3"/ },
  { name: 'new Conv2d(3, 4, 1.5)', fn: () => new nn.Conv2d(3, 4, 1.5), type: TypeError, message: /^Conv2d: kernelSize must hold integers, got number 1.5/ },
  { name: 'new Conv2d(3, 4, 0)', fn: () => new nn.Conv2d(3, 4, 0), type: RangeError, message: /^Conv2d: kernelSize must be positive, got \[0, 0\]/ },
  { name: 'new Conv2d(3, 4, [3, 3, 3])', fn: () => new nn.Conv2d(3, 4, [3, 3, 3] as never), type: RangeError, message: /^Conv2d: expected kernelSize to be a single integer value or a list of 2 values/ },
  { name: 'new Conv2d(3, 4, 3, { stride: 0 })', fn: () => new nn.Conv2d(3, 4, 3, { stride: 0 }), type: RangeError, message: /^Conv2d: .*stride.*0/ },
  { name: 'new Conv2d(3, 4, 3, { padding: -1 })', fn: () => new nn.Conv2d(3, 4, 3, { padding: -1 }), type: RangeError, message: /^Conv2d: .*padding.*-1/ },
  { name: 'new Conv2d(3, 4, 3, { dilation: 0 })', fn: () => new nn.Conv2d(3, 4, 3, { dilation: 0 }), type: RangeError, message: /^Conv2d: .*dilation.*0/ },
  { name: "new Conv2d(3, 4, 3, { padding: 'full' })", fn: () => new nn.Conv2d(3, 4, 3, { padding: 'full' } as never), type: RangeError, message: /^Conv2d: Invalid padding string 'full', should be one of 'valid', 'same'/ },
  { name: 'new Conv2d(3, 4, 3, { groups: 2 })', fn: () => new nn.Conv2d(3, 4, 3, { groups: 2 }), type: RangeError, message: /^Conv2d: in_channels must be divisible by groups \(inChannels 3, groups 2\)/ },
  { name: 'new Conv2d(3, 4, 3, { padding_mode })', fn: () => new nn.Conv2d(3, 4, 3, { padding_mode: 'zeros' } as never), type: TypeError, message: /^Conv2d: unknown option 'padding_mode' \(did you mean 'paddingMode'\?\)/ },
  { name: "new Conv2d(3, 4, 3, { bias: 'no' })", fn: () => new nn.Conv2d(3, 4, 3, { bias: 'no' } as never), type: TypeError, message: /^Conv2d: option 'bias' must be a boolean, got string "no"/ },
  { name: "new Conv2d(3, 4, 3, { paddingMode: 'mirror' })", fn: () => new nn.Conv2d(3, 4, 3, { paddingMode: 'mirror' } as never), type: TypeError, message: /^Conv2d: option 'paddingMode' must be one of 'zeros', 'reflect', 'replicate', 'circular', got string "mirror"/ },
  { name: 'new Conv2d(65536, 65536, 3)', fn: () => new nn.Conv2d(65536, 65536, 3), type: RangeError, message: /^Conv2d: a tensor of shape \[65536, 65536, 3, 3\] needs 154618822656 bytes/ },
  { name: 'Conv2d.forward(2 channels)', fn: () => conv.forward(img2ch), type: RangeError, message: /^conv2d: Given groups=1, weight of size \[4, 3, 3, 3\], expected input\[1, 2, 8, 8\] to have 3 channels, but got 2 channels instead/, state: convState },
  { name: 'Conv2d.forward([2, 3])', fn: () => conv.forward(x), type: RangeError, message: /^conv2d: Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[2, 3\]/ },
  { name: 'Conv2d.forward(disposed)', fn: () => conv.forward(goneImg), type: Error, message: disposed('conv2d', '[1, 3, 8, 8]') },
  { name: 'Conv2d.forward(int32)', fn: () => conv.forward(imgInt), type: TypeError, message: /^conv2d: expected a float32 tensor, got int32 of shape \[1, 3, 8, 8\]/ },
  { name: 'Conv2d.forward(2×2 image)', fn: () => conv.forward(img2x2), type: RangeError, message: /^conv2d: Calculated padded input size per channel: \(2 x 2\)\. Kernel size: \(3 x 3\)\. Kernel size can't be greater than actual input size/ },
  { name: 'F.conv2d(2 channels, w)', fn: () => F.conv2d(img2ch, convW), type: RangeError, message: /^conv2d: Given groups=1, weight of size \[4, 3, 3, 3\], expected input\[1, 2, 8, 8\] to have 3 channels/ },
  { name: 'F.conv2d(x, w, bias [2, 3])', fn: () => F.conv2d(img, convW, x), type: RangeError, message: /^conv2d: .*bias.*\[2, 3\]/ },
  { name: 'F.conv2d(x, w, null, { Stride })', fn: () => F.conv2d(img, convW, null, { Stride: 1 } as never), type: TypeError, message: /^conv2d: unknown option 'Stride' \(did you mean 'stride'\?\)/ },
  { name: 'F.conv2d(x, 3)', fn: () => F.conv2d(img, 3 as never), type: TypeError, message: /^conv2d: weight must be a Tensor, got number 3/ },
  { name: 'new MaxPool2d(0)', fn: () => new nn.MaxPool2d(0), type: RangeError, message: /^MaxPool2d: stride should not be zero/ },
  { name: 'new MaxPool2d(1.5)', fn: () => new nn.MaxPool2d(1.5), type: TypeError, message: /^MaxPool2d: kernel_size must either be a single int, or a tuple of 2 ints, got number 1.5/ },
  { name: 'new MaxPool2d(2, { ceil_mode })', fn: () => new nn.MaxPool2d(2, { ceil_mode: true } as never), type: TypeError, message: /^MaxPool2d: unknown option 'ceil_mode' \(did you mean 'ceilMode'\?\)/ },
  { name: 'new MaxPool2d(2, { stride: -1 })', fn: () => new nn.MaxPool2d(2, { stride: -1 }), type: RangeError, message: /^MaxPool2d: .*stride.*-1/ },
  { name: 'new MaxPool2d(2, { padding: 2 })', fn: () => new nn.MaxPool2d(2, { padding: 2 }), type: RangeError, message: /^MaxPool2d: pad should be at most half of (effective )?kernel size, but got pad=2 and kernel_size=2/ },
  { name: "new MaxPool2d(2, { returnIndices: 'yes' })", fn: () => new nn.MaxPool2d(2, { returnIndices: 'yes' } as never), type: TypeError, message: /^MaxPool2d: option 'returnIndices' must be a boolean, got string "yes"/ },
  { name: 'MaxPool2d.forward([2, 3])', fn: () => mp.forward(x), type: RangeError, message: /^maxPool2d: non-empty 3D or 4D \(batch mode\) tensor expected for input, got shape \[2, 3\]/ },
  { name: 'MaxPool2d.forward(disposed)', fn: () => mp.forward(goneImg), type: Error, message: disposed('maxPool2d', '[1, 3, 8, 8]') },
  { name: 'new AvgPool2d(2, { count_include_pad })', fn: () => new nn.AvgPool2d(2, { count_include_pad: false } as never), type: TypeError, message: /^AvgPool2d: unknown option 'count_include_pad' \(did you mean 'countIncludePad'\?\)/ },
  { name: 'new AvgPool2d(2, { divisorOverride: 0 })', fn: () => new nn.AvgPool2d(2, { divisorOverride: 0 }), type: RangeError, message: /^AvgPool2d: .*divisor.*0/ },
  { name: 'new AdaptiveAvgPool2d(-1)', fn: () => new nn.AdaptiveAvgPool2d(-1), type: RangeError, message: /^AdaptiveAvgPool2d: .*-1/ },
  { name: 'F.adaptiveAvgPool2d(x, -1)', fn: () => F.adaptiveAvgPool2d(img, -1), type: RangeError, message: /^adaptiveAvgPool2d: elements of output_size must be greater than or equal to 0 but received \{-1, -1\}/ },
  { name: 'F.avgPool2d([2, 3], 2)', fn: () => F.avgPool2d(x, 2), type: RangeError, message: /^avgPool2d: non-empty 3D or 4D \(batch mode\) tensor expected for input, got shape \[2, 3\]/ },
  { name: 'new LayerNorm(1.5)', fn: () => new nn.LayerNorm(1.5), type: TypeError, message: /^LayerNorm: normalizedShape must be a non-negative integer or a non-empty array of them, got number 1.5/ },
  { name: 'new LayerNorm(3, { elementwise_affine })', fn: () => new nn.LayerNorm(3, { elementwise_affine: false } as never), type: TypeError, message: /^LayerNorm: unknown option 'elementwise_affine' \(did you mean 'elementwiseAffine'\?\)/ },
  { name: 'new LayerNorm(3, { eps: -1 })', fn: () => new nn.LayerNorm(3, { eps: -1 }), type: RangeError, message: /^LayerNorm: eps must be a number ≥ 0, got number -1/ },
  { name: "new LayerNorm(3, { eps: '1e-5' })", fn: () => new nn.LayerNorm(3, { eps: '1e-5' } as never), type: TypeError, message: /^LayerNorm: option 'eps' must be a number, got string "1e-5"/ },
  { name: 'LayerNorm(3).forward([1, 3, 8, 8])', fn: () => ln.forward(img), type: RangeError, message: /^layerNorm: Given normalized_shape=\[3\], expected input with shape \[\*, 3\], but got input of size \[1, 3, 8, 8\]/ },
  { name: 'LayerNorm.forward(int32)', fn: () => ln.forward(xi), type: TypeError, message: /^layerNorm: input must be a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'LayerNorm.forward(disposed)', fn: () => ln.forward(gone), type: Error, message: disposed('layerNorm') },
  { name: 'new GroupNorm(2, 3)', fn: () => new nn.GroupNorm(2, 3), type: RangeError, message: /^GroupNorm: num_channels must be divisible by num_groups, got numChannels 3 and numGroups 2/ },
  { name: 'new BatchNorm2d(0)', fn: () => new nn.BatchNorm2d(0), type: RangeError, message: /^BatchNorm2d: numFeatures must be a positive integer, got number 0/ },
  { name: 'new BatchNorm2d(3, { track_running_stats })', fn: () => new nn.BatchNorm2d(3, { track_running_stats: false } as never), type: TypeError, message: /^BatchNorm2d: unknown option 'track_running_stats' \(did you mean 'trackRunningStats'\?\)/ },
  { name: "new BatchNorm2d(3, { momentum: '0.1' })", fn: () => new nn.BatchNorm2d(3, { momentum: '0.1' } as never), type: TypeError, message: /^BatchNorm2d: option 'momentum' must be a number or null, got string "0.1"/ },
  { name: 'BatchNorm2d(3).forward(2 channels)', fn: () => bn.forward(img2ch), type: RangeError, message: /^BatchNorm2d: running_mean should contain 2 elements not 3/, state: bnState },
  { name: 'BatchNorm2d.forward([2, 3])', fn: () => bn.forward(x), type: RangeError, message: /^BatchNorm2d: expected 4D input \(got 2D input of shape \[2, 3\]\)/, state: bnState },
  { name: 'BatchNorm2d.forward(disposed)', fn: () => bn.forward(goneImg), type: Error, message: disposed('batchNorm', '[1, 3, 8, 8]'), state: bnState },
  { name: 'new Embedding(5, 1.5)', fn: () => new nn.Embedding(5, 1.5), type: TypeError, message: /^Embedding: embeddingDim must be a non-negative integer, got number 1.5/ },
  { name: 'new Embedding(5, 2, { padding_idx })', fn: () => new nn.Embedding(5, 2, { padding_idx: 0 } as never), type: TypeError, message: /^Embedding: unknown option 'padding_idx' \(did you mean 'paddingIdx'\?\)/ },
  { name: 'new Embedding(5, 2, { paddingIdx: 5 })', fn: () => new nn.Embedding(5, 2, { paddingIdx: 5 }), type: RangeError, message: /^Embedding: Padding_idx must be within num_embeddings: got paddingIdx 5 for 5 embeddings/ },
  { name: 'new Embedding(65536, 65536)', fn: () => new nn.Embedding(65536, 65536), type: RangeError, message: /^Embedding: a tensor of shape \[65536, 65536\] needs 17179869184 bytes/ },
  { name: 'Embedding.forward(index 9 of 5)', fn: () => emb.forward(ids), type: RangeError, message: /^embedding: index 9 is out of range for 5 embeddings \(expected 0 ≤ index < 5; element 3 of the input of shape \[2, 2\]\)/, state: embState },
  { name: 'Embedding.forward(index -1)', fn: () => emb.forward(idsNeg), type: RangeError, message: /^embedding: index -1 is out of range for 5 embeddings/, state: embState },
  { name: 'Embedding.forward(float)', fn: () => emb.forward(idxf), type: TypeError, message: /^embedding: Expected tensor for argument #1 'indices' to have one of the following scalar types: Int .*but got float32 of shape \[2\]/ },
  { name: 'Embedding.forward(disposed)', fn: () => emb.forward(gone3), type: Error, message: disposed('embedding', '[3]') },
  { name: 'Embedding.fromPretrained(1-D)', fn: () => nn.Embedding.fromPretrained(v3), type: RangeError, message: /^Embedding.fromPretrained: Embeddings parameter is expected to be 2-dimensional, got shape \[3\]/ },
  { name: 'F.embedding(ids, w, { max_norm })', fn: () => F.embedding(ids, emb.weight, { max_norm: 1 } as never), type: TypeError, message: /^embedding: unknown option 'max_norm' \(did you mean 'maxNorm'\?\)/, state: embState },
  { name: 'F.pad(x, [1])', fn: () => F.pad(img, [1]), type: RangeError, message: /^pad: Padding length must be divisible by 2, got 1 \(\[1\]\)/ },
  { name: "F.pad(x, [1, 1], { mode: 'wrap' })", fn: () => F.pad(img, [1, 1], { mode: 'wrap' } as never), type: TypeError, message: /^pad: option 'mode' must be one of "constant", "reflect", "replicate", "circular", got string "wrap"/ },
  { name: 'F.pad(x, [1.5, 1])', fn: () => F.pad(img, [1.5, 1]), type: TypeError, message: /^pad: pad must be an array of integers .*1.5/ },
  { name: 'F.interpolate(x, {})', fn: () => F.interpolate(img, {}), type: TypeError, message: /^interpolate: either size or scale_factor should be defined/ },
  { name: "F.interpolate(x, { mode: 'cubic' })", fn: () => F.interpolate(img, { size: [4, 4], mode: 'cubic' } as never), type: TypeError, message: /^interpolate: option 'mode' must be 'nearest' or 'bilinear', got string "cubic"/ },
  { name: 'F.interpolate(x, { scale_factor })', fn: () => F.interpolate(img, { scale_factor: 2 } as never), type: TypeError, message: /^interpolate: unknown option 'scale_factor' \(did you mean 'scaleFactor'\?\)/ },
  { name: 'F.interpolate(x, { size: [0, 4] })', fn: () => F.interpolate(img, { size: [0, 4] }), type: RangeError, message: /^interpolate: Input and output sizes should be greater than 0, but got input \(H: 8, W: 8\) output \(H: 0, W: 4\)/ },
  { name: 'F.interpolate(x, { size: [65536, 65536] })', fn: () => F.interpolate(img, { size: [65536, 65536] }), type: RangeError, message: /^interpolate: a tensor of shape \[1, 3, 65536, 65536\] needs 51539607552 bytes/ },
  { name: "torch.scope('x')", fn: () => (torch.scope as (...a: unknown[]) => unknown)('x'), type: TypeError, message: /^scope: takes no arguments, got 1/ },
]);

// ---- containers and the remaining layers ----------------------------------------------------------
const seq2 = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
const mlist = new nn.ModuleList([new nn.ReLU()]);
const mdict = new nn.ModuleDict({ a: new nn.ReLU() });
const plist = new nn.ParameterList([torch.ones(2, { requiresGrad: true })]);
const relu = new nn.ReLU();
const i2 = torch.zeros(2, { dtype: 'int32' });
const listState = (): unknown => [seq2.toString(), mlist.toString(), mdict.toString(), plist.toString(), i2.isParameter];

run('containers and other layers', [
  { name: 'Sequential.get(2)', fn: () => seq2.get(2), type: RangeError, message: /^Sequential.get: index 2 is out of range for 2 modules/ },
  { name: "Sequential.get('0')", fn: () => seq2.get('0' as never), type: TypeError, message: /^Sequential.get: index must be a number, got string "0"/ },
  { name: 'Sequential.get(1.5)', fn: () => seq2.get(1.5), type: RangeError, message: /^Sequential.get: index 1.5 is out of range for 2 modules/ },
  { name: 'Sequential.forward(3)', fn: () => seq2.forward(3 as never), type: TypeError, message: /^F.relu: expected a Tensor, got number 3/ },
  { name: 'ModuleList.get(-2)', fn: () => mlist.get(-2), type: RangeError, message: /^ModuleList.get: index -2 is out of range for 1 modules/ },
  { name: 'ModuleList.set(5, m)', fn: () => mlist.set(5, relu), type: RangeError, message: /^ModuleList.set: index 5 is out of range for 1 modules/, state: listState },
  { name: 'ModuleList.set(0, 3)', fn: () => mlist.set(0, 3 as never), type: TypeError, message: /^ModuleList.set: number 3 is not an nn.Module/, state: listState },
  { name: 'ModuleList.append(3)', fn: () => mlist.append(3 as never), type: TypeError, message: /^ModuleList.append: number 3 is not an nn.Module/, state: listState },
  { name: 'ModuleList.extend(3)', fn: () => mlist.extend(3 as never), type: TypeError, message: /^ModuleList.extend: expected an iterable of modules, got number 3/, state: listState },
  { name: 'ModuleList.insert(0.5, m)', fn: () => mlist.insert(0.5, relu), type: TypeError, message: /^ModuleList.insert: index must be an integer, got number 0.5/, state: listState },
  { name: 'ModuleList.pop(3)', fn: () => mlist.pop(3), type: RangeError, message: /^ModuleList.pop: index 3 is out of range for 1 modules/, state: listState },
  { name: 'ModuleList.forward()', fn: () => mlist.forward(), type: Error, message: /^ModuleList: a ModuleList has no forward\(\); iterate over its modules instead/ },
  { name: "ModuleDict.get('b')", fn: () => mdict.get('b'), type: RangeError, message: /^ModuleDict.get: no module under key 'b'; the keys are \[a\]/ },
  { name: "ModuleDict.pop('zz')", fn: () => mdict.pop('zz'), type: RangeError, message: /^ModuleDict.pop: no module under key 'zz'; the keys are \[a\]/, state: listState },
  { name: "ModuleDict.set('b', 3)", fn: () => mdict.set('b', 3 as never), type: TypeError, message: /^ModuleDict.set 'b': number 3 is not an nn.Module/, state: listState },
  { name: 'ModuleDict.set(3, m)', fn: () => mdict.set(3 as never, relu), type: TypeError, message: /^ModuleDict.set: key must be a string, got number 3/, state: listState },
  { name: "ModuleDict.set('a.b', m)", fn: () => mdict.set('a.b', relu), type: RangeError, message: /^ModuleDict.set: key 'a.b' must be non-empty and contain no '\.'/, state: listState },
  { name: 'ModuleDict.update(3)', fn: () => mdict.update(3 as never), type: TypeError, message: /^ModuleDict.update: expected an object or \[key, module\] pairs, got number 3/, state: listState },
  { name: 'ParameterList.get(1)', fn: () => plist.get(1), type: RangeError, message: /^ParameterList.get: index 1 is out of range for 1 parameters/ },
  { name: 'ParameterList.set(0, int32)', fn: () => plist.set(0, i2), type: TypeError, message: /^ParameterList.set: parameters must be float32, got int32 \(shape \[2\]\)/, state: listState },
  { name: 'ParameterList.append(int32)', fn: () => plist.append(i2), type: TypeError, message: /^ParameterList.append: parameters must be float32, got int32/, state: listState },
  { name: 'ParameterList.append(disposed)', fn: () => plist.append(gone3), type: Error, message: disposed('ParameterList.append', '[3]'), state: listState },
  { name: 'ParameterList.extend(3)', fn: () => plist.extend(3 as never), type: TypeError, message: /^ParameterList.extend: expected an iterable of tensors, got number 3/, state: listState },
  { name: 'new Unflatten(1, [1.5])', fn: () => new nn.Unflatten(1, [1.5]), type: TypeError, message: /^Unflatten: unflattenedSize must be a non-empty array of sizes .*got an array of 1/ },
  { name: 'Unflatten(5, [3]).forward([2, 3])', fn: () => new nn.Unflatten(5, [3]).forward(x), type: RangeError, message: outOfRange('Unflatten', 5) },
  { name: 'new Dropout2d({ p: 0.5 })', fn: () => new nn.Dropout2d({ p: 0.5 } as never), type: TypeError, message: /^Dropout2d: p must be a number .*got an object/ },
  { name: 'new Dropout2d(2)', fn: () => new nn.Dropout2d(2), type: RangeError, message: /^Dropout2d: dropout probability has to be between 0 and 1, but got 2/ },
  { name: 'new Upsample({})', fn: () => new nn.Upsample({}), type: TypeError, message: /^Upsample: either size or scale_?[fF]actor should be defined/ },
  { name: 'new Upsample({ scale_factor })', fn: () => new nn.Upsample({ scale_factor: 2 } as never), type: TypeError, message: /^Upsample: unknown option 'scale_factor' \(did you mean 'scaleFactor'\?\)/ },
  { name: 'x.requiresGrad = 1', fn: () => { (y as { requiresGrad: unknown }).requiresGrad = 1; }, type: TypeError, message: /^requiresGrad: .*boolean.*number 1/, state: () => y.requiresGrad },
  { name: 'x.retainGrad(1)', fn: () => (leafOut.retainGrad as (...a: unknown[]) => unknown)(1), type: TypeError, message: /^retainGrad: takes no arguments/, state: () => leafOut.retainsGrad },
]);

// ---- options an op would ignore ------------------------------------------------------------------
const TWO = BINARY.filter((op) => op !== 'add' && op !== 'sub'); // add and sub take { alpha }
const M = (t: Tensor): Record<string, (...a: unknown[]) => unknown> => t as unknown as Record<string, (...a: unknown[]) => unknown>;

run('ignored arguments', [
  ...TWO.flatMap((op) => [
    { name: `${op}(x, y, {})`, fn: () => T[op](x, y, {}), type: TypeError, message: new RegExp(`^${op}: takes two operands, got 3 arguments \\(an object third\\)`) },
    { name: `x.${op}(y, {})`, fn: () => M(x)[op](y, {}), type: TypeError, message: new RegExp(`^${op}: takes two operands, got 3 arguments \\(an object third\\)`) },
  ]),
  ...(['cumsum', 'softmax', 'logSoftmax'] as const).flatMap((op) => [
    { name: `${op}(x, 1, { dtype })`, fn: () => T[op](x, 1, { dtype: 'float32' }), type: TypeError, message: new RegExp(`^${op}: takes \\(input, dim\\), got 3 arguments \\(an object third\\); dtype is not supported`) },
    { name: `x.${op}(1, { dtype })`, fn: () => M(x)[op](1, { dtype: 'float32' }), type: TypeError, message: new RegExp(`^${op}: takes \\(input, dim\\), got 3 arguments`) },
  ]),
  ...(['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'sin', 'cos', 'square', 'reciprocal'] as const).flatMap((op) => [
    { name: `${op}(x, { out })`, fn: () => T[op](x, { out: y }), type: TypeError, message: new RegExp(`^${op}: takes only the input, got 2 arguments \\(an object second\\); ${op} has no options`), state: values(y) },
    { name: `x.${op}(1)`, fn: () => M(x)[op](1), type: TypeError, message: new RegExp(`^${op}: takes only the input, got 2 arguments \\(number 1 second\\)`) },
  ]),
  { name: "div(x, y, { roundingMode: 'floor' })", fn: () => (torch.div as (...a: unknown[]) => unknown)(x, y, { roundingMode: 'floor' }), type: TypeError, message: /^div: takes two operands, got 3 arguments \(an object third\); rounding modes \(PyTorch's rounding_mode\) are not supported: div is true division/ },
  { name: "x.div(2, { rounding_mode: 'trunc' })", fn: () => M(x).div(2, { rounding_mode: 'trunc' }), type: TypeError, message: /^div: takes two operands, got 3 arguments .*rounding_mode/ },
]);

// ---- torch.init (async: the same checks through assert.rejects) ----------------------------------
interface AsyncCase { name: string; options: unknown; type: ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor; message: RegExp; lead?: string }
const initCases: AsyncCase[] = [
  { name: 'init({ max_memory_mb })', options: { max_memory_mb: 64 }, type: TypeError, message: /^init: unknown option 'max_memory_mb'; expected one of module, bytes, url, relaxedSimd, maxMemoryMB/ },
  { name: "init({ relaxedSimd: 'yes' })", options: { relaxedSimd: 'yes' }, type: TypeError, message: /^init: relaxedSimd must be a boolean, got "?yes/ },
  { name: 'init({ maxMemoryMB: NaN })', options: { maxMemoryMB: NaN }, type: RangeError, message: /^init: maxMemoryMB must be a positive number, got NaN/ },
  { name: 'init({ maxMemoryMB: -1 })', options: { maxMemoryMB: -1 }, type: RangeError, message: /^init: maxMemoryMB must be a positive number, got -1/ },
  { name: "init({ maxMemoryMB: '64' })", options: { maxMemoryMB: '64' }, type: TypeError, message: /^init: maxMemoryMB must be a (positive )?number, got string "64"/ },
  { name: 'init({ module: Uint8Array })', options: { module: new Uint8Array(8) }, type: TypeError, message: /^init: module must be a WebAssembly.Module/ },
  { name: 'init({ bytes, url })', options: { bytes: new Uint8Array(8), url: 'x' }, type: TypeError, message: /^init: pass one of module, bytes or url, got bytes and url/ },
  { name: "init('x')", options: 'x', type: TypeError, message: /^init: options must be .*object.*string "x"/ },
  { name: 'init(null)', options: null, type: TypeError, message: /^init: options must be .*object.*null/ },
  { name: 'init(5)', options: 5, type: TypeError, message: /^init: options must be .*object.*number 5/ },
];
describe('init options', () => {
  for (const c of initCases) {
    test(c.name, { skip: c.lead && !RUN_LEAD ? `lead: ${c.lead}` : false }, async () => {
      const before = torch.memory();
      await assert.rejects(torch.init(c.options as never), (e: Error) => {
        assert.equal(e.name, c.type.name, e.message);
        assert.match(e.message, c.message);
        return true;
      });
      assert.deepEqual([torch.memory().liveTensors, torch.memory().bytesInUse], [before.liveTensors, before.bytesInUse]);
    });
  }
});

// ---- dtypes an op does not take ------------------------------------------------------------------
const xb4 = xi.gt(2).flatten();
run('wrong dtypes', [
  { name: 'mean(int32)', fn: () => xi.mean(), type: TypeError, message: /^mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: int32/ },
  { name: 'var(int32)', fn: () => xi.var(), type: TypeError, message: /^var: std and var only support floating point dtypes, got int32 of shape \[2, 3\]/ },
  { name: 'std(bool)', fn: () => xb.std(), type: TypeError, message: /^std: std and var only support floating point dtypes, got bool of shape \[2, 3\]/ },
  { name: 'logsumexp(int32, 0)', fn: () => xi.logsumexp(0), type: TypeError, message: /^logsumexp: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'norm(int32)', fn: () => xi.norm(), type: TypeError, message: /^norm: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'abs(bool)', fn: () => xb.abs(), type: TypeError, message: /^abs: not supported for bool tensors \(shape \[2, 3\]\); expected a float32 tensor/ },
  { name: 'relu(bool)', fn: () => xb.relu(), type: TypeError, message: /^relu: not supported for bool tensors/ },
  { name: 'square(bool)', fn: () => xb.square(), type: TypeError, message: /^square: not supported for bool tensors/ },
  { name: 'leakyRelu(int32)', fn: () => xi.leakyRelu(), type: TypeError, message: /^leakyRelu: not supported for int32 tensors \(shape \[2, 3\]\); expected a float32 tensor/ },
  { name: 'gelu(int32)', fn: () => xi.gelu(), type: TypeError, message: /^gelu: not supported for int32 tensors/ },
  { name: 'scatter(int32, 0, index, float src)', fn: () => xi.scatter(0, idx23, x), type: TypeError, message: /^scatter: src \(float32\) must have the input's dtype \(int32\)/, state: values(xi) },
  { name: 'maskedFill(int32, mask, 3e9)', fn: () => xi.maskedFill(xb, 3e9), type: RangeError, message: /^maskedFill: the number 3000000000 does not fit in int32/ },
  { name: 'F.oneHot(bool)', fn: () => F.oneHot(xb), type: TypeError, message: /^F.oneHot: one_hot is only applicable to index tensors \(int32\), got bool of shape \[2, 3\]/ },
  { name: 'gather(x, 0, bool index)', fn: () => x.gather(0, xb), type: TypeError, message: /^gather: index must be an int32 tensor .*got bool of shape \[2, 3\]/ },
  { name: 'indexSelect(x, 1, bool index)', fn: () => x.indexSelect(1, xb4), type: TypeError, message: /^indexSelect: index must be an int32 tensor .*got bool of shape \[6\]/ },
  { name: 'F.crossEntropy(int32 logits, t)', fn: () => F.crossEntropy(xi, classes), type: TypeError, message: /^crossEntropy: expected a float32 tensor, got int32 of shape \[2, 3\]/ },
  { name: 'F.nllLoss(logits, bool target)', fn: () => F.nllLoss(logits, xb4), type: TypeError, message: /^nllLoss: targets must be int32 class indices, got bool/ },
]);

// ---- a dim given as a string ('0' must not read as 'dimension 0 is out of range') ---------------
const S0 = '0' as never;
run('dims as strings', [
  ...([
    ['transpose', () => x.transpose(S0, 1), 'number'], ['unsqueeze', () => x.unsqueeze(S0), 'number'], ['squeeze', () => x.squeeze(S0), 'number'],
    ['flatten', () => x.flatten(S0), 'number'], ['permute', () => x.permute(1, S0), 'number'], ['narrow', () => x.narrow(S0, 0, 1), 'integer'],
    ['select', () => x.select(S0, 0), 'integer'], ['chunk', () => x.chunk(2, S0), 'integer'], ['split', () => x.split(1, S0), 'integer'],
    ['cat', () => torch.cat([x, y], S0), 'integer'], ['stack', () => torch.stack([x, y], S0), 'integer'], ['indexSelect', () => x.indexSelect(S0, idx05), 'integer'],
    ['gather', () => x.gather(S0, idx23), 'integer'], ['max', () => x.max(S0), 'number'], ['argmax', () => x.argmax(S0), 'number'],
    ['sum', () => x.sum(S0), 'number'], ['softmax', () => x.softmax(S0), 'number'],
  ] as const).map(([op, fn, what]) => ({ name: `${op}(x, '0')`, fn, type: TypeError, message: new RegExp(`^${op}: dim must be (a|an) ${what}.*, got string "0"`) })),
  { name: "flip(x, '0')", fn: () => x.flip(S0), type: TypeError, message: /^flip: every dim must be an integer, got string "0"/ },
  { name: "size(x, '0')", fn: () => x.size(S0), type: TypeError, message: /^size: dim must be a number, got string "0"/ },
]);

// ---- use after dispose: modules, optimizers, datasets -----------------------------------------------
const freed = new nn.Linear(3, 2); freed.dispose();
const halfFreed = new nn.Linear(3, 2); halfFreed.bias!.dispose(); // the weight is alive: a load must not write it
const halfWeight = values(halfFreed.weight);
const rowsGone = torch.randn(4, 3);
const dsGone = new D.TensorDataset(rowsGone, torch.ones(4));
const loaderGone = new D.DataLoader(dsGone, { batchSize: 2 });
rowsGone.dispose();

run('use after dispose', [
  { name: 'disposed Linear.forward(x)', fn: () => freed.forward(x), type: Error, message: disposed('linear') },
  { name: 'disposed Linear.stateDict()', fn: () => freed.stateDict(), type: Error, message: disposed('stateDict (weight)') },
  { name: 'loadStateDict into a module with a disposed bias', fn: () => halfFreed.loadStateDict({ weight: y, bias: b2 }), type: Error, message: disposed("loadStateDict (the module's bias)", '[2]'), state: halfWeight },
  { name: 'torch.save(disposed module.stateDict())', fn: () => torch.save(freed.stateDict()), type: Error, message: disposed('stateDict (weight)') },
  { name: 'TensorDataset.get(0) of a disposed tensor', fn: () => dsGone.get(0), type: Error, message: disposed('TensorDataset.get', '[4, 3]') },
  { name: 'iterating a DataLoader over a disposed tensor', fn: () => [...loaderGone], type: Error, message: disposed('indexSelect', '[4, 3]') },
  { name: 'clipGradNorm_(disposed parameters)', fn: () => nn.utils.clipGradNorm_(freed.parameters(), 1), type: Error, message: disposed('nn.utils.clipGradNorm_') },
  { name: 'parametersToVector(disposed parameters)', fn: () => nn.utils.parametersToVector(freed.parameters()), type: Error, message: disposed('nn.utils.parametersToVector') },
]);
