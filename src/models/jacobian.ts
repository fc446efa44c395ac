/**
 * The Jacobian of a model's output (issue 13; docs/design.md, "Round two"). With respect to the
 * parameters it is the matrix the CMU 10-707 notes build backpropagation on,
 *   J_theta = dh/dtheta,   J_theta[i K + j, p] = d h_j(x_i) / d theta_p,
 * for sample i, output unit j (of K, the per-sample output flattened) and trainable parameter p
 * (the trainable weights in getWeights() order, each flattened row-major; moving statistics and
 * frozen weights excluded). With respect to the input it is J_x[i, j, ...] = d h_j(x_i) / d x_i.
 *
 * Computed in inference mode by reverse mode through the model's own fused backward: each sample
 * is run forward alone, then each output unit j is seeded with a one-hot upstream gradient
 * dC/dh = e_j and the layers' backward passes run (the last layer applying its activation's
 * derivative, as BP1 does for a non-fused loss); the parameter gradients they write form row
 * (i, j). That is B forward and B K backward passes, right for the small networks the notes study.
 */
import type { Layer } from '../nn/layer.js';
import type { Param } from '../nn/param.js';
import { withInferenceTape } from '../nn/custom-layer.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor, allocArray, type DType } from '../tensor/tensor.js';
import { sliceRows } from '../train/fit.js';
import { backwardPass } from './backprop.js';

/** What model.jacobian differentiates: with respect to the parameters or the input. */
export type JacobianWrt = 'params' | 'input';

/**
 * The Jacobian of the layers' output at every sample of x (see the file's comment).
 * @param layers the model's layers, built for x's per-sample shape.
 * @param x [B, ...inputShape] in the layers' dtype.
 * @param params the model's trainable parameters in getWeights() order.
 * @returns wrt 'params': [B K, P]; wrt 'input': [B, K, ...inputShape] (on the JavaScript heap).
 * @throws Error for a wrt other than 'params' or 'input'.
 */
export function modelJacobian(layers: readonly Layer[], x: Tensor, wrt: JacobianWrt, params: readonly Param[], dtype: DType): Tensor {
  if (wrt !== 'params' && wrt !== 'input') throw new Error(`jacobian: wrt must be 'params' or 'input', got ${JSON.stringify(wrt)}`);
  const B = x.shape[0]!, inShape = x.shape.slice(1), inSize = sizeOf(inShape);
  const P = params.reduce((a, p) => a + p.value.size, 0);
  return withInferenceTape(() => {
    let K = -1, out: Float32Array | Float64Array | null = null;
    for (let i = 0; i < B; i++) {
      let a = sliceRows(x, i, i + 1);
      for (const layer of layers) a = layer.forward(a, false);
      if (K < 0) {
        K = a.size;
        out = allocArray(dtype, B * K * (wrt === 'params' ? P : inSize)) as Float32Array | Float64Array;
      }
      const outShape = a.shape;
      for (let j = 0; j < K; j++) {
        const seed = new Tensor(allocArray(dtype, K), outShape);
        seed.data[j] = 1;
        const dx = backwardPass(layers, seed, wrt === 'input');
        const row = i * K + j;
        if (wrt === 'input') out!.set(dx!.data, row * inSize);
        else {
          let off = row * P;
          for (const p of params) { out!.set(p.grad.data, off); off += p.value.size; }
        }
      }
    }
    const rows = B * Math.max(K, 0);
    if (K < 0) out = allocArray(dtype, 0) as Float32Array | Float64Array;
    return new Tensor(out!, wrt === 'params' ? [rows, P] : [B, Math.max(K, 0), ...inShape]);
  });
}
