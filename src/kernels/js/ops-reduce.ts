/**
 * Reference kernels for reductions over one axis. The tensor is viewed as `[outer, n, inner]`
 * and reduced over the middle axis into `[outer, inner]` (a multi-axis reduction is a sequence of
 * these, src/ops/reduce.ts).
 */
import type { FloatArray, TensorData } from '../../tensor/tensor.js';
import type { ReduceOpName } from '../backend.js';

/**
 * out[o, i] = reduce_j x[o, j, i] with sum, prod, max or min (accumulated in float64). An empty
 * axis (n = 0) gives 0, 1, -Infinity and +Infinity. max/min propagate NaN.
 */
export function reduceOp(name: ReduceOpName, x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let acc: number;
      switch (name) {
        case 'sum': acc = 0; for (let j = 0; j < n; j++) acc += x[base + j * inner + i]!; break;
        case 'prod': acc = 1; for (let j = 0; j < n; j++) acc *= x[base + j * inner + i]!; break;
        case 'max': acc = -Infinity; for (let j = 0; j < n; j++) { const v = x[base + j * inner + i]!; if (v > acc || v !== v) acc = v; if (acc !== acc) break; } break;
        case 'min': acc = Infinity; for (let j = 0; j < n; j++) { const v = x[base + j * inner + i]!; if (v < acc || v !== v) acc = v; if (acc !== acc) break; } break;
      }
      out[o * inner + i] = acc;
    }
  }
}

/**
 * out[o, i] = the index j of the first maximum (argMax) or minimum (argMin) of x[o, :, i] (NaN
 * never wins; 0 when all are NaN). n must be >= 1.
 */
export function argReduceOp(name: 'argMax' | 'argMin', x: TensorData, outer: number, n: number, inner: number, out: Int32Array): void {
  const sign = name === 'argMax' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      let best = 0, bestV = -Infinity;
      for (let j = 0; j < n; j++) { const v = sign * x[base + j * inner + i]!; if (v > bestV) { bestV = v; best = j; } }
      out[o * inner + i] = best;
    }
  }
}
