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
 *   as needed. There is no coalescing, and WebAssembly memory never shrinks (DESIGN.md).
 * - Every block has a generation, bumped when the block is freed. A view from {@link WasmHeap.allocF32}
 *   is a {@link HeapView} that remembers its block and the generation it was made in, so a stale
 *   view (its block freed, and perhaps handed to another model since) is told apart from the
 *   block's current owner in O(1): the kernels refuse it (DisposedError) and `free` ignores it,
 *   so a double free can never release memory someone else now owns.
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
export class Block {
  gen = 0;
  constructor(readonly offset: number, readonly size: number) {}
}

/**
 * A Float32Array over a block of wasm memory that remembers the block and the generation it was
 * made in (a handle checked on access: {@link HeapView.isStale}). `subarray` keeps the tag; `slice`,
 * `map` and `filter` return plain Float32Arrays on the JavaScript heap (they copy).
 */
export class HeapView extends Float32Array<ArrayBufferLike> {
  /** Derived arrays that copy (slice, map, filter) are plain Float32Arrays. */
  static get [Symbol.species](): Float32ArrayConstructor { return Float32Array; }

  /** The block this view lies in, and the block's generation when the view was made. */
  block!: Block;
  gen = 0;

  /** A view of `length` float32 numbers at byte `offset` of `buffer`, tagged with `block` at its current generation. */
  static over(buffer: ArrayBufferLike, offset: number, length: number, block: Block): HeapView {
    const v = new HeapView(buffer, offset, length);
    v.block = block;
    v.gen = block.gen;
    return v;
  }

  /** True once the block was freed (whether or not it has been handed out again since). */
  get isStale(): boolean { return this.gen !== this.block.gen; }

  /** Like Float32Array's, and tagged with the same block and generation. */
  override subarray(begin?: number, end?: number): HeapView {
    const plain = super.subarray(begin, end); // a plain Float32Array (species)
    const v = new HeapView(plain.buffer, plain.byteOffset, plain.length);
    v.block = this.block;
    v.gen = this.gen;
    return v;
  }
}

/**
 * @throws DisposedError when `view` is a stale {@link HeapView} (its block was freed): `kernel`
 * and `what` name the call and the argument.
 */
export function checkLive(kernel: string, what: string, view: ArrayBufferView): void {
  if (view instanceof HeapView && view.gen !== view.block.gen)
    throw new DisposedError(`The wasm buffer passed to ${kernel} as '${what}'`, kernel);
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Every SharedArrayBuffer object `memory.buffer` has been: views on any of them alias the memory. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private top: number;
  private readonly freeLists = new Map<number, Block[]>();
  /** Live blocks by byte offset. */
  private readonly live = new Map<number, Block>();
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
   * Frees the block of a view from {@link allocF32}. A stale view (its block already freed, and
   * perhaps reused) is ignored: freeing twice never releases another owner's memory.
   */
  freeView(view: HeapView): void {
    if (view.gen === view.block.gen) this.freeBytes(view.block.offset);
  }

  /** A zero-filled Float32Array of `length` numbers in wasm memory, tagged with its block (a {@link HeapView}). */
  allocF32(length: number): HeapView {
    const block = this.allocBlock(length * 4);
    const view = HeapView.over(this.memory.buffer, block.offset, length, block);
    view.fill(0);
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
