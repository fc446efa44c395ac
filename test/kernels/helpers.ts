// Shared by the wasm kernel suites: the loaded wasm backend, random data, and the comparisons
// (exact bits, or a stated tolerance per element) the suites assert.
import assert from 'node:assert/strict';
import { Rng, getNumThreads, setBackend, setNumThreads } from '../../src/index.js';
import { loadWasmBackend } from '../../src/kernels/wasm/index.js';
import type { Split } from '../../src/kernels/wasm/split-planner.js';

export const w = await loadWasmBackend();
/** The sizes every dimension takes in the kernel tests. */
export const SIZES = [1, 3, 5, 17, 63, 65, 127, 129];
export const ULP = 2 ** -23;

export function randF32(rng: Rng, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}
/** A copy of `a` in wasm memory (inside) or on the JavaScript heap. */
export function place(a: Float32Array, inside: boolean): Float32Array {
  if (!inside) return a.slice();
  const b = w.alloc('float32', a.length) as Float32Array;
  b.set(a);
  return b;
}
export function exact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++)
    if (!Object.is(got[i], want[i]) && !(got[i] === 0 && want[i] === 0)) assert.fail(`${what}[${i}]: wasm ${got[i]} vs js ${want[i]} (expected exact equality)`);
}
export function close(got: ArrayLike<number>, want: ArrayLike<number>, tol: (i: number) => number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!, r = want[i]!;
    if (Number.isNaN(r) && Number.isNaN(g)) continue;
    if (g === r) continue;
    const t = tol(i);
    if (!(Math.abs(g - r) <= t)) assert.fail(`${what}[${i}]: wasm ${g} vs js ${r}, |diff| ${Math.abs(g - r)} > ${t}`);
  }
}
export const pick = (rng: Rng) => SIZES[rng.int(SIZES.length)]!;

/** What a test sets on the pool for its 2-thread run: a forced split, lowered sharing thresholds. */
export interface SharedJobSettings { force?: Split; windowParallelSize?: number; updateParallelSize?: number }

/**
 * `run` on the wasm backend with 1 thread, then with 2 threads once a worker runs and with the
 * pool's `settings` (restored afterwards, with the thread count, whatever happens). Returns both
 * results and how many jobs were shared, and chunks run by the worker, during the second run.
 */
export async function oneThenTwoThreads<T>(settings: SharedJobSettings, run: () => T | Promise<T>): Promise<{ one: T; two: T; jobs: number; workerChunks: number }> {
  const before = getNumThreads();
  try {
    setNumThreads(1);
    await setBackend('wasm');
    const one = await run();
    setNumThreads(2);
    await setBackend('wasm');
    const pool = w.pool!;
    // Workers start asynchronously: on a busy machine (the suite runs files in parallel) none may be running yet.
    assert.ok(await pool.waitReady(1, 30_000), 'a worker of the pool started');
    const saved = { windowParallelSize: pool.windowParallelSize, updateParallelSize: pool.updateParallelSize };
    const jobs = pool.jobs, workerChunks = pool.workerChunks;
    try {
      pool.planner.force = settings.force ?? null;
      if (settings.windowParallelSize !== undefined) pool.windowParallelSize = settings.windowParallelSize;
      if (settings.updateParallelSize !== undefined) pool.updateParallelSize = settings.updateParallelSize;
      const two = await run();
      return { one, two, jobs: pool.jobs - jobs, workerChunks: pool.workerChunks - workerChunks };
    } finally {
      pool.planner.force = null;
      Object.assign(pool, saved);
    }
  } finally {
    setNumThreads(before);
  }
}
