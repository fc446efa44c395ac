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
 * All arithmetic runs in the kernels (im2col, col2im, gemm, biasAdd, biasGrad, activations).
 */
import type { ActivationName, Backend, Window2D } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { FloatArray, Tensor } from '../../tensor/tensor.js';
import { outputActivationBackward, outputActivationForward } from './activation.js';
import type { WeightGrad } from './linear.js';
import { scratchTensor, type Scratch } from './scratch.js';

/**
 * The im2col matrix is built for at most this many numbers at a time (16 MB in float32): a large
 * batch (evaluate, predict) is processed in chunks of samples, so memory stays bounded. When a
 * batch fits in one chunk (a LeNet on MNIST does up to batch ~160), forward's col is reused by
 * backward; otherwise backward rebuilds each chunk's col.
 */
export const COL_LIMIT = 1 << 22;

/**
 * What backward needs from forward: x [m, H, W, cin], z and a [m, outH, outW, filters], the
 * geometry, and forward's im2col matrix when the whole batch fitted in one chunk (else null).
 */
export interface Conv2DCache { x: Tensor; z: Tensor; a: Tensor; geometry: Window2D; col: FloatArray | null }

/** Samples per im2col chunk (see COL_LIMIT). */
function chunkSize(g: Window2D): number {
  return Math.max(1, Math.floor(COL_LIMIT / (g.outH * g.outW * g.kernelH * g.kernelW * g.channels)));
}

/** The geometry and the x / rows ranges of samples [start, end). */
function chunk(g: Window2D, start: number, end: number) {
  const inPer = g.height * g.width * g.channels, rowsPer = g.outH * g.outW;
  return { g: { ...g, batch: end - start }, x0: start * inPer, x1: end * inPer, r0: start * rowsPer, r1: end * rowsPer };
}

/** The scratch 'col' buffer: one chunk's im2col matrix. */
function colBuffer(ws: Scratch, g: Window2D): FloatArray {
  return ws.buffer('col', Math.min(g.batch, chunkSize(g)) * g.outH * g.outW * g.kernelH * g.kernelW * g.channels);
}

/**
 * a = sigma(im2col(x) W + b): x [m, H, W, cin] with geometry g (windowGeometry), kernel
 * [kh, kw, cin, filters], bias [filters] or null -> a [m, outH, outW, filters]. Writes scratch
 * 'col', 'z' (and 'a' unless linear). Shapes are the caller's to check.
 * @example conv2dForward(getKernels(), ws, x, kernel, bias, windowGeometry(...), 'relu').a
 */
export function conv2dForward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, bias: Tensor | null, g: Window2D, activation: ActivationName): Conv2DCache {
  const m = g.batch, F = kernel.shape[3]!, K = g.kernelH * g.kernelW * g.channels, rows = m * g.outH * g.outW;
  const z = scratchTensor(ws, 'z', [m, g.outH, g.outW, F]);
  const per = chunkSize(g), col = colBuffer(ws, g);
  for (let s = 0; s < m; s += per) {
    const c = chunk(g, s, Math.min(m, s + per));
    k.im2col(x.data.subarray(c.x0, c.x1), c.g, col);
    k.gemm(false, false, c.r1 - c.r0, F, K, 1, col, kernel.data, 0, z.data.subarray(c.r0 * F, c.r1 * F));
  }
  if (bias) k.biasAdd(z.data, bias.data, rows, F);
  return { x, z, a: outputActivationForward(k, ws, activation, z), geometry: g, col: per >= m ? col : null };
}

/**
 * BP1/BP2 (Delta, scratch 'delta'), BP4 (dW = col^T Delta into kernel.grad), BP3 (db into
 * bias.grad); returns dx = col2im(Delta W^T) [m, H, W, cin] in scratch 'dx' (via 'dcol'), or null
 * without `needsInputGradient`. Rebuilds col in scratch 'col' when forward's is not in the cache.
 * @throws Error naming `who` when dy is not z's shape.
 */
export function conv2dBackward(k: Backend, ws: Scratch, dy: Tensor, cache: Conv2DCache, kernel: WeightGrad, bias: WeightGrad | null,
                               activation: ActivationName, needsInputGradient: boolean, dyIsPreActivation = false, who = 'conv2dBackward'): Tensor | null {
  const { x, z, a, geometry: g } = cache;
  const m = g.batch, F = kernel.value.shape[3]!, K = g.kernelH * g.kernelW * g.channels, rows = m * g.outH * g.outW;
  if (dy.size !== z.size) throw new Error(`${who}: expected gradient shape ${formatShape(z.shape)}, got ${formatShape(dy.shape)}`);
  const delta = outputActivationBackward(k, ws, activation, z, a, dy, dyIsPreActivation);
  const per = chunkSize(g), col = cache.col ?? colBuffer(ws, g);
  const dcol = needsInputGradient ? ws.buffer('dcol', col.length) : null;
  const dx = needsInputGradient ? scratchTensor(ws, 'dx', x.shape) : null;
  for (let s = 0; s < m; s += per) {
    const c = chunk(g, s, Math.min(m, s + per)), n = c.r1 - c.r0, d = delta.data.subarray(c.r0 * F, c.r1 * F);
    if (!cache.col) k.im2col(x.data.subarray(c.x0, c.x1), c.g, col);
    k.gemm(true, false, K, F, n, 1, col, d, s === 0 ? 0 : 1, kernel.grad.data);
    if (dcol && dx) {
      k.gemm(false, true, n, K, F, 1, d, kernel.value.data, 0, dcol);
      k.col2im(dcol, c.g, dx.data.subarray(c.x0, c.x1));
    }
  }
  if (bias) k.biasGrad(delta.data, bias.grad.data, rows, F);
  return dx;
}
