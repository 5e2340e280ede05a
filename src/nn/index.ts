export { Module } from './module.js';
export { Parameter } from './parameter.js';
export { Linear } from './modules/linear.js';
export { Conv1d, Conv2d, ConvTranspose2d, type ConvModuleOptions, type ConvTransposeModuleOptions, type PaddingMode } from './modules/conv.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax } from './modules/activation.js';
export { Dropout, Flatten, Identity } from './modules/misc.js';
export { Dropout2d, Unflatten } from './modules/misc.js';
export { LayerNorm, GroupNorm, type LayerNormOptions, type GroupNormOptions } from './modules/normalization.js';
export { BatchNorm1d, BatchNorm2d, BatchNormBase, type BatchNormOptions } from './modules/batchnorm.js';
export { Embedding, type EmbeddingOptions, type EmbeddingFromPretrainedOptions } from './modules/embedding.js';
export { Sequential } from './modules/container.js';
export { MaxPool2d, MaxPool1d, AvgPool2d, AvgPool1d, AdaptiveAvgPool2d, type MaxPoolResult } from './modules/pooling.js';
export { Upsample, type UpsampleOptions } from './modules/upsample.js';
export { ModuleList, ModuleDict, ParameterList } from './modules/container.js';
export type { NamedModulesOptions } from './module.js';
/** Weight initialisation in place (`xavierUniform_`, `kaimingNormal_`, `calculateGain`, ...). PyTorch: `torch.nn.init`. */
export * as init from './init.js';
/** Gradient clipping and parameters as one vector. PyTorch: `torch.nn.utils`. */
export * as utils from './utils.js';
export { MSELoss, L1Loss, CrossEntropyLoss } from './modules/loss.js';
export { NLLLoss, BCELoss, BCEWithLogitsLoss, SmoothL1Loss, HuberLoss, KLDivLoss } from './modules/loss.js';
/** The layers' and losses' math as functions (also `torch.F`). PyTorch: `torch.nn.functional`. */
export * as functional from './functional.js';
