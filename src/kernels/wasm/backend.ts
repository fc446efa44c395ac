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
 * - gatherRows is a row-by-row `TypedArray.set` (a memcpy; the data set usually lives on the
 *   JavaScript heap and copying it whole into wasm memory would cost more than the gather), and
 *   allFinite / sumSquares / absDiffSum stream arrays from outside wasm memory through a fixed
 *   scratch block.
 * - A temporary block for an array from outside is freed after the call but the memory it grew
 *   stays (wasm memory never shrinks): pass big arrays in backend buffers.
 */
import type { DType, FloatArray } from '../../tensor/tensor.js';
import type { ActivationName, Backend, LossName, Window2D } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { ACTIVATION_DEFS } from '../activation-registry.js';
import { ACTIVATION_IDS as ACTIVATION_KIND } from './activation-ids.generated.js';
import type { WasmExports } from './exports.js';
import type { WasmHeap } from './heap.js';
import { GEMM_PARALLEL_FLOPS, type ThreadPool } from './threads.js';

type IntArray = Int32Array | Uint32Array;
type Arr = Float32Array | IntArray;

const LOSS_KIND: Record<LossName, number> = {
  meanSquaredError: 0, quadratic: 1, categoricalCrossentropy: 2, sparseCategoricalCrossentropy: 3, binaryCrossentropy: 4,
};

const IN = 0, OUT = 1, INOUT = 2;
type Mode = typeof IN | typeof OUT | typeof INOUT;

interface Staged { arr: Arr; ptr: number; n: number; out: boolean }

function checkCount(kernel: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`wasm ${kernel}: ${what} must be an integer >= 0, got ${v}`);
}

/**
 * Maps arrays to wasm pointers for one kernel call: owned arrays by byte offset, others through
 * temporary blocks that {@link finish} copies back (outputs) and frees.
 */
class Stager {
  private readonly staged: Staged[] = [];
  constructor(private readonly heap: WasmHeap) {}

