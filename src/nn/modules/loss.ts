import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as F from '../functional.js';
import type { Reduction } from '../../ops/loss.js';

/** The losses' base: `reduction` is 'mean' (default), 'sum' or 'none'. PyTorch: `torch.nn.modules.loss._Loss`. */
abstract class Loss extends Module {
  /** How the loss reduces: 'mean' (the default), 'sum' or 'none'. PyTorch: `reduction`. */
  readonly reduction: Reduction;
  constructor(options: { reduction?: Reduction } = {}) {
    super();
    this.reduction = options.reduction ?? 'mean';
    if (!['mean', 'sum', 'none'].includes(this.reduction)) throw new RangeError(`${new.target.name}: reduction must be 'mean', 'sum' or 'none', got '${this.reduction}'`);
  }
  /** The loss of `input` against `target`. PyTorch: `_Loss.forward`. */
  abstract forward(input: Tensor, target: Tensor): Tensor;
}

/** Squared error of input against target, reduced by `reduction` (mean by default). PyTorch: `torch.nn.MSELoss`. */
export class MSELoss extends Loss {
  /** The squared error of `input` against `target`, reduced. PyTorch: `nn.MSELoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return F.mseLoss(input, target, { reduction: this.reduction }); }
}
/** Absolute error of input against target, reduced by `reduction` (mean by default). PyTorch: `torch.nn.L1Loss`. */
export class L1Loss extends Loss {
  /** The absolute error of `input` against `target`, reduced. PyTorch: `nn.L1Loss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return F.l1Loss(input, target, { reduction: this.reduction }); }
}
/** Cross-entropy of logits against class indices (skipping `ignoreIndex`) or probabilities. PyTorch: `torch.nn.CrossEntropyLoss`. */
export class CrossEntropyLoss extends Loss {
  /** A class-index target that adds nothing to the loss (default −100). PyTorch: `ignore_index`. */
  readonly ignoreIndex: number;
  constructor(options: { reduction?: Reduction; ignoreIndex?: number } = {}) {
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }
  /** Cross-entropy of logits `input` against `target`. PyTorch: `nn.CrossEntropyLoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex });
  }
}
