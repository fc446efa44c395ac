/**
 * The 'wasm' backend: the kernels interface on the WebAssembly SIMD module (assembly/*.ts).
 *
 * - float32 runs in WebAssembly; float64 (gradCheck's copies, the classic models) runs on the js
 *   reference kernels: this backend accelerates float32. `alloc('float64', n)` returns a plain
 *   Float64Array on the JavaScript heap.
 * - Kernels accept ANY typed array. A Float32Array that lives in the backend's memory (everything
 *   `alloc` returns, so everything a model trains with) is passed by its byte offset: a training
 *   step copies nothing. Any other array is copied into a temporary block of wasm memory (and
 *   back, for outputs), so results never depend on where a buffer came from, and models whose
 *   buffers came from another backend keep working after a switch.
 * - Every length is checked before WebAssembly runs (RangeError naming the kernel and argument):
 *   a kernel never reads or writes outside the arrays it was given.
 * - gatherRows copies rows with memory.copy in wasm when the source lives in wasm memory (an
 *   Embedding's table, the recurrent layers' copies), else with a row-by-row `TypedArray.set` (the data set usually lives on the
 *   JavaScript heap and copying it whole into wasm memory would cost more than the gather), and
 *   allFinite / sumSquares / absDiffSum stream arrays from outside wasm memory through a fixed
 *   scratch block.
 * - A temporary block for an array from outside is freed after the call but the memory it grew
 *   stays (wasm memory never shrinks): pass big arrays in backend buffers.
 * - The wrappers are GENERATED from the kernel table (src/kernels/kernel-table.ts) into
 *   bindings.generated.ts (class WasmKernels); this file adds the buffers, the threads and the
 *   rows marked 'custom' (the streaming reductions).
 * - Stale buffers are refused: every buffer from `alloc` that a kernel gets is checked against
 *   its block's generation (WasmHeap.checkLive: one WeakMap lookup per argument, not per
 *   element), so a view kept from a freed block throws DisposedError (code 'E_DISPOSED') instead
 *   of reading or writing whatever now lives there; `free` of such a view does nothing.
 */
import type { DType, FloatArray, TensorData } from '../../tensor/tensor.js';
import type { Backend, BinaryOpName, ReduceOpName, UnaryOpName } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { WasmKernels } from './bindings.generated.js';
import type { WasmExports } from './exports.generated.js';
import type { WasmHeap } from './heap.js';
import { wasmBinaryOp, wasmReduceOp, wasmStridedCopy, wasmUnaryOp } from './ops.js';
import { IN, OUT, Stager, checkCount } from './stager.js';
import type { ThreadPool } from './threads.js';

export class WasmBackend extends WasmKernels implements Backend {
  readonly name = 'wasm';
  readonly heap: WasmHeap;
  readonly exports: WasmExports;
  readonly st: Stager;
  /** The calling thread's gemm workspace (packed panels). */
  readonly work: number;
  /** Worker threads (Node), or null (browser, or not attached yet). */
  pool: ThreadPool | null = null;
  /** Threads kernels may use, the calling one included (setNumThreads). */
  private threads = 1;