  ptr(kernel: string, what: string, arr: Arr, n: number, mode: Mode): number {
    if (arr.length < n) throw new RangeError(`wasm ${kernel}: ${what} has ${arr.length} elements but ${n} are needed`);
    if (this.heap.owns(arr)) return arr.byteOffset;
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

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly heap: WasmHeap;
  readonly exports: WasmExports;
  private readonly st: Stager;
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
    // Bind every kernel, so `const { gemm } = getKernels()` works as with the js backend.
    const self = this as unknown as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(WasmBackend.prototype)) {
      const v = self[key];
      if (key !== 'constructor' && typeof v === 'function') self[key] = (v as (...a: unknown[]) => unknown).bind(this);
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
  private poolFor(): ThreadPool | null {
    if (this.threads < 2 || !this.pool) return null;
    if (this.pool.size < this.threads - 1) this.pool.ensureWorkers(this.threads - 1);
    return this.pool;
  }

  private runGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
                  a: number, b: number, beta: number, c: number): void {
    const pool = 2 * m * n * k >= GEMM_PARALLEL_FLOPS ? this.poolFor() : null;
    if (pool && pool.gemm(this.threads, transA, transB, m, n, k, alpha, a, b, beta, c)) return;
    this.exports.sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, b, beta, c, 0, m, 0, n, this.work);
  }

  // ---- buffers -------------------------------------------------------------------------------
  alloc(dtype: DType, length: number): FloatArray {
    checkCount('alloc', 'length', length);
    if (dtype === 'float64') return new Float64Array(length);
    return this.heap.allocF32(length);
  }

  free(buffer: FloatArray): void {
    if (buffer instanceof Float32Array && this.heap.owns(buffer)) this.heap.freeBytes(buffer.byteOffset);
  }

  // ---- linear algebra ------------------------------------------------------------------------
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
       alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array))
      return jsBackend.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    checkCount('gemm', 'm', m); checkCount('gemm', 'n', n); checkCount('gemm', 'k', k);
    if (m === 0 || n === 0) return;
    const st = this.st;
    try {
      const pa = st.ptr('gemm', 'a', a, m * k, IN);
      const pb = st.ptr('gemm', 'b', b, k * n, IN);
      const pc = st.ptr('gemm', 'c', c, m * n, beta === 0 ? OUT : INOUT);
      this.runGemm(transA, transB, m, n, k, alpha, pa, pb, beta, pc);
    } finally { st.finish(); }
  }

  biasAdd(x: FloatArray, bias: FloatArray, rows: number, cols: number): void {
    if (!(x instanceof Float32Array && bias instanceof Float32Array)) return jsBackend.biasAdd(x, bias, rows, cols);
    checkCount('biasAdd', 'rows', rows); checkCount('biasAdd', 'cols', cols);
    const st = this.st;
    try {
      const pb = st.ptr('biasAdd', 'bias', bias, cols, IN);
      const px = st.ptr('biasAdd', 'x', x, rows * cols, INOUT);
      this.exports.biasAdd(px, pb, rows, cols);
    } finally { st.finish(); }
  }

  biasGrad(dy: FloatArray, db: FloatArray, rows: number, cols: number): void {
    if (!(dy instanceof Float32Array && db instanceof Float32Array)) return jsBackend.biasGrad(dy, db, rows, cols);
    checkCount('biasGrad', 'rows', rows); checkCount('biasGrad', 'cols', cols);
    const st = this.st;
    try {
      const py = st.ptr('biasGrad', 'dy', dy, rows * cols, IN);
      const pd = st.ptr('biasGrad', 'db', db, cols, OUT);
      this.exports.biasGrad(py, pd, rows, cols);
    } finally { st.finish(); }
  }

  // ---- activations ---------------------------------------------------------------------------
  activationForward(name: ActivationName, z: FloatArray, out: FloatArray, rows: number, cols: number, alpha: number): void {
    const kind = ACTIVATION_KIND[name];
    if (kind === undefined || !(z instanceof Float32Array && out instanceof Float32Array))
      return jsBackend.activationForward(name, z, out, rows, cols, alpha);
    checkCount('activationForward', 'rows', rows); checkCount('activationForward', 'cols', cols);
    const st = this.st, n = rows * cols;
    try {
      const pz = st.ptr('activationForward', 'z', z, n, IN);
      const po = st.ptr('activationForward', 'out', out, n, OUT);
      this.exports.activationForward(kind, pz, po, rows, cols, alpha);
    } finally { st.finish(); }
  }

  activationBackward(name: ActivationName, z: FloatArray, a: FloatArray, dy: FloatArray, dz: FloatArray,
                     rows: number, cols: number, alpha: number): void {
    const kind = ACTIVATION_KIND[name];
    if (kind === undefined || !(z instanceof Float32Array && a instanceof Float32Array && dy instanceof Float32Array && dz instanceof Float32Array))
      return jsBackend.activationBackward(name, z, a, dy, dz, rows, cols, alpha);
    checkCount('activationBackward', 'rows', rows); checkCount('activationBackward', 'cols', cols);
    const st = this.st, n = rows * cols;
    // Only what the activation reads (its registry entry's `reads`) is checked and staged.
    const reads = ACTIVATION_DEFS[name].reads;
    try {
      const pz = reads.z ? st.ptr('activationBackward', 'z', z, n, IN) : 0;
      const pa = reads.a ? st.ptr('activationBackward', 'a', a, n, IN) : 0;
      const py = reads.dy ? st.ptr('activationBackward', 'dy', dy, n, IN) : 0; // (staged before dz: they may alias)
      const pd = st.ptr('activationBackward', 'dz', dz, n, OUT);
      this.exports.activationBackward(kind, pz, pa, reads.dy ? py : pd, pd, rows, cols, alpha);
    } finally { st.finish(); }
  }

  // ---- losses --------------------------------------------------------------------------------
  lossSum(name: LossName, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, fromLogits: boolean): number {
    const kind = LOSS_KIND[name];
    if (kind === undefined || !(yPred instanceof Float32Array && yTrue instanceof Float32Array))
      return jsBackend.lossSum(name, yPred, yTrue, rows, cols, fromLogits);
    checkCount('lossSum', 'rows', rows); checkCount('lossSum', 'cols', cols);
    const st = this.st;
    try {
      const pp = st.ptr('lossSum', 'yPred', yPred, rows * cols, IN);
      const py = st.ptr('lossSum', 'yTrue', yTrue, kind === 3 ? rows : rows * cols, IN);
      return this.exports.lossSum(kind, pp, py, rows, cols, fromLogits ? 1 : 0);
    } finally { st.finish(); }
  }

  lossGradient(name: LossName, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, scale: number, grad: FloatArray): void {
    const kind = LOSS_KIND[name];
    if (kind === undefined || !(yPred instanceof Float32Array && yTrue instanceof Float32Array && grad instanceof Float32Array))
      return jsBackend.lossGradient(name, yPred, yTrue, rows, cols, scale, grad);
    checkCount('lossGradient', 'rows', rows); checkCount('lossGradient', 'cols', cols);
    const st = this.st;
    try {
      const pp = st.ptr('lossGradient', 'yPred', yPred, rows * cols, IN);
      const py = st.ptr('lossGradient', 'yTrue', yTrue, kind === 3 ? rows : rows * cols, IN);
      const pg = st.ptr('lossGradient', 'grad', grad, rows * cols, OUT);
      this.exports.lossGradient(kind, pp, py, rows, cols, scale, pg);
    } finally { st.finish(); }
  }

  fusedLossGradient(name: LossName, a: FloatArray, yTrue: FloatArray, rows: number, cols: number, scale: number, dz: FloatArray): void {
    if (name !== 'categoricalCrossentropy' && name !== 'binaryCrossentropy' && name !== 'sparseCategoricalCrossentropy')
      throw new Error(`fusedLossGradient: '${name}' has no fused form`);
    if (!(a instanceof Float32Array && yTrue instanceof Float32Array && dz instanceof Float32Array))
      return jsBackend.fusedLossGradient(name, a, yTrue, rows, cols, scale, dz);
    checkCount('fusedLossGradient', 'rows', rows); checkCount('fusedLossGradient', 'cols', cols);
    const kind = LOSS_KIND[name], st = this.st;
    try {
      const pa = st.ptr('fusedLossGradient', 'a', a, rows * cols, IN);
      const py = st.ptr('fusedLossGradient', 'yTrue', yTrue, kind === 3 ? rows : rows * cols, IN);
      const pd = st.ptr('fusedLossGradient', 'dz', dz, rows * cols, OUT);
      this.exports.fusedLossGradient(kind, pa, py, rows, cols, scale, pd);
    } finally { st.finish(); }
  }

  // ---- convolution and pooling ------------------------------------------------------------------
  private geometry(kernel: string, g: Window2D): number[] {
    const v = [g.batch, g.height, g.width, g.channels, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW];
    const names = ['batch', 'height', 'width', 'channels', 'kernelH', 'kernelW', 'strideH', 'strideW', 'padTop', 'padLeft', 'outH', 'outW'];
    v.forEach((x, i) => checkCount(kernel, `g.${names[i]}`, x));
    return v;
  }

  im2col(x: FloatArray, g: Window2D, col: FloatArray): void {
    if (!(x instanceof Float32Array && col instanceof Float32Array)) return jsBackend.im2col(x, g, col);
    const v = this.geometry('im2col', g), st = this.st;
    const rows = g.batch * g.outH * g.outW;
    try {
      const px = st.ptr('im2col', 'x', x, g.batch * g.height * g.width * g.channels, IN);
      const pc = st.ptr('im2col', 'col', col, rows * g.kernelH * g.kernelW * g.channels, OUT);
      const size = rows * g.kernelH * g.kernelW * g.channels;
      if (!(this.pool && size >= this.pool.windowParallelSize && this.poolFor()?.window(this.threads, 'im2col', px, v, pc, rows, size)))
        this.exports.im2col(px, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, v[10]!, v[11]!, pc, 0, rows);
    } finally { st.finish(); }
  }

  col2im(col: FloatArray, g: Window2D, dx: FloatArray): void {
    if (!(col instanceof Float32Array && dx instanceof Float32Array)) return jsBackend.col2im(col, g, dx);
    const v = this.geometry('col2im', g), st = this.st;
    try {
      const pc = st.ptr('col2im', 'col', col, g.batch * g.outH * g.outW * g.kernelH * g.kernelW * g.channels, IN);
      const pd = st.ptr('col2im', 'dx', dx, g.batch * g.height * g.width * g.channels, OUT);
      const size = g.batch * g.outH * g.outW * g.kernelH * g.kernelW * g.channels;
      if (!(this.pool && size >= this.pool.windowParallelSize && this.poolFor()?.window(this.threads, 'col2im', pc, v, pd, g.batch, size)))
        this.exports.col2im(pc, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, v[10]!, v[11]!, pd, 0, g.batch);
    } finally { st.finish(); }
  }

  maxPoolForward(x: FloatArray, g: Window2D, y: FloatArray, argmax: Int32Array): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return jsBackend.maxPoolForward(x, g, y, argmax);
    const v = this.geometry('maxPoolForward', g), st = this.st;
    const outs = g.batch * g.outH * g.outW * g.channels;
    try {
      const px = st.ptr('maxPoolForward', 'x', x, g.batch * g.height * g.width * g.channels, IN);
      const py = st.ptr('maxPoolForward', 'y', y, outs, OUT);
      const pa = st.ptr('maxPoolForward', 'argmax', argmax, outs, OUT);
      this.exports.maxPoolForward(px, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, v[10]!, v[11]!, py, pa);
    } finally { st.finish(); }
  }

  maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, dxLength: number): void {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array)) return jsBackend.maxPoolBackward(dy, argmax, dx, dxLength);
    checkCount('maxPoolBackward', 'dxLength', dxLength);
    const st = this.st, count = argmax.length;
    try {
      const pa = st.ptr('maxPoolBackward', 'argmax', argmax, count, IN);
      const py = st.ptr('maxPoolBackward', 'dy', dy, count, IN);
      const pd = st.ptr('maxPoolBackward', 'dx', dx, dxLength, OUT);
      this.exports.maxPoolBackward(py, pa, count, pd, dxLength);
    } finally { st.finish(); }
  }

  avgPoolForward(x: FloatArray, g: Window2D, y: FloatArray): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return jsBackend.avgPoolForward(x, g, y);
    const v = this.geometry('avgPoolForward', g), st = this.st;
    try {
      const px = st.ptr('avgPoolForward', 'x', x, g.batch * g.height * g.width * g.channels, IN);
      const py = st.ptr('avgPoolForward', 'y', y, g.batch * g.outH * g.outW * g.channels, OUT);
      this.exports.avgPoolForward(px, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, v[10]!, v[11]!, py);
    } finally { st.finish(); }
  }

  avgPoolBackward(dy: FloatArray, g: Window2D, dx: FloatArray): void {
    if (!(dy instanceof Float32Array && dx instanceof Float32Array)) return jsBackend.avgPoolBackward(dy, g, dx);
    const v = this.geometry('avgPoolBackward', g), st = this.st;
    try {
      const py = st.ptr('avgPoolBackward', 'dy', dy, g.batch * g.outH * g.outW * g.channels, IN);
      const pd = st.ptr('avgPoolBackward', 'dx', dx, g.batch * g.height * g.width * g.channels, OUT);
      this.exports.avgPoolBackward(py, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, v[10]!, v[11]!, pd);
    } finally { st.finish(); }
  }

  // ---- batch normalisation ---------------------------------------------------------------------
  batchNormStats(x: FloatArray, rows: number, cols: number, mean: FloatArray, variance: FloatArray): void {
    if (!(x instanceof Float32Array && mean instanceof Float32Array && variance instanceof Float32Array))
      return jsBackend.batchNormStats(x, rows, cols, mean, variance);
    checkCount('batchNormStats', 'rows', rows); checkCount('batchNormStats', 'cols', cols);
    const st = this.st;
    try {
      const px = st.ptr('batchNormStats', 'x', x, rows * cols, IN);
      const pm = st.ptr('batchNormStats', 'mean', mean, cols, OUT);
      const pv = st.ptr('batchNormStats', 'variance', variance, cols, OUT);
      this.exports.batchNormStats(px, rows, cols, pm, pv);
    } finally { st.finish(); }
  }

  batchNormForward(x: FloatArray, rows: number, cols: number, mean: FloatArray, variance: FloatArray,
                   gamma: FloatArray | null, beta: FloatArray | null, epsilon: number,
                   xhat: FloatArray | null, y: FloatArray): void {
    if (!(x instanceof Float32Array && mean instanceof Float32Array && variance instanceof Float32Array && y instanceof Float32Array &&
          (gamma === null || gamma instanceof Float32Array) && (beta === null || beta instanceof Float32Array) &&
          (xhat === null || xhat instanceof Float32Array)))
      return jsBackend.batchNormForward(x, rows, cols, mean, variance, gamma, beta, epsilon, xhat, y);
    checkCount('batchNormForward', 'rows', rows); checkCount('batchNormForward', 'cols', cols);
    const st = this.st, n = rows * cols;
    const work = this.heap.allocBytes(Math.max(1, cols) * 24);
    try {
      const px = st.ptr('batchNormForward', 'x', x, n, IN);
      const pm = st.ptr('batchNormForward', 'mean', mean, cols, IN);
      const pv = st.ptr('batchNormForward', 'variance', variance, cols, IN);
      const pg = gamma ? st.ptr('batchNormForward', 'gamma', gamma, cols, IN) : 0;
      const pb = beta ? st.ptr('batchNormForward', 'beta', beta, cols, IN) : 0;
      const ph = xhat ? st.ptr('batchNormForward', 'xhat', xhat, n, OUT) : 0;
      const py = st.ptr('batchNormForward', 'y', y, n, OUT);
      this.exports.batchNormForward(px, rows, cols, pm, pv, pg, pb, epsilon, ph, py, work);
    } finally { st.finish(); this.heap.freeBytes(work); }
  }

  batchNormBackward(dy: FloatArray, xhat: FloatArray, rows: number, cols: number, variance: FloatArray,
                    gamma: FloatArray | null, epsilon: number, batchStatistics: boolean,
                    dgamma: FloatArray | null, dbeta: FloatArray | null, dx: FloatArray | null): void {
    if (!(dy instanceof Float32Array && xhat instanceof Float32Array && variance instanceof Float32Array &&
          (gamma === null || gamma instanceof Float32Array) && (dgamma === null || dgamma instanceof Float32Array) &&
          (dbeta === null || dbeta instanceof Float32Array) && (dx === null || dx instanceof Float32Array)))
      return jsBackend.batchNormBackward(dy, xhat, rows, cols, variance, gamma, epsilon, batchStatistics, dgamma, dbeta, dx);
    checkCount('batchNormBackward', 'rows', rows); checkCount('batchNormBackward', 'cols', cols);
    const st = this.st, n = rows * cols;
    const work = this.heap.allocBytes(Math.max(1, cols) * 24);
    try {
      const py = st.ptr('batchNormBackward', 'dy', dy, n, IN);
      const ph = st.ptr('batchNormBackward', 'xhat', xhat, n, IN);
      const pv = st.ptr('batchNormBackward', 'variance', variance, cols, IN);
      const pg = gamma ? st.ptr('batchNormBackward', 'gamma', gamma, cols, IN) : 0;
      const pdg = dgamma ? st.ptr('batchNormBackward', 'dgamma', dgamma, cols, OUT) : 0;
      const pdb = dbeta ? st.ptr('batchNormBackward', 'dbeta', dbeta, cols, OUT) : 0;
      const pdx = dx ? st.ptr('batchNormBackward', 'dx', dx, n, OUT) : 0;
      this.exports.batchNormBackward(py, ph, rows, cols, pv, pg, epsilon, batchStatistics ? 1 : 0, pdg, pdb, pdx, work);
    } finally { st.finish(); this.heap.freeBytes(work); }
  }

  // ---- elementwise and reductions ----------------------------------------------------------------
  axpy(alpha: number, x: FloatArray, y: FloatArray): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return jsBackend.axpy(alpha, x, y);
    const st = this.st, n = x.length;
    try {
      const px = st.ptr('axpy', 'x', x, n, IN);
      const py = st.ptr('axpy', 'y', y, n, INOUT);
      this.exports.axpy(alpha, px, py, n);
    } finally { st.finish(); }
  }

  scale(x: FloatArray, alpha: number): void {
    if (!(x instanceof Float32Array)) return jsBackend.scale(x, alpha);
    const st = this.st;
    try { this.exports.scale(st.ptr('scale', 'x', x, x.length, INOUT), alpha, x.length); } finally { st.finish(); }
  }

  mul(x: FloatArray, y: FloatArray, out: FloatArray): void {
    if (!(x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array)) return jsBackend.mul(x, y, out);
    const st = this.st, n = x.length;
    try {
      const px = st.ptr('mul', 'x', x, n, IN);
      const py = st.ptr('mul', 'y', y, n, IN);
      const po = st.ptr('mul', 'out', out, n, OUT);
      this.exports.mul(px, py, po, n);
    } finally { st.finish(); }
  }

  clip(x: FloatArray, lo: number, hi: number): void {
    if (!(x instanceof Float32Array)) return jsBackend.clip(x, lo, hi);
    const st = this.st;
    try { this.exports.clip(st.ptr('clip', 'x', x, x.length, INOUT), lo, hi, x.length); } finally { st.finish(); }
  }

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

  sumSquares(x: FloatArray): number {
    if (!(x instanceof Float32Array)) return jsBackend.sumSquares(x);
    if (this.heap.owns(x)) return this.exports.sumSquares(x.byteOffset, x.length);
    let s = 0;
    this.chunks(x, null, (px, _py, n) => { s += this.exports.sumSquares(px, n); return true; });
    return s;
  }

  allFinite(x: FloatArray): boolean {
    if (!(x instanceof Float32Array)) return jsBackend.allFinite(x);
    if (this.heap.owns(x)) return this.exports.allFinite(x.byteOffset, x.length) !== 0;
    let ok = true;
    this.chunks(x, null, (px, _py, n) => (ok = this.exports.allFinite(px, n) !== 0));
    return ok;
  }

  dropoutMask(u: FloatArray, rate: number): void {
    if (!(u instanceof Float32Array)) return jsBackend.dropoutMask(u, rate);
    const st = this.st;
    try { this.exports.dropoutMask(st.ptr('dropoutMask', 'u', u, u.length, INOUT), rate, 1 / (1 - rate), u.length); } finally { st.finish(); }
  }

  gatherRows(src: FloatArray, cols: number, indices: Uint32Array, start: number, count: number, dst: FloatArray): void {
    jsBackend.gatherRows(src, cols, indices, start, count, dst);
  }

  argmaxRows(x: FloatArray, rows: number, cols: number, out: Int32Array): void {
    if (!(x instanceof Float32Array) || cols < 1) return jsBackend.argmaxRows(x, rows, cols, out);
    checkCount('argmaxRows', 'rows', rows); checkCount('argmaxRows', 'cols', cols);
    const st = this.st;
    try {
      const px = st.ptr('argmaxRows', 'x', x, rows * cols, IN);
      const po = st.ptr('argmaxRows', 'out', out, rows, OUT);
      this.exports.argmaxRows(px, rows, cols, po);
    } finally { st.finish(); }
  }

  absDiffSum(x: FloatArray, y: FloatArray): number {
    if (!(x instanceof Float32Array && y instanceof Float32Array)) return jsBackend.absDiffSum(x, y);
    const n = x.length;
    if (y.length < n) throw new RangeError(`wasm absDiffSum: y has ${y.length} elements but ${n} are needed`);
    if (this.heap.owns(x) && this.heap.owns(y)) return this.exports.absDiffSum(x.byteOffset, y.byteOffset, n);
    let s = 0;
    this.chunks(x, y.subarray(0, n), (px, py, c) => { s += this.exports.absDiffSum(px, py, c); return true; });
    return s;
  }

  // ---- optimiser updates -------------------------------------------------------------------------
  sgdUpdate(w: FloatArray, g: FloatArray, lr: number): void {
    if (!(w instanceof Float32Array && g instanceof Float32Array)) return jsBackend.sgdUpdate(w, g, lr);
    const st = this.st, n = w.length;
    try {
      const pg = st.ptr('sgdUpdate', 'g', g, n, IN);
      const pw = st.ptr('sgdUpdate', 'w', w, n, INOUT);
      this.exports.sgdUpdate(pw, pg, lr, n);
    } finally { st.finish(); }
  }

  momentumUpdate(w: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number, nesterov: boolean): void {
    if (!(w instanceof Float32Array && g instanceof Float32Array && v instanceof Float32Array))
      return jsBackend.momentumUpdate(w, g, v, lr, momentum, nesterov);
    const st = this.st, n = w.length;
    try {
      const pg = st.ptr('momentumUpdate', 'g', g, n, IN);
      const pw = st.ptr('momentumUpdate', 'w', w, n, INOUT);
      const pv = st.ptr('momentumUpdate', 'v', v, n, INOUT);
      this.exports.momentumUpdate(pw, pg, pv, lr, momentum, nesterov ? 1 : 0, n);
    } finally { st.finish(); }
  }

  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, lr: number,
             beta1: number, beta2: number, epsilon: number, t: number): void {
    if (!(w instanceof Float32Array && g instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array))
      return jsBackend.adamUpdate(w, g, m, v, lr, beta1, beta2, epsilon, t);
    const st = this.st, n = w.length;
    try {
      const pg = st.ptr('adamUpdate', 'g', g, n, IN);
      const pw = st.ptr('adamUpdate', 'w', w, n, INOUT);
      const pm = st.ptr('adamUpdate', 'm', m, n, INOUT);
      const pv = st.ptr('adamUpdate', 'v', v, n, INOUT);
      this.exports.adamUpdate(pw, pg, pm, pv, lr, beta1, beta2, 1 - beta1, 1 - beta2, epsilon,
                              1 - Math.pow(beta1, t), 1 - Math.pow(beta2, t), n);
    } finally { st.finish(); }
  }

  rmspropUpdate(w: FloatArray, g: FloatArray, s: FloatArray, lr: number, rho: number, epsilon: number): void {
    if (!(w instanceof Float32Array && g instanceof Float32Array && s instanceof Float32Array))
      return jsBackend.rmspropUpdate(w, g, s, lr, rho, epsilon);
    const st = this.st, n = w.length;
    try {
      const pg = st.ptr('rmspropUpdate', 'g', g, n, IN);
      const pw = st.ptr('rmspropUpdate', 'w', w, n, INOUT);
      const ps = st.ptr('rmspropUpdate', 's', s, n, INOUT);
      this.exports.rmspropUpdate(pw, pg, ps, lr, rho, 1 - rho, epsilon, n);
    } finally { st.finish(); }
  }

  adagradUpdate(w: FloatArray, g: FloatArray, s: FloatArray, lr: number, epsilon: number): void {
    if (!(w instanceof Float32Array && g instanceof Float32Array && s instanceof Float32Array))
      return jsBackend.adagradUpdate(w, g, s, lr, epsilon);
    const st = this.st, n = w.length;
    try {
      const pg = st.ptr('adagradUpdate', 'g', g, n, IN);
      const pw = st.ptr('adagradUpdate', 'w', w, n, INOUT);
      const ps = st.ptr('adagradUpdate', 's', s, n, INOUT);
      this.exports.adagradUpdate(pw, pg, ps, lr, epsilon, n);
    } finally { st.finish(); }
  }

  // ---- recurrent layers: the fused gate kernels (assembly/recurrent.ts) ------------------------
  // Activations must be elementwise with a wasm id (every registry entry but softmax has one); the
  // activations' `alpha` is their registry default. One alpha serves both activations of a cell
  // (only leakyRelu reads it). The reset-before GRU (hzh given / hz null), scatterAddRows, rowMask
  // and scaleRows run on the js reference.
  rnnStepForward(z: FloatArray, hPrev: FloatArray, mask: FloatArray | null, rows: number, units: number, activation: ActivationName, h: FloatArray): void {
    const act = rnnKind(activation);
    if (act < 0 || !f32(z, hPrev, mask, h)) return jsBackend.rnnStepForward(z, hPrev, mask, rows, units, activation, h);
    const st = this.st, n = checkRows('rnnStepForward', rows, units);
    try {
      this.exports.rnnStepForward(st.ptr('rnnStepForward', 'z', z as Float32Array, n, IN), st.ptr('rnnStepForward', 'hPrev', hPrev as Float32Array, n, IN),
        mask ? st.ptr('rnnStepForward', 'mask', mask as Float32Array, rows, IN) : 0, rows, units, act, rnnAlpha(activation),
        st.ptr('rnnStepForward', 'h', h as Float32Array, n, OUT));
    } finally { st.finish(); }
  }

  rnnStepBackward(z: FloatArray, h: FloatArray, mask: FloatArray | null, dy: FloatArray | null, dh: FloatArray, rows: number, units: number,
                  activation: ActivationName, dz: FloatArray): void {
    const act = rnnKind(activation);
    if (act < 0 || !f32(z, h, mask, dy, dh, dz)) return jsBackend.rnnStepBackward(z, h, mask, dy, dh, rows, units, activation, dz);
    const st = this.st, n = checkRows('rnnStepBackward', rows, units), k = 'rnnStepBackward';
    try {
      this.exports.rnnStepBackward(st.ptr(k, 'z', z as Float32Array, n, IN), st.ptr(k, 'h', h as Float32Array, n, IN),
        mask ? st.ptr(k, 'mask', mask as Float32Array, rows, IN) : 0, dy ? st.ptr(k, 'dy', dy as Float32Array, n, IN) : 0,
        st.ptr(k, 'dh', dh as Float32Array, n, INOUT), rows, units, act, rnnAlpha(activation), st.ptr(k, 'dz', dz as Float32Array, n, OUT));
    } finally { st.finish(); }
  }

  lstmStepForward(z: FloatArray, cPrev: FloatArray, hPrev: FloatArray, mask: FloatArray | null, rows: number, units: number,
                  activation: ActivationName, recurrentActivation: ActivationName, gates: FloatArray, c: FloatArray, h: FloatArray): void {
    const act = rnnKind(activation), ract = rnnKind(recurrentActivation);
    if (act < 0 || ract < 0 || !f32(z, cPrev, hPrev, mask, gates, c, h))
      return jsBackend.lstmStepForward(z, cPrev, hPrev, mask, rows, units, activation, recurrentActivation, gates, c, h);
    const st = this.st, n = checkRows('lstmStepForward', rows, units), k = 'lstmStepForward';
    try {
      this.exports.lstmStepForward(st.ptr(k, 'z', z as Float32Array, 4 * n, IN), st.ptr(k, 'cPrev', cPrev as Float32Array, n, IN),
        st.ptr(k, 'hPrev', hPrev as Float32Array, n, IN), mask ? st.ptr(k, 'mask', mask as Float32Array, rows, IN) : 0, rows, units, act, ract,
        cellAlpha(activation, recurrentActivation), st.ptr(k, 'gates', gates as Float32Array, 4 * n, OUT), st.ptr(k, 'c', c as Float32Array, n, OUT),
        st.ptr(k, 'h', h as Float32Array, n, OUT));
    } finally { st.finish(); }
  }

  lstmStepBackward(z: FloatArray, gates: FloatArray, cPrev: FloatArray, c: FloatArray, mask: FloatArray | null, dy: FloatArray | null,
                   dh: FloatArray, dc: FloatArray, rows: number, units: number, activation: ActivationName, recurrentActivation: ActivationName, dz: FloatArray): void {
    const act = rnnKind(activation), ract = rnnKind(recurrentActivation);
    if (act < 0 || ract < 0 || !f32(z, gates, cPrev, c, mask, dy, dh, dc, dz))
      return jsBackend.lstmStepBackward(z, gates, cPrev, c, mask, dy, dh, dc, rows, units, activation, recurrentActivation, dz);
    const st = this.st, n = checkRows('lstmStepBackward', rows, units), k = 'lstmStepBackward';
    try {
      this.exports.lstmStepBackward(st.ptr(k, 'z', z as Float32Array, 4 * n, IN), st.ptr(k, 'gates', gates as Float32Array, 4 * n, IN),
        st.ptr(k, 'cPrev', cPrev as Float32Array, n, IN), st.ptr(k, 'c', c as Float32Array, n, IN), mask ? st.ptr(k, 'mask', mask as Float32Array, rows, IN) : 0,
        dy ? st.ptr(k, 'dy', dy as Float32Array, n, IN) : 0, st.ptr(k, 'dh', dh as Float32Array, n, INOUT), st.ptr(k, 'dc', dc as Float32Array, n, INOUT),
        rows, units, act, ract, cellAlpha(activation, recurrentActivation), st.ptr(k, 'dz', dz as Float32Array, 4 * n, OUT));
    } finally { st.finish(); }
  }

  gruStepForward(xz: FloatArray, hz: FloatArray, hzh: FloatArray | null, hPrev: FloatArray, mask: FloatArray | null, rows: number, units: number,
                 activation: ActivationName, recurrentActivation: ActivationName, pre: FloatArray, gates: FloatArray, h: FloatArray): void {
    const act = rnnKind(activation), ract = rnnKind(recurrentActivation);
    if (act < 0 || ract < 0 || hzh !== null || !f32(xz, hz, hPrev, mask, pre, gates, h))
      return jsBackend.gruStepForward(xz, hz, hzh, hPrev, mask, rows, units, activation, recurrentActivation, pre, gates, h);
    const st = this.st, n = checkRows('gruStepForward', rows, units), k = 'gruStepForward';
    try {
      this.exports.gruStepForward(st.ptr(k, 'xz', xz as Float32Array, 3 * n, IN), st.ptr(k, 'hz', hz as Float32Array, 3 * n, IN),
        st.ptr(k, 'hPrev', hPrev as Float32Array, n, IN), mask ? st.ptr(k, 'mask', mask as Float32Array, rows, IN) : 0, rows, units, act, ract,
        cellAlpha(activation, recurrentActivation), st.ptr(k, 'pre', pre as Float32Array, 3 * n, OUT), st.ptr(k, 'gates', gates as Float32Array, 3 * n, OUT),
        st.ptr(k, 'h', h as Float32Array, n, OUT));
    } finally { st.finish(); }
  }

  gruStepBackward(pre: FloatArray, gates: FloatArray, hz: FloatArray | null, hPrev: FloatArray, mask: FloatArray | null, dy: FloatArray | null,
                  dh: FloatArray, rows: number, units: number, activation: ActivationName, recurrentActivation: ActivationName,
                  dxz: FloatArray, dhz: FloatArray): void {
    const act = rnnKind(activation), ract = rnnKind(recurrentActivation);
    if (act < 0 || ract < 0 || hz === null || !f32(pre, gates, hz, hPrev, mask, dy, dh, dxz, dhz))
      return jsBackend.gruStepBackward(pre, gates, hz, hPrev, mask, dy, dh, rows, units, activation, recurrentActivation, dxz, dhz);
    const st = this.st, n = checkRows('gruStepBackward', rows, units), k = 'gruStepBackward';
    try {
      this.exports.gruStepBackward(st.ptr(k, 'pre', pre as Float32Array, 3 * n, IN), st.ptr(k, 'gates', gates as Float32Array, 3 * n, IN),
        st.ptr(k, 'hz', hz as Float32Array, 3 * n, IN), st.ptr(k, 'hPrev', hPrev as Float32Array, n, IN), mask ? st.ptr(k, 'mask', mask as Float32Array, rows, IN) : 0,
        dy ? st.ptr(k, 'dy', dy as Float32Array, n, IN) : 0, st.ptr(k, 'dh', dh as Float32Array, n, INOUT), rows, units, act, ract,
        cellAlpha(activation, recurrentActivation), st.ptr(k, 'dxz', dxz as Float32Array, 3 * n, OUT), st.ptr(k, 'dhz', dhz as Float32Array, 3 * n, OUT));
    } finally { st.finish(); }
  }

  // The reset-before GRU (Keras resetAfter: false) runs its gate kernels on the js reference.
  gruResetGate(...a: Parameters<Backend['gruResetGate']>): void { jsBackend.gruResetGate(...a); }
  gruResetGateBackward(...a: Parameters<Backend['gruResetGateBackward']>): void { jsBackend.gruResetGateBackward(...a); }
  scatterAddRows(...a: Parameters<Backend['scatterAddRows']>): void { jsBackend.scatterAddRows(...a); }
  rowMask(...a: Parameters<Backend['rowMask']>): void { jsBackend.rowMask(...a); }
  scaleRows(...a: Parameters<Backend['scaleRows']>): void { jsBackend.scaleRows(...a); }
}

/** The wasm id of an elementwise activation, or -1 (softmax, or no id): the caller falls back to js. */
function rnnKind(name: ActivationName): number {
  const def = ACTIVATION_DEFS[name];
  return def && def.shape === 'elementwise' && ACTIVATION_KIND[name] !== undefined ? ACTIVATION_KIND[name] : -1;
}
/** The registry's alpha of an activation (leakyRelu's slope), else 0. */
function rnnAlpha(name: ActivationName): number { return ACTIVATION_DEFS[name].alpha?.default ?? 0; }
/** The alpha for a cell's two activations (they never both take one with different values: only leakyRelu has one). */
function cellAlpha(a: ActivationName, b: ActivationName): number { return ACTIVATION_DEFS[a].alpha ? rnnAlpha(a) : rnnAlpha(b); }
/** True when every non-null array is a Float32Array. */
function f32(...arrays: (FloatArray | null)[]): boolean { return arrays.every((x) => x === null || x instanceof Float32Array); }
/** rows units, after checking both are integers >= 0. */
function checkRows(kernel: string, rows: number, units: number): number {
  checkCount(kernel, 'rows', rows); checkCount(kernel, 'units', units);
  return rows * units;
}
