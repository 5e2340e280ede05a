// Fused losses: MSE and L1 (one pass each way), cross-entropy with class indices (ignoreIndex)
// or with probabilities. 'mean' and 'sum' reduce inside the kernels' callers; 'none' keeps
// one value per element (per sample for cross-entropy).
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { i32View } from '../runtime/storage.js';
import { Unary, Reduce } from '../runtime/kernels.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { noGrad } from '../autograd/grad_mode.js';
import { fmt, sameShape, numelOf } from '../shape.js';
import { dense, permute, reshape } from './movement.js';
import { assertFloat, mul } from './elementwise.js';

/** How a loss reduces: `'mean'` (the default), `'sum'` or `'none'` (one value per element or sample). PyTorch: `reduction`. */
export type Reduction = 'mean' | 'sum' | 'none';
/** `reduction`: 'mean' (default), 'sum' or 'none'. PyTorch: the `reduction` keyword. */
export interface LossOptions { reduction?: Reduction }

function reductionOf(options: LossOptions | undefined, op: string): Reduction {
  const r = options?.reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new RangeError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(r)}'`);
  return r;
}

function pointwise(kind: 0 | 1, input: Tensor, target: Tensor, options: LossOptions | undefined, op: string, gradName: string): Tensor {
  assertFloat(input, op); assertFloat(target, op);
  const reduction = reductionOf(options, op);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: input of shape ${fmt(input.shape)} and target of shape ${fmt(target.shape)} must have the same shape`);
  }
  const a = dense(input), b = dense(target);
  const n = a.numel();
  const out = Tensor.empty(reduction === 'none' ? input.shape : [], 'float32', op);
  const k = K();
  if (reduction === 'none') k.pointwiseLoss(kind, a.ptr(op), b.ptr(op), out.ptr(op), n);
  else {
    k.pointwiseLossSum(kind, a.ptr(op), b.ptr(op), out.ptr(op), n);
    if (reduction === 'mean') k.unary(Unary.affine, out.ptr(op), out.ptr(op), 1, 1 / n, 0); // ×1/n
  }
  if (needsGrad(input, target)) {
    const sa = save(a), sb = save(b);
    const scale = reduction === 'mean' ? 1 / n : 1;
    record(gradName, out, [input, target], (g, needs) => {
      const gc = dense(g);
      const da = Tensor.empty(sa.shape, 'float32', 'backward');
      k.pointwiseLossBackward(kind, sa.ptr('backward'), sb.ptr('backward'), gc.ptr('backward'),
        reduction === 'none' ? 1 : 0, da.ptr('backward'), n, scale);
      if (gc !== g) gc.dispose();
      return [needs[0] ? da : null, needs[1] ? mul(da, -1) : null];
    }, [sa, sb]);
  }
  if (a !== input) a.dispose();
  if (b !== target) b.dispose();
  return out;
}

/** Mean squared error between input and target (same shapes). PyTorch: `F.mse_loss`. */
export const mseLoss = (input: Tensor, target: Tensor, options?: LossOptions): Tensor =>
  pointwise(0, input, target, options, 'mseLoss', 'MseLossBackward0');
/** Mean absolute error between input and target (same shapes). PyTorch: `F.l1_loss`. */
export const l1Loss = (input: Tensor, target: Tensor, options?: LossOptions): Tensor =>
  pointwise(1, input, target, options, 'l1Loss', 'L1LossBackward0');

/** `reduction`, and `ignoreIndex`: a class-index target that adds nothing (default −100). PyTorch: `ignore_index`. */
export interface CrossEntropyOptions extends LossOptions { ignoreIndex?: number }

/** Logits [N, C, d1, ...] (or [C]) as rows of C: a contiguous [rows, C] tensor. */
function rowsOfClasses(input: Tensor): Tensor {
  if (input.ndim <= 2) return dense(input);
  const dims = [0, ...Array.from({ length: input.ndim - 2 }, (_, i) => i + 2), 1];
  const p = noGrad(() => permute(input, dims));
  const c = dense(p);
  if (c !== p) p.dispose();
  return c;
}

/**
 * Cross-entropy of logits [N, C] (or [C], or [N, C, d1, ...]) against int32 class indices [N]
 * ([], [N, d1, ...]) or float probabilities of the input's shape. PyTorch: `F.cross_entropy`.
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor {
  const op = 'crossEntropy';
  assertFloat(input, op);
  const reduction = reductionOf(options, op);
  const ignoreIndex = options?.ignoreIndex ?? -100;
  if (input.ndim === 0) throw new RangeError(`${op}: input must have at least 1 dim (classes), got shape ${fmt(input.shape)}`);
  const C = input.ndim === 1 ? input.shape[0] : input.shape[1];
  const probs = target.dtype === 'float32';
  const sampleShape = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (probs) {
    if (!sameShape(input.shape, target.shape)) throw new RangeError(`${op}: probability targets must have the input's shape ${fmt(input.shape)}, got ${fmt(target.shape)}`);
  } else if (!sameShape(target.shape, sampleShape)) {
    throw new RangeError(`${op}: class-index targets for input of shape ${fmt(input.shape)} must have shape ${fmt(sampleShape)}, got ${fmt(target.shape)}`);
  }
  const rows = numelOf(sampleShape);
  const t = probs ? rowsOfClasses(target) : dense(target);
  let valid = rows;
  if (!probs) {
    const tv = i32View(t.ptr(op), rows);
    valid = 0;
    for (let i = 0; i < rows; i++) {
      const c = tv[i];
      if (c === ignoreIndex) continue;
      if (c < 0 || c >= C) {
        if (t !== target) t.dispose();
        throw new RangeError(`${op}: target ${c} at position ${i} is out of bounds for ${C} classes (expected in [0, ${C - 1}] or ignoreIndex ${ignoreIndex})`);
      }
      valid++;
    }
  }
  const x = rowsOfClasses(input);
  const k = K();
  const perRow = Tensor.empty(sampleShape, 'float32', op);
  const logp = Tensor.empty([rows, C], 'float32', op);
  if (probs) k.crossEntropyProbs(x.ptr(op), t.ptr(op), perRow.ptr(op), logp.ptr(op), rows, C);
  else k.crossEntropy(x.ptr(op), t.ptr(op), perRow.ptr(op), logp.ptr(op), rows, C, ignoreIndex);
  if (x !== input) x.dispose();
  let out = perRow;
  const divisor = reduction === 'mean' ? (probs ? rows : valid) : 1;
  if (reduction !== 'none') {
    out = Tensor.empty([], 'float32', op);
    k.reduce(Reduce.sum, perRow.ptr(op), out.ptr(op), 1, rows, 1);
    // PyTorch: a mean over zero valid targets is NaN (0/0)
    k.unary(Unary.affine, out.ptr(op), out.ptr(op), 1, 1 / divisor, 0);
    perRow.dispose();
  }
  const targetNeeds = probs && needsGrad(target);
  if (needsGrad(input) || targetNeeds) {
    const st = t === target ? save(t) : t.savedHandle();
    const sl = logp.savedHandle();
    const inShape = [...input.shape];
    // rows are [N, d1, ..., C]: move classes back to dim 1 for inputs of more than 2 dims
    const toInputLayout = (r: Tensor): Tensor => {
      if (inShape.length <= 2) return reshape(r, inShape);
      const nd = inShape.length;
      const v = reshape(r, [inShape[0], ...inShape.slice(2), C]);
      return permute(v, [0, nd - 1, ...Array.from({ length: nd - 2 }, (_, i) => i + 1)]);
    };
    const inputs = targetNeeds ? [input, target] : [input];
    record(probs ? 'CrossEntropyLossBackward0' : 'NllLossBackward0', out, inputs, (g, needs) => {
      const gc = dense(g);
      const gs = reduction === 'none' ? 1 : 0, scale = 1 / divisor;
      let dx: Tensor | null = null;
      if (needs[0]) {
        dx = Tensor.empty([rows, C], 'float32', 'backward');
        if (probs) k.crossEntropyProbsBackward(sl.ptr('backward'), st.ptr('backward'), gc.ptr('backward'), gs, dx.ptr('backward'), rows, C, scale);
        else k.crossEntropyBackward(sl.ptr('backward'), st.ptr('backward'), gc.ptr('backward'), gs, dx.ptr('backward'), rows, C, ignoreIndex, scale);
      }
      // d/dt of −Σ t·logp = −logp (times each row's gradient)
      const dt = targetNeeds && needs[1] ? mul(mul(sl, reduction === 'none' ? reshape(gc, [rows, 1]) : gc), -scale) : null;
      if (gc !== g) gc.dispose();
      const grads = [dx ? toInputLayout(dx) : null];
      if (targetNeeds) grads.push(dt ? toInputLayout(dt) : null);
      return grads;
    }, [st, sl]);
  }
  logp.dispose();
  if (t !== target) t.dispose();
  return out;
}
