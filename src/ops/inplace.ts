// In-place operations. On a leaf that requires grad they throw unless grad mode is off (as
// PyTorch), which is how users and optimizers set weights: inside noGrad().
import { Tensor, type Operand } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { Binary, Unary } from '../runtime/kernels.js';
import { f32View } from '../runtime/storage.js';
import { isGradEnabled } from '../autograd/grad_mode.js';
import { fmt, broadcastShapes, sameShape } from '../shape.js';
import { dense, expand, copyInto } from './movement.js';
import { binaryKernel, assertFloat } from './elementwise.js';
import { nextUniform, nextNormal } from './random.js';

function checkWritable(t: Tensor, op: string): void {
  t.ptr(op);
  if (t.requiresGrad && isGradEnabled()) {
    throw new Error(`${op}: a leaf tensor that requires grad (shape ${fmt(t.shape)}) is being used in an in-place operation; wrap it in torch.noGrad(() => ...)`);
  }
  if (t.gradFn) throw new Error(`${op}: in-place operations on tensors produced by a recorded operation (${t.gradFn.name}) are not supported; use the out-of-place form`);
}

/** Runs write(dst) on a contiguous target, copying back when t is a strided view. */
function writeThrough<T extends Tensor>(t: T, op: string, write: (dst: Tensor) => void): T {
  if (t.isContiguous()) { write(t); return t; }
  const tmp = dense(t);
  write(tmp);
  copyData(tmp, t, op);
  tmp.dispose();
  return t;
}

/** Copies src's elements into the (possibly strided) view dst of the same shape. */
function copyData(src: Tensor, dst: Tensor, op: string): void {
  if (dst.isContiguous()) { copyInto(src, dst, op); return; }
  // a strided destination: element by element through JS (rare: writes into transposed views)
  const s = dense(src);
  const n = s.numel();
  const vals = new Float32Array(f32View(s.ptr(op), n));
  if (s !== src) s.dispose();
  const idx = new Array<number>(dst.ndim).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < dst.ndim; d++) off += idx[d] * dst.strides[d];
    f32View(dst.ptr(op) + off * 4, 1)[0] = vals[i];
    for (let d = dst.ndim - 1; d >= 0; d--) { if (++idx[d] < dst.shape[d]) break; idx[d] = 0; }
  }
}

export function fill_<T extends Tensor>(t: T, value: number, op: string): T {
  checkWritable(t, op);
  if (t.dtype === 'int32' && !Number.isInteger(value)) throw new TypeError(`${op}: cannot fill an int32 tensor with ${value}`);
  return writeThrough(t, op, (d) => {
    if (d.dtype === 'int32') new Int32Array(K().memory.buffer, d.ptr(op), d.numel()).fill(value);
    else K().fill(d.ptr(op), d.numel(), value);
  });
}

export function copy_<T extends Tensor>(t: T, src: Tensor): T {
  const op = 'copy_';
  checkWritable(t, op);
  src.ptr(op);
  if (src.dtype !== t.dtype) throw new TypeError(`copy_: source dtype ${src.dtype} does not match destination dtype ${t.dtype}`);
  const shape = broadcastShapes(t.shape, src.shape, op);
  if (!sameShape(shape, t.shape)) throw new RangeError(`copy_: source of shape ${fmt(src.shape)} cannot be broadcast to the destination's shape ${fmt(t.shape)}`);
  const s = sameShape(src.shape, t.shape) ? src : expand(src, [...t.shape]);
  copyData(s, t, op);
  if (s !== src) s.dispose();
  return t;
}

export function binaryInPlace<T extends Tensor>(t: T, name: 'add' | 'sub' | 'mul' | 'div', other: Operand, alpha: number, op: string): T {
  checkWritable(t, op);
  assertFloat(t, op);
  if (other instanceof Tensor) {
    other.ptr(op);
    const shape = broadcastShapes(t.shape, other.shape, op);
    if (!sameShape(shape, t.shape)) throw new RangeError(`${op}: the result of shape ${fmt(shape)} does not fit the in-place target of shape ${fmt(t.shape)}`);
  }
  if (alpha !== 1 && (name === 'add' || name === 'sub')) {
    if (typeof other === 'number') other = other * alpha;
    else if (t.isContiguous() && other.isContiguous() && sameShape(t.shape, other.shape)) {
      // the optimizer-style update y += α·x in one kernel
      K().axpy(t.ptr(op), other.ptr(op), t.numel(), name === 'add' ? alpha : -alpha);
      return t;
    } else {
      const scaled = binaryKernel(Binary.mul, other, alpha, op);
      const r = binaryInPlace(t, name, scaled, 1, op);
      scaled.dispose();
      return r;
    }
  }
  return writeThrough(t, op, (d) => { binaryKernel(Binary[name], d, other, op, d); });
}

export function clamp_<T extends Tensor>(t: T, min?: number | null, max?: number | null): T {
  checkWritable(t, 'clamp_');
  assertFloat(t, 'clamp_');
  if ((min ?? null) === null && (max ?? null) === null) throw new TypeError('clamp_: at least one of min and max must be given');
  return writeThrough(t, 'clamp_', (d) => K().unary(Unary.clamp, d.ptr('clamp_'), d.ptr('clamp_'), d.numel(), min ?? -Infinity, max ?? Infinity));
}

function fillRandom<T extends Tensor>(t: T, op: string, next: () => number): T {
  checkWritable(t, op);
  assertFloat(t, op);
  return writeThrough(t, op, (d) => {
    const n = d.numel();
    const v = f32View(d.ptr(op), n);
    for (let i = 0; i < n; i++) v[i] = next();
  });
}

export const uniform_ = <T extends Tensor>(t: T, a: number, b: number): T =>
  fillRandom(t, 'uniform_', () => a + (b - a) * nextUniform());
export const normal_ = <T extends Tensor>(t: T, mean: number, std: number): T =>
  fillRandom(t, 'normal_', () => mean + std * nextNormal());

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** Fills with zeros in place. PyTorch: `torch.Tensor.zero_`. */
    zero_(): this;
    /** Fills with `value` in place. PyTorch: `torch.Tensor.fill_`. */
    fill_(value: number): this;
    /** Copies `src`'s values in place, broadcasting. PyTorch: `torch.Tensor.copy_`. */
    copy_(src: Tensor): this;
    /** `this += alpha·other` in place. PyTorch: `torch.Tensor.add_`. */
    add_(other: Operand, options?: { alpha?: number }): this;
    /** `this −= alpha·other` in place. PyTorch: `torch.Tensor.sub_`. */
    sub_(other: Operand, options?: { alpha?: number }): this;
    /** `this *= other` in place. PyTorch: `torch.Tensor.mul_`. */
    mul_(other: Operand): this;
    /** `this /= other` in place. PyTorch: `torch.Tensor.div_`. */
    div_(other: Operand): this;
    /** Limits each element to `[min, max]` in place. PyTorch: `torch.Tensor.clamp_`. */
    clamp_(min?: number | null, max?: number | null): this;
    /** Fills with uniform samples from `[a, b)` in place. PyTorch: `torch.Tensor.uniform_`. */
    uniform_(a?: number, b?: number): this;
    /** Fills with normal samples in place. PyTorch: `torch.Tensor.normal_`. */
    normal_(mean?: number, std?: number): this;
  }
}
