/**
 * Staging of a kernel call's arrays (src/kernels/wasm/bindings.generated.ts uses it for every
 * buffer argument): an array in wasm memory is passed by its byte offset after its generation
 * is checked (WasmHeap.checkLive: DisposedError for a freed buffer); any other array is copied
 * into a temporary block (and back, for outputs). Every length is checked first (RangeError).
 */
import type { Window2D } from '../backend.js';
import type { WasmHeap } from './heap.js';

type IntArray = Int32Array | Uint32Array;
type Arr = Float32Array | IntArray;

/** A buffer's use by a kernel: read only, written only, read and written. */
export const IN = 0, OUT = 1, INOUT = 2;
export type StageMode = typeof IN | typeof OUT | typeof INOUT;

interface Staged { arr: Arr; ptr: number; n: number; out: boolean }

/** @throws RangeError naming the kernel and argument unless `v` is an integer >= 0. */
export function checkCount(kernel: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`wasm ${kernel}: ${what} must be an integer >= 0, got ${v}`);
}

/**
 * Maps arrays to wasm pointers for one kernel call: owned arrays by byte offset, others through
 * temporary blocks that {@link finish} copies back (outputs) and frees.
 */
export class Stager {
  private readonly staged: Staged[] = [];
  constructor(private readonly heap: WasmHeap) {}

  /**
   * The pointer to pass for `arr`, of which the kernel uses the first `n` elements.
   * @throws RangeError when `arr` is shorter; DisposedError when it is a freed backend buffer.
   */
  ptr(kernel: string, what: string, arr: Arr, n: number, mode: StageMode): number {
    if (arr.length < n) throw new RangeError(`wasm ${kernel}: ${what} has ${arr.length} elements but ${n} are needed`);
    if (this.heap.owns(arr)) { this.heap.checkLive(kernel, what, arr); return arr.byteOffset; }
    for (const s of this.staged) {
      if (s.arr !== arr) continue;
      if (n > s.n) break; // a longer use of the same array: stage it again (rare)
      if (mode !== IN && !s.out) s.out = true;
      return s.ptr;
    }
    const bytes = Math.max(n, 1) * 4;
    const ptr = this.heap.allocBytes(bytes);
    if (mode !== OUT && n > 0) {
      const Ctor = arr.constructor as { new (b: ArrayBufferLike, o: number, n: number): Arr };
      new Ctor(this.heap.memory.buffer, ptr, n).set(arr.subarray(0, n) as never);
    }
    this.staged.push({ arr, ptr, n, out: mode !== IN });
    return ptr;
  }

  /** Copies staged outputs back into their arrays and frees the temporary blocks. */
  finish(): void {
    if (this.staged.length === 0) return;
    for (const s of this.staged) {
      if (s.out && s.n > 0) {
        const Ctor = s.arr.constructor as { new (b: ArrayBufferLike, o: number, n: number): Arr };
        s.arr.set(new Ctor(this.heap.memory.buffer, s.ptr, s.n) as never);
      }
      this.heap.freeBytes(s.ptr);
    }
    this.staged.length = 0;
  }
}

const WINDOW_FIELDS = ['batch', 'height', 'width', 'channels', 'kernelH', 'kernelW', 'strideH', 'strideW', 'padTop', 'padLeft', 'outH', 'outW'] as const;

/** @throws RangeError naming the kernel and field unless every field of `g` is an integer >= 0. */
export function checkWindow(kernel: string, g: Window2D): void {
  for (const f of WINDOW_FIELDS) checkCount(kernel, `g.${f}`, g[f]);
}
