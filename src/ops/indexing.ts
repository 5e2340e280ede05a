// Indexing: narrow and select (zero-copy views), indexSelect, gather, scatter, scatterAdd,
// tril and triu, each with its gradient. Indices are int32 tensors (PyTorch's are int64); every
// index is checked against the size it addresses (kernel indexCheck) before anything is
// allocated or written, and an out-of-range one is a RangeError naming the index and the size.
import { Tensor, type DType } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { writeMeta, i32View } from '../runtime/storage.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { fmt, normDim, numelOf, aroundDim, contiguousStrides, sameShape } from '../shape.js';
import { dense, copyInto } from './movement.js';
import { checkInt32Value } from './create.js';

// Modes of the kernels (assembly/indexing.ts).
const COPY_BITS = 0, COPY_I32_F32 = 1;
const SCATTER_SET = 0, SCATTER_ADD_F32 = 1, SCATTER_ADD_I32 = 2, SCATTER_VALUE = 3, SCATTER_OR = 4;

// ---- shared helpers (join.ts uses them too) --------------------------------------------------

/** Throws a TypeError unless v is an integer number; `what` names the argument. */
/** The value after its type in a message: ` "1"`, ` 3`, ` (an array of 2)`; nothing for other values. */
function shown(v: unknown): string {
  if (typeof v === 'string') return ` ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return ` ${v}`;
  return Array.isArray(v) ? ` (an array of ${v.length})` : '';
}

export function intArg(v: unknown, what: string, op: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${op}: ${what} must be an integer, got ${typeof v === 'number' ? v : `${typeof v}${shown(v)}`}`);
  return v;
}

/** Throws a TypeError unless t is a live tensor; `what` names the argument. */
export function tensorArg(t: unknown, what: string, op: string): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${t === null ? 'null' : typeof t}${shown(t)}`);
  t.ptr(op);
  return t;
}

/**
 * Copies the elements at `src` (byte address, element strides `srcStrides`) to `dst` (element
 * strides `dstStrides`), both of `shape`; int32/bool → float32 when `toFloat`.
 */
export function stridedCopy(src: number, srcStrides: readonly number[], dst: number, dstStrides: readonly number[],
                            shape: readonly number[], toFloat = false): void {
  if (numelOf(shape) === 0) return;
  const nd = shape.length;
  const meta = nd === 0 ? 0 : writeMeta([shape, srcStrides, dstStrides]);
  K().copyToStrided(src, dst, nd, meta, toFloat ? COPY_I32_F32 : COPY_BITS);
}

/** A new contiguous tensor of zeros (no graph). */
export function zerosOf(shape: readonly number[], dtype: DType, op: string): Tensor {
  const out = Tensor.empty(shape, dtype, op);
  K().fill(out.ptr(op), out.numel(), 0);
  return out;
}

/** A view of t (shape, strides, offset) whose gradient `back` maps the view's gradient to t's. */
function viewOf(t: Tensor, shape: number[], strides: number[], offset: number, op: string,
                gradName: string, back: (g: Tensor) => Tensor): Tensor {
  t.ptr(op);
  const out = t.view_(shape, strides, offset);
  if (needsGrad(t)) record(gradName, out, [t], (g) => [back(g)]);
  return out;
}

/** Zeros of inShape with g written into the slab [start, start + g.shape[d]) of dim d. */
function embedSlice(g: Tensor, inShape: readonly number[], d: number, start: number): Tensor {
  const out = zerosOf(inShape, 'float32', 'backward');
  const cs = contiguousStrides(inShape);
  stridedCopy(g.ptr('backward'), g.strides, out.ptr('backward') + start * cs[d] * 4, cs, g.shape);
  return out;
}

/** @internal Elements [start, start + length) of dim d (already normalised) as a view. */
export function sliceView(t: Tensor, d: number, start: number, length: number, op: string, gradName: string): Tensor {
  const shape = [...t.shape], inShape = [...t.shape];
  shape[d] = length;
  return viewOf(t, shape, [...t.strides], t.offset + start * t.strides[d], op, gradName,
    (g) => embedSlice(g, inShape, d, start));
}

/** The index tensor of an indexing op: an int32 tensor (PyTorch's int64 indices are int32 here). */
function indexArg(index: unknown, op: string): Tensor {
  const t = tensorArg(index, 'index', op);
  if (t.dtype !== 'int32') {
    throw new TypeError(`${op}: index must be an int32 tensor (PyTorch's int64 indices are int32 in wasmtorch), got ${t.dtype} of shape ${fmt(t.shape)}`);
  }
  return t;
}

