/**
 * Per-step losses of sequence outputs (Keras's `returnSequences: true` + Dense scored at every
 * time step): a sparse loss (class indices) on an output [m, T, ..., k] with labels
 * [m, T, ...] is the same loss on m T ... rows of k classes, averaged over all of them (Keras
 * averages a per-step loss over batch and steps). The view below reshapes without copying, so
 * the loss, its fused gradient (softmax + cross-entropy: a - y) and the metrics run in the same
 * kernels as for [m, k] outputs, one call per batch.
 */
import type { Loss } from '../nn/losses.js';
import { Tensor } from '../tensor/tensor.js';

/** What the loss kernels see: `out` [rows, cols], `y` as the loss takes it for `rows` rows. */
export interface LossView {
  out: Tensor;
  y: Tensor;
  /** Rows the loss averages over: m, or m T for a per-step sparse loss. */
  rows: number;
  /** Columns per row (out.size / rows). */
  cols: number;
}

/** Whether (out, y) is a per-step sparse loss: out rank >= 3 and y holding one index per step. */
export function isPerStep(loss: Loss, outShape: readonly number[], ySize: number, yRank: number): boolean {
  if (!loss.info.sparse || outShape.length < 3) return false;
  const steps = outShape.slice(0, -1).reduce((a, b) => a * b, 1);
  return yRank >= 2 && ySize === steps;
}

/**
 * The loss's view of a batch: out [m, T, ..., k] and y [m, T, ...] as [m T ..., k] and [m T ...]
 * for a per-step sparse loss (no copy), else out and y unchanged with rows = m.
 */
export function lossView(loss: Loss, out: Tensor, y: Tensor): LossView {
  const m = out.shape[0]!;
  if (!isPerStep(loss, out.shape, y.size, y.rank)) return { out, y, rows: m, cols: out.size / Math.max(1, m) };
  const k = out.shape[out.shape.length - 1]!, rows = out.size / k;
  return { out: new Tensor(out.data, [rows, k]), y: new Tensor(y.data, [rows]), rows, cols: k };
}
