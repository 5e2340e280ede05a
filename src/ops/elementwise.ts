// Elementwise ops: unary maps and broadcasting binary maps, forward and backward side by side.
// Backward rules return gradients of the broadcast shape; the engine sums them to each
// input's shape (autograd/engine.ts), so no rule un-broadcasts by itself.
import { Tensor, type Operand, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Unary, Binary, type UnaryName, type BinaryName, type Kernels } from '../runtime/kernels.js';
import { ELEMENTS_MIN, elementwise } from '../runtime/parallel.js';
import { writeMeta, scalarSlot, scratchBlocks, scalarInts } from '../runtime/storage.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides, sameShape, fmt } from '../shape.js';
import { dense, copyInto } from './movement.js';
import { checkOptions, describeValue } from '../options.js';
import { noGrad } from '../autograd/grad_mode.js';

export function assertFloat(t: Tensor, op: string): void {
  if (t.dtype !== 'float32') throw new TypeError(`${op}: expected a float32 tensor, got ${t.dtype} of shape ${fmt(t.shape)}`);
}

// ---- dtypes: PyTorch's type promotion for bool < int32 < float32 -------------------------------
// Two tensors give the higher dtype. A JS number acts as a Python scalar: an integer is of the
// integer kind, anything else (fractional, NaN, ±Infinity) of the float kind, and it raises a
// tensor's dtype only to a higher kind (int32 + 1 stays int32, int32 + 0.5 is float32, bool + 1
// is int32). Integer results wrap as PyTorch's int32 does.

export const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** The dtype a number stands for: int32 for integers, float32 otherwise. */
export function numberKind(v: number): DType { return Number.isInteger(v) ? 'int32' : 'float32'; }

/** The result dtype of an elementwise op on a and b (at least one a tensor), as PyTorch's `torch.result_type`. */
export function resultType(a: Operand, b: Operand): DType {
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  if (ta && tb) return RANK[ta.dtype] >= RANK[tb.dtype] ? ta.dtype : tb.dtype;
  const t = (ta ?? tb)!;
  const k = numberKind((ta ? b : a) as number);
  return RANK[k] > RANK[t.dtype] ? k : t.dtype;
}

/** Checks a number operand of an int32 kernel fits int32 (PyTorch refuses the overflow too). */
export function checkIntScalar(v: Operand, op: string): void {
  if (typeof v === 'number' && (v > 2147483647 || v < -2147483648)) {
    throw new RangeError(`${op}: the number ${v} does not fit in int32, the dtype of the integer operand (expected an integer in [-2147483648, 2147483647]); use a float32 tensor`);
  }
}

/** A contiguous float32 copy of an int32 or bool tensor, recording nothing (they never require grad). */
export function toFloat(t: Tensor, op: string): Tensor {
  const c = dense(t, op);
  const out = Tensor.empty(t.shape, 'float32', op);
  K().unary(Unary.intToFloat, c.ptr(op), out.ptr(op), out.numel(), 0, 0);
  if (c !== t) c.dispose();
  return out;
}

/** A contiguous bool copy of any tensor: true where the element is non-zero (NaN included). */
export function toBool(t: Tensor, op: string): Tensor {
  const c = dense(t, op);
  const out = Tensor.empty(t.shape, 'bool', op);
  K().unary(t.dtype === 'float32' ? Unary.nonzeroFloat : Unary.nonzeroInt, c.ptr(op), out.ptr(op), out.numel(), 0, 0);
  if (c !== t) c.dispose();
  return out;
}

/**
 * A contiguous int32 copy of a float32 tensor, truncated toward zero as PyTorch's `.int()`; a NaN,
 * ±Infinity or a value outside int32's range is a RangeError naming it (PyTorch gives undefined values).
 */
export function floatToInt(t: Tensor, op: string): Tensor {
  const c = dense(t, op);
  const out = Tensor.empty(t.shape, 'int32', op);
  const bad = K().castFloatToInt(c.ptr(op), out.ptr(op), out.numel());
  const v = bad >= 0 ? new Float32Array(K().memory.buffer, c.ptr(op) + bad * 4, 1)[0] : 0;
  if (c !== t) c.dispose();
  if (bad >= 0) {
    out.dispose();
    throw new RangeError(`${op}: cannot convert ${v} (element ${bad} of a float32 tensor of shape ${fmt(t.shape)}) to int32: expected a finite value in [-2147483648, 2147483647]`);
  }
  return out;
}

