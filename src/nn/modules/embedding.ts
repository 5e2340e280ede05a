import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { Tensor } from '../../tensor.js';
import { noGrad } from '../../autograd/grad_mode.js';
import { embedding, paddingIdxArg, EMBEDDING_KEYS, type EmbeddingOptions } from '../../ops/embedding.js';
import { fmt } from '../../shape.js';
import { checkOptions, describeValue } from '../../options.js';
import { pyFloat, sizeArg } from './normalization.js';

// nn.Embedding takes F.embedding's options (one definition, in ops/embedding.ts).
export type { EmbeddingOptions };

/** Options of `nn.Embedding.fromPretrained`. PyTorch: the keyword arguments of `nn.Embedding.from_pretrained`. */
export interface EmbeddingFromPretrainedOptions extends EmbeddingOptions {
  /** Keep the weight fixed (requiresGrad false; default true). PyTorch: `freeze`. */
  freeze?: boolean;
}


/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (N(0, 1) at first, the padding
 * row zeros), indexed by int32 tensors of any shape. PyTorch: `torch.nn.Embedding`.
 */
export class Embedding extends Module {
  /** The number of rows V. PyTorch: `nn.Embedding.num_embeddings`. */
  readonly numEmbeddings: number;
  /** The size of each row D. PyTorch: `nn.Embedding.embedding_dim`. */
  readonly embeddingDim: number;
  /** The table, [numEmbeddings, embeddingDim]. PyTorch: `nn.Embedding.weight`. */
  weight: Tensor;
  /** The row that gets no gradient (normalized to ≥ 0), or null. PyTorch: `nn.Embedding.padding_idx`. */
  readonly paddingIdx: number | null;
  /** The norm rows are rescaled to when looked up, or null. PyTorch: `nn.Embedding.max_norm`. */
  readonly maxNorm: number | null;
  /** The p of maxNorm's norm. PyTorch: `nn.Embedding.norm_type`. */
  readonly normType: number;
  /** Whether gradients are scaled by the inverse index frequency. PyTorch: `nn.Embedding.scale_grad_by_freq`. */
  readonly scaleGradByFreq: boolean;
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    const o = checkOptions('Embedding', options, EMBEDDING_KEYS);
    sizeArg(numEmbeddings, 'numEmbeddings', 'Embedding', 0);
    sizeArg(embeddingDim, 'embeddingDim', 'Embedding', 0);
    if (o.sparse === true) throw new TypeError('Embedding: sparse gradients are not supported (sparse: true); wasmtorch\'s gradients are dense');
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const pad = paddingIdxArg(o.paddingIdx, numEmbeddings, 'Embedding');
    this.paddingIdx = pad < 0 ? null : pad;
    this.maxNorm = o.maxNorm ?? null;
    this.normType = o.normType ?? 2;
    this.scaleGradByFreq = o.scaleGradByFreq ?? false;
    // allocated under the layer's name (a size past the limit says 'Embedding'), drawn as randn
    this.weight = new Parameter(Tensor.empty([numEmbeddings, embeddingDim], 'float32', 'Embedding'));
    noGrad(() => this.weight.normal_(0, 1));
    this.fillPadding();
  }

  /**
   * An Embedding whose weight is `embeddings` ([V, D], sharing its storage, as PyTorch),
   * frozen unless `freeze: false`. PyTorch: `nn.Embedding.from_pretrained`.
   */
  static fromPretrained(embeddings: Tensor, options: EmbeddingFromPretrainedOptions = {}): Embedding {
    const { freeze, ...rest } = checkOptions('Embedding.fromPretrained', options, { ...EMBEDDING_KEYS, freeze: 'boolean' });
    if (embeddings === null || typeof embeddings !== 'object' || (embeddings as { isTensor?: unknown }).isTensor !== true) {
      throw new TypeError(`Embedding.fromPretrained: embeddings must be a Tensor, got ${describeValue(embeddings)}`);
    }
    embeddings.ptr('Embedding.fromPretrained');
    if (embeddings.ndim !== 2) throw new RangeError(`Embedding.fromPretrained: Embeddings parameter is expected to be 2-dimensional, got shape ${fmt(embeddings.shape)}`);
    if (embeddings.dtype !== 'float32') throw new TypeError(`Embedding.fromPretrained: embeddings must be float32, got ${embeddings.dtype}`);
    const [V, D] = embeddings.shape;
    const e = new Embedding(V, D, rest);
    e.weight.dispose();
    e.weight = new Parameter(embeddings.detach(), !(freeze ?? true));
    return e;
  }

  private fillPadding(): void {
    if (this.paddingIdx === null) return;
    noGrad(() => this.weight.narrow(0, this.paddingIdx!, 1).fill_(0));
  }
  /** Draws the weight from N(0, 1) again, the padding row zeros. PyTorch: `nn.Embedding.reset_parameters`. */
  resetParameters(): void {
    noGrad(() => this.weight.normal_(0, 1));
    this.fillPadding();
  }
  /** The rows at the int32 indices `input` (any shape): shape [...input.shape, embeddingDim]. PyTorch: `nn.Embedding.forward`. */
  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx, maxNorm: this.maxNorm, normType: this.normType, scaleGradByFreq: this.scaleGradByFreq,
    });
  }
  /** `10, 3, padding_idx=0`, as PyTorch prints it. PyTorch: `nn.Embedding.extra_repr`. */
  extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ', scale_grad_by_freq=True';
    return s;
  }
}
