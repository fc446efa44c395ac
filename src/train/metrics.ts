/**
 * Metrics, by the names Keras / TensorFlow.js accept. Each returns the batch mean; the log key is
 * the name given to compile (Keras 2: 'acc' logs acc and val_acc, 'accuracy' logs accuracy).
 *   accuracy, acc              the accuracy the loss implies (Keras): argmax agreement for
 *                              categorical outputs, threshold 0.5 (0 for logits) for binary ones
 *   categoricalAccuracy        argmax of the output = argmax of the one-hot y
 *   sparseCategoricalAccuracy  argmax of the output = the class index y (a sparse loss)
 *   binaryAccuracy             (output > 0.5) = (y > 0.5), averaged over the outputs
 *   mse / meanSquaredError, mae / meanAbsoluteError
 *   mape / meanAbsolutePercentageError   100 * mean(|y - out| / max(|y|, 1e-7)) (Keras's epsilon)
 *   zeroOneLoss                the fraction misclassified, 1 - accuracy (the 0/1 loss of Hung-yi
 *                              Lee's "classification as regression" and scikit-learn's
 *                              zero_one_loss; Keras has no such metric). Misclassified as
 *                              'accuracy' judges: argmax, threshold 0.5, or the sign for hinge losses
 */
import type { Backend } from '../kernels/backend.js';
import { MSE_METRIC_LOSS } from '../kernels/loss-registry.js';
import type { Loss } from '../nn/losses.js';
import type { Tensor } from '../tensor/tensor.js';

type Kind = 'accuracy' | 'zeroOne' | 'categorical' | 'sparse' | 'binary' | 'mse' | 'mae' | 'mape';
const KINDS = {
  accuracy: 'accuracy', acc: 'accuracy', categoricalAccuracy: 'categorical', sparseCategoricalAccuracy: 'sparse',
  binaryAccuracy: 'binary', mse: 'mse', meanSquaredError: 'mse', mae: 'mae', meanAbsoluteError: 'mae',
  mape: 'mape', meanAbsolutePercentageError: 'mape', zeroOneLoss: 'zeroOne',
} as const satisfies Record<string, Kind>;

/** The metric names compile's `metrics` accepts ('accuracy', 'mae', 'mse', ... and their Keras aliases). */
export type MetricName = keyof typeof KINDS;
/** Every {@link MetricName}, in the registry's order. */
export const METRIC_NAMES: readonly MetricName[] = Object.keys(KINDS) as MetricName[];

/**
 * The metric names, checked against the loss.
 * @throws Error listing the valid names for an unknown metric; a row-by-row metric (mse, mae,
 * mape, categoricalAccuracy, binaryAccuracy) with a sparse loss; sparseCategoricalAccuracy with a non-sparse one.
 */
export function checkMetrics(metrics: unknown, loss: Loss): MetricName[] {
  if (metrics === undefined) return [];
  if (!Array.isArray(metrics)) throw new Error(`compile: metrics must be a list such as ['accuracy'], got ${JSON.stringify(metrics)}`);
  for (const m of metrics) {
    if (typeof m !== 'string' || !Object.hasOwn(KINDS, m)) throw new Error(`compile: unknown metric ${JSON.stringify(m)}; valid names: ${METRIC_NAMES.join(', ')}`);
    const kind = KINDS[m as MetricName];
    if (kind !== 'accuracy' && kind !== 'zeroOne' && kind !== 'sparse' && loss.info.sparse) throw new Error(`compile: metric '${m}' compares y with the output row by row, but '${loss.info.name}' takes class indices; use 'accuracy'`);
    if (kind === 'sparse' && !loss.info.sparse) throw new Error(`compile: metric '${m}' needs class-index labels (a sparse loss), but '${loss.info.name}' takes rows like the output; use 'accuracy' or 'categoricalAccuracy'`);
  }
  return [...new Set(metrics as MetricName[])];
}

/** 'acc' <-> 'accuracy' and 'val_acc' <-> 'val_accuracy'; other names map to themselves. */
export function metricAlias(key: string): string {
  const m = /^(val_)?(acc|accuracy)$/.exec(key);
  if (!m) return key;
  return `${m[1] ?? ''}${m[2] === 'acc' ? 'accuracy' : 'acc'}`;
}

/** The monitored quantity in logs, accepting either spelling of accuracy ('val_acc' finds 'val_accuracy'). */
export function monitoredValue(logs: Record<string, number> | undefined, monitor: string): number | undefined {
  return logs?.[monitor] ?? logs?.[metricAlias(monitor)];
}

