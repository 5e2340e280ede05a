// dtype conversions and PyTorch's `*_as` helpers: `to`, `float`, `int`, `long`, `bool`, `typeAs`;
// `viewAs`, `reshapeAs`, `expandAs`; the `T` getter; `numel` and `isFloatingPoint`.
// Every conversion goes through castTo (ops/elementwise.ts): int32/bool → float32 (toFloat),
// anything → bool (toBool, non-zero is true, NaN included), bool → int32 (the same 0/1 words),
// float32 → int32 (floatToInt: truncates toward zero; NaN, ±Infinity and values outside int32 are a
// RangeError naming the value, where PyTorch gives undefined values).
// A conversion to the tensor's own dtype returns the tensor itself, as PyTorch; any other
// conversion is a new tensor outside the graph (int32 and bool never carry gradients).
import { Tensor, type DType } from '../tensor.js';
import { castTo } from './elementwise.js';
import { view, reshape, expand, permute } from './movement.js';
import { checkOptions, describeValue } from '../options.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The options of `to`: a dtype and/or the device (`'cpu'`, the only one). PyTorch: the `dtype` and `device` arguments of `torch.Tensor.to`. */
export interface ToOptions {
  /** The dtype to convert to: `'float32'`, `'int32'` or `'bool'`. PyTorch: `dtype`. */
  dtype?: DType;
  /** `'cpu'`: accepted so that `x.to(device)` in ported code runs; the data stays where it is. PyTorch: `device`. */
  device?: 'cpu';
}

const isDType = (v: unknown): v is DType => DTYPES.includes(v as DType);

/**
 * `x` converted to `dtype` (itself when it already has it); a dtype string, the device `'cpu'`,
 * `{ dtype?, device? }`, or another tensor (its dtype). PyTorch: `torch.Tensor.to`.
 */
export function to(x: Tensor, target: DType | 'cpu' | ToOptions | Tensor): Tensor {
  const op = 'to';
  x.ptr(op);
  if (target instanceof Tensor) return typeAs(x, target);
  if (typeof target === 'string') {
    if (target === 'cpu') return x;
    if (isDType(target)) return castTo(x, target, op);
  } else if (typeof target === 'object' && target !== null) {
    const o = checkOptions(op, target, {
      dtype: (v) => (isDType(v) ? null : "one of 'float32', 'int32', 'bool'"),
      device: (v) => (v === 'cpu' ? null : "'cpu' (wasmtorch runs on the CPU, in WebAssembly)"),
    });
    return o.dtype === undefined ? x : castTo(x, o.dtype, op);
  }
  throw new TypeError(`to: expected a dtype ('float32', 'int32', 'bool'), the device 'cpu', { dtype, device } or a tensor, got ${describeValue(target)}`);
}

/** `x` as float32 (itself when it is). PyTorch: `torch.Tensor.float`. */
export const float = (x: Tensor): Tensor => { x.ptr('float'); return castTo(x, 'float32', 'float'); };
/** `x` as int32, float32 truncated toward zero (NaN, ±Infinity and values outside int32 throw a RangeError). PyTorch: `torch.Tensor.int`. */
export const int = (x: Tensor): Tensor => { x.ptr('int'); return castTo(x, 'int32', 'int'); };
/** `x` as int32: int64 is not available, and int32 is what class indices and `gather` take here. PyTorch: `torch.Tensor.long` (which gives int64). */
export const long = (x: Tensor): Tensor => { x.ptr('long'); return castTo(x, 'int32', 'long'); };
/** `x` as bool: true where non-zero (NaN is true). PyTorch: `torch.Tensor.bool`. */
export const bool = (x: Tensor): Tensor => { x.ptr('bool'); return castTo(x, 'bool', 'bool'); };

function checkTensor(other: unknown, op: string): Tensor {
  if (!(other instanceof Tensor)) throw new TypeError(`${op}: expected a tensor, got ${describeValue(other)}`);
  other.ptr(op);
  return other;
}

/** `x` converted to `other`'s dtype (itself when they match). PyTorch: `torch.Tensor.type_as`. */
export function typeAs(x: Tensor, other: Tensor): Tensor {
  x.ptr('typeAs');
  return castTo(x, checkTensor(other, 'typeAs').dtype, 'typeAs');
}
/** A view of `x` in `other`'s shape; `x` must be contiguous. PyTorch: `torch.Tensor.view_as`. */
export const viewAs = (x: Tensor, other: Tensor): Tensor => view(x, [...checkTensor(other, 'viewAs').shape]);
/** `x` in `other`'s shape: a view when possible, else a copy. PyTorch: `torch.Tensor.reshape_as`. */
export const reshapeAs = (x: Tensor, other: Tensor): Tensor => reshape(x, [...checkTensor(other, 'reshapeAs').shape]);
/** `x` broadcast to `other`'s shape, as a view. PyTorch: `torch.Tensor.expand_as`. */
export const expandAs = (x: Tensor, other: Tensor): Tensor => expand(x, [...checkTensor(other, 'expandAs').shape]);

/** A view with the dimensions in reverse order (a 2-D tensor transposed). PyTorch: `torch.Tensor.T`. */
export function reverseDims(x: Tensor): Tensor {
  return permute(x, x.shape.map((_, i) => x.ndim - 1 - i));
}

/** The number of elements. PyTorch: `torch.numel`. */
export function numel(x: Tensor): number {
  if (!(x instanceof Tensor)) throw new TypeError(`numel: expected a tensor, got ${describeValue(x)}`);
  return x.numel();
}
/** Whether the dtype is a floating-point one (float32). PyTorch: `torch.is_floating_point`. */
export function isFloatingPoint(x: Tensor): boolean {
  if (!(x instanceof Tensor)) throw new TypeError(`isFloatingPoint: expected a tensor, got ${describeValue(x)}`);
  return x.dtype === 'float32';
}

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** This tensor converted to a dtype (itself when it already has it), or `'cpu'`, `{ dtype?, device? }`, or another tensor's dtype. PyTorch: `torch.Tensor.to`. */
    to(target: DType | 'cpu' | ToOptions | Tensor): Tensor;
    /** This tensor as float32 (itself when it is). PyTorch: `torch.Tensor.float`. */
    float(): Tensor;
    /** This tensor as int32, truncated toward zero; NaN, ±Infinity or a value outside int32 throws a RangeError. PyTorch: `torch.Tensor.int`. */
    int(): Tensor;
    /** This tensor as int32 (int64 is not available; int32 is what class indices take here). PyTorch: `torch.Tensor.long`. */
    long(): Tensor;
    /** This tensor as bool: true where non-zero (NaN is true). PyTorch: `torch.Tensor.bool`. */
    bool(): Tensor;
    /** This tensor in `other`'s dtype (itself when they match). PyTorch: `torch.Tensor.type_as`. */
    typeAs(other: Tensor): Tensor;
    /** A view in `other`'s shape (this tensor must be contiguous). PyTorch: `torch.Tensor.view_as`. */
    viewAs(other: Tensor): Tensor;
    /** This tensor in `other`'s shape: a view when possible, else a copy. PyTorch: `torch.Tensor.reshape_as`. */
    reshapeAs(other: Tensor): Tensor;
    /** This tensor broadcast to `other`'s shape, as a view. PyTorch: `torch.Tensor.expand_as`. */
    expandAs(other: Tensor): Tensor;
    /** A view with the dimensions reversed (a 2-D tensor transposed). PyTorch: `torch.Tensor.T`. */
    readonly T: Tensor;
    /** Whether the dtype is float32. PyTorch: `torch.Tensor.is_floating_point`. */
    isFloatingPoint(): boolean;
  }
}