/** t converted to `dtype` (t itself when it already is); float32 → int32 truncates toward zero (floatToInt). */
export function castTo(t: Tensor, dtype: DType, op: string): Tensor {
  if (t.dtype === dtype) return t;
  if (dtype === 'float32') return toFloat(t, op);
  if (dtype === 'bool') return toBool(t, op);
  if (t.dtype === 'bool') { // bool → int32: the same 0/1 words
    const out = Tensor.empty(t.shape, 'int32', op);
    copyInto(t, out, op);
    return out;
  }
  return floatToInt(t, op);
}

/** Runs f on a and b converted to float32 (numbers pass through), disposing the copies. */
export function onFloats(a: Operand, b: Operand, op: string, f: (a: Operand, b: Operand) => Tensor): Tensor {
  const castA = a instanceof Tensor && a.dtype !== 'float32', castB = b instanceof Tensor && b.dtype !== 'float32';
  const ca = castA ? toFloat(a as Tensor, op) : a;
  let cb: Operand = b;
  try {
    if (castB) cb = toFloat(b as Tensor, op);
    return f(ca, cb);
  } finally {
    if (castA) (ca as Tensor).dispose();
    if (castB && cb !== b) (cb as Tensor).dispose();
  }
}


// ---- unary ------------------------------------------------------------------------------------


/** g · op'(x), from the saved input and output. */
function unaryGrad(code: number, x: Tensor, y: Tensor, g: Tensor, p1: number, p2: number): Tensor {
  const gc = dense(g);
  const out = Tensor.empty(x.shape, 'float32', 'backward');
  const n = out.numel(), px = x.ptr('backward'), py = y.ptr('backward'), pg = gc.ptr('backward'), po = out.ptr('backward');
  if (n < ELEMENTS_MIN) K().unaryBackward(code, px, py, pg, po, n, p1, p2);
  else elementwise('unaryBackward', [code, px, py, pg, po, n, p1, p2], 5, [1, 2, 3, 4]);
  if (gc !== g) gc.dispose();
  return out;
}

// What each unary gradient reads (assembly/elementwise.ts unaryBackward): the output, nothing, or
// (the rest) the input.
const READS_OUTPUT: ReadonlySet<UnaryName> = new Set<UnaryName>(['exp', 'sqrt', 'sigmoid', 'tanh', 'rsqrt', 'reciprocal', 'relu']);
const READS_NOTHING: ReadonlySet<UnaryName> = new Set<UnaryName>(['neg', 'sign', 'affine']);

