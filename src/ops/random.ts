/** Random tensors from nabla's seeded streams (src/tensor/rng.ts): `randomNormal randomUniform truncatedNormal`. */
import { getKernels } from '../kernels/index.js';
import { Rng } from '../tensor/rng.js';
import { assertValidShape } from '../tensor/shape.js';
import type { DType, Tensor } from '../tensor/tensor.js';
import { makeTensor } from './engine.js';

function draw(what: string, shape: readonly number[], dtype: DType, seed: number | undefined,
              kind: 'normal' | 'truncatedNormal' | 'uniform', a: number, b: number): Tensor {
  assertValidShape(shape, what);
  if (dtype !== 'float32' && dtype !== 'float64') throw new TypeError(`${what}: dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const out = makeTensor(dtype, shape);
  getKernels().fillRandom(out.data, new Rng(seed ?? Rng.randomSeed()), kind, a, b);
  return out;
}

/**
 * Samples of N(mean, stddev^2), as TF.js's `tf.randomNormal(shape, mean, stddev, dtype, seed)`;
 * the same seed gives the same tensor (`new Rng(seed)`; a fresh random seed when none is given).
 * The weight initialiser of the same name is `initializers.randomNormal({ mean, stddev })`.
 */
export function randomNormal(shape: readonly number[], mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return draw('randomNormal', shape, dtype, seed, 'normal', mean, stddev);
}

/** N(mean, stddev^2) resampled outside two standard deviations, as TF.js's `tf.truncatedNormal`. */
export function truncatedNormal(shape: readonly number[], mean = 0, stddev = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return draw('truncatedNormal', shape, dtype, seed, 'truncatedNormal', mean, stddev);
}

/**
 * Samples of U[minval, maxval), as TF.js's `tf.randomUniform(shape, minval, maxval, dtype, seed)`.
 * The initialiser of the same name is `initializers.randomUniform({ minval, maxval })`.
 */
export function randomUniform(shape: readonly number[], minval = 0, maxval = 1, dtype: DType = 'float32', seed?: number): Tensor {
  return draw('randomUniform', shape, dtype, seed, 'uniform', minval, maxval);
}
