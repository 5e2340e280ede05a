// F.pad: constant padding of any trailing dims (negative pads crop) as a fill plus one strided
// copy, and reflect / replicate / circular padding of the last 1–3 dims by index maps
// (assembly/resample.ts); backward beside each. PyTorch 1.13's rules and messages, checked before
// any allocation.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { writeMeta } from '../runtime/storage.js';
import { needsGrad, record } from '../autograd/graph.js';
import { fmt } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense } from './movement.js';
import { assertFloat } from './elementwise.js';

/** How `F.pad` fills: a constant, the mirror image without the edge, the edge repeated, or wrapped around. PyTorch: `mode`. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Options of `F.pad`. PyTorch: the keyword arguments of `F.pad`. */
export interface PadOptions {
  /** How to fill (default 'constant'). PyTorch: `mode`. */
  mode?: PadMode;
  /** The fill value of 'constant' (default 0); the other modes take none. PyTorch: `value`. */
  value?: number | null;
}

const MODE_CODE: Record<Exclude<PadMode, 'constant'>, number> = { reflect: 1, replicate: 2, circular: 3 };

/** The element offset of `starts` in a tensor with these strides. */
const offsetOf = (starts: readonly number[], strides: readonly number[]): number => starts.reduce((s, v, i) => s + v * strides[i], 0);

/**
 * Copies the region of `src` starting at `srcStart` into `dst` at `dstStart`, `len` long in
 * every dim (any strides on both sides; nothing when a length is 0).
 */
function copyRegion(src: Tensor, srcStart: number[], dst: Tensor, dstStart: number[], len: number[], op: string): void {
  if (len.some((l) => l <= 0)) return;
  const nd = Math.max(len.length, 1);
  const shape = len.length ? len : [1], ss = len.length ? src.strides : [1], ds = len.length ? dst.strides : [1];
  K().copyToStrided(src.ptr(op) + offsetOf(srcStart, src.strides) * 4, dst.ptr(op) + offsetOf(dstStart, dst.strides) * 4,
    nd, writeMeta([shape, ss, ds]), 0);
}

/** The (left, right) pads of every dim, zeros for the dims the pad list leaves alone (PyTorch's list runs last dim first). */
function padsPerDim(pad: readonly number[], nd: number): [number, number][] {
  const out: [number, number][] = [];
  for (let d = 0; d < nd; d++) {
    const i = nd - 1 - d;
    out.push(2 * i + 1 < pad.length ? [pad[2 * i], pad[2 * i + 1]] : [0, 0]);
  }
  return out;
}

function constantPad(x: Tensor, pad: readonly number[], value: number, op: string): Tensor {
  const nd = x.ndim, lr = padsPerDim(pad, nd);
  const outShape = x.shape.map((s, d) => s + lr[d][0] + lr[d][1]);
  // the part of x that survives the crops, and where it lands; PyTorch crops first, so crops
  // longer than the dim fail even when the other side's padding would make up for them
  const inStart = lr.map(([l]) => Math.max(0, -l)), outStart = lr.map(([l]) => Math.max(0, l));
  const len = x.shape.map((s, d) => s - inStart[d] - Math.max(0, -lr[d][1]));
  len.forEach((l, d) => {
    if (l < 0) throw new RangeError(`${op}: start (${inStart[d]}) + length (${x.shape[d] - inStart[d] + Math.min(0, lr[d][1])}) exceeds dimension size (${x.shape[d]}): padding (${lr[d][0]}, ${lr[d][1]}) crops more than dimension ${d} holds`);
  });
  const out = Tensor.empty(outShape, 'float32', op);
  K().fill(out.ptr(op), out.numel(), value);
  copyRegion(x, inStart, out, outStart, len, op);
  if (needsGrad(x)) {
    const inShape = [...x.shape];
    record('ConstantPadNdBackward0', out, [x], (g) => {
      const dx = Tensor.empty(inShape, 'float32', 'backward');
      K().fill(dx.ptr('backward'), dx.numel(), 0);
      copyRegion(g, outStart, dx, inStart, len, 'backward');
      return [dx];
    });
  }
  return out;
}

