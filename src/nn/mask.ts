/**
 * Sequence masks (Keras's `compute_mask`): which time steps of a [batch, time, ...] tensor are
 * real and which are padding. A mask is a [batch, time] tensor of 1 (present) and 0 (masked),
 * attached to the tensor a layer returns. Embedding(maskZero) and Masking attach one; the
 * recurrent layers read the mask of their input and pass it on with returnSequences; Dense and
 * Dropout on a rank-3 input pass it on. The mask travels beside the tensor (a weak map keyed by
 * the tensor object), so models need no extra argument: a tensor without a mask is unmasked.
 */
import type { Tensor } from '../tensor/tensor.js';

const masks = new WeakMap<Tensor, Tensor>();

/** Attaches `mask` [batch, time] to `t` (null removes it). Returns t. */
export function setMask(t: Tensor, mask: Tensor | null): Tensor {
  if (mask) masks.set(t, mask); else masks.delete(t);
  return t;
}

/** The mask attached to `t`, or null. */
export function getMask(t: Tensor): Tensor | null {
  return masks.get(t) ?? null;
}
