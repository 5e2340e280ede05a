// In-place operations, as PyTorch: every write bumps the tensor's version (shared with its views),
// so a backward that saved the old data throws instead of using the new; a write with autograd
// on that involves a tensor requiring grad is recorded (the tensor takes a new gradFn whose edges
// lead to its old history); a leaf that requires grad is written only under noGrad(), which is
// how users and optimizers set weights; a write whose elements alias each other or an operand
// partially is refused.
// dtypes follow PyTorch: the result of `t op= other` is computed in the promoted type and must fit
// t's dtype (float32 += int32 is fine; int32 += float32, int32 /= anything, bool += 1 are refused
// with PyTorch's "result type Float can't be cast to the desired output type Int"); int32 results
// are exact and wrap; copy_ and fill_ convert (float → int32 truncates toward zero, NaN/±Infinity/
// out-of-range values are a RangeError).
import { Tensor, type Operand, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Binary, Unary } from '../runtime/kernels.js';
import { f32View, i32View } from '../runtime/storage.js';
import { isGradEnabled, isAnomalyEnabled } from '../autograd/grad_mode.js';
import { record, save, nonFinite, type BackwardFn } from '../autograd/graph.js';
import { fmt, broadcastShapes, sameShape } from '../shape.js';
import { dense, expand, copyInto, copyOf } from './movement.js';
import { binaryKernel, assertFloat, castTo, toFloat, resultType, add, sub, mul, div, neg } from './elementwise.js';
import { clamp, clampArgs, type ClampOptions } from './clamp.js';
import { where, ge, le, logicalAnd } from './compare.js';
import { full } from './create.js';
import { nextUniform, nextNormal } from './random.js';

const SELF_OVERLAP = 'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation (as PyTorch)';
const INPUT_OVERLAP = 'unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation (as PyTorch)';

/** The first and last element index t reaches in its storage (hi < lo when t is empty). */
function span(t: Tensor): [number, number] {
  let lo = t.offset, hi = t.offset;
  for (let d = 0; d < t.ndim; d++) {
    if (t.shape[d] === 0) return [t.offset, t.offset - 1];
    const e = (t.shape[d] - 1) * t.strides[d];
    if (e < 0) lo += e; else hi += e;
  }
  return [lo, hi];
}

/** Whether o shares some but not exactly all of t's elements (PyTorch's partial overlap). */
function partialOverlap(t: Tensor, o: Tensor): boolean {
  if (o.storage !== t.storage) return false;
  if (o.offset === t.offset && sameShape(o.shape, t.shape) && sameShape(o.strides, t.strides)) return false;
  const [a0, a1] = span(t), [b0, b1] = span(o);
  return a0 <= a1 && b0 <= b1 && a0 <= b1 && b0 <= a1;
}

/**
 * Checks an in-place write of t (reading `operands`) before anything is written, and says whether
 * autograd must record it: grad mode on and t (or its base) or an operand requiring grad.
 */
function checkWritable(t: Tensor, op: string, operands: readonly Tensor[] = []): boolean {
  t.ptr(op);
  for (let d = 0; d < t.ndim; d++) {
    if (t.shape[d] > 1 && t.strides[d] === 0) throw new Error(`${op}: ${SELF_OVERLAP}: the tensor of shape ${fmt(t.shape)} is expanded (strides ${fmt(t.strides)})`);
  }
  for (const o of operands) if (partialOverlap(t, o)) throw new Error(`${op}: ${INPUT_OVERLAP}`);
  if (!isGradEnabled() || t.dtype !== 'float32') return false; // an int32 or bool target never requires grad
  const base = t.base;
  if (!t.requiresGrad && !(base !== null && base.requiresGrad) && !operands.some((o) => o.requiresGrad)) return false;
  if (base === null && t.liveViews > 0) {
    throw new Error(`${op}: in-place writes to a tensor with ${t.liveViews} live view(s) are not supported while autograd records them (PyTorch rebases the views' history, wasmtorch does not yet): dispose the views first, or use the out-of-place form`);
  }
  if (base !== null) {
    if (t.viewInNoGrad && base.requiresGrad) {
      throw new Error(`${op}: A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden (as PyTorch): make the view and write through it both inside torch.noGrad(() => ...), or both outside`);
    }
    if (base.requiresGrad && base.isLeaf) {
      throw new Error(`${op}: a view of a leaf tensor that requires grad (shape ${fmt(base.shape)}) is being used in an in-place operation (PyTorch: a view of a leaf Variable that requires grad is being used in an in-place operation); wrap it in torch.noGrad(() => ...)`);
    }
    throw new Error(`${op}: in-place writes through a view (shape ${fmt(t.shape)} of a tensor of shape ${fmt(base.shape)}) are not supported while autograd records them (PyTorch rebases the base's history, wasmtorch does not yet); use the out-of-place form, or clone() the view first`);
  }
  if (t.isLeaf && t.requiresGrad) {
    throw new Error(`${op}: a leaf tensor that requires grad (shape ${fmt(t.shape)}) is being used in an in-place operation (PyTorch: a leaf Variable that requires grad is being used in an in-place operation); wrap it in torch.noGrad(() => ...)`);
  }
  return true;
}

