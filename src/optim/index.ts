export { Optimizer } from './optimizer.js';
export { SGD } from './sgd.js';
export { Adam, AdamW } from './adam.js';
export { RMSprop } from './rmsprop.js';
export { Adagrad } from './adagrad.js';
export { Adadelta } from './adadelta.js';
export { Adamax } from './adamax.js';
export { NAdam } from './nadam.js';
export { RAdam } from './radam.js';
/** Learning-rate schedulers: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR, LinearLR, OneCycleLR, ReduceLROnPlateau, SequentialLR. PyTorch: `torch.optim.lr_scheduler`. */
export * as lrScheduler from './lr_scheduler/index.js';
export type { OptimizerStateDict } from './optimizer.js';
export type { AdagradOptions } from './adagrad.js';
export type { AdadeltaOptions } from './adadelta.js';
export type { AdamaxOptions } from './adamax.js';
export type { NAdamOptions } from './nadam.js';
export type { RAdamOptions } from './radam.js';
