/** Reference elementwise kernels, reductions, batching helpers and optimiser updates. */
import type { FloatArray } from '../../tensor/tensor.js';

export function biasAdd(x: FloatArray, bias: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) { const o = r * cols; for (let c = 0; c < cols; c++) x[o + c]! += bias[c]!; }
}

export function biasGrad(dy: FloatArray, db: FloatArray, rows: number, cols: number): void {
  db.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) { const o = r * cols; for (let c = 0; c < cols; c++) db[c]! += dy[o + c]!; }
}

export function axpy(alpha: number, x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) y[i]! += alpha * x[i]!;
}
export function addScaled(x: FloatArray, alpha: number, y: FloatArray, beta: number, out: FloatArray): void {
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i]! + beta * y[i]!;
}
export function scale(x: FloatArray, alpha: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= alpha;
}
export function mul(x: FloatArray, y: FloatArray, out: FloatArray): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i]! * y[i]!;
}
export function clip(x: FloatArray, lo: number, hi: number): void {
  for (let i = 0; i < x.length; i++) { const v = x[i]!; x[i] = v < lo ? lo : v > hi ? hi : v; }
}
export function sumSquares(x: FloatArray): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}
export function allFinite(x: FloatArray): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return false;
  return true;
}
export function dropoutMask(u: FloatArray, rate: number): void {
  const keep = 1 / (1 - rate);
  for (let i = 0; i < u.length; i++) u[i] = u[i]! < rate ? 0 : keep;
}
export function gatherRows(src: FloatArray, cols: number, indices: Uint32Array, start: number, count: number, dst: FloatArray): void {
  for (let j = 0; j < count; j++) {
    const s = indices[start + j]! * cols;
    dst.set(src.subarray(s, s + cols), j * cols);
  }
}
export function argmaxRows(x: FloatArray, rows: number, cols: number, out: Int32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let best = 0, max = x[o]!;
    for (let c = 1; c < cols; c++) if (x[o + c]! > max) { max = x[o + c]!; best = c; }
    out[r] = best;
  }
}
export function absDiffSum(x: FloatArray, y: FloatArray): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]! - y[i]!);
  return s;
}

// ---- optimiser updates (docs/design.md, "Optimisers") ----
export function sgdUpdate(w: FloatArray, g: FloatArray, lr: number): void {
  for (let i = 0; i < w.length; i++) w[i]! -= lr * g[i]!;
}
export function momentumUpdate(w: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number, nesterov: boolean): void {
  for (let i = 0; i < w.length; i++) {
    const vi = momentum * v[i]! - lr * g[i]!;
    v[i] = vi;
    w[i]! += nesterov ? momentum * vi - lr * g[i]! : vi;
  }
}
export function adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, lr: number,
                           beta1: number, beta2: number, epsilon: number, t: number): void {
  const c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * gi;
    const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi; v[i] = vi;
    w[i]! -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
}
export function rmspropUpdate(w: FloatArray, g: FloatArray, s: FloatArray, lr: number, rho: number, epsilon: number): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const si = rho * s[i]! + (1 - rho) * gi * gi;
    s[i] = si;
    w[i]! -= (lr * gi) / (Math.sqrt(si) + epsilon);
  }
}
export function adagradUpdate(w: FloatArray, g: FloatArray, s: FloatArray, lr: number, epsilon: number): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const si = s[i]! + gi * gi;
    s[i] = si;
    w[i]! -= (lr * gi) / (Math.sqrt(si) + epsilon);
  }
}
