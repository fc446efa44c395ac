/**
 * nabla's browser entry point: everything of the package root (src/index.ts) that works without
 * Node.js, from the same sources. scripts/build-playground.mjs bundles it with esbuild for the
 * platform 'browser' into one ES module (`nabla.js`) and fails when any Node-only module
 * (node:fs, node:zlib, ...) would reach the bundle.
 *
 * Left out, because they read or write files: the data file loaders (loadMnist, loadIris, readCsv,
 * ...), saveModel / saveCheckpoint / loadCheckpoint and the modelCheckpoint callback. `loadModel`
 * is here: in a browser it takes an http(s) URL of a model directory (fetched) or the two files'
 * bytes `{ modelJson, weights }`.
 *
 * Backends: 'wasm' is the default where it loads, as in Node. Its memory is a shared
 * WebAssembly.Memory, which a browser grants only to cross-origin isolated pages (served with
 * COOP/COEP headers); elsewhere the 'js' backend is used. In a browser the wasm backend runs on one
 * thread (the calling one: run training in a Web Worker so the page never blocks). This module
 * finishes loading (top-level await) once the WebAssembly module has compiled, so an import of it
 * is ready to train at once; hence it is for `import`, not `require`.
 */
import { defaultBackendReady } from './kernels/index.js';

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
export { earlyStopping, Callback } from './train/callbacks.js';
export type { Logs, EarlyStoppingArgs, CallbackHooks, CallbackModel, CallbackParams } from './train/callbacks.js';
export { History } from './train/history.js';
export { NonFiniteLossError } from './train/errors.js';
export { DisposedError } from './errors.js';
export type { FitArgs, TrainingProgress } from './train/fit.js';
export { METRIC_NAMES } from './train/metrics.js';
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

await defaultBackendReady();
