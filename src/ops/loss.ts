// Fused losses, one kernel pass each way: MSE, L1, smooth L1 and Huber (elementLoss), KL
// divergence, binary cross-entropy on probabilities and on logits, cross-entropy (class indices
// or probabilities, class weights, label smoothing) and NLL over [N, C, d1, ...]. 'mean' and
// 'sum' reduce inside the kernels; 'none' keeps one value per element (per sample for the class
// losses). Options are checked before anything is allocated: an unknown key or a wrong type is a
// TypeError, a value out of range a RangeError.
import { Tensor } from '../tensor.js';
import { K } from '../runtime/wasm.js';
import { i32View, f32View } from '../runtime/storage.js';
import { needsGrad, record, save } from '../autograd/graph.js';
import { noGrad } from '../autograd/grad_mode.js';
import { fmt, sameShape, numelOf, broadcastShapes } from '../shape.js';
import { dense, expand } from './movement.js';
import { assertFloat, checkTensorArg } from './elementwise.js';
import { checkOptions, type OptionType } from '../options.js';

/** How a loss reduces: `'mean'` (the default), `'sum'` or `'none'` (one value per element or sample). PyTorch: `reduction`. */
export type Reduction = 'mean' | 'sum' | 'none';
/** `reduction`: 'mean' (default), 'sum' or 'none'. PyTorch: the `reduction` keyword. */
export interface LossOptions { reduction?: Reduction }

/** `reduction`, `weight`, `ignoreIndex` and `labelSmoothing` of a cross-entropy. PyTorch: `F.cross_entropy`'s keywords. */
export interface CrossEntropyOptions extends LossOptions {
  /** A float32 [C] weight per class (default: every class weighs 1). PyTorch: `weight`. */
  weight?: Tensor | null;
  /** A class-index target that adds nothing (default −100). PyTorch: `ignore_index`. */
  ignoreIndex?: number;
  /** ε in [0, 1]: targets become (1 − ε)·target + ε/C (default 0). PyTorch: `label_smoothing`. */
  labelSmoothing?: number;
}

/** `reduction`, `weight` and `ignoreIndex` of a negative log-likelihood loss. PyTorch: `F.nll_loss`'s keywords. */
export interface NLLLossOptions extends LossOptions {
  /** A float32 [C] weight per class (default: every class weighs 1). PyTorch: `weight`. */
  weight?: Tensor | null;
  /** A class-index target that adds nothing (default −100). PyTorch: `ignore_index`. */
  ignoreIndex?: number;
}

/** `reduction` and `weight` of a binary cross-entropy. PyTorch: `F.binary_cross_entropy`'s keywords. */
export interface BCELossOptions extends LossOptions {
  /** A float32 weight per element, broadcast to the input's shape (default none). PyTorch: `weight`. */
  weight?: Tensor | null;
}

/** `reduction`, `weight` and `posWeight` of a binary cross-entropy on logits. PyTorch: `F.binary_cross_entropy_with_logits`'s keywords. */
export interface BCEWithLogitsLossOptions extends LossOptions {
  /** A float32 weight per element, broadcast to the input's shape (default none). PyTorch: `weight`. */
  weight?: Tensor | null;
  /** A float32 weight of the positive term, broadcast to the input's shape: [C] weighs each class of [N, C]. PyTorch: `pos_weight`. */
  posWeight?: Tensor | null;
}

/** `reduction` and `beta` of a smooth L1 loss. PyTorch: `F.smooth_l1_loss`'s keywords. */
export interface SmoothL1LossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear, ≥ 0 (default 1; 0 is the L1 loss). PyTorch: `beta`. */
  beta?: number;
}

/** `reduction` and `delta` of a Huber loss. PyTorch: `F.huber_loss`'s keywords. */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear, > 0 (default 1). PyTorch: `delta`. */
  delta?: number;
}

/** How a KL divergence reduces: PyTorch's `'batchmean'` divides the sum by the batch size, `'mean'` by the element count. PyTorch: `F.kl_div`'s `reduction`. */
export type KLDivReduction = 'mean' | 'batchmean' | 'sum' | 'none';

