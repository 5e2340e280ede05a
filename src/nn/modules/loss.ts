import { Module } from '../module.js';
import { Tensor } from '../../tensor.js';
import * as L from '../../ops/loss.js';
import type {
  Reduction, LossOptions, CrossEntropyOptions, NLLLossOptions, BCELossOptions, BCEWithLogitsLossOptions,
  SmoothL1LossOptions, HuberLossOptions, KLDivLossOptions, KLDivReduction,
} from '../../ops/loss.js';

/** The losses' base: `reduction` is 'mean' (default), 'sum' or 'none'. PyTorch: `torch.nn.modules.loss._Loss`. */
abstract class Loss<R extends string = Reduction> extends Module {
  /** How the loss reduces: 'mean' (the default), 'sum' or 'none'. PyTorch: `reduction`. */
  readonly reduction: R;
  constructor(reduction: R) {
    super();
    this.reduction = reduction;
  }
  /** The loss of `input` against `target`. PyTorch: `_Loss.forward`. */
  abstract forward(input: Tensor, target: Tensor): Tensor;
  /** Keeps a weight as a buffer under PyTorch's name, so it is in `stateDict()` (`weight`, `pos_weight`). */
  protected weightBuffer(name: string, w: Tensor | null): Tensor | null {
    if (w) this.registerBuffer(name, w);
    return w;
  }
}

