/**
 * nabla: deep learning in TypeScript, as the course notes write it.
 * The package root: import { Sequential, Dense, tensor, ... } from 'nabla'.
 */
export * from './tensor/index.js';
export * from './ops/index.js';
export * from './autograd/index.js';
export { getBackend, getBackendInfo, setBackend, setNumThreads, getNumThreads, getKernels, jsBackend, ACTIVATION_NAMES, LOSS_NAMES } from './kernels/index.js';
export type { Backend, BackendName, BackendInfo } from './kernels/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export { Sequential } from './models/sequential.js';
export type { SequentialArgs, CompileArgs, SequentialConfig } from './models/sequential.js';
export type { JacobianWrt } from './models/jacobian.js';
export type { TensorLike, ModelFitArgs } from './models/inputs.js';
export { gradCheck } from './models/grad-check.js';
export type { GradCheckArgs, GradCheckResult } from './models/grad-check.js';
export { earlyStopping, modelCheckpoint, Callback } from './train/callbacks.js';
export type { Logs, EarlyStoppingArgs, ModelCheckpointArgs, CallbackHooks, CallbackModel, CallbackParams } from './train/callbacks.js';
export { History } from './train/history.js';
export { NonFiniteLossError } from './train/errors.js';
export type { FitArgs, TrainingProgress } from './train/fit.js';
export { METRIC_NAMES } from './train/metrics.js';
export { confusionMatrix } from './train/confusion.js';
export type { ConfusionMatrix } from './train/confusion.js';
export type { MetricName } from './train/metrics.js';
export { saveModel, saveCheckpoint } from './models/persistence.js';
export { loadModel, loadCheckpoint } from './models/load.js';
export type { CheckpointFitArgs } from './models/persistence.js';
export type { ModelSource, Checkpoint, LoadModelOptions } from './models/load.js';
export type { CustomObjects, LayerClass } from './models/custom-objects.js';
export type { SavableModel } from './models/contract.js';
export { encodeSafetensors, decodeSafetensors, ModelFileError } from './io/index.js';
export { encodeModel, decodeModel, MODEL_FORMAT_VERSION } from './io/model-format.js';
export type { SavedModel } from './io/model-format.js';
export * from './data/index.js';
export * from './classic/index.js';
export { FILE_ERROR_CODES, DisposedError } from './errors.js';
export type { FileErrorCode } from './errors.js';
export { LIMITS, resolveLimits } from './limits.js';
export type { Limits, LimitsOverride, FileByteLimits } from './limits.js';