/** `reduction` and `logTarget` of a KL divergence. PyTorch: `F.kl_div`'s keywords. */
export interface KLDivLossOptions {
  /** 'mean' (the default: over every element), 'batchmean' (the sum over the batch size: the true KL divergence), 'sum' or 'none'. PyTorch: `reduction`. */
  reduction?: KLDivReduction;
  /** Whether the target holds log-probabilities (default false). PyTorch: `log_target`. */
  logTarget?: boolean;
}

// ---- options ----------------------------------------------------------------------------------

/** A weight option: absent/null, or a tensor (its dtype and shape are checked where they are known). */
const tensorOrNull = (v: unknown): string | null => (v === null || (v instanceof Tensor) ? null : 'a float32 Tensor or null');

/** Unknown keys, a non-object and wrong types are TypeErrors naming the key and the known ones (src/options.ts). */
function checkOptionKeys(options: unknown, spec: Readonly<Record<string, OptionType>>, op: string): Record<string, unknown> {
  return checkOptions(op, options as object | undefined, spec) as Record<string, unknown>;
}

/** The reduction (already checked to be a string) among the allowed ones, else a RangeError. */
function reductionOf(value: unknown, op: string, allowed: readonly string[] = ['mean', 'sum', 'none']): string {
  if (value === undefined) return 'mean';
  if (typeof value !== 'string') throw new TypeError(`${op}: option 'reduction' must be a string`);
  if (!allowed.includes(value)) {
    throw new RangeError(`${op}: reduction must be ${allowed.slice(0, -1).map((r) => `'${r}'`).join(', ')} or '${allowed[allowed.length - 1]}', got '${value}'`);
  }
  return value;
}

function numberOption(value: unknown, name: string, dflt: number, op: string, check: (v: number) => boolean, expect: string): number {
  if (value === undefined) return dflt;
  if (typeof value !== 'number') throw new TypeError(`${op}: option '${name}' must be a number`);
  if (!check(value)) throw new RangeError(`${op}: ${name} must be ${expect}, got ${value}`);
  return value;
}

const ignoreIndexOf = (value: unknown): number => (value === undefined ? -100 : value as number);

/** A weight option: null, or a float32 tensor that does not require grad (PyTorch refuses that too). */
function tensorOption(value: unknown, name: string, op: string): Tensor | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Tensor)) throw new TypeError(`${op}: option '${name}' must be a float32 Tensor or null`);
  value.ptr(op); // a disposed weight
  if (value.dtype !== 'float32') throw new TypeError(`${op}: ${name} must be a float32 tensor, got ${value.dtype} of shape ${fmt(value.shape)}`);
  return value;
}

function noWeightGrad(w: Tensor | null, name: string, op: string): void {
  if (w && needsGrad(w)) {
    throw new Error(`${op}: ${name} requires grad, but the loss is not differentiable with respect to ${name} (as in PyTorch); pass ${name}.detach()`);
  }
}

/** Parsed options of the class losses. */
export interface ClassLossConfig { reduction: Reduction; weight: Tensor | null; ignoreIndex: number; labelSmoothing: number }

const CE_KEYS = { weight: tensorOrNull, ignoreIndex: 'integer', reduction: 'string', labelSmoothing: 'number' } as const;
const NLL_KEYS = { weight: tensorOrNull, ignoreIndex: 'integer', reduction: 'string' } as const;

/** Checks cross-entropy options (keys, types, ranges). */
export function crossEntropyConfig(options: unknown, op = 'crossEntropy'): ClassLossConfig {
  const o = checkOptionKeys(options, CE_KEYS, op);
  return {
    reduction: reductionOf(o.reduction, op) as Reduction,
    weight: tensorOption(o.weight, 'weight', op),
    ignoreIndex: ignoreIndexOf(o.ignoreIndex),
    labelSmoothing: numberOption(o.labelSmoothing, 'labelSmoothing', 0, op, (v) => v >= 0 && v <= 1, 'between 0.0 and 1.0'),
  };
}

