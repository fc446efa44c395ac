/** Checks on training data, made before any training starts (docs/design.md, "Errors and bad input"). */
import type { Backend } from '../kernels/backend.js';
import { LOSS_DEFS, LOSS_NAMES } from '../kernels/loss-registry.js';
import type { Loss } from '../nn/losses.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Refuses NaN or infinite values, naming the tensor and the first bad index.
 * @throws Error "x contains NaN at index 17 (sample 0)".
 */
export function checkFinite(k: Backend, t: Tensor, what: string): void {
  if (k.allFinite(t.data)) return;
  const per = t.size / Math.max(1, t.shape[0]!);
  const i = t.data.findIndex((v) => !Number.isFinite(v));
  throw new Error(`${what} contains ${t.data[i]} at index ${i} (sample ${Math.floor(i / per)}); clean or impute the data before training`);
}

/** The losses that take class indices (for the hint when indices meet a dense loss). */
const SPARSE_LOSSES = LOSS_NAMES.filter((n) => LOSS_DEFS[n].sparse);

/**
 * Checks labels against the loss and the model's output shape [batch, ...outShape].
 * Sparse losses take y [n] (or [n, 1]) of integer class indices in [0, classes), [n, T] for a
 * sequence output [n, T, classes] (scored per step); the others take y
 * with the output's shape ([n] allowed when the output has one unit).
 * @throws Error naming what was expected and what came.
 */
export function checkLabels(y: Tensor, loss: Loss, outputShape: readonly number[], what = 'y'): void {
  const outPer = outputShape.slice(1).reduce((a, b) => a * b, 1);
  if (loss.info.sparse) {
    const steps = outputShape.length === 3 ? outputShape[1]! : null; // a sequence output [n, T, k] takes indices [n, T] (step-loss.ts)
    const perStep = steps !== null && ((y.rank === 2 && y.shape[1] === steps) || (y.rank === 3 && y.shape[1] === steps && y.shape[2] === 1));
    if (steps !== null ? !perStep : !(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)))
      throw new Error(`${what}: '${loss.info.name}' expects class indices of shape ${steps !== null ? `[n, ${steps}]` : '[n]'}, got ${formatShape(y.shape)}; for one-hot rows use '${loss.info.otherLabelForm}'`);
    const classes = outputShape[outputShape.length - 1]!;
    for (let i = 0; i < y.size; i++) {
      const v = y.data[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= classes)
        throw new Error(`${what}: labels must be integers in [0, ${classes}) for a model with ${classes} outputs; ${what}[${i}] = ${v}`);
    }
    return;
  }
  const per = y.size / Math.max(1, y.shape[0]!);
  if (per !== outPer || (y.rank === 1 && outPer !== 1))
    throw new Error(`${what}: expected shape ${formatShape([y.shape[0]!, ...outputShape.slice(1)])} to match the model's output for '${loss.info.name}', got ${formatShape(y.shape)}` +
      (y.rank === 1 && outPer > 1 ? `; class indices need '${SPARSE_LOSSES.join("' or '")}' or oneHot()` : ''));
  if (loss.info.probabilityTargets)
    for (let i = 0; i < y.size; i++) {
      const v = y.data[i]!;
      if (v < 0 || v > 1) throw new Error(`${what}: '${loss.info.name}' expects targets in [0, 1]; ${what}[${i}] = ${v}`);
    }
}
