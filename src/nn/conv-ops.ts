/**
 * `conv2d`, `maxPool` and `avgPool` as differentiable ops with TensorFlow.js's signatures, NHWC,
 * wrapping the functional layer's forward and backward functions (nn/functional: im2col + gemm,
 * and the pooling kernels) so they run on the same kernels as Conv2D and the pooling layers.
 * They live in nn/ (which may use ops) rather than ops/ because they wrap nn/functional.
 *
 * Their gradients run the fused backward functions, not ops, so a gradient of a gradient through
 * them is refused with a message (docs/design.md: "Second derivatives through such a node are
 * refused"). First derivatives nest fine inside other ops.
 */
import { getKernels } from '../kernels/index.js';
import { Workspace } from '../kernels/workspace.js';
import { asFloat, floatTypeOf, isRecording, makeTensor, record, requiresGrad, toTensor, type AnyTensor, type TensorLike } from '../ops/engine.js';
import { reshape } from '../ops/reshape.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import { conv2dBackward, conv2dForward } from './functional/conv2d.js';
import { avgPool2dBackward, avgPool2dForward, maxPool2dBackward, maxPool2dForward } from './functional/pooling.js';
import type { Scratch } from './functional/scratch.js';
import { pair, padding, windowGeometry, type Padding } from './layers/window.js';

/** A scratch writing the keys in `outputs` into those tensors and everything else into a temporary workspace. */
function opScratch(dtype: DType, outputs: Record<string, Tensor>): { ws: Scratch; dispose: () => void } {
  const w = new Workspace();
  return {
    ws: { buffer: (key, n) => { const o = outputs[key]; return o && o.size === n ? o.data : w.get(key, dtype, n); } },
    dispose: () => w.dispose(),
  };
}

/** @throws Error when a second derivative is asked through `op` (its gradient is not written with ops). */
function refuseSecondOrder(op: string, ...ts: AnyTensor[]): void {
  if (isRecording() && ts.some(requiresGrad))
    throw new Error(`${op}: a second derivative through ${op} is not supported: its gradient runs the fused kernels of nn/functional, not ops. ` +
      `For higher derivatives write it with ops (e.g. the convolution as matMul over patches, the pooling with reshape and max/mean)`);
}

/** x as rank 4 (a rank-3 image gains a batch of 1) in float dtype `dtype`, and whether it was rank 3. */
function batched(op: string, x: TensorLike, dtype: DType | null): { x4: Tensor; was3: boolean } {
  const t = toTensor(x, 'float32', op);
  const xf = asFloat(t, dtype ?? floatTypeOf(t));
  if (xf.rank !== 3 && xf.rank !== 4) throw new Error(`${op}: x must be [batch, height, width, channels] (NHWC) or [height, width, channels], got ${formatShape(xf.shape)}`);
  return { x4: xf.rank === 3 ? reshape(xf, [1, ...xf.shape]) : xf, was3: xf.rank === 3 };
}

/** @throws Error unless the option is TF.js's default ('NHWC', dilation 1): other layouts are not offered. */
function checkLayout(op: string, dataFormat: string, dilations: number | readonly [number, number]): void {
  if (dataFormat !== 'NHWC') throw new Error(`${op}: dataFormat must be 'NHWC' (nabla's layout), got ${JSON.stringify(dataFormat)}`);
  const d = pair(op, 'dilations', dilations);
  if (d[0] !== 1 || d[1] !== 1) throw new Error(`${op}: dilations other than 1 are not supported, got ${JSON.stringify(dilations)}`);
}

/**
 * 2-D convolution, as TF.js's `tf.conv2d(x, filter, strides, pad)`: x [batch, H, W, inC] (or
 * [H, W, inC]), filter [kh, kw, inC, outC] -> [batch, outH, outW, outC], a cross-correlation
 * (Keras; formula in nn/functional/conv2d.ts), padding 'valid' or 'same' (TensorFlow's).
 * Gradients for x and filter (conv2dBackward); second derivatives refused.
 * @throws Error on a filter that does not match x's channels, a window larger than the padded
 *   input, another dataFormat or dilation.
 */
