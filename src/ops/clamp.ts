// clamp: number bounds on the unary kernel (exact int32 kernels for integers), tensor bounds as
// maximum/minimum with PyTorch's ClampBackward0 gradient. Its own file because tensor bounds need the
// compare family, which itself builds on elementwise.ts.
import { Tensor, type Operand, type DType } from '../tensor.js';
import { Binary } from '../runtime/kernels.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { noGrad } from '../autograd/grad_mode.js';
import { broadcastShapes } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { unary, onFloats, kernelCall, numberKind, RANK } from './elementwise.js';
import { maximum, minimum, where, ge, le, lt, gt, logicalAnd, logicalOr } from './compare.js';

/** A bound of `clamp`: a number, a tensor (broadcast with the input), or null/undefined for none. PyTorch: `Scalar?`/`Tensor?` `min`, `max`. */
export type ClampBound = number | Tensor | null | undefined;

/** Options of `clamp`. PyTorch: `min`, `max`. */
export interface ClampOptions {
  /** The lower bound: a number, a tensor (broadcast with the input) or null. PyTorch: `min`. */
  min?: number | Tensor | null;
  /** The upper bound: a number, a tensor (broadcast with the input) or null. PyTorch: `max`. */
  max?: number | Tensor | null;
}

function checkBound(v: unknown, name: string, op: string): void {
  if (v === undefined || v === null || typeof v === 'number') return;
  if (v instanceof Tensor) { v.ptr(op); return; }
  throw new TypeError(`${op}: ${name} must be a number, a Tensor or null, got ${describeValue(v)}`);
}

/** `clamp`'s (or `clamp_`'s, with `op`) `(min?, max?)` or `({ min, max })`, checked: the two bounds. */
export function clampArgs(min: unknown, max: unknown, op = 'clamp'): [ClampBound, ClampBound] {
  let lo = min, hi = max;
  if (lo !== null && typeof lo === 'object' && !(lo instanceof Tensor) && !Array.isArray(lo)) {
    if (max !== undefined) throw new TypeError(`${op}: give max either in the options object or positionally, not both`);
    const o = checkOptions<ClampOptions>(op, lo as ClampOptions, ['min', 'max']);
    lo = o.min; hi = o.max;
  }
  checkBound(lo, 'min', op); checkBound(hi, 'max', op);
  return [lo as ClampBound, hi as ClampBound];
}

/**
 * clamp with a tensor bound: `minimum(maximum(x, min), max)` broadcasting all three, with PyTorch's
 * gradient (ClampBackward0): x gets g where `x ≥ min && x ≤ max` (ties go to x), min where
 * `x < min && min < max`, max where `x > max || max < min` (so max wins when min > max).
 */
function clampTensor(x: Tensor, lo: ClampBound, hi: ClampBound): Tensor {
  const op = 'clamp';
  let shape = x.shape;
  for (const b of [lo, hi]) if (b instanceof Tensor) shape = broadcastShapes(shape, b.shape, op);
  let dt: DType = x.dtype;
  for (const b of [lo, hi]) {
    if (b === null || b === undefined) continue;
    const k = b instanceof Tensor ? b.dtype : numberKind(b);
    if (RANK[k] > RANK[dt]) dt = k;
  }
  // a number bound beyond int32 acts as int32's own limit when the result stays integer
  const fit = (v: ClampBound): ClampBound => (typeof v === 'number' && dt !== 'float32' ? Math.min(Math.max(v, -2147483648), 2147483647) : v);
  lo = fit(lo); hi = fit(hi);
  const hasLo = lo !== null && lo !== undefined, hasHi = hi !== null && hi !== undefined;
  const out = noGrad(() => {
    const a = hasLo ? maximum(x, lo as Operand) : x;
    if (!hasHi) return a;
    const b = minimum(a, hi as Operand);
    if (a !== x) a.dispose();
    return b;
  });
  if (dt === 'float32' && needsGrad(x, lo, hi)) {
    const sx = save(x), sl = lo instanceof Tensor ? save(lo) : lo, sh = hi instanceof Tensor ? save(hi) : hi;
    const inputs = [x, lo, hi].filter((t): t is Tensor => t instanceof Tensor);
    const saved = [sx, sl, sh].filter((t): t is Tensor => t instanceof Tensor);
    const mask = (f: () => Tensor, g: Tensor): Tensor => {
      const m = noGrad(f);
      try { return where(m, g, 0); } finally { m.dispose(); }
    };
    const both = (a: Tensor, b: Tensor, and: boolean): Tensor => {
      try { return and ? logicalAnd(a, b) : logicalOr(a, b); } finally { a.dispose(); b.dispose(); }
    };
    record('ClampBackward0', out, inputs, (g, needs) => {
      const grads: (Tensor | null)[] = [];
      let k = 0;
      grads.push(needs[k++] ? mask(() => (hasLo && hasHi ? both(ge(sx, sl as Operand), le(sx, sh as Operand), true)
        : hasLo ? ge(sx, sl as Operand) : le(sx, sh as Operand)), g) : null);
      if (lo instanceof Tensor) {
        grads.push(needs[k++] ? mask(() => (hasHi ? both(lt(sx, sl as Operand), lt(sl as Operand, sh as Operand), true) : lt(sx, sl as Operand)), g) : null);
      }
      if (hi instanceof Tensor) {
        grads.push(needs[k++] ? mask(() => (hasLo ? both(gt(sx, sh as Operand), lt(sh as Operand, sl as Operand), false) : gt(sx, sh as Operand)), g) : null);
      }
      return grads;
    }, saved);
  }
  return out;
}

