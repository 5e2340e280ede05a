import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';
import {
  noExtraArgs, reluArgs, leakyReluArgs, geluArgs, softmaxDimArg,
  type ReLUOptions, type LeakyReLUOptions, type GELUOptions, type GeluApproximate, type SoftmaxOptions,
} from '../functional_extra.js';

/** `max(x, 0)` as a layer; `inplace` (positional or `{ inplace }`) must be false. PyTorch: `torch.nn.ReLU`. */
export class ReLU extends Module {
  constructor(inplace?: boolean | ReLUOptions) {
    super();
    noExtraArgs('ReLU', arguments, 1, '(inplace?)');
    reluArgs('ReLU', inplace);
  }
  /** Applies the layer to `x`. PyTorch: `torch.nn.ReLU.forward`. */
  forward(x: Tensor): Tensor { return F.relu(x); }
}
/** `1/(1+e⁻ˣ)` as a layer. PyTorch: `torch.nn.Sigmoid`. */
export class Sigmoid extends Module {
  constructor() { super(); noExtraArgs('Sigmoid', arguments, 0, 'no arguments'); }
  /** Applies the layer to `x`. PyTorch: `torch.nn.Sigmoid.forward`. */
  forward(x: Tensor): Tensor { return F.sigmoid(x); }
}
/** Hyperbolic tangent as a layer. PyTorch: `torch.nn.Tanh`. */
export class Tanh extends Module {
  constructor() { super(); noExtraArgs('Tanh', arguments, 0, 'no arguments'); }
  /** Applies the layer to `x`. PyTorch: `torch.nn.Tanh.forward`. */
  forward(x: Tensor): Tensor { return F.tanh(x); }
}
/** GELU as a layer: the erf form, or the tanh approximation with `{ approximate: 'tanh' }` (or `'tanh'`). PyTorch: `torch.nn.GELU`. */
export class GELU extends Module {
  /** `'none'` (the erf form) or `'tanh'`. PyTorch: `torch.nn.GELU.approximate`. */
  readonly approximate: GeluApproximate;
  constructor(approximate?: GeluApproximate | GELUOptions) {
    super();
    noExtraArgs('GELU', arguments, 1, '(approximate?)');
    this.approximate = geluArgs('GELU', approximate);
  }
  /** Applies the layer to `x`. PyTorch: `torch.nn.GELU.forward`. */
  forward(x: Tensor): Tensor { return F.gelu(x, { approximate: this.approximate }); }
  extraRepr(): string { return this.approximate === 'none' ? '' : `approximate='${this.approximate}'`; }
}

/**
 * `x` where positive, else `x` times `negativeSlope` (default 0.01), as a layer: `LeakyReLU(0.2)` or
 * `LeakyReLU({ negativeSlope: 0.2 })`; `inplace` must be false. PyTorch: `torch.nn.LeakyReLU`.
 */
export class LeakyReLU extends Module {
  /** The factor of negative inputs. PyTorch: `torch.nn.LeakyReLU.negative_slope`. */
  readonly negativeSlope: number;
  constructor(negativeSlope?: number | LeakyReLUOptions, inplace?: boolean) {
    super();
    noExtraArgs('LeakyReLU', arguments, 2, '(negativeSlope?, inplace?)');
    this.negativeSlope = leakyReluArgs('LeakyReLU', negativeSlope, inplace);
  }
  /** Applies the layer to `x`. PyTorch: `torch.nn.LeakyReLU.forward`. */
  forward(x: Tensor): Tensor { return F.leakyRelu(x, this.negativeSlope); }
  extraRepr(): string { return `negative_slope=${this.negativeSlope}`; }
}

/** Softmax along `dim` (`Softmax(1)` or `Softmax({ dim: 1 })`) as a layer. PyTorch: `torch.nn.Softmax`. */
export class Softmax extends Module {
  /** The dimension to normalise along. PyTorch: `torch.nn.Softmax.dim`. */
  readonly dim: number;
  constructor(dim: number | SoftmaxOptions) {
    super();
    noExtraArgs('Softmax', arguments, 1, '(dim)');
    this.dim = softmaxDimArg('Softmax', dim) as number;
  }
  /** Applies the layer to `x`. PyTorch: `torch.nn.Softmax.forward`. */
  forward(x: Tensor): Tensor { return F.softmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim ?? 'None'}`; }
}

/** Log-softmax along `dim` (`LogSoftmax(1)` or `LogSoftmax({ dim: 1 })`) as a layer. PyTorch: `torch.nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  /** The dimension to normalise along. PyTorch: `torch.nn.LogSoftmax.dim`. */
  readonly dim: number;
  constructor(dim: number | SoftmaxOptions) {
    super();
    noExtraArgs('LogSoftmax', arguments, 1, '(dim)');
    this.dim = softmaxDimArg('LogSoftmax', dim) as number;
  }
  /** Applies the layer to `x`. PyTorch: `torch.nn.LogSoftmax.forward`. */
  forward(x: Tensor): Tensor { return F.logSoftmax(x, this.dim); }
  extraRepr(): string { return `dim=${this.dim ?? 'None'}`; }
}
