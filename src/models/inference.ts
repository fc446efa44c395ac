/**
 * The batched inference loops behind `Sequential.evaluate` and `Sequential.predict`: forward passes
 * in inference mode over consecutive row blocks of x (`batchSize` rows each), never the whole set
 * at once, so memory stays bounded by one batch's activations.
 */
import type { Backend } from '../kernels/backend.js';
import type { Layer } from '../nn/layer.js';
import { reduceLoss, type Loss } from '../nn/losses.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import type { Logs } from '../train/callbacks.js';
import { sliceRows } from '../train/fit.js';
import { forwardAll } from './backprop.js';
import { allMetricSums, batchLoss, type CompiledMetrics } from './custom-loss.js';
import { checkFinite } from './checks.js';

/**
 * The loss of the whole set, reduced as one batch (the mean over it for 'sum_over_batch_size', or
 * its sum), plus `penalty` (the regularisers), and each metric's mean over the n samples.
 * x [n, ...inputShape], y [n, ...] as the loss takes it.
 */
export function evaluateBatches(k: Backend, layers: readonly Layer[], loss: Loss, metrics: CompiledMetrics, names: readonly string[],
                                x: Tensor, y: Tensor, batchSize: number, penalty: number): Logs {
  const n = x.shape[0]!;
  let lossSum = 0, count = 0;
  const sums: Record<string, number> = {};
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const yb = sliceRows(y, start, end);
    const out = forwardAll(layers, sliceRows(x, start, end), false);
    const part = batchLoss(k, loss, out, yb);
    lossSum += part.sum; count += part.count;
    for (const [name, s] of Object.entries(allMetricSums(k, metrics, loss, out, yb))) sums[name] = (sums[name] ?? 0) + s;
  }
  const logs: Logs = { loss: reduceLoss(loss, lossSum, count) + penalty };
  for (const name of names) logs[name] = sums[name]! / n;
  return logs;
}

/**
 * The outputs for x [n, ...inputShape] in inference mode: [n, ...outputShape] (outputShape without
 * its batch dimension), a fresh copy on the JavaScript heap in `dtype`. Each batch of x is copied
 * into one reusable backend buffer (on wasm: into wasm memory, which the first layer would
 * otherwise do through a temporary block) and checked there for NaN and infinities before its
 * forward pass, so x is read once.
 * @throws Error "`what` contains NaN at index 17 (sample 0)" for the first non-finite value (no
 * output is returned).
 */
export function predictBatches(k: Backend, layers: readonly Layer[], x: Tensor, batchSize: number, outputShape: readonly number[], dtype: DType, what: string): Tensor {
  const n = x.shape[0]!;
  const outShape = [n, ...outputShape];
  const size = outShape.reduce((a, b) => a * b, 1);
  const result = new Tensor(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size), outShape);
  const per = result.size / Math.max(1, n), inPer = x.size / Math.max(1, n);
  const staging = k.alloc(x.dtype, Math.min(n, batchSize) * inPer, false); // every batch overwrites what it reads
  try {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const rows = sliceRows(x, start, end), batch = staging.subarray(0, rows.size);
      batch.set(rows.data);
      if (!k.allFinite(batch)) checkFinite(k, x, what); // throws, naming the first bad value in x
      result.data.set(forwardAll(layers, new Tensor(batch, rows.shape), false).data, start * per);
    }
  } finally { k.free(staging); }
  return result;
}
