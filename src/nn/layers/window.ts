/**
 * Sliding-window geometry shared by Conv2D and the pooling layers (docs/design.md, "Conv2D and
 * pooling"): option parsing for sizes and strides, and output size and padding per axis:
 *   'valid': out = floor((H - k) / s) + 1, no padding;
 *   'same':  out = floor((H + pad - k) / s) + 1 with pad = max((ceil(H / s) - 1) s + k - H, 0),
 *            padTop = floor(pad / 2), the extra cell at the bottom/right (TensorFlow).
 * Only an output size <= 0 is an error.
 */
import type { Window2D } from '../../kernels/backend.js';
import { formatShape } from '../../tensor/shape.js';
import { positiveInt } from '../options.js';

/** Convolution and pooling padding: 'valid' (none) or 'same' (output size ceil(input / stride), Keras). */
export type Padding = 'valid' | 'same';

/** A size given as `n` or `[h, w]`, as Keras accepts it. @throws RangeError naming the option. */
export function pair(where: string, option: string, v: unknown): [number, number] {
  if (typeof v === 'number') { const n = positiveInt(where, option, v); return [n, n]; }
  if (Array.isArray(v) && v.length === 2) return [positiveInt(where, `${option}[0]`, v[0]), positiveInt(where, `${option}[1]`, v[1])];
  throw new RangeError(`${where}: ${option} must be a positive integer or [height, width], got ${JSON.stringify(v)}`);
}

/** @throws Error unless v is 'valid' or 'same'. */
export function padding(where: string, v: unknown): Padding {
  if (v === 'valid' || v === 'same') return v;
  throw new Error(`${where}: padding must be 'valid' or 'same', got ${JSON.stringify(v)}`);
}

/** Output size and leading padding along one axis of extent `size`. */
export function axis(size: number, k: number, s: number, pad: Padding): { out: number; padBefore: number; padTotal: number } {
  const padTotal = pad === 'same' ? Math.max((Math.ceil(size / s) - 1) * s + k - size, 0) : 0;
  return { out: Math.floor((size + padTotal - k) / s) + 1, padBefore: Math.floor(padTotal / 2), padTotal };
}

/**
 * The window geometry for an NHWC input shape (batch first).
 * @param who the layer, as `describe()` names it ("Conv2D 'conv2d_1'").
 * @param what "kernel" or "pool", for the message.
 * @throws Error naming the layer, the input shape, the window and the padding when the input is not
 * rank 4 or an output size would be <= 0 (the window is larger than the padded input).
 */
export function windowGeometry(who: string, what: string, inputShape: readonly number[], kernel: readonly [number, number],
                               strides: readonly [number, number], pad: Padding): Window2D {
  if (inputShape.length !== 4)
    throw new Error(`${who}: expected input of rank 4 [batch, height, width, channels] (NHWC), got shape ${formatShape(inputShape)}`);
  const [batch, height, width, channels] = inputShape as [number, number, number, number];
  const h = axis(height, kernel[0], strides[0], pad), w = axis(width, kernel[1], strides[1], pad);
  if (h.out <= 0 || w.out <= 0)
    throw new Error(`${who}: ${what} ${kernel[0]}x${kernel[1]} is larger than the padded input ${height + h.padTotal}x${width + w.padTotal} ` +
      `(input shape ${formatShape([null, ...inputShape.slice(1)])}, padding '${pad}', strides ${strides[0]}x${strides[1]}): output size would be ${h.out}x${w.out}`);
  return { batch, height, width, channels, kernelH: kernel[0], kernelW: kernel[1], strideH: strides[0], strideW: strides[1],
    padTop: h.padBefore, padLeft: w.padBefore, outH: h.out, outW: w.out };
}
