// Convolutions: conv1d, conv2d and convTranspose2d, forward and backward side by side. Every
// product runs in the kernels of assembly/conv.ts (im2col/col2im around the packed SGEMM); this
// file checks arguments as PyTorch does, works out the geometry and owns the buffers. A 1-D
// convolution is a 2-D one of height 1; a transposed convolution is the same geometry as a
// convolution with forward and input gradient swapped.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { threadScratch, writeMeta, writeInts } from '../runtime/storage.js';
import { partsFor, ranges } from '../runtime/parallel.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { checkAllocSize, fmt, numelOf } from '../shape.js';
import { checkOptions, describeValue } from '../options.js';
import { dense, reshape } from './movement.js';
import { assertFloat } from './elementwise.js';

/** A size per spatial dim: one number for all, or one per dim (`[h, w]` in 2-D). PyTorch: an int or a tuple. */
export type ConvSize = number | readonly number[];

/** Options of `F.conv2d` / `F.conv1d`. PyTorch: the keyword arguments of `torch.nn.functional.conv2d`. */
export interface ConvOptions {
  /** Step of the kernel (default 1). PyTorch: `stride`. */
  stride?: ConvSize;
  /** Zeros added on both sides (default 0), or `'valid'` (none) / `'same'` (output as large as the input; stride 1 only). PyTorch: `padding`. */
  padding?: ConvSize | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). PyTorch: `dilation`. */
  dilation?: ConvSize;
  /** Channel groups; the in and out channels are split into this many independent convolutions (default 1). PyTorch: `groups`. */
  groups?: number;
}

/** Options of `F.convTranspose2d`. PyTorch: the keyword arguments of `torch.nn.functional.conv_transpose2d`. */
export interface ConvTransposeOptions {
  /** Step of the kernel (default 1). PyTorch: `stride`. */
  stride?: ConvSize;
  /** `dilation·(kernel−1) − padding` zeros are dropped from both sides of the output (default 0). PyTorch: `padding`. */
  padding?: ConvSize;
  /** Extra size added to one side of the output (default 0; less than stride or dilation). PyTorch: `output_padding`. */
  outputPadding?: ConvSize;
  /** Channel groups (default 1). PyTorch: `groups`. */
  groups?: number;
  /** Spacing between kernel taps (default 1). PyTorch: `dilation`. */
  dilation?: ConvSize;
}

const sizeOption = (v: unknown): string | null =>
  (typeof v === 'number' || (Array.isArray(v) && v.every((e) => typeof e === 'number'))) ? null : 'a number or an array of numbers';
const CONV_OPTIONS = {
  stride: sizeOption, dilation: sizeOption, groups: 'integer',
  padding: (v: unknown) => (typeof v === 'string' ? null : sizeOption(v)),
} as const;
const TRANSPOSE_OPTIONS = { stride: sizeOption, padding: sizeOption, outputPadding: sizeOption, dilation: sizeOption, groups: 'integer' } as const;

/** A size option as `nd` integers, with PyTorch's message for a wrong count. */
export function expandSize(op: string, name: string, v: ConvSize, nd: number): number[] {
  const list = typeof v === 'number' ? new Array<number>(nd).fill(v) : [...v];
  if (list.length !== nd) {
    throw new RangeError(`${op}: expected ${name} to be a single integer value or a list of ${nd} values to match the convolution dimensions, but got ${name}=[${list.join(', ')}]`);
  }
  for (const e of list) {
    if (!Number.isSafeInteger(e)) throw new TypeError(`${op}: ${name} must hold integers, got ${describeValue(e)}`);
  }
  return list;
}