/** Checks NLL options (keys, types, ranges). */
export function nllConfig(options: unknown, op = 'nllLoss'): ClassLossConfig {
  const o = checkOptionKeys(options, NLL_KEYS, op);
  return { reduction: reductionOf(o.reduction, op) as Reduction, weight: tensorOption(o.weight, 'weight', op), ignoreIndex: ignoreIndexOf(o.ignoreIndex), labelSmoothing: 0 };
}

/** Parsed options of the elementwise losses. */
export interface ElementLossConfig { reduction: Reduction; p: number }

/** Checks `{ reduction }` options (MSE, L1). */
export function plainConfig(options: unknown, op: string): ElementLossConfig {
  const o = checkOptionKeys(options, { reduction: 'string' }, op);
  return { reduction: reductionOf(o.reduction, op) as Reduction, p: 0 };
}
/** Checks `{ reduction, beta }`. */
export function smoothL1Config(options: unknown, op = 'smoothL1Loss'): ElementLossConfig {
  const o = checkOptionKeys(options, { reduction: 'string', beta: 'number' }, op);
  return { reduction: reductionOf(o.reduction, op) as Reduction, p: numberOption(o.beta, 'beta', 1, op, (v) => v >= 0, 'non-negative (PyTorch: smooth_l1_loss does not support negative values for beta)') };
}
/** Checks `{ reduction, delta }`. */
export function huberConfig(options: unknown, op = 'huberLoss'): ElementLossConfig {
  const o = checkOptionKeys(options, { reduction: 'string', delta: 'number' }, op);
  return { reduction: reductionOf(o.reduction, op) as Reduction, p: numberOption(o.delta, 'delta', 1, op, (v) => v > 0, 'positive (PyTorch: huber_loss does not support non-positive values for delta)') };
}

/** Parsed options of the binary cross-entropies. */
export interface BinaryLossConfig { reduction: Reduction; weight: Tensor | null; posWeight: Tensor | null }

/** Checks `{ reduction, weight }`. */
export function bceConfig(options: unknown, op = 'binaryCrossEntropy'): BinaryLossConfig {
  const o = checkOptionKeys(options, { weight: tensorOrNull, reduction: 'string' }, op);
  return { reduction: reductionOf(o.reduction, op) as Reduction, weight: tensorOption(o.weight, 'weight', op), posWeight: null };
}
/** Checks `{ reduction, weight, posWeight }`. */
export function bceWithLogitsConfig(options: unknown, op = 'binaryCrossEntropyWithLogits'): BinaryLossConfig {
  const o = checkOptionKeys(options, { weight: tensorOrNull, reduction: 'string', posWeight: tensorOrNull }, op);
  return { reduction: reductionOf(o.reduction, op) as Reduction, weight: tensorOption(o.weight, 'weight', op), posWeight: tensorOption(o.posWeight, 'posWeight', op) };
}

/** Parsed options of the KL divergence. */
export interface KLDivConfig { reduction: KLDivReduction; logTarget: boolean }

/** Checks `{ reduction, logTarget }`. */
export function klDivConfig(options: unknown, op = 'klDiv'): KLDivConfig {
  const o = checkOptionKeys(options, { reduction: 'string', logTarget: 'boolean' }, op);
  return { reduction: reductionOf(o.reduction, op, ['mean', 'batchmean', 'sum', 'none']) as KLDivReduction, logTarget: o.logTarget === true };
}

// ---- shared plumbing -------------------------------------------------------------------------

/** A contiguous tensor for a kernel, and whether this call owns (must dispose) it. */
interface Dense { t: Tensor; owned: boolean }
const denseOf = (t: Tensor): Dense => { const d = dense(t); return { t: d, owned: d !== t }; };
/** Disposes the copies this call made (no rest array: it runs in every loss's forward and backward). */
function release(a: Dense | null, b: Dense | null = null, c: Dense | null = null, d: Dense | null = null): void {
  if (a?.owned) a.t.dispose();
  if (b?.owned) b.t.dispose();
  if (c?.owned) c.t.dispose();
  if (d?.owned) d.t.dispose();
}
/** A handle for backward that outlives the call's own dense copy. */
const keepFor = (d: Dense | null): Tensor | null => (d ? (d.owned ? d.t.savedHandle() : save(d.t)) : null);

