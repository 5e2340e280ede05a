import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';

/** Dropout(p): scales kept values by 1/(1−p) in training; the identity in eval(). */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: probability has to be between 0 and 1, got ${p}`);
  }
  forward(x: Tensor): Tensor { return F.dropout(x, this.p, this.training); }
  extraRepr(): string { return `p=${this.p}, inplace=False`; }
}

/** Flatten(startDim = 1, endDim = −1), as nn.Flatten (which keeps the batch dim). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }
  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }
  extraRepr(): string { return `start_dim=${this.startDim}, end_dim=${this.endDim}`; }
}

export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}