/** Checks every element of the contiguous index against [0, size); a RangeError names the first bad one. */
function checkBounds(idx: Tensor, size: number, d: number, op: string): void {
  const n = idx.numel();
  if (n === 0) return;
  const p = idx.ptr(op);
  const bad = K().indexCheck(p, n, size);
  if (bad < 0) return;
  const value = i32View(p, n)[bad];
  const pos: number[] = [];
  let rest = bad;
  for (let i = idx.ndim - 1; i >= 0; i--) { pos.unshift(rest % idx.shape[i]); rest = Math.floor(rest / idx.shape[i]); }
  throw new RangeError(`${op}: index ${value} is out of bounds for dimension ${d} with size ${size} (at position ${fmt(pos)} of the index; indices must be in [0, ${size - 1}])`);
}

// ---- narrow / select ---------------------------------------------------------------------------

/** `length` elements of dimension `dim` from `start` (negative counts from the end), as a view. PyTorch: `torch.narrow`. */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const op = 'narrow';
  tensorArg(t, 'input', op);
  if (t.ndim === 0) throw new RangeError('narrow: cannot be applied to a 0-dim tensor');
  const d = normDim(intArg(dim, 'dim', op), t.ndim, op);
  intArg(start, 'start', op); intArg(length, 'length', op);
  const size = t.shape[d];
  if (start < -size || start > size) {
    throw new RangeError(`narrow: start ${start} is out of range for dimension ${d} of size ${size} (expected in [${-size}, ${size}])`);
  }
  const s = start < 0 ? start + size : start;
  if (length < 0 || s + length > size) {
    throw new RangeError(`narrow: start (${s}) + length (${length}) exceeds dimension ${d} of size ${size} (length must be in [0, ${size - s}])`);
  }
  return sliceView(t, d, s, length, op, 'SliceBackward0');
}

/** The slice at `index` of dimension `dim` (negative counts from the end), that dim removed, as a view. PyTorch: `torch.select`. */
export function select(t: Tensor, dim: number, index: number): Tensor {
  const op = 'select';
  tensorArg(t, 'input', op);
  if (t.ndim === 0) throw new RangeError('select: cannot be applied to a 0-dim tensor');
  const d = normDim(intArg(dim, 'dim', op), t.ndim, op);
  intArg(index, 'index', op);
  const size = t.shape[d];
  if (index < -size || index >= size) {
    throw new RangeError(`select: index ${index} is out of range for dimension ${d} with size ${size} (shape ${fmt(t.shape)}; expected in [${-size}, ${size - 1}])`);
  }
  const i = index < 0 ? index + size : index;
  const inShape = [...t.shape];
  const shape = t.shape.filter((_, k) => k !== d), strides = t.strides.filter((_, k) => k !== d);
  return viewOf(t, shape, strides, t.offset + i * t.strides[d], op, 'SelectBackward0', (g) => {
    // g lacks dim d: read it as a size-1 slab there
    const gs = [...g.shape], gst = [...g.strides];
    gs.splice(d, 0, 1); gst.splice(d, 0, 0);
    const out = zerosOf(inShape, 'float32', 'backward');
    const cs = contiguousStrides(inShape);
    stridedCopy(g.ptr('backward'), gst, out.ptr('backward') + i * cs[d] * 4, cs, gs);
    return out;
  });
}

// ---- indexSelect -------------------------------------------------------------------------------