/**
 * An elementwise weight broadcast to `shape`, as a contiguous block read with a period: a weight
 * of `shape`'s trailing dims (e.g. [C] for [N, C]) is read as is, any other broadcast is expanded.
 */
function periodic(w: Tensor, shape: readonly number[], name: string, op: string): { d: Dense; period: number } {
  let b: number[];
  try { b = broadcastShapes(w.shape, shape, op); } catch { b = []; }
  if (!sameShape(b, shape)) {
    throw new RangeError(`${op}: ${name} of shape ${fmt(w.shape)} cannot be broadcast to the input's shape ${fmt(shape)}`);
  }
  let lead = 0;
  while (lead < w.ndim && w.shape[lead] === 1) lead++;
  const core = w.shape.slice(lead);
  if (sameShape(core, shape.slice(shape.length - core.length))) return { d: denseOf(w), period: numelOf(core) };
  const e = noGrad(() => expand(w, [...shape]));
  const d = dense(e);
  if (d !== e) e.dispose();
  return { d: { t: d, owned: true }, period: numelOf(shape) };
}

function sameShapes(input: Tensor, target: Tensor, op: string): void {
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${op}: input of shape ${fmt(input.shape)} and target of shape ${fmt(target.shape)} must have the same shape`);
  }
}

const ptrOr0 = (t: Tensor | null, op: string): number => (t ? t.ptr(op) : 0);

/** The gradient a backward rule receives, contiguous, with its element step (0: a reduced loss's scalar). */
function gradOf(g: Tensor, reduced: boolean): Dense & { gs: number } { const t = dense(g); return { t, owned: t !== g, gs: reduced ? 0 : 1 }; }

// ---- elementwise losses: MSE, L1, smooth L1, Huber ---------------------------------------------

function elementwise(kind: 0 | 1 | 2 | 3, input: Tensor, target: Tensor, cfg: ElementLossConfig, op: string, gradName: string): Tensor {
  checkTensorArg(input, op, 'input'); checkTensorArg(target, op, 'target'); // a number or a disposed tensor, named under this loss
  assertFloat(input, op); assertFloat(target, op);
  sameShapes(input, target, op);
  const { reduction, p } = cfg;
  const a = denseOf(input), b = denseOf(target);
  const n = a.t.numel();
  const reduced = reduction !== 'none';
  const scale = reduction === 'mean' ? 1 / n : 1;
  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);
  const k = K();
  k.elementLoss(kind, a.t.ptr(op), b.t.ptr(op), out.ptr(op), n, p, reduced ? 1 : 0, scale);
  if (needsGrad(input, target)) {
    const sa = keepFor(a)!, sb = keepFor(b)!;
    record(gradName, out, [input, target], (g, needs) => {
      const gc = gradOf(g, reduced);
      const da = needs[0] ? Tensor.empty(sa.shape, 'float32', 'backward') : null;
      const db = needs[1] ? Tensor.empty(sa.shape, 'float32', 'backward') : null;
      k.elementLossBackward(kind, sa.ptr('backward'), sb.ptr('backward'), gc.t.ptr('backward'), gc.gs,
        ptrOr0(da, 'backward'), ptrOr0(db, 'backward'), n, p, scale);
      release(gc);
      return [da, db];
    }, [sa, sb]);
  }
  release(a, b);
  return out;
}

/** Mean squared error between input and target (same shapes); the target gets a gradient too. PyTorch: `F.mse_loss`. */
export const mseLoss = (input: Tensor, target: Tensor, options?: LossOptions): Tensor =>
  elementwise(0, input, target, plainConfig(options, 'mseLoss'), 'mseLoss', 'MseLossBackward0');
/** Mean absolute error between input and target (same shapes); the target gets a gradient too. PyTorch: `F.l1_loss`. */
export const l1Loss = (input: Tensor, target: Tensor, options?: LossOptions): Tensor =>
  elementwise(1, input, target, plainConfig(options, 'l1Loss'), 'l1Loss', 'L1LossBackward0');

/** Smooth L1: ½d²/β where |d| < β, else |d| − ½β (β = 0 is the L1 loss); the target gets a gradient too. PyTorch: `F.smooth_l1_loss`. */
export function smoothL1Loss(input: Tensor, target: Tensor, options?: SmoothL1LossOptions): Tensor {
  const cfg = smoothL1Config(options);
  // PyTorch: beta = 0 is exactly l1_loss, gradient included
  return cfg.p === 0 ? elementwise(1, input, target, cfg, 'smoothL1Loss', 'L1LossBackward0')
    : elementwise(2, input, target, cfg, 'smoothL1Loss', 'SmoothL1LossBackward0');
}

/** Huber: ½d² where |d| < δ, else δ(|d| − ½δ); the target gets a gradient too. PyTorch: `F.huber_loss`. */
export const huberLoss = (input: Tensor, target: Tensor, options?: HuberLossOptions): Tensor =>
  elementwise(3, input, target, huberConfig(options), 'huberLoss', 'HuberLossBackward0');

// ---- KL divergence ---------------------------------------------------------------------------

/**
 * KL divergence of log-probabilities `input` from `target` (probabilities, or log-probabilities
 * with `logTarget`), pointwise xlogy(t, t) − t·input; 'batchmean' divides the sum by the batch
 * size (dim 0), 'mean' (the default) by the element count. PyTorch: `F.kl_div`.
 */
export function klDiv(input: Tensor, target: Tensor, options?: KLDivLossOptions): Tensor {
  const op = 'klDiv';
  const { reduction, logTarget } = klDivConfig(options, op);
  checkTensorArg(input, op, 'input'); checkTensorArg(target, op, 'target'); // a number or a disposed tensor, named under this loss
  assertFloat(input, op); assertFloat(target, op);
  sameShapes(input, target, op);
  const x = denseOf(input), t = denseOf(target);
  const n = x.t.numel();
  const reduced = reduction !== 'none';
  const scale = reduction === 'mean' ? 1 / n : reduction === 'batchmean' && input.ndim > 0 ? 1 / input.shape[0] : 1;
  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);
  const k = K();
  k.klDiv(x.t.ptr(op), t.t.ptr(op), out.ptr(op), n, logTarget ? 1 : 0, reduced ? 1 : 0, scale);
  if (needsGrad(input, target)) {
    const sx = keepFor(x)!, st = keepFor(t)!;
    record('KlDivBackward0', out, [input, target], (g, needs) => {
      const gc = gradOf(g, reduced);
      const dx = needs[0] ? Tensor.empty(sx.shape, 'float32', 'backward') : null;
      const dt = needs[1] ? Tensor.empty(sx.shape, 'float32', 'backward') : null;
      k.klDivBackward(sx.ptr('backward'), st.ptr('backward'), gc.t.ptr('backward'), gc.gs, ptrOr0(dx, 'backward'), ptrOr0(dt, 'backward'), n, logTarget ? 1 : 0, scale);
      release(gc);
      return [dx, dt];
    }, [sx, st]);
  }
  release(x, t);
  return out;
}

// ---- binary cross-entropy --------------------------------------------------------------------

function binary(logits: boolean, input: Tensor, target: Tensor, cfg: BinaryLossConfig, op: string): Tensor {
  checkTensorArg(input, op, 'input'); checkTensorArg(target, op, 'target'); // a number or a disposed tensor, named under this loss
  assertFloat(input, op); assertFloat(target, op);
  sameShapes(input, target, op);
  const { reduction, weight, posWeight } = cfg;
  noWeightGrad(weight, 'weight', op); noWeightGrad(posWeight, 'posWeight', op);
  const wp = weight ? periodic(weight, input.shape, 'weight', op) : null;
  let pp: { d: Dense; period: number } | null = null;
  try { pp = posWeight ? periodic(posWeight, input.shape, 'posWeight', op) : null; } catch (e) { if (wp) release(wp.d); throw e; }
  const x = denseOf(input), y = denseOf(target);
  const n = x.t.numel();
  const reduced = reduction !== 'none';
  const scale = reduction === 'mean' ? 1 / n : 1;
  const out = Tensor.empty(reduced ? [] : input.shape, 'float32', op);
  const k = K();
  const w = wp ? wp.d.t.ptr(op) : 0, wn = wp ? wp.period : 0;
  const pw = pp ? pp.d.t.ptr(op) : 0, pn = pp ? pp.period : 0;
  if (logits) k.bceLogits(x.t.ptr(op), y.t.ptr(op), w, wn, pw, pn, out.ptr(op), n, reduced ? 1 : 0, scale);
  else {
    const bad = k.bce(x.t.ptr(op), y.t.ptr(op), w, wn, out.ptr(op), n, reduced ? 1 : 0, scale);
    if (bad >= 0) {
      const v = f32View(x.t.ptr(op), n)[bad];
      out.dispose(); release(x, y, wp?.d ?? null);
      throw new RangeError(`${op}: all elements of input should be between 0 and 1 (probabilities; use binaryCrossEntropyWithLogits for logits), got ${v} at position ${bad}`);
    }
  }
  if (needsGrad(input, target)) {
    const sx = keepFor(x)!, sy = keepFor(y)!, sw = keepFor(wp?.d ?? null), sp = keepFor(pp?.d ?? null);
    const wnB = wn, pnB = pn;
    record(logits ? 'BinaryCrossEntropyWithLogitsBackward0' : 'BinaryCrossEntropyBackward0', out, [input, target], (g, needs) => {
      const gc = gradOf(g, reduced);
      const dx = needs[0] ? Tensor.empty(sx.shape, 'float32', 'backward') : null;
      const dy = needs[1] ? Tensor.empty(sx.shape, 'float32', 'backward') : null;
      const B = 'backward';
      if (logits) {
        k.bceLogitsBackward(sx.ptr(B), sy.ptr(B), ptrOr0(sw, B), wnB, ptrOr0(sp, B), pnB, gc.t.ptr(B), gc.gs, ptrOr0(dx, B), ptrOr0(dy, B), n, scale);
      } else {
        k.bceBackward(sx.ptr(B), sy.ptr(B), ptrOr0(sw, B), wnB, gc.t.ptr(B), gc.gs, ptrOr0(dx, B), ptrOr0(dy, B), n, scale);
      }
      release(gc);
      return [dx, dy];
    }, [sx, sy, ...(sw ? [sw] : []), ...(sp ? [sp] : [])]);
  }
  release(x, y, wp?.d ?? null, pp?.d ?? null);
  return out;
}

/**
 * Binary cross-entropy of probabilities `input` (in [0, 1]) against `target` of the same shape,
 * logs clamped at −100 as PyTorch does; `weight` broadcasts to the input. PyTorch: `F.binary_cross_entropy`.
 */
export const binaryCrossEntropy = (input: Tensor, target: Tensor, options?: BCELossOptions): Tensor =>
  binary(false, input, target, bceConfig(options), 'binaryCrossEntropy');

/**
 * Binary cross-entropy of logits `input` against `target` in the stable log-sigmoid form;
 * `posWeight` weighs the positive term (a [C] tensor per class of [N, C]), `weight` each element.
 * PyTorch: `F.binary_cross_entropy_with_logits`.
 */
export const binaryCrossEntropyWithLogits = (input: Tensor, target: Tensor, options?: BCEWithLogitsLossOptions): Tensor =>
  binary(true, input, target, bceWithLogitsConfig(options), 'binaryCrossEntropyWithLogits');

// ---- class losses: cross-entropy, NLL --------------------------------------------------------

/** [N, C, d1, ...] (or [C]) seen as [outer, C, inner], and the per-sample shape [N, d1, ...] (or []). */
function classLayout(input: Tensor, op: string): { outer: number; C: number; inner: number; sampleShape: number[] } {
  if (input.ndim === 0) throw new RangeError(`${op}: input must have at least 1 dim (classes), got shape ${fmt(input.shape)}`);
  if (input.ndim === 1) return { outer: 1, C: input.shape[0], inner: 1, sampleShape: [] };
  const inner = numelOf(input.shape.slice(2));
  return { outer: input.shape[0], C: input.shape[1], inner, sampleShape: [input.shape[0], ...input.shape.slice(2)] };
}

function classWeight(w: Tensor | null, C: number, op: string): void {
  if (w && !(w.ndim === 1 && w.shape[0] === C)) {
    throw new RangeError(`${op}: weight must be a 1-D tensor of ${C} class weights (one per class of the input), got shape ${fmt(w.shape)}`);
  }
  noWeightGrad(w, 'weight', op);
}

/** Checks class-index targets (before any allocation) and returns Σ weight[t] over the non-ignored ones. */
function checkIndices(target: Tensor, weight: Tensor | null, C: number, ignoreIndex: number, op: string): number {
  const t = denseOf(target);
  const n = t.t.numel();
  const tv = i32View(t.t.ptr(op), n);
  const wd = weight ? denseOf(weight) : null;
  const wv = wd ? f32View(wd.t.ptr(op), C) : null;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = tv[i];
    if (c === ignoreIndex) continue;
    if (c < 0 || c >= C) {
      release(t, wd);
      throw new RangeError(`${op}: target ${c} at position ${i} is out of bounds for ${C} classes (expected in [0, ${C - 1}] or ignoreIndex ${ignoreIndex})`);
    }
    total += wv ? wv[c] : 1;
  }
  release(t, wd);
  return total;
}

function classTargets(input: Tensor, target: Tensor, sampleShape: number[], op: string, allowProbs: boolean): boolean {
  if (target.dtype === 'float32' && allowProbs) {
    if (!sameShape(input.shape, target.shape)) throw new RangeError(`${op}: probability targets must have the input's shape ${fmt(input.shape)}, got ${fmt(target.shape)}`);
    return true;
  }
  if (target.dtype !== 'int32') {
    throw new TypeError(`${op}: targets must be int32 class indices${allowProbs ? ' or float32 probabilities' : ''}, got ${target.dtype} of shape ${fmt(target.shape)}`);
  }
  if (!sameShape(target.shape, sampleShape)) {
    throw new RangeError(`${op}: class-index targets for input of shape ${fmt(input.shape)} must have shape ${fmt(sampleShape)}, got ${fmt(target.shape)}`);
  }
  return false;
}

