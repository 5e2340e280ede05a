// Elementwise ops: unary maps and broadcasting binary maps, forward and backward side by side.
// Backward rules return gradients of the broadcast shape; the engine sums them to each
// input's shape (autograd/engine.ts), so no rule un-broadcasts by itself.
import { Tensor, type Operand } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Unary, Binary, type UnaryName, type BinaryName } from '../runtime/kernels.js';
import { writeMeta, scalarSlot } from '../runtime/storage.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides, sameShape, fmt } from '../shape.js';
import { dense } from './movement.js';

export function assertFloat(t: Tensor, op: string): void {
  if (t.dtype !== 'float32') throw new TypeError(`${op}: expected a float32 tensor, got ${t.dtype} of shape ${fmt(t.shape)}`);
}


// ---- unary ------------------------------------------------------------------------------------


/** g · op'(x), from the saved input and output. */
function unaryGrad(code: number, x: Tensor, y: Tensor, g: Tensor, p1: number, p2: number): Tensor {
  const gc = dense(g);
  const out = Tensor.empty(x.shape, 'float32', 'backward');
  K().unaryBackward(code, x.ptr('backward'), y.ptr('backward'), gc.ptr('backward'), out.ptr('backward'), out.numel(), p1, p2);
  if (gc !== g) gc.dispose();
  return out;
}

function unary(name: UnaryName, gradName: string, x: Tensor, p1 = 0, p2 = 0, op: string = name): Tensor {
  assertFloat(x, op);
  const xc = dense(x); // the kernels read x contiguously, in backward too
  const out = Tensor.empty(x.shape, 'float32', op);
  K().unary(Unary[name], xc.ptr(op), out.ptr(op), out.numel(), p1, p2);
  if (needsGrad(x)) {
    const sx = save(xc), sy = save(out);
    record(gradName, out, [x], (g) => [unaryGrad(Unary[name], sx, sy, g, p1, p2)], [sx, sy]);
  }
  if (xc !== x) xc.dispose();
  return out;
}

/** `−x`, elementwise. PyTorch: `torch.neg`. */
export const neg = (x: Tensor): Tensor => unary('neg', 'NegBackward0', x);
/** `eˣ`, elementwise. PyTorch: `torch.exp`. */
export const exp = (x: Tensor): Tensor => unary('exp', 'ExpBackward0', x);
/** Natural logarithm, elementwise. PyTorch: `torch.log`. */
export const log = (x: Tensor): Tensor => unary('log', 'LogBackward0', x);
/** Square root, elementwise. PyTorch: `torch.sqrt`. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', 'SqrtBackward0', x);
/** `1/√x`, elementwise. PyTorch: `torch.rsqrt`. */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', 'RsqrtBackward0', x);
/** Absolute value, elementwise. PyTorch: `torch.abs`. */
export const abs = (x: Tensor): Tensor => unary('abs', 'AbsBackward0', x);
/** −1, 0 or 1 by the sign of each element. PyTorch: `torch.sign`. */
export const sign = (x: Tensor): Tensor => unary('sign', 'SignBackward0', x);
/** Sine, elementwise. PyTorch: `torch.sin`. */
export const sin = (x: Tensor): Tensor => unary('sin', 'SinBackward0', x);
/** Cosine, elementwise. PyTorch: `torch.cos`. */
export const cos = (x: Tensor): Tensor => unary('cos', 'CosBackward0', x);
/** `x²`, elementwise. PyTorch: `torch.square`. */
export const square = (x: Tensor): Tensor => unary('square', 'PowBackward0', x);
/** `1/x`, elementwise. PyTorch: `torch.reciprocal`. */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', 'ReciprocalBackward0', x);
/** `max(x, 0)`, elementwise. PyTorch: `torch.relu`, `F.relu`. */
export const relu = (x: Tensor): Tensor => unary('relu', 'ReluBackward0', x);
/** `1/(1+e⁻ˣ)`, elementwise. PyTorch: `torch.sigmoid`, `F.sigmoid`. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', 'SigmoidBackward0', x);
/** Hyperbolic tangent, elementwise. PyTorch: `torch.tanh`, `F.tanh`. */
export const tanh = (x: Tensor): Tensor => unary('tanh', 'TanhBackward0', x);
/** GELU, `x·Φ(x)` with the erf form of Φ. PyTorch: `F.gelu`. */
export const gelu = (x: Tensor): Tensor => unary('gelu', 'GeluBackward0', x);
/** `x` where positive, else `negativeSlope·x` (default 0.01). PyTorch: `F.leaky_relu`. */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor =>
  unary('leakyRelu', 'LeakyReluBackward0', x, negativeSlope);

