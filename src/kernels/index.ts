/**
 * Backend selection. `getKernels()` is what layers, losses and optimisers call; `setBackend` and
 * {@link ready} are asynchronous because compiling WebAssembly and starting workers are (docs/design.md).
 *
 * Loading this module does nothing: no compile, no workers, no output (so `import 'nabla'` and
 * `require('nabla')` are quiet and cheap). The default backend, 'wasm' where it loads, is chosen
 * by whichever comes first:
 * - `await ready()` (as TF.js's `tf.ready()`), or `await setBackend(name)`;
 * - in Node, the first synchronous call that needs kernels ({@link getKernels}: building a layer,
 *   a tensor op, `getBackend()`), which compiles the same WebAssembly module synchronously (Node
 *   allows it), so the results are the same bits as after `await ready()`;
 * - in a browser (which refuses to compile a module this size synchronously on the main thread)
 *   that first synchronous call throws an Error saying to `await ready()`. It never falls back
 *   to 'js' silently: that would change the bits.
 * NABLA_BACKEND=js|wasm overrides the choice; without WebAssembly SIMD the js backend is used with
 * a one-line notice on stderr, printed when the choice is made (never at import). The wasm
 * backend uses its fused multiply-add build wherever relaxed SIMD validates, turning on Node 20's
 * --experimental-wasm-relaxed-simd itself as it loads (./relaxed-simd.ts); NABLA_FMA=0 keeps the
 * plain build.
 */
import type { Backend } from './backend.js';
import type { FloatArray } from '../tensor/tensor.js';
import { jsBackend } from './js/index.js';
import { nodeBuiltin } from './node-builtins.js';
import { enableRelaxedSimd } from './relaxed-simd.js';
import type { ThreadCalibration } from './wasm/split-planner.js';
import { loadWasmBackend, loadWasmBackendSync, threadsAvailable, wasmSupported, type WasmBackend } from './wasm/index.js';

export * from './backend.js';
export { jsBackend } from './js/index.js';
export type { ThreadCalibration } from './wasm/split-planner.js';

/** The backends {@link setBackend} accepts: 'js' (TypeScript kernels) and 'wasm' (WebAssembly SIMD, with threads in Node). */
export type BackendName = 'js' | 'wasm';
const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm'];

/** The current backend; null until the default is chosen (see the module comment). */
let current: Backend | null = null;
let numThreads = 1;
/** True once setNumThreads or NABLA_THREADS chose the count (else: availableParallelism()). */
let threadsChosen = false;
/** The wasm backend once loaded (it keeps its thread count even while js is current). */
let wasm: WasmBackend | null = null;

/**
 * Loads the wasm backend and hands it the thread count. Relaxed SIMD is enabled first where it
 * sits behind a flag (Node 20), so the fused build is compiled unless NABLA_FMA=0.
 */
async function useWasm(): Promise<WasmBackend> {
  readEnvThreads();
  enableRelaxedSimd();
  wasm = await loadWasmBackend();
  wasm.setThreads(numThreads);
  current = wasm;
  return wasm;
}

/**
 * The kernels of the current backend, choosing the default one first when none is chosen yet
 * (synchronously in Node; see the module comment).
 * @throws Error saying to `await ready()` where the default backend cannot load synchronously
 *   (a browser; an asynchronous load under way) and none was chosen yet.
 */
export function getKernels(): Backend {
  return current ?? chooseSync();
}

/**
 * Test seam: whether this runtime may load the default backend synchronously (Node with
 * process.getBuiltinModule). Tests replace it to take the browser's path.
 * @internal not part of the public API.
 */
export const _backendHooks: { canLoadSync: () => boolean } = {
  canLoadSync: () => nodeBuiltin('node:os') !== null,
};

/** The message of a synchronous use before the backend is chosen where it cannot load synchronously. */
export const NOT_READY_MESSAGE = "nabla: no backend is loaded yet; call `await ready()` (or `await setBackend('wasm' | 'js')`) before building models or computing with tensors (a browser cannot compile the WebAssembly backend synchronously)";

/** The default backend, chosen synchronously on first use (Node), or the not-ready Error. */
function chooseSync(): Backend {
  if (_backendHooks.canLoadSync() && initDefaultBackendSync() !== null && current !== null) return current;
  throw new Error(NOT_READY_MESSAGE);
}

/**
 * Runs `fn` with `backend` as the current backend, synchronously, then restores the previous one
 * (gradCheck runs its float64 copy on the reference kernels this way).
 */
export function withBackend<T>(backend: Backend, fn: () => T): T {
  const previous = current;
  current = backend;
  try { return fn(); } finally { current = previous; }
}

