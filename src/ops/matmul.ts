/** `matMul`: matrix products on the backend's gemm, with transposes and a batch axis. */
import { getKernels } from '../kernels/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { sumTo } from './broadcast.js';
import { asFloat, constantOnBackend, floatTypeOf, makeTensor, record, type AnyTensor } from './engine.js';

/**
 * C = op(A) op(B) with op(X) = X or X^T (last two axes), as TF.js's `tf.matMul`. Rank 2 gives a
 * `[m, n]` matrix; rank 3 is a batch `[batch, m, n]`, where a batch of 1 or a rank-2 operand is
 * shared by every batch entry. Runs one gemm per batch entry (BLAS semantics, src/kernels/backend.ts).
 * Gradient: dop(A) = dC op(B)^T and dop(B) = op(A)^T dC, summed over a shared batch.
 * @throws RangeError on ranks other than 2/3, inner dimensions that differ, or batches that differ.
 */
export function matMul(a: AnyTensor, b: AnyTensor, transposeA = false, transposeB = false): Tensor {
  const dt = floatTypeOf(a, b);
  const A0 = asFloat(a, dt), B0 = asFloat(b, dt);
  const A = constantOnBackend(A0, [B0]), B = constantOnBackend(B0, [A0]);
  if (A.rank < 2 || A.rank > 3 || B.rank < 2 || B.rank > 3)
    throw new RangeError(`matMul: operands must have rank 2 or 3, got ${formatShape(A.shape)} and ${formatShape(B.shape)}`);
  const [ar, ac] = A.shape.slice(-2) as [number, number], [br, bc] = B.shape.slice(-2) as [number, number];
  const m = transposeA ? ac : ar, k = transposeA ? ar : ac, k2 = transposeB ? bc : br, n = transposeB ? br : bc;
  if (k !== k2)
    throw new RangeError(`matMul: inner dimensions differ: ${formatShape(A.shape)}${transposeA ? '^T' : ''} x ${formatShape(B.shape)}${transposeB ? '^T' : ''} (${k} vs ${k2})`);
  const ba = A.rank === 3 ? A.shape[0]! : 1, bb = B.rank === 3 ? B.shape[0]! : 1;
  if (ba !== bb && ba !== 1 && bb !== 1) throw new RangeError(`matMul: batch sizes ${ba} and ${bb} differ`);
  const batch = Math.max(ba, bb);
  const shape = A.rank === 3 || B.rank === 3 ? [batch, m, n] : [m, n];
  const out = makeTensor(dt, shape);
  const gemm = getKernels().gemm, sa = m * k, sb = k * n, sc = m * n;
  if (batch === 1) gemm(transposeA, transposeB, m, n, k, 1, A.data, B.data, 0, out.data); // no subarray views
  else for (let i = 0; i < batch; i++) {
    const pa = ba === 1 ? 0 : i * sa, pb = bb === 1 ? 0 : i * sb;
    gemm(transposeA, transposeB, m, n, k, 1, A.data.subarray(pa, pa + sa), B.data.subarray(pb, pb + sb), 0, out.data.subarray(i * sc, (i + 1) * sc));
  }
  record('matMul', out, [A, B], (dy, needs) => [
    needs[0] ? sumTo(transposeA ? matMul(B, dy, transposeB, true) : matMul(dy, B, false, !transposeB), A.shape) : null,
    needs[1] ? sumTo(transposeB ? matMul(dy, A, true, transposeA) : matMul(A, dy, !transposeA, false), B.shape) : null,
  ]);
  return out;
}