/** Limits each element to `[min, max]` (either may be null or left out). PyTorch: `torch.clamp`. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? -Infinity, hi = max ?? Infinity;
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new TypeError('clamp: at least one of min and max must be given');
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new RangeError(`clamp: min and max must be numbers, got ${min} and ${max}`);
  return unary('clamp', 'ClampBackward1', x, lo, hi);
}

// ---- binary -----------------------------------------------------------------------------------

/** The kernel call: out = a op b with broadcasting; a number operand uses the scalar slot. */
export function binaryKernel(code: number, a: Operand, b: Operand, op: string, into?: Tensor): Tensor {
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  if (ta) assertFloat(ta, op);
  if (tb) assertFloat(tb, op);
  const shape = ta && tb ? broadcastShapes(ta.shape, tb.shape, op) : (ta ?? tb)!.shape;
  if (into && !sameShape(into.shape, shape)) {
    throw new RangeError(`${op}: the result of shape ${fmt(shape)} does not fit the in-place target of shape ${fmt(into.shape)}`);
  }
  const pa0 = ta?.ptr(op), pb0 = tb?.ptr(op); // disposed operands throw before any allocation
  const out = into ?? Tensor.empty(shape, 'float32', op);
  const n = out.numel();
  const k = K();
  const po = out.ptr(op);
  if (!ta || !tb) {
    const t = (ta ?? tb)!;
    const slot = scalarSlot(ta ? (b as number) : (a as number));
    if (t.isContiguous()) {
      if (ta) k.binaryRun(code, pa0!, 1, slot, 0, po, n);
      else k.binaryRun(code, slot, 0, pb0!, 1, po, n);
      return out;
    }
    const meta = writeMeta([shape, ta ? t.strides : new Array(shape.length).fill(0), tb ? t.strides : new Array(shape.length).fill(0)]);
    k.binaryStrided(code, ta ? pa0! : slot, tb ? pb0! : slot, po, shape.length, meta);
    return out;
  }
  if (ta.isContiguous() && tb.isContiguous() && (sameShape(ta.shape, tb.shape) || tb.numel() === 1 || ta.numel() === 1)) {
    k.binaryRun(code, pa0!, ta.numel() === 1 && n > 1 ? 0 : 1, pb0!, tb.numel() === 1 && n > 1 ? 0 : 1, po, n);
    return out;
  }
  if (shape.length === 0) { k.binaryRun(code, pa0!, 0, pb0!, 0, po, 1); return out; }
  const meta = writeMeta([shape, broadcastStrides(ta.shape, ta.strides, shape), broadcastStrides(tb.shape, tb.strides, shape)]);
  k.binaryStrided(code, pa0!, pb0!, po, shape.length, meta);
  return out;
}

type Rule = (g: Tensor, a: Operand, b: Operand, out: Tensor, needs: readonly boolean[]) => (Tensor | null)[];

/** `keeps` says whether the rule reads the operands and the output (add and sub do not). */
function binary(name: BinaryName, gradName: string, a: Operand, b: Operand, rule: Rule, op: string = name, keeps = true): Tensor {
  const out = binaryKernel(Binary[name], a, b, op);
  if (needsGrad(a, b)) {
    const sa = a instanceof Tensor && keeps ? save(a) : a;
    const sb = b instanceof Tensor && keeps ? save(b) : b;
    const so = keeps ? save(out) : out;
    const inputs = [a, b].filter((t): t is Tensor => t instanceof Tensor);
    const saved = keeps ? [sa, sb, so].filter((t): t is Tensor => t instanceof Tensor) : [];
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

/** `a + alpha·b`, broadcasting; either may be a number. PyTorch: `torch.add`. */
export function add(a: Operand, b: Operand, options?: { alpha?: number }): Tensor {
  const alpha = options?.alpha ?? 1;
  if (alpha !== 1) return withAlpha(add, a, b, alpha);
  return binary('add', 'AddBackward0', a, b, (g, _a, _b, _o, n) => [n[0] ? g : null, n[1] ? g : null], 'add', false);
}

/** `a − alpha·b`, broadcasting; either may be a number. PyTorch: `torch.sub`. */
export function sub(a: Operand, b: Operand, options?: { alpha?: number }): Tensor {
  const alpha = options?.alpha ?? 1;
  if (alpha !== 1) return withAlpha(sub, a, b, alpha);
  return binary('sub', 'SubBackward0', a, b, (g, _a, _b, _o, n) => [n[0] ? g : null, n[1] ? neg(g) : null], 'sub', false);
}

// d(a·b) = b·da + a·db
/** Elementwise product, broadcasting; either may be a number. PyTorch: `torch.mul`. */
export function mul(a: Operand, b: Operand): Tensor {
  return binary('mul', 'MulBackward0', a, b, (g, sa, sb, _o, n) => [n[0] ? mul(g, sb) : null, n[1] ? mul(g, sa) : null]);
}

// d(a/b) = da/b − (a/b)·db/b
/** Elementwise quotient, broadcasting; either may be a number. PyTorch: `torch.div`. */
export function div(a: Operand, b: Operand): Tensor {
  return binary('div', 'DivBackward0', a, b, (g, _sa, sb, so, n) => [
    n[0] ? div(g, sb) : null,
    n[1] ? neg(div(mul(g, so), sb)) : null,
  ]);
}

// d(a^b) = b·a^(b−1)·da + a^b·ln(a)·db
/** Elementwise power, broadcasting; either may be a number. PyTorch: `torch.pow`. */
export function pow(a: Operand, b: Operand): Tensor {
  if (a instanceof Tensor && typeof b === 'number') {
    if (b === 2) return unary('square', 'PowBackward0', a, 0, 0, 'pow');
    return unary('powScalar', 'PowBackward0', a, b, 0, 'pow');
  }
  return binary('pow', 'PowBackward1', a, b, (g, sa, sb, so, n) => [
    n[0] ? mul(g, mul(sb, pow(sa, sub(sb, 1)))) : null,
    n[1] ? mul(g, typeof sa === 'number' ? mul(so, Math.log(sa)) : mul(so, log(sa))) : null,
  ]);
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
    /** Limits each element to `[min, max]` (either may be null). PyTorch: `torch.Tensor.clamp`. */
    clamp(min?: number | null, max?: number | null): Tensor;
  }
}
