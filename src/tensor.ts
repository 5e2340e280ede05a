// Tensor: shape, strides (in elements), offset, dtype and a Storage in WebAssembly memory; its
// memory and autograd bookkeeping. It imports no op: each op family declares its methods beside
// the op (`declare module '../tensor.js'`) and src/methods.ts binds them, so imports run one way.
import { Storage, allocStorage, retain, release, countTensor, f32View, i32View, MAX_DIMS } from './runtime/storage.js';
import { track, netAdd, netRemove } from './runtime/scope.js';
import { isGradEnabled } from './autograd/grad_mode.js';
import type { Node } from './autograd/graph.js';
import { normDim, numelOf, fmt, sameShape, checkAllocSize, MAX_TENSOR_BYTES } from './shape.js';
import { describeValue } from './options.js';

/** Element types: `'float32'` (the default), `'int32'` (indices, class targets) and `'bool'` (comparison results, 0/1 in 4 bytes). PyTorch: `torch.dtype`. */
export type DType = 'float32' | 'int32' | 'bool';
/** A tensor, or a number that acts as a broadcast scalar. PyTorch: a `Tensor` or Python number argument. */
export type Operand = Tensor | number;

// The safety net: a tensor that becomes unreachable without dispose() releases its storage.
// Where a runtime lacks FinalizationRegistry (older workerd compatibility dates), dispose(), scopes
// and tidy() are the only way memory returns.
// A view's entry also names its base, whose count of live views it holds.
class ViewHeld { constructor(readonly storage: Storage, readonly base: Tensor) {} }
const finalizer = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<Storage | ViewHeld>((h) => {
    let s: Storage;
    if (h instanceof ViewHeld) { s = h.storage; h.base.liveViews--; } else s = h;
    netRemove(s.bytes); release(s); countTensor(-1);
  })
  : null;

// Registering costs ~0.3 µs and a weak cell the GC must process, more than a small op: tensors
// reach the registry in batches, so one disposed soon after it was made (`torch.add(a, b)` then
// `dispose()`) never touches it. At most YOUNG_BATCH tensors wait, and a microtask registers the
// rest, so an unreachable tensor is held back briefly, never lost.
const YOUNG_BATCH = 256;
let young: Tensor[] = [];
function flushYoung(): void {
  const batch = young;
  young = [];
  for (const t of batch) t.registerNow();
}

function checkDims(nd: number, op: string): void {
  if (nd > MAX_DIMS) throw new RangeError(`${op}: tensors have at most ${MAX_DIMS} dims, got ${nd}`);
}

/**
 * An n-dimensional float32, int32 or bool array in WebAssembly memory that records autograd history;
 * views share its storage. Free it with `dispose()`, `using` or `torch.tidy`. PyTorch: `torch.Tensor`.
 */
