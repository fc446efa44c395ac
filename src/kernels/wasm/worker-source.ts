/**
 * The worker threads' side of ThreadPool (./threads.ts): where workers can run, the control
 * block's layout, and the JavaScript source every worker (and the calling thread) runs: the
 * spin-then-sleep wait, the chunk-claiming loop, the k-split job and the worker's body. Plain
 * JavaScript, evaluated by worker_threads (CommonJS, no loader hooks) or a Web Worker from a
 * blob: URL.
 */
import type { WasmExports } from './exports.generated.js';
import { THREAD_DISPATCH } from './thread-kinds.generated.js';

/** Control block slots (Int32Array indices over wasm memory): see threads.ts's module comment. */
export const SEQ = 0, NEXT = 16, DONE = 32, READY = 48, ERROR = 49, KIND = 50, NCHUNKS = 51, WORKER_CHUNKS = 52, ARGS = 64, BOUNDS = 96;
export const MAX_CHUNKS = 64;
export const CTRL_INTS = BOUNDS + MAX_CHUNKS + 1;

/**
 * The k-split of a weight-gradient gemm (C = alpha A^T B + beta C, A stored k x m, B k x n): a
 * hand-written job kind beside the generated ones. Its chunks are ranges of gemm's own KC-blocks
 * of k (assembly/gemm.ts; GEMM_KC must equal its KC): block 0 is computed in place in C (with
 * beta), every other block b into its own slot of a scratch area (b - 1), with beta 0. The
 * calling thread then adds the slots to C in block order (reduction-split.ts, addBlocks), which is
 * exactly how the one-thread kernel accumulates its blocks (C += alpha acc_b; update() in gemm.ts),
 * so the result is the one-thread bits for any thread count and any chunking.
 * ARGS: transA, transB, m, n, k, alpha (f32), a, b, beta (f32), c, scratch.
 */
export const GEMM_K_KIND = 100;
export const GEMM_KC = 256;
/**
 * The same split of a convolution's kernel gradient dW = col^T Delta, where it runs implicitly
 * (assembly/conv-implicit.ts, convKernelGradBlocks): chunks are ranges of its KC-blocks of output
 * pixels. ARGS: convKernelGrad's 16 (x, the window's 12, delta, filters, dw), then scratch.
 */