/** Checks stride, padding, dilation and groups as PyTorch's convolution does. */
export function checkParams(op: string, stride: number[], padding: number[], dilation: number[], groups: number): void {
  if (stride.some((s) => s <= 0)) throw new RangeError(`${op}: non-positive stride is not supported (got stride=[${stride.join(', ')}])`);
  if (padding.some((p) => p < 0)) throw new RangeError(`${op}: negative padding is not supported (got padding=[${padding.join(', ')}])`);
  if (dilation.some((d) => d <= 0)) throw new RangeError(`${op}: dilation should be greater than zero, but got [${dilation.join(', ')}]`);
  if (!Number.isSafeInteger(groups) || groups <= 0) throw new RangeError(`${op}: non-positive groups is not supported (got groups=${groups})`);
  // the kernels index with 32-bit integers (any size that fits memory does)
  for (const [name, v] of [['stride', stride], ['padding', padding], ['dilation', dilation], ['groups', [groups]]] as const) {
    if (v.some((e) => e > I32_MAX)) throw new RangeError(`${op}: ${name}=[${v.join(', ')}] is too large: expected at most ${I32_MAX}`);
  }
}

const I32_MAX = 2147483647;

/** Every geometry number must fit the kernels' i32 parameter block (an empty batch lets sizes skip the memory check). */
function checkGeometry(op: string, g: Geometry): Geometry {
  for (const [k, v] of Object.entries(g)) {
    if (!Number.isSafeInteger(v) || v < 0 || v > I32_MAX) throw new RangeError(`${op}: ${k} = ${v} does not fit the kernels' 32-bit sizes`);
  }
  // every tap position oh·sH − pH + i·dH (and the width's) is computed in i32 too
  const reach = (o: number, s: number, k: number, d: number, p: number, n: number): number => (o - 1) * s + (k - 1) * d + p + n;
  if (Math.max(reach(g.OH, g.sH, g.kH, g.dH, g.pH, g.H), reach(g.OW, g.sW, g.kW, g.dW, g.pW, g.W)) > I32_MAX) {
    throw new RangeError(`${op}: padding, stride and dilation of this size reach past the kernels' 32-bit positions`);
  }
  return g;
}

/** The element count of a float32 buffer of this shape, refused (before allocating) past the largest tensor. */
function checkNumel(op: string, shape: readonly number[]): number {
  checkAllocSize(shape, op);
  return numelOf(shape);
}

/**
 * One convolution's geometry for the kernels: per group, the image side (CG channels of H×W: a
 * convolution's input, a transposed convolution's output) and the column side (OG channels of
 * OH×OW), the kernel, stride, top/left padding and dilation.
 */
interface Geometry {
  N: number; G: number; CG: number; H: number; W: number; OG: number; OH: number; OW: number;
  kH: number; kW: number; sH: number; sW: number; pH: number; pW: number; dH: number; dW: number;
}

const geometryInts = (g: Geometry, N = g.N): number[] => [N, g.G, g.CG, g.H, g.W, g.OG, g.OH, g.OW, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, g.dH, g.dW];

/** Writes the parameter block; call it right before the kernel (the metadata block is shared). */
function meta(g: Geometry): number {
  return writeMeta([geometryInts(g)]);
}

type ConvKernel = 'convForward' | 'convBackwardInput' | 'convBackwardWeight';

/**
 * A GEMM-based convolution kernel over `count` units (samples, or the weight gradient's columns in
 * strips of 8), split over the threads when `macs` is large: each part gets its thread's parameter
 * block (the geometry with the part's samples when `bySamples`, else all), packing buffers and an
 * im2col buffer (colBuffers). `args` gives the kernel's arguments for units u0..u1.
 */
function convParts(kernel: ConvKernel, g: Geometry, count: number, unit: number, macs: number, bySamples: boolean, op: string,
                   args: (u0: number, u1: number, geo: number, col: number, packA: number, packB: number) => number[]): void {
  const cols = colBuffers(g, partsFor(count, unit, macs), op);
  try {
    ranges(kernel, count, unit, macs, (u0, u1, t) => {
      const s = threadScratch(t);
      writeInts(s.meta, geometryInts(g, bySamples ? u1 - u0 : g.N));
      return args(u0, u1, s.meta, cols[t] ? cols[t]!.ptr(op) : 0, s.packA, s.packB);
    }, cols.length);
  } finally {
    for (const c of cols) c?.dispose();
  }
}

