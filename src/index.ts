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
export type { Checkpoint, LoadModelOptions } from './models/load.js';
export type { SavableModel } from './models/contract.js';
export * from './data/index.js';
export { FILE_ERROR_CODES } from './errors.js';
export type { FileErrorCode } from './errors.js';
export { LIMITS, resolveLimits } from './limits.js';
export type { Limits, LimitsOverride, FileByteLimits } from './limits.js';
