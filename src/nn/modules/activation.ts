import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';

/** `max(x, 0)` as a layer. PyTorch: `torch.nn.ReLU`. */
export class ReLU extends Module { forward(x: Tensor): Tensor { return F.relu(x); } }
/** `1/(1+e⁻ˣ)` as a layer. PyTorch: `torch.nn.Sigmoid`. */
export class Sigmoid extends Module { forward(x: Tensor): Tensor { return F.sigmoid(x); } }
/** Hyperbolic tangent as a layer. PyTorch: `torch.nn.Tanh`. */
export class Tanh extends Module { forward(x: Tensor): Tensor { return F.tanh(x); } }
/** GELU (erf form) as a layer. PyTorch: `torch.nn.GELU`. */
export class GELU extends Module { forward(x: Tensor): Tensor { return F.gelu(x); } }

/** `x` where positive, else `x` times `negativeSlope` (default 0.01), as a layer. PyTorch: `torch.nn.LeakyReLU`. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) { super(); }
  /** Applies the layer to `x`. PyTorch: `torch.nn.LeakyReLU.forward`. */
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  extraRepr(): string { return `negative_slope=${this.negativeSlope}`; }
}

/** Softmax along `dim` as a layer. PyTorch: `torch.nn.Softmax`. */
export class Softmax extends Module {
  constructor(readonly dim: number) { super(); }
  /** Applies the layer to `x`. PyTorch: `torch.nn.Softmax.forward`. */
  forward(x: Tensor): Tensor { return F.softmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}

/** Log-softmax along `dim` as a layer. PyTorch: `torch.nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) { super(); }
  /** Applies the layer to `x`. PyTorch: `torch.nn.LogSoftmax.forward`. */
  forward(x: Tensor): Tensor { return F.logSoftmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim}`; }
}
