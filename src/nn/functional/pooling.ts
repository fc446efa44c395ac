/**
 * 2-D pooling as functions (torch's F.max_pool2d / F.avg_pool2d; nabla's MaxPooling2D and
 * AveragePooling2D wrap them), Nielsen ch. 6 "pooling layers", per channel on NHWC images, with
 * the window geometry g of window.ts (TensorFlow's 'same' padding). Padded cells never count: max
 * pooling ignores them, average pooling leaves them out of the divisor (docs/design.md).
 *   max:  y[n, oh, ow, c] = max over the window of x[n, ., ., c]; backward routes dy to the first
 *         maximum in row-major order of the window (argmax, kept by forward);
 *   avg:  y = mean over the window's inside cells; backward spreads dy / count over them.
 * Shapes: x and dx [batch, H, W, C], y and dy [batch, outH, outW, C]. All arithmetic runs in the
 * kernels (maxPool*, avgPool*).
 */
import type { Backend, Window2D } from '../../kernels/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { scratchTensor, type Scratch } from './scratch.js';

/** The output tensor [batch, outH, outW, C] in scratch 'y'. */
function output(ws: Scratch, g: Window2D): Tensor {
  return scratchTensor(ws, 'y', [g.batch, g.outH, g.outW, g.channels]);
}

/**
 * Max pooling: y in scratch 'y'; `argmax` (the caller's, y's size) receives each output's input index.
 * @throws RangeError when argmax's length is not y's size.
 * @example maxPool2dForward(k, ws, x, g, new Int32Array(g.batch * g.outH * g.outW * g.channels))
 */
export function maxPool2dForward(k: Backend, ws: Scratch, x: Tensor, g: Window2D, argmax: Int32Array): Tensor {
  const y = output(ws, g);
  if (argmax.length !== y.size) throw new RangeError(`maxPool2dForward: argmax has ${argmax.length} entries, the output ${y.size}`);
  k.maxPoolForward(x.data, g, y.data, argmax);
  return y;
}

/** dx [x's shape `inShape`] in scratch 'dx': dy routed through forward's argmax. */
export function maxPool2dBackward(k: Backend, ws: Scratch, dy: Tensor, argmax: Int32Array, inShape: readonly number[]): Tensor {
  const dx = scratchTensor(ws, 'dx', inShape);
  k.maxPoolBackward(dy.data, argmax, dx.data, dx.size);
  return dx;
}

/** Average pooling: y in scratch 'y'. */
export function avgPool2dForward(k: Backend, ws: Scratch, x: Tensor, g: Window2D): Tensor {
  const y = output(ws, g);
  k.avgPoolForward(x.data, g, y.data);
  return y;
}

/** dx [x's shape `inShape`] in scratch 'dx': dy / count spread over each window's inside cells. */
export function avgPool2dBackward(k: Backend, ws: Scratch, dy: Tensor, g: Window2D, inShape: readonly number[]): Tensor {
  const dx = scratchTensor(ws, 'dx', inShape);
  k.avgPoolBackward(dy.data, g, dx.data);
  return dx;
}
