// Shared by the wasm kernel suites: the loaded wasm backend, random data, and the comparisons
// (exact bits, or a stated tolerance per element) the suites assert.
import assert from 'node:assert/strict';
import { Rng } from '../../src/index.js';
import { loadWasmBackend } from '../../src/kernels/wasm/index.js';

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
