/**
 * Per-step losses of sequence outputs (Keras: a loss on a [batch, time, k] output is a loss per
 * time step, and with a mask "masked values are ignored in the reduction",
 * keras/utils/losses_utils.py apply_valid_mask; Keras 3 reduce_weighted_values).
 *
 * A rank-3 output a [m, T, k] is scored as m T rows of k outputs: the per-sample formula of the
 * loss registry applies to each (sample, step), and 'sum_over_batch_size' averages over the rows
 * (m T without a mask). Targets are y [m, T, k] (dense losses) or class indices y [m, T] (or
 * [m, T, 1]) for the sparse ones. When the output carries a sequence mask M [m, T] (nn/mask.ts,
 * from Embedding(maskZero) or Masking through recurrent layers with returnSequences), only the
 * rows with M = 1 are scored: the loss is sum_{M=1} C_{b,t} / #{M = 1} (0 when every step is
 * masked), the masked rows get a zero gradient, and the metrics average over the same rows.
 *
 * The loss path (backprop.ts, custom-loss.ts) works on the {@link LossView}: a 2-D [rows, k]
 * output and its targets; the kernels and function losses see only the scored rows.
 */
import { getMask } from '../nn/mask.js';
import type { Backend } from '../kernels/backend.js';
import { Tensor, type FloatArray } from '../tensor/tensor.js';

/** The output and targets as the loss scores them. */
export interface LossView {
  /** The scored rows of the output, [rows, k] (the output itself when it is not rank 3). */
  out: Tensor;
  /** Their targets: [rows, k], or [rows] of class indices. */
  y: Tensor;
  /** The output rows (b T + t) kept from a masked output, or null when every row is scored. */
  rows: Uint32Array | null;
}

function like(a: FloatArray, n: number): FloatArray {
  return a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}

/**
 * The view of (out, y) the loss scores: unchanged below rank 3; [m T, k] for a rank-3 output,
 * with only the unmasked rows (gathered into fresh arrays) when the output has a mask.
 * @throws Error when y does not hold 1 or k numbers per step of a rank-3 output.
 */
export function lossView(k: Backend, out: Tensor, y: Tensor): LossView {
  if (out.rank !== 3) return { out, y, rows: null };
  const [m, T, cols] = out.shape as [number, number, number], n = m * T, yCols = y.size / n;
  if (yCols !== 1 && yCols !== cols)
    throw new Error(`loss: a sequence output [${m}, ${T}, ${cols}] needs targets [${m}, ${T}, ${cols}] or class indices [${m}, ${T}], got ${y.size} numbers`);
  const yShape = (n: number): number[] => (yCols === 1 && cols > 1 ? [n] : [n, yCols]);
  const mask = getMask(out);
  if (!mask) return { out: new Tensor(out.data, [n, cols]), y: new Tensor(y.data, yShape(n)), rows: null };
  let kept = 0;
  for (let i = 0; i < n; i++) if (mask.data[i] !== 0) kept++;
  const rows = new Uint32Array(kept);
  for (let i = 0, j = 0; i < n; i++) if (mask.data[i] !== 0) rows[j++] = i;
  const o = like(out.data, kept * cols), t = like(y.data as FloatArray, kept * yCols);
  k.gatherRows(out.data, cols, rows, 0, kept, o);
  k.gatherRows(y.data as FloatArray, yCols, rows, 0, kept, t);
  return { out: new Tensor(o, [kept, cols]), y: new Tensor(t, yShape(kept)), rows };
}

/** The number of rows the view scores (the loss's count for 'sum_over_batch_size'). */
export function viewRows(view: LossView): number {
  return view.out.rank === 0 ? 1 : view.out.shape[0]!;
}

/**
 * Writes the view's gradient `viewGrad` ([rows, k]) into the output's gradient `grad` (the full
 * output's size): copied when every row is scored, else scattered to the kept rows with zeros
 * on the masked ones.
 */
export function scatterViewGradient(view: LossView, viewGrad: FloatArray, grad: FloatArray): void {
  if (!view.rows) { if (viewGrad !== grad) grad.set(viewGrad); return; }
  const cols = view.out.shape[1]!;
  grad.fill(0);
  for (let j = 0; j < view.rows.length; j++) grad.set(viewGrad.subarray(j * cols, (j + 1) * cols), view.rows[j]! * cols);
}
