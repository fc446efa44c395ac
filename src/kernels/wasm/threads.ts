/**
 * Worker threads for the wasm backend (Node's worker_threads): every worker instantiates the same
 * compiled module on the same shared memory, and waits on a control block in that memory with
 * `Atomics.wait`; the calling thread publishes a job there and wakes them with `Atomics.notify`
 * (no postMessage per call).
 *
 * A job is a fixed list of CHUNKS of the output: gemm's C cut into column or row bands, im2col's
 * col matrix into row bands, col2im's images into groups; or, for a weight gradient A^T B, gemm's
 * k cut at its own KC-blocks, each block's product added to C in block order afterwards, exactly
 * as the one-thread kernel adds them (worker-source.ts, GEMM_K_KIND). Which of these a call uses,
 * or none, is chosen per shape from measured costs (split-planner.ts). The calling
 * thread and the workers claim chunks one at a time with an atomic compare-and-swap until none is
 * left, and the caller waits until every chunk is done. Each chunk computes its elements exactly
 * as a single thread would, so results are bit-identical for every thread count and every
 * claiming order; and when a worker is slow to wake (or descheduled on a busy machine) the
 * calling thread simply takes more chunks. Problems below a size threshold stay on the calling
 * thread.
 *
 * Control block (Int32Array over wasm memory):
 *   SEQ      job number, incremented by the caller to publish a job (workers Atomics.wait on it)
 *   NEXT     (job number << 8) | next unclaimed chunk: a claim is a CAS on it, so a worker that
 *            woke late for an earlier job can never claim a chunk of a later one
 *   DONE     chunks finished (the caller Atomics.waits on it)
 *   READY    workers running;  ERROR  set when a kernel threw in a worker; WORKER_CHUNKS  chunks
 *            computed by workers (statistics)
 *   KIND, NCHUNKS, ARGS, BOUNDS (NCHUNKS + 1 chunk boundaries)
 * The job kinds, the layout of their ARGS and the worker's `dispatch` are generated from the
 * kernel table (thread-kinds.generated.ts; a row's `threads` field).
 */
import type { WasmExports } from './exports.generated.js';
import type { WasmHeap } from './heap.js';
import { THREAD_ARG_TYPES } from './thread-kinds.generated.js';
import { chunkBounds, chunkCount } from './chunks.js';
import { blockSlots, type PreparedSplit } from './reduction-split.js';
import { SplitPlanner, type Split } from './split-planner.js';
import { ARGS, BOUNDS, BROWSER_WORKER_SOURCE, CLAIM_LOOP, CTRL_INTS, DISPATCH_ANY, DONE, ERROR, CONV_DW_K_KIND, GEMM_K_KIND, GEMM_KC, HAND_KIND_ARG_TYPES, KIND, NCHUNKS, NEXT, NODE_WORKER_SOURCE, READY, SEQ, WAIT_WHILE, WORKER_CHUNKS, browserWorkerCanWait, isNode, writeJobArgs, type ClaimLoop, type Dispatch, type WaitWhile } from './worker-source.js';

const MAX_WORKERS = 63;

/** gemm work (2 m n k) below which the calling thread does everything: ~25 us on one core. */
export const GEMM_PARALLEL_FLOPS = 1 << 20;
/**
 * gemm work from which a job is always shared. Smaller jobs are kept on the calling thread for a
 * while after a worker straggled (see ThreadPool.run).
 */
const ALWAYS_SHARE_FLOPS = 1 << 26;
/** Least rows (or columns) of C per gemm chunk. */
const MIN_CHUNK_EXTENT = 32;
/** Most scratch memory of a k-split gemm (one m x n slot per KC-block of k). */
const MAX_K_SCRATCH_BYTES = 8 << 20;
/** Least gemm work per chunk (~6 us on one core). */
const MIN_CHUNK_FLOPS = 1 << 18;

/** One way to run a planned job (see ThreadPool.planned). */
interface PlanOption { kind: number; bounds: number[]; size: number; prepare?: () => PreparedSplit }