export const CONV_DW_K_KIND = 101;
/** The hand-written kinds' argument types (the generated kinds' are THREAD_ARG_TYPES). */
export const HAND_KIND_ARG_TYPES: Readonly<Record<number, readonly ('i32' | 'f32' | 'f64')[]>> = {
  [GEMM_K_KIND]: ['i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'i32', 'i32', 'f32', 'i32', 'i32'],
  [CONV_DW_K_KIND]: new Array<'i32'>(17).fill('i32'),
};

/** An f64 argument's two i32 slots: its bits, little-endian, as the dispatch's readF64 reads them. */
const F64_BITS = new Int32Array(2), F64_VALUE = new Float64Array(F64_BITS.buffer);

/**
 * Writes a job's arguments into the control block from ARGS on: an i32 or an f32 in one slot each,
 * an f64 in two (THREAD_ARG_TYPES gives each kind's types).
 */
export function writeJobArgs(ctrl: Int32Array, ctrlF: Float32Array, types: readonly ('i32' | 'f32' | 'f64')[], args: readonly number[]): void {
  for (let i = 0, slot = ARGS; i < args.length; i++) {
    const type = types[i];
    if (type === 'f32') ctrlF[slot++] = args[i]!;
    else if (type === 'f64') { F64_VALUE[0] = args[i]!; ctrl[slot++] = F64_BITS[0]!; ctrl[slot++] = F64_BITS[1]!; }
    else ctrl[slot++] = args[i]!;
  }
}
export const DISPATCH_ANY = `
function dispatchAny(ex, ctrl, ctrlF, base, kind, lo, hi, work) {
  if (kind === ${CONV_DW_K_KIND}) {
    const a = ctrl.subarray(base, base + 17);
    return ex.convKernelGradBlocks(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16], lo, hi, work);
  }
  if (kind !== ${GEMM_K_KIND}) return dispatch(ex, ctrl, ctrlF, base, kind, lo, hi, work);
  const m = ctrl[base + 2], n = ctrl[base + 3], k = ctrl[base + 4], alpha = ctrlF[base + 5], a = ctrl[base + 6], b = ctrl[base + 7];
  const beta = ctrlF[base + 8], c = ctrl[base + 9], scratch = ctrl[base + 10];
  for (let blk = lo; blk < hi; blk++) {
    const p0 = blk * ${GEMM_KC}, kc = Math.min(${GEMM_KC}, k - p0);
    if (blk === 0) ex.sgemm(1, 0, m, n, kc, alpha, a, b, beta, c, 0, m, 0, n, work);
    else ex.sgemm(1, 0, m, n, kc, alpha, a + p0 * m * 4, b + p0 * n * 4, 0, scratch + (blk - 1) * m * n * 4, 0, m, 0, n, work);
  }
}
${THREAD_DISPATCH}
`;

/**
 * Spinning before Atomics.wait, on both sides: a worker woken from sleep starts tens of
 * microseconds late (about 100 on a VM, and on a cold core), while a training step's next big
 * kernel usually comes within a few hundred microseconds. A spinner that finds it was descheduled
 * (the clock jumped between two checks: the machine is busier than its cores) sleeps at once
 * instead, so it does not take CPU time from the thread that does the work.
 *
 * Longer spins were tried (2026-12-02, session 7: 5 ms, with only a 1 ms jump counted as
 * preemption). A shared call then kept its speed after any gap (a 784x128x64 weight gradient in
 * column bands: 141-158 us after gaps of 0.3-3 ms, against 241-286 us with these values), but
 * whole steps got slower: the interleaved 1-against-2-thread A/B of `npm run bench --
 * --threads-ab` gave W1 on MNIST 0.855x (0.955x with these values), W2 0.943x (0.972x), LeNet
 * 0.988x (1.074x). A spinning core costs the other one speed (a lone gemm ran 2-8% slower beside
 * a spinning process on this 2-core VM), and the planner, seeing cheaper shared calls, shared more
 * kernels whose outputs the next kernels then read from the other core.
 */
const SPIN_MS = 0.3;
const PREEMPTED_MS = 0.05;
// Spins while ctrl[index] === value (up to SPIN_MS, less when preempted), then sleeps until it changes.
export const WAIT_WHILE = `
function waitWhile(ctrl, index, value) {
  let start = performance.now(), last = start, n = 0;
  while (Atomics.load(ctrl, index) === value) {
    if ((++n & 127) !== 0) continue;
    const now = performance.now();
    if (now - last > ${PREEMPTED_MS} || now - start > ${SPIN_MS}) {
      Atomics.wait(ctrl, index, value, 1000);
      start = performance.now();
    }
    last = now;
  }
}
`;

// The worker and the caller run the same claim loop; the worker's copy is plain JavaScript
// evaluated by worker_threads (CommonJS, no loader hooks).
export const CLAIM_LOOP = `
function runChunks(ex, ctrl, ctrlF, seq, work, isWorker) {
  const tag = (seq & 0xffffff) << 8;
  for (;;) {
    const v = Atomics.load(ctrl, ${NEXT});
    if ((v & ~255) !== tag) return;
    const idx = v & 255;
    if (idx >= Atomics.load(ctrl, ${NCHUNKS})) return;
    if (Atomics.compareExchange(ctrl, ${NEXT}, v, v + 1) !== v) continue;
    const lo = ctrl[${BOUNDS} + idx], hi = ctrl[${BOUNDS} + idx + 1];
    try {
      dispatchAny(ex, ctrl, ctrlF, ${ARGS}, ctrl[${KIND}], lo, hi, work);
    } catch (e) {
      Atomics.store(ctrl, ${ERROR}, 1);
    }
    if (isWorker) Atomics.add(ctrl, ${WORKER_CHUNKS}, 1);
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
}
`;

// The worker's body: instantiate the module on the shared memory, then take jobs forever.
const WORKER_BODY = `
function serve({ module, memory, ctrlOffset, work }) {
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ctrl = new Int32Array(memory.buffer, ctrlOffset, ${CTRL_INTS});
  const ctrlF = new Float32Array(memory.buffer, ctrlOffset, ${CTRL_INTS});
  let seen = Atomics.load(ctrl, ${SEQ});
  Atomics.add(ctrl, ${READY}, 1);
  Atomics.notify(ctrl, ${READY});
  for (;;) {
    waitWhile(ctrl, ${SEQ}, seen);
    seen = Atomics.load(ctrl, ${SEQ});
    runChunks(ex, ctrl, ctrlF, seen, work, true);
  }
}
${CLAIM_LOOP}
${WAIT_WHILE}
${DISPATCH_ANY}
`;
/** Node (worker_threads, evaluated as CommonJS): the data comes as workerData. */
export const NODE_WORKER_SOURCE = `${WORKER_BODY}\nserve(require('node:worker_threads').workerData);\n`;
/** Browser (a Web Worker from a blob: URL): the data comes as the first message. */
export const BROWSER_WORKER_SOURCE = `${WORKER_BODY}\nself.onmessage = (e) => { self.onmessage = null; serve(e.data); };\n`;

export type ClaimLoop = (ex: WasmExports, ctrl: Int32Array, ctrlF: Float32Array, seq: number, work: number, isWorker: boolean) => void;
export type WaitWhile = (ctrl: Int32Array, index: number, value: number) => void;
export type Dispatch = (ex: WasmExports, ctrl: Int32Array, ctrlF: Float32Array, base: number, kind: number, lo: number, hi: number, work: number) => void;

/** True under Node.js (worker_threads). */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * True where the calling thread may block in Atomics.wait and start Web Workers on shared memory:
 * a dedicated worker of a cross-origin isolated page (a page's main thread may not wait).
 */
export function browserWorkerCanWait(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  if (g.crossOriginIsolated !== true || typeof g.Worker !== 'function' || typeof g.Blob !== 'function' || typeof g.URL?.createObjectURL !== 'function') return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // throws on a main thread
    return true;
  } catch {
    return false;
  }
}
