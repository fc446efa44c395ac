/**
 * Reference kernels for the shape ops (src/ops/shape.ts): a strided copy (transpose, slice,
 * concat, pad, tile, broadcastTo), fill, gather and its adjoint scatter-add along an axis,
 * one-hot, and random fills from a seeded stream.
 */
import type { FloatArray, TensorData } from '../../tensor/tensor.js';
import type { RandomSource } from '../backend.js';

/**
 * For every index idx of `shape` (row-major): dst[dstOffset + idx . dstStrides] =
 * src[srcOffset + idx . srcStrides]. A zero source stride repeats (broadcasts) a value.
 */
export function stridedCopy(src: TensorData, srcOffset: number, srcStrides: readonly number[],
                            dst: TensorData, dstOffset: number, dstStrides: readonly number[], shape: readonly number[]): void {
  const r = shape.length;
  let total = 1;
  for (const d of shape) total *= d;
  if (total === 0) return;
  if (r === 0) { dst[dstOffset] = src[srcOffset]!; return; }
  const last = shape[r - 1]!, ss = srcStrides[r - 1]!, ds = dstStrides[r - 1]!, idx = new Array<number>(r).fill(0);
  let so = srcOffset, dof = dstOffset;
  for (let o = 0; o < total; o += last) {
    for (let i = 0; i < last; i++) dst[dof + i * ds] = src[so + i * ss]!;
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++; so += srcStrides[d]!; dof += dstStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      so -= srcStrides[d]! * shape[d]!; dof -= dstStrides[d]! * shape[d]!; idx[d] = 0;
    }
  }
}

/** out[:] = value. */
export function fillValue(out: TensorData, value: number): void {
  out.fill(value);
}

/** Checks that every index is an integer in [0, n). @throws RangeError naming the first bad one. */
function checkIndices(what: string, indices: TensorData, n: number): void {
  for (let j = 0; j < indices.length; j++) {
    const v = indices[j]!;
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new RangeError(`${what}: index ${v} at position ${j} is not an integer in [0, ${n})`);
  }
}

/**
 * out[o, j, i] = x[o, indices[j], i] for x viewed as `[outer, n, inner]` and out as
 * `[outer, indices.length, inner]`. @throws RangeError for an index outside [0, n).
 */
export function gatherAxis(x: TensorData, outer: number, n: number, inner: number, indices: TensorData, out: TensorData): void {
  checkIndices('gather', indices, n);
  const m = indices.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const s = (o * n + indices[j]!) * inner, d = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[d + i] = x[s + i]!;
    }
}

/**
 * The adjoint of {@link gatherAxis}: out = 0, then out[o, indices[j], i] += dy[o, j, i]
 * (repeated indices accumulate). @throws RangeError for an index outside [0, n).
 */
export function scatterAddAxis(dy: FloatArray, outer: number, n: number, inner: number, indices: TensorData, out: FloatArray): void {
  checkIndices('gather (gradient)', indices, n);
  out.fill(0);
  const m = indices.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const d = (o * n + indices[j]!) * inner, s = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[d + i]! += dy[s + i]!;
    }
}

/**
 * out[j, k] = onValue when k = indices[j], else offValue; out is `[indices.length, depth]`.
 * @throws RangeError for an index that is not an integer in [0, depth), naming its position.
 */
export function oneHotFill(indices: TensorData, depth: number, onValue: number, offValue: number, out: FloatArray): void {
  out.fill(offValue);
  for (let j = 0; j < indices.length; j++) {
    const v = indices[j]!;
    if (!Number.isInteger(v) || v < 0 || v >= depth) throw new RangeError(`oneHot: label ${v} at index ${j} is not an integer class index in [0, ${depth})`);
    out[j * depth + v] = onValue;
  }
}

/**
 * Fills `out` from `rng`: 'normal' draws a + b N(0, 1); 'truncatedNormal' the same with N(0, 1)
 * resampled outside [-2, 2]; 'uniform' draws a + (b - a) U[0, 1).
 */
export function fillRandom(out: FloatArray, rng: RandomSource, kind: 'normal' | 'truncatedNormal' | 'uniform', a: number, b: number): void {
  const n = out.length;
  if (kind === 'normal') for (let i = 0; i < n; i++) out[i] = a + b * rng.normal();
  else if (kind === 'truncatedNormal') for (let i = 0; i < n; i++) out[i] = a + b * rng.truncatedNormal();
  else for (let i = 0; i < n; i++) out[i] = a + (b - a) * rng.uniform();
}
