/** Shared helpers of the convolution, pooling and batch-normalisation tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng, Tensor, type DType, type Layer } from '../../src/index.js';

/** test/fixtures/conv.json, written by scripts/fixtures/conv_fixtures.py (PyTorch 1.13, float64). */
export interface ConvFixture {
  name: string; filters: number; kernelSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same'; useBias: boolean;
  xShape: number[]; yShape: number[]; x: number[]; kernel: number[]; bias: number[]; y: number[]; g: number[];
  dx: number[]; dKernel: number[]; dBias: number[] | null;
}
export interface PoolFixture {
  name: string; kind: 'max' | 'avg'; poolSize: [number, number]; strides: [number, number]; padding: 'valid' | 'same';
  xShape: number[]; yShape: number[]; x: number[]; y: number[]; g: number[]; dx: number[];
}
export interface BatchNormFixture {
  name: string; shape: number[]; x: number[]; gamma: number[]; beta: number[]; y: number[]; g: number[];
  dx: number[]; dGamma: number[]; dBeta: number[]; movingMean: number[]; movingVariance: number[];
  inference: { movingMean: number[]; movingVariance: number[]; y: number[] };
}
export interface Fixtures { torchVersion: string; epsilon: number; momentum: number; conv: ConvFixture[]; pool: PoolFixture[]; batchNorm: BatchNormFixture[] }

export const fixtures = JSON.parse(readFileSync(new URL('../fixtures/conv.json', import.meta.url), 'utf8')) as Fixtures;

/** The fixtures' tolerance per dtype: relative to max(1, |expected|). */
export const TOLERANCE: Record<DType, number> = { float64: 1e-10, float32: 1e-5 };

/** A tensor of `dtype` from a flat list. */
export function t(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float64'): Tensor {
  const data = dtype === 'float64' ? new Float64Array(values.length) : new Float32Array(values.length);
  data.set(Array.from(values));
  return new Tensor(data, shape);
}

/** Asserts |a_i - b_i| <= tol max(1, |b_i|) for every i. */
export function near(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `${what}[${i}]: ${a[i]} vs ${b[i]} (tolerance ${tol})`);
}

/** Continuous random data away from 0 (relu's kink): |v| in [0.1, 1], random sign; float64. */
export function data(rng: Rng, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.uniform())), shape);
}

/** n class labels in [0, k). */
export function labels(rng: Rng, n: number, k: number): Tensor {
  return new Tensor(Float64Array.from({ length: n }, () => rng.int(k)), [n]);
}

/** Builds a standalone layer for a batch-first input shape and copies `values` into its params, in order. */
export function buildWith(layer: Layer, inputShape: readonly number[], values: (ArrayLike<number> | null)[]): Layer {
  layer.build(inputShape);
  layer.params().forEach((p, i) => { const v = values[i]; if (v) p.value.data.set(Array.from(v)); });
  return layer;
}