/** What a recorded in-place op adds to the graph: saved before the write, recorded after it. */
interface Pending { name: string; inputs: Tensor[]; backward: BackwardFn; saved: Tensor[] }

/** A saved copy of t's values before the write (backward rules that read them need the old data). */
function original(t: Tensor, op: string): Tensor {
  const c = copyOf(t, op);
  const h = save(c);
  c.dispose();
  return h;
}

/** Runs the write; then bumps the version (views share it) and records the pending node, or frees its saved data when the write threw. */
function commit<T extends Tensor>(t: T, pending: Pending | null, write: () => void): T {
  // detectAnomaly: the write must not turn NaN-free operands into NaN (record() would see t after it)
  const watch = pending !== null && isAnomalyEnabled() && pending.inputs.every((i) => !hasNaN(i));
  try {
    write();
  } catch (e) {
    if (pending) for (const s of pending.saved) s.dispose();
    throw e;
  }
  t.storage.version++;
  if (watch && hasNaN(t)) {
    for (const s of pending!.saved) s.dispose();
    const base = pending!.name.replace(/Backward\d*$/, '');
    throw new Error(`detectAnomaly: ${base[0].toLowerCase()}${base.slice(1)}_ (${pending!.name}) produced NaN in forward, in place on a tensor of shape ${fmt(t.shape)}${pending!.inputs.length > 1 ? ` from an operand of shape ${fmt(pending!.inputs[1].shape)}` : ''}`);
  }
  if (pending) record(pending.name, t, pending.inputs, pending.backward, pending.saved);
  return t;
}

const hasNaN = (t: Tensor): boolean => nonFinite(t, true) !== null;

const zerosFor = (g: Tensor): Tensor => full(g.shape, 0);

/** Runs write(dst) on a contiguous target, copying back when t is a strided view. */
function writeThrough<T extends Tensor>(t: T, op: string, write: (dst: Tensor) => void): T {
  if (t.isContiguous()) { write(t); return t; }
  const tmp = dense(t);
  write(tmp);
  copyInto(tmp, t, op);
  tmp.dispose();
  return t;
}

// PyTorch's names of the dtypes in its casting error.
const PT_NAME: Record<DType, string> = { float32: 'Float', int32: 'Int', bool: 'Bool' };
const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** PyTorch's rule for `t op= ...`: the result type must not be of a higher kind than t's dtype. */
function checkCastable(t: Tensor, result: DType, op: string): void {
  if (RANK[result] > RANK[t.dtype]) {
    throw new TypeError(`${op}: result type ${PT_NAME[result]} can't be cast to the desired output type ${PT_NAME[t.dtype]} (as in PyTorch): ${t.dtype === 'int32' ? 'an' : 'a'} ${t.dtype} tensor cannot hold a ${result} result in place; use the out-of-place form, or convert the tensor first (${result === 'float32' ? '.float()' : '.int()'})`);
  }
}

/** Overwrites t (any strides) with r's values (same shape and dtype) and disposes r. */
function assignFrom<T extends Tensor>(t: T, r: Tensor, op: string): T {
  try {
    copyInto(r, t, op);
  } finally {
    r.dispose();
  }
  return t;
}

