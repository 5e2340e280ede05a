import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';

export class ReLU extends Module { forward(x: Tensor): Tensor { return F.relu(x); } }
export class Sigmoid extends Module { forward(x: Tensor): Tensor { return F.sigmoid(x); } }
export class Tanh extends Module { forward(x: Tensor): Tensor { return F.tanh(x); } }
export class GELU extends Module { forward(x: Tensor): Tensor { return F.gelu(x); } }

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  extraRepr(): string { return `negative_slope=${this.negativeSlope}`; }
}

export class Softmax extends Module {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return F.softmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) { super(); }
  forward(x: Tensor): Tensor { return F.logSoftmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}
