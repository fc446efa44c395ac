/**
 * Reference activation kernels: forward a = f(z) and backward dz = dy (.) f'(z)
 * (Nielsen ch. 2, BP1 and BP2), softmax with its full Jacobian.
 */
import type { FloatArray } from '../../tensor/tensor.js';
import type { ActivationName } from '../backend.js';

/** Numerically stable logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function activationForward(name: ActivationName, z: FloatArray, out: FloatArray, rows: number, cols: number, alpha: number): void {
  const n = rows * cols;
  switch (name) {
    case 'linear': if (out !== z) out.set(z.subarray(0, n)); return;
    case 'step': for (let i = 0; i < n; i++) out[i] = z[i]! >= 0 ? 1 : 0; return;
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = sigmoid(z[i]!); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(z[i]!); return;
    case 'relu': for (let i = 0; i < n; i++) { const v = z[i]!; out[i] = v > 0 ? v : 0; } return;
    case 'leakyRelu': for (let i = 0; i < n; i++) { const v = z[i]!; out[i] = v > 0 ? v : alpha * v; } return;
    case 'softmax':
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let max = -Infinity;
        for (let c = 0; c < cols; c++) if (z[o + c]! > max) max = z[o + c]!;
        let sum = 0;
        for (let c = 0; c < cols; c++) { const e = Math.exp(z[o + c]! - max); out[o + c] = e; sum += e; }
        const inv = 1 / sum;
        for (let c = 0; c < cols; c++) out[o + c]! *= inv;
      }
      return;
  }
}

export function activationBackward(name: ActivationName, z: FloatArray, a: FloatArray, dy: FloatArray, dz: FloatArray,
                                   rows: number, cols: number, alpha: number): void {
  const n = rows * cols;
  switch (name) {
    case 'linear': if (dz !== dy) dz.set(dy.subarray(0, n)); return;
    case 'step': dz.fill(0, 0, n); return;
    case 'sigmoid': for (let i = 0; i < n; i++) { const s = a[i]!; dz[i] = dy[i]! * s * (1 - s); } return;
    case 'tanh': for (let i = 0; i < n; i++) { const t = a[i]!; dz[i] = dy[i]! * (1 - t * t); } return;
    case 'relu': for (let i = 0; i < n; i++) dz[i] = z[i]! > 0 ? dy[i]! : 0; return;
    case 'leakyRelu': for (let i = 0; i < n; i++) dz[i] = z[i]! > 0 ? dy[i]! : alpha * dy[i]!; return;
    case 'softmax':
      // Jacobian of softmax: da_i/dz_j = a_i (delta_ij - a_j), so dz = a (.) (dy - <dy, a>).
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += dy[o + c]! * a[o + c]!;
        for (let c = 0; c < cols; c++) dz[o + c] = a[o + c]! * (dy[o + c]! - dot);
      }
      return;
  }
}
