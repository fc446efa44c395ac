import type { Tensor } from '../tensor/tensor.js';

/**
 * A trainable (or frozen) parameter: its value and this batch's gradient, same shape, paired as
 * micrograd and ConvNetJS pair them. `name` is `<layer>/<weight>` ("dense_1/kernel"), unique in a
 * model, and keys optimiser slots and saved weights.
 */
export interface Param {
  name: string;
  value: Tensor;
  grad: Tensor;
  trainable: boolean;
}
