// The compare family: comparisons (eq ne gt ge lt le → bool), where, maximum/minimum, logical
// ops, any/all, isnan/isfinite and maskedFill, forward and backward side by side. bool tensors
// hold 0/1 in 4-byte words, so the select kernel (assembly/compare.ts) serves every dtype.
// Type promotion follows PyTorch through elementwise.ts's resultType.
import { Tensor, type Operand, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Binary, Unary } from '../runtime/kernels.js';
import { writeMeta, scratchBlocks, f32View, i32View } from '../runtime/storage.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides, normDim, aroundDim, fmt } from '../shape.js';
import { dense, reshape } from './movement.js';
import { describeValue } from '../options.js';
import {
  kernelCall, resultType, checkOperands, checkIntScalar, onFloats, toFloat, toBool, castTo, mul, numberKind,
  twoOperands,
} from './elementwise.js';

const INT_MIN = -2147483648, INT_MAX = 2147483647;

function describe(x: unknown): string {
  return x instanceof Tensor ? `a ${x.dtype} tensor of shape ${fmt(x.shape)}` : typeof x === 'number' ? `the number ${x}` : typeof x;
}

function checkTensor(t: unknown, op: string, what: string): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a tensor, got ${describe(t)}`);
  t.ptr(op);
}

function checkBoolMask(m: unknown, op: string, what: string): asserts m is Tensor {
  checkTensor(m, op, what);
  if (m.dtype !== 'bool') throw new TypeError(`${op}: expected ${what} to be a bool tensor, got ${describe(m)} (compare first, e.g. x.gt(0))`);
}

// ---- the select kernel: out = c ? a : b, three operands broadcast ------------------------------

/** A number as the 32-bit word a tensor of `dtype` would hold, in scalar slot `slot` (1 or 2). */
function wordSlot(v: number, dtype: DType, slot: number): number {
  const p = scratchBlocks().scalar + 4 * slot;
  if (dtype === 'float32') f32View(p, 1)[0] = v;
  else i32View(p, 1)[0] = dtype === 'bool' ? Number(v !== 0) : v;
  return p;
}

/**
 * out[i] = cond[i] ? a[i] : b[i] with broadcasting over all three; a and b already of `dtype`
 * (tensors) or numbers; records nothing.
 */
function selectRaw(cond: Tensor, a: Operand, b: Operand, dtype: DType, op: string): Tensor {
  const ta = a instanceof Tensor ? a : null, tb = b instanceof Tensor ? b : null;
  let shape = cond.shape;
  if (ta) shape = broadcastShapes(shape, ta.shape, op);
  if (tb) shape = broadcastShapes(shape, tb.shape, op);
  const pc = cond.ptr(op), pa0 = ta?.ptr(op), pb0 = tb?.ptr(op);
  const out = Tensor.empty(shape, dtype, op);
  if (out.numel() === 0) return out;
  const pa = ta ? pa0! : wordSlot(a as number, dtype, 1);
  const pb = tb ? pb0! : wordSlot(b as number, dtype, 2);
  const kshape = shape.length === 0 ? [1] : shape;
  const strides = (t: Tensor | null): number[] => (t && shape.length > 0 ? broadcastStrides(t.shape, t.strides, shape) : kshape.map(() => 0));
  const meta = writeMeta([kshape, strides(cond), strides(ta), strides(tb)]);
  K().selectWhere(pc, pa, pb, out.ptr(op), kshape.length, meta);
  return out;
}

// ---- comparisons --------------------------------------------------------------------------------

type CompareName = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const INT_CODE: Record<CompareName, number> = {
  eq: Binary.ieq, ne: Binary.ine, gt: Binary.igt, ge: Binary.ige, lt: Binary.ilt, le: Binary.ile,
};

/** The answer of `x op v` for every int32 x when the integer v lies outside int32's range. */
function outOfRange(name: CompareName, v: number, numberFirst: boolean): boolean {
  // x op v with v above every x: lt, le, ne hold; below every x: gt, ge, ne hold
  const above = numberFirst ? v < INT_MIN : v > INT_MAX; // "the tensor side is smaller"
  switch (name) {
    case 'eq': return false;
    case 'ne': return true;
    case 'lt': case 'le': return above;
    default: return !above;
  }
}

function compare(name: CompareName, a: Operand, b: Operand): Tensor {
  checkOperands(a, b, name);
  const dt = resultType(a, b);
  if (dt === 'float32') return onFloats(a, b, name, (x, y) => kernelCall(Binary[name], x, y, name, 'bool', false));
  // int32 and bool compare as exact integers
  const num = typeof a === 'number' ? a : typeof b === 'number' ? b : null;
  if (num !== null && (num > INT_MAX || num < INT_MIN)) {
    const t = (a instanceof Tensor ? a : b) as Tensor;
    t.ptr(name);
    const out = Tensor.empty(t.shape, 'bool', name);
    i32View(out.ptr(name), out.numel()).fill(Number(outOfRange(name, num, typeof a === 'number')));
    return out;
  }
  return kernelCall(INT_CODE[name], a, b, name, 'bool', true);
}

/** `a == b` elementwise, broadcasting, as a bool tensor; either may be a number. PyTorch: `torch.eq`. */
export function eq(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('eq', arguments); return compare('eq', a, b); }
/** `a != b` elementwise, broadcasting, as a bool tensor (NaN is unequal to everything). PyTorch: `torch.ne`. */
export function ne(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('ne', arguments); return compare('ne', a, b); }
/** `a > b` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.gt`. */
export function gt(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('gt', arguments); return compare('gt', a, b); }
/** `a >= b` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.ge`. */
export function ge(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('ge', arguments); return compare('ge', a, b); }
/** `a < b` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.lt`. */
export function lt(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('lt', arguments); return compare('lt', a, b); }
/** `a <= b` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.le`. */
export function le(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('le', arguments); return compare('le', a, b); }

