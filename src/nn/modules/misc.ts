import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';
import { describeValue } from '../../options.js';
import { noExtraArgs, flattenArgs, type FlattenOptions } from '../functional_extra.js';

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
