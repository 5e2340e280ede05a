// Tensor: shape, strides (in elements), offset, dtype and a Storage in WebAssembly memory.
// Methods are one-line forwards to src/ops/; the data lives in the storage, shared by views.
import { Storage, allocStorage, retain, release, countTensor, f32View, i32View, MAX_DIMS } from './runtime/storage.js';
import { track } from './runtime/scope.js';
import type { Node } from './autograd/graph.js';
import * as ew from './ops/elementwise.js';
import * as mv from './ops/movement.js';
import * as rd from './ops/reduce.js';
import * as mm from './ops/matmul.js';
import * as sm from './ops/softmax.js';
import * as ip from './ops/inplace.js';
import { backward as runBackward, type BackwardOptions } from './autograd/engine.js';
import { formatTensor } from './ops/format.js';
import { normDim } from './ops/shape.js';

/** Element types: `'float32'` (the default) and `'int32'` (indices, class targets). PyTorch: `torch.dtype`. */
export type DType = 'float32' | 'int32';
/** A tensor, or a number that acts as a broadcast scalar. PyTorch: a `Tensor` or Python number argument. */
export type Operand = Tensor | number;
/** Sizes or dims as separate numbers or one array: `reshape(2, 3)` or `reshape([2, 3])`. */
type Dims = number[] | [number[]];

// The safety net: a tensor that becomes unreachable without dispose() releases its storage.
// workerd has no FinalizationRegistry: there dispose() and tidy() are the only way memory returns.
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<Storage>((s) => { release(s); countTensor(-1); })
  : null;

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
  return strides;
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkDims(nd: number, op: string): void {
  if (nd > MAX_DIMS) throw new RangeError(`${op}: tensors have at most ${MAX_DIMS} dims, got ${nd}`);
}

function flatDims(dims: Dims): number[] {
  return dims.length === 1 && Array.isArray(dims[0]) ? [...dims[0]] : (dims as number[]);
}

/**
 * An n-dimensional float32 or int32 array in WebAssembly memory that records autograd history;
 * views share its storage. Free it with `dispose()`, `using` or `torch.tidy`. PyTorch: `torch.Tensor`.
 */
export class Tensor {
  /** Always true: recognises a tensor without `instanceof`. PyTorch: `torch.is_tensor(t)`. */
  readonly isTensor = true;
  /** Survives `tidy()`: set for parameters, gradients, optimizer state and `keep()`. PyTorch: none. */
  pinned = false;
  /** Set by `nn.Parameter`; `Module.parameters()` collects such tensors. PyTorch: `isinstance(t, nn.Parameter)`. */
  isParameter = false;
  /** The gradient `backward()` accumulated into this tensor, or null. PyTorch: `torch.Tensor.grad`. */
  grad: Tensor | null = null;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;
  private _retainGrad = false;
  private _disposed = false;
  private _registered = false;

  private constructor(
    /** The WebAssembly memory block holding the data, shared with views. PyTorch: `torch.Tensor.untyped_storage()`. */
    readonly storage: Storage,
    /** The size of each dimension. PyTorch: `torch.Tensor.shape`. */
    readonly shape: number[],
    /** The step between neighbours along each dimension, in elements. PyTorch: `torch.Tensor.stride()`. */
    readonly strides: number[],
    /** The position of the first element in the storage, in elements. PyTorch: `torch.Tensor.storage_offset()`. */
    readonly offset: number,
    /** The element type. PyTorch: `torch.Tensor.dtype`. */
    readonly dtype: DType,
    tracked: boolean,
  ) {
    countTensor(1);
    // Inside tidy() the scope frees the tensor; only one that outlives it needs the GC net
    // (registering costs ~0.2 µs, a noticeable share of a small op).
    // Saved handles (untracked) are put under it by the graph recorder (autograd/graph.ts).
    if (tracked && !track(this)) this.registerFinalizer();
  }

  /** @internal A new contiguous tensor with uninitialised data (`torch.empty` is the public one). */
  static empty(shape: readonly number[], dtype: DType = 'float32', op = 'empty'): Tensor {
    checkDims(shape.length, op);
    const s = allocStorage(numelOf(shape) * 4, op);
    return new Tensor(s, [...shape], contiguousStrides(shape), 0, dtype, true);
  }

