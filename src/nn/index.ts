export { Module } from './module.js';
export { Parameter } from './parameter.js';
export { Linear } from './modules/linear.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax } from './modules/activation.js';
export { Dropout, Flatten, Identity } from './modules/misc.js';
export { Sequential } from './modules/container.js';
export { MSELoss, L1Loss, CrossEntropyLoss } from './modules/loss.js';
/** The layers' and losses' math as functions (also `torch.F`). PyTorch: `torch.nn.functional`. */
export * as functional from './functional.js';