/** What a worker needs: the compiled module, the shared memory, the control block and its gemm workspace. */
interface WorkerData { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrlOffset: number; work: number }
/** Starts one worker on `data` (a worker that fails to start is never counted in READY). */
type SpawnWorker = (data: WorkerData) => void;

interface NodeWorker { unref(): void; on(event: string, fn: (...a: unknown[]) => void): unknown }
type NodeWorkerCtor = new (code: string, options: Record<string, unknown>) => NodeWorker;
interface WebWorker { postMessage(data: unknown): void; addEventListener(type: string, fn: () => void): void }
type WebWorkerCtor = new (url: string, options?: Record<string, unknown>) => WebWorker;

export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly ctrlF: Float32Array;
  private readonly ctrlOffset: number;
  /** Workers started so far. */
  private started = 0;
  private seq = 0;
  /** The calling thread's copy of the workers' claim loop (compiled from the same source). */
  private readonly runChunks: ClaimLoop = new Function(`${CLAIM_LOOP}\n${DISPATCH_ANY}; return runChunks;`)() as ClaimLoop;
  private readonly waitWhile: WaitWhile = new Function(`${WAIT_WHILE}; return waitWhile;`)() as WaitWhile;
  /** The workers' dispatch, on the calling thread: a job's whole range here is the unshared call. */
  private readonly dispatch: Dispatch = new Function(`${DISPATCH_ANY}; return dispatchAny;`)() as Dispatch;
  /**
   * Per-shape choice between running alone and each split, from measured costs (and the start-up
   * calibration, run when a worker first takes part): see split-planner.ts. Only speed depends
   * on it, never a result.
   */
  readonly planner = new SplitPlanner();
  /** Jobs shared with workers so far (for tests and benchmarks). */
  jobs = 0;
  /**
   * im2col / col2im matrices (numbers) from which they are shared (256 KiB of float32). They only
   * move memory, but two cores move it faster than one, and the gemm that follows mostly claims
   * chunks on the same threads in the same order. Measured on the 2-core Xeon (interleaved runs,
   * best of 4): the LeNet-sized CNN trained 41% faster on 2 threads with these defaults than with
   * convolution on one thread (4,470 vs 3,190 samples/s), W2 12-18% faster. (Session 1 had found
   * the opposite on a Zen 5 from one-shot runs; on such a machine set both back: Infinity, 8.)
   */
  windowParallelSize = 1 << 16;
  /** Work from which an optimiser update is shared (3-8 numbers a weight): W1's 100,352 weights alone gave the threads A/B 1.00x on MNIST, shared 0.86-0.96x (the next gemm found half of them in the other core's cache). */
  updateParallelSize = 1 << 20;
  /**
   * Least arithmetic intensity (flops per byte of A, B and C) of a gemm worth sharing: below it
   * the product is so memory-bound that its operands moving between the cores' caches cost more
   * than the second core gives. The convolution gemms (2-7 flops per byte) are above it.
   */
  minFlopsPerByte = 2;
  /**
   * Straggler back-off. On a machine busier than its cores (other processes running), a worker
   * that claimed a chunk can be descheduled for a whole time slice, and the caller waits for it:
   * a small job then takes far longer than on one thread. When the caller waits longer than its
   * own share took, the next `backoffLength` small jobs (doubling on each straggle, halving on
   * each smooth job) run on the calling thread alone. Only speed depends on this, never a result.
   */
  private backoffLeft = 0;
  private backoffLength = 0;
  /** Jobs run on the calling thread alone because of the straggler back-off (statistics). */
  backedOff = 0;

  private constructor(private readonly spawn: SpawnWorker, private readonly module: WebAssembly.Module,
                      private readonly exports: WasmExports, private readonly heap: WasmHeap,
                      /** The calling thread's gemm workspace. */ private readonly mainWork: number) {
    this.ctrlOffset = heap.allocBytes(CTRL_INTS * 4);
    this.ctrl = new Int32Array(heap.memory.buffer, this.ctrlOffset, CTRL_INTS);
    this.ctrl.fill(0);
    this.ctrlF = new Float32Array(heap.memory.buffer, this.ctrlOffset, CTRL_INTS);
  }

  /**
   * A pool for this runtime, or null where threads are not available: Node's worker_threads, or
   * Web Workers where the caller is itself a worker of a cross-origin isolated page. A page's main
   * thread may not Atomics.wait, so there the backend runs single-threaded.
   */
  static async create(module: WebAssembly.Module, exports: WasmExports, heap: WasmHeap, mainWork: number): Promise<ThreadPool | null> {
    if (isNode()) {
      try {
        return ThreadPool.forNode((await import('node:worker_threads')).Worker, module, exports, heap, mainWork);
      } catch {
        return null;
      }
    }
    if (!browserWorkerCanWait()) return null;
    try {
      const Worker = (globalThis as unknown as { Worker: WebWorkerCtor }).Worker;
      const url = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
      return new ThreadPool((data) => {
        const w = new Worker(url, { name: 'nabla-kernels' });
        w.addEventListener('error', () => { /* never counted in READY */ });
        w.postMessage(data);
      }, module, exports, heap, mainWork);
    } catch {
      return null; // e.g. a Content-Security-Policy without 'unsafe-eval' or blob: workers
    }
  }

  /** The Node pool, synchronously: `Worker` is node:worker_threads' Worker class ({@link create} imports it). */
  static forNode(Worker: unknown, module: WebAssembly.Module, exports: WasmExports, heap: WasmHeap, mainWork: number): ThreadPool {
    const W = Worker as NodeWorkerCtor;
    return new ThreadPool((workerData) => {
      const w = new W(NODE_WORKER_SOURCE, { eval: true, execArgv: [], stdout: false, stderr: false, workerData });
      w.unref();
      w.on('error', () => { /* a worker that never starts is never counted in READY */ });
    }, module, exports, heap, mainWork);
  }

  /** True where this pool's threads can run in this runtime (see {@link create}). */
  static available(): boolean {
    return isNode() || browserWorkerCanWait();
  }

  /** Chunks the workers (not the calling thread) have computed so far. */
  get workerChunks(): number { return Atomics.load(this.ctrl, WORKER_CHUNKS); }

  /** Workers started (ready or not). */
  get size(): number { return this.started; }
  /** Workers that are running and take jobs. */
  get ready(): number { return Math.min(Atomics.load(this.ctrl, READY), this.started); }

  /** Starts workers until there are `count` (never stops any: extra ones just sleep). */
  ensureWorkers(count: number): void {
    count = Math.min(count, MAX_WORKERS);
    while (this.started < count) {
      const work = this.heap.allocBytes(this.exports.gemmWorkspaceBytes());
      this.spawn({ module: this.module, memory: this.heap.memory, ctrlOffset: this.ctrlOffset, work });
      this.started++;
    }
  }

  /** Waits (asynchronously) until `count` workers are ready, or `timeoutMs` passes. */
  async waitReady(count: number, timeoutMs = 5000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (this.ready < Math.min(count, this.started)) {
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 1));
    }
    return true;
  }

  /** True when a job of this size should stay on the calling thread because of the back-off. */
  private backingOff(flops: number): boolean {
    if (this.backoffLeft <= 0 || flops >= ALWAYS_SHARE_FLOPS) return false;
    this.backoffLeft--;
    this.backedOff++;
    return true;
  }

  /** Publishes a job of `bounds.length - 1` chunks, claims chunks on this thread too, waits for all. */
  private run(kind: number, args: readonly number[], bounds: number[]): void {
    const ctrl = this.ctrl, chunks = bounds.length - 1;
    const seq = (this.seq = (this.seq + 1) & 0xffffff);
    // Close the claim counter first (new tag, no chunk left: 255 > MAX_CHUNKS), or a worker still in the
    // previous job's claim loop could read this job's NCHUNKS under the old tag and run a chunk of this
    // job twice, unwaited for (W1's weights differed in 1 run of 6; test/kernels/thread-jobs.test.ts).
    Atomics.store(ctrl, NEXT, (seq << 8) | 255);
    this.writeArgs(kind, args);
    this.jobs++;
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, KIND, kind);
    Atomics.store(ctrl, NCHUNKS, chunks);
    for (let i = 0; i <= chunks; i++) ctrl[BOUNDS + i] = bounds[i]!;
    Atomics.store(ctrl, NEXT, seq << 8);
    Atomics.store(ctrl, SEQ, seq);
    Atomics.notify(ctrl, SEQ);
    const t0 = performance.now();
    this.runChunks(this.exports, ctrl, this.ctrlF, seq, this.mainWork, false);
    const t1 = performance.now();
    let d: number;
    while ((d = Atomics.load(ctrl, DONE)) < chunks) this.waitWhile(ctrl, DONE, d);
    const waited = performance.now() - t1, own = t1 - t0;
    if (waited > Math.max(0.2, own)) {
      this.backoffLength = Math.min(4096, Math.max(16, 2 * this.backoffLength));
      this.backoffLeft = this.backoffLength;
    } else if (waited < own / 2) {
      this.backoffLength >>= 1;
    }
    if (Atomics.load(ctrl, ERROR) !== 0) {
      Atomics.store(ctrl, ERROR, 0);
      throw new Error('wasm backend: a kernel failed in a worker thread');
    }
  }

  /**
   * Writes a job's arguments into the control block. Safe between jobs: a worker reads them only
   * after claiming a chunk of the job published next.
   */
  private writeArgs(kind: number, args: readonly number[]): void {
    writeJobArgs(this.ctrl, this.ctrlF, HAND_KIND_ARG_TYPES[kind] ?? THREAD_ARG_TYPES[kind]!, args);
  }

  /** Runs a job's whole range [0, size) on the calling thread (the same call as unshared). */
  private alone(kind: number, args: readonly number[], size: number): void {
    this.writeArgs(kind, args);
    this.dispatch(this.exports, this.ctrl, this.ctrlF, ARGS, kind, 0, size, this.mainWork);
  }

  /**
   * Runs a job as the planner chooses for its shape `key` (alone, or one of the `options`'
   * splits), timing it. An option's `size` is the job's whole range in its split's units; its
   * `prepare`, when given, returns the arguments of that split's job and what to do after it.
   */
  private planned(key: string, flops: number, t: number, options: Partial<Record<Split, PlanOption>>, args: readonly number[]): void {
    // The cost of a split is the call's own time, the wait for the workers' chunks included (a
    // worker descheduled on a busy machine makes the shared call slow, and it loses). Session 4
    // used the period from one call of the shape to the next instead; with several shapes in a
    // step, each shape's period moved with the other shapes' choices, and on a quiet machine the
    // planner settled W1 on 929 us a step where column bands everywhere take 643 (measured in one
    // process, 2026-12-02): the call time does not mix the shapes.
    const t0 = performance.now();
    const split = this.planner.choose(key, Object.keys(options) as Split[], flops, t);
    const o = options[split]!;
    if (split === 'alone') this.alone(o.kind, args, o.size);
    else if (o.prepare === undefined) this.run(o.kind, args, o.bounds);
    else {
      const job = o.prepare();
      try { this.run(o.kind, job.args, o.bounds); job.finish(); } finally { job.release(); }
    }
    this.planner.record(key, split, performance.now() - t0);
  }

  /**
   * The start-up calibration (once, when a worker first runs): W1's forward gemm (64x784 by
   * 784x128) alone and shared in row bands, best of 3 each; recorded in `planner.calibration`
   * (getBackendInfo reports it) and used as the planner's prior for shapes not yet measured.
   */
  private calibrate(t: number, kindRows: number): void {
    const m = 64, n = 128, k = 784, flops = 2 * m * n * k;
    const a = this.heap.allocBytes(4 * m * k), b = this.heap.allocBytes(4 * k * n), c = this.heap.allocBytes(4 * m * n);
    try {
      const buf = this.heap.memory.buffer;
      new Float32Array(buf, a, m * k).fill(0.5);
      new Float32Array(buf, b, k * n).fill(0.25);
      const args = [0, 0, m, n, k, 1, a, b, 0, c];
      const bounds = chunkBounds(m, 4, t);
      let one = Infinity, two = Infinity;
      for (let r = 0; r < 3; r++) {
        let t0 = performance.now();
        this.alone(kindRows, args, m);
        one = Math.min(one, performance.now() - t0);
        t0 = performance.now();
        this.run(kindRows, args, bounds);
        two = Math.min(two, performance.now() - t0);
      }
      this.planner.calibration = { gflopsOneThread: flops / (one * 1e6), shareOverheadUs: Math.max(0, (two - one / t) * 1000), threads: t };
    } finally {
      this.heap.freeBytes(a); this.heap.freeBytes(b); this.heap.freeBytes(c);
    }
  }

  /**
   * gemm over up to `threads` threads (this one included); false when it should run on the
   * calling thread alone without measuring (too small, memory-bound, no worker running yet, or
   * the straggler back-off). Otherwise the planner chooses, per shape and from measured costs,
   * between this thread alone and C cut into column bands (each band packs its columns of op(B)
   * and reads all of op(A)) or row bands, and the call runs here (true). More chunks than
   * threads balance a busy machine, but every chunk packs its own copy of the shared operand, so
   * the count is kept where that copying stays a few percent of the work.
   */
  gemm(threads: number, transA: boolean, transB: boolean, m: number, n: number, k: number,
       kindCols: number, kindRows: number, args: readonly number[]): boolean {
    const t = Math.min(threads, this.ready + 1);
    const flops = 2 * m * n * k;
    // Memory-bound products (skinny convolution gemms, tiny dense layers) stay on one thread:
    // moving their operands between cores costs more than the second core gains.
    if (t < 2 || flops < GEMM_PARALLEL_FLOPS || flops < this.minFlopsPerByte * 4 * (m * k + k * n + m * n)) return false;
    // A forced split (tests) is run even while backing off: the back-off only ever changes speed.
    if (this.planner.force === null && this.backingOff(flops)) return false;
    if (this.planner.calibration === null) this.calibrate(t, kindRows);
    // numbers of the shared operand each chunk packs again (0 when the kernel reads it in place)
    const readsAInPlace = transA ? m <= 32 : n <= 128 || m <= 64; // as assembly/gemm.ts decides
    const options: Parameters<ThreadPool['planned']>[3] = { alone: { kind: kindRows, bounds: [], size: m } };
    for (const byCols of [true, false]) {
      const dup = byCols ? (readsAInPlace ? 0 : m * k) : (!transB && n <= 16 ? 0 : k * n);
      const wanted = Math.min(flops / MIN_CHUNK_FLOPS, dup === 0 ? Infinity : flops / (250 * dup));
      // Every chunk reads all of the reduction dimension of the other operand; with fewer than
      // MIN_CHUNK_EXTENT rows (columns) per chunk the threads mostly stream the same memory twice
      // (convolution's dW = col^T Delta, 25 x 8 x 36864, got no faster on two threads).
      const size = byCols ? n : m, align = byCols ? 8 : 4;
      const cap = Math.floor(size / MIN_CHUNK_EXTENT);
      if (cap < 2) continue;
      const bounds = chunkBounds(size, align, chunkCount(t, wanted, cap));
      if (bounds.length >= 3) options[byCols ? 'cols' : 'rows'] = { kind: byCols ? kindCols : kindRows, bounds, size };
    }
    if (transA && !transB && k >= 2 * GEMM_KC && 4 * m * n * Math.ceil(k / GEMM_KC) <= MAX_K_SCRATCH_BYTES) {
      const blocks = Math.ceil(k / GEMM_KC);
      options.k = { kind: GEMM_K_KIND, bounds: chunkBounds(blocks, 1, chunkCount(t, blocks, blocks)), size: blocks, prepare: () => blockSlots(this.heap, this.exports, args, args[9]!, m * n, blocks) };
    }
    if (options.cols === undefined && options.rows === undefined && options.k === undefined) return false;
    this.planned(`gemm${transA ? 1 : 0}${transB ? 1 : 0}:${m}x${n}x${k}:${t}`, flops, t, options, args);
    return true;
  }

  /**
   * A job cut into chunks of `size` units (im2col: rows of col; col2im: images), or false to run
   * alone without measuring. `work` is the numbers the kernel moves; `args` the export's
   * arguments before the chunk. Above the size threshold the planner chooses (per shape, from
   * measured costs) between this thread alone and the shared job, and the call runs here (true).
   */
  window(threads: number, size: number, work: number, kind: number, args: readonly number[]): boolean {
    return this.shareRows('window', threads, work, kind, args, size, (t) => chunkBounds(size, 1, chunkCount(t, 4 * t, size)));
  }

  /**
   * As {@link window}, but cut into one chunk per thread of whole 4-unit groups: for a kernel
   * whose chunks each repeat a share of the work (convKernelGrad's rows of dW: each chunk builds
   * the im2col blocks again), so more chunks would cost more. Results never depend on the cut.
   */
  perThread(threads: number, size: number, work: number, kind: number, args: readonly number[]): boolean {
    return this.shareRows('perThread', threads, work, kind, args, size, (t) => chunkBounds(size, 4, t));
  }

  /**
   * convKernelGrad: as perThread (rows of dW), or, where the kernel runs implicitly, its sum over
   * the output pixels cut at its own KC-blocks (CONV_DW_K_KIND, reduction-split.ts: the one-thread
   * bits for any chunking). Each perThread chunk streams all of x and Delta for its rows of dW, so
   * on LeNet's convolutions (25 or 150 rows) two threads gained nothing; the blocks split the
   * stream instead. `args`: the export's (x, the window's 12, delta, filters, dw).
   */
  convKernelGrad(threads: number, K: number, work: number, kind: number, args: readonly number[]): boolean {
    const [, batch, height, width, C, kh, kw, sh, sw, pt, pl, oh, ow, , filters, dw] = args as number[];
    const blocks = this.exports.kernelGradBlocks(batch!, height!, width!, C!, kh!, kw!, sh!, sw!, pt!, pl!, oh!, ow!, filters!, this.mainWork);
    return this.shareRows('perThread', threads, work, kind, args, K, (t) => chunkBounds(K, 4, t), blocks < 2 ? undefined : (t) => ({
      kind: CONV_DW_K_KIND, bounds: chunkBounds(blocks, 1, chunkCount(t, blocks, blocks)), size: blocks,
      prepare: () => blockSlots(this.heap, this.exports, args, dw!, K * filters!, blocks),
    }));
  }

  /** The row splits' common part: the chunks of `cut(threads)` (and the `k` option), or false to run alone unmeasured. */
  private shareRows(policy: string, threads: number, work: number, kind: number, args: readonly number[], size: number,
                    cut: (t: number) => number[], k?: (t: number) => PlanOption): boolean {
    const t = Math.min(threads, this.ready + 1);
    if (t < 2 || work < this.windowParallelSize) return false;
    if (this.planner.force === null && this.backingOff(work * 8)) return false; // as in gemm: a forced split always runs
    const bounds = cut(t);
    const options: Partial<Record<Split, PlanOption>> = { alone: { kind, bounds: [], size } };
    if (bounds.length >= 3) options.rows = { kind, bounds, size };
    if (k !== undefined) options.k = k(t);
    if (options.rows === undefined && options.k === undefined) return false;
    this.planned(`${policy}${kind}:${size}x${work}:${t}`, 8 * work, t, options, args);
    return true;
  }
}