/** The entries of dimension `dim` at the int32 indices of the 1-D `index`, in that order (a copy). PyTorch: `torch.index_select`. */
export function indexSelect(t: Tensor, dim: number, index: Tensor): Tensor {
  const op = 'indexSelect';
  tensorArg(t, 'input', op);
  const idx = indexArg(index, op);
  if (idx.ndim > 1) throw new RangeError(`indexSelect: index must be 1-D (or 0-D), got shape ${fmt(idx.shape)}`);
  const d = normDim(intArg(dim, 'dim', op), t.ndim, op);
  const shape = t.ndim === 0 ? [1] : [...t.shape];
  const nIdx = idx.numel();
  if (t.ndim === 0 && nIdx !== 1) throw new RangeError(`indexSelect: a 0-dim input takes exactly one index, got ${nIdx}`);
  const ic = dense(idx);
  try {
    checkBounds(ic, shape[d], d, op);
  } catch (e) {
    if (ic !== idx) ic.dispose();
    throw e;
  }
  const [outer, n, inner] = aroundDim(shape, d);
  const outShape = t.ndim === 0 ? [] : shape.map((s, k) => (k === d ? nIdx : s));
  const tc = dense(t);
  const out = Tensor.empty(outShape, t.dtype, op);
  if (out.numel() > 0) K().indexSelect(tc.ptr(op), ic.ptr(op), out.ptr(op), outer, n, inner, nIdx);
  if (tc !== t) tc.dispose();
  if (needsGrad(t)) {
    const si = save(ic), inShape = [...t.shape];
    record('IndexSelectBackward0', out, [t], (g) => {
      const gc = dense(g);
      const gi = zerosOf(inShape, 'float32', 'backward');
      if (gc.numel() > 0) K().indexAdd(gc.ptr('backward'), si.ptr('backward'), gi.ptr('backward'), outer, n, inner, nIdx);
      if (gc !== g) gc.dispose();
      return [gi];
    }, [si]);
  }
  if (ic !== idx) ic.dispose();
  return out;
}

// ---- gather / scatter / scatterAdd -------------------------------------------------------------

/** Shapes seen by the kernels: a 0-dim tensor as [1]. */
const atLeast1 = (s: readonly number[]): number[] => (s.length === 0 ? [1] : [...s]);
const stridesAtLeast1 = (t: Tensor): number[] => (t.ndim === 0 ? [1] : [...t.strides]);

/** Validates dim and the index (and src) shapes of gather/scatter; returns the normalised dim. */
function checkScatterShapes(t: Tensor, dim: number, idx: Tensor, src: Tensor | null, op: string): number {
  const nd = Math.max(t.ndim, 1);
  if (Math.max(idx.ndim, 1) !== nd) {
    throw new RangeError(`${op}: index must have as many dims as the input: index of shape ${fmt(idx.shape)} has ${idx.ndim}, input of shape ${fmt(t.shape)} has ${t.ndim}`);
  }
  if (src && Math.max(src.ndim, 1) !== nd) {
    throw new RangeError(`${op}: src must have as many dims as the input: src of shape ${fmt(src.shape)} has ${src.ndim}, input of shape ${fmt(t.shape)} has ${t.ndim}`);
  }
  const d = normDim(intArg(dim, 'dim', op), t.ndim, op);
  const ts = atLeast1(t.shape), is = atLeast1(idx.shape), ss = src ? atLeast1(src.shape) : null;
  for (let k = 0; k < nd; k++) {
    if (k !== d && is[k] > ts[k]) {
      throw new RangeError(`${op}: index of shape ${fmt(idx.shape)} is larger than the input of shape ${fmt(t.shape)} at dimension ${k} (expected index.size(k) <= input.size(k) for every k except dim ${d})`);
    }
    if (ss && is[k] > ss[k]) {
      throw new RangeError(`${op}: index of shape ${fmt(idx.shape)} is larger than src of shape ${fmt(src!.shape)} at dimension ${k} (expected index.size(k) <= src.size(k))`);
    }
  }
  return d;
}

/** The dense index, bounds-checked against dim d of t (the temporary is freed on failure). */
function checkedIndex(idx: Tensor, size: number, d: number, op: string): Tensor {
  const ic = dense(idx);
  try {
    checkBounds(ic, size, d, op);
  } catch (e) {
    if (ic !== idx) ic.dispose();
    throw e;
  }
  return ic;
}

/** out (of the index's shape) = src[index replacing coordinate d]; src read with its own strides. */
function gatherRaw(src: Tensor, d: number, ic: Tensor, op: string): Tensor {
  const out = Tensor.empty(ic.shape, src.dtype, op);
  if (out.numel() > 0) {
    const is = atLeast1(ic.shape);
    K().gather(src.ptr(op), ic.ptr(op), out.ptr(op), is.length, d, writeMeta([is, stridesAtLeast1(src)]));
  }
  return out;
}