function indexedPad(x: Tensor, pad: readonly number[], mode: Exclude<PadMode, 'constant'>, op: string): Tensor {
  const nd = x.ndim, k = pad.length / 2;
  const unsupported = `${op}: Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now (got a ${nd}D input and ${pad.length} pads for mode '${mode}')`;
  if (mode === 'circular') {
    if (nd < 2 || nd > 5) throw new RangeError(unsupported);
    if (pad.length !== 2 * (nd - 2)) throw new RangeError(`${op}: Invalid padding size, expected ${2 * (nd - 2)} but got ${pad.length} (circular pads every dim after the batch and channel dims)`);
  } else if (!(k >= 1 && k <= 3 && (nd === k + 1 || nd === k + 2))) {
    throw new RangeError(unsupported);
  }
  const sh = x.shape;
  if (sh.some((s, i) => s === 0 && !(i === 0 && nd === k + 2))) {
    throw new RangeError(`${op}: Expected ${k + 1}D or ${k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${fmt(sh)}`);
  }
  // dims padded: the last k, as [D, H, W] with 1s in front
  const sizes = [1, 1, 1], lr: [number, number][] = [[0, 0], [0, 0], [0, 0]];
  for (let i = 0; i < k; i++) { sizes[2 - i] = sh[nd - 1 - i]; lr[2 - i] = [pad[2 * i], pad[2 * i + 1]]; }
  const outSizes = sizes.map((s, j) => s + lr[j][0] + lr[j][1]);
  for (let j = 3 - k; j < 3; j++) {
    const [l, r] = lr[j], n = sizes[j], dim = nd - 3 + j;
    if (mode === 'reflect' && (l >= n || r >= n)) {
      throw new RangeError(`${op}: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${dim} of input ${fmt(sh)}`);
    }
    if (mode === 'circular' && (l > n || r > n)) {
      throw new RangeError(`${op}: Padding value causes wrapping around more than once. (padding (${l}, ${r}) at dimension ${dim} of size ${n})`);
    }
    if (outSizes[j] < 0) throw new RangeError(`${op}: Trying to create tensor with negative dimension ${outSizes[j]}: padding (${l}, ${r}) of dimension ${dim} of size ${n}`);
    // PyTorch's 1-D reflect/replicate kernels refuse an empty result; its 2-D and 3-D ones allow it
    if (k === 1 && mode !== 'circular' && outSizes[j] < 1) throw new RangeError(`${op}: input (W: ${n}) is too small. Calculated output W: ${outSizes[j]}`);
    // circular crops first and wraps what is left: nothing left to wrap is refused (PyTorch reads uninitialised memory)
    if (mode === 'circular' && outSizes[j] > 0 && n - Math.max(0, -l) - Math.max(0, -r) < 1) {
      throw new RangeError(`${op}: circular padding (${l}, ${r}) of dimension ${dim} of size ${n} crops it to nothing and then wraps around it`);
    }
  }
  let planes = 1;
  for (let i = 0; i < nd - k; i++) planes *= sh[i];
  const outShape = [...sh.slice(0, nd - k), ...outSizes.slice(3 - k)];
  const code = MODE_CODE[mode];
  const [D, H, W] = sizes, [OD, OH, OW] = outSizes;
  const flat = [lr[0][0], lr[0][1], lr[1][0], lr[1][1], lr[2][0], lr[2][1]] as const;
  const xc = dense(x);
  const out = Tensor.empty(outShape, 'float32', op);
  K().padIndexed(xc.ptr(op), out.ptr(op), planes, D, H, W, OD, OH, OW, ...flat, code);
  if (xc !== x) xc.dispose();
  if (needsGrad(x)) {
    const inShape = [...sh];
    const name = mode === 'circular' ? 'CircularPadBackward0' : `${mode === 'reflect' ? 'Reflection' : 'Replication'}Pad${k}DBackward0`;
    record(name, out, [x], (g) => {
      const gc = dense(g);
      const dx = Tensor.empty(inShape, 'float32', 'backward');
      K().padIndexedBackward(gc.ptr('backward'), dx.ptr('backward'), planes, D, H, W, OD, OH, OW, ...flat, code);
      if (gc !== g) gc.dispose();
      return [dx];
    });
  }
  return out;
}

/**
 * Pads (or, with negative pads in 'constant' mode, crops) the trailing dims: `pad` lists
 * (left, right) pairs starting from the last dim, as PyTorch's. 'constant' fills with `value`
 * (default 0) and pads any number of dims; 'reflect' (pads smaller than the dim), 'replicate' and
 * 'circular' pad the last 1–3 dims of a batched or unbatched input. PyTorch: `F.pad`.
 */
export function pad(input: Tensor, pad: readonly number[], options?: PadOptions | PadMode): Tensor {
  const op = 'pad';
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor as the input, got ${describeValue(input)}`);
  input.ptr(op);
  assertFloat(input, op);
  if (!Array.isArray(pad) || !pad.every((v) => Number.isInteger(v))) {
    const shown = Array.isArray(pad) ? `[${pad.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]` : describeValue(pad);
    throw new TypeError(`${op}: pad must be an array of integers (left, right pairs from the last dim), got ${shown}`);
  }
  const o = checkOptions(op, typeof options === 'string' ? { mode: options } : options, {
    mode: ['constant', 'reflect', 'replicate', 'circular'], value: (v) => (v === null || typeof v === 'number' ? null : 'a number or null'),
  });
  const mode = o.mode ?? 'constant';
  if (pad.length % 2 !== 0) throw new RangeError(`${op}: Padding length must be divisible by 2, got ${pad.length} (${fmt(pad)})`);
  if (pad.length / 2 > input.ndim) throw new RangeError(`${op}: Padding length too large: ${pad.length} pads for a ${input.ndim}D input (shape ${fmt(input.shape)})`);
  if (mode === 'constant') return constantPad(input, pad, o.value ?? 0, op);
  if (o.value !== undefined && o.value !== null && o.value !== 0) throw new TypeError(`${op}: Padding mode "${mode}" doesn't take in value argument (got ${o.value})`);
  return indexedPad(input, pad, mode, op);
}