// ---- maximum / minimum ----------------------------------------------------------------------------

// PyTorch's gradient: where a == b each side gets half; where a < b (maximum) a gets nothing.
// NaN compares neither equal nor ordered, so both sides get the whole gradient there, as PyTorch.
function maxMinGrad(g: Tensor, x: Operand, y: Operand, isMax: boolean, first: boolean): Tensor {
  const eqm = kernelCall(Binary.eq, x, y, 'backward', 'bool', false);
  const half = mul(g, 0.5);
  const base = selectRaw(eqm, half, g, 'float32', 'backward');
  eqm.dispose(); half.dispose();
  // the side that loses: for maximum, a loses where a < b, b where a > b
  const loses = kernelCall(isMax === first ? Binary.lt : Binary.gt, x, y, 'backward', 'bool', false);
  const out = selectRaw(loses, 0, base, 'float32', 'backward');
  loses.dispose(); base.dispose();
  return out;
}

function maxMin(isMax: boolean, a: Operand, b: Operand): Tensor {
  const op = isMax ? 'maximum' : 'minimum';
  checkOperands(a, b, op);
  const dt = resultType(a, b);
  if (dt !== 'float32') {
    checkIntScalar(a, op); checkIntScalar(b, op);
    return kernelCall(isMax ? Binary.imaximum : Binary.iminimum, a, b, op, dt, true);
  }
  return onFloats(a, b, op, (x, y) => {
    const out = kernelCall(isMax ? Binary.maximum : Binary.minimum, x, y, op, 'float32', false);
    if (needsGrad(x, y)) {
      const sx = x instanceof Tensor ? save(x) : x, sy = y instanceof Tensor ? save(y) : y;
      const inputs = [x, y].filter((t): t is Tensor => t instanceof Tensor);
      const saved = [sx, sy].filter((t): t is Tensor => t instanceof Tensor);
      record(isMax ? 'MaximumBackward0' : 'MinimumBackward0', out, inputs, (g, needs) => {
        const full = x instanceof Tensor ? (y instanceof Tensor ? needs : [needs[0], false]) : [false, needs[0]];
        const ga = full[0] ? maxMinGrad(g, sx, sy, isMax, true) : null;
        const gb = full[1] ? maxMinGrad(g, sx, sy, isMax, false) : null;
        return x instanceof Tensor ? (y instanceof Tensor ? [ga, gb] : [ga]) : [gb];
      }, saved);
    }
    return out;
  });
}

/** The larger of a and b elementwise, broadcasting; NaN propagates; ties split the gradient evenly. PyTorch: `torch.maximum`. */
export function maximum(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('maximum', arguments); return maxMin(true, a, b); }
/** The smaller of a and b elementwise, broadcasting; NaN propagates; ties split the gradient evenly. PyTorch: `torch.minimum`. */
export function minimum(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('minimum', arguments); return maxMin(false, a, b); }

