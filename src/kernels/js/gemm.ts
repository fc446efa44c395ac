/**
 * Reference gemm: C = alpha op(A) op(B) + beta C, row-major (see Backend.gemm).
 *
 * Each C element is sum_p op(A)[i, p] op(B)[p, j], summed over p in increasing order in a float64
 * accumulator whatever the arrays' type, then C[i, j] = alpha sum + beta C[i, j] (beta = 0 ignores
 * C, so NaN there does not propagate), rounded once to C's type. So the float32 reference is as
 * accurate as float32 storage allows, which is what an oracle should be.
 *
 * Speed without changing that order: when op(B) rows are contiguous (B not transposed) a row of C
 * is built as a float64 row of accumulators over the NONZERO entries of op(A)'s row, four at a time
 * (one pass over the row per four products; relu outputs and MNIST pixels are mostly zeros, whose
 * terms are exactly 0 and skipped); when B is transposed, four dot products run side by side
 * (independent additions instead of one chain). Obviously right first, fast second: the
 * WebAssembly backend is the fast one.
 */
import type { FloatArray } from '../../tensor/tensor.js';

/** Per-row scratch, grown on demand: the accumulators, and op(A)'s nonzero values and their p. */
let acc = new Float64Array(64);
let nzValue = new Float64Array(64);
let nzIndex = new Int32Array(64);

/**
 * C (m x n) = alpha op(A) op(B) + beta C; op(A) is m x k (A stored k x m when transA), op(B) is
 * k x n (B stored n x k when transB). Arrays may be float32 or float64, mixed.
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
                     alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray): void {
  if (alpha === 0 || k === 0) {
    const size = m * n;
    if (beta === 0) c.fill(0, 0, size);
    else if (beta !== 1) for (let i = 0; i < size; i++) c[i]! *= beta;
    return;
  }
  if (acc.length < n) acc = new Float64Array(n);
  if (nzValue.length < k) { nzValue = new Float64Array(k); nzIndex = new Int32Array(k); }
  for (let i = 0; i < m; i++) {
    if (transB) dotRow(transA, i, n, k, m, a, b, acc);
    else axpyRow(transA, i, n, k, m, a, b, acc);
    const ci = i * n;
    if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = alpha * acc[j]!;
    else for (let j = 0; j < n; j++) c[ci + j] = alpha * acc[j]! + beta * c[ci + j]!;
  }
}

/** s[0, n) = op(A)[i, :] B (B is k x n, rows contiguous), over op(A)'s nonzero entries in p order. */
function axpyRow(transA: boolean, i: number, n: number, k: number, m: number, a: FloatArray, b: FloatArray, s: Float64Array): void {
  s.fill(0, 0, n);
  const v = nzValue, idx = nzIndex;
  let nz = 0;
  if (transA) { for (let p = 0; p < k; p++) { const x = a[p * m + i]!; if (x !== 0) { v[nz] = x; idx[nz++] = p * n; } } }
  else { const ai = i * k; for (let p = 0; p < k; p++) { const x = a[ai + p]!; if (x !== 0) { v[nz] = x; idx[nz++] = p * n; } } }
  let q = 0;
  for (; q + 4 <= nz; q += 4) {
    const a0 = v[q]!, a1 = v[q + 1]!, a2 = v[q + 2]!, a3 = v[q + 3]!;
    const o0 = idx[q]!, o1 = idx[q + 1]!, o2 = idx[q + 2]!, o3 = idx[q + 3]!;
    // left to right: (((s + a0 b0) + a1 b1) + a2 b2) + a3 b3, the same sums as one p at a time
    for (let j = 0; j < n; j++) s[j] = s[j]! + a0 * b[o0 + j]! + a1 * b[o1 + j]! + a2 * b[o2 + j]! + a3 * b[o3 + j]!;
  }
  for (; q < nz; q++) {
    const a0 = v[q]!, o0 = idx[q]!;
    for (let j = 0; j < n; j++) s[j] = s[j]! + a0 * b[o0 + j]!;
  }
}

/** s[0, n) = op(A)[i, :] op(B) with B stored n x k (B^T): dot products of contiguous rows, four at once. */
function dotRow(transA: boolean, i: number, n: number, k: number, m: number, a: FloatArray, b: FloatArray, s: Float64Array): void {
  // op(A)'s row i, contiguous and in float64 (read once, used n times)
  const r = nzValue;
  if (transA) for (let p = 0; p < k; p++) r[p] = a[p * m + i]!;
  else { const ai = i * k; for (let p = 0; p < k; p++) r[p] = a[ai + p]!; }
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (let p = 0; p < k; p++) {
      const x = r[p]!;
      t0 += x * b[b0 + p]!; t1 += x * b[b1 + p]!; t2 += x * b[b2 + p]!; t3 += x * b[b3 + p]!;
    }
    s[j] = t0; s[j + 1] = t1; s[j + 2] = t2; s[j + 3] = t3;
  }
  for (; j < n; j++) {
    const bj = j * k;
    let t = 0;
    for (let p = 0; p < k; p++) t += r[p]! * b[bj + p]!;
    s[j] = t;
  }
}
