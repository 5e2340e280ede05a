import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';
import { describeValue } from '../../options.js';
import { noExtraArgs, flattenArgs, dropMasked, type FlattenOptions } from '../functional_extra.js';
import { mul } from '../../ops/elementwise.js';
import { normDim, fmt } from '../../shape.js';

/** Zeroes elements with probability `p` and scales the rest by 1/(1−p) in training; the identity in eval(). PyTorch: `torch.nn.Dropout`. */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (typeof p !== 'number') {
      throw new TypeError(`Dropout: p must be a number (the probability of an element to be zeroed), got ${describeValue(p)}${p !== null && typeof p === 'object' ? '; write new nn.Dropout(0.2), not new nn.Dropout({ p: 0.2 })' : ''}`);
    }
    if (arguments.length > 1) throw new TypeError(`Dropout: takes only p (in-place dropout is not supported), got ${arguments.length} arguments`);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: probability has to be between 0 and 1, got ${p}`);
  }
  /** Applies dropout to `x` when training. PyTorch: `nn.Dropout.forward`. */
  forward(x: Tensor): Tensor { return F.dropout(x, this.p, this.training); }
  extraRepr(): string { return `p=${this.p}, inplace=False`; }
}

/** Merges dims `startDim` (default 1, keeping the batch dim) to `endDim` (default −1): `Flatten(0)` or `Flatten({ startDim: 0 })`. PyTorch: `torch.nn.Flatten`. */
export class Flatten extends Module {
  /** The first dim merged. PyTorch: `torch.nn.Flatten.start_dim`. */
  readonly startDim: number;
  /** The last dim merged. PyTorch: `torch.nn.Flatten.end_dim`. */
  readonly endDim: number;
  constructor(startDim?: number | FlattenOptions, endDim?: number) {
    super();
    noExtraArgs('Flatten', arguments, 2, '(startDim?, endDim?)');
    [this.startDim, this.endDim] = flattenArgs('Flatten', startDim, endDim);
  }
  /** `x` with the dims merged. PyTorch: `nn.Flatten.forward`. */
  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }
  extraRepr(): string { return `start_dim=${this.startDim}, end_dim=${this.endDim}`; }
}

/** Returns its input unchanged; like PyTorch's, it accepts and ignores constructor arguments. PyTorch: `torch.nn.Identity`. */
export class Identity extends Module {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  constructor(..._args: unknown[]) { super(); }
  /** Returns `x`. PyTorch: `nn.Identity.forward`. */
  forward(x: Tensor): Tensor { return x; }
}

/**
 * Zeroes whole channels with probability `p` in training and scales the rest by 1/(1−p); the
 * identity in eval(). Takes (N, C, H, W), and 3-D input as PyTorch 1.13 does: as (N, C, L),
 * dropping each (n, c) row (PyTorch warns that this will change to (C, H, W)). PyTorch: `torch.nn.Dropout2d`.
 */
export class Dropout2d extends Module {
  /** The probability of a channel to be zeroed. PyTorch: `nn.Dropout2d.p`. */
  readonly p: number;
  constructor(p = 0.5) {
    super();
    this.p = p;
    if (typeof p !== 'number') {
      throw new TypeError(`Dropout2d: p must be a number (the probability of a channel to be zeroed), got ${describeValue(p)}${p !== null && typeof p === 'object' ? '; write new nn.Dropout2d(0.2), not new nn.Dropout2d({ p: 0.2 })' : ''}`);
    }
    if (arguments.length > 1) throw new TypeError(`Dropout2d: takes only p (in-place dropout is not supported), got ${arguments.length} arguments`);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout2d: dropout probability has to be between 0 and 1, but got ${p}`);
  }
  /** Drops whole channels of `x` when training. PyTorch: `nn.Dropout2d.forward`. */
  forward(x: Tensor): Tensor {
    if (x === null || typeof x !== 'object' || (x as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`Dropout2d: input must be a Tensor, got ${describeValue(x)}`);
    x.ptr('Dropout2d');
    if (x.dtype !== 'float32') throw new TypeError(`Dropout2d: expected a float32 input, got ${x.dtype} of shape ${fmt(x.shape)}`);
    if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`Dropout2d: expected a 4-D (N, C, H, W) or 3-D (N, C, L) input, got shape ${fmt(x.shape)}`);
    if (!this.training || this.p === 0) return mul(x, 1);
    // one draw per (sample, channel), broadcast over the spatial dims
    return dropMasked(x, this.p, x.shape.map((s, i) => (i < 2 ? s : 1)), 'Dropout2d');
  }
  extraRepr(): string { return `p=${this.p}, inplace=False`; }
}

/** Splits dim `dim` into `unflattenedSize` (one entry may be −1): the inverse of Flatten. PyTorch: `torch.nn.Unflatten`. */
export class Unflatten extends Module {
  /** The dim split. PyTorch: `nn.Unflatten.dim`. */
  readonly dim: number;
  /** The sizes it is split into. PyTorch: `nn.Unflatten.unflattened_size`. */
  readonly unflattenedSize: number[];
  constructor(dim: number, unflattenedSize: number[]) {
    super();
    noExtraArgs('Unflatten', arguments, 2, '(dim, unflattenedSize)');
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${describeValue(dim)}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.length === 0 || !unflattenedSize.every((s) => Number.isInteger(s) && s >= -1)) {
      throw new TypeError(`Unflatten: unflattenedSize must be a non-empty array of sizes (integers ≥ 0, or one −1), got ${describeValue(unflattenedSize)}`);
    }
    if (unflattenedSize.filter((s) => s === -1).length > 1) throw new RangeError(`Unflatten: only one size can be inferred (−1), got ${fmt(unflattenedSize)}`);
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }
  /** `x` with dim `dim` split. PyTorch: `nn.Unflatten.forward`. */
  forward(x: Tensor): Tensor {
    if (x === null || typeof x !== 'object' || (x as { isTensor?: unknown }).isTensor !== true) throw new TypeError(`Unflatten: input must be a Tensor, got ${describeValue(x)}`);
    x.ptr('Unflatten');
    const d = normDim(this.dim, x.ndim, 'Unflatten');
    const size = x.shape[d], sizes = this.unflattenedSize;
    const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const ok = sizes.includes(-1) ? (known > 0 ? size % known === 0 : size === 0) : known === size;
    if (!ok) throw new RangeError(`Unflatten: Provided sizes ${fmt(sizes)} don't multiply up to the size of dim ${this.dim} (${size}) in the input tensor of shape ${fmt(x.shape)}`);
    const shape = [...x.shape.slice(0, d), ...sizes.map((s) => (s === -1 ? (known > 0 ? size / known : 0) : s)), ...x.shape.slice(d + 1)];
    return x.reshape(shape);
  }
  extraRepr(): string { return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')}${this.unflattenedSize.length === 1 ? ',' : ''})`; }
}