  /** @internal A view sharing this tensor's storage; records nothing. */
  view_(shape: number[], strides: number[], offset: number = this.offset): Tensor {
    checkDims(shape.length, 'view');
    return new Tensor(retain(this.storage), shape, strides, offset, this.dtype, true);
  }

  /** @internal Autograd's saved handle: shares storage, joins no scope, freed by its graph node. */
  savedHandle(): Tensor {
    const t = new Tensor(retain(this.storage), this.shape, this.strides, this.offset, this.dtype, false);
    t.pinned = true;
    return t;
  }

  /** @internal: puts the tensor under the garbage-collection safety net (once). */
  registerFinalizer(): void {
    if (this._registered || this._disposed) return;
    this._registered = true;
    finalizer?.register(this, this.storage, this);
  }

  // ---- reading -----------------------------------------------------------------------------
  /** The number of dimensions. PyTorch: `torch.Tensor.ndim`. */
  get ndim(): number { return this.shape.length; }
  /** The number of dimensions. PyTorch: `torch.Tensor.dim`. */
  dim(): number { return this.shape.length; }
  /** The number of elements. PyTorch: `torch.Tensor.numel`. */
  numel(): number { return numelOf(this.shape); }
  /** The shape, as a new array. PyTorch: `torch.Tensor.size()`. */
  size(): number[];
  /** The size of dimension `dim` (negative counts from the end). PyTorch: `torch.Tensor.size(dim)`. */
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    return this.shape[normDim(dim, this.ndim, 'size')];
  }
  /** True once `dispose()` ran; using a disposed tensor throws. PyTorch: none. */
  get isDisposed(): boolean { return this._disposed; }

  /** @internal Byte address of element [0,...,0]; throws on a disposed tensor. */
  ptr(op: string): number {
    if (this._disposed) throw new Error(`${op}: the tensor of shape [${this.shape.join(', ')}] was disposed and cannot be used`);
    return this.storage.ptr + this.offset * 4;
  }

  /** Whether the elements lie in row-major order without gaps. PyTorch: `torch.Tensor.is_contiguous`. */
  isContiguous(): boolean {
    let s = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== s) return false;
      s *= this.shape[d];
    }
    return true;
  }

  /** A copy of the data in row-major order, as float32. PyTorch: `t.flatten().numpy()`. */
  toFloat32Array(): Float32Array {
    const c = this.isContiguous() ? this : mv.contiguous(this);
    const n = this.numel();
    const p = c.ptr('toFloat32Array');
    const out = this.dtype === 'float32' ? new Float32Array(f32View(p, n)) : Float32Array.from(i32View(p, n));
    if (c !== this) c.dispose();
    return out;
  }
  /** A copy of the data in row-major order, as int32 (floats truncated). PyTorch: `t.flatten().int().numpy()`. */
  toInt32Array(): Int32Array {
    const c = this.isContiguous() ? this : mv.contiguous(this);
    const n = this.numel();
    const p = c.ptr('toInt32Array');
    const out = this.dtype === 'int32' ? new Int32Array(i32View(p, n)) : Int32Array.from(f32View(p, n), Math.trunc);
    if (c !== this) c.dispose();
    return out;
  }
  /** The values in row-major order as JS numbers. PyTorch: `t.flatten().tolist()`. */
  dataSync(): number[] {
    return Array.from(this.dtype === 'int32' ? this.toInt32Array() : this.toFloat32Array());
  }
  /** The value of a one-element tensor, as a number. PyTorch: `torch.Tensor.item`. */
  item(): number {
    if (this.numel() !== 1) throw new RangeError(`item: a Tensor with ${this.numel()} elements (shape [${this.shape.join(', ')}]) cannot be converted to a number; expected exactly one element`);
    const p = this.ptr('item');
    return this.dtype === 'int32' ? i32View(p, 1)[0] : f32View(p, 1)[0];
  }
  /** The data as nested arrays of numbers (a number for a 0-dim tensor). PyTorch: `torch.Tensor.tolist`. */
  tolist(): unknown {
    const flat = this.dataSync();
    if (this.ndim === 0) return flat[0];
    let i = 0;
    const build = (d: number): unknown[] => {
      const out: unknown[] = [];
      for (let k = 0; k < this.shape[d]; k++) out.push(d === this.ndim - 1 ? flat[i++] : build(d + 1));
      return out;
    };
    return build(0);
  }
  /** The values as PyTorch prints them: `tensor([[1.0000, 2.0000]], requires_grad=True)`. PyTorch: `repr(t)`. */
  toString(): string { return formatTensor(this); }
  /** `console.log` and `util.inspect` in Node show `toString()`. PyTorch: `print(t)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  // ---- memory ------------------------------------------------------------------------------
  /** Frees this tensor's hold on its storage now (and its grad); idempotent. PyTorch: none (`del t`). */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    if (this._registered) finalizer?.unregister(this);
    release(this.storage);
    countTensor(-1);
    if (this.grad) { this.grad.dispose(); this.grad = null; }
  }
  /** `using t = ...` disposes the tensor when the block ends. PyTorch: none. */
  [Symbol.dispose](): void { this.dispose(); }

  // ---- autograd ----------------------------------------------------------------------------
  /** Whether autograd records operations on this tensor. PyTorch: `torch.Tensor.requires_grad`. */
  get requiresGrad(): boolean { return this._requiresGrad; }
  /** Sets `requiresGrad` on a leaf (float32 only). PyTorch: `t.requires_grad = flag`. */
  set requiresGrad(flag: boolean) {
    if (!this.isLeaf) throw new Error('requiresGrad: can only be set on leaf tensors; use detach() to make a leaf from a computed tensor');
    if (flag && this.dtype !== 'float32') throw new TypeError(`requiresGrad: only float32 tensors can require gradients, got ${this.dtype}`);
    this._requiresGrad = flag;
  }
  /** Sets `requiresGrad` and returns this tensor. PyTorch: `torch.Tensor.requires_grad_`. */
  requiresGrad_(flag = true): this { this.requiresGrad = flag; return this; }
  /** The graph node that produced this tensor (named as PyTorch's, e.g. `MulBackward0`), null for leaves. PyTorch: `torch.Tensor.grad_fn`. */
  get gradFn(): Node | null { return this._gradFn; }
  /** True when no recorded operation produced this tensor. PyTorch: `torch.Tensor.is_leaf`. */
  get isLeaf(): boolean { return this._gradFn === null; }
  /** Whether `retainGrad()` was called on this non-leaf. PyTorch: `torch.Tensor.retains_grad`. */
  get retainsGrad(): boolean { return this._retainGrad; }
  /** Keeps .grad on a non-leaf tensor after backward (no-op on leaves, as in PyTorch). PyTorch: `torch.Tensor.retain_grad`. */
  retainGrad(): void { if (!this.isLeaf) this._retainGrad = true; }
  /** @internal: the recording function's hook. */
  setGradFn(node: Node): void { this._gradFn = node; this._requiresGrad = true; }
  /** Accumulates the gradients of this tensor into the leaves' `.grad` (`gradient` is needed unless it has one element). PyTorch: `torch.Tensor.backward`. */
  backward(gradient?: Tensor, options?: BackwardOptions): void { runBackward(this, gradient, options); }
  /** A view of the same data, cut from the graph. PyTorch: `torch.Tensor.detach`. */
  detach(): Tensor { return mv.detach(this); }
  /** A contiguous copy that gradients flow through. PyTorch: `torch.Tensor.clone`. */
  clone(): Tensor { return mv.clone(this); }

  // ---- elementwise -------------------------------------------------------------------------
  /** `this + alpha·other`, broadcasting. PyTorch: `torch.Tensor.add`. */
  add(other: Operand, options?: { alpha?: number }): Tensor { return ew.add(this, other, options); }
  /** `this − alpha·other`, broadcasting. PyTorch: `torch.Tensor.sub`. */
  sub(other: Operand, options?: { alpha?: number }): Tensor { return ew.sub(this, other, options); }
  /** Elementwise product, broadcasting. PyTorch: `torch.Tensor.mul`. */
  mul(other: Operand): Tensor { return ew.mul(this, other); }
  /** Elementwise quotient, broadcasting. PyTorch: `torch.Tensor.div`. */
  div(other: Operand): Tensor { return ew.div(this, other); }
  /** Elementwise power, broadcasting. PyTorch: `torch.Tensor.pow`. */
  pow(exponent: Operand): Tensor { return ew.pow(this, exponent); }
  /** `−x`. PyTorch: `torch.Tensor.neg`. */
  neg(): Tensor { return ew.neg(this); }
  /** `eˣ`. PyTorch: `torch.Tensor.exp`. */
  exp(): Tensor { return ew.exp(this); }
  /** Natural logarithm. PyTorch: `torch.Tensor.log`. */
  log(): Tensor { return ew.log(this); }
  /** Square root. PyTorch: `torch.Tensor.sqrt`. */
  sqrt(): Tensor { return ew.sqrt(this); }
  /** `1/√x`. PyTorch: `torch.Tensor.rsqrt`. */
  rsqrt(): Tensor { return ew.rsqrt(this); }
  /** Absolute value. PyTorch: `torch.Tensor.abs`. */
  abs(): Tensor { return ew.abs(this); }
  /** −1, 0 or 1 by the sign of each element. PyTorch: `torch.Tensor.sign`. */
  sign(): Tensor { return ew.sign(this); }
  /** Sine. PyTorch: `torch.Tensor.sin`. */
  sin(): Tensor { return ew.sin(this); }
  /** Cosine. PyTorch: `torch.Tensor.cos`. */
  cos(): Tensor { return ew.cos(this); }
  /** `x²`. PyTorch: `torch.Tensor.square`. */
  square(): Tensor { return ew.square(this); }
  /** `1/x`. PyTorch: `torch.Tensor.reciprocal`. */
  reciprocal(): Tensor { return ew.reciprocal(this); }
  /** `max(x, 0)`. PyTorch: `torch.Tensor.relu`. */
  relu(): Tensor { return ew.relu(this); }
  /** `x` where positive, else `negativeSlope·x` (default 0.01). PyTorch: `F.leaky_relu`. */
  leakyRelu(negativeSlope?: number): Tensor { return ew.leakyRelu(this, negativeSlope); }
  /** `1/(1+e⁻ˣ)`. PyTorch: `torch.Tensor.sigmoid`. */
  sigmoid(): Tensor { return ew.sigmoid(this); }
  /** Hyperbolic tangent. PyTorch: `torch.Tensor.tanh`. */
  tanh(): Tensor { return ew.tanh(this); }
  /** GELU, `x·Φ(x)` (the erf form). PyTorch: `F.gelu`. */
  gelu(): Tensor { return ew.gelu(this); }
  /** Limits each element to `[min, max]` (either may be null). PyTorch: `torch.Tensor.clamp`. */
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min, max); }

  // ---- movement (views) --------------------------------------------------------------------
  /** The same data in a new shape (one size may be −1): a view when possible, else a copy. PyTorch: `torch.Tensor.reshape`. */
  reshape(...size: Dims): Tensor { return mv.reshape(this, flatDims(size)); }
  /** A view in a new shape (one size may be −1); the tensor must be contiguous. PyTorch: `torch.Tensor.view`. */
  view(...size: Dims): Tensor { return mv.view(this, flatDims(size)); }
  /** A view with two dimensions swapped. PyTorch: `torch.Tensor.transpose`. */
  transpose(dim0: number, dim1: number): Tensor { return mv.transpose(this, dim0, dim1); }
  /** A view of a 2-D tensor transposed (0-D and 1-D as they are). PyTorch: `torch.Tensor.t`. */
  t(): Tensor { return mv.t(this); }
  /** A view with the dimensions reordered. PyTorch: `torch.Tensor.permute`. */
  permute(...dims: Dims): Tensor { return mv.permute(this, flatDims(dims)); }
  /** A broadcast view to a larger size, no copy (−1 keeps a dimension). PyTorch: `torch.Tensor.expand`. */
  expand(...size: Dims): Tensor { return mv.expand(this, flatDims(size)); }
  /** A view without size-1 dimensions (all of them, or `dim`). PyTorch: `torch.Tensor.squeeze`. */
  squeeze(dim?: number): Tensor { return mv.squeeze(this, dim); }
  /** A view with a size-1 dimension inserted at `dim`. PyTorch: `torch.Tensor.unsqueeze`. */
  unsqueeze(dim: number): Tensor { return mv.unsqueeze(this, dim); }
  /** Dimensions `startDim` to `endDim` merged into one. PyTorch: `torch.Tensor.flatten`. */
  flatten(startDim = 0, endDim = -1): Tensor { return mv.flatten(this, startDim, endDim); }
  /** This tensor's data when contiguous, else a row-major copy. PyTorch: `torch.Tensor.contiguous`. */
  contiguous(): Tensor { return mv.contiguous(this); }

  // ---- reductions --------------------------------------------------------------------------
  /** Sum of all elements, or over `dim`, dropping it unless `keepdim`. PyTorch: `torch.Tensor.sum`. */
  sum(dim?: number | number[], keepdim = false): Tensor { return rd.sum(this, dim, keepdim); }
  /** Mean of all elements, or over `dim`, dropping it unless `keepdim`. PyTorch: `torch.Tensor.mean`. */
  mean(dim?: number | number[], keepdim = false): Tensor { return rd.mean(this, dim, keepdim); }
  /** The largest element, as a 0-dim tensor. PyTorch: `torch.Tensor.max()`. */
  max(): Tensor;
  /** The largest values along `dim` and their int32 indices. PyTorch: `torch.Tensor.max(dim)`. */
  max(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  max(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? rd.maxAll(this) : rd.maxDim(this, dim, keepdim);
  }
  /** The smallest element, as a 0-dim tensor. PyTorch: `torch.Tensor.min()`. */
  min(): Tensor;
  /** The smallest values along `dim` and their int32 indices. PyTorch: `torch.Tensor.min(dim)`. */
  min(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  min(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? rd.minAll(this) : rd.minDim(this, dim, keepdim);
  }
  /** Index (int32) of the largest element, flattened or along `dim`. PyTorch: `torch.Tensor.argmax`. */
  argmax(dim?: number, keepdim = false): Tensor { return rd.argmax(this, dim, keepdim); }
  /** Index (int32) of the smallest element, flattened or along `dim`. PyTorch: `torch.Tensor.argmin`. */
  argmin(dim?: number, keepdim = false): Tensor { return rd.argmin(this, dim, keepdim); }
  /** `exp(x)/Σexp(x)` along `dim`. PyTorch: `torch.Tensor.softmax`. */
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  /** `log(softmax(x))` along `dim`, computed stably. PyTorch: `torch.Tensor.log_softmax`. */
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }

  // ---- linear algebra ----------------------------------------------------------------------
  /** Matrix product: 1-D, 2-D and batched with broadcasting. PyTorch: `torch.Tensor.matmul`. */
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }
  /** Product of two 2-D matrices. PyTorch: `torch.Tensor.mm`. */
  mm(other: Tensor): Tensor { return mm.mm(this, other); }
  /** Batched product of [B, n, m] and [B, m, p]. PyTorch: `torch.Tensor.bmm`. */
  bmm(other: Tensor): Tensor { return mm.bmm(this, other); }

  // ---- in place ----------------------------------------------------------------------------
  /** Fills with zeros in place. PyTorch: `torch.Tensor.zero_`. */
  zero_(): this { return ip.fill_(this, 0, 'zero_'); }
  /** Fills with `value` in place. PyTorch: `torch.Tensor.fill_`. */
  fill_(value: number): this { return ip.fill_(this, value, 'fill_'); }
  /** Copies `src`'s values in place, broadcasting. PyTorch: `torch.Tensor.copy_`. */
  copy_(src: Tensor): this { return ip.copy_(this, src); }
  /** `this += alpha·other` in place. PyTorch: `torch.Tensor.add_`. */
  add_(other: Operand, options?: { alpha?: number }): this { return ip.binaryInPlace(this, 'add', other, options?.alpha ?? 1, 'add_'); }
  /** `this −= alpha·other` in place. PyTorch: `torch.Tensor.sub_`. */
  sub_(other: Operand, options?: { alpha?: number }): this { return ip.binaryInPlace(this, 'sub', other, options?.alpha ?? 1, 'sub_'); }
  /** `this *= other` in place. PyTorch: `torch.Tensor.mul_`. */
  mul_(other: Operand): this { return ip.binaryInPlace(this, 'mul', other, 1, 'mul_'); }
  /** `this /= other` in place. PyTorch: `torch.Tensor.div_`. */
  div_(other: Operand): this { return ip.binaryInPlace(this, 'div', other, 1, 'div_'); }
  /** Limits each element to `[min, max]` in place. PyTorch: `torch.Tensor.clamp_`. */
  clamp_(min?: number | null, max?: number | null): this { return ip.clamp_(this, min, max); }
  /** Fills with uniform samples from `[a, b)` in place. PyTorch: `torch.Tensor.uniform_`. */
  uniform_(a = 0, b = 1): this { return ip.uniform_(this, a, b); }
  /** Fills with normal samples in place. PyTorch: `torch.Tensor.normal_`. */
  normal_(mean = 0, std = 1): this { return ip.normal_(this, mean, std); }
}
