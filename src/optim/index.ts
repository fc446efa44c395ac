/** nabla's optimisers: SGD (momentum, Nesterov), Adam, RMSprop, Adagrad, and learning-rate schedules. */
export type { Optimizer, LearningRateSchedule, NamedGradient } from './optimizer.js';
export { BaseOptimizer, BASE_OPTION_KEYS } from './base.js';
export type { BaseOptimizerOptions, SlotSpec } from './base.js';
export { option } from './spec.js';
export type { OptimizerSpec, OptionSpec, OptionValue } from './spec.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { Adam } from './adam.js';
export type { AdamOptions } from './adam.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropOptions } from './rmsprop.js';
export { Adagrad } from './adagrad.js';
export type { AdagradOptions } from './adagrad.js';
export {
  ExponentialDecay, PiecewiseConstantDecay, CosineDecay,
  exponentialDecay, piecewiseConstant, cosineDecay,
  scheduleFromConfig, isLearningRateSchedule, SCHEDULE_CLASS_NAMES,
} from './schedules.js';
export type { ExponentialDecayOptions, PiecewiseConstantOptions, CosineDecayOptions } from './schedules.js';
export { getOptimizer, optimizerFromConfig, OPTIMIZER_NAMES, OPTIMIZER_CLASS_NAMES } from './registry.js';
export type { OptimizerName } from './registry.js';
export { levenbergMarquardt, levenbergMarquardtSteps, sumOfSquares } from './levenberg-marquardt.js';
export type { LevenbergMarquardtOptions, LevenbergMarquardtResult, LeastSquaresProblem, IterationInfo, StopReason } from './levenberg-marquardt.js';
