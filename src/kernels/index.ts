/**
 * Backend selection. `getKernels()` is what layers, losses and optimisers call; `setBackend` is
 * asynchronous because compiling WebAssembly and starting workers are (DESIGN.md).
 * NABLA_BACKEND chooses the backend at start-up where the environment has it.
 */
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

export * from './backend.js';
export { jsBackend } from './js/index.js';

export type BackendName = 'js' | 'wasm';
const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm'];

let current: Backend = jsBackend;
let numThreads = 1;

/** The kernels of the current backend. */
export function getKernels(): Backend {
  return current;
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

/** The current backend's name ('js' or 'wasm'). */
export function getBackend(): string {
  return current.name;
}

/**
 * Selects the backend for everything created afterwards.
 * @throws Error listing the valid names for an unknown name; for 'wasm' until the WebAssembly
 * backend ships (the 'js' backend stays in use, nothing is lost).
 */
export async function setBackend(name: BackendName): Promise<void> {
  if (!BACKEND_NAMES.includes(name)) throw new Error(`setBackend: unknown backend '${String(name)}'; valid names: ${BACKEND_NAMES.join(', ')}`);
  if (name === 'js') { current = jsBackend; return; }
  throw new Error("setBackend: the 'wasm' backend is not available in this build yet; the 'js' backend stays in use");
}

/**
 * Sets the number of worker threads a multi-threaded backend may use (the js backend uses one).
 * @throws RangeError unless n is a positive integer.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`setNumThreads: n must be a positive integer, got ${n}`);
  numThreads = n;
}

/** The thread count set by setNumThreads (or NABLA_THREADS). */
export function getNumThreads(): number {
  return numThreads;
}

const envThreads = typeof process !== 'undefined' ? process.env?.NABLA_THREADS : undefined;
if (envThreads !== undefined && /^\d+$/.test(envThreads) && Number(envThreads) >= 1) numThreads = Number(envThreads);