/**
 * Cross-entropy of logits [N, C] (or [C], or [N, C, d1, ...]) against int32 class indices [N]
 * ([], [N, d1, ...]) or float probabilities of the input's shape, with PyTorch's `weight`
 * (per class; 'mean' over class indices divides by the targets' summed weights),
 * `ignoreIndex` and `labelSmoothing`. PyTorch: `F.cross_entropy`.
 */
export function crossEntropy(input: Tensor, target: Tensor, options?: CrossEntropyOptions): Tensor {
  const op = 'crossEntropy';
  const { reduction, weight, ignoreIndex, labelSmoothing: eps } = crossEntropyConfig(options, op);
  checkTensorArg(input, op, 'input'); checkTensorArg(target, op, 'target'); // a number or a disposed tensor, named under this loss
  assertFloat(input, op);
  const { outer, C, inner, sampleShape } = classLayout(input, op);
  const probs = classTargets(input, target, sampleShape, op, true);
  classWeight(weight, C, op);
  const rows = outer * inner;
  if (C === 0 && rows > 0) throw new RangeError(`${op}: input of shape ${fmt(input.shape)} has no classes`);
  const weightSum = probs ? rows : checkIndices(target, weight, C, ignoreIndex, op);
  const reduced = reduction !== 'none';
  const scale = reduction === 'mean' ? 1 / weightSum : 1; // 0 valid targets: NaN, as PyTorch
  const x = denseOf(input), t = denseOf(target), w = weight ? denseOf(weight) : null;
  const k = K();
  const out = Tensor.empty(reduced ? [] : sampleShape, 'float32', op);
  const logp = Tensor.empty(input.shape, 'float32', op);
  const r = reduced ? 1 : 0;
  if (probs) k.crossEntropyProbsNd(x.t.ptr(op), t.t.ptr(op), ptrOr0(w?.t ?? null, op), out.ptr(op), logp.ptr(op), outer, C, inner, eps, r, scale);
  else k.crossEntropyNd(x.t.ptr(op), t.t.ptr(op), ptrOr0(w?.t ?? null, op), out.ptr(op), logp.ptr(op), outer, C, inner, ignoreIndex, eps, r, scale);
  const targetNeeds = probs && needsGrad(target);
  if (needsGrad(input) || targetNeeds) {
    const st = keepFor(t)!, sw = keepFor(w), sl = logp.savedHandle();
    const inputs = targetNeeds ? [input, target] : [input];
    record(probs ? 'CrossEntropyLossBackward0' : 'NllLossBackward0', out, inputs, (g, needs) => {
      const gc = gradOf(g, reduced);
      const B = 'backward';
      const dx = needs[0] ? Tensor.empty(sl.shape, 'float32', B) : null;
      const dt = targetNeeds && needs[1] ? Tensor.empty(sl.shape, 'float32', B) : null;
      if (probs) k.crossEntropyProbsNdBackward(sl.ptr(B), st.ptr(B), ptrOr0(sw, B), gc.t.ptr(B), gc.gs, ptrOr0(dx, B), ptrOr0(dt, B), outer, C, inner, eps, scale);
      else if (dx) k.crossEntropyNdBackward(sl.ptr(B), st.ptr(B), ptrOr0(sw, B), gc.t.ptr(B), gc.gs, dx.ptr(B), outer, C, inner, ignoreIndex, eps, scale);
      release(gc);
      return targetNeeds ? [dx, dt] : [dx];
    }, [st, sl, ...(sw ? [sw] : [])]);
  }
  logp.dispose();
  release(x, t, w);
  return out;
}

