// nn.utils: gradient clipping and flattening parameters to one vector and back.
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/grad_mode.js';
import { needsGrad, record } from '../autograd/graph.js';
import { tidy } from '../runtime/scope.js';
import { tensor } from '../ops/create.js';
import { copyInto, dense } from '../ops/movement.js';
import { contiguousStrides, fmt } from '../shape.js';
import { checkOptions, describeValue as describe } from '../options.js';

/** Parameters as one tensor or any iterable of tensors, checked. */
function paramList(params: Tensor | Iterable<Tensor>, op: string): Tensor[] {
  if (params instanceof Tensor) return [params];
  if (params === null || typeof params !== 'object' || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${op}: parameters must be a Tensor or an iterable of tensors, got ${describe(params)}`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: parameter ${i} is not a Tensor (got ${describe(p)})`);
    p.ptr(op);
  });
  return list;
}

/** Options of `nn.utils.clipGradNorm_`. PyTorch: `norm_type`, `error_if_nonfinite`. */
export interface ClipGradNormOptions {
  /** The p of the p-norm: any number, `Infinity` for the largest magnitude (default 2). PyTorch: `norm_type`. */
  normType?: number;
  /** Throw instead of clipping when the total norm is NaN or infinite (default false). PyTorch: `error_if_nonfinite`. */
  errorIfNonfinite?: boolean;
}

/** Σ|g|^p of one gradient (max or min |g| for ±Infinity, the count of non-zeros for 0), in float32 kernels. */
function partialNorm(g: Tensor, p: number): number {
  return tidy(() => noGrad(() => {
    if (g.numel() === 0) return p === -Infinity ? Infinity : 0;
    const a = g.abs();
    if (p === Infinity) return a.max().item();
    if (p === -Infinity) return a.min().item();
    if (p === 0) return a.sign().sum().item();
    if (p === 1) return a.sum().item();
    if (p === 2) return a.square().sum().item();
    return a.pow(p).sum().item();
  }));
}

/**
 * Scales the gradients of `params` in place so that their total p-norm (the norm of the
 * per-gradient norms) is at most `maxNorm`: each gradient is multiplied by
 * min(1, maxNorm/(total + 1e-6)). Returns the total norm before clipping, as a 0-dim tensor.
 * PyTorch: `torch.nn.utils.clip_grad_norm_`.
 */
export function clipGradNorm_(params: Tensor | Iterable<Tensor>, maxNorm: number, options?: ClipGradNormOptions): Tensor {
  const op = 'nn.utils.clipGradNorm_';
  const o = checkOptions(op, options, { normType: 'number', errorIfNonfinite: 'boolean' });
  if (typeof maxNorm !== 'number') throw new TypeError(`${op}: maxNorm must be a number, got ${describe(maxNorm)}`);
  // PyTorch does not check: NaN would zero every gradient and a negative bound flip their signs
  if (!(maxNorm >= 0)) throw new RangeError(`${op}: maxNorm must be a non-negative number, got ${maxNorm}`);
  const p = o.normType ?? 2;
  if (Number.isNaN(p)) throw new RangeError(`${op}: normType must be a number or ±Infinity, got NaN`);
  const grads = paramList(params, op).map((t) => t.grad).filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0);
  const parts = grads.map((g) => partialNorm(g, p));
  let total: number;
  if (p === Infinity) total = Math.max(...parts);
  else if (p === -Infinity) total = Math.min(...parts);
  else if (p === 0) total = parts.filter((s) => s !== 0).length; // the 0-"norm" of the per-gradient norms
  else total = Math.pow(parts.reduce((a, b) => a + b, 0), 1 / p);
  total = Math.fround(total);
  if (o.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`${op}: the total norm of order ${p} for gradients from parameters is non-finite (${total}), so it cannot be clipped; to scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false`);
  }
  const coef = Math.fround(maxNorm / Math.fround(total + 1e-6));
  if (!(coef >= 1)) noGrad(() => { for (const g of grads) g.mul_(coef); }); // clamped to 1 (NaN clips, as PyTorch)
  return tensor(total);
}