/**
 * convForward (image → column side) or convBackwardInput (column → image side), split by samples:
 * per-sample results do not depend on the split.
 */
function perSample(kernel: 'convForward' | 'convBackwardInput', g: Geometry, src: number, w: number, bias: number, dst: number, op: string): void {
  const image = g.G * g.CG * g.H * g.W, column = g.G * g.OG * g.OH * g.OW;
  const [srcPer, dstPer] = kernel === 'convForward' ? [image, column] : [column, image];
  const macs = g.N * g.G * g.OG * g.OH * g.OW * g.CG * g.kH * g.kW;
  convParts(kernel, g, g.N, 1, macs, true, op,
    (s0, _s1, geo, col, packA, packB) => [geo, src + 4 * s0 * srcPer, w, bias, dst + 4 * s0 * dstPer, col, packA, packB]);
}

/**
 * One im2col buffer per part a call may be split into (none are needed pointwise): the first as
 * on one thread (its out-of-memory error is the call's), then as many more as fit, so a call that
 * fits on one thread never fails for running on more (it runs on fewer parts).
 */
function colBuffers(g: Geometry, parts: number, op: string): (Tensor | null)[] {
  if (pointwise(g)) return new Array<null>(parts).fill(null);
  const cols: Tensor[] = [colBuffer(g, op)!];
  for (let t = 1; t < parts; t++) {
    try {
      cols.push(colBuffer(g, op)!);
    } catch (e) {
      if (e instanceof RangeError) break;
      for (const c of cols) c.dispose();
      throw e;
    }
  }
  return cols;
}

/** Runs `fill(out)`; disposes `out` if it throws (an out-of-memory error for a scratch buffer). */
function filled(out: Tensor, fill: () => void): Tensor {
  try {
    fill();
  } catch (e) {
    out.dispose();
    throw e;
  }
  return out;
}

const pointwise = (g: Geometry): boolean =>
  g.kH === 1 && g.kW === 1 && g.sH === 1 && g.sW === 1 && g.pH === 0 && g.pW === 0 && g.OH === g.H && g.OW === g.W;

/** The im2col buffer of one (sample, group), or null when the kernels read the image directly. */
function colBuffer(g: Geometry, op: string): Tensor | null {
  if (pointwise(g)) return null;
  return Tensor.empty([checkNumel(op, [g.CG * g.kH * g.kW, g.OH * g.OW])], 'float32', op);
}

type Side = 'image' | 'column';
const shapeOf = (g: Geometry, side: Side): number[] =>
  side === 'image' ? [g.N, g.G * g.CG, g.H, g.W] : [g.N, g.G * g.OG, g.OH, g.OW];

// One image channel per group and few outputs per group (depthwise): the row kernels beat a
// GEMM whose 4-row tiles would be mostly empty (measured in bench/conv.bench.ts).
const DEPTHWISE_MAX_OG = 2;
const depthwise = (g: Geometry): boolean => g.CG === 1 && g.OG <= DEPTHWISE_MAX_OG;

/** out (the column side) = W ⋆ img (+ bias per column-side channel); no graph. */
function forwardRaw(g: Geometry, img: Tensor, w: Tensor, bias: Tensor | null, op: string): Tensor {
  const out = Tensor.empty(shapeOf(g, 'column'), 'float32', op);
  if (depthwise(g)) {
    K().depthwiseForward(meta(g), img.ptr(op), w.ptr(op), bias ? bias.ptr(op) : 0, out.ptr(op));
    return out;
  }
  return filled(out, () => perSample('convForward', g, img.ptr(op), w.ptr(op), bias ? bias.ptr(op) : 0, out.ptr(op), op));
}

