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

export type DType = 'float32' | 'int32';
export type Operand = Tensor | number;
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

export class Tensor {
  readonly isTensor = true;
  /** Pinned tensors (parameters, gradients, optimizer state, keep()) survive tidy(). */
  pinned = false;
  /** Set by nn.Parameter: found by Module.parameters(). */
  isParameter = false;
  grad: Tensor | null = null;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;
  private _retainGrad = false;
  private _disposed = false;
  private _registered = false;

  private constructor(
    readonly storage: Storage,
    readonly shape: number[],
    readonly strides: number[],
    readonly offset: number,
    readonly dtype: DType,
    tracked: boolean,
  ) {
    countTensor(1);
    // Inside tidy() the scope frees the tensor; only one that outlives it needs the GC net
    // (registering costs ~0.2 µs, a noticeable share of a small op).
    // Saved handles (untracked) are put under it by the graph recorder (autograd/graph.ts).
    if (tracked && !track(this)) this.registerFinalizer();
  }

  /** A new contiguous tensor with uninitialised data. */
  static empty(shape: readonly number[], dtype: DType = 'float32', op = 'empty'): Tensor {
    checkDims(shape.length, op);
    const s = allocStorage(numelOf(shape) * 4, op);
    return new Tensor(s, [...shape], contiguousStrides(shape), 0, dtype, true);
  }

  /** A view sharing this tensor's storage. */
  view_(shape: number[], strides: number[], offset: number = this.offset): Tensor {
    checkDims(shape.length, 'view');
    return new Tensor(retain(this.storage), shape, strides, offset, this.dtype, true);
  }

