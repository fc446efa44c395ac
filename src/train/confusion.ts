/**
 * The confusion matrix of a classifier and the per-class scores derived from it (as
 * scikit-learn's `confusion_matrix` and `classification_report`):
 *
 *   matrix[i][j]  = number of samples of true class i predicted as class j
 *   precision_j   = matrix[j][j] / sum_i matrix[i][j]     (of those predicted j, how many are j)
 *   recall_i      = matrix[i][i] / sum_j matrix[i][j]     (of those that are i, how many were found)
 *   f1            = 2 precision recall / (precision + recall)
 *   support_i     = sum_j matrix[i][j]
 *   accuracy      = trace(matrix) / n
 *
 * A ratio whose denominator is 0 (a class never predicted, or absent from yTrue) is reported as
 * 0, as scikit-learn does with `zero_division=0`.
 */
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A confusion matrix with its per-class scores. */
export interface ConfusionMatrix {
  /** Counts: rows are true classes, columns predicted classes. `numClasses` x `numClasses`. */
  matrix: number[][];
  /** Per class j: matrix[j][j] / (column j's sum); 0 when the class was never predicted. */
  precision: number[];
  /** Per class i: matrix[i][i] / (row i's sum); 0 when the class has no samples. */
  recall: number[];
  /** Per class: the harmonic mean of precision and recall; 0 when both are 0. */
  f1: number[];
  /** Per class: the number of samples whose true class it is (row sums). */
  support: number[];
  /** Fraction of samples on the diagonal (correctly classified). */
  accuracy: number;
  /**
   * The matrix as a text table (rows "true", columns "predicted") followed by a per-class report
   * of precision, recall, F1 and support, and the overall accuracy.
   * @param classNames labels for the rows and columns (default: the class indices).
   */
  toString(classNames?: readonly string[]): string;
}

/** Class indices from `[n]` labels, `[n, 1]` labels, or `[n, k]` scores (argmax per row, first maximum on ties). */
function toIndices(t: Tensor, what: string, allowScores: boolean): Int32Array {
  if (t.rank === 0) throw new TypeError(`confusionMatrix: ${what} must have shape [n]${allowScores ? ' or [n, k]' : ''}, got a scalar`);
  const n = t.shape[0]!;
  const k = t.rank === 1 ? 1 : t.size / Math.max(1, n);
  if (t.rank > 2 || (!allowScores && k !== 1))
    throw new TypeError(`confusionMatrix: ${what} must have shape [n]${allowScores ? ' or [n, k]' : ' (class indices)'}, got ${formatShape(t.shape)}`);
  const out = new Int32Array(n);
  if (k === 1) {
    for (let i = 0; i < n; i++) {
      const v = t.data[i]!;
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`confusionMatrix: ${what}[${i}] = ${v} is not a class index (a non-negative integer)`);
      out[i] = v;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0, bestValue = t.data[i * k]!;
    for (let j = 1; j < k; j++) {
      const v = t.data[i * k + j]!;
      if (v > bestValue) { best = j; bestValue = v; }
    }
    out[i] = best;
  }
  return out;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Counts true against predicted classes and derives precision, recall, F1 and support per class.
 * @param yTrue true class indices `[n]` (or `[n, 1]`).
 * @param yPred predicted class indices `[n]`, or scores / probabilities `[n, k]` (argmax per row,
 *   so `model.predict(x)` can be passed directly).
 * @param numClasses the number of classes (default: the larger of the score width and
 *   1 + the largest index seen).
 * @returns the matrix (rows = true class, columns = predicted) and its scores.
 * @throws TypeError when a tensor has another shape; RangeError when the sample counts differ,
 *   a label is not a non-negative integer, or an index is >= numClasses.
 */
export function confusionMatrix(yTrue: Tensor, yPred: Tensor, numClasses?: number): ConfusionMatrix {
  const t = toIndices(yTrue, 'yTrue', false), p = toIndices(yPred, 'yPred', true);
  if (t.length !== p.length) throw new RangeError(`confusionMatrix: yTrue has ${t.length} samples but yPred has ${p.length}; they must match`);
  let k = numClasses;
  if (k === undefined) {
    k = yPred.rank === 2 && yPred.shape[1]! > 1 ? yPred.shape[1]! : 0;
    for (const v of t) k = Math.max(k, v + 1);
    for (const v of p) k = Math.max(k, v + 1);
  } else if (!Number.isInteger(k) || k < 1) throw new RangeError(`confusionMatrix: numClasses must be a positive integer, got ${String(numClasses)}`);
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (t[i]! >= k) throw new RangeError(`confusionMatrix: yTrue[${i}] = ${t[i]} is not below numClasses ${k}`);
    if (p[i]! >= k) throw new RangeError(`confusionMatrix: yPred[${i}] = ${p[i]} is not below numClasses ${k}`);
    matrix[t[i]!]![p[i]!]!++;
  }
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = matrix[0]!.map((_, j) => matrix.reduce((s, row) => s + row[j]!, 0));
  const precision = matrix.map((row, j) => ratio(row[j]!, predicted[j]!));
  const recall = matrix.map((row, i) => ratio(row[i]!, support[i]!));
  const f1 = precision.map((pr, i) => ratio(2 * pr * recall[i]!, pr + recall[i]!));
  const accuracy = ratio(matrix.reduce((s, row, i) => s + row[i]!, 0), t.length);
  return {
    matrix, precision, recall, f1, support, accuracy,
    toString: (classNames?: readonly string[]) => formatConfusion(matrix, precision, recall, f1, support, accuracy, classNames),
  };
}

function formatConfusion(matrix: number[][], precision: number[], recall: number[], f1: number[], support: number[],
                         accuracy: number, classNames?: readonly string[]): string {
  const k = matrix.length;
  const names = Array.from({ length: k }, (_, i) => classNames?.[i] ?? String(i));
  const nameWidth = Math.max(4, ...names.map((s) => s.length));
  const cellWidth = Math.max(5, ...names.map((s) => s.length), ...matrix.flat().map((v) => String(v).length)) + 1;
  const lines: string[] = [];
  lines.push(`Confusion matrix (rows: true class, columns: predicted class)`);
  lines.push(' '.repeat(nameWidth + 2) + names.map((s) => s.padStart(cellWidth)).join(''));
  matrix.forEach((row, i) => lines.push(`${names[i]!.padStart(nameWidth)} |` + row.map((v) => String(v).padStart(cellWidth)).join('')));
  lines.push('');
  const rw = Math.max(nameWidth, 'macro avg'.length);
  const header = ['class'.padStart(rw), 'precision', '   recall', '       f1', '  support'].join('  ');
  lines.push(header);
  for (let i = 0; i < k; i++)
    lines.push([names[i]!.padStart(rw), precision[i]!.toFixed(4).padStart(9), recall[i]!.toFixed(4).padStart(9), f1[i]!.toFixed(4).padStart(9), String(support[i]).padStart(9)].join('  '));
  const n = support.reduce((a, b) => a + b, 0);
  const macro = (v: number[]) => (k === 0 ? 0 : v.reduce((a, b) => a + b, 0) / k);
  lines.push(['macro avg'.padStart(rw), macro(precision).toFixed(4).padStart(9), macro(recall).toFixed(4).padStart(9), macro(f1).toFixed(4).padStart(9), String(n).padStart(9)].join('  '));
  lines.push(`accuracy: ${accuracy.toFixed(4)} (${Math.round(accuracy * n)} of ${n})`);
  return lines.join('\n');
}