/** out (the image side) = col2im(Wᵀ · gy) (+ bias per image-side channel); no graph. */
function inputRaw(g: Geometry, gy: Tensor, w: Tensor, bias: Tensor | null, op: string): Tensor {
  const out = Tensor.empty(shapeOf(g, 'image'), 'float32', op);
  if (depthwise(g)) {
    K().depthwiseBackwardInput(meta(g), gy.ptr(op), w.ptr(op), bias ? bias.ptr(op) : 0, out.ptr(op));
    return out;
  }
  return filled(out, () => perSample('convBackwardInput', g, gy.ptr(op), w.ptr(op), bias ? bias.ptr(op) : 0, out.ptr(op), op));
}

/** The weight's gradient Σ_n gy · im2col(img)ᵀ, in the weight's shape; no graph. */
function weightRaw(g: Geometry, img: Tensor, gy: Tensor, wShape: readonly number[], op: string): Tensor {
  const out = Tensor.empty(wShape, 'float32', op);
  if (depthwise(g)) {
    K().depthwiseBackwardWeight(meta(g), img.ptr(op), gy.ptr(op), out.ptr(op));
    return out;
  }
  // columns of gW split over the threads in strips of the GEMM's 8 (each im2cols every sample
  // itself); a strip of one column or a single output channel would take the kernel's vector
  // paths, whose sums run in another order, so those calls stay whole
  const Kd = g.CG * g.kH * g.kW, macs = g.N * g.G * g.OG * g.OH * g.OW * Kd;
  const work = g.OG > 1 && g.N > 0 && Kd >= 16 ? macs : 0;
  return filled(out, () => convParts('convBackwardWeight', g, Kd, 8, work, false, op,
    (k0, k1, geo, col, packA, packB) => [geo, img.ptr(op), gy.ptr(op), out.ptr(op), col, packA, packB, k0, k1 === Kd ? 0 : k1]));
}

/** Σ over batch and space of t [N, C, ...], as [C] (a bias gradient); no graph. */
function channelSumRaw(t: Tensor, op: string): Tensor {
  const [N, C] = t.shape;
  const out = Tensor.empty([C], 'float32', op);
  K().channelSum(t.ptr(op), out.ptr(op), N, C, N * C === 0 ? 0 : t.numel() / (N * C));
  return out;
}

/** Runs f on contiguous x, w and bias, disposing the copies it made. */
function withDense<T>(ts: (Tensor | null)[], f: (d: (Tensor | null)[]) => T): T {
  const d = ts.map((t) => (t ? dense(t) : null));
  try {
    return f(d);
  } finally {
    d.forEach((c, i) => { if (c && c !== ts[i]) c.dispose(); });
  }
}

function checkTensors(op: string, input: Tensor, weight: Tensor, bias: Tensor | null | undefined): void {
  for (const [name, t] of [['input', input], ['weight', weight], ['bias', bias]] as const) {
    if (name === 'bias' && (t === undefined || t === null)) continue;
    if (!(t instanceof Tensor)) {
      const hint = name === 'bias' && typeof t === 'object' ? `; the options come fourth: ${op}(input, weight, null, { ... })` : '';
      throw new TypeError(`${op}: ${name} must be a Tensor${name === 'bias' ? ' or null' : ''}, got ${describeValue(t)}${hint}`);
    }
    assertFloat(t, op);
    t.ptr(op);
  }
}

function checkBias(op: string, weight: Tensor, bias: Tensor | null, channels: number): void {
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== channels)) {
    throw new RangeError(`${op}: Given weight of size ${fmt(weight.shape)}, expected bias to be 1-dimensional with ${channels} elements, but got bias of size ${fmt(bias.shape)} instead`);
  }
}

