/** Automatic differentiation (reverse mode, on a tape) and the memory functions, with TF.js's names. */
export { grad, grads, valueAndGrad, valueAndGrads, customGrad, jacobian } from './gradients.js';
export type { CustomGradResult, GradSaveFunc } from './gradients.js';
export { Variable, variable, variableGrads, registeredVariables } from './variable.js';
export type { NamedTensorMap } from './variable.js';
export { tidy, keep, dispose, memory } from '../tensor/scopes.js';
