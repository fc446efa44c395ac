/**
 * nabla: deep learning in TypeScript, as the course notes write it.
 * The package root: import { Sequential, Dense, tensor, ... } from 'nabla'.
 */
export * from './core-exports.js';
export { modelCheckpoint } from './train/callbacks.js';
export type { ModelCheckpointArgs } from './train/callbacks.js';
export { saveModel, saveCheckpoint } from './models/persistence.js';
export { loadCheckpoint } from './models/load.js';
export type { CheckpointFitArgs } from './models/persistence.js';
export type { Checkpoint } from './models/load.js';
export type { SavableModel } from './models/contract.js';
export * from './data/index.js';
export { FILE_ERROR_CODES, FileWriteError } from './errors.js';
export type { FileErrorCode } from './errors.js';
export { LIMITS, resolveLimits } from './limits.js';
export type { Limits, LimitsOverride, FileByteLimits } from './limits.js';
export { exportOnnx } from './interop/onnx-export.js';
export type { ExportOnnxOptions } from './interop/onnx-export.js';
export { exportTfjs } from './interop/tfjs-export.js';
export type { ExportDirOptions } from './interop/export-dir.js';
export { exportTorch } from './interop/torch-export.js';
export { importTorchState } from './interop/torch-import.js';
export type { ImportTorchOptions } from './interop/torch-import.js';
export { generateText, statefulTwin, resetModelStates } from './models/text-generation.js';
export type { GenerateTextOptions } from './models/text-generation.js';
