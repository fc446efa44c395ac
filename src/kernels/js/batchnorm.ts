/**
 * Reference batch-normalisation kernels (Ioffe & Szegedy 2015; see Backend.batchNormStats and
 * friends). Columns are channels; rows are the N (or N H W) positions normalised together.
 */
import type { FloatArray } from '../../tensor/tensor.js';

export function batchNormStats(x: FloatArray, rows: number, cols: number, mean: FloatArray, variance: FloatArray): void {
  mean.fill(0, 0, cols);
  variance.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) { const o = r * cols; for (let c = 0; c < cols; c++) mean[c]! += x[o + c]!; }
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) { const d = x[o + c]! - mean[c]!; variance[c]! += d * d; }
  }
  for (let c = 0; c < cols; c++) variance[c]! /= rows;
}

export function batchNormForward(x: FloatArray, rows: number, cols: number, mean: FloatArray, variance: FloatArray,
                                 gamma: FloatArray | null, beta: FloatArray | null, epsilon: number,
                                 xhat: FloatArray | null, y: FloatArray): void {
  const inv = new Float64Array(cols); // cols numbers: per-call scratch, not a per-batch buffer
  for (let c = 0; c < cols; c++) inv[c] = 1 / Math.sqrt(variance[c]! + epsilon);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      const h = (x[o + c]! - mean[c]!) * inv[c]!;
      if (xhat) xhat[o + c] = h;
      y[o + c] = (gamma ? gamma[c]! * h : h) + (beta ? beta[c]! : 0);
    }
  }
}

export function batchNormBackward(dy: FloatArray, xhat: FloatArray, rows: number, cols: number, variance: FloatArray,
                                  gamma: FloatArray | null, epsilon: number, batchStatistics: boolean,
                                  dgamma: FloatArray | null, dbeta: FloatArray | null, dx: FloatArray | null): void {
  const sumDy = new Float64Array(cols), sumDyXhat = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) { const d = dy[o + c]!; sumDy[c]! += d; sumDyXhat[c]! += d * xhat[o + c]!; }
  }
  if (dbeta) for (let c = 0; c < cols; c++) dbeta[c] = sumDy[c]!;
  if (dgamma) for (let c = 0; c < cols; c++) dgamma[c] = sumDyXhat[c]!;
  if (!dx) return;
  // k[c] = gamma / sqrt(var + eps), divided by m when the statistics came from this batch.
  const k = new Float64Array(cols);
  for (let c = 0; c < cols; c++) k[c] = (gamma ? gamma[c]! : 1) / Math.sqrt(variance[c]! + epsilon) / (batchStatistics ? rows : 1);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (batchStatistics)
      for (let c = 0; c < cols; c++) dx[o + c] = k[c]! * (rows * dy[o + c]! - sumDy[c]! - xhat[o + c]! * sumDyXhat[c]!);
    else
      for (let c = 0; c < cols; c++) dx[o + c] = k[c]! * dy[o + c]!;
  }
}
