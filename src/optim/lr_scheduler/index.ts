// Learning-rate schedulers, following PyTorch 2.x's torch.optim.lr_scheduler epoch by epoch: the
// same recursive ("chainable") get_lr, the same closed forms where SequentialLR asks for one, the
// same keys in param groups (`initialLr` ↔ `initial_lr`, OneCycleLR's `maxLr`, `minLr`,
// `maxMomentum`, `baseMomentum`) and the same state-dict keys. Options are checked: an unknown
// key, a missing required one or a wrong type is a TypeError, a bad value a RangeError.
export type { SchedulerStateDict } from './state_dict.js';
export { LRScheduler } from './base.js';
export { StepLR, MultiStepLR, ExponentialLR } from './step.js';
export type { StepLROptions, MultiStepLROptions, ExponentialLROptions } from './step.js';
export { CosineAnnealingLR } from './cosine.js';
export type { CosineAnnealingLROptions } from './cosine.js';
export { LambdaLR, LinearLR } from './factor.js';
export type { LambdaLROptions, LinearLROptions } from './factor.js';
export { OneCycleLR } from './one_cycle.js';
export type { OneCycleLROptions } from './one_cycle.js';
export { ReduceLROnPlateau } from './plateau.js';
export type { ReduceLROnPlateauOptions } from './plateau.js';
export { SequentialLR } from './sequential.js';
export type { SequentialLROptions } from './sequential.js';
