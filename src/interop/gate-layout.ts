/**
 * Recurrent weights between Keras's layout (nabla's: kernel [in, G u] with gate blocks side by
 * side along the columns) and the row-major [G u, in] of ONNX's W / R and PyTorch's weight_ih /
 * weight_hh, whose gate blocks may come in another order.
 */

/**
 * [in, G u] -> [G u, in], block b of the result taken from Keras's block `order[b]`.
 * @param order for each output gate block, the Keras block it comes from (length G).
 */
export function gateRowsFromKeras(src: ArrayLike<number>, inDim: number, u: number, order: readonly number[]): Float32Array {
  const Gu = order.length * u, out = new Float32Array(Gu * inDim);
  order.forEach((kb, b) => {
    for (let j = 0; j < u; j++) for (let f = 0; f < inDim; f++) out[(b * u + j) * inDim + f] = src[f * Gu + kb * u + j]!;
  });
  return out;
}

/** The inverse of {@link gateRowsFromKeras}: [G u, in] (blocks in `order`) -> Keras's [in, G u], into `out`. */
export function gateRowsToKeras(src: ArrayLike<number>, inDim: number, u: number, order: readonly number[], out: Float32Array | Float64Array): void {
  const Gu = order.length * u;
  order.forEach((kb, b) => {
    for (let j = 0; j < u; j++) for (let f = 0; f < inDim; f++) out[f * Gu + kb * u + j] = src[(b * u + j) * inDim + f]!;
  });
}

/** A bias vector's gate blocks reordered: block b of the result is block `order[b]` of `src` (read from `offset`). */
export function gateBlocks(src: ArrayLike<number>, u: number, order: readonly number[], offset = 0): Float32Array {
  const out = new Float32Array(order.length * u);
  order.forEach((kb, b) => { for (let j = 0; j < u; j++) out[b * u + j] = src[offset + kb * u + j]!; });
  return out;
}
