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
 */

const PAGE = 65536;
const ALIGN = 64;

/** Rounds a byte count up to its size class (a multiple of 64). */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = Math.max(ALIGN, p / 4);
  return Math.ceil(bytes / step) * step;
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  /** Every SharedArrayBuffer object `memory.buffer` has been: views on any of them alias the memory. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  /** Live blocks: byte offset -> class size. */
  private readonly live = new Map<number, number>();
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
  get liveBytes(): number { let s = 0; for (const b of this.live.values()) s += b; return s; }

  /** True when `view` is a view of this heap's memory (any size it has had). */
  owns(view: ArrayBufferView): boolean {
    return this.buffers.has(view.buffer);
  }

  /**
   * A 64-byte aligned block of at least `bytes` bytes (NOT zeroed); returns its byte offset.
   * @throws RangeError when the memory cannot grow enough (its maximum is reached).
   */
  allocBytes(bytes: number): number {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    let off: number;
    if (list !== undefined && list.length > 0) off = list.pop()!;
    else {
      off = this.top;
      const end = off + size;
      if (end > this.memory.buffer.byteLength) this.grow(end);
      this.top = end;
    }
    this.live.set(off, size);
    return off;
  }

  /** Returns a block from {@link allocBytes}; offsets that are not live blocks are ignored. */
  freeBytes(offset: number): void {
    const size = this.live.get(offset);
    if (size === undefined) return;
    this.live.delete(offset);
    let list = this.freeLists.get(size);
    if (list === undefined) { list = []; this.freeLists.set(size, list); }
    list.push(offset);
  }

  /** A zero-filled Float32Array of `length` numbers in wasm memory. */
  allocF32(length: number): Float32Array {
    const off = this.allocBytes(length * 4);
    const view = new Float32Array(this.memory.buffer, off, length);
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
