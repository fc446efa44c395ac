/**
 * nabla's functional layer (as torch's `F` under `nn.Linear`): each layer's forward and backward
 * as functions of tensors, parameters and an explicit scratch, with no hidden state. The layer
 * classes are thin modules over these; they own the parameters and the forward caches.
 */
export { scratchFrom, scratchTensor } from './scratch.js';
export type { Scratch } from './scratch.js';
export { activationForward, activationBackward, outputActivationForward, outputActivationBackward } from './activation.js';
export { linearForward, linearBackward } from './linear.js';
export type { LinearCache, WeightGrad } from './linear.js';
export { conv2dForward, conv2dBackward, COL_LIMIT } from './conv2d.js';
export type { Conv2DCache } from './conv2d.js';
export { maxPool2dForward, maxPool2dBackward, avgPool2dForward, avgPool2dBackward } from './pooling.js';
export { batchNormForward, batchNormBackward } from './batch-norm.js';
export type { BatchNormCache, MovingStatistics } from './batch-norm.js';
export { sequencePlan } from './recurrent.js';
export type { SequencePlan, SequenceCache } from './recurrent.js';
export { simpleRnnForward, simpleRnnBackward } from './simple-rnn.js';
export type { SimpleRnnCache } from './simple-rnn.js';
export { lstmForward, lstmBackward } from './lstm.js';
export type { LstmCache, LstmActivations } from './lstm.js';
export { gruForward, gruBackward } from './gru.js';
export type { GruCache } from './gru.js';
export { embeddingForward, embeddingBackward } from './embedding.js';