/** Scatters into the contiguous dst by mode, reading src (index-shaped or larger) with its strides. */
function scatterRaw(dst: Tensor, d: number, ic: Tensor, src: Tensor | null, mode: number, value: number, op: string): void {
  if (ic.numel() === 0) return;
  const is = atLeast1(ic.shape);
  const meta = writeMeta([is, contiguousStrides(atLeast1(dst.shape)), src ? stridesAtLeast1(src) : is.map(() => 0)]);
  K().scatter(dst.ptr(op), ic.ptr(op), src ? src.ptr(op) : dst.ptr(op), is.length, d, meta, mode, value);
}

/** The gradient of a scatter's src: g gathered at the index, zero where src has more elements than the index. */
function srcGrad(g: Tensor, d: number, idx: Tensor, srcShape: readonly number[]): Tensor {
  const gathered = gatherRaw(g, d, idx, 'backward');
  if (sameShape(srcShape, idx.shape)) return gathered;
  const out = zerosOf(srcShape, 'float32', 'backward');
  const cs = contiguousStrides(atLeast1(srcShape));
  stridedCopy(gathered.ptr('backward'), contiguousStrides(atLeast1(idx.shape)), out.ptr('backward'), cs, atLeast1(idx.shape));
  gathered.dispose();
  return out;
}

/** The values of `t` along `dim` at the int32 `index` (same number of dims; the output has its shape). PyTorch: `torch.gather`. */
export function gather(t: Tensor, dim: number, index: Tensor): Tensor {
  const op = 'gather';
  tensorArg(t, 'input', op);
  const idx = indexArg(index, op);
  const d = checkScatterShapes(t, dim, idx, null, op);
  const ic = checkedIndex(idx, atLeast1(t.shape)[d], d, op);
  const out = gatherRaw(t, d, ic, op);
  if (needsGrad(t)) {
    const si = save(ic), inShape = [...t.shape];
    record('GatherBackward0', out, [t], (g) => {
      const gi = zerosOf(inShape, 'float32', 'backward');
      scatterRaw(gi, d, si, g, SCATTER_ADD_F32, 0, 'backward');
      return [gi];
    }, [si]);
  }
  if (ic !== idx) ic.dispose();
  return out;
}

/** The 4 bytes of a number as an element of `dtype` (float bits, truncated int32, or 0/1). */
function valueBits(value: number, dtype: DType): number {
  if (dtype === 'int32') return Math.trunc(value) | 0;
  if (dtype === 'bool') return value !== 0 ? 1 : 0;
  const f = new Float32Array([value]);
  return new Int32Array(f.buffer)[0];
}

function scatterImpl(t: Tensor, dim: number, index: Tensor, src: Tensor | number, add: boolean): Tensor {
  const op = add ? 'scatterAdd' : 'scatter';
  tensorArg(t, 'input', op);
  const idx = indexArg(index, op);
  let srcT: Tensor | null = null;
  if (typeof src === 'number') {
    if (add) throw new TypeError('scatterAdd: src must be a Tensor, got number');
    if (t.dtype === 'int32') checkInt32Value(src, op); // truncates toward zero when it fits, as PyTorch
  } else {
    srcT = tensorArg(src, 'src', op);
    if (srcT.dtype !== t.dtype) throw new TypeError(`${op}: src (${srcT.dtype}) must have the input's dtype (${t.dtype})`);
  }
  const d = checkScatterShapes(t, dim, idx, srcT, op);
  const ic = checkedIndex(idx, atLeast1(t.shape)[d], d, op);
  const out = Tensor.empty(t.shape, t.dtype, op);
  copyInto(t, out, op);
  const mode = add ? (t.dtype === 'float32' ? SCATTER_ADD_F32 : t.dtype === 'int32' ? SCATTER_ADD_I32 : SCATTER_OR) : srcT ? SCATTER_SET : SCATTER_VALUE;
  scatterRaw(out, d, ic, srcT, mode, srcT ? 0 : valueBits(src as number, t.dtype), op);
  const inputs = srcT ? [t, srcT] : [t];
  if (needsGrad(...inputs)) {
    const si = save(ic), srcShape = srcT ? [...srcT.shape] : [];
    const name = add ? 'ScatterAddBackward0' : srcT ? 'ScatterBackward0' : 'ScatterBackward1';
    record(name, out, inputs, (g, needs) => {
      let gSelf: Tensor | null = null;
      if (needs[0]) {
        gSelf = Tensor.empty(g.shape, 'float32', 'backward');
        copyInto(g, gSelf, 'backward');
        // scatter overwrote those positions: no gradient flows to the input there
        if (!add) scatterRaw(gSelf, d, si, null, SCATTER_VALUE, 0, 'backward');
      }
      const gSrc = srcT && needs[1] ? srcGrad(g, d, si, srcShape) : null;
      return srcT ? [gSelf, gSrc] : [gSelf];
    }, [si]);
  }
  if (ic !== idx) ic.dispose();
  return out;
}