export function fill_<T extends Tensor>(t: T, value: number, op: string): T {
  const rec = checkWritable(t, op);
  if (typeof value !== 'number') throw new TypeError(`${op}: value must be a number, got ${typeof value}`);
  let word = 0;
  if (t.dtype === 'int32') {
    const v = Math.trunc(value); // toward zero, as PyTorch's fill_ of an integer tensor
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new RangeError(`${op}: cannot fill an int32 tensor with ${value}: expected a finite value in [-2147483648, 2147483647] (PyTorch: value cannot be converted to type int without overflow)`);
    }
    word = v;
  } else if (t.dtype === 'bool') word = value !== 0 ? 1 : 0; // NaN is true, as bool(nan)
  // the old values get no gradient: zeros flow to t's history, as PyTorch's FillBackward0
  const pending = rec ? { name: op === 'zero_' ? 'ZeroBackward0' : 'FillBackward0', inputs: [t], backward: (g: Tensor) => [zerosFor(g)], saved: [] } : null;
  return commit(t, pending, () => writeThrough(t, op, (d) => {
    if (d.dtype === 'float32') K().fill(d.ptr(op), d.numel(), value);
    else i32View(d.ptr(op), d.numel()).fill(word);
  }));
}

export function copy_<T extends Tensor>(t: T, src: Tensor): T {
  const op = 'copy_';
  if (!(src instanceof Tensor)) throw new TypeError(`copy_: src must be a tensor, got ${typeof src}`);
  src.ptr(op);
  const rec = checkWritable(t, op, [src]);
  const shape = broadcastShapes(t.shape, src.shape, op);
  if (!sameShape(shape, t.shape)) throw new RangeError(`copy_: source of shape ${fmt(src.shape)} cannot be broadcast to the destination's shape ${fmt(t.shape)}`);
  const c = castTo(src, t.dtype, op); // float32 → int32 truncates; a NaN or out-of-range value throws here, before any write
  const s = sameShape(c.shape, t.shape) ? c : expand(c, [...t.shape]);
  // t's old values get zeros, src the gradient (summed back to its shape by the engine)
  const pending = rec ? { name: 'CopyBackwards', inputs: [t, src], backward: (g: Tensor, needs: readonly boolean[]) => [needs[0] ? zerosFor(g) : null, needs[1] ? g : null], saved: [] } : null;
  try {
    return commit(t, pending, () => copyInto(s, t, op));
  } finally {
    if (s !== c) s.dispose();
    if (c !== src) c.dispose();
  }
}

/** `t op= other` for an int32 or bool t: the exact out-of-place op (its dtype rules), written back. */
function intInPlace<T extends Tensor>(t: T, name: 'add' | 'sub' | 'mul' | 'div', other: Operand, alpha: number, op: string): T {
  checkCastable(t, name === 'div' ? 'float32' : resultType(t, other), op); // true division gives float32
  if (!Number.isInteger(alpha)) throw new TypeError(`${op}: alpha must be an integer for an ${t.dtype} tensor, got ${alpha} (as in PyTorch: for integral input tensors, argument alpha must not be a floating point number)`);
  const r = name === 'add' ? add(t, other, { alpha }) : name === 'sub' ? sub(t, other, { alpha }) : mul(t, other);
  return assignFrom(t, r, op);
}

export function binaryInPlace<T extends Tensor>(t: T, name: 'add' | 'sub' | 'mul' | 'div', other: Operand, alpha: number, op: string): T {
  if (other instanceof Tensor) other.ptr(op);
  const rec = checkWritable(t, op, other instanceof Tensor ? [other] : []);
  checkBinary(t, name, other, op);
  return commit(t, rec ? binaryPending(t, name, other, alpha, op) : null, () => { binaryWrite(t, name, other, alpha, op); });
}