  /** Autograd's saved handle: shares storage, joins no scope, freed by its graph node. */
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
  get ndim(): number { return this.shape.length; }
  dim(): number { return this.shape.length; }
  numel(): number { return numelOf(this.shape); }
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    return this.shape[normDim(dim, this.ndim, 'size')];
  }
  get isDisposed(): boolean { return this._disposed; }

  /** Byte address of element [0,...,0]; throws on a disposed tensor. */
  ptr(op: string): number {
    if (this._disposed) throw new Error(`${op}: the tensor of shape [${this.shape.join(', ')}] was disposed and cannot be used`);
    return this.storage.ptr + this.offset * 4;
  }

  isContiguous(): boolean {
    let s = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== s) return false;
      s *= this.shape[d];
    }
    return true;
  }

  /** A copy of the data in row-major order. */
  toFloat32Array(): Float32Array {
    const c = this.isContiguous() ? this : mv.contiguous(this);
    const n = this.numel();
    const p = c.ptr('toFloat32Array');
    const out = this.dtype === 'float32' ? new Float32Array(f32View(p, n)) : Float32Array.from(i32View(p, n));
    if (c !== this) c.dispose();
    return out;
  }
  toInt32Array(): Int32Array {
    const c = this.isContiguous() ? this : mv.contiguous(this);
    const n = this.numel();
    const p = c.ptr('toInt32Array');
    const out = this.dtype === 'int32' ? new Int32Array(i32View(p, n)) : Int32Array.from(f32View(p, n), Math.trunc);
    if (c !== this) c.dispose();
    return out;
  }
  /** Flat values as JS numbers. */
  dataSync(): number[] {
    return Array.from(this.dtype === 'int32' ? this.toInt32Array() : this.toFloat32Array());
  }
  item(): number {
    if (this.numel() !== 1) throw new RangeError(`item: a Tensor with ${this.numel()} elements (shape [${this.shape.join(', ')}]) cannot be converted to a number; expected exactly one element`);
    const p = this.ptr('item');
    return this.dtype === 'int32' ? i32View(p, 1)[0] : f32View(p, 1)[0];
  }
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
  toString(): string { return formatTensor(this); }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  // ---- memory ------------------------------------------------------------------------------
  /** Frees this tensor's hold on its storage now. Idempotent. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    if (this._registered) finalizer?.unregister(this);
    release(this.storage);
    countTensor(-1);
    if (this.grad) { this.grad.dispose(); this.grad = null; }
  }
  [Symbol.dispose](): void { this.dispose(); }

  // ---- autograd ----------------------------------------------------------------------------
  get requiresGrad(): boolean { return this._requiresGrad; }
  set requiresGrad(flag: boolean) {
    if (!this.isLeaf) throw new Error('requiresGrad: can only be set on leaf tensors; use detach() to make a leaf from a computed tensor');
    if (flag && this.dtype !== 'float32') throw new TypeError(`requiresGrad: only float32 tensors can require gradients, got ${this.dtype}`);
    this._requiresGrad = flag;
  }
  requiresGrad_(flag = true): this { this.requiresGrad = flag; return this; }
  get gradFn(): Node | null { return this._gradFn; }
  get isLeaf(): boolean { return this._gradFn === null; }
  get retainsGrad(): boolean { return this._retainGrad; }
  /** Keeps .grad on a non-leaf tensor after backward (no-op on leaves, as in PyTorch). */
  retainGrad(): void { if (!this.isLeaf) this._retainGrad = true; }
  /** @internal: the recording function's hook. */
  setGradFn(node: Node): void { this._gradFn = node; this._requiresGrad = true; }
  backward(gradient?: Tensor, options?: BackwardOptions): void { runBackward(this, gradient, options); }
  detach(): Tensor { return mv.detach(this); }
  clone(): Tensor { return mv.clone(this); }

  // ---- elementwise -------------------------------------------------------------------------
  add(other: Operand, options?: { alpha?: number }): Tensor { return ew.add(this, other, options); }
  sub(other: Operand, options?: { alpha?: number }): Tensor { return ew.sub(this, other, options); }
  mul(other: Operand): Tensor { return ew.mul(this, other); }
  div(other: Operand): Tensor { return ew.div(this, other); }
  pow(exponent: Operand): Tensor { return ew.pow(this, exponent); }
  neg(): Tensor { return ew.neg(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  rsqrt(): Tensor { return ew.rsqrt(this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  sin(): Tensor { return ew.sin(this); }
  cos(): Tensor { return ew.cos(this); }
  square(): Tensor { return ew.square(this); }
  reciprocal(): Tensor { return ew.reciprocal(this); }
  relu(): Tensor { return ew.relu(this); }
  leakyRelu(negativeSlope?: number): Tensor { return ew.leakyRelu(this, negativeSlope); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  gelu(): Tensor { return ew.gelu(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ew.clamp(this, min, max); }

  // ---- movement (views) --------------------------------------------------------------------
  reshape(...size: Dims): Tensor { return mv.reshape(this, flatDims(size)); }
  view(...size: Dims): Tensor { return mv.view(this, flatDims(size)); }
  transpose(dim0: number, dim1: number): Tensor { return mv.transpose(this, dim0, dim1); }
  t(): Tensor { return mv.t(this); }
  permute(...dims: Dims): Tensor { return mv.permute(this, flatDims(dims)); }
  expand(...size: Dims): Tensor { return mv.expand(this, flatDims(size)); }
  squeeze(dim?: number): Tensor { return mv.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return mv.unsqueeze(this, dim); }
  flatten(startDim = 0, endDim = -1): Tensor { return mv.flatten(this, startDim, endDim); }
  contiguous(): Tensor { return mv.contiguous(this); }

  // ---- reductions --------------------------------------------------------------------------
  sum(dim?: number | number[], keepdim = false): Tensor { return rd.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return rd.mean(this, dim, keepdim); }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  max(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? rd.maxAll(this) : rd.maxDim(this, dim, keepdim);
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): { values: Tensor; indices: Tensor };
  min(dim?: number, keepdim = false): Tensor | { values: Tensor; indices: Tensor } {
    return dim === undefined ? rd.minAll(this) : rd.minDim(this, dim, keepdim);
  }
  argmax(dim?: number, keepdim = false): Tensor { return rd.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return rd.argmin(this, dim, keepdim); }
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }

  // ---- linear algebra ----------------------------------------------------------------------
  matmul(other: Tensor): Tensor { return mm.matmul(this, other); }
  mm(other: Tensor): Tensor { return mm.mm(this, other); }
  bmm(other: Tensor): Tensor { return mm.bmm(this, other); }

  // ---- in place ----------------------------------------------------------------------------
  zero_(): this { return ip.fill_(this, 0, 'zero_'); }
  fill_(value: number): this { return ip.fill_(this, value, 'fill_'); }
  copy_(src: Tensor): this { return ip.copy_(this, src); }
  add_(other: Operand, options?: { alpha?: number }): this { return ip.binaryInPlace(this, 'add', other, options?.alpha ?? 1, 'add_'); }
  sub_(other: Operand, options?: { alpha?: number }): this { return ip.binaryInPlace(this, 'sub', other, options?.alpha ?? 1, 'sub_'); }
  mul_(other: Operand): this { return ip.binaryInPlace(this, 'mul', other, 1, 'mul_'); }
  div_(other: Operand): this { return ip.binaryInPlace(this, 'div', other, 1, 'div_'); }
  clamp_(min?: number | null, max?: number | null): this { return ip.clamp_(this, min, max); }
  uniform_(a = 0, b = 1): this { return ip.uniform_(this, a, b); }
  normal_(mean = 0, std = 1): this { return ip.normal_(this, mean, std); }
}
