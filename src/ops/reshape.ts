/** `reshape`: a view with another shape (one dimension may be -1), and the view helpers the other ops share. */
import { Tensor, inferShape, viewOf, type TensorData } from '../tensor/tensor.js';
import { record, type AnyTensor } from './engine.js';

/**
 * The same numbers with another shape: a view sharing `x`'s buffer (docs/design.md). One
 * dimension may be -1 and is inferred. Gradient: dy reshaped back. As TF.js's `tf.reshape`.
 * @throws RangeError when the sizes differ or the -1 cannot be inferred.
 */
export function reshape<A extends TensorData>(x: Tensor<A>, shape: readonly number[]): Tensor<A> {
  const out = viewOf(x, inferShape(shape, x.size, 'reshape'));
  record('reshape', out as AnyTensor, [x as AnyTensor], (dy) => [reshape(dy, x.shape)]);
  return out;
}
