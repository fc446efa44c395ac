import type { Tensor } from '../tensor/tensor.js';

/**
 * A trainable (or frozen) parameter: its value and this batch's gradient, same shape, paired as
 * micrograd and ConvNetJS pair them. `name` is `<layer>/<weight>` ("dense_1/kernel"), unique in a
 * model, and keys optimiser slots and saved weights. `value` and `grad` are the layer's own
 * buffers, valid only until the layer is disposed (then the allocator may give their memory to
 * another model; on 'wasm' the kernels refuse them with DisposedError).
 */
export interface Param {
  name: string;
  value: Tensor;
  grad: Tensor;
  trainable: boolean;
}