// ---- where / maskedFill ---------------------------------------------------------------------------

/** `a` where `condition` (a bool tensor) holds, else `b`; all three broadcast; a and b may be numbers. PyTorch: `torch.where`. */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  const op = 'where';
  checkBoolMask(condition, op, 'condition');
  for (const [x, what] of [[a, 'input'], [b, 'other']] as const) {
    if (!(x instanceof Tensor) && typeof x !== 'number') throw new TypeError(`${op}: ${what} must be a tensor or a number, got ${describe(x)}`);
    if (x instanceof Tensor) x.ptr(op);
  }
  const dt: DType = a instanceof Tensor || b instanceof Tensor
    ? resultType(a, b)
    : (numberKind(a as number) === 'float32' || numberKind(b as number) === 'float32' ? 'float32' : 'int32');
  if (dt !== 'float32') { checkIntScalar(a, op); checkIntScalar(b, op); }
  // every check is done: now allocate
  let shape = condition.shape;
  for (const x of [a, b]) if (x instanceof Tensor) shape = broadcastShapes(shape, x.shape, op);
  // int32 and bool words are alike (0/1): only a float32 result needs converted operands
  const ca = a instanceof Tensor && dt === 'float32' ? castTo(a, dt, op) : a;
  const cb = b instanceof Tensor && dt === 'float32' ? castTo(b, dt, op) : b;
  const out = selectRaw(condition, ca, cb, dt, op);
  if (needsGrad(ca, cb)) {
    const sc = save(condition);
    const inputs = [ca, cb].filter((t): t is Tensor => t instanceof Tensor);
    record('WhereBackward0', out, inputs, (g, needs) => {
      const grads: (Tensor | null)[] = [];
      if (ca instanceof Tensor) grads.push(needs[grads.length] ? selectRaw(sc, g, 0, 'float32', 'backward') : null);
      if (cb instanceof Tensor) grads.push(needs[grads.length] ? selectRaw(sc, 0, g, 'float32', 'backward') : null);
      return grads;
    }, [sc]);
  }
  if (ca instanceof Tensor && ca !== a) ca.dispose();
  if (cb instanceof Tensor && cb !== b) cb.dispose();
  return out;
}

/** `x` with `value` written where `mask` (a bool tensor, broadcast with x) holds; value is a number or a 0-dim tensor. PyTorch: `torch.Tensor.masked_fill`. */
export function maskedFill(x: Tensor, mask: Tensor, value: Operand): Tensor {
  const op = 'maskedFill';
  checkTensor(x, op, 'input');
  checkBoolMask(mask, op, 'mask');
  if (value instanceof Tensor) {
    value.ptr(op);
    if (value.ndim !== 0) throw new TypeError(`${op}: value must be a number or a 0-dim tensor, got ${describe(value)}`);
  } else if (typeof value !== 'number') {
    throw new TypeError(`${op}: value must be a number or a 0-dim tensor, got ${describe(value)}`);
  }
  broadcastShapes(x.shape, mask.shape, op);
  // the value takes x's dtype (an int32 x truncates 2.5 to 2, a bool x takes value != 0)
  let v: Operand = value;
  if (x.dtype !== 'float32') {
    const n = value instanceof Tensor ? value.item() : value;
    if (x.dtype === 'int32') {
      if (!Number.isFinite(n)) throw new RangeError(`${op}: cannot fill an int32 tensor with ${n}`);
      v = Math.trunc(n);
      checkIntScalar(v, op);
    } else v = n;
  }
  const cv = v instanceof Tensor && v.dtype !== 'float32' ? toFloat(v, op) : v;
  const out = selectRaw(mask, cv, x, x.dtype, op);
  if (needsGrad(x, cv)) {
    const sm = save(mask);
    const inputs = cv instanceof Tensor ? [x, cv] : [x];
    record(cv instanceof Tensor ? 'MaskedFillBackward1' : 'MaskedFillBackward0', out, inputs, (g, needs) => [
      needs[0] ? selectRaw(sm, 0, g, 'float32', 'backward') : null,
      ...(cv instanceof Tensor ? [needs[1] ? selectRaw(sm, g, 0, 'float32', 'backward') : null] : []),
    ], [sm]);
  }
  if (cv instanceof Tensor && cv !== v) cv.dispose();
  return out;
}

// ---- logical ops ------------------------------------------------------------------------------------

