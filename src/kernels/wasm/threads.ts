/**
 * Worker threads for the wasm backend (Node's worker_threads): every worker instantiates the same
 * compiled module on the same shared memory, and waits on a control block in that memory with
 * `Atomics.wait`; the calling thread publishes a job there and wakes them with `Atomics.notify`
 * (no postMessage per call), does its own share, and waits for the others the same way.
 *
 * Work is split over the rows or the columns of the output, never over a reduction: gemm over
 * rows or columns of C (each C element computed by one thread, the same way whatever the split),
 * im2col over rows of the col matrix, col2im over images. So results are bit-identical for every
 * thread count. Problems below a size threshold stay on the calling thread.
 *
 * Control block (Int32Array over wasm memory; one block per pool):
 *   SEQ      job number, incremented by the caller to publish a job
 *   DONE     workers that finished the current job
 *   READY    workers that have started (only these get work)
 *   KIND     the job: gemm / im2col / col2im / exit
 *   ERROR    set by a worker whose kernel threw
 *   ARGS...  the job's arguments (f32 values stored as bits)
 *   slot w   per worker: the job number it takes part in, its range [lo0, hi0, lo1, hi1), its
 *            gemm workspace
 */
import type { WasmExports } from './exports.js';
import type { WasmHeap } from './heap.js';

const SEQ = 0, DONE = 16, READY = 32, KIND = 33, ERROR = 34, ARGS = 48; // SEQ, DONE on their own cache lines
const SLOTS = 80, SLOT_INTS = 16; // 64 bytes per worker slot
const MAX_WORKERS = 63;
const CTRL_INTS = SLOTS + SLOT_INTS * (MAX_WORKERS + 1);

const KIND_GEMM = 1, KIND_IM2COL = 2, KIND_COL2IM = 3, KIND_EXIT = 9;

/** gemm work (2 m n k) below which the calling thread does everything: ~25 us on one core. */
export const GEMM_PARALLEL_FLOPS = 1 << 20;
/** im2col / col2im matrices (numbers) below which the calling thread does everything. */
export const WINDOW_PARALLEL_SIZE = 1 << 17;
/** Spin iterations before Atomics.wait, on both sides (a wake-up costs tens of microseconds). */
const SPIN = 20000;

