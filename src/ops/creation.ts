/** Tensors of one value: `zeros ones fill scalar zerosLike onesLike` (TF.js's names), tracked. */
import { getKernels } from '../kernels/index.js';
import { assertValidShape } from '../tensor/shape.js';
import type { ArrayOf, DataType, Tensor, TensorData } from '../tensor/tensor.js';
import { makeTensor } from './engine.js';

/**
 * A tensor of `shape` filled with `value`, as TF.js's `tf.fill`.
 * @throws TypeError for a malformed shape.
 */
export function fill<D extends DataType = 'float32'>(shape: readonly number[], value: number, dtype?: D): Tensor<ArrayOf<D>> {
  assertValidShape(shape, 'fill');
  const out = makeTensor((dtype ?? 'float32') as D, shape);
  if (value !== 0) getKernels().fillValue(out.data, value);
  return out;
}

/** Zeros of `shape` (float32 by default), as TF.js's `tf.zeros`. */
export function zeros<D extends DataType = 'float32'>(shape: readonly number[], dtype?: D): Tensor<ArrayOf<D>> {
  return fill(shape, 0, dtype);
}

/** Ones of `shape` (float32 by default), as TF.js's `tf.ones`. */
export function ones<D extends DataType = 'float32'>(shape: readonly number[], dtype?: D): Tensor<ArrayOf<D>> {
  return fill(shape, 1, dtype);
}

/** A rank-0 tensor holding `value`, as TF.js's `tf.scalar`. */
export function scalar<D extends DataType = 'float32'>(value: number, dtype?: D): Tensor<ArrayOf<D>> {
  return fill([], value, dtype);
}

/** Zeros with x's shape and dtype, as TF.js's `tf.zerosLike`. */
export function zerosLike<A extends TensorData>(x: Tensor<A>): Tensor<A> {
  return fill(x.shape, 0, x.dtype) as unknown as Tensor<A>;
}

/** Ones with x's shape and dtype, as TF.js's `tf.onesLike`. */
export function onesLike<A extends TensorData>(x: Tensor<A>): Tensor<A> {
  return fill(x.shape, 1, x.dtype) as unknown as Tensor<A>;
}