type LogicalName = 'logicalAnd' | 'logicalOr' | 'logicalXor';

function logical(name: LogicalName, a: Operand, b: Operand): Tensor {
  checkOperands(a, b, name);
  for (const t of [a, b]) if (t instanceof Tensor) t.ptr(name); // disposed: named under this op
  // float32 tensors become bool first (so −0.0 is false); numbers are true unless 0
  const castA = a instanceof Tensor && a.dtype === 'float32', castB = b instanceof Tensor && b.dtype === 'float32';
  const word = (x: Operand): Operand => (x instanceof Tensor ? x : Number(x !== 0));
  const ca = castA ? toBool(a as Tensor, name) : word(a);
  let cb: Operand = word(b);
  try {
    if (castB) cb = toBool(b as Tensor, name);
    return kernelCall(Binary[name], ca, cb, name, 'bool', true);
  } finally {
    if (castA) (ca as Tensor).dispose();
    if (castB && cb instanceof Tensor && cb !== b) cb.dispose();
  }
}

/** True where both are non-zero, any dtype in, bool out, broadcasting. PyTorch: `torch.logical_and`. */
export function logicalAnd(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('logicalAnd', arguments); return logical('logicalAnd', a, b); }
/** True where either is non-zero, any dtype in, bool out, broadcasting. PyTorch: `torch.logical_or`. */
export function logicalOr(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('logicalOr', arguments); return logical('logicalOr', a, b); }
/** True where exactly one is non-zero, any dtype in, bool out, broadcasting. PyTorch: `torch.logical_xor`. */
export function logicalXor(a: Operand, b: Operand): Tensor { if (arguments.length > 2) twoOperands('logicalXor', arguments); return logical('logicalXor', a, b); }

/** An i32-word unary kernel into a new bool tensor. */
function boolUnary(code: number, x: Tensor, op: string): Tensor {
  const xc = dense(x, op);
  const out = Tensor.empty(x.shape, 'bool', op);
  K().unary(code, xc.ptr(op), out.ptr(op), out.numel(), 0, 0);
  if (xc !== x) xc.dispose();
  return out;
}

/** True where the element is zero, any dtype in, bool out. PyTorch: `torch.logical_not`. */
export function logicalNot(x: Tensor): Tensor {
  checkTensor(x, 'logicalNot', 'input');
  return boolUnary(x.dtype === 'float32' ? Unary.notFloat : Unary.notInt, x, 'logicalNot');
}

/** A bool tensor of x's shape filled with `v`. */
function constBool(x: Tensor, v: boolean, op: string): Tensor {
  const out = Tensor.empty(x.shape, 'bool', op);
  i32View(out.ptr(op), out.numel()).fill(Number(v));
  return out;
}

/** True where the element is NaN (never for int32 and bool). PyTorch: `torch.isnan`. */
export function isnan(x: Tensor): Tensor {
  checkTensor(x, 'isnan', 'input');
  return x.dtype === 'float32' ? boolUnary(Unary.isnan, x, 'isnan') : constBool(x, false, 'isnan');
}

/** True where the element is neither infinite nor NaN (always for int32 and bool). PyTorch: `torch.isfinite`. */
export function isfinite(x: Tensor): Tensor {
  checkTensor(x, 'isfinite', 'input');
  return x.dtype === 'float32' ? boolUnary(Unary.isfinite, x, 'isfinite') : constBool(x, true, 'isfinite');
}

// ---- any / all ----------------------------------------------------------------------------------------

const R_ANY = 0, R_ALL = 1;

