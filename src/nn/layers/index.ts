export { Dense } from './dense.js';
export type { DenseArgs } from './dense.js';
export { Activation, LeakyReLU } from './activation.js';
export type { ActivationArgs, LeakyReLUArgs } from './activation.js';
export { Flatten } from './flatten.js';
export { Dropout } from './dropout.js';
export type { DropoutArgs } from './dropout.js';