/**
 * Returns a buffer to the allocator of the backend that made it, whichever backend is current:
 * a model built on 'wasm' and disposed after a switch to 'js' still gives its WebAssembly memory
 * back. Buffers on the JavaScript heap are left to the garbage collector. Layers, workspaces and
 * the fit loop free through this, never through `getKernels().free`.
 */
export function freeBuffer(buffer: FloatArray): void {
  if (wasm !== null && current !== wasm) wasm.free(buffer);
  (current ?? jsBackend).free(buffer);
}

/**
 * The current backend's name ('js' or 'wasm'), choosing the default first as {@link getKernels}.
 * @throws Error saying to `await ready()` as getKernels does.
 */
export function getBackend(): string {
  return getKernels().name;
}

/**
 * Selects the backend for everything created afterwards. Buffers made by the other backend keep
 * working (every kernel accepts any typed array), so a model built before the switch trains on.
 * @throws Error listing the valid names for an unknown name; for 'wasm' when this runtime has no
 * WebAssembly SIMD or shared memory (the current backend stays in use, nothing is lost).
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (!BACKEND_NAMES.includes(name)) throw new Error(`setBackend: unknown backend '${String(name)}'; valid names: ${BACKEND_NAMES.join(', ')}`);
  if (name === 'js') { current = jsBackend; return; }
  if (!wasmSupported()) throw new Error("setBackend: WebAssembly SIMD (or shared memory) is not available in this runtime; the current backend stays in use");
  await (await useWasm()).startThreads();
}

/**
 * Chooses the start-up backend: NABLA_BACKEND ('js' or 'wasm') when set, else 'wasm' where it
 * loads. When WebAssembly SIMD is missing (or the module fails to load) it falls back to 'js'
 * and reports that in ONE line through `notice` (console.warn by default). {@link ready} runs it
 * once; tests call it again with an injected environment and feature probe.
 * @returns the backend now in use.
 */
export async function initDefaultBackend(env: Record<string, string | undefined> = processEnv(),
                                         notice: (line: string) => void = (line) => console.warn(line)): Promise<string> {
  readEnvThreads();
  if (!wantsWasm(env, notice)) return jsBackend.name;
  if (!threadsChosen) numThreads = await defaultThreadCount();
  try {
    await useWasm(); // workers start on the first kernel big enough to share
  } catch (e) {
    wasmFailed(e, notice);
  }
  return (current ?? jsBackend).name;
}

/**
 * {@link initDefaultBackend} synchronously (Node; see loadWasmBackendSync): runs on the first
 * synchronous use of the kernels before {@link ready}.
 * @returns the backend now in use, or null where it cannot choose synchronously (browsers, Node
 * < 20.16: then initDefaultBackend does it).
 */
export function initDefaultBackendSync(env: Record<string, string | undefined> = processEnv(),
                                       notice: (line: string) => void = (line) => console.warn(line)): string | null {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os === null) return null;
  readEnvThreads();
  if (!wantsWasm(env, notice)) return jsBackend.name;
  const threads = threadsChosen ? numThreads : Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  try {
    enableRelaxedSimd(env); // before the module compiles: the fused build where the flag makes it validate
    const backend = loadWasmBackendSync();
    if (backend === null) return null;
    numThreads = threads;
    backend.setThreads(numThreads);
    wasm = current = backend;
  } catch (e) {
    wasmFailed(e, notice);
  }
  return (current ?? jsBackend).name;
}

/** process.env, or {} where there is no process. */
function processEnv(): Record<string, string | undefined> {
  return typeof process !== 'undefined' ? process.env ?? {} : {};
}

/**
 * The start-up choice before loading anything: false (with the js backend now current) for
 * NABLA_BACKEND=js or without WebAssembly SIMD (one notice line), true when wasm should load.
 */
function wantsWasm(env: Record<string, string | undefined>, notice: (line: string) => void): boolean {
  const wanted = env['NABLA_BACKEND'];
  if (wanted === 'js') { current = jsBackend; return false; }
  if (wanted !== undefined && wanted !== '' && wanted !== 'wasm')
    notice(`nabla: NABLA_BACKEND=${JSON.stringify(wanted)} is not a backend (valid: ${BACKEND_NAMES.join(', ')}); choosing the default`);
  if (!wasmSupported()) {
    current = jsBackend;
    notice("nabla: WebAssembly SIMD is not available in this runtime; using the slower 'js' backend (set NABLA_BACKEND=js to silence this)");
    return false;
  }
  return true;
}

/** Falls back to js after the wasm backend failed to load, with one notice line. */
function wasmFailed(e: unknown, notice: (line: string) => void): void {
  current = jsBackend;
  notice(`nabla: the WebAssembly backend failed to load (${e instanceof Error ? e.message : String(e)}); using the 'js' backend`);
}

