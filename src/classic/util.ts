/**
 * Helpers the classic models share: option checks, reading inputs and targets from tensors into
 * float64, class labels, and the numerically stable log-sum-exp. Internal to `classic/`.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { describe } from '../validate.js';
import type { Optimizer } from '../optim/optimizer.js';

export { checkOptionKeys, positiveFinite, nonNegativeFinite, boolean, withDefault, describe, integerAtLeast, oneOf } from '../validate.js';

/** A row-major float64 matrix read from a tensor: n rows of f numbers. */
export interface Rows {
  data: Float64Array;
  n: number;
  f: number;
}

/**
 * Reads inputs `[n, f]` (or `[n]`, taken as one feature) into a float64 copy.
 * @throws TypeError on another rank; RangeError when n is 0, the feature count differs from
 *   `features` (when given), or a value is NaN or infinite (naming its row and column).
 */
export function readInputs(owner: string, x: Tensor, features?: number): Rows {
  if (!(x instanceof Tensor)) throw new TypeError(`${owner}: x must be a Tensor [n, features], got ${describe(x)}`);
  if (x.rank !== 1 && x.rank !== 2) throw new TypeError(`${owner}: x must be [n, features] (or [n] for one feature), got ${formatShape(x.shape)}`);
  const n = x.shape[0]!, f = x.rank === 2 ? x.shape[1]! : 1;
  if (n === 0) throw new RangeError(`${owner}: x has no rows`);
  if (features !== undefined && f !== features)
    throw new RangeError(`${owner}: the model was fitted on ${features} feature(s), got x ${formatShape(x.shape)}`);
  const data = Float64Array.from(x.data);
  for (let i = 0; i < data.length; i++)
    if (!Number.isFinite(data[i]!)) throw new RangeError(`${owner}: x[${Math.floor(i / f)}, ${i % f}] is ${data[i]}; inputs must be finite`);
  return { data, n, f };
}

/**
 * Reads targets `[n]` or `[n, 1]` into a float64 copy.
 * @throws TypeError on another shape; RangeError when the count differs from n or a value is not finite.
 */
export function readTargets(owner: string, y: Tensor, n: number): Float64Array {
  if (!(y instanceof Tensor)) throw new TypeError(`${owner}: y must be a Tensor [n], got ${describe(y)}`);
  if (!(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1))) throw new TypeError(`${owner}: y must be [n] or [n, 1], got ${formatShape(y.shape)}`);
  if (y.shape[0] !== n) throw new RangeError(`${owner}: x has ${n} rows but y has ${y.shape[0]} ${formatShape(y.shape)}`);
  const out = Float64Array.from(y.data);
  for (let i = 0; i < n; i++) if (!Number.isFinite(out[i]!)) throw new RangeError(`${owner}: y[${i}] is ${out[i]}; targets must be finite`);
  return out;
}

/** Class labels found in y, sorted, and each sample's index into them. */
export interface Labels {
  /** The distinct labels, ascending. */
  classes: number[];
  /** Per sample, the index of its label in `classes`. */
  index: Int32Array;
}

/**
 * Reads integer class labels. @throws RangeError naming the first label that is not an integer.
 */
export function readLabels(owner: string, y: Tensor, n: number): Labels {
  const raw = readTargets(owner, y, n);
  for (let i = 0; i < n; i++)
    if (!Number.isInteger(raw[i]!)) throw new RangeError(`${owner}: y[${i}] is ${raw[i]}; class labels must be integers`);
  const classes = [...new Set(raw)].sort((a, b) => a - b);
  const where = new Map(classes.map((c, k) => [c, k]));
  return { classes, index: Int32Array.from(raw, (v) => where.get(v)!) };
}

/**
 * Binary labels in either convention: {0, 1} or {-1, +1}. Returns t_i in {0, 1} and the
 * convention, so predictions come back in the labels the user gave.
 * @throws RangeError when the labels mix conventions or use any other value.
 */
export function readBinaryLabels(owner: string, y: Tensor, n: number): { t: Float64Array; negative: 0 | -1 } {
  const raw = readTargets(owner, y, n);
  let hasZero = false, hasMinus = false;
  for (let i = 0; i < n; i++) {
    const v = raw[i]!;
    if (v === 0) hasZero = true;
    else if (v === -1) hasMinus = true;
    else if (v !== 1) throw new RangeError(`${owner}: y[${i}] is ${v}; labels must be 0/1 or -1/+1`);
  }
  if (hasZero && hasMinus) throw new RangeError(`${owner}: y mixes 0 and -1; labels must be 0/1 or -1/+1, not both`);
  return { t: raw.map((v) => (v === 1 ? 1 : 0)), negative: hasMinus ? -1 : 0 };
}

/** log(sum_k exp(a_k)) without overflow: m + log(sum_k exp(a_k - m)) with m = max_k a_k. */
export function logSumExp(a: ArrayLike<number>): number {
  let m = -Infinity;
  for (let k = 0; k < a.length; k++) if (a[k]! > m) m = a[k]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let k = 0; k < a.length; k++) s += Math.exp(a[k]! - m);
  return m + Math.log(s);
}

/** The logistic function 1 / (1 + e^-z), computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Accuracy: the fraction of positions where `predicted` equals `truth`. */
export function accuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) right++;
  return right / truth.length;
}

/** @throws Error `<owner>.<method>: not fitted (call fit first)` when `fitted` is false. */
export function requireFitted(owner: string, method: string, fitted: boolean): void {
  if (!fitted) throw new Error(`${owner}.${method}: not fitted (call fit first)`);
}

/**
 * The affine scores z_i = w . x_i + b of the n rows of a row-major `[n, d]` matrix.
 * @returns float64 `[n]`.
 */
export function affineScores(data: Float64Array, n: number, w: Float64Array, b: number): Float64Array {
  const d = w.length, out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = b;
    for (let j = 0; j < d; j++) z += w[j]! * data[i * d + j]!;
    out[i] = z;
  }
  return out;
}

/**
 * Each row's label: `labels[c]` for the column c holding the row's largest score (the first on a
 * tie), from row-major scores `[n, k]`. @returns float64 `[n]`.
 */
export function argmaxLabels(scores: ArrayLike<number>, n: number, k: number, labels: readonly number[]): Tensor {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c;
    out[i] = labels[best]!;
  }
  return new Tensor(out, [n]);
}

/**
 * The `optimizer` option of a gradient-trained model: undefined when absent (the model then runs
 * plain SGD at its `learningRate`).
 * @throws RangeError when `learningRate` is given too; TypeError when it is not an optimiser.
 */
export function readOptimizer(owner: string, options: Record<string, unknown>): Optimizer | undefined {
  if (options['optimizer'] === undefined) return undefined;
  if (options['learningRate'] !== undefined) throw new RangeError(`${owner}: give learningRate (for plain SGD) or optimizer, not both`);
  const opt = options['optimizer'] as Optimizer;
  if (typeof opt !== 'object' || opt === null || typeof opt.applyGradients !== 'function')
    throw new TypeError(`${owner}: optimizer must be a nabla optimiser (SGD, Adam, RMSprop, Adagrad), got ${describe(opt)}`);
  return opt;
}