/** Squared error of input against target, reduced by `reduction` (mean by default). PyTorch: `torch.nn.MSELoss`. */
export class MSELoss extends Loss {
  /** Checks `options` (`reduction`). PyTorch: `nn.MSELoss(reduction=...)`. */
  constructor(options?: LossOptions) { super(L.plainConfig(options, 'MSELoss').reduction); }
  /** The squared error of `input` against `target`, reduced. PyTorch: `nn.MSELoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return L.mseLoss(input, target, { reduction: this.reduction }); }
}
/** Absolute error of input against target, reduced by `reduction` (mean by default). PyTorch: `torch.nn.L1Loss`. */
export class L1Loss extends Loss {
  /** Checks `options` (`reduction`). PyTorch: `nn.L1Loss(reduction=...)`. */
  constructor(options?: LossOptions) { super(L.plainConfig(options, 'L1Loss').reduction); }
  /** The absolute error of `input` against `target`, reduced. PyTorch: `nn.L1Loss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return L.l1Loss(input, target, { reduction: this.reduction }); }
}

/**
 * Cross-entropy of logits against class indices (skipping `ignoreIndex`) or probabilities, with
 * per-class `weight` and `labelSmoothing`. PyTorch: `torch.nn.CrossEntropyLoss`.
 */
export class CrossEntropyLoss extends Loss {
  /** A class-index target that adds nothing to the loss (default −100). PyTorch: `ignore_index`. */
  readonly ignoreIndex: number;
  /** The per-class weight [C], or null; a buffer named `weight`. PyTorch: `weight`. */
  readonly weight: Tensor | null;
  /** ε in [0, 1] mixing the targets with the uniform distribution (default 0). PyTorch: `label_smoothing`. */
  readonly labelSmoothing: number;
  /** Checks `options` (`weight`, `ignoreIndex`, `reduction`, `labelSmoothing`). PyTorch: `nn.CrossEntropyLoss(...)`. */
  constructor(options?: CrossEntropyOptions) {
    const c = L.crossEntropyConfig(options, 'CrossEntropyLoss');
    super(c.reduction);
    this.ignoreIndex = c.ignoreIndex;
    this.labelSmoothing = c.labelSmoothing;
    this.weight = this.weightBuffer('weight', c.weight);
  }
  /** Cross-entropy of logits `input` against `target`. PyTorch: `nn.CrossEntropyLoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return L.crossEntropy(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.weight, labelSmoothing: this.labelSmoothing });
  }
}

/** Negative log-likelihood of log-probabilities at class indices, with per-class `weight` and `ignoreIndex`. PyTorch: `torch.nn.NLLLoss`. */
export class NLLLoss extends Loss {
  /** A class-index target that adds nothing to the loss (default −100). PyTorch: `ignore_index`. */
  readonly ignoreIndex: number;
  /** The per-class weight [C], or null; a buffer named `weight`. PyTorch: `weight`. */
  readonly weight: Tensor | null;
  /** Checks `options` (`weight`, `ignoreIndex`, `reduction`). PyTorch: `nn.NLLLoss(...)`. */
  constructor(options?: NLLLossOptions) {
    const c = L.nllConfig(options, 'NLLLoss');
    super(c.reduction);
    this.ignoreIndex = c.ignoreIndex;
    this.weight = this.weightBuffer('weight', c.weight);
  }
  /** The negative log-likelihood of `input` at `target`. PyTorch: `nn.NLLLoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return L.nllLoss(input, target, { reduction: this.reduction, ignoreIndex: this.ignoreIndex, weight: this.weight });
  }
}

/** Binary cross-entropy of probabilities against targets, with an elementwise `weight`. PyTorch: `torch.nn.BCELoss`. */
export class BCELoss extends Loss {
  /** The weight broadcast to each element, or null; a buffer named `weight`. PyTorch: `weight`. */
  readonly weight: Tensor | null;
  /** Checks `options` (`weight`, `reduction`). PyTorch: `nn.BCELoss(...)`. */
  constructor(options?: BCELossOptions) {
    const c = L.bceConfig(options, 'BCELoss');
    super(c.reduction);
    this.weight = this.weightBuffer('weight', c.weight);
  }
  /** The binary cross-entropy of probabilities `input` against `target`. PyTorch: `nn.BCELoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, { reduction: this.reduction, weight: this.weight });
  }
}

/** Binary cross-entropy of logits against targets (stable), with `posWeight` per class and an elementwise `weight`. PyTorch: `torch.nn.BCEWithLogitsLoss`. */
export class BCEWithLogitsLoss extends Loss {
  /** The weight broadcast to each element, or null; a buffer named `weight`. PyTorch: `weight`. */
  readonly weight: Tensor | null;
  /** The positive term's weight broadcast to each element ([C] for [N, C]), or null; a buffer named `pos_weight`. PyTorch: `pos_weight`. */
  readonly posWeight: Tensor | null;
  /** Checks `options` (`weight`, `reduction`, `posWeight`). PyTorch: `nn.BCEWithLogitsLoss(...)`. */
  constructor(options?: BCEWithLogitsLossOptions) {
    const c = L.bceWithLogitsConfig(options, 'BCEWithLogitsLoss');
    super(c.reduction);
    this.weight = this.weightBuffer('weight', c.weight);
    this.posWeight = this.weightBuffer('pos_weight', c.posWeight);
  }
  /** The binary cross-entropy of logits `input` against `target`. PyTorch: `nn.BCEWithLogitsLoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, { reduction: this.reduction, weight: this.weight, posWeight: this.posWeight });
  }
}

/** Smooth L1: quadratic below `beta`, linear above (beta = 0 is L1). PyTorch: `torch.nn.SmoothL1Loss`. */
export class SmoothL1Loss extends Loss {
  /** Where the loss turns from quadratic to linear (default 1). PyTorch: `beta`. */
  readonly beta: number;
  /** Checks `options` (`reduction`, `beta`). PyTorch: `nn.SmoothL1Loss(...)`. */
  constructor(options?: SmoothL1LossOptions) {
    const c = L.smoothL1Config(options, 'SmoothL1Loss');
    super(c.reduction);
    this.beta = c.p;
  }
  /** The smooth L1 loss of `input` against `target`. PyTorch: `nn.SmoothL1Loss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return L.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta }); }
}

/** Huber: quadratic below `delta`, linear (slope delta) above. PyTorch: `torch.nn.HuberLoss`. */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear (default 1). PyTorch: `delta`. */
  readonly delta: number;
  /** Checks `options` (`reduction`, `delta`). PyTorch: `nn.HuberLoss(...)`. */
  constructor(options?: HuberLossOptions) {
    const c = L.huberConfig(options, 'HuberLoss');
    super(c.reduction);
    this.delta = c.p;
  }
  /** The Huber loss of `input` against `target`. PyTorch: `nn.HuberLoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return L.huberLoss(input, target, { reduction: this.reduction, delta: this.delta }); }
}

/**
 * KL divergence of log-probabilities `input` from `target`; `reduction: 'batchmean'` gives the
 * true KL divergence, 'mean' (the default, as PyTorch) averages over every element. PyTorch: `torch.nn.KLDivLoss`.
 */
export class KLDivLoss extends Loss<KLDivReduction> {
  /** Whether the target holds log-probabilities (default false). PyTorch: `log_target`. */
  readonly logTarget: boolean;
  /** Checks `options` (`reduction`, `logTarget`). PyTorch: `nn.KLDivLoss(...)`. */
  constructor(options?: KLDivLossOptions) {
    const c = L.klDivConfig(options, 'KLDivLoss');
    super(c.reduction);
    this.logTarget = c.logTarget;
  }
  /** The KL divergence of `input` (log-probabilities) from `target`. PyTorch: `nn.KLDivLoss.forward`. */
  forward(input: Tensor, target: Tensor): Tensor { return L.klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget }); }
}