/** The gradient of `t op= other` (t's old values and other are saved when the rule reads them). */
function binaryPending(t: Tensor, name: 'add' | 'sub' | 'mul' | 'div', other: Operand, alpha: number, op: string): Pending {
  const o = other instanceof Tensor ? other : null;
  const inputs = o ? [t, o] : [t];
  const tNeeds = t.requiresGrad, oNeeds = o !== null && o.requiresGrad;
  const PT = { add: 'AddBackward0', sub: 'SubBackward0', mul: 'MulBackward0', div: 'DivBackward0' } as const;
  if (name === 'add' || name === 'sub') {
    const k = name === 'add' ? alpha : -alpha;
    return { name: PT[name], inputs, saved: [], backward: (g, needs) => [needs[0] ? g : null, needs[1] ? (k === 1 ? g : mul(g, k)) : null] };
  }
  const so = o && (tNeeds || name === 'div') ? save(o) : null;
  const sOld = oNeeds ? original(t, op) : null;
  const saved = [so, sOld].filter((x): x is Tensor => x !== null);
  const by: Operand = so ?? (other as number);
  if (name === 'mul') {
    return { name: PT.mul, inputs, saved, backward: (g, needs) => [needs[0] ? mul(g, by) : null, needs[1] ? mul(g, sOld!) : null] };
  }
  // d(t/o)/dt = 1/o, d(t/o)/do = −t/o²
  return { name: PT.div, inputs, saved, backward: (g, needs) => [needs[0] ? div(g, by) : null, needs[1] ? neg(div(mul(g, sOld!), mul(so!, so!))) : null] };
}

/** Everything about `t op= other` that can be refused, before any saving or writing. */
function checkBinary(t: Tensor, name: 'add' | 'sub' | 'mul' | 'div', other: Operand, op: string): void {
  if (other instanceof Tensor) {
    const shape = broadcastShapes(t.shape, other.shape, op);
    if (!sameShape(shape, t.shape)) throw new RangeError(`${op}: the result of shape ${fmt(shape)} does not fit the in-place target of shape ${fmt(t.shape)}`);
  } else if (typeof other !== 'number') {
    throw new TypeError(`${op}: other must be a tensor or a number, got ${other === null ? 'null' : typeof other}`);
  }
  if (name === 'sub' && (t.dtype === 'bool' || (other instanceof Tensor && other.dtype === 'bool'))) {
    throw new TypeError(`${op}: subtraction with a bool tensor is not supported (as in PyTorch); use logicalXor() or logicalNot() for masks`);
  }
  if (t.dtype !== 'float32') checkCastable(t, name === 'div' ? 'float32' : resultType(t, other), op);
}

/** `t op= other` once checkBinary passed: the write itself. */
function binaryWrite<T extends Tensor>(t: T, name: 'add' | 'sub' | 'mul' | 'div', other: Operand, alpha: number, op: string): T {
  if (t.dtype !== 'float32') return intInPlace(t, name, other, alpha, op);
  if (other instanceof Tensor && other.dtype !== 'float32') {
    // float32 op= int32/bool: the operand is promoted, as PyTorch
    const f = toFloat(other, op);
    try {
      return binaryWrite(t, name, f, alpha, op);
    } finally {
      f.dispose();
    }
  }
  if (alpha !== 1 && (name === 'add' || name === 'sub')) {
    if (typeof other === 'number') other = other * alpha;
    else if (t.isContiguous() && other.isContiguous() && sameShape(t.shape, other.shape)) {
      // the optimizer-style update y += α·x in one kernel
      K().axpy(t.ptr(op), other.ptr(op), t.numel(), name === 'add' ? alpha : -alpha);
      return t;
    } else {
      const scaled = binaryKernel(Binary.mul, other, alpha, op);
      const r = binaryWrite(t, name, scaled, 1, op);
      scaled.dispose();
      return r;
    }
  }
  return writeThrough(t, op, (d) => { binaryKernel(Binary[name], d, other, op, d); });
}

