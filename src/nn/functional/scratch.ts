/**
 * The explicit workspace of a functional op (nn/functional): where it puts its outputs and
 * temporaries. A layer passes its own reusable buffers (Layer.scratch), so a training step
 * allocates nothing after the first batch (docs/design.md); a caller of the functions alone passes
 * {@link scratchFrom} over a Workspace it owns. An op writes only the keys its doc names, and an
 * output stays valid until the next call that writes the same key in the same scratch.
 */
import type { Workspace } from '../../kernels/workspace.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor, type DType, type FloatArray } from '../../tensor/tensor.js';

/** Where a functional op puts its outputs and temporaries: reusable buffers by key (see {@link scratchFrom}). */
export interface Scratch {
  /** A backend buffer of `length` numbers for `key`, the same one on every call with that (key, length). */
  buffer(key: string, length: number): FloatArray;
}

/** A Scratch over `workspace`'s buffers of `dtype` (the caller disposes the workspace). */
export function scratchFrom(workspace: Workspace, dtype: DType): Scratch {
  return { buffer: (key, length) => workspace.get(key, dtype, length) };
}

/** A tensor of `shape` over the scratch buffer `key`. */
export function scratchTensor(ws: Scratch, key: string, shape: readonly number[]): Tensor {
  return new Tensor(ws.buffer(key, sizeOf(shape)), shape);
}