// Ops PyTorch computes in floating point whatever the input: int32 and bool inputs give float32.
const FLOAT_MATH: ReadonlySet<UnaryName> = new Set<UnaryName>(['exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'sigmoid', 'tanh', 'reciprocal']);

/** A contiguous result of an i32-word unary kernel (no graph: int32 and bool never require grad). */
function intUnary(code: number, x: Tensor, dtype: DType, op: string): Tensor {
  const xc = dense(x, op);
  const out = Tensor.empty(x.shape, dtype, op);
  K().unary(code, xc.ptr(op), out.ptr(op), out.numel(), 0, 0);
  if (xc !== x) xc.dispose();
  return out;
}

/** A unary op on an int32 or bool tensor, with PyTorch's result dtype, or a TypeError naming it. */
function unaryNonFloat(name: UnaryName, x: Tensor, p1: number, op: string): Tensor {
  x.ptr(op);
  if (FLOAT_MATH.has(name) || (name === 'powScalar' && !(Number.isInteger(p1) && p1 >= 0))) {
    const xf = toFloat(x, op);
    const out = unary(name, '', xf, p1, 0, op);
    xf.dispose();
    return out;
  }
  if (x.dtype === 'int32') {
    if (name === 'neg') return intUnary(Unary.ineg, x, 'int32', op);
    if (name === 'abs') return intUnary(Unary.iabs, x, 'int32', op);
    if (name === 'sign') return intUnary(Unary.isign, x, 'int32', op);
    if (name === 'relu') return kernelCall(Binary.imaximum, x, 0, op, 'int32', true);
    if (name === 'square') return kernelCall(Binary.imul, x, x, op, 'int32', true);
  }
  if (x.dtype === 'bool') {
    if (name === 'neg') throw new TypeError(`${op}: negation of a bool tensor is not supported (as in PyTorch); use logicalNot() to invert a mask`);
    if (name === 'sign') return intUnary(Unary.nonzeroInt, x, 'bool', op); // sign of a bool is itself, as PyTorch
  }
  throw new TypeError(`${op}: not supported for ${x.dtype} tensors (shape ${fmt(x.shape)}); expected a float32 tensor${x.dtype === 'int32' ? ' (PyTorch computes this op for integers in ways not implemented here)' : ''}`);
}

/** Throws unless x is a live Tensor: a TypeError naming `op` and the value, or the disposed error under `op`'s name. */
export function checkTensorArg(x: unknown, op: string, what = 'input'): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(x)}`);
  x.ptr(op);
}

export function unary(name: UnaryName, gradName: string, x: Tensor, p1 = 0, p2 = 0, op: string = name): Tensor {
  checkTensorArg(x, op);
  if (x.dtype !== 'float32') return unaryNonFloat(name, x, p1, op);
  const xc = dense(x, op); // the kernels read x contiguously, in backward too
  const out = Tensor.empty(x.shape, 'float32', op);
  const n = out.numel();
  if (n < ELEMENTS_MIN) K().unary(Unary[name], xc.ptr(op), out.ptr(op), n, p1, p2);
  else elementwise('unary', [Unary[name], xc.ptr(op), out.ptr(op), n, p1, p2], 3, [1, 2]);
  if (needsGrad(x)) {
    // save the one tensor the rule reads, as PyTorch does (so an in-place change of the other is
    // no error); the kernel gets it in both slots (relu reads x <= 0, which its output answers too)
    const reads = READS_OUTPUT.has(name) ? out : READS_NOTHING.has(name) ? null : xc;
    const s = reads ? save(reads) : null;
    record(gradName, out, [x], (g) => [unaryGrad(Unary[name], s ?? g, s ?? g, g, p1, p2)], s ? [s] : []);
  }
  if (xc !== x) xc.dispose();
  return out;
}

/** `−x`, elementwise. PyTorch: `torch.neg`. */
export function neg(x: Tensor): Tensor { if (arguments.length > 1) noOptions('neg', arguments); return unary('neg', 'NegBackward0', x); }
/** `eˣ`, elementwise. PyTorch: `torch.exp`. */
export function exp(x: Tensor): Tensor { if (arguments.length > 1) noOptions('exp', arguments); return unary('exp', 'ExpBackward0', x); }
/** Natural logarithm, elementwise. PyTorch: `torch.log`. */
export function log(x: Tensor): Tensor { if (arguments.length > 1) noOptions('log', arguments); return unary('log', 'LogBackward0', x); }
/** Square root, elementwise. PyTorch: `torch.sqrt`. */
export function sqrt(x: Tensor): Tensor { if (arguments.length > 1) noOptions('sqrt', arguments); return unary('sqrt', 'SqrtBackward0', x); }
/** `1/√x`, elementwise. PyTorch: `torch.rsqrt`. */
export function rsqrt(x: Tensor): Tensor { if (arguments.length > 1) noOptions('rsqrt', arguments); return unary('rsqrt', 'RsqrtBackward0', x); }
/** Absolute value, elementwise. PyTorch: `torch.abs`. */
export function abs(x: Tensor): Tensor { if (arguments.length > 1) noOptions('abs', arguments); return unary('abs', 'AbsBackward0', x); }
/** −1, 0 or 1 by the sign of each element. PyTorch: `torch.sign`. */
export function sign(x: Tensor): Tensor { if (arguments.length > 1) noOptions('sign', arguments); return unary('sign', 'SignBackward0', x); }
/** Sine, elementwise. PyTorch: `torch.sin`. */
export function sin(x: Tensor): Tensor { if (arguments.length > 1) noOptions('sin', arguments); return unary('sin', 'SinBackward0', x); }
/** Cosine, elementwise. PyTorch: `torch.cos`. */
export function cos(x: Tensor): Tensor { if (arguments.length > 1) noOptions('cos', arguments); return unary('cos', 'CosBackward0', x); }
/** `x²`, elementwise. PyTorch: `torch.square`. */
export function square(x: Tensor): Tensor { if (arguments.length > 1) noOptions('square', arguments); return unary('square', 'PowBackward0', x); }
/** `1/x`, elementwise. PyTorch: `torch.reciprocal`. */
export function reciprocal(x: Tensor): Tensor { if (arguments.length > 1) noOptions('reciprocal', arguments); return unary('reciprocal', 'ReciprocalBackward0', x); }
/** Refuses a second argument of a unary op (PyTorch's out= ported as an options object would be ignored). */
function noOptions(op: string, args: IArguments): never {
  throw new TypeError(`${op}: takes only the input, got ${args.length} arguments (${describeValue(args[1])} second); ${op} has no options (out= is not supported)`);
}
/** Refuses a third argument of a binary op (an options object it would ignore, such as div's PyTorch `rounding_mode`). */
export function twoOperands(op: string, args: IArguments, hint = `${op} takes no options`): void {
  if (args.length > 2) throw new TypeError(`${op}: takes two operands, got ${args.length} arguments (${describeValue(args[2])} third); ${hint}`);
}
/** Refuses arguments beyond `n` (an activation given options it would ignore); `hint` says where they belong. */
function onlyArgs(op: string, args: IArguments, n: number, hint: string): void {
  if (args.length > n) throw new TypeError(`${op}: takes ${n === 1 ? 'only the input' : `at most ${n} arguments`}, got ${args.length}; ${hint}`);
}
/** `max(x, 0)`, elementwise. PyTorch: `torch.relu`, `F.relu`. */
export function relu(x: Tensor): Tensor {
  onlyArgs('relu', arguments, 1, 'in-place activations are not supported');
  return unary('relu', 'ReluBackward0', x);
}
/** `1/(1+e⁻ˣ)`, elementwise. PyTorch: `torch.sigmoid`, `F.sigmoid`. */
export function sigmoid(x: Tensor): Tensor {
  onlyArgs('sigmoid', arguments, 1, 'sigmoid has no options');
  return unary('sigmoid', 'SigmoidBackward0', x);
}
/** Hyperbolic tangent, elementwise. PyTorch: `torch.tanh`, `F.tanh`. */
export function tanh(x: Tensor): Tensor {
  onlyArgs('tanh', arguments, 1, 'tanh has no options');
  return unary('tanh', 'TanhBackward0', x);
}
/** GELU, `x·Φ(x)` with the erf form of Φ (the tanh approximation is `F.gelu(x, { approximate: 'tanh' })`). PyTorch: `F.gelu`. */
export function gelu(x: Tensor): Tensor {
  onlyArgs('gelu', arguments, 1, "for approximate: 'tanh' use F.gelu(x, { approximate: 'tanh' })");
  return unary('gelu', 'GeluBackward0', x);
}
/** `x` where positive, else `negativeSlope·x` (default 0.01). PyTorch: `F.leaky_relu`. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  onlyArgs('leakyRelu', arguments, 2, 'in-place activations are not supported');
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new TypeError(`leakyRelu: negativeSlope must be a finite number, got ${describeValue(negativeSlope)}`);
  }
  return unary('leakyRelu', 'LeakyReluBackward0', x, negativeSlope);
}


// ---- binary -----------------------------------------------------------------------------------

/** The kernel call: out = a op b with broadcasting; a number operand uses the scalar slot. */
export function binaryKernel(code: number, a: Operand, b: Operand, op: string, into?: Tensor): Tensor {
  if (a instanceof Tensor) assertFloat(a, op);
  if (b instanceof Tensor) assertFloat(b, op);
  return kernelCall(code, a, b, op, 'float32', false, into);
}

/** The contiguous binary kernel (strides 1, or 0 for one broadcast value); split over the threads when large. */
function binaryRun(k: Kernels, code: number, a: number, sa: number, b: number, sb: number, out: number, n: number): void {
  if (n < ELEMENTS_MIN) k.binaryRun(code, a, sa, b, sb, out, n);
  else elementwise('binaryRun', [code, a, sa, b, sb, out, n], 6, [1, 3, 5], [sa, sb, 1]);
}

/**
 * Any binary kernel code on operands of any dtype (the code decides how the 32-bit words are
 * read): out of dtype `dtype`; a number operand goes to the scalar slot as an i32 when `intScalar`.
 */
export function kernelCall(code: number, a: Operand, b: Operand, op: string, dtype: DType, intScalar: boolean, into?: Tensor): Tensor {
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  const shape = ta && tb ? broadcastShapes(ta.shape, tb.shape, op) : (ta ?? tb)!.shape;
  if (into && !sameShape(into.shape, shape)) {
    throw new RangeError(`${op}: the result of shape ${fmt(shape)} does not fit the in-place target of shape ${fmt(into.shape)}`);
  }
  const pa0 = ta?.ptr(op), pb0 = tb?.ptr(op); // disposed operands throw before any allocation
  const out = into ?? Tensor.empty(shape, dtype, op);
  const n = out.numel();
  const k = K();
  const po = out.ptr(op);
  if (!ta || !tb) {
    const t = (ta ?? tb)!;
    const v = ta ? (b as number) : (a as number);
    const slot = intScalar ? intSlot(v) : scalarSlot(v);
    if (t.isContiguous()) {
      if (ta) binaryRun(k, code, pa0!, 1, slot, 0, po, n);
      else binaryRun(k, code, slot, 0, pb0!, 1, po, n);
      return out;
    }
    const meta = writeMeta([shape, ta ? t.strides : new Array(shape.length).fill(0), tb ? t.strides : new Array(shape.length).fill(0)]);
    k.binaryStrided(code, ta ? pa0! : slot, tb ? pb0! : slot, po, shape.length, meta);
    return out;
  }
  if (ta.isContiguous() && tb.isContiguous() && (sameShape(ta.shape, tb.shape) || tb.numel() === 1 || ta.numel() === 1)) {
    binaryRun(k, code, pa0!, ta.numel() === 1 && n > 1 ? 0 : 1, pb0!, tb.numel() === 1 && n > 1 ? 0 : 1, po, n);
    return out;
  }
  if (shape.length === 0) { k.binaryRun(code, pa0!, 0, pb0!, 0, po, 1); return out; }
  const meta = writeMeta([shape, broadcastStrides(ta.shape, ta.strides, shape), broadcastStrides(tb.shape, tb.strides, shape)]);
  k.binaryStrided(code, pa0!, pb0!, po, shape.length, meta);
  return out;
}

/** An integer in the scalar slot (i32 kernels read it as a 32-bit word). */
export function intSlot(value: number): number {
  scalarInts()[0] = value;
  return scratchBlocks().scalar;
}

type Rule = (g: Tensor, a: Operand, b: Operand, out: Tensor, needs: readonly boolean[]) => (Tensor | null)[];
/**
 * Which of a, b and the output a rule reads, given whether a and b need gradients: only those are
 * saved (as PyTorch saves), so an in-place change of something the rule never reads is no error
 * and no buffer is held longer than backward needs it.
 */
type Keeps = (needA: boolean, needB: boolean) => readonly [boolean, boolean, boolean];
const KEEP_NONE: Keeps = () => [false, false, false];

function binary(name: BinaryName, gradName: string, a: Operand, b: Operand, rule: Rule, op: string = name, keeps: Keeps = KEEP_NONE): Tensor {
  const out = binaryKernel(Binary[name], a, b, op);
  if (needsGrad(a, b)) {
    const [ka, kb, ko] = keeps(a instanceof Tensor && a.requiresGrad, b instanceof Tensor && b.requiresGrad);
    // an operand the rule does not read is passed as NaN: a rule that read it would show it
    const sa = a instanceof Tensor ? (ka ? save(a) : NaN) : a;
    const sb = b instanceof Tensor ? (kb ? save(b) : NaN) : b;
    const so = ko ? save(out) : out;
    const inputs = [a, b].filter((t): t is Tensor => t instanceof Tensor);
    const saved = [ka ? sa : null, kb ? sb : null, ko ? so : null].filter((t): t is Tensor => t instanceof Tensor);
    record(gradName, out, inputs, (g, needs) => {
      // rules see needs for [a, b]; number operands never need a gradient
      const full = a instanceof Tensor ? (b instanceof Tensor ? needs : [needs[0], false]) : [false, needs[0]];
      const grads = rule(g, sa, sb, so, full);
      return a instanceof Tensor ? (b instanceof Tensor ? grads : [grads[0]]) : [grads[1]];
    }, saved);
  }
  return out;
}

/** a + alpha·b or a − alpha·b: the scaled b is a temporary the result's graph does not need. */
function withAlpha(f: (a: Operand, b: Operand) => Tensor, a: Operand, b: Operand, alpha: number): Tensor {
  if (typeof b === 'number') return f(a, b * alpha);
  const scaled = mul(b, alpha);
  const out = f(a, scaled);
  scaled.dispose();
  return out;
}

function checkAlpha(options: { alpha?: number } | undefined, op: string): number {
  const alpha = checkOptions(op, options, ['alpha']).alpha; // an unknown key (`{ aplha }`) is an error
  if (alpha === undefined) return 1;
  if (typeof alpha !== 'number') throw new TypeError(`${op}: alpha must be a number, got ${typeof alpha}`);
  return alpha;
}

/** add/sub/mul when the result is int32 or bool (two bool tensors): exact integer kernels, no graph. */
function intArith(name: 'add' | 'sub' | 'mul', a: Operand, b: Operand, alpha: number, dtype: DType): Tensor {
  if (dtype === 'bool') {
    // bool with bool: + is or, * is and, − is refused, as PyTorch
    if (name === 'mul') return kernelCall(Binary.logicalAnd, a, b, name, 'bool', true);
    if (alpha === 0) { // a + 0·b: a broadcast against b
      const zero = kernelCall(Binary.logicalAnd, b, 0, name, 'bool', true);
      const out = kernelCall(Binary.logicalOr, a, zero, name, 'bool', true);
      zero.dispose();
      return out;
    }
    return kernelCall(Binary.logicalOr, a, b, name, 'bool', true);
  }
  if (!Number.isInteger(alpha)) throw new TypeError(`${name}: alpha must be an integer for integer (int32/bool) operands, got ${alpha} (as in PyTorch)`);
  checkIntScalar(a, name); checkIntScalar(b, name);
  if (name === 'mul') return kernelCall(Binary.imul, a, b, name, 'int32', true);
  const code = name === 'add' ? Binary.iadd : Binary.isub;
  if (alpha === 1) return kernelCall(code, a, b, name, 'int32', true);
  if (typeof b === 'number') return kernelCall(code, a, Math.imul(b, alpha), name, 'int32', true);
  checkIntScalar(alpha, name);
  const scaled = kernelCall(Binary.imul, b, alpha, name, 'int32', true);
  try {
    return kernelCall(code, a, scaled, name, 'int32', true);
  } finally {
    scaled.dispose();
  }
}

export function checkOperands(a: Operand, b: Operand, op: string): void {
  const ok = (x: Operand): boolean => x instanceof Tensor || typeof x === 'number';
  if (!ok(a) || !ok(b)) throw new TypeError(`${op}: operands must be tensors or numbers, got ${describeValue(a)} and ${describeValue(b)}`);
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new TypeError(`${op}: at least one operand must be a tensor, got two numbers`);
}

/** `a + alpha·b`, broadcasting; either may be a number; int32 stays int32, mixed dtypes promote as PyTorch. PyTorch: `torch.add`. */
export function add(a: Operand, b: Operand, options?: { alpha?: number }): Tensor {
  const alpha = checkAlpha(options, 'add');
  const fa = a instanceof Tensor && a.dtype === 'float32', fb = b instanceof Tensor && b.dtype === 'float32';
  if (!(fa && (fb || typeof b === 'number')) && !(fb && typeof a === 'number')) {
    checkOperands(a, b, 'add');
    const dt = resultType(a, b);
    if (dt !== 'float32') return intArith('add', a, b, alpha, dt);
    return onFloats(a, b, 'add', (x, y) => add(x, y, options));
  }
  if (alpha !== 1) return withAlpha(add, a, b, alpha);
  return binary('add', 'AddBackward0', a, b, (g, _a, _b, _o, n) => [n[0] ? g : null, n[1] ? g : null], 'add');
}

/** `a − alpha·b`, broadcasting; either may be a number; int32 stays int32, mixed dtypes promote as PyTorch. PyTorch: `torch.sub`. */
export function sub(a: Operand, b: Operand, options?: { alpha?: number }): Tensor {
  const alpha = checkAlpha(options, 'sub');
  const fa = a instanceof Tensor && a.dtype === 'float32', fb = b instanceof Tensor && b.dtype === 'float32';
  if (!(fa && (fb || typeof b === 'number')) && !(fb && typeof a === 'number')) {
    checkOperands(a, b, 'sub');
    if ((a instanceof Tensor && a.dtype === 'bool') || (b instanceof Tensor && b.dtype === 'bool')) {
      throw new TypeError('sub: subtraction with a bool tensor is not supported (as in PyTorch); use logicalXor() or logicalNot() for masks');
    }
    const dt = resultType(a, b);
    if (dt !== 'float32') return intArith('sub', a, b, alpha, dt);
    return onFloats(a, b, 'sub', (x, y) => sub(x, y, options));
  }
  if (alpha !== 1) return withAlpha(sub, a, b, alpha);
  return binary('sub', 'SubBackward0', a, b, (g, _a, _b, _o, n) => [n[0] ? g : null, n[1] ? neg(g) : null], 'sub');
}

// d(a·b) = b·da + a·db
/** Elementwise product, broadcasting; either may be a number; int32 stays int32, mixed dtypes promote as PyTorch. PyTorch: `torch.mul`. */
export function mul(a: Operand, b: Operand): Tensor {
  if (arguments.length > 2) twoOperands('mul', arguments);
  const fa = a instanceof Tensor && a.dtype === 'float32', fb = b instanceof Tensor && b.dtype === 'float32';
  if (!(fa && (fb || typeof b === 'number')) && !(fb && typeof a === 'number')) {
    checkOperands(a, b, 'mul');
    const dt = resultType(a, b);
    if (dt !== 'float32') return intArith('mul', a, b, 1, dt);
    return onFloats(a, b, 'mul', mul);
  }
  // a's gradient reads b and b's reads a: each is kept only when the other needs its gradient
  return binary('mul', 'MulBackward0', a, b, (g, sa, sb, _o, n) => [n[0] ? mul(g, sb) : null, n[1] ? mul(g, sa) : null], 'mul',
    (na, nb) => [nb, na, false]);
}

// d(a/b) = da/b − (a/b)·db/b
/** Elementwise true quotient, broadcasting; either may be a number; int32 and bool operands give float32, as PyTorch. PyTorch: `torch.div`. */
export function div(a: Operand, b: Operand): Tensor {
  if (arguments.length > 2) twoOperands('div', arguments, "rounding modes (PyTorch's rounding_mode) are not supported: div is true division");
  const fa = a instanceof Tensor && a.dtype === 'float32', fb = b instanceof Tensor && b.dtype === 'float32';
  if (!(fa && (fb || typeof b === 'number')) && !(fb && typeof a === 'number')) {
    checkOperands(a, b, 'div');
    return onFloats(a, b, 'div', div);
  }
  // as PyTorch: b always, a when b needs its gradient (−g·a/b²), never the output
  return binary('div', 'DivBackward0', a, b, (g, sa, sb, _so, n) => [
    n[0] ? div(g, sb) : null,
    n[1] ? neg(div(mul(g, sa), mul(sb, sb))) : null,
  ], 'div', (_na, nb) => [nb, true, false]);
}

/** Integer powers of int32/bool operands, exact and wrapping as PyTorch's int32 (bool ** bool is bool). */
function intPow(a: Operand, b: Operand, dt: DType): Tensor {
  if (dt === 'bool') throw new TypeError('pow: not supported for two bool tensors (as in PyTorch); use a float32 or int32 operand');
  if (typeof b === 'number' && b < 0) {
    throw new RangeError(`pow: integers to negative integer powers are not allowed (exponent ${b}), as in PyTorch; use a float32 base`);
  }
  checkIntScalar(a, 'pow'); checkIntScalar(b, 'pow');
  return kernelCall(Binary.ipow, a, b, 'pow', dt, true);
}

// d(a^b) = b·a^(b−1)·da + a^b·ln(a)·db
/** Elementwise power, broadcasting; either may be a number. PyTorch: `torch.pow`. */
export function pow(a: Operand, b: Operand): Tensor {
  if (arguments.length > 2) twoOperands('pow', arguments);
  checkOperands(a, b, 'pow'); // a string exponent would otherwise read as a number
  if (a instanceof Tensor && typeof b === 'number') {
    if (a.dtype !== 'float32' && Number.isInteger(b)) { a.ptr('pow'); return intPow(a, b, a.dtype === 'bool' ? 'int32' : a.dtype); }
    if (b === 2) return unary('square', 'PowBackward0', a, 0, 0, 'pow');
    return unary('powScalar', 'PowBackward0', a, b, 0, 'pow');
  }
  if ((a instanceof Tensor && a.dtype !== 'float32') || (b instanceof Tensor && b.dtype !== 'float32')) {
    checkOperands(a, b, 'pow');
    const dt = resultType(a, b);
    if (dt !== 'float32') return intPow(a, b, dt);
    return onFloats(a, b, 'pow', pow);
  }
  return binary('pow', 'PowBackward1', a, b, (g, sa, sb, so, n) => {
    // PyTorch masks the 0·∞ of both gradients: the base's where the exponent is 0, the exponent's
    // where the base is 0 and the exponent ≥ 0. Shifting an operand by a 0/1 mask does it without a
    // select (compare.ts imports this file): a^(b−1+[b=0]) is 1 there, log(a+[a=0 ∧ b≥0]) is 0.
    const mask = (code: number, x: Operand, y: Operand) => toFloat(kernelCall(code, x, y, 'backward', 'bool', false), 'backward');
    const atZeroBase = () => mul(mask(Binary.eq, sa, 0), mask(Binary.ge, sb, 0));
    return [
      n[0] ? mul(g, mul(sb, pow(sa, add(sub(sb, 1), mask(Binary.eq, sb, 0))))) : null,
      n[1] ? mul(g, mul(so, typeof sa === 'number' ? (sa === 0 ? log(mask(Binary.ge, sb, 0)) : Math.log(sa)) : log(add(sa, atZeroBase())))) : null,
    ];
  }, 'pow', () => [true, true, true]);
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** `this + alpha·other`, broadcasting. PyTorch: `torch.Tensor.add`. */
    add(other: Operand, options?: { alpha?: number }): Tensor;
    /** `this − alpha·other`, broadcasting. PyTorch: `torch.Tensor.sub`. */
    sub(other: Operand, options?: { alpha?: number }): Tensor;
    /** Elementwise product, broadcasting. PyTorch: `torch.Tensor.mul`. */
    mul(other: Operand): Tensor;
    /** Elementwise quotient, broadcasting. PyTorch: `torch.Tensor.div`. */
    div(other: Operand): Tensor;
    /** Elementwise power, broadcasting. PyTorch: `torch.Tensor.pow`. */
    pow(exponent: Operand): Tensor;
    /** `−x`. PyTorch: `torch.Tensor.neg`. */
    neg(): Tensor;
    /** `eˣ`. PyTorch: `torch.Tensor.exp`. */
    exp(): Tensor;
    /** Natural logarithm. PyTorch: `torch.Tensor.log`. */
    log(): Tensor;
    /** Square root. PyTorch: `torch.Tensor.sqrt`. */
    sqrt(): Tensor;
    /** `1/√x`. PyTorch: `torch.Tensor.rsqrt`. */
    rsqrt(): Tensor;
    /** Absolute value. PyTorch: `torch.Tensor.abs`. */
    abs(): Tensor;
    /** −1, 0 or 1 by the sign of each element. PyTorch: `torch.Tensor.sign`. */
    sign(): Tensor;
    /** Sine. PyTorch: `torch.Tensor.sin`. */
    sin(): Tensor;
    /** Cosine. PyTorch: `torch.Tensor.cos`. */
    cos(): Tensor;
    /** `x²`. PyTorch: `torch.Tensor.square`. */
    square(): Tensor;
    /** `1/x`. PyTorch: `torch.Tensor.reciprocal`. */
    reciprocal(): Tensor;
    /** `max(x, 0)`. PyTorch: `torch.Tensor.relu`. */
    relu(): Tensor;
    /** `x` where positive, else `negativeSlope·x` (default 0.01). PyTorch: `F.leaky_relu`. */
    leakyRelu(negativeSlope?: number): Tensor;
    /** `1/(1+e⁻ˣ)`. PyTorch: `torch.Tensor.sigmoid`. */
    sigmoid(): Tensor;
    /** Hyperbolic tangent. PyTorch: `torch.Tensor.tanh`. */
    tanh(): Tensor;
    /** GELU, `x·Φ(x)` (the erf form). PyTorch: `F.gelu`. */
    gelu(): Tensor;
  }
}