/**
 * Negative log-likelihood of log-probabilities [N, C] (or [C], or [N, C, d1, ...]) at int32
 * class indices, with per-class `weight` ('mean' divides by the targets' summed weights) and
 * `ignoreIndex`. PyTorch: `F.nll_loss`.
 */
export function nllLoss(input: Tensor, target: Tensor, options?: NLLLossOptions): Tensor {
  const op = 'nllLoss';
  const { reduction, weight, ignoreIndex } = nllConfig(options, op);
  checkTensorArg(input, op, 'input'); checkTensorArg(target, op, 'target'); // a number or a disposed tensor, named under this loss
  assertFloat(input, op);
  const { outer, C, inner, sampleShape } = classLayout(input, op);
  classTargets(input, target, sampleShape, op, false);
  classWeight(weight, C, op);
  const weightSum = checkIndices(target, weight, C, ignoreIndex, op);
  const reduced = reduction !== 'none';
  const scale = reduction === 'mean' ? 1 / weightSum : 1;
  const x = denseOf(input), t = denseOf(target), w = weight ? denseOf(weight) : null;
  const k = K();
  const out = Tensor.empty(reduced ? [] : sampleShape, 'float32', op);
  k.nllLoss(x.t.ptr(op), t.t.ptr(op), ptrOr0(w?.t ?? null, op), out.ptr(op), outer, C, inner, ignoreIndex, reduced ? 1 : 0, scale);
  if (needsGrad(input)) {
    const st = keepFor(t)!, sw = keepFor(w);
    const shape = [...input.shape];
    record('NllLossBackward0', out, [input], (g) => {
      const gc = gradOf(g, reduced);
      const B = 'backward';
      const dx = Tensor.empty(shape, 'float32', B);
      k.nllLossBackward(st.ptr(B), ptrOr0(sw, B), gc.t.ptr(B), gc.gs, dx.ptr(B), outer, C, inner, ignoreIndex, scale);
      release(gc);
      return [dx];
    }, [st, ...(sw ? [sw] : [])]);
  }
  release(x, t, w);
  return out;
}