/**
 * A copy of `t` with `src` (a tensor at least the index's size, or a number) written at the int32
 * `index` along `dim`; repeated indices keep the last write. PyTorch: `torch.scatter`.
 */
export function scatter(t: Tensor, dim: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterImpl(t, dim, index, src, false);
}

/** A copy of `t` with `src` added at the int32 `index` along `dim` (or-ed for bool); repeated indices accumulate. PyTorch: `torch.scatter_add`. */
export function scatterAdd(t: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterImpl(t, dim, index, src, true);
}

// ---- tril / triu -------------------------------------------------------------------------------

function triangle(t: Tensor, diagonal: number, upper: boolean): Tensor {
  const op = upper ? 'triu' : 'tril';
  tensorArg(t, 'input', op);
  if (t.ndim < 2) throw new RangeError(`${op}: expected a tensor of at least 2 dims (a matrix or a batch of matrices), got shape ${fmt(t.shape)}`);
  intArg(diagonal, 'diagonal', op);
  const rows = t.shape[t.ndim - 2], cols = t.shape[t.ndim - 1];
  const batch = t.numel() === 0 ? 0 : t.numel() / (rows * cols);
  // past ±(rows + cols) every diagonal keeps all or nothing; clamping keeps the kernel's i32 sums small
  const k = Math.max(-(rows + 1), Math.min(cols + 1, diagonal));
  const apply = (x: Tensor, name: string): Tensor => {
    const xc = dense(x);
    const out = Tensor.empty(x.shape, x.dtype, name);
    if (out.numel() > 0) K().triMask(xc.ptr(name), out.ptr(name), batch, rows, cols, k, upper ? 1 : 0);
    if (xc !== x) xc.dispose();
    return out;
  };
  const out = apply(t, op);
  if (needsGrad(t)) record(upper ? 'TriuBackward0' : 'TrilBackward0', out, [t], (g) => [apply(g, 'backward')]);
  return out;
}

/** The lower triangle of the last two dims (on and below `diagonal`), the rest zero. PyTorch: `torch.tril`. */
export const tril = (t: Tensor, diagonal = 0): Tensor => triangle(t, diagonal, false);
/** The upper triangle of the last two dims (on and above `diagonal`), the rest zero. PyTorch: `torch.triu`. */
export const triu = (t: Tensor, diagonal = 0): Tensor => triangle(t, diagonal, true);

// ---- as Tensor methods (declared here beside the ops, bound in src/methods.ts) ------------------
declare module '../tensor.js' {
  interface Tensor {
    /** `length` elements of dimension `dim` from `start` (negative counts from the end), as a view. PyTorch: `torch.Tensor.narrow`. */
    narrow(dim: number, start: number, length: number): Tensor;
    /** The slice at `index` of dimension `dim`, that dim removed, as a view. PyTorch: `torch.Tensor.select`. */
    select(dim: number, index: number): Tensor;
    /** The entries of dimension `dim` at the int32 indices of the 1-D `index` (a copy). PyTorch: `torch.Tensor.index_select`. */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** The values along `dim` at the int32 `index` (same number of dims; the output has its shape). PyTorch: `torch.Tensor.gather`. */
    gather(dim: number, index: Tensor): Tensor;
    /** A copy with `src` (tensor or number) written at the int32 `index` along `dim`. PyTorch: `torch.Tensor.scatter`. */
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    /** A copy with `src` added at the int32 `index` along `dim`, repeated indices accumulating. PyTorch: `torch.Tensor.scatter_add`. */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /** The lower triangle of the last two dims (on and below `diagonal`), the rest zero. PyTorch: `torch.Tensor.tril`. */
    tril(diagonal?: number): Tensor;
    /** The upper triangle of the last two dims (on and above `diagonal`), the rest zero. PyTorch: `torch.Tensor.triu`. */
    triu(diagonal?: number): Tensor;
  }
}
