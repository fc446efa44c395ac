/**
 * Embedding as functions (Keras Embedding, torch's F.embedding): a lookup table E [V, D];
 *   y[b, t, :] = E[ids[b, t], :],  dE[v, :] = sum over (b, t) with ids[b, t] = v of dy[b, t, :]
 * (Backend.gatherRows and its adjoint Backend.scatterAddRows). With maskZero, id 0 is padding:
 * the mask [B, T] is 1 where ids != 0 (the ids still index row 0, as in Keras).
 */
import type { Backend } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { scratchTensor, type Scratch } from './scratch.js';

/**
 * y [...ids.shape, D] in scratch 'y'; `indices` (the caller's, ids.size long) receives the row
 * indices for backward; the mask (scratch 'mask', ids' shape) with `maskZero`, else null.
 * @throws RangeError naming `who` and the first id that is not an integer in [0, V).
 */
export function embeddingForward(k: Backend, ws: Scratch, ids: Tensor, embeddings: Tensor, indices: Uint32Array, maskZero: boolean,
                                 who = 'embeddingForward'): { y: Tensor; mask: Tensor | null } {
  const V = embeddings.shape[0]!, D = embeddings.shape[1]!, n = ids.size;
  if (indices.length !== n) throw new RangeError(`${who}: indices has ${indices.length} entries, the ids ${n}`);
  const mask = maskZero ? scratchTensor(ws, 'mask', ids.shape) : null;
  for (let i = 0; i < n; i++) {
    const v = ids.data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= V)
      throw new RangeError(`${who}: ids must be integers in [0, ${V}) (inputDim ${V}); input[${i}] = ${v} in an input of shape ${formatShape(ids.shape)}`);
    indices[i] = v;
    if (mask) mask.data[i] = v === 0 ? 0 : 1;
  }
  const y = scratchTensor(ws, 'y', [...ids.shape, D]);
  k.gatherRows(embeddings.data, D, indices, 0, n, y.data);
  return { y, mask };
}

/** dE = the scatter-sum of dy's rows into the ids' rows (overwrites `grad`, [V, D]). */
export function embeddingBackward(k: Backend, dy: Tensor, indices: Uint32Array, grad: Tensor, who = 'embeddingBackward'): void {
  const D = grad.shape[1]!;
  if (dy.size !== indices.length * D) throw new Error(`${who}: expected a gradient of ${indices.length} x ${D} numbers, got shape ${formatShape(dy.shape)}`);
  grad.data.fill(0);
  k.scatterAddRows(dy.data, D, indices, indices.length, grad.data);
}