function anyAll(code: number, x: Tensor, dim: number | number[] | null | undefined, keepdim: boolean, op: string): Tensor {
  checkTensor(x, op, 'input');
  if (typeof keepdim !== 'boolean') throw new TypeError(`${op}: keepdim must be a boolean, got ${describeValue(keepdim)}`);
  if (dim !== undefined && dim !== null && typeof dim !== 'number' && !(Array.isArray(dim) && dim.every((d) => typeof d === 'number'))) {
    throw new TypeError(`${op}: dim must be a number or an array of numbers, got ${describeValue(dim)}`);
  }
  let dims: number[] | null = null; // null: the whole tensor
  if (dim !== undefined && dim !== null && !(Array.isArray(dim) && dim.length === 0)) {
    const list = Array.isArray(dim) ? dim : [dim];
    dims = list.map((d) => normDim(d, x.ndim, op));
    if (new Set(dims).size !== dims.length) throw new RangeError(`${op}: dim ${fmt(list)} repeats a dimension`);
    if (x.ndim === 0) dims = null; // dim 0 (or −1) of a 0-dim tensor is the whole tensor
  }
  const src = x.dtype === 'float32' ? toBool(x, op) : dense(x, op);
  const k = K();
  let out: Tensor;
  if (dims === null || (x.ndim > 0 && dims.length === x.ndim)) {
    const shape = keepdim ? x.shape.map(() => 1) : [];
    out = Tensor.empty(shape, 'bool', op);
    k.reduceBool(code, src.ptr(op), out.ptr(op), 1, x.numel(), 1);
  } else {
    // one dim at a time, highest first, keeping dims; then drop them unless keepdim
    let cur = src;
    for (const d of [...dims].sort((p, q) => q - p)) {
      const [outer, n, inner] = aroundDim(cur.shape, d);
      const shape = [...cur.shape];
      shape[d] = 1;
      const next = Tensor.empty(shape, 'bool', op);
      if (next.numel() > 0) k.reduceBool(code, cur.ptr(op), next.ptr(op), outer, n, inner);
      if (cur !== src) cur.dispose();
      cur = next;
    }
    if (!keepdim) {
      const r = reshape(cur, x.shape.filter((_, i) => !dims!.includes(i)));
      cur.dispose();
      cur = r;
    }
    out = cur;
  }
  if (src !== x) src.dispose();
  return out;
}

/** Whether any element is non-zero: over the whole tensor (dim null or left out), or along `dim` (one or several), as a bool tensor. PyTorch: `torch.any`. */
export const any = (x: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => anyAll(R_ANY, x, dim, keepdim, 'any');
/** Whether every element is non-zero: over the whole tensor (dim null or left out), or along `dim` (one or several), as a bool tensor. PyTorch: `torch.all`. */
export const all = (x: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => anyAll(R_ALL, x, dim, keepdim, 'all');

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** `this == other` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.Tensor.eq`. */
    eq(other: Operand): Tensor;
    /** `this != other` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.Tensor.ne`. */
    ne(other: Operand): Tensor;
    /** `this > other` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.Tensor.gt`. */
    gt(other: Operand): Tensor;
    /** `this >= other` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.Tensor.ge`. */
    ge(other: Operand): Tensor;
    /** `this < other` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.Tensor.lt`. */
    lt(other: Operand): Tensor;
    /** `this <= other` elementwise, broadcasting, as a bool tensor. PyTorch: `torch.Tensor.le`. */
    le(other: Operand): Tensor;
    /** The larger of this and other elementwise (ties split the gradient). PyTorch: `torch.Tensor.maximum`. */
    maximum(other: Operand): Tensor;
    /** The smaller of this and other elementwise (ties split the gradient). PyTorch: `torch.Tensor.minimum`. */
    minimum(other: Operand): Tensor;
    /** This where `condition` holds, else `other`, broadcasting. PyTorch: `torch.Tensor.where`. */
    where(condition: Tensor, other: Operand): Tensor;
    /** This with `value` where the bool `mask` holds. PyTorch: `torch.Tensor.masked_fill`. */
    maskedFill(mask: Tensor, value: Operand): Tensor;
    /** True where both are non-zero (bool out). PyTorch: `torch.Tensor.logical_and`. */
    logicalAnd(other: Operand): Tensor;
    /** True where either is non-zero (bool out). PyTorch: `torch.Tensor.logical_or`. */
    logicalOr(other: Operand): Tensor;
    /** True where exactly one is non-zero (bool out). PyTorch: `torch.Tensor.logical_xor`. */
    logicalXor(other: Operand): Tensor;
    /** True where the element is zero (bool out). PyTorch: `torch.Tensor.logical_not`. */
    logicalNot(): Tensor;
    /** Whether any element is non-zero, overall or along `dim`. PyTorch: `torch.Tensor.any`. */
    any(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** Whether every element is non-zero, overall or along `dim`. PyTorch: `torch.Tensor.all`. */
    all(dim?: number | number[] | null, keepdim?: boolean): Tensor;
    /** True where the element is NaN. PyTorch: `torch.Tensor.isnan`. */
    isnan(): Tensor;
    /** True where the element is finite. PyTorch: `torch.Tensor.isfinite`. */
    isfinite(): Tensor;
  }
}