/**
 * Limits each element to `[min, max]`: `clamp(x, min?, max?)` or `clamp(x, { min, max })`. Either
 * bound may be null or left out, a number, or a tensor broadcast with x (PyTorch 2.x's tensor
 * bounds, with gradients to the bounds too); int32 with integer bounds stays int32. PyTorch: `torch.clamp`.
 */
export function clamp(x: Tensor, min?: ClampBound | ClampOptions, max?: ClampBound): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`clamp: expected a Tensor, got ${describeValue(x)}`);
  x.ptr('clamp'); // a disposed input is named under clamp, not a helper
  if (arguments.length > 3) throw new TypeError(`clamp: takes (input, min?, max?) or (input, { min, max }), got ${arguments.length} arguments`);
  [min, max] = clampArgs(min, max);
  if (min instanceof Tensor || max instanceof Tensor) {
    x.ptr('clamp');
    return clampTensor(x, min, max);
  }
  const lo = min ?? -Infinity, hi = max ?? Infinity;
  if ((min === undefined || min === null) && (max === undefined || max === null)) {
    throw new TypeError('clamp: at least one of min and max must be given');
  }
  if (Number.isNaN(lo) || Number.isNaN(hi)) throw new RangeError(`clamp: min and max must be numbers, got ${min} and ${max}`);
  if (x.dtype !== 'float32') {
    // integer bounds keep int32 (bool gives int32), a fractional or infinite bound gives float32, as PyTorch
    const bounds = [min, max].filter((v): v is number => v !== undefined && v !== null);
    if (!bounds.every((v) => Number.isInteger(v))) return onFloats(x, 0, 'clamp', (xf) => clamp(xf as Tensor, min, max));
    // a bound beyond int32 acts as int32's own limit (every element already lies inside it)
    const fit = (v: number): number => Math.min(Math.max(v, -2147483648), 2147483647);
    const lower = min === undefined || min === null ? null : kernelCall(Binary.imaximum, x, fit(min), 'clamp', 'int32', true);
    if (max === undefined || max === null) return lower!;
    try {
      return kernelCall(Binary.iminimum, lower ?? x, fit(max), 'clamp', 'int32', true);
    } finally {
      lower?.dispose();
    }
  }
  return unary('clamp', 'ClampBackward1', x, lo, hi);
}

// ---- as a Tensor method (declared here beside the op, bound in src/methods.ts) ----------------
declare module '../tensor.js' {
  interface Tensor {
    /** Limits each element to `[min, max]`: numbers, tensors (broadcast) or null, or `{ min, max }`. PyTorch: `torch.Tensor.clamp`. */
    clamp(min?: ClampBound | ClampOptions, max?: ClampBound): Tensor;
  }
}
