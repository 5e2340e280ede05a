// Embedding lookup: rows of a [V, D] weight picked by int32 indices of any shape. Forward is
// indexing's indexSelect kernel; backward adds the gradient's rows at their indices (repeated
// indices accumulate, the padding row gets none) in assembly/embedding.ts; maxNorm renormalizes
// the looked-up rows of the weight in place first, outside the graph, as PyTorch.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { i32View } from '../runtime/storage.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { fmt } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense } from './movement.js';

/** Options of `embedding`. PyTorch: the keyword arguments of `F.embedding`. */
export interface EmbeddingOptions {
  /** The row that gets no gradient (negative counts from the end). PyTorch: `padding_idx`. */
  paddingIdx?: number | null;
  /** Rows looked up whose `normType`-norm exceeds this are rescaled to it in place first. PyTorch: `max_norm`. */
  maxNorm?: number | null;
  /** The p of maxNorm's norm (default 2; Infinity for the largest |x|). PyTorch: `norm_type`. */
  normType?: number;
  /** Scale each row's gradient by 1/(its index's count in the batch) (default false). PyTorch: `scale_grad_by_freq`. */
  scaleGradByFreq?: boolean;
  /** Sparse gradients: only false is supported (gradients are dense). PyTorch: `sparse`. */
  sparse?: boolean;
}

/** @internal The option checks, shared with nn.Embedding. */
export const EMBEDDING_KEYS = {
  paddingIdx: (v: unknown) => (v === null || Number.isInteger(v) ? null : 'an integer or null'),
  maxNorm: (v: unknown) => (v === null || (typeof v === 'number' && v > 0) ? null : 'a number > 0 or null'),
  normType: (v: unknown) => (typeof v === 'number' && v > 0 ? null : 'a number > 0'),
  scaleGradByFreq: 'boolean',
  sparse: 'boolean',
} as const;

/** paddingIdx in [−V, V) as a row number, or −1 for none (PyTorch's "Padding_idx must be within num_embeddings"). */
export function paddingIdxArg(paddingIdx: number | null | undefined, V: number, op: string): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1;
  if (!Number.isInteger(paddingIdx)) throw new TypeError(`${op}: paddingIdx must be an integer or null, got ${describeValue(paddingIdx)}`);
  if (paddingIdx >= V || paddingIdx < -V) throw new RangeError(`${op}: Padding_idx must be within num_embeddings: got paddingIdx ${paddingIdx} for ${V} embeddings (expected −${V} ≤ paddingIdx < ${V})`);
  return paddingIdx < 0 ? V + paddingIdx : paddingIdx;
}

/**
 * The rows of `weight` ([V, D]) at the int32 `input` indices (any shape): the result has shape
 * [...input.shape, D]. An index outside [0, V) is a RangeError before anything is written.
 * PyTorch: `F.embedding`.
 */
export function embedding(input: Tensor, weight: Tensor, options?: EmbeddingOptions): Tensor {
  const op = 'embedding';
  for (const [t, what] of [[input, 'input'], [weight, 'weight']] as const) {
    if (t === null || typeof t !== 'object' || (t as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(t)}`);
    t.ptr(op);
  }
  if (input.dtype !== 'int32') {
    throw new TypeError(`${op}: Expected tensor for argument #1 'indices' to have one of the following scalar types: Int (int32; PyTorch's Long indices are int32 in wasmtorch); but got ${input.dtype} of shape ${fmt(input.shape)}`);
  }
  if (weight.dtype !== 'float32') throw new TypeError(`${op}: weight must be a float32 tensor, got ${weight.dtype} of shape ${fmt(weight.shape)}`);
  if (weight.ndim !== 2) throw new RangeError(`${op}: 'weight' must be 2-D, got shape ${fmt(weight.shape)}`);
  const o = checkOptions(op, options, EMBEDDING_KEYS);
  if (o.sparse === true) throw new TypeError(`${op}: sparse gradients are not supported (sparse: true); wasmtorch's gradients are dense`);
  const [V, D] = weight.shape;
  const pad = paddingIdxArg(o.paddingIdx, V, op);
  const maxNorm = o.maxNorm ?? null, normType = o.normType ?? 2;
  const scaleByFreq = o.scaleGradByFreq ?? false;
  const idx = dense(input);
  const n = idx.numel();
  if (n > 0) {
    const p = idx.ptr(op);
    const bad = K().indexCheck(p, n, V);
    if (bad >= 0) {
      const value = i32View(p, n)[bad];
      if (idx !== input) idx.dispose();
      throw new RangeError(`${op}: index ${value} is out of range for ${V} embeddings (expected 0 ≤ index < ${V}; element ${bad} of the input of shape ${fmt(input.shape)}); PyTorch: index out of range in self`);
    }
  }
  if (maxNorm !== null && n > 0) {
    // in place on the weight, outside the graph (PyTorch's embedding_renorm_ under no_grad)
    if (!weight.isContiguous()) {
      if (idx !== input) idx.dispose();
      throw new TypeError(`${op}: maxNorm renormalizes the weight in place and needs a contiguous weight, got strides ${fmt(weight.strides)}`);
    }
    const seen = Tensor.empty([V], 'int32', op);
    K().embeddingRenorm(weight.ptr(op), idx.ptr(op), n, D, V, maxNorm, normType, seen.ptr(op));
    seen.dispose();
    weight.storage.version++; // an in-place write, as PyTorch's embedding_renorm_ (a graph that saved the weight sees it)
  }
  const wc = dense(weight);
  const out = Tensor.empty([...input.shape, D], 'float32', op);
  if (n > 0 && D > 0) K().indexSelect(wc.ptr(op), idx.ptr(op), out.ptr(op), 1, V, D, n);
  if (wc !== weight) wc.dispose();
  if (needsGrad(weight)) {
    const si = save(idx);
    record('EmbeddingBackward0', out, [weight], (g) => {
      const gc = dense(g);
      const dw = Tensor.empty([V, D], 'float32', 'backward');
      const counts = scaleByFreq ? Tensor.empty([V], 'int32', 'backward') : null;
      K().embeddingBackward(gc.ptr('backward'), si.ptr('backward'), dw.ptr('backward'), n, D, V, pad, counts ? counts.ptr('backward') : 0);
      counts?.dispose();
      if (gc !== g) gc.dispose();
      return [dw];
    }, [si]);
  }
  if (idx !== input) idx.dispose();
  return out;
}