export function conv2d(x: TensorLike, filter: AnyTensor, strides: number | readonly [number, number] = 1, pad: Padding = 'valid',
                       dataFormat: 'NHWC' = 'NHWC', dilations: number | readonly [number, number] = 1): Tensor {
  checkLayout('conv2d', dataFormat, dilations);
  const f0 = toTensor(filter, 'float32', 'conv2d');
  const dtype = floatTypeOf(toTensor(x, 'float32', 'conv2d'), f0);
  const { x4, was3 } = batched('conv2d', x, dtype);
  const f = asFloat(f0, dtype);
  if (f.rank !== 4 || f.shape[2] !== x4.shape[3]) throw new Error(`conv2d: filter must be [kh, kw, ${x4.shape[3]}, outChannels] for x ${formatShape(x4.shape)}, got ${formatShape(f.shape)}`);
  const g = windowGeometry('conv2d', 'filter', x4.shape, [f.shape[0]!, f.shape[1]!], pair('conv2d', 'strides', strides), padding('conv2d', pad));
  const k = getKernels();
  const out = makeTensor(dtype, [g.batch, g.outH, g.outW, f.shape[3]!]);
  const s = opScratch(dtype, { z: out });
  try { conv2dForward(k, s.ws, x4, f, null, g, 'linear'); } finally { s.dispose(); }
  record('conv2d', out, [x4, f], (dy, needs) => {
    refuseSecondOrder('conv2d', dy as AnyTensor, x4, f);
    const dx = needs[0] ? makeTensor(dtype, x4.shape) : null, dW = makeTensor(dtype, f.shape);
    const b = opScratch(dtype, dx ? { dx } : {});
    try {
      conv2dBackward(k, b.ws, asFloat(dy as AnyTensor, dtype), { x: x4, z: out, a: out, geometry: g }, { value: f, grad: dW }, null, 'linear', needs[0]!, false, 'conv2d');
    } finally { b.dispose(); }
    if (!needs[1]) { dW.dispose(); return [dx, null]; }
    return [dx, dW];
  });
  return was3 ? reshape(out, out.shape.slice(1)) : out;
}

/** The shared body of maxPool and avgPool: geometry, output, forward, and the recorded gradient. */
function pool(op: 'maxPool' | 'avgPool', x: TensorLike, filterSize: number | readonly [number, number], strides: number | readonly [number, number], pad: Padding): Tensor {
  const { x4, was3 } = batched(op, x, null);
  const dtype = x4.dtype as DType;
  const g = windowGeometry(op, 'pool', x4.shape, pair(op, 'filterSize', filterSize), pair(op, 'strides', strides), padding(op, pad));
  const k = getKernels();
  const out = makeTensor(dtype, [g.batch, g.outH, g.outW, g.channels]);
  const argmax = op === 'maxPool' ? new Int32Array(out.size) : null;
  const s = opScratch(dtype, { y: out });
  try { if (argmax) maxPool2dForward(k, s.ws, x4, g, argmax); else avgPool2dForward(k, s.ws, x4, g); } finally { s.dispose(); }
  record(op, out, [x4], (dy) => {
    refuseSecondOrder(op, dy as AnyTensor, x4);
    const dx = makeTensor(dtype, x4.shape), b = opScratch(dtype, { dx }), d = asFloat(dy as AnyTensor, dtype);
    try { if (argmax) maxPool2dBackward(k, b.ws, d, argmax, x4.shape); else avgPool2dBackward(k, b.ws, d, g, x4.shape); } finally { b.dispose(); }
    return [dx];
  });
  return was3 ? reshape(out, out.shape.slice(1)) : out;
}

/**
 * Max pooling, as TF.js's `tf.maxPool(x, filterSize, strides, pad)`: NHWC, per channel, padded
 * cells never chosen. Gradient: dy routed to each window's first maximum; second derivatives refused.
 * @throws Error when the window is larger than the padded input.
 */
export function maxPool(x: TensorLike, filterSize: number | readonly [number, number], strides: number | readonly [number, number] = filterSize, pad: Padding = 'valid'): Tensor {
  return pool('maxPool', x, filterSize, strides, pad);
}

/**
 * Average pooling, as TF.js's `tf.avgPool(x, filterSize, strides, pad)`: NHWC, per channel, the
 * mean over each window's inside cells (padding excluded from the divisor, as TensorFlow).
 * Gradient: dy / count spread over the window; second derivatives refused.
 * @throws Error when the window is larger than the padded input.
 */
export function avgPool(x: TensorLike, filterSize: number | readonly [number, number], strides: number | readonly [number, number] = filterSize, pad: Padding = 'valid'): Tensor {
  return pool('avgPool', x, filterSize, strides, pad);
}

declare module '../tensor/tensor.js' {
  interface Tensor<A extends TensorData = FloatArray> {
    conv2d(filter: AnyTensor, strides?: number | readonly [number, number], pad?: Padding): Tensor;
    maxPool(filterSize: number | readonly [number, number], strides?: number | readonly [number, number], pad?: Padding): Tensor;
    avgPool(filterSize: number | readonly [number, number], strides?: number | readonly [number, number], pad?: Padding): Tensor;
  }
}
const proto = Tensor.prototype as unknown as Record<string, unknown>;
proto['conv2d'] = function (this: AnyTensor, filter: AnyTensor, strides?: number | readonly [number, number], pad?: Padding) { return conv2d(this, filter, strides, pad); };
proto['maxPool'] = function (this: AnyTensor, f: number | readonly [number, number], s?: number | readonly [number, number], pad?: Padding) { return maxPool(this, f, s ?? f, pad); };
proto['avgPool'] = function (this: AnyTensor, f: number | readonly [number, number], s?: number | readonly [number, number], pad?: Padding) { return avgPool(this, f, s ?? f, pad); };
