/**
 * The functions the WebAssembly module (assembly/index.ts) exports. Pointers are byte offsets into
 * the shared memory; flags are 0/1.
 */
export interface WasmExports {
  heapBase(): number;
  gemmWorkspaceBytes(): number;
  sgemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, b: number,
        beta: number, c: number, i0: number, i1: number, j0: number, j1: number, work: number): void;
  activationForward(kind: number, z: number, out: number, rows: number, cols: number, alpha: number): void;
  activationBackward(kind: number, z: number, a: number, dy: number, dz: number, rows: number, cols: number, alpha: number): void;
  lossSum(kind: number, p: number, y: number, rows: number, cols: number, fromLogits: number): number;
  lossGradient(kind: number, p: number, y: number, rows: number, cols: number, scale: number, grad: number): void;
  fusedLossGradient(kind: number, a: number, y: number, rows: number, cols: number, scale: number, dz: number): void;
  biasAdd(x: number, bias: number, rows: number, cols: number): void;
  biasGrad(dy: number, db: number, rows: number, cols: number): void;
  axpy(alpha: number, x: number, y: number, n: number): void;
  scale(x: number, alpha: number, n: number): void;
  mul(x: number, y: number, out: number, n: number): void;
  clip(x: number, lo: number, hi: number, n: number): void;
  sumSquares(x: number, n: number): number;
  absDiffSum(x: number, y: number, n: number): number;
  allFinite(x: number, n: number): number;
  dropoutMask(u: number, rate: number, keep: number, n: number): void;
  argmaxRows(x: number, rows: number, cols: number, out: number): void;
  sgdUpdate(w: number, g: number, lr: number, n: number): void;
  momentumUpdate(w: number, g: number, v: number, lr: number, momentum: number, nesterov: number, n: number): void;
  adamUpdate(w: number, g: number, m: number, v: number, lr: number, beta1: number, beta2: number, ob1: number, ob2: number,
             epsilon: number, c1: number, c2: number, n: number): void;
  rmspropUpdate(w: number, g: number, s: number, lr: number, rho: number, orho: number, epsilon: number, n: number): void;
  adagradUpdate(w: number, g: number, s: number, lr: number, epsilon: number, n: number): void;
  im2col(x: number, batch: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
         strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number,
         col: number, r0: number, r1: number): void;
  col2im(col: number, batch: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
         strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number,
         dx: number, n0: number, n1: number): void;
  maxPoolForward(x: number, batch: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
                 strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number,
                 y: number, argmax: number): void;
  maxPoolBackward(dy: number, argmax: number, count: number, dx: number, dxLength: number): void;
  avgPoolForward(x: number, batch: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
                 strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, y: number): void;
  avgPoolBackward(dy: number, batch: number, height: number, width: number, channels: number, kernelH: number, kernelW: number,
                  strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, dx: number): void;
  batchNormStats(x: number, rows: number, cols: number, mean: number, variance: number): void;
  batchNormForward(x: number, rows: number, cols: number, mean: number, variance: number, gamma: number, beta: number,
                   epsilon: number, xhat: number, y: number, work: number): void;
  batchNormBackward(dy: number, xhat: number, rows: number, cols: number, variance: number, gamma: number, epsilon: number,
                    batchStatistics: number, dgamma: number, dbeta: number, dx: number, work: number): void;
  rnnStepForward(z: number, hPrev: number, mask: number, rows: number, units: number, act: number, alpha: number, h: number): void;
  rnnStepBackward(z: number, h: number, mask: number, dy: number, dh: number, rows: number, units: number, act: number, alpha: number, dz: number): void;
  lstmStepForward(z: number, cPrev: number, hPrev: number, mask: number, rows: number, units: number, act: number, ract: number, alpha: number,
                  gates: number, c: number, h: number): void;
  lstmStepBackward(z: number, gates: number, cPrev: number, c: number, mask: number, dy: number, dh: number, dc: number,
                   rows: number, units: number, act: number, ract: number, alpha: number, dz: number): void;
  gruStepForward(xz: number, hz: number, hPrev: number, mask: number, rows: number, units: number, act: number, ract: number, alpha: number,
                 pre: number, gates: number, h: number): void;
  gruStepBackward(pre: number, gates: number, hz: number, hPrev: number, mask: number, dy: number, dh: number, rows: number, units: number,
                  act: number, ract: number, alpha: number, dxz: number, dhz: number): void;
}
