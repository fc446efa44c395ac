/**
 * The 'js' backend: the TypeScript reference kernels. Simple and obviously right; the oracle the
 * WebAssembly kernels are tested against. Buffers are plain typed arrays on the JavaScript heap.
 */
import { allocArray } from '../../tensor/tensor.js';
import type { Backend } from '../backend.js';
import { activationBackward, activationForward } from './activations.js';
import { batchNormBackward, batchNormForward, batchNormStats } from './batchnorm.js';
import { col2im, convForward, convInputGrad, convKernelGrad, im2col } from './conv.js';
import * as ew from './elementwise.js';
import { gemm } from './gemm.js';
import { fusedLossGradient, lossGradient, lossSum } from './losses.js';
import { binaryOp, castData, unaryOp, whereOp } from './ops-elementwise.js';
import { argReduceOp, reduceOp } from './ops-reduce.js';
import { fillRandom, fillValue, gatherAxis, oneHotFill, scatterAddAxis, stridedCopy } from './ops-shape.js';
import { avgPoolBackward, avgPoolForward, maxPoolBackward, maxPoolForward } from './pool.js';
import * as rec from './recurrent.js';

/** The 'js' backend: the TypeScript reference kernels, the fallback where WebAssembly is missing and the oracle of the wasm kernels' tests. */
export const jsBackend: Backend = {
  name: 'js',
  alloc: (dtype, length) => allocArray(dtype, length),
  free: () => { /* the garbage collector owns JavaScript heap buffers */ },
  gemm,
  biasAdd: ew.biasAdd,
  biasGrad: ew.biasGrad,
  activationForward,
  activationBackward,
  lossSum,
  lossGradient,
  fusedLossGradient,
  im2col,
  col2im,
  convForward,
  convKernelGrad,
  convInputGrad,
  maxPoolForward,
  maxPoolBackward,
  avgPoolForward,
  avgPoolBackward,
  batchNormStats,
  batchNormForward,
  batchNormBackward,
  axpy: ew.axpy,
  addScaled: ew.addScaled,
  scale: ew.scale,
  mul: ew.mul,
  clip: ew.clip,
  sumSquares: ew.sumSquares,
  allFinite: ew.allFinite,
  dropoutMask: ew.dropoutMask,
  gatherRows: ew.gatherRows,
  argmaxRows: ew.argmaxRows,
  absDiffSum: ew.absDiffSum,
  sgdUpdate: ew.sgdUpdate,
  momentumUpdate: ew.momentumUpdate,
  adamUpdate: ew.adamUpdate,
  rmspropUpdate: ew.rmspropUpdate,
  adagradUpdate: ew.adagradUpdate,
  unaryOp, binaryOp, whereOp, castData, reduceOp, argReduceOp,
  stridedCopy, fillValue, gatherAxis, scatterAddAxis, oneHotFill, fillRandom,
  rnnStepForward: rec.rnnStepForward,
  rnnStepBackward: rec.rnnStepBackward,
  lstmStepForward: rec.lstmStepForward,
  lstmStepBackward: rec.lstmStepBackward,
  gruStepForward: rec.gruStepForward,
  gruStepBackward: rec.gruStepBackward,
  gruResetGate: rec.gruResetGate,
  gruResetGateBackward: rec.gruResetGateBackward,
  scatterAddRows: rec.scatterAddRows,
  rowMask: rec.rowMask,
  scaleRows: rec.scaleRows,
};