// The worker: plain JavaScript evaluated by worker_threads (CommonJS, no loader hooks).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctrlOffset, index, work } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctrl = new Int32Array(memory.buffer, ctrlOffset, ${CTRL_INTS});
const ctrlF = new Float32Array(memory.buffer, ctrlOffset, ${CTRL_INTS});
const slot = ${SLOTS} + ${SLOT_INTS} * index;
let seen = Atomics.load(ctrl, ${SEQ});
Atomics.add(ctrl, ${READY}, 1);
Atomics.notify(ctrl, ${READY});
for (;;) {
  let spins = 0, s;
  while ((s = Atomics.load(ctrl, ${SEQ})) === seen) {
    if (++spins > ${SPIN}) { Atomics.wait(ctrl, ${SEQ}, seen, 100); spins = 0; }
  }
  seen = s;
  if (Atomics.load(ctrl, slot) !== s) continue; // not part of this job
  const kind = Atomics.load(ctrl, ${KIND});
  if (kind === ${KIND_EXIT}) break;
  const a = ${ARGS}, lo0 = ctrl[slot + 1], hi0 = ctrl[slot + 2], lo1 = ctrl[slot + 3], hi1 = ctrl[slot + 4];
  try {
    if (kind === ${KIND_GEMM})
      ex.sgemm(ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4], ctrlF[a + 5], ctrl[a + 6], ctrl[a + 7],
               ctrlF[a + 8], ctrl[a + 9], lo0, hi0, lo1, hi1, work);
    else if (kind === ${KIND_IM2COL})
      ex.im2col(ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4], ctrl[a + 5], ctrl[a + 6], ctrl[a + 7], ctrl[a + 8],
                ctrl[a + 9], ctrl[a + 10], ctrl[a + 11], ctrl[a + 12], ctrl[a + 13], lo0, hi0);
    else if (kind === ${KIND_COL2IM})
      ex.col2im(ctrl[a], ctrl[a + 1], ctrl[a + 2], ctrl[a + 3], ctrl[a + 4], ctrl[a + 5], ctrl[a + 6], ctrl[a + 7], ctrl[a + 8],
                ctrl[a + 9], ctrl[a + 10], ctrl[a + 11], ctrl[a + 12], ctrl[a + 13], lo0, hi0);
  } catch (e) {
    Atomics.store(ctrl, ${ERROR}, 1);
  }
  Atomics.add(ctrl, ${DONE}, 1);
  Atomics.notify(ctrl, ${DONE});
}
`;

interface NodeWorker { unref(): void; terminate(): Promise<number>; on(event: string, fn: (...a: unknown[]) => void): unknown }
type WorkerCtor = new (code: string, options: Record<string, unknown>) => NodeWorker;

/** Splits [0, size) into at most `parts` ranges of whole `align`-sized units, as even as possible. */
export function splitRange(size: number, align: number, parts: number): [number, number][] {
  const units = Math.ceil(size / align);
  const p = Math.max(1, Math.min(parts, units));
  const base = Math.floor(units / p), extra = units % p;
  const out: [number, number][] = [];
  let u = 0;
  for (let t = 0; t < p; t++) {
    const n = base + (t < extra ? 1 : 0);
    out.push([Math.min(size, u * align), Math.min(size, (u + n) * align)]);
    u += n;
  }
  return out;
}

export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly ctrlF: Float32Array;
  private readonly ctrlOffset: number;
  private readonly workers: NodeWorker[] = [];
  private readonly works: number[] = [];
  private seq = 0;
  /** Jobs shared with workers so far (for tests and benchmarks). */
  jobs = 0;

  private constructor(private readonly Worker: WorkerCtor, private readonly module: WebAssembly.Module,
                      private readonly exports: WasmExports, private readonly heap: WasmHeap,
                      /** The calling thread's gemm workspace. */ private readonly mainWork: number) {
    this.ctrlOffset = heap.allocBytes(CTRL_INTS * 4);
    this.ctrl = new Int32Array(heap.memory.buffer, this.ctrlOffset, CTRL_INTS);
    this.ctrl.fill(0);
    this.ctrlF = new Float32Array(heap.memory.buffer, this.ctrlOffset, CTRL_INTS);
  }

  /**
   * A pool for this runtime, or null where threads are not available (no worker_threads, i.e. a
   * browser: there the main thread may not Atomics.wait, and the backend runs single-threaded).
   */
  static async create(module: WebAssembly.Module, exports: WasmExports, heap: WasmHeap, mainWork: number): Promise<ThreadPool | null> {
    const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
    if (!isNode) return null;
    try {
      const wt = await import('node:worker_threads');
      return new ThreadPool(wt.Worker as unknown as WorkerCtor, module, exports, heap, mainWork);
    } catch {
      return null;
    }
  }

  /** Workers started (ready or not). */
  get size(): number { return this.workers.length; }
  /** Workers that are running and take jobs. */
  get ready(): number { return Math.min(Atomics.load(this.ctrl, READY), this.workers.length); }

  /** Starts workers until there are `count` (never stops any: extra ones just sleep). */
  ensureWorkers(count: number): void {
    count = Math.min(count, MAX_WORKERS);
    while (this.workers.length < count) {
      const index = this.workers.length + 1;
      const work = this.heap.allocBytes(this.exports.gemmWorkspaceBytes());
      const w = new this.Worker(WORKER_SOURCE, {
        eval: true, execArgv: [], stdout: false, stderr: false,
        workerData: { module: this.module, memory: this.heap.memory, ctrlOffset: this.ctrlOffset, index, work },
      });
      w.unref();
      w.on('error', () => { /* reported through ERROR / absence from READY */ });
      this.workers.push(w);
      this.works.push(work);
    }
  }

  /** Waits (asynchronously) until `count` workers are ready, or `timeoutMs` passes. */
  async waitReady(count: number, timeoutMs = 5000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.ready < Math.min(count, this.workers.length)) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 1));
    }
    return true;
  }

  /**
   * Publishes a job to `ranges.length - 1` workers (range 0 is the caller's), runs `mine` on the
   * calling thread, and waits for the workers.
   */
  private run(kind: number, ranges: number[][], mine: () => void): void {
    const ctrl = this.ctrl;
    const seq = ++this.seq | 0;
    this.jobs++;
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, KIND, kind);
    for (let t = 1; t < ranges.length; t++) {
      const s = SLOTS + SLOT_INTS * t, r = ranges[t]!;
      ctrl[s + 1] = r[0]!; ctrl[s + 2] = r[1]!; ctrl[s + 3] = r[2] ?? 0; ctrl[s + 4] = r[3] ?? 0;
      Atomics.store(ctrl, s, seq);
    }
    Atomics.store(ctrl, SEQ, seq);
    Atomics.notify(ctrl, SEQ);
    try {
      mine();
    } finally {
      const want = ranges.length - 1;
      let spins = 0, d: number;
      while ((d = Atomics.load(ctrl, DONE)) < want) {
        if (++spins > SPIN) { Atomics.wait(ctrl, DONE, d, 100); spins = 0; }
      }
    }
    if (Atomics.load(ctrl, ERROR) !== 0) {
      Atomics.store(ctrl, ERROR, 0);
      throw new Error('wasm backend: a worker thread failed while running a kernel');
    }
  }

  /**
   * gemm over `threads` threads (this one included) when the problem is large enough; returns
   * false when the caller should run it alone. C is split over columns when m <= n (each thread
   * packs its own columns of op(B) and all of op(A), the smaller duplicate), else over rows.
   */
  gemm(threads: number, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
       a: number, b: number, beta: number, c: number): boolean {
    const avail = Math.min(threads - 1, this.ready);
    if (avail < 1 || 2 * m * n * k < GEMM_PARALLEL_FLOPS) return false;
    const byCols = m <= n;
    const parts = splitRange(byCols ? n : m, byCols ? 8 : 4, avail + 1);
    if (parts.length < 2) return false;
    const ranges = parts.map(([lo, hi]) => (byCols ? [0, m, lo, hi] : [lo, hi, 0, n]));
    const ctrl = this.ctrl, f = this.ctrlF;
    ctrl[ARGS] = transA ? 1 : 0; ctrl[ARGS + 1] = transB ? 1 : 0; ctrl[ARGS + 2] = m; ctrl[ARGS + 3] = n; ctrl[ARGS + 4] = k;
    f[ARGS + 5] = alpha; ctrl[ARGS + 6] = a; ctrl[ARGS + 7] = b; f[ARGS + 8] = beta; ctrl[ARGS + 9] = c;
    const r0 = ranges[0]!;
    this.run(KIND_GEMM, ranges, () =>
      this.exports.sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, b, beta, c, r0[0]!, r0[1]!, r0[2]!, r0[3]!, this.mainWork));
    return true;
  }

  /** im2col (kind 'im2col', split over rows of col) or col2im (split over images); false: run alone. */
  window(threads: number, kind: 'im2col' | 'col2im', src: number, geometry: number[], dst: number, size: number, work: number): boolean {
    const avail = Math.min(threads - 1, this.ready);
    if (avail < 1 || work < WINDOW_PARALLEL_SIZE) return false;
    const parts = splitRange(size, 1, avail + 1);
    if (parts.length < 2) return false;
    const ctrl = this.ctrl;
    ctrl[ARGS] = src;
    for (let i = 0; i < 12; i++) ctrl[ARGS + 1 + i] = geometry[i]!;
    ctrl[ARGS + 13] = dst;
    const [lo, hi] = parts[0]!;
    const g = geometry as [number, number, number, number, number, number, number, number, number, number, number, number];
    this.run(kind === 'im2col' ? KIND_IM2COL : KIND_COL2IM, parts, () =>
      (kind === 'im2col' ? this.exports.im2col : this.exports.col2im)(src, ...g, dst, lo, hi));
    return true;
  }
}
