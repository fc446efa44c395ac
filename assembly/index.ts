// nabla's WebAssembly kernels (AssemblyScript, compiled with SIMD by scripts/build-wasm.mjs).
// Every function takes byte offsets into the imported shared memory; the TypeScript side
// (src/kernels/wasm) owns allocation and passes only validated, in-bounds ranges.
export { sgemm, gemmWorkspaceBytes } from './gemm';
export { activationForward, activationBackward } from './activations';
export { lossSum, lossGradient, fusedLossGradient } from './losses';
export {
  biasAdd, biasGrad, axpy, scale, mul, clip, sumSquares, absDiffSum, allFinite, dropoutMask, argmaxRows,
  sgdUpdate, momentumUpdate, adamUpdate, rmspropUpdate, adagradUpdate,
} from './elementwise';
export { im2col, col2im } from './conv';
export { maxPoolForward, maxPoolBackward, avgPoolForward, avgPoolBackward } from './pool';
export { batchNormStats, batchNormForward, batchNormBackward } from './batchnorm';
export { rnnStepForward, rnnStepBackward, lstmStepForward, lstmStepBackward, gruStepForward, gruStepBackward } from './recurrent';

/** First byte after the module's static data: the JavaScript allocator starts above it. */
export function heapBase(): usize {
  return __heap_base;
}