export class Tensor {
  /** Always true: recognises a tensor without `instanceof`. PyTorch: `torch.is_tensor(t)`. */
  readonly isTensor = true;
  /** Survives `tidy()`: set for parameters, gradients, optimizer state and `keep()`. PyTorch: none. */
  pinned = false;
  /** Set by `nn.Parameter`; `Module.parameters()` collects such tensors. PyTorch: `isinstance(t, nn.Parameter)`. */
  isParameter = false;
  private _grad: Tensor | null = null;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;
  private _retainGrad = false;
  private _disposed = false;
  private _registered = false; // registerFinalizer() ran (the registration may wait in `young`)
  private _inRegistry = false;
  /** @internal The tensor whose storage this view shares (views of views name the first), for in-place checks; null for non-views and detach(). */
  base: Tensor | null = null;
  /** @internal Whether this view was made under noGrad (PyTorch refuses in-place writes through it with grad on). */
  viewInNoGrad = false;
  /** @internal Views of this tensor not yet disposed or collected (a recorded in-place write would leave their history stale). */
  liveViews = 0;
  /** @internal The open scope that will free this tensor (runtime/scope.ts), or null. */
  scope: unknown = null;
  /** @internal The number of the last backward that handed this tensor to a graph node as its gradient (engine.ts). */
  passedIn = 0;
  /** @internal On a saved handle: the storage version when autograd saved it, and the op that produced the tensor. */
  savedVersion = 0;
  /** @internal */
  savedFrom: string | null = null;

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
    const nd = shape.length;
    checkDims(nd, op);
    // one pass validates, counts and lays out the shape (every op's output comes through here);
    // checkAllocSize gives the error message
    const own = new Array<number>(nd), strides = new Array<number>(nd);
    let n = 1;
    for (let i = nd - 1; i >= 0; i--) {
      const d = shape[i];
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) checkAllocSize(shape, op);
      own[i] = d; strides[i] = n; n *= d;
    }
    if (n * 4 > MAX_TENSOR_BYTES) checkAllocSize(shape, op);
    return new Tensor(allocStorage(n * 4, op), own, strides, 0, dtype, true);
  }

  /** @internal A view sharing this tensor's storage; records nothing. `alias` (detach) makes it no view in PyTorch's sense. */
  view_(shape: number[], strides: number[], offset: number = this.offset, alias = false): Tensor {
    this.ptr('view'); // a view of a freed block would free it again
    checkDims(shape.length, 'view');
    const t = new Tensor(retain(this.storage), shape, strides, offset, this.dtype, true);
    if (!alias) {
      t.base = this.base ?? this;
      t.base.liveViews++;
      t.viewInNoGrad = !isGradEnabled();
    }
    return t;
  }

  /** @internal Autograd's saved handle: shares storage, joins no scope, freed by its graph node; remembers the version it saw. */
  savedHandle(): Tensor {
    const t = new Tensor(retain(this.storage), this.shape, this.strides, this.offset, this.dtype, false);
    t.pinned = true;
    t.savedVersion = this.storage.version;
    t.savedFrom = this._gradFn?.name ?? null;
    return t;
  }

  /** @internal: puts the tensor under the garbage-collection safety net (once; in the next batch, see YOUNG_BATCH). */
  registerFinalizer(): void {
    if (this._registered || this._disposed || !finalizer) return;
    this._registered = true;
    // flush before adding: a tensor is never registered inside its own constructor, where a view
    // does not know its base yet (view_ sets it after)
    if (young.length >= YOUNG_BATCH) flushYoung();
    if (young.length === 0) queueMicrotask(flushYoung);
    young.push(this);
  }
  /** @internal The registration itself, unless the tensor was disposed while it waited. */
  registerNow(): void {
    if (this._disposed) return;
    this._inRegistry = true;
    finalizer!.register(this, this.base ? new ViewHeld(this.storage, this.base) : this.storage, this);
    netAdd(this.storage.bytes);
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
  /** How many in-place writes changed this tensor's data (shared with its views). PyTorch: `torch.Tensor._version`. */
  get version(): number { return this.storage.version; }
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

  /** The value of a one-element tensor, as a number (1 or 0 for bool). PyTorch: `torch.Tensor.item`. */
  item(): number {
    if (this.numel() !== 1) throw new RangeError(`item: a Tensor with ${this.numel()} elements (shape [${this.shape.join(', ')}]) cannot be converted to a number; expected exactly one element`);
    const p = this.ptr('item');
    return this.dtype === 'float32' ? f32View(p, 1)[0] : i32View(p, 1)[0]; // bool gives 1 or 0
  }
  /** `console.log` and `util.inspect` in Node show `toString()`. PyTorch: `print(t)`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  // ---- memory ------------------------------------------------------------------------------
  /** Frees this tensor's hold on its storage now (and its grad); idempotent. PyTorch: none (`del t`). */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    if (this._inRegistry) { finalizer!.unregister(this); netRemove(this.storage.bytes); }
    if (this.base) this.base.liveViews--;
    release(this.storage);
    countTensor(-1);
    const g = this._grad;
    if (g) { this._grad = null; g.dispose(); }
  }
  /** `using t = ...` disposes the tensor when the block ends. PyTorch: none. */
  [Symbol.dispose](): void { this.dispose(); }

  // ---- autograd ----------------------------------------------------------------------------
  /** The gradient `backward()` accumulated into this tensor, or null. PyTorch: `torch.Tensor.grad`. */
  get grad(): Tensor | null { return this._grad; }
  /**
   * Assigns the gradient: null (or undefined), or a tensor of this tensor's shape and dtype, which
   * the tensor then owns (it survives `tidy()`); the gradient it replaces is freed, as `zeroGrad()`
   * frees it. PyTorch: `t.grad = g`.
   */
  set grad(g: Tensor | null | undefined) {
    if (g === undefined || g === null) { this.setGrad(null); return; }
    if (typeof g !== 'object' || (g as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`grad: assigned grad expected to be a Tensor or null but got ${describeValue(g)}`);
    if (g === this) throw new Error("grad: can't assign a tensor as its own grad (PyTorch: can't assign Variable as its own grad)");
    if (g.isDisposed) throw new Error(`grad: the assigned tensor of shape ${fmt(g.shape)} was disposed and cannot be used`);
    if (!sameShape(g.shape, this.shape)) throw new RangeError(`grad: assigned grad has data of a different size: got shape ${fmt(g.shape)}, the tensor has shape ${fmt(this.shape)}`);
    if (g.dtype !== this.dtype) throw new TypeError(`grad: assigned grad has data of a different type: got ${g.dtype}, the tensor is ${this.dtype}`);
    this.setGrad(g);
  }
  /** @internal Replaces the gradient unchecked (autograd's accumulate): pins the new one, frees the old one. */
  setGrad(g: Tensor | null): void {
    const old = this._grad;
    if (old === g) return;
    if (g) g.pinned = true;
    this._grad = g;
    if (old) old.dispose();
  }
  /** Whether autograd records operations on this tensor. PyTorch: `torch.Tensor.requires_grad`. */
  get requiresGrad(): boolean { return this._requiresGrad; }
  /** Sets `requiresGrad` on a leaf (float32 only). PyTorch: `t.requires_grad = flag`. */
  set requiresGrad(flag: boolean) {
    if (typeof flag !== 'boolean') throw new TypeError(`requiresGrad: expected a boolean, got ${describeValue(flag)}`);
    if (!this.isLeaf) throw new Error('requiresGrad: can only be set on leaf tensors; use detach() to make a leaf from a computed tensor');
    if (flag && this.dtype !== 'float32') throw new TypeError(`requiresGrad: only float32 tensors can require gradients, got ${this.dtype}`);
    this._requiresGrad = flag;
  }
  /** Sets `requiresGrad` and returns this tensor. PyTorch: `torch.Tensor.requires_grad_`. */
  requiresGrad_(flag = true): this {
    if (typeof flag !== 'boolean') throw new TypeError(`requiresGrad_: expected a boolean, got ${describeValue(flag)}`);
    this.requiresGrad = flag;
    return this;
  }
  /** The graph node that produced this tensor (named as PyTorch's, e.g. `MulBackward0`), null for leaves. PyTorch: `torch.Tensor.grad_fn`. */
  get gradFn(): Node | null { return this._gradFn; }
  /** True when no recorded operation produced this tensor. PyTorch: `torch.Tensor.is_leaf`. */
  get isLeaf(): boolean { return this._gradFn === null; }
  /** Whether `retainGrad()` was called on this non-leaf. PyTorch: `torch.Tensor.retains_grad`. */
  get retainsGrad(): boolean { return this._retainGrad; }
  /** Keeps .grad on a non-leaf tensor after backward (no-op on leaves, as in PyTorch). PyTorch: `torch.Tensor.retain_grad`. */
  retainGrad(): void {
    if (arguments.length > 0) throw new TypeError(`retainGrad: takes no arguments, got ${arguments.length}`);
    if (!this.isLeaf) this._retainGrad = true;
  }
  /** @internal: the recording function's hook. */
  setGradFn(node: Node): void { this._gradFn = node; this._requiresGrad = true; }
}
