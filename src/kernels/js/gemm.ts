/**
 * Reference gemm: C = alpha op(A) op(B) + beta C, row-major (see Backend.gemm).
 * Simple loops in the cache-friendly i-p-j order where the layout allows it; each C element's
 * sum runs over p in increasing order in every case. Obviously right first, fast second: the
 * WebAssembly backend is the fast one.
 */
import type { FloatArray } from '../../tensor/tensor.js';

export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
                     alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray): void {
  const size = m * n;
  if (beta === 0) c.fill(0, 0, size);
  else if (beta !== 1) for (let i = 0; i < size; i++) c[i]! *= beta;
  if (alpha === 0 || k === 0) return;

  if (!transB) {
    // op(B)[p, j] = B[p * n + j]: stream rows of B into rows of C.
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
      }
    }
    return;
  }
  // op(B)[p, j] = B[j * k + p]: each C element is a dot product of contiguous rows.
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      if (transA) for (let p = 0; p < k; p++) s += a[p * m + i]! * b[bj + p]!;
      else { const ai = i * k; for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!; }
      c[i * n + j]! += alpha * s;
    }
  }
}
