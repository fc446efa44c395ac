export * from './layers/index.js';
/** Each layer's forward and backward as functions of tensors, parameters and an explicit scratch (as torch's `F`). */
export * as functional from './functional/index.js';
export { Layer } from './layer.js';
export { CustomLayer } from './custom-layer.js';
export { conv2d, maxPool, avgPool } from './conv-ops.js';
export type { CallArgs } from './custom-layer.js';
export type { LayerArgs, LayerConfig } from './layer.js';
export type { Param } from './param.js';
export { registerLayer, layerFromConfig, registeredLayers } from './registry.js';
export type { LayerFactory } from './registry.js';
export { ACTIVATIONS, getActivation, LEAKY_RELU_ALPHA, ELU_ALPHA } from './activations.js';
export type { ActivationInfo, ActivationName, ActivationAlias, ActivationIdentifier } from './activations.js';
export { LOSSES, LOSS_REDUCTIONS, getLoss, reduceLoss } from './losses.js';
export type { LossInfo, LossName, LossSpec, Loss, LossFunction, LossReduction, FunctionLossSpec } from './losses.js';
/** Weight initialisers (Keras's names and formulas): glorotUniform, heNormal, randomNormal, ... */
export * as initializers from './initializers.js';
// The root's randomNormal/randomUniform are the random-tensor ops (src/ops/random.ts); the
// initialisers of those names are initializers.randomNormal(...) and the strings.
export { getInitializer, constant, computeFans, INITIALIZER_NAMES } from './initializers.js';
export type { Initializer, InitializerName } from './initializers.js';
export { l2, getRegularizer } from './regularizers.js';
export type { Regularizer } from './regularizers.js';
export { getMask, setMask } from './mask.js';
