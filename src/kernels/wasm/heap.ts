/**
 * The WebAssembly backend's memory: ONE shared `WebAssembly.Memory` and a simple allocator over it.
 *
 * - Shared memory never detaches its buffers when it grows, so a Float32Array handed out by
 *   {@link WasmHeap.allocF32} stays valid for ever (it keeps pointing at the same bytes even after
 *   `memory.buffer` has been replaced by a larger SharedArrayBuffer), and worker threads can
 *   instantiate the same module on the same memory.
 * - Blocks are 64-byte aligned (a cache line: SIMD loads never split one, and two threads never
 *   write the same line from different blocks) and rounded up to size classes with four steps per
 *   power of two (at most 25% waste). A freed block goes to its class's free list and is reused
 *   for the next request of that class; new blocks come from a bump pointer, growing the memory
 *   as needed. There is no coalescing, and WebAssembly memory never shrinks (docs/design.md).
 * - Every block has a generation, bumped when the block is freed. Each view from
 *   {@link WasmHeap.allocF32} (a plain Float32Array) has a handle in a WeakMap: its block and the
 *   generation it was made in. So a stale view (its block freed, and perhaps handed to another
 *   model since) is told apart from the block's current owner in O(1): the kernels refuse it
 *   ({@link WasmHeap.checkLive}, DisposedError) and {@link WasmHeap.freeView} ignores it, so a
 *   double free never releases memory someone else now owns. Subarrays of a view have no handle
 *   and are not checked (nabla checks the whole view before it slices one).
 */
import { DisposedError } from '../../errors.js';

const PAGE = 65536;
const ALIGN = 64;

/** Rounds a byte count up to its size class (a multiple of 64). */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = Math.max(ALIGN, p / 4);
  return Math.ceil(bytes / step) * step;
}

/** One block of the heap: its byte offset, its class size and its generation (bumped by every free). */
class Block {
  gen = 0;
  constructor(readonly offset: number, readonly size: number) {}
}

/** What a view from {@link WasmHeap.allocF32} was made over: its block, at the generation of the time. */
interface Handle { readonly block: Block; readonly gen: number }

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Every SharedArrayBuffer object `memory.buffer` has been: views on any of them alias the memory. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private top: number;
  private readonly freeLists = new Map<number, Block[]>();
  /** Live blocks by byte offset. */
  private readonly live = new Map<number, Block>();
  /** The handle of every view {@link allocF32} made (weakly held: a dropped view costs nothing). */
  private readonly handles = new WeakMap<ArrayBufferView, Handle>();
  /** Views of the whole memory, refreshed when it grows. */
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.top = Math.ceil(base / ALIGN) * ALIGN;
    this.refresh();
  }

  private refresh(): void {
    const buf = this.memory.buffer;
    this.buffers.add(buf);
    this.f32 = new Float32Array(buf);
    this.i32 = new Int32Array(buf);
    this.u8 = new Uint8Array(buf);
  }

  /** Current memory size in bytes. */
  get byteLength(): number { return this.memory.buffer.byteLength; }

  /** Bytes handed out and not freed (by class size). */
  get liveBytes(): number { let s = 0; for (const b of this.live.values()) s += b.size; return s; }

  /** True when `view` is a view of this heap's memory (any size it has had). */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /**
   * A 64-byte aligned block of at least `bytes` bytes (NOT zeroed); returns its byte offset.
   * @throws RangeError when the memory cannot grow enough (its maximum is reached).
   */
  allocBytes(bytes: number): number {
    return this.allocBlock(bytes).offset;
  }

  /** Like {@link allocBytes}, returning the block (its offset and current generation). */
  private allocBlock(bytes: number): Block {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    let block: Block;
    if (list !== undefined && list.length > 0) block = list.pop()!;
    else {
      const off = this.top;
      const end = off + size;
      if (end > this.memory.buffer.byteLength) this.grow(end);
      this.top = end;
      block = new Block(off, size);
    }
    this.live.set(block.offset, block);
    return block;
  }

  /**
   * Returns a block from {@link allocBytes} and bumps its generation (views made before are stale
   * from now on); offsets that are not live blocks are ignored.
   */
  freeBytes(offset: number): void {
    const block = this.live.get(offset);
    if (block === undefined) return;
    this.live.delete(offset);
    block.gen++;
    let list = this.freeLists.get(block.size);
    if (list === undefined) { list = []; this.freeLists.set(block.size, list); }
    list.push(block);
  }

  /**
   * Frees the block of a view from {@link allocF32}. A view whose block was freed already (and
   * perhaps handed out again), and any other view (a subarray, say), is ignored: freeing twice
   * never releases another owner's memory.
   */
  freeView(view: Float32Array): void {
    const h = this.handles.get(view);
    if (h !== undefined && h.gen === h.block.gen) this.freeBytes(h.block.offset);
  }

  /**
   * @throws DisposedError when `view` came from {@link allocF32} and its block was freed since
   * (`kernel` and `what` name the call and the argument). One WeakMap lookup.
   */
  checkLive(kernel: string, what: string, view: ArrayBufferView): void {
    const h = this.handles.get(view);
    if (h !== undefined && h.gen !== h.block.gen) throw new DisposedError(`The wasm buffer passed to ${kernel} as '${what}'`, kernel);
  }

  /**
   * A Float32Array of `length` numbers in wasm memory, with a handle for {@link checkLive};
   * zero-filled unless `zeroed` is false (then it holds whatever the block held before).
   */
  allocF32(length: number, zeroed = true): Float32Array {
    const block = this.allocBlock(length * 4);
    const view = new Float32Array(this.memory.buffer, block.offset, length);
    this.handles.set(view, { block, gen: block.gen });
    if (zeroed) view.fill(0);
    return view;
  }

  private grow(end: number): void {
    const have = this.memory.buffer.byteLength;
    const needPages = Math.ceil((end - have) / PAGE);
    // Grow by at least 1/8 of the current size (and 16 MiB) so a model's many buffers do not
    // grow the memory one page at a time.
    const pages = Math.max(needPages, Math.ceil(have / PAGE / 8), 256);
    try {
      this.memory.grow(pages);
    } catch {
      try { this.memory.grow(needPages); } catch {
        throw new RangeError(`wasm backend: out of WebAssembly memory: cannot grow ${have} bytes to ${end} (the memory's maximum); free buffers (model.dispose()) or use the 'js' backend`);
      }
    }
    this.refresh();
  }
}