export function clamp_<T extends Tensor>(t: T, minArg?: number | null | ClampOptions, maxArg?: number | null): T {
  const op = 'clamp_';
  if (arguments.length > 3) throw new TypeError(`clamp_: takes at most (min, max), got ${arguments.length - 1} arguments`);
  const [lo, hi] = clampArgs(minArg, maxArg, op);
  // tensor bounds would need gradients through an in-place write: clamp() takes them
  if (lo instanceof Tensor || hi instanceof Tensor) throw new TypeError('clamp_: tensor bounds are not supported in place; use t.clamp(min, max)');
  const min = lo as number | null | undefined, max = hi as number | null | undefined;
  const rec = checkWritable(t, op);
  if ((min ?? null) === null && (max ?? null) === null) throw new TypeError('clamp_: at least one of min and max must be given');
  if (Number.isNaN(min) || Number.isNaN(max)) throw new RangeError(`clamp_: min and max must be numbers, got ${min} and ${max}`);
  if (t.dtype !== 'float32') {
    // integer bounds keep int32 (bool is refused: its result would be int32), a fractional bound gives float32
    const bounds = [min, max].filter((v): v is number => v !== undefined && v !== null);
    checkCastable(t, bounds.every((v) => Number.isInteger(v)) ? (t.dtype === 'bool' ? 'int32' : t.dtype) : 'float32', op);
    return commit(t, null, () => { assignFrom(t, clamp(t, min, max), op); });
  }
  const lo2 = min ?? -Infinity, hi2 = max ?? Infinity;
  let pending: Pending | null = null;
  if (rec) {
    // the gradient passes where the old value lay inside [min, max] (PyTorch's ClampBackward1)
    const ge0 = ge(t, lo2), le0 = le(t, hi2), inside = logicalAnd(ge0, le0);
    ge0.dispose(); le0.dispose();
    const mask = save(inside);
    inside.dispose();
    pending = { name: 'ClampBackward1', inputs: [t], saved: [mask], backward: (g) => [where(mask, g, 0)] };
  }
  return commit(t, pending, () => { writeThrough(t, op, (d) => K().unary(Unary.clamp, d.ptr(op), d.ptr(op), d.numel(), lo2, hi2)); });
}

function fillRandom<T extends Tensor>(t: T, op: string, next: () => number): T {
  const rec = checkWritable(t, op);
  assertFloat(t, op);
  const name = op === 'uniform_' ? 'UniformBackward0' : 'NormalBackward0';
  return commit(t, rec ? { name, inputs: [t], saved: [], backward: (g: Tensor) => [zerosFor(g)] } : null, () => {
    writeThrough(t, op, (d) => {
      const n = d.numel();
      const v = f32View(d.ptr(op), n);
      for (let i = 0; i < n; i++) v[i] = next();
    });
  });
}

export function uniform_<T extends Tensor>(t: T, a: number, b: number): T {
  // PyTorch's checks: finite numbers with from <= to
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b) || a > b) {
    throw new RangeError(`uniform_: expects finite numbers with from <= to, got from=${String(a)} > to=${String(b)}`.replace(' > to', a > b ? ' > to' : ', to'));
  }
  return fillRandom(t, 'uniform_', () => a + (b - a) * nextUniform());
}
export function normal_<T extends Tensor>(t: T, mean: number, std: number): T {
  if (typeof mean !== 'number' || typeof std !== 'number' || !Number.isFinite(mean) || !(std >= 0) || !Number.isFinite(std)) {
    throw new RangeError(`normal_: expects a finite mean and std >= 0.0, got mean=${String(mean)}, std=${String(std)}`);
  }
  return fillRandom(t, 'normal_', () => mean + std * nextNormal());
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** Fills with zeros in place. PyTorch: `torch.Tensor.zero_`. */
    zero_(): this;
    /** Fills with `value` in place (an int32 tensor takes it truncated toward zero; bool, non-zero as true). PyTorch: `torch.Tensor.fill_`. */
    fill_(value: number): this;
    /** Copies `src`'s values in place, broadcasting and converting dtypes (float32 → int32 truncates; NaN or out of range throws). PyTorch: `torch.Tensor.copy_`. */
    copy_(src: Tensor): this;
    /** `this += alpha·other` in place; an int32 tensor stays exact (wrapping) and refuses a float32 result, as PyTorch. PyTorch: `torch.Tensor.add_`. */
    add_(other: Operand, options?: { alpha?: number }): this;
    /** `this −= alpha·other` in place. PyTorch: `torch.Tensor.sub_`. */
    sub_(other: Operand, options?: { alpha?: number }): this;
    /** `this *= other` in place. PyTorch: `torch.Tensor.mul_`. */
    mul_(other: Operand): this;
    /** `this /= other` in place (true division: float32 tensors only, as PyTorch). PyTorch: `torch.Tensor.div_`. */
    div_(other: Operand): this;
    /** Limits each element to `[min, max]` in place. PyTorch: `torch.Tensor.clamp_`. */
    clamp_(min?: number | null | ClampOptions, max?: number | null): this;
    /** Fills with uniform samples from `[a, b)` in place. PyTorch: `torch.Tensor.uniform_`. */
    uniform_(a?: number, b?: number): this;
    /** Fills with normal samples in place. PyTorch: `torch.Tensor.normal_`. */
    normal_(mean?: number, std?: number): this;
  }
}
