/**
 * Neural-network ops (TF.js's names): `sigmoid tanh relu leakyRelu elu softplus softmax
 * logSoftmax dropout`. sigmoid/tanh/relu run on kernels; the others are compositions of
 * differentiable ops (so every one has second derivatives).
 */
import { getKernels } from '../kernels/index.js';
import { Rng } from '../tensor/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, exp, greater, log1p, maximum, minimum, mul, neg, abs, square, sub, unary, where } from './elementwise.js';
import { asFloat, floatTypeOf, isRecording, makeTensor, record, withoutRecording, type AnyTensor, type TensorLike } from './engine.js';
import { logSumExp, sum } from './reduce.js';
import { shapesEqual } from '../tensor/shape.js';

/**
 * dy f'(x) for an activation of the registry, on the backend's fused activationBackward kernel
 * (one pass, one output) when the backward pass is not itself being taped; while it is (a
 * second derivative), `composed()`, the same product written with differentiable ops.
 */
function activationGrad(name: 'relu' | 'sigmoid' | 'tanh', dy: Tensor, x: Tensor, out: Tensor, composed: () => Tensor): Tensor {
  if (isRecording() || dy.dtype !== x.dtype || !shapesEqual(dy.shape, x.shape)) return composed();
  const dz = makeTensor(x.dtype, x.shape);
  getKernels().activationBackward(name, x.data, out.data, dy.data, dz.data, 1, x.size, 0);
  return dz;
}

/** 1 / (1 + e^-x), computed without overflow. Gradient dy s (1 - s). */
export function sigmoid(x: TensorLike): Tensor {
  return unary('sigmoid', x, (dy, v, s) => activationGrad('sigmoid', dy, v, s, () => mul(dy, mul(s, sub(1, s)))));
}
/** tanh(x). Gradient dy (1 - tanh^2). */
export function tanh(x: TensorLike): Tensor {
  return unary('tanh', x, (dy, v, t) => activationGrad('tanh', dy, v, t, () => mul(dy, sub(1, square(t)))));
}
/** max(x, 0). Gradient dy where x > 0 (0 at 0, as TF.js). */
export function relu(x: TensorLike): Tensor {
  return unary('relu', x, (dy, v, out) => activationGrad('relu', dy, v, out, () => mul(dy, greater(v, 0))));
}
/** x where x > 0, else alpha x; TF.js's default alpha = 0.2. */
export function leakyRelu(x: AnyTensor, alpha = 0.2): Tensor { return where(greater(x, 0), x, mul(x, alpha)); }
/** x where x > 0, else e^x - 1 (Clevert et al. 2015, alpha = 1 as TF.js's `tf.elu`). */
export function elu(x: AnyTensor): Tensor { return where(greater(x, 0), x, sub(exp(minimum(x, 0)), 1)); }
/** ln(1 + e^x), computed as max(x, 0) + ln(1 + e^-|x|) (no overflow). Gradient: sigmoid(x) dy. */
export function softplus(x: AnyTensor): Tensor { return add(maximum(x, 0), log1p(exp(neg(abs(x))))); }
/**
 * x - logSumExp(x) along `axis` (default -1, the last), as TF.js's `tf.logSoftmax`. One tape node
 * (the forward's intermediates are not taped). Gradient dy - softmax(x) sum(dy) along the axis,
 * written with ops on the output (so differentiable again).
 */
export function logSoftmax(logits: AnyTensor, axis = -1): Tensor {
  const xf = asFloat(logits, floatTypeOf(logits));
  const out = withoutRecording(() => sub(xf, logSumExp(xf, axis, true)));
  record('logSoftmax', out, [xf], (dy) => [sub(dy, mul(exp(out), sum(dy, axis, true)))]);
  return out;
}
/** e^x / sum(e^x) along `dim` (default -1, the last), computed as exp(logSoftmax), as TF.js's `tf.softmax`. */
export function softmax(logits: AnyTensor, dim = -1): Tensor { return exp(logSoftmax(logits, dim)); }

/**
 * Inverted dropout, as TF.js's `tf.dropout`: each element is zeroed with probability `rate` and
 * the others scaled by 1 / (1 - rate); `noiseShape` (broadcast to x's shape) shares one draw
 * along its size-1 axes. The draws come from `new Rng(seed)` (a fresh random seed when none is
 * given). Gradient: dy times the same mask.
 * @throws RangeError unless 0 <= rate < 1.
 */
export function dropout(x: AnyTensor, rate: number, noiseShape?: readonly number[], seed?: number): Tensor {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout: rate must be in [0, 1), got ${rate}`);
  const xf = asFloat(x, floatTypeOf(x));
  if (rate === 0) return mul(xf, 1);
  const mask = makeTensor(xf.dtype, noiseShape ?? xf.shape);
  const k = getKernels();
  k.fillRandom(mask.data, new Rng(seed ?? Rng.randomSeed()), 'uniform', 0, 1);
  k.dropoutMask(mask.data, rate);
  return mul(xf, mask);
}
