/**
 * Loading the 'wasm' backend: feature probe, compile, instantiate on one shared memory.
 * The module's bytes are embedded (binary.generated.ts, written by `npm run build`), so this works
 * the same from src/ under tsx, from dist/, and in a browser bundle.
 *
 * Two builds are embedded: plain SIMD, and relaxed SIMD whose gemm micro-kernels use the fused
 * multiply-add (f32x4.relaxed_madd). The relaxed one is chosen where the runtime validates it
 * (Node 22+ and current browsers by default; Node 20 with --experimental-wasm-relaxed-simd, which
 * the backend's initialisation sets itself: see ../relaxed-simd.ts), unless NABLA_FMA=0. Fused and unfused gemms round differently, so float32 results are
 * reproducible per (backend, FMA on or off), never across the two.
 */
import { WasmBackend } from './backend.js';
import { WASM_BASE64, WASM_RELAXED_BASE64 } from './binary.generated.js';
import type { WasmExports } from './exports.generated.js';
import { WasmHeap } from './heap.js';
import { ThreadPool } from './threads.js';
import { nodeBuiltin } from '../node-builtins.js';
import { fmaDisabled } from '../relaxed-simd.js';

export { WasmBackend } from './backend.js';
export { WasmHeap } from './heap.js';

/** True where the wasm backend can run worker threads (Node; a worker of a cross-origin isolated page). */
export function threadsAvailable(): boolean {
  return ThreadPool.available();
}

/** The smallest module using a v128 instruction (i8x16.splat, i8x16.popcnt), as wasm-feature-detect probes SIMD. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** True when this runtime has WebAssembly with 128-bit SIMD and shared memory. */
export function defaultFeatureProbe(): boolean {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(SIMD_PROBE)) return false;
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

let probe: () => boolean = defaultFeatureProbe;

/**
 * Replaces the feature probe (tests inject a failing one to see the js fallback); returns the
 * previous probe so it can be restored.
 */
export function setWasmFeatureProbe(p: () => boolean): () => boolean {
  const old = probe;
  probe = p;
  return old;
}

/** Runs the current feature probe. */
export function wasmSupported(): boolean {
  return probe();
}

function decodeBase64(b64: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return B.from(b64, 'base64');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Initial pages (16 MiB); the maximum is the largest the runtime grants of 4 GiB, 2 GiB, 1 GiB, 256 MiB. */
const INITIAL_PAGES = 256;
const MAXIMUM_PAGES = [65536, 32768, 16384, 4096];

function createMemory(): WebAssembly.Memory {
  let last: unknown;
  for (const maximum of MAXIMUM_PAGES) {
    try { return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true }); } catch (e) { last = e; }
  }
  throw last;
}

let relaxedBytes: Uint8Array | null = null;

/** The relaxed-SIMD build's bytes (decoded once: they are validated and then compiled). */
function relaxedModuleBytes(): Uint8Array {
  relaxedBytes ??= decodeBase64(WASM_RELAXED_BASE64);
  return relaxedBytes;
}

/** True when this runtime validates the relaxed-SIMD build (its fused multiply-add is usable). */
export function relaxedSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(relaxedModuleBytes() as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}

/**
 * Whether the backend will use the fused multiply-add: the relaxed build validates here and
 * NABLA_FMA is not '0', 'off' or 'false' (in `env`, process.env by default).
 */
export function fmaWanted(env: Record<string, string | undefined> = typeof process !== 'undefined' ? process.env ?? {} : {}): boolean {
  return !fmaDisabled(env) && relaxedSimdSupported();
}

let compiled: { fma: boolean; module: Promise<WebAssembly.Module> } | null = null;
let loaded: Promise<WasmBackend> | null = null;
/** The backend once loaded (by either loader). */
let ready: WasmBackend | null = null;

/** The bytes of the build to compile: relaxed SIMD when `fma`, else plain SIMD. */
function moduleBytes(fma: boolean): Uint8Array<ArrayBuffer> {
  return (fma ? relaxedModuleBytes() : decodeBase64(WASM_BASE64)) as Uint8Array<ArrayBuffer>;
}

/** The compiled module (compiled once; workers instantiate the same module) and whether it fuses. */
export function wasmModule(): { fma: boolean; module: Promise<WebAssembly.Module> } {
  if (!compiled) {
    const fma = fmaWanted();
    compiled = { fma, module: WebAssembly.compile(moduleBytes(fma)) };
  }
  return compiled;
}

/**
 * The wasm backend, created once per process (every later call returns the same backend, so its
 * buffers stay valid across backend switches).
 * @throws Error when the feature probe fails (no WebAssembly SIMD or shared memory here).
 */
export async function loadWasmBackend(): Promise<WasmBackend> {
  if (!wasmSupported()) throw new Error("WebAssembly SIMD (or shared memory) is not available in this runtime");
  loaded ??= (async () => {
    const { fma, module: pending } = wasmModule();
    const module = await pending;
    const memory = createMemory();
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const exports = instance.exports as unknown as WasmExports;
    const backend = new WasmBackend(exports, new WasmHeap(memory, exports.heapBase()), fma);
    backend.pool = await ThreadPool.create(module, exports, backend.heap, backend.work);
    return ready = backend;
  })();
  try {
    return await loaded;
  } catch (e) {
    loaded = null;
    compiled = null;
    throw e;
  }
}

/**
 * {@link loadWasmBackend} synchronously, in Node: compiles and instantiates on the calling thread
 * (which Node allows; a browser page refuses modules this size) and takes worker_threads from
 * process.getBuiltinModule. The kernels load the default backend this way, so the package has no
 * top-level await and `require('nabla')` works.
 * @returns the backend (the same one loadWasmBackend returns), or null where this cannot be done
 * synchronously: no process.getBuiltinModule (browsers, Node < 20.16), or an asynchronous load
 * is under way.
 * @throws Error when the feature probe fails, or compiling or instantiating fails.
 */
export function loadWasmBackendSync(): WasmBackend | null {
  if (!wasmSupported()) throw new Error("WebAssembly SIMD (or shared memory) is not available in this runtime");
  if (ready !== null) return ready;
  const wt = nodeBuiltin<{ Worker: unknown }>('node:worker_threads');
  if (loaded !== null || wt === null) return null;
  try {
    const fma = fmaWanted();
    const module = new WebAssembly.Module(moduleBytes(fma));
    compiled = { fma, module: Promise.resolve(module) };
    const memory = createMemory();
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmExports;
    const backend = new WasmBackend(exports, new WasmHeap(memory, exports.heapBase()), fma);
    try { backend.pool = ThreadPool.forNode(wt.Worker, module, exports, backend.heap, backend.work); } catch { backend.pool = null; }
    loaded = Promise.resolve(backend);
    return ready = backend;
  } catch (e) {
    compiled = null;
    throw e;
  }
}
