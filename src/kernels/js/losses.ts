/**
 * Reference loss kernels for docs/design.md's loss table. Values are SUMS over samples of the
 * per-sample loss; the caller divides by the batch size m.
 */
import type { FloatArray } from '../../tensor/tensor.js';
import { PROBABILITY_EPSILON as EPS, type LossName } from '../backend.js';
import { softplus } from '../scalar-math.js';

const clipP = (p: number): number => (p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p);

/** log sum_c exp(z[o + c]) by the log-sum-exp trick. */
function logSumExp(z: FloatArray, o: number, cols: number): number {
  let max = -Infinity;
  for (let c = 0; c < cols; c++) if (z[o + c]! > max) max = z[o + c]!;
  let s = 0;
  for (let c = 0; c < cols; c++) s += Math.exp(z[o + c]! - max);
  return max + Math.log(s);
}

/** Keras's hinge label rule: true when every target is 0 or 1 (they are then read as 2y - 1, Keras `_maybe_convert_labels`). */
function zeroOneTargets(yTrue: FloatArray, n: number): boolean {
  for (let i = 0; i < n; i++) if (yTrue[i] !== 0 && yTrue[i] !== 1) return false;
  return true;
}

export function lossSum(name: LossName, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, fromLogits: boolean): number {
  const n = rows * cols;
  let total = 0;
  switch (name) {
    case 'meanSquaredError':
    case 'quadratic': {
      for (let i = 0; i < n; i++) { const d = yTrue[i]! - yPred[i]!; total += d * d; }
      return name === 'quadratic' ? total / 2 : total / cols;
    }
    case 'categoricalCrossentropy':
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        const lse = fromLogits ? logSumExp(yPred, o, cols) : 0;
        for (let c = 0; c < cols; c++) {
          const y = yTrue[o + c]!;
          if (y === 0) continue;
          total -= y * (fromLogits ? yPred[o + c]! - lse : Math.log(clipP(yPred[o + c]!)));
        }
      }
      return total;
    case 'sparseCategoricalCrossentropy':
      for (let r = 0; r < rows; r++) {
        const o = r * cols, label = yTrue[r]!;
        total -= fromLogits ? yPred[o + label]! - logSumExp(yPred, o, cols) : Math.log(clipP(yPred[o + label]!));
      }
      return total;
    case 'binaryCrossentropy':
      for (let i = 0; i < n; i++) {
        const y = yTrue[i]!;
        if (fromLogits) {
          // -(y log s(x) + (1 - y) log(1 - s(x))) = softplus(x) - y x
          const x = yPred[i]!;
          total += softplus(x) - y * x;
        } else {
          const p = clipP(yPred[i]!);
          total -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
        }
      }
      return total / cols;
    case 'hinge':
    case 'squaredHinge': {
      const convert = zeroOneTargets(yTrue, n);
      for (let i = 0; i < n; i++) {
        const t = convert ? 2 * yTrue[i]! - 1 : yTrue[i]!;
        const h = Math.max(1 - t * yPred[i]!, 0);
        total += name === 'hinge' ? h : h * h;
      }
      return total / cols;
    }
  }
}

export function lossGradient(name: LossName, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, scale: number, grad: FloatArray): void {
  const n = rows * cols;
  switch (name) {
    case 'meanSquaredError': { const s = (-2 * scale) / cols; for (let i = 0; i < n; i++) grad[i] = s * (yTrue[i]! - yPred[i]!); return; }
    case 'quadratic': for (let i = 0; i < n; i++) grad[i] = scale * (yPred[i]! - yTrue[i]!); return;
    case 'categoricalCrossentropy':
      // d/da_j (-sum y log clip(a)) = -y_j / a_j inside the clip range, 0 where the clip is active.
      for (let i = 0; i < n; i++) {
        const p = yPred[i]!;
        grad[i] = p < EPS || p > 1 - EPS ? 0 : (-scale * yTrue[i]!) / p;
      }
      return;
    case 'sparseCategoricalCrossentropy':
      grad.fill(0, 0, n);
      for (let r = 0; r < rows; r++) {
        const idx = r * cols + yTrue[r]!, p = yPred[idx]!;
        grad[idx] = p < EPS || p > 1 - EPS ? 0 : -scale / p;
      }
      return;
    case 'binaryCrossentropy':
      for (let i = 0; i < n; i++) {
        const p = yPred[i]!, y = yTrue[i]!;
        grad[i] = p < EPS || p > 1 - EPS ? 0 : (scale / cols) * ((1 - y) / (1 - p) - y / p);
      }
      return;
    case 'hinge':
    case 'squaredHinge': {
      // d/dp max(1 - t p, 0) = -t where 1 - t p > 0, else 0 (also at the kink, as TensorFlow's maximum)
      const convert = zeroOneTargets(yTrue, n), s = scale / cols;
      for (let i = 0; i < n; i++) {
        const t = convert ? 2 * yTrue[i]! - 1 : yTrue[i]!, h = 1 - t * yPred[i]!;
        grad[i] = h > 0 ? (name === 'hinge' ? -s * t : -2 * s * h * t) : 0;
      }
      return;
    }
  }
}

export function fusedLossGradient(name: LossName, a: FloatArray, yTrue: FloatArray, rows: number, cols: number, scale: number, dz: FloatArray): void {
  const n = rows * cols;
  if (name === 'sparseCategoricalCrossentropy') {
    for (let i = 0; i < n; i++) dz[i] = scale * a[i]!;
    for (let r = 0; r < rows; r++) dz[r * cols + yTrue[r]!]! -= scale;
    return;
  }
  if (name !== 'categoricalCrossentropy' && name !== 'binaryCrossentropy')
    throw new Error(`fusedLossGradient: '${name}' has no fused form`);
  for (let i = 0; i < n; i++) dz[i] = scale * (a[i]! - yTrue[i]!);
}
