// F.interpolate: nearest (3-D and 4-D inputs) and bilinear (4-D) resampling with PyTorch 1.13's
// output sizes, index rules and scale handling (a given scale factor is used as is unless
// recomputeScaleFactor), forward and backward through assembly/resample.ts.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { needsGrad, record } from '../autograd/graph.js';
import { fmt } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense } from './movement.js';
import { assertFloat } from './elementwise.js';

/** The resampling rule: 'nearest' (floor(dst·scale)) or 'bilinear' (4-D inputs). PyTorch: `mode`. */
export type InterpolateMode = 'nearest' | 'bilinear';

/** Options of `F.interpolate` (give `size` or `scaleFactor`). PyTorch: the keyword arguments of `F.interpolate`. */
export interface InterpolateOptions {
  /** The output's spatial size: one number for every spatial dim, or one each. PyTorch: `size`. */
  size?: number | readonly number[] | null;
  /** The multiplier of each spatial size (output = floor(input·scale)). PyTorch: `scale_factor`. */
  scaleFactor?: number | readonly number[] | null;
  /** 'nearest' (default) or 'bilinear'. PyTorch: `mode`. */
  mode?: InterpolateMode;
  /** Bilinear only: align the corner pixels' centres (default false). PyTorch: `align_corners`. */
  alignCorners?: boolean | null;
  /** Compute the scale from the sizes instead of using `scaleFactor` as given (default false). PyTorch: `recompute_scale_factor`. */
  recomputeScaleFactor?: boolean | null;
}

const OTHER_MODES = ['linear', 'bicubic', 'trilinear', 'area', 'nearest-exact'];
const KEYS = {
  size: (v: unknown) => (v === null || (Number.isInteger(v)) || (Array.isArray(v) && v.every((e) => Number.isInteger(e))) ? null : 'an integer or an array of integers'),
  scaleFactor: (v: unknown) => (v === null || (typeof v === 'number' && v > 0 && Number.isFinite(v)) || (Array.isArray(v) && v.every((e) => typeof e === 'number' && e > 0 && Number.isFinite(e))) ? null : 'a positive number or an array of them'),
  mode: (v: unknown) => (v === 'nearest' || v === 'bilinear' ? null
    : typeof v === 'string' && OTHER_MODES.includes(v) ? `'nearest' or 'bilinear' (mode '${v}' is not supported yet)` : "'nearest' or 'bilinear'"),
  alignCorners: (v: unknown) => (v === null || typeof v === 'boolean' ? null : 'a boolean or null'),
  recomputeScaleFactor: (v: unknown) => (v === null || typeof v === 'boolean' ? null : 'a boolean or null'),
} as const;

/** One value per spatial dim from a number or a list, with PyTorch's length check. */
function perSpatial<T extends number>(v: T | readonly T[], dims: number, what: 'size' | 'scale_factor', inSizes: number[], op: string): T[] {
  if (!Array.isArray(v)) return new Array<T>(dims).fill(v as T);
  if (v.length !== dims) {
    const shown = what === 'size' ? fmt(v) : `shape ${fmt(v)}`;
    throw new RangeError(`${op}: Input and ${what === 'size' ? 'output' : 'scale_factor'} must have the same number of spatial dimensions, but got input with spatial dimensions of ${fmt(inSizes)} and ${what === 'size' ? 'output size' : 'scale_factor'} of ${shown}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and ${what === 'size' ? 'output size in (o1, o2, ...,oK)' : 'scale_factor in (s1, s2, ...,sK)'} format.`);
  }
  return [...v];
}

/** PyTorch's is_contiguous(channels_last) of a 4-D tensor: strides C, W, H, N from the fastest, size-1 dims ignored. */
function channelsLastContiguous(t: Tensor): boolean {
  let expected = 1;
  for (const d of [1, 3, 2, 0]) {
    if (t.shape[d] === 1) continue;
    if (t.strides[d] !== expected) return false;
    expected *= t.shape[d];
  }
  return true;
}

