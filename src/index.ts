/**
 * nabla: deep learning in TypeScript, as the course notes write it.
 * The package root: import { Sequential, Dense, tensor, ... } from 'nabla'.
 */
export * from './tensor/index.js';
export { getBackend, setBackend, setNumThreads, getNumThreads, getKernels, jsBackend, ACTIVATION_NAMES, LOSS_NAMES } from './kernels/index.js';
export type { Backend, BackendName } from './kernels/index.js';
export * from './nn/index.js';
export * from './optim/index.js';
export { Sequential } from './models/sequential.js';
export type { SequentialArgs, CompileArgs, SequentialConfig } from './models/sequential.js';
export { gradCheck } from './models/grad-check.js';
export type { GradCheckArgs, GradCheckResult } from './models/grad-check.js';
export { earlyStopping } from './train/callbacks.js';
export type { Callback, Logs, EarlyStoppingArgs } from './train/callbacks.js';
export { History } from './train/history.js';
export { NonFiniteLossError } from './train/errors.js';
export type { FitArgs, TrainingProgress } from './train/fit.js';
export { METRIC_NAMES } from './train/metrics.js';
export type { MetricName } from './train/metrics.js';
