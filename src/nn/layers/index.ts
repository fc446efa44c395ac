export * from './dense.js';
export * from './activation.js';
export * from './flatten.js';
export * from './dropout.js';
export * from './conv2d.js';
export * from './pooling.js';
export * from './batch-normalization.js';
export type { Padding } from './window.js';
export * from './kernel-layer.js';
