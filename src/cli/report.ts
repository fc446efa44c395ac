/**
 * Test-set reports shared by `nabla train` (at the end) and `nabla evaluate`, so both print the
 * same numbers in the same words:
 *
 * - classification: `Test loss: 0.0741 - accuracy: 0.9786 (9786 of 10000 correct)`, then the
 *   confusion matrix with per-class precision, recall and F1;
 * - regression: the loss on the standardised target, then RMSE, MAE and R^2 in the target's units.
 */
import { oneHot } from '../data/onehot.js';
import type { Sequential } from '../models/sequential.js';
import { Tensor } from '../tensor/tensor.js';
import { confusionMatrix, type ConfusionMatrix } from '../train/confusion.js';
import { unscaleTarget, type Preprocessing } from './datasets.js';

/** What a report computed. */
export interface TestReport {
  /** Numbers for run.json: loss, accuracy (classification) or rmse, mae, r2 (regression). */
  results: Record<string, number>;
  /** The text to print. */
  text: string;
  confusion: ConfusionMatrix | null;
}

/** The targets the model's loss takes: class indices for sparse losses, one-hot rows otherwise. */
export function targetsForLoss(model: Sequential, y: Tensor, pre: Preprocessing): Tensor {
  if (pre.task !== 'classification' || !model.loss || model.loss.info.sparse) return y;
  const k = model.outputShape[model.outputShape.length - 1] ?? pre.classNames?.length ?? 2;
  return oneHot(y.rank === 2 && y.shape[1] === 1 ? y.reshape([-1]) : y, k);
}

/**
 * Evaluates a compiled model on test data and formats the report.
 * @param y class indices `[n]` (classification) or standardised targets `[n]` (regression).
 */
export function testReport(model: Sequential, x: Tensor, y: Tensor, pre: Preprocessing, batchSize = 256): TestReport {
  const yLoss = targetsForLoss(model, y, pre);
  const n = x.shape[0]!;
  if (pre.task === 'classification') {
    const logs = model.evaluate(x, yLoss, { batchSize });
    const scores = model.predict(x, { batchSize });
    const k = Math.max(pre.classNames?.length ?? 0, scores.shape[1] ?? 1);
    const cm = confusionMatrix(y, scores.shape[1] === 1 ? thresholded(scores) : scores, k);
    const accuracy = logs['accuracy'] ?? cm.accuracy;
    const correct = Math.round(accuracy * n);
    const text = [
      `Test loss: ${logs['loss']!.toFixed(4)} - accuracy: ${accuracy.toFixed(4)} (${correct} of ${n} correct)`,
      '',
      cm.toString(pre.classNames ?? undefined),
    ].join('\n');
    return { results: { loss: logs['loss']!, accuracy }, text, confusion: cm };
  }
  const logs = model.evaluate(x, yLoss, { batchSize });
  const pred = unscaleTarget(model.predict(x, { batchSize }), pre.targetScaler);
  const truth = unscaleTarget(y, pre.targetScaler);
  let se = 0, ae = 0, mean = 0;
  for (let i = 0; i < n; i++) mean += truth.data[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i]! - truth.data[i]!;
    se += d * d; ae += Math.abs(d); ss += (truth.data[i]! - mean) ** 2;
  }
  const rmse = Math.sqrt(se / n), mae = ae / n, r2 = ss > 0 ? 1 - se / ss : 0;
  const unit = pre.targetName ? ` (${pre.targetName})` : '';
  const text = `Test loss: ${logs['loss']!.toFixed(4)} (on the standardised target) - RMSE: ${fmt(rmse)} - MAE: ${fmt(mae)}${unit} - R^2: ${r2.toFixed(4)} (${n} samples)`;
  return { results: { loss: logs['loss']!, rmse, mae, r2 }, text, confusion: null };
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toPrecision(4) : v.toFixed(3);
}

/** One sigmoid output [n, 1] as two-class scores [n, 2] (class 1 when > 0.5). */
function thresholded(scores: Tensor): Tensor {
  const n = scores.shape[0]!, out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) { const p = scores.data[i]!; out[2 * i] = 1 - p; out[2 * i + 1] = p; }
  return new Tensor(out, [n, 2]);
}