/** The 4-D (batched) view of a 2-D convolution's input; unbatched inputs gain a batch dim of 1. */
function checkInputDims(op: string, input: Tensor, nd: number): boolean {
  if (input.ndim !== nd + 1 && input.ndim !== nd + 2) {
    throw new RangeError(`${op}: Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: ${fmt(input.shape)}`);
  }
  return input.ndim === nd + 1;
}

function checkWeightDims(op: string, weight: Tensor, nd: number): void {
  if (weight.ndim !== nd + 2) {
    throw new RangeError(`${op}: expected weight to be ${nd + 2}-dimensional ([out, in/groups, ${nd === 1 ? 'k' : 'kH, kW'}]), got weight of size ${fmt(weight.shape)}`);
  }
}

/** Runs a 4-D convolution on a 3-D/4-D input (1-D convolutions are height 1), restoring the shape. */
function lift(input: Tensor, weight: Tensor, unbatched: boolean, oneD: boolean,
              run: (x4: Tensor, w4: Tensor) => Tensor): Tensor {
  const owned: Tensor[] = [];
  try {
    let x = input, w = weight;
    if (unbatched) { x = reshape(x, [1, ...x.shape]); owned.push(x); }
    if (oneD) {
      x = reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]); owned.push(x);
      w = reshape(w, [w.shape[0], w.shape[1], 1, w.shape[2]]); owned.push(w);
    }
    if (x === input && w === weight) return run(x, w);
    const y4 = run(x, w);
    owned.push(y4);
    let shape = y4.shape;
    if (oneD) shape = [shape[0], shape[1], shape[3]];
    if (unbatched) shape = shape.slice(1);
    return reshape(y4, shape);
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** The checked geometry of a convolution of x [N, C, H, W] with w [O, C/groups, kH, kW]. */
function convGeometry(op: string, xs: readonly number[], ws: readonly number[], options: ConvOptions, nd: number, shownX: readonly number[], shownW: readonly number[]): Geometry {
  const stride = expandSize(op, 'stride', options.stride ?? 1, nd);
  const dilation = expandSize(op, 'dilation', options.dilation ?? 1, nd);
  const pad = options.padding ?? 0;
  const groups = options.groups ?? 1;
  let padding: number[];
  let same = false;
  if (typeof pad === 'string') {
    if (pad !== 'same' && pad !== 'valid') throw new RangeError(`${op}: Invalid padding string: '${pad}' (expected 'same', 'valid', a number or an array)`);
    same = pad === 'same';
    padding = new Array<number>(nd).fill(0);
  } else {
    padding = expandSize(op, 'padding', pad, nd);
  }
  checkParams(op, stride, padding, dilation, groups);
  if (same && stride.some((s) => s !== 1)) throw new RangeError(`${op}: padding='same' is not supported for strided convolutions`);
  const [N, C, H, W] = xs, [O, CG, kH, kW] = ws;
  if (O % groups !== 0) {
    throw new RangeError(`${op}: Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${fmt(shownW)} instead`);
  }
  if (C !== CG * groups) {
    throw new RangeError(`${op}: Given groups=${groups}, weight of size ${fmt(shownW)}, expected input${fmt(shownX)} to have ${CG * groups} channels, but got ${C} channels instead`);
  }
  // [top/left, total] padding per dim; 'same' puts the odd extra zero after, as PyTorch
  const k = [kH, kW], size = [H, W];
  const sp = nd === 1 ? 1 : 0; // a 1-D convolution pads only the width
  const before: number[] = [], total: number[] = [];
  for (let d = 0; d < 2; d++) {
    const pi = d - sp;
    if (pi < 0) { before.push(0); total.push(0); continue; }
    if (same) {
      const t = dilation[pi] * (k[d] - 1);
      before.push(Math.floor(t / 2)); total.push(t);
    } else {
      before.push(padding[pi]); total.push(2 * padding[pi]);
    }
  }
  const dil = [sp ? 1 : dilation[0], dilation[nd - 1]], st = [sp ? 1 : stride[0], stride[nd - 1]];
  const padded = size.map((s, d) => s + total[d]), span = k.map((kk, d) => dil[d] * (kk - 1) + 1);
  if (padded.some((p, d) => p < span[d])) {
    const show = (v: number[]): string => (nd === 1 ? `${v[1]}` : `${v[0]} x ${v[1]}`);
    throw new RangeError(`${op}: Calculated padded input size per channel: (${show(padded)}). Kernel size: (${show(span)}). Kernel size can't be greater than actual input size`);
  }
  const out = padded.map((p, d) => Math.floor((p - span[d]) / st[d]) + 1);
  const g: Geometry = {
    N, G: groups, CG, H, W, OG: O / groups, OH: out[0], OW: out[1],
    kH, kW, sH: st[0], sW: st[1], pH: before[0], pW: before[1], dH: dil[0], dW: dil[1],
  };
  checkNumel(op, [N, O, g.OH, g.OW]);
  return checkGeometry(op, g);
}

