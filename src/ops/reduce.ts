/**
 * Reductions over axes with `keepDims` (TF.js's names): `sum mean max min prod logSumExp`
 * (float results; differentiable) and `argMax argMin` (int32 indices; no gradient).
 */
import { getKernels } from '../kernels/index.js';
import { Tensor, type TensorData } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';
import { normalizeAxes, reduceAxes, reducedShape, reshapeOwned, sum } from './broadcast.js';
import { add, div, equal, exp, log, mul, sub } from './elementwise.js';
import { asFloat, floatTypeOf, makeTensor, record, recordNoGradient, type AnyTensor } from './engine.js';
import { reshape } from './reshape.js';

export { sum } from './broadcast.js';

type Axis = number | readonly number[] | null | undefined;

/**
 * Mean over `axis` (all axes by default), as TF.js's `tf.mean`. An empty axis gives NaN (0/0).
 * @throws RangeError for an axis out of range.
 */
export function mean(x: AnyTensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('mean', axis, x.rank);
  const n = sizeOf(axes.map((a) => x.shape[a]!));
  return div(sum(x, axes, keepDims), n);
}

/** max/min over axes; the gradient goes to every element equal to the extreme (ties share it, as TF.js). */
function extreme(name: 'max' | 'min', x: AnyTensor, axis: Axis, keepDims: boolean): Tensor {
  const xf = asFloat(x, floatTypeOf(x));
  const axes = normalizeAxes(name, axis, xf.rank);
  const keptShape = reducedShape(xf.shape, axes, true);
  const kept = reduceAxes(name, xf, axes);
  const out = keepDims ? kept : reshapeOwned(kept, reducedShape(xf.shape, axes, false));
  record(name, out, [xf], (dy) => [mul(reshape(dy, keptShape), equal(xf, reshape(out, keptShape)))]);
  return out;
}

/** Maximum over `axis` (all by default), as TF.js's `tf.max`; an empty axis gives -Infinity; NaN propagates. */
export function max(x: AnyTensor, axis?: Axis, keepDims = false): Tensor { return extreme('max', x, axis, keepDims); }
/** Minimum over `axis` (all by default), as TF.js's `tf.min`; an empty axis gives +Infinity; NaN propagates. */
export function min(x: AnyTensor, axis?: Axis, keepDims = false): Tensor { return extreme('min', x, axis, keepDims); }

/**
 * Product over `axis` (all by default), as TF.js's `tf.prod`. Gradient dy prod / x, which needs
 * x != 0 (a zero gives NaN, unlike TF.js's cumulative-product form).
 */
export function prod(x: AnyTensor, axis?: Axis, keepDims = false): Tensor {
  const xf = asFloat(x, floatTypeOf(x));
  const axes = normalizeAxes('prod', axis, xf.rank);
  const keptShape = reducedShape(xf.shape, axes, true);
  const kept = reduceAxes('prod', xf, axes);
  const out = keepDims ? kept : reshapeOwned(kept, reducedShape(xf.shape, axes, false));
  record('prod', out, [xf], (dy) => [div(mul(reshape(dy, keptShape), reshape(out, keptShape)), xf)]);
  return out;
}

/**
 * log(sum(exp(x))) over `axis`, computed as m + log(sum(exp(x - m))) with m the (constant)
 * maximum, so large inputs do not overflow. As TF.js's `tf.logSumExp`. Gradient: softmax(x) dy.
 */
export function logSumExp(x: AnyTensor, axis?: Axis, keepDims = false): Tensor {
  const xf = asFloat(x, floatTypeOf(x));
  const axes = normalizeAxes('logSumExp', axis, xf.rank);
  const m = reduceAxes('max', xf, axes); // untaped: a constant shift
  const shift = finiteShift(m);
  const kept = add(log(sum(exp(sub(xf, shift)), axes, true)), shift);
  return keepDims ? kept : reshape(kept, reducedShape(xf.shape, axes, false));
}

/** The max with infinities replaced by 0 (so x - m stays finite for an all -inf slice), untaped. */
function finiteShift(m: Tensor): Tensor {
  const k = getKernels();
  const inf = makeTensor('bool', m.shape), ninf = makeTensor('bool', m.shape);
  const pinf = new Tensor(m.dtype === 'float64' ? new Float64Array([Infinity]) : new Float32Array([Infinity]), []);
  const minf = new Tensor(m.dtype === 'float64' ? new Float64Array([-Infinity]) : new Float32Array([-Infinity]), []);
  const zero = new Tensor(m.dtype === 'float64' ? new Float64Array(1) : new Float32Array(1), []);
  k.binaryOp('equal', m.data, pinf.data, inf.data, m.shape, contiguous(m.shape), zeroStrides(m.rank));
  k.binaryOp('equal', m.data, minf.data, ninf.data, m.shape, contiguous(m.shape), zeroStrides(m.rank));
  k.whereOp(inf.data, zero.data, m.data, m.data, m.shape, contiguous(m.shape), zeroStrides(m.rank), contiguous(m.shape));
  k.whereOp(ninf.data, zero.data, m.data, m.data, m.shape, contiguous(m.shape), zeroStrides(m.rank), contiguous(m.shape));
  inf.dispose(); ninf.dispose();
  return m;
}

function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}
function zeroStrides(rank: number): number[] { return new Array<number>(rank).fill(0); }

/** argMax/argMin over one axis. */
function argReduce(name: 'argMax' | 'argMin', x: AnyTensor, axis: number): Tensor<Int32Array> {
  const [a] = normalizeAxes(name, axis, x.rank);
  if (a === undefined) throw new RangeError(`${name}: needs a tensor of rank >= 1, got a scalar`);
  const n = x.shape[a]!;
  if (n === 0) throw new RangeError(`${name}: axis ${a} is empty`);
  const out = makeTensor('int32', reducedShape(x.shape, [a], false));
  getKernels().argReduceOp(name, x.data as TensorData, sizeOf(x.shape.slice(0, a)), n, sizeOf(x.shape.slice(a + 1)), out.data);
  recordNoGradient(name, out, [x]);
  return out;
}

/**
 * The index of the first maximum along `axis` (int32), as TF.js's `tf.argMax` except that the
 * axis defaults to -1 (the last: a row's class, nabla's earlier `argMax`; TF.js defaults to 0).
 * No gradient. @throws RangeError for a bad or empty axis.
 */
export function argMax(x: AnyTensor, axis = -1): Tensor<Int32Array> { return argReduce('argMax', x, axis); }
/** The index of the first minimum along `axis` (default -1, the last), int32. No gradient. */
export function argMin(x: AnyTensor, axis = -1): Tensor<Int32Array> { return argReduce('argMin', x, axis); }
