/**
 * Softmax, the one row-wise activation (Bridle 1990): a_j = e^{z_j} / sum_k e^{z_k} over each row
 * of `cols` numbers, and its backward pass through the full Jacobian.
 */
import type { FloatArray } from '../../tensor/tensor.js';

/** out[r, :] = softmax(z[r, :]) for a rows x cols matrix; the row maximum is subtracted first. `out` may alias `z`. */
export function softmaxForward(z: FloatArray, out: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (z[o + c]! > max) max = z[o + c]!;
    let sum = 0;
    for (let c = 0; c < cols; c++) { const e = Math.exp(z[o + c]! - max); out[o + c] = e; sum += e; }
    const inv = 1 / sum;
    for (let c = 0; c < cols; c++) out[o + c]! *= inv;
  }
}

/**
 * dz = a (.) (dy - <dy, a>) per row: the Jacobian of softmax is da_i/dz_j = a_i (delta_ij - a_j).
 * `dz` may alias `dy`.
 */
export function softmaxBackward(a: FloatArray, dy: FloatArray, dz: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += dy[o + c]! * a[o + c]!;
    for (let c = 0; c < cols; c++) dz[o + c] = a[o + c]! * (dy[o + c]! - dot);
  }
}
