/**
 * Metrics: 'accuracy' (argmax agreement for categorical outputs, threshold 0.5 — 0 for logits —
 * for binary ones, as Keras picks from the loss), 'mse' and 'mae'. Each returns the batch mean.
 */
import type { Backend } from '../kernels/backend.js';
import { MSE_METRIC_LOSS } from '../kernels/loss-registry.js';
import type { Loss } from '../nn/losses.js';
import type { Tensor } from '../tensor/tensor.js';

export type MetricName = 'accuracy' | 'mse' | 'mae';
export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'mse', 'mae'];

/** @throws Error listing the valid names for an unknown metric; mse/mae with a sparse loss. */
export function checkMetrics(metrics: unknown, loss: Loss): MetricName[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new Error(`compile: metrics must be a list such as ['accuracy'], got ${JSON.stringify(metrics)}`);
  for (const m of metrics) {
    if (!(METRIC_NAMES as readonly unknown[]).includes(m)) throw new Error(`compile: unknown metric ${JSON.stringify(m)}; valid names: ${METRIC_NAMES.join(', ')}`);
    if (m !== 'accuracy' && loss.info.sparse) throw new Error(`compile: metric '${m}' compares y with the output row by row, but '${loss.info.name}' takes class indices; use 'accuracy'`);
  }
  return [...new Set(metrics as MetricName[])];
}

/** Count of correct predictions in a batch (out [m, k]; y [m] indices for sparse, else [m, k]). */
export function countCorrect(k: Backend, out: Tensor, y: Tensor, loss: Loss, argmaxOut: Int32Array, argmaxY: Int32Array): number {
  const m = out.shape[0]!, cols = out.size / m;
  let correct = 0;
  if (loss.info.accuracy === 'binary' || (cols === 1 && !loss.info.sparse)) {
    const threshold = loss.fromLogits ? 0 : 0.5;
    for (let i = 0; i < out.size; i++) if ((out.data[i]! > threshold ? 1 : 0) === (y.data[i]! > 0.5 ? 1 : 0)) correct++;
    return correct / cols;
  }
  k.argmaxRows(out.data, m, cols, argmaxOut);
  if (loss.info.sparse) {
    for (let r = 0; r < m; r++) if (argmaxOut[r] === y.data[r]) correct++;
  } else {
    k.argmaxRows(y.data, m, cols, argmaxY);
    for (let r = 0; r < m; r++) if (argmaxOut[r] === argmaxY[r]) correct++;
  }
  return correct;
}

/** Sums over the batch for each metric (divide by m for the mean). */
export function metricSums(k: Backend, names: readonly MetricName[], out: Tensor, y: Tensor, loss: Loss,
                           scratch: { argmaxOut: Int32Array; argmaxY: Int32Array }): Record<string, number> {
  const m = out.shape[0]!, cols = out.size / m;
  const sums: Record<string, number> = {};
  for (const name of names) {
    if (name === 'accuracy') sums.accuracy = countCorrect(k, out, y, loss, scratch.argmaxOut, scratch.argmaxY);
    else if (name === 'mse') sums.mse = k.lossSum(MSE_METRIC_LOSS, out.data, y.data, m, cols, false);
    else sums.mae = k.absDiffSum(out.data, y.data) / cols;
  }
  return sums;
}