/** Count of correct predictions in a batch (out [m, k]; y [m] indices for sparse, else [m, k]), as the loss implies. */
export function countCorrect(k: Backend, out: Tensor, y: Tensor, loss: Loss, argmaxOut: Int32Array, argmaxY: Int32Array): number {
  const cols = out.size / out.shape[0]!;
  if (loss.info.accuracy === 'sign') return binaryCorrect(out, y, 0);
  if (loss.info.accuracy === 'binary' || (cols === 1 && !loss.info.sparse)) return binaryCorrect(out, y, loss.fromLogits ? 0 : 0.5);
  return argmaxCorrect(k, out, y, loss.info.sparse, argmaxOut, argmaxY);
}

/** Samples whose thresholded outputs agree with y > 0.5 (so -1/+1 and 0/1 targets alike), averaged over the outputs of a row. */
function binaryCorrect(out: Tensor, y: Tensor, threshold: number): number {
  const cols = out.size / out.shape[0]!;
  let correct = 0;
  for (let i = 0; i < out.size; i++) if ((out.data[i]! > threshold ? 1 : 0) === (y.data[i]! > 0.5 ? 1 : 0)) correct++;
  return correct / cols;
}

/** Rows whose output argmax is the label (sparse: y holds indices) or y's argmax. */
function argmaxCorrect(k: Backend, out: Tensor, y: Tensor, sparse: boolean, argmaxOut: Int32Array, argmaxY: Int32Array): number {
  const m = out.shape[0]!, cols = out.size / m;
  let correct = 0;
  k.argmaxRows(out.data, m, cols, argmaxOut);
  if (sparse) {
    for (let r = 0; r < m; r++) if (argmaxOut[r] === y.data[r]) correct++;
  } else {
    k.argmaxRows(y.data, m, cols, argmaxY);
    for (let r = 0; r < m; r++) if (argmaxOut[r] === argmaxY[r]) correct++;
  }
  return correct;
}

/** Sum over the rows of 100 |y - out| / max(|y|, 1e-7), averaged over the outputs of a row (Keras MAPE). */
function apeSum(out: Tensor, y: Tensor): number {
  const cols = out.size / out.shape[0]!;
  let s = 0;
  for (let i = 0; i < out.size; i++) s += Math.abs(y.data[i]! - out.data[i]!) / Math.max(Math.abs(y.data[i]!), 1e-7);
  return (100 * s) / cols;
}

/** Sums over the batch for each metric, keyed by its name (divide by m for the mean). */
export function metricSums(k: Backend, names: readonly MetricName[], out: Tensor, y: Tensor, loss: Loss,
                           scratch: { argmaxOut: Int32Array; argmaxY: Int32Array }): Record<string, number> {
  const m = out.shape[0]!, cols = out.size / m;
  const sums: Record<string, number> = {};
  for (const name of names) {
    const kind: Kind = KINDS[name];
    if (kind === 'accuracy') sums[name] = countCorrect(k, out, y, loss, scratch.argmaxOut, scratch.argmaxY);
    else if (kind === 'zeroOne') sums[name] = m - countCorrect(k, out, y, loss, scratch.argmaxOut, scratch.argmaxY);
    else if (kind === 'categorical' || kind === 'sparse') sums[name] = argmaxCorrect(k, out, y, kind === 'sparse', scratch.argmaxOut, scratch.argmaxY);
    else if (kind === 'binary') sums[name] = binaryCorrect(out, y, 0.5);
    else if (kind === 'mse') sums[name] = k.lossSum(MSE_METRIC_LOSS, out.data, y.data, m, cols, false);
    else if (kind === 'mae') sums[name] = k.absDiffSum(out.data, y.data) / cols;
    else sums[name] = apeSum(out, y);
  }
  return sums;
}

/**
 * The 0/1 loss of predicted labels against true ones: the fraction that differ (scikit-learn's
 * `zero_one_loss`), or with `normalize: false` their count (the number of errors). Labels are
 * compared as numbers, so -1/+1, 0/1 and class indices all work.
 * @throws RangeError when the lengths differ or are 0.
 */
export function zeroOneLoss(predicted: ArrayLike<number>, truth: ArrayLike<number>, options: { normalize?: boolean } = {}): number {
  if (predicted.length !== truth.length || truth.length === 0)
    throw new RangeError(`zeroOneLoss: expected two label lists of the same non-zero length, got ${predicted.length} and ${truth.length}`);
  let errors = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] !== truth[i]) errors++;
  return options.normalize === false ? errors : errors / truth.length;
}
