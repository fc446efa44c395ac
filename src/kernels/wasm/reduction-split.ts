/**
 * The thread pool's split of a sum over blocks (threads.ts: the k-split of a weight-gradient gemm,
 * the reduction split of a convolution's kernel gradient): the job's chunks are ranges of the
 * kernel's own blocks of the reduction; block 0 is written to the destination, every other block
 * b to its own slot (b - 1) of a scratch area; after the job the calling thread adds the slots to
 * the destination in block order (assembly/conv-implicit.ts, addBlocks). That is the order in
 * which the one-thread kernel adds its blocks (dst += block b, in f32), so the result has the
 * one-thread bits for any thread count and any chunking (docs/design.md, threads).
 */
import type { WasmExports } from './exports.generated.js';
import type { WasmHeap } from './heap.js';

/** What ThreadPool.planned needs of a split with a scratch area: the job's arguments and what follows it. */
export interface PreparedSplit { args: number[]; finish: () => void; release: () => void }

/**
 * Scratch slots of `slotFloats` numbers for blocks 1 .. blocks - 1 of a reduction into `dst` (a
 * byte offset): the job's arguments are `args` then the scratch's offset; `finish` adds the
 * slots to dst in block order; `release` frees the scratch (call it whether or not the job ran).
 */
export function blockSlots(heap: WasmHeap, exports: WasmExports, args: readonly number[], dst: number, slotFloats: number, blocks: number): PreparedSplit {
  const slots = Math.max(0, blocks - 1), scratch = heap.allocBytes(4 * Math.max(1, slotFloats * slots));
  return {
    args: [...args, scratch],
    finish: () => exports.addBlocks(dst, scratch, slotFloats, slots),
    release: () => heap.freeBytes(scratch),
  };
}
