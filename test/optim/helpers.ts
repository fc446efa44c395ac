/** Small helpers shared by the optimiser tests. */
import type { Param } from '../../src/nn/param.js';
import { Tensor } from '../../src/tensor/tensor.js';
import type { DType } from '../../src/tensor/tensor.js';

/** A parameter with the given values (flat), shape and dtype, and a zero gradient. */
export function makeParam(name: string, values: readonly number[], shape: readonly number[], dtype: DType = 'float64'): Param {
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  const grad = dtype === 'float64' ? new Float64Array(values.length) : new Float32Array(values.length);
  return { name, value: new Tensor(data, shape), grad: new Tensor(grad, shape), trainable: true };
}

/** Sets a parameter's gradient from a flat list. */
export function setGrad(p: Param, values: readonly number[]): void {
  p.grad.data.set(values);
}

/** Flattens nested arrays of numbers (row-major). */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

/**
 * Asserts |actual_i - expected_i| <= rtol * max(|expected_i|, floor) for every i, with a message
 * naming the first offending index.
 */
export function assertClose(actual: ArrayLike<number>, expected: readonly number[], rtol: number, what: string, floor = 1e-3): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (!(Math.abs(a - e) <= rtol * Math.max(Math.abs(e), floor)))
      throw new Error(`${what}[${i}]: got ${a}, expected ${e} (relative error ${Math.abs(a - e) / Math.max(Math.abs(e), floor)}, tolerance ${rtol})`);
  }
}

/** max_i |a_i - e_i| / max(|e_i|, floor). */
export function maxRelativeError(actual: ArrayLike<number>, expected: readonly number[], floor = 1e-3): number {
  let m = 0;
  for (let i = 0; i < expected.length; i++) m = Math.max(m, Math.abs(actual[i]! - expected[i]!) / Math.max(Math.abs(expected[i]!), floor));
  return m;
}