/**
 * Resamples the spatial dims (all after the first two) of a (N, C, W) or (N, C, H, W) input to
 * `size`, or by `scaleFactor` (output floor(input·scale)): 'nearest' reads floor(dst·scale)
 * (scale = 1/scaleFactor, or input/output size), 'bilinear' (4-D) weighs the four neighbours,
 * with `alignCorners` mapping corner to corner. PyTorch: `F.interpolate`.
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor as the input, got ${describeValue(input)}`);
  input.ptr(op);
  assertFloat(input, op);
  const o = checkOptions(op, options, KEYS);
  const mode = o.mode ?? 'nearest';
  const nd = input.ndim, dims = nd - 2;
  if (o.alignCorners !== undefined && o.alignCorners !== null && mode === 'nearest') {
    throw new TypeError(`${op}: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear (mode is 'nearest')`);
  }
  if (nd < 3 || nd > 5) {
    throw new RangeError(`${op}: Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`);
  }
  if (nd === 5) throw new RangeError(`${op}: 5D inputs (3 spatial dims) are not supported yet; got shape ${fmt(input.shape)}`);
  if (mode === 'bilinear' && nd !== 4) throw new RangeError(`${op}: Got ${nd}D input, but bilinear mode needs 4D input (shape ${fmt(input.shape)})`);
  const hasSize = o.size !== undefined && o.size !== null, hasScale = o.scaleFactor !== undefined && o.scaleFactor !== null;
  if (hasSize && hasScale) throw new TypeError(`${op}: only one of size or scale_factor should be defined`);
  if (!hasSize && !hasScale) throw new TypeError(`${op}: either size or scale_factor should be defined`);
  if (hasSize && o.recomputeScaleFactor) throw new TypeError(`${op}: recompute_scale_factor is not meaningful with an explicit size.`);
  const inSizes = input.shape.slice(2);
  let outSizes: number[], scales: number[];
  if (hasSize) {
    outSizes = perSpatial(o.size as number | number[], dims, 'size', inSizes, op);
    scales = new Array<number>(dims).fill(0);
  } else {
    const sf = perSpatial(o.scaleFactor as number | number[], dims, 'scale_factor', inSizes, op);
    outSizes = inSizes.map((s, i) => Math.floor(s * sf[i]));
    scales = o.recomputeScaleFactor ? new Array<number>(dims).fill(0) : sf;
  }
  if (outSizes.some((s) => s <= 0) || inSizes.some((s) => s <= 0)) {
    const names = dims === 2 ? ['H', 'W'] : ['W'];
    const show = (v: number[]): string => v.map((s, i) => `${names[i]}: ${s}`).join(', ');
    throw new RangeError(`${op}: Input and output sizes should be greater than 0, but got input (${show(inSizes)}) output (${show(outSizes)})`);
  }
  const H = dims === 2 ? inSizes[0] : 1, W = inSizes[dims - 1];
  const OH = dims === 2 ? outSizes[0] : 1, OW = outSizes[dims - 1];
  const sH = dims === 2 ? scales[0] : 0, sW = scales[dims - 1];
  const planes = input.shape[0] * input.shape[1];
  const align = mode === 'bilinear' && o.alignCorners === true ? 1 : 0;
  const xc = dense(input);
  const out = Tensor.empty([input.shape[0], input.shape[1], ...outSizes], 'float32', op);
  // PyTorch 1.13 takes nearest_idx's same-size and ×2 shortcuts only in its channels-last kernel
  const shortcuts = mode === 'nearest' && dims === 2 && channelsLastContiguous(input) ? 1 : 0;
  if (mode === 'nearest') K().upsampleNearest(xc.ptr(op), out.ptr(op), planes, H, W, OH, OW, sH, sW, shortcuts);
  else K().upsampleBilinear(xc.ptr(op), out.ptr(op), planes, H, W, OH, OW, align, sH, sW);
  if (xc !== input) xc.dispose();
  if (needsGrad(input)) {
    const inShape = [...input.shape];
    const name = mode === 'nearest' ? `UpsampleNearest${dims}DBackward0` : 'UpsampleBilinear2DBackward0';
    record(name, out, [input], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(inShape, 'float32', 'backward');
      if (mode === 'nearest') K().upsampleNearestBackward(gc.ptr('backward'), dx.ptr('backward'), planes, H, W, OH, OW, sH, sW);
      else K().upsampleBilinearBackward(gc.ptr('backward'), dx.ptr('backward'), planes, H, W, OH, OW, align, sH, sW);
      if (gc !== g) gc.dispose();
      return [dx];
    });
  }
  return out;
}