/** A convolution with graph: the checked 4-D form shared by conv1d and conv2d. */
function convolution(op: string, x: Tensor, w: Tensor, bias: Tensor | null, g: Geometry): Tensor {
  const out = withDense([x, w, bias], ([xc, wc, bc]) => {
    const y = forwardRaw(g, xc!, wc!, bc, op);
    const inputs = bias ? [x, w, bias] : [x, w];
    if (needsGrad(...inputs)) {
      const sx = save(xc!), sw = save(wc!);
      const wShape = [...w.shape];
      // gx = col2im(Wᵀ·gy), gW = Σ gy·colᵀ, gb = Σ gy over batch and space
      record('ConvolutionBackward0', y, inputs, (gy, n) => withDense([gy], ([gc]) => [
        n[0] ? inputRaw(g, gc!, sw, null, 'backward') : null,
        n[1] ? weightRaw(g, sx, gc!, wShape, 'backward') : null,
        ...(bias ? [n[2] ? channelSumRaw(gc!, 'backward') : null] : []),
      ]), [sx, sw]);
    }
    return y;
  });
  return out;
}

/**
 * 2-D convolution of input [N, C, H, W] (or unbatched [C, H, W]) with weight [O, C/groups, kH, kW]
 * and optional bias [O]: `conv2d(x, w, b, { stride, padding, dilation, groups })`, padding a number,
 * a pair, `'valid'` or `'same'`. PyTorch: `torch.nn.functional.conv2d`.
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convNd('conv2d', 2, input, weight, bias ?? null, options);
}

/**
 * 1-D convolution of input [N, C, L] (or unbatched [C, L]) with weight [O, C/groups, k] and optional
 * bias [O]: `conv1d(x, w, b, { stride, padding, dilation, groups })`. PyTorch: `torch.nn.functional.conv1d`.
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convNd('conv1d', 1, input, weight, bias ?? null, options);
}

function convNd(op: string, nd: number, input: Tensor, weight: Tensor, bias: Tensor | null, options: ConvOptions | undefined): Tensor {
  const o = checkOptions(op, options, CONV_OPTIONS);
  checkTensors(op, input, weight, bias);
  const unbatched = checkInputDims(op, input, nd);
  checkWeightDims(op, weight, nd);
  checkBias(op, weight, bias, weight.shape[0]);
  const x4 = unbatched ? [1, ...input.shape] : [...input.shape];
  const w4 = [...weight.shape];
  if (nd === 1) { x4.splice(2, 0, 1); w4.splice(2, 0, 1); }
  const g = convGeometry(op, x4, w4, o, nd, unbatched ? [1, ...input.shape] : input.shape, weight.shape);
  return lift(input, weight, unbatched, nd === 1, (x, w) => convolution(op, x, w, bias, g));
}

/**
 * 2-D transposed convolution ("deconvolution") of input [N, Cin, H, W] (or unbatched) with weight
 * [Cin, Cout/groups, kH, kW] and optional bias [Cout]: the gradient of conv2d with respect to its
 * input. `convTranspose2d(x, w, b, { stride, padding, outputPadding, groups, dilation })`.
 * PyTorch: `torch.nn.functional.conv_transpose2d`.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvTransposeOptions): Tensor {
  const op = 'convTranspose2d';
  const o = checkOptions(op, options, TRANSPOSE_OPTIONS);
  const b = bias ?? null;
  checkTensors(op, input, weight, b);
  const unbatched = checkInputDims(op, input, 2);
  checkWeightDims(op, weight, 2);
  const stride = expandSize(op, 'stride', o.stride ?? 1, 2);
  const padding = expandSize(op, 'padding', o.padding ?? 0, 2);
  const outPad = expandSize(op, 'outputPadding', o.outputPadding ?? 0, 2);
  const dilation = expandSize(op, 'dilation', o.dilation ?? 1, 2);
  const groups = o.groups ?? 1;
  checkParams(op, stride, padding, dilation, groups);
  if (outPad.some((p) => p < 0)) throw new RangeError(`${op}: negative output_padding is not supported (got outputPadding=[${outPad.join(', ')}])`);
  if (outPad.some((p, d) => p >= stride[d] && p >= dilation[d])) {
    throw new RangeError(`${op}: output padding must be smaller than either stride or dilation, but got output_padding_height: ${outPad[0]} output_padding_width: ${outPad[1]} stride_height: ${stride[0]} stride_width: ${stride[1]} dilation_height: ${dilation[0]} dilation_width: ${dilation[1]}`);
  }
  const xs = unbatched ? [1, ...input.shape] : input.shape;
  const [N, Cin, H, W] = xs, [Cw, CoutG, kH, kW] = weight.shape;
  if (Cw % groups !== 0) {
    throw new RangeError(`${op}: Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${fmt(weight.shape)} instead`);
  }
  if (Cin !== Cw) {
    throw new RangeError(`${op}: Given transposed=1, weight of size ${fmt(weight.shape)}, expected input${fmt(xs)} to have ${Cw} channels, but got ${Cin} channels instead`);
  }
  checkBias(op, weight, b, CoutG * groups);
  const OH = (H - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kH - 1) + outPad[0] + 1;
  const OW = (W - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kW - 1) + outPad[1] + 1;
  if (OH <= 0 || OW <= 0) {
    throw new RangeError(`${op}: Given input size per channel: (${H} x ${W}). Calculated output size per channel: (${OH} x ${OW}). Output size is too small`);
  }
  checkNumel(op, [N, CoutG * groups, OH, OW]);
  // the image side is the output, the column side the input
  const g: Geometry = checkGeometry(op, {
    N, G: groups, CG: CoutG, H: OH, W: OW, OG: Cin / groups, OH: H, OW: W,
    kH, kW, sH: stride[0], sW: stride[1], pH: padding[0], pW: padding[1], dH: dilation[0], dW: dilation[1],
  });
  return lift(input, weight, unbatched, false, (x, w) => withDense([x, w, b], ([xc, wc, bc]) => {
    const y = inputRaw(g, xc!, wc!, bc, op);
    const inputs = b ? [x, w, b] : [x, w];
    if (needsGrad(...inputs)) {
      const sx = save(xc!), sw = save(wc!);
      const wShape = [...w.shape];
      // gx = W ⋆ gy (a convolution), gW = Σ x·im2col(gy)ᵀ, gb = Σ gy over batch and space
      record('ConvolutionBackward0', y, inputs, (gy, n) => withDense([gy], ([gc]) => [
        n[0] ? forwardRaw(g, gc!, sw, null, 'backward') : null,
        n[1] ? weightRaw(g, gc!, sx, wShape, 'backward') : null,
        ...(b ? [n[2] ? channelSumRaw(gc!, 'backward') : null] : []),
      ]), [sx, sw]);
    }
    return y;
  }));
}
