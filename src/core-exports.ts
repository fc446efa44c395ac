/**
 * What the package root (src/index.ts) and the browser entry (src/browser.ts) both export: every
 * module here runs without Node.js (no node:fs, node:zlib, ...), so the browser bundle may take all
 * of it. src/index.ts adds the file loaders, saving and checkpoints, the limits and the error codes.
 */
export * from './tensor/index.js';
export * from './ops/index.js';
export * from './autograd/index.js';
export { ready, getBackend, getBackendInfo, setBackend, setNumThreads, getNumThreads, getKernels, jsBackend, ACTIVATION_NAMES, LOSS_NAMES } from './kernels/index.js';
export type { Backend, BackendName, BackendInfo, ThreadCalibration } from './kernels/index.js';
export { ACTIVATION_DEFS } from './kernels/activation-registry.js';
export type { ActivationDef } from './kernels/activation-registry.js';
export * from './nn/index.js';
export * from './optim/index.js';
export { Sequential } from './models/sequential.js';
export type { SequentialArgs, CompileArgs, SequentialConfig } from './models/sequential.js';
export type { JacobianWrt } from './models/jacobian.js';
export type { TensorLike, ModelFitArgs } from './models/inputs.js';
export { gradCheck } from './models/grad-check.js';
export { trainLevenbergMarquardt, levenbergMarquardtStopReason } from './models/levenberg-marquardt.js';
export type { TrainLevenbergMarquardtOptions } from './models/levenberg-marquardt.js';
export type { GradCheckArgs, GradCheckResult } from './models/grad-check.js';
export { earlyStopping, Callback } from './train/callbacks.js';
export type { Logs, EarlyStoppingArgs, CallbackHooks, CallbackModel, CallbackParams } from './train/callbacks.js';
export { History } from './train/history.js';
export { NonFiniteLossError } from './train/errors.js';
export { DisposedError } from './errors.js';
export type { FitArgs, TrainingProgress } from './train/fit.js';
export { METRIC_NAMES, zeroOneLoss } from './train/metrics.js';
export { confusionMatrix } from './train/confusion.js';
export type { ConfusionMatrix } from './train/confusion.js';
export type { MetricName } from './train/metrics.js';
export { loadModel } from './models/load.js';
export type { ModelSource, LoadModelOptions } from './models/load.js';
export type { CustomObjects, LayerClass } from './models/custom-objects.js';
export { encodeSafetensors, decodeSafetensors } from './io/safetensors.js';
export { ModelFileError } from './io/validate.js';
export { encodeModel, decodeModel, MODEL_FORMAT_VERSION } from './io/model-format.js';
export type { SavedModel } from './io/model-format.js';
export { oneHot, argMax } from './data/onehot.js';
export { StandardScaler, MinMaxScaler, standardize, minMaxScale } from './data/scalers.js';
export type { StandardScalerConfig, MinMaxScalerConfig } from './data/scalers.js';
export { trainTestSplit, gatherRows } from './data/split.js';
export type { SplitOptions, TrainTestSplit } from './data/split.js';
export { batches, batchCount } from './data/batches.js';
export type { BatchOptions } from './data/batches.js';
export * from './classic/index.js';