/** Clamps every gradient of `params` to `[−clipValue, clipValue]` in place. PyTorch: `torch.nn.utils.clip_grad_value_`. */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const op = 'nn.utils.clipGradValue_';
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new TypeError(`${op}: clipValue must be a number, got ${describe(clipValue)}`);
  // PyTorch does not check: a negative bound would set every gradient to it (min > max)
  if (clipValue < 0) throw new RangeError(`${op}: clipValue must be non-negative (the range is [-clipValue, clipValue]), got ${clipValue}`);
  const grads = paramList(params, op).map((t) => t.grad).filter((g): g is Tensor => g !== null);
  noGrad(() => { for (const g of grads) g.clamp_(-clipValue, clipValue); });
}

/**
 * The parameters flattened and joined into one new 1-D tensor; gradients flow back to each
 * parameter. PyTorch: `torch.nn.utils.parameters_to_vector`.
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  const op = 'nn.utils.parametersToVector';
  const list = paramList(params, op);
  list.forEach((p, i) => {
    if (p.dtype !== 'float32') throw new TypeError(`${op}: parameter ${i} is ${p.dtype}; expected float32`);
  });
  const sizes = list.map((p) => p.numel());
  const total = sizes.reduce((a, b) => a + b, 0);
  const out = Tensor.empty([total], 'float32', op);
  let off = 0;
  list.forEach((p, i) => {
    if (sizes[i] > 0) {
      const dst = out.view_([...p.shape], contiguousStrides(p.shape), off);
      copyInto(p, dst, op);
      dst.dispose();
    }
    off += sizes[i];
  });
  if (needsGrad(...list)) {
    const shapes = list.map((p) => [...p.shape]);
    record('CatBackward0', out, list, (g, needs) => {
      const gd = dense(g);
      let at = 0;
      const grads = shapes.map((shape, i) => {
        const start = at;
        at += sizes[i];
        if (!needs[i]) return null;
        const gi = Tensor.empty(shape, 'float32', 'backward');
        if (sizes[i] > 0) {
          const src = gd.view_(shape, contiguousStrides(shape), gd.offset + start);
          copyInto(src, gi, 'backward');
          src.dispose();
        }
        return gi;
      });
      if (gd !== g) gd.dispose();
      return grads;
    });
  }
  return out;
}

/**
 * Copies consecutive pieces of the 1-D `vec` into the parameters (in place, under noGrad); `vec`
 * must have exactly as many elements as the parameters together. PyTorch: `torch.nn.utils.vector_to_parameters`.
 */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const op = 'nn.utils.vectorToParameters';
  if (!(vec instanceof Tensor)) throw new TypeError(`${op}: expected vec to be a Tensor, got ${describe(vec)}`);
  vec.ptr(op);
  if (vec.dtype !== 'float32') throw new TypeError(`${op}: vec is ${vec.dtype}; expected float32`);
  if (vec.ndim !== 1) throw new RangeError(`${op}: vec must be 1-D, got shape ${fmt(vec.shape)}`);
  const list = paramList(params, op);
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() !== total) {
    throw new RangeError(`${op}: vec has ${vec.numel()} elements but the parameters have ${total} (shapes ${list.map((p) => fmt(p.shape)).join(', ')})`);
  }
  list.forEach((p, i) => { if (p.dtype !== 'float32') throw new TypeError(`${op}: parameter ${i} is ${p.dtype}; expected float32`); });
  const v = dense(vec);
  try {
    noGrad(() => {
      let off = 0;
      for (const p of list) {
        const n = p.numel();
        if (n > 0) {
          const src = v.view_([...p.shape], contiguousStrides(p.shape), v.offset + off);
          try { p.copy_(src); } finally { src.dispose(); }
        }
        off += n;
      }
    });
  } finally {
    if (v !== vec) v.dispose();
  }
}
