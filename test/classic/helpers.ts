/** Shared helpers of the classic-model tests: the NumPy fixture and comparisons. */
import { readFileSync } from 'node:fs';
import { Tensor } from '../../src/tensor/tensor.js';

/** One ordinary-least-squares result from `numpy.linalg.lstsq` (scripts/fixtures/classic_lstsq.py). */
export interface LstsqCase { coefficients: number[]; intercept: number; rss: number; rank: number }

/** test/fixtures/classic.json. */
export interface ClassicFixture {
  numpy_version: string;
  diabetes: LstsqCase;
  diabetes_ridge: { l2: number; coefficients: number[]; intercept: number };
  pokemon_poly3: LstsqCase & { degree: number };
  pokemon_poly2_cp_hp: LstsqCase & { degree: number };
  pokemon_raw_quadratic: LstsqCase;
  pokemon_demo10_line: LstsqCase;
}

export const fixture = JSON.parse(readFileSync(new URL('../fixtures/classic.json', import.meta.url), 'utf8')) as ClassicFixture;

/** max_i |a_i - b_i| / |b_i|: the worst element-wise relative error against the reference b. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!));
  return worst;
}

/** A float64 tensor from nested rows. */
export function rows(values: number[][]): Tensor {
  return new Tensor(Float64Array.from(values.flat()), [values.length, values[0]!.length]);
}

/** A float64 vector. */
export function vec(values: ArrayLike<number>): Tensor {
  return new Tensor(Float64Array.from(values), [values.length]);
}

/** Column j of a [n, f] tensor. */
export function column(x: Tensor, j: number): number[] {
  const f = x.shape[1]!;
  return Array.from({ length: x.shape[0]! }, (_, i) => x.data[i * f + j]!);
}

/** x with its columns `cols` (in that order). */
export function selectColumns(x: Tensor, cols: number[]): Tensor {
  const n = x.shape[0]!, f = x.shape[1]!, out = new Float64Array(n * cols.length);
  for (let i = 0; i < n; i++) cols.forEach((c, k) => { out[i * cols.length + k] = x.data[i * f + c]!; });
  return new Tensor(out, [n, cols.length]);
}
