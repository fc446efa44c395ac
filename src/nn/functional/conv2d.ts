/**
 * The 2-D convolution as functions (torch's F.conv2d; nabla's Conv2D wraps them), Nielsen ch. 6
 * ("local receptive fields, shared weights") on NHWC images as Keras defines it (a
 * cross-correlation, no kernel flip):
 *   z[n, oh, ow, f] = b[f] + sum_{i, j, c} x[n, oh sH - padTop + i, ow sW - padLeft + j, c] W[i, j, c, f],  a = sigma(z),
 * with x read as 0 in the padding.
 *
 * Lowered to matrices with im2col (Chellapilla et al. 2006): col = im2col(x) is
 * [N outH outW, kh kw cin], W viewed as [kh kw cin, filters], and then exactly linear's BP1-BP4:
 *   Z = col W + b      dW = col^T Delta  (BP4)      db = column sums of Delta  (BP3)
 *   dcol = Delta W^T,  dx = col2im(dcol)  (BP2's W^T delta, each input cell summing over the windows that saw it)
 * All arithmetic runs in the kernels (convForward, convKernelGrad, convInputGrad: the three products
 * with the im2col matrix, built a block at a time; biasAdd, biasGrad, activations).
 */
import type { ActivationName, Backend, Window2D } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { outputActivationBackward, outputActivationForward } from './activation.js';
import type { WeightGrad } from './linear.js';
import { scratchTensor, type Scratch } from './scratch.js';

/**
 * The im2col matrix is built for at most this many numbers at a time (16 MB in float32) by the js
 * reference kernels (a large batch runs in chunks of samples; the wasm backend builds a few hundred
 * rows at a time). The value lives with the kernels (src/kernels/js/conv.ts); re-exported here.
 */
export { COL_LIMIT } from '../../kernels/js/conv.js';

/**
 * What backward needs from forward: x [m, H, W, cin], z and a [m, outH, outW, filters] and the
 * geometry.
 */
export interface Conv2DCache { x: Tensor; z: Tensor; a: Tensor; geometry: Window2D }

/**
 * a = sigma(im2col(x) W + b): x [m, H, W, cin] with geometry g (windowGeometry), kernel
 * [kh, kw, cin, filters], bias [filters] or null -> a [m, outH, outW, filters]. Writes scratch
 * 'col', 'z' (and 'a' unless linear). Shapes are the caller's to check.
 * @example conv2dForward(getKernels(), ws, x, kernel, bias, windowGeometry(...), 'relu').a
 */
export function conv2dForward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, bias: Tensor | null, g: Window2D, activation: ActivationName): Conv2DCache {
  const m = g.batch, F = kernel.shape[3]!, rows = m * g.outH * g.outW;
  const z = scratchTensor(ws, 'z', [m, g.outH, g.outW, F]);
  k.convForward(x.data, g, kernel.data, F, z.data);
  if (bias) k.biasAdd(z.data, bias.data, rows, F);
  return { x, z, a: outputActivationForward(k, ws, activation, z), geometry: g };
}

/**
 * BP1/BP2 (Delta, scratch 'delta'), BP4 (dW = col^T Delta into kernel.grad), BP3 (db into
 * bias.grad); returns dx = col2im(Delta W^T) [m, H, W, cin] in scratch 'dx', or null without
 * `needsInputGradient`.
 * @throws Error naming `who` when dy is not z's shape.
 */
export function conv2dBackward(k: Backend, ws: Scratch, dy: Tensor, cache: Conv2DCache, kernel: WeightGrad, bias: WeightGrad | null,
                               activation: ActivationName, needsInputGradient: boolean, dyIsPreActivation = false, who = 'conv2dBackward'): Tensor | null {
  const { x, z, a, geometry: g } = cache;
  const F = kernel.value.shape[3]!, rows = g.batch * g.outH * g.outW;
  if (dy.size !== z.size) throw new Error(`${who}: expected gradient shape ${formatShape(z.shape)}, got ${formatShape(dy.shape)}`);
  const delta = outputActivationBackward(k, ws, activation, z, a, dy, dyIsPreActivation);
  k.convKernelGrad(x.data, g, delta.data, F, kernel.grad.data);
  const dx = needsInputGradient ? scratchTensor(ws, 'dx', x.shape) : null;
  if (dx) k.convInputGrad(delta.data, kernel.value.data, g, F, dx.data);
  if (bias) k.biasGrad(delta.data, bias.grad.data, rows, F);
  return dx;
}