  /**
   * @param fma true when `exports` come from the relaxed-SIMD build, whose gemm fuses each
   *   multiply-add (one rounding instead of two): results differ from the plain build's in the
   *   last bits, and are reproducible per build.
   */
  constructor(exports: WasmExports, heap: WasmHeap, readonly fma = false) {
    super();
    // Bind every kernel, so `const { gemm } = getKernels()` works as with the js backend.
    const self = this as unknown as Record<string, unknown>;
    for (const proto of [WasmKernels.prototype, WasmBackend.prototype]) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        const v = self[key];
        if (key !== 'constructor' && typeof v === 'function') self[key] = (v as (...a: unknown[]) => unknown).bind(this);
      }
    }
    this.exports = exports;
    this.heap = heap;
    this.st = new Stager(heap);
    this.work = heap.allocBytes(exports.gemmWorkspaceBytes());
  }

  /**
   * Sets the number of threads (the calling one included). Workers start lazily, on the first
   * kernel big enough to share, and take work once running; results never depend on the count.
   */
  setThreads(n: number): void {
    this.threads = Math.max(1, Math.floor(n));
  }

  /** The thread count set by {@link setThreads}. */
  get numThreads(): number { return this.threads; }

  /** Starts the workers the thread count asks for and waits (at most 5 s) until they run. */
  async startThreads(): Promise<void> {
    if (!this.pool || this.threads < 2) return;
    this.pool.ensureWorkers(this.threads - 1);
    await this.pool.waitReady(this.threads - 1);
  }

  /** A pool with workers starting when this call could use them; null for one thread. */
  protected poolFor(): ThreadPool | null {
    if (this.threads < 2 || !this.pool) return null;
    if (this.pool.size < this.threads - 1) this.pool.ensureWorkers(this.threads - 1);
    return this.pool;
  }

  // ---- buffers -------------------------------------------------------------------------------
  alloc(dtype: DType, length: number, zeroed = true): FloatArray {
    checkCount('alloc', 'length', length);
    if (dtype === 'float64') return new Float64Array(length);
    return this.heap.allocF32(length, zeroed);
  }

  /** Frees a buffer from {@link alloc}; a stale one (already freed) and arrays from elsewhere are ignored. */
  free(buffer: FloatArray): void {
    if (buffer instanceof Float32Array && this.heap.owns(buffer)) this.heap.freeView(buffer);
  }

  // ---- the rows marked 'custom' in the kernel table ----------------------------------------
  // The three reductions below read their input once. An array outside wasm memory (a data set
  // checked by fit/predict, say) goes through a fixed 256 KiB scratch block in chunks: no
  // temporary the size of the data set (which would grow the wasm memory for good).
  private scratch = 0;
  private static readonly CHUNK = 1 << 16;

  /** Runs `fn(ptrX, ptrY, n)` over consecutive chunks of x (and y) copied into the scratch block. */
  private chunks(x: Float32Array, y: Float32Array | null, fn: (px: number, py: number, n: number) => boolean): void {
    const C = WasmBackend.CHUNK;
    if (this.scratch === 0) this.scratch = this.heap.allocBytes(2 * C * 4);
    for (let o = 0; o < x.length; o += C) {
      const n = Math.min(C, x.length - o);
      const buf = this.heap.memory.buffer;
      new Float32Array(buf, this.scratch, n).set(x.subarray(o, o + n));
      if (y) new Float32Array(buf, this.scratch + C * 4, n).set(y.subarray(o, o + n));
      if (!fn(this.scratch, this.scratch + C * 4, n)) return;
    }
  }

  /**
   * Backend.gatherRows. A source in wasm memory (an Embedding's table, a recurrent layer's copies) is copied
   * row by row with memory.copy, after every index is checked; any other source takes the js
   * reference (a TypedArray.set per row into dst).
   * @throws RangeError when a count is not an integer >= 0, indices has fewer than start + count
   * entries, dst is shorter than count x cols, or an index is outside src's rows.
   */
  gatherRows(src: FloatArray, cols: number, indices: Uint32Array, start: number, count: number, dst: FloatArray): void {
    this.heap.checkLive('gatherRows', 'src', src);
    this.heap.checkLive('gatherRows', 'dst', dst);
    if (!(src instanceof Float32Array && dst instanceof Float32Array && this.heap.owns(src))) { jsBackend.gatherRows(src, cols, indices, start, count, dst); return; }
    checkCount('gatherRows', 'cols', cols); checkCount('gatherRows', 'start', start); checkCount('gatherRows', 'count', count);
    if (start + count > indices.length) throw new RangeError(`wasm gatherRows: indices has ${indices.length} entries but ${start + count} are needed`);
    const rows = cols === 0 ? 0 : Math.floor(src.length / cols);
    for (let j = start; j < start + count; j++) {
      if (indices[j]! >= rows) throw new RangeError(`wasm gatherRows: index ${indices[j]} at position ${j} is outside the ${rows} rows of src`);
    }
    const st = this.st;
    try {
      const pi = st.ptr('gatherRows', 'indices', indices.subarray(start, start + count), count, IN);
      const pd = st.ptr('gatherRows', 'dst', dst, count * cols, OUT);
      this.exports.gatherRows(src.byteOffset, cols, pi, pd, 0, count);
    } finally { st.finish(); }
  }

  sumSquares(x: FloatArray): number {
    if (!(x instanceof Float32Array)) return jsBackend.sumSquares(x);
    if (this.heap.owns(x)) { this.heap.checkLive('sumSquares', 'x', x); return this.exports.sumSquares(x.byteOffset, x.length); }
    let s = 0;
    this.chunks(x, null, (px, _py, n) => { s += this.exports.sumSquares(px, n); return true; });
    return s;
  }

  allFinite(x: FloatArray): boolean {
    if (!(x instanceof Float32Array)) return jsBackend.allFinite(x);
    if (this.heap.owns(x)) { this.heap.checkLive('allFinite', 'x', x); return this.exports.allFinite(x.byteOffset, x.length) !== 0; }
    let ok = true;
    this.chunks(x, null, (px, _py, n) => (ok = this.exports.allFinite(px, n) !== 0));
    return ok;
  }

  absDiffSum(x: FloatArray, y: FloatArray): number {
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return jsBackend.absDiffSum(x, y);
    const n = x.length;
    if (y.length < n) throw new RangeError(`wasm absDiffSum: y has ${y.length} elements but ${n} are needed`);
    this.heap.checkLive('absDiffSum', 'x', x); this.heap.checkLive('absDiffSum', 'y', y);
    if (this.heap.owns(x) && this.heap.owns(y)) return this.exports.absDiffSum(x.byteOffset, y.byteOffset, n);
    let s = 0;
    this.chunks(x, y.subarray(0, n), (px, py, c) => { s += this.exports.absDiffSum(px, py, c); return true; });
    return s;
  }

  // ---- tensor ops (src/ops/): unaryOp, binaryOp, reduceOp and stridedCopy run in WebAssembly
  // (./ops.ts; the ops' matMul on gemm); the others (where, gathers, casts) are the table's 'js'
  // rows: the js reference after the stale-buffer checks (bindings.generated.ts). -------------------
  unaryOp(name: UnaryOpName, x: FloatArray, out: FloatArray): void { wasmUnaryOp(this, name, x, out); }
  binaryOp(name: BinaryOpName, a: FloatArray, b: FloatArray, out: TensorData, shape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
    wasmBinaryOp(this, name, a, b, out, shape, aStrides, bStrides);
  }
  reduceOp(name: ReduceOpName, x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void { wasmReduceOp(this, name, x, outer, n, inner, out); }
  stridedCopy(src: TensorData, so: number, ss: readonly number[], dst: TensorData, dof: number, ds: readonly number[], shape: readonly number[]): void {
    wasmStridedCopy(this, src, so, ss, dst, dof, ds, shape);
  }
}
