/** One-hot encoding of class labels, and its inverse. */
import { Tensor, allocArray } from '../tensor/tensor.js';
import type { DType } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';

/**
 * One-hot encodes class indices: row i of the result is e_{labels[i]}, as the targets of
 * 'categoricalCrossentropy' (or Higham & Higham's y = [1,0] / [0,1]).
 * @param labels `[n]` (or `[n, 1]`) integer class indices in [0, numClasses).
 * @param numClasses k, a positive integer.
 * @param dtype of the result (default: the labels' dtype).
 * @returns `[n, k]` of zeros and ones.
 * @throws RangeError naming the index and value of a label that is not an integer in [0, k);
 *   TypeError when labels are not `[n]` or `[n, 1]`.
 */
export function oneHot(labels: Tensor, numClasses: number, dtype?: DType): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0)
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  if (!(labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1)))
    throw new TypeError(`oneHot: labels must have shape [n] or [n, 1] (class indices), got ${formatShape(labels.shape)}`);
  const n = labels.shape[0]!, out = allocArray(dtype ?? labels.dtype, n * numClasses);
  for (let i = 0; i < n; i++) {
    const v = labels.data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses)
      throw new RangeError(`oneHot: label ${v} at index ${i} is not an integer class index in [0, ${numClasses})`);
    out[i * numClasses + v] = 1;
  }
  return new Tensor(out, [n, numClasses]);
}

/**
 * The class index of each row: the column of its largest value (the first one on ties), the
 * inverse of {@link oneHot} and the prediction of a softmax output.
 * @param x `[n, k]` with k >= 1.
 * @returns `[n]` class indices, in x's dtype.
 * @throws TypeError when x is not `[n, k]` with k >= 1.
 */
export function argMax(x: Tensor): Tensor {
  if (x.rank !== 2 || x.shape[1]! < 1) throw new TypeError(`argMax: expected [n, k] with k >= 1, got ${formatShape(x.shape)}`);
  const [n, k] = x.shape as [number, number], out = allocArray(x.dtype, n);
  for (let i = 0; i < n; i++) {
    let best = 0, bestV = x.data[i * k]!;
    for (let j = 1; j < k; j++) { const v = x.data[i * k + j]!; if (v > bestV) { bestV = v; best = j; } }
    out[i] = best;
  }
  return new Tensor(out, [n]);
}
