import type { DType, FloatArray } from '../tensor/tensor.js';
import { freeBuffer, getKernels } from './index.js';

/**
 * Reusable backend buffers keyed by (purpose, length): allocated once per shape and reused
 * across batches, so a training step allocates nothing after its first batch (docs/design.md).
 */
export class Workspace {
  private readonly buffers = new Map<string, FloatArray>();

  /** The buffer for `key` with `length` numbers of `dtype` (zero-filled when first made). */
  get(key: string, dtype: DType, length: number): FloatArray {
    const id = `${key}:${dtype}:${length}`;
    let b = this.buffers.get(id);
    if (!b) { b = getKernels().alloc(dtype, length); this.buffers.set(id, b); }
    return b;
  }

  /** Returns every buffer to the backend's allocator. */
  dispose(): void {
    for (const b of this.buffers.values()) freeBuffer(b);
    this.buffers.clear();
  }
}