/**
 * Sets the number of threads a multi-threaded backend may use, the calling one included (the js
 * backend uses one). Default: os.availableParallelism() in Node, or NABLA_THREADS; in a browser,
 * navigator.hardwareConcurrency inside a worker of a cross-origin isolated page (Web Workers on
 * shared memory), else 1 (a page's main thread may not Atomics.wait). Results never depend on it: work is split over
 * rows or columns, never over a reduction.
 * @throws RangeError unless n is a positive integer.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, got ${n}`);
  numThreads = n;
  threadsChosen = true;
  wasm?.setThreads(n);
}

/**
 * os.availableParallelism() in Node; navigator.hardwareConcurrency in a browser context that can
 * run the wasm backend's Web Workers (a worker of a cross-origin isolated page); 1 elsewhere.
 */
async function defaultThreadCount(): Promise<number> {
  if (typeof process === 'undefined' || typeof process.versions?.node !== 'string') {
    const hc = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    return threadsAvailable() && typeof hc === 'number' && hc >= 1 ? Math.floor(hc) : 1;
  }
  try {
    const os = await import('node:os');
    return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  } catch {
    return 1;
  }
}

/** What the current backend is and how it computes (see {@link getBackendInfo}). */
export interface BackendInfo {
  /** 'js' or 'wasm'. */
  name: string;
  /** Threads the backend's kernels may use, the calling one included (1 for 'js'). */
  threads: number;
  /**
   * Threads running now, the calling one included: 1 plus the workers started and ready (they
   * start on the first kernel big enough to share, or at `await setBackend('wasm')`); 1 where the
   * runtime has no threads for the backend (a page's main thread).
   */
  threadsRunning: number;
  /**
   * True when gemm fuses each multiply-add: the relaxed-SIMD build, the default wherever relaxed
   * SIMD validates (on Node 20 the backend sets its flag itself); NABLA_FMA=0 turns it off.
   * float32 results are reproducible per (seed, backend, fma), not across FMA modes.
   */
  fma: boolean;
  /**
   * The thread pool's start-up calibration (wasm with 2+ threads, once a worker has taken part;
   * else null): the calling thread's GFLOP/s on W1's forward gemm (64x784 by 784x128) and the
   * microseconds a shared job costs beyond the divided work. It is the prior of the per-shape
   * choice between one thread and a split (src/kernels/wasm/split-planner.ts), which then
   * follows measured costs; results are the same bits whatever it chooses.
   */
  threadCalibration: ThreadCalibration | null;
  /** Kernel shapes the pool has planned so far, and how many of them currently run shared. */
  threadPlans: { shapes: number; shared: number };
}

/**
 * The current backend's name, thread count and FMA mode (for logs and benchmark records),
 * choosing the default backend first as {@link getKernels}.
 */
export function getBackendInfo(): BackendInfo {
  const k = getKernels();
  if (k === wasm && wasm !== null)
    return { name: wasm.name, threads: wasm.numThreads, threadsRunning: 1 + Math.min(wasm.pool?.ready ?? 0, wasm.numThreads - 1), fma: wasm.fma,
      threadCalibration: wasm.pool?.planner.calibration ?? null, threadPlans: wasm.pool?.planner.summary() ?? { shapes: 0, shared: 0 } };
  return { name: k.name, threads: 1, threadsRunning: 1, fma: false, threadCalibration: null, threadPlans: { shapes: 0, shared: 0 } };
}

/** The thread count set by setNumThreads (or NABLA_THREADS). */
export function getNumThreads(): number {
  readEnvThreads();
  return numThreads;
}

/**
 * Reads NABLA_THREADS once, when the backend is first chosen (not at import): a positive integer
 * sets the thread count as {@link setNumThreads} would.
 */
function readEnvThreads(): void {
  if (threadsChosen) return;
  const envThreads = typeof process !== 'undefined' ? process.env?.NABLA_THREADS : undefined;
  if (envThreads !== undefined && /^\d+$/.test(envThreads) && Number(envThreads) >= 1) { numThreads = Number(envThreads); threadsChosen = true; }
}

/** The start-up choice once {@link ready} was called. */
let startup: Promise<string> | null = null;

/**
 * Loads the default backend ('wasm' where it loads; NABLA_BACKEND overrides) unless one is chosen
 * already, as TF.js's `tf.ready()`. Call it once before training in a browser; in Node it is
 * optional (the first synchronous use loads the same backend). Importing nabla loads nothing.
 * @returns the name of the backend in use.
 */
export function ready(): Promise<string> {
  if (current !== null && startup === null) return Promise.resolve(current.name);
  startup ??= initDefaultBackend();
  return startup;
}
