/**
 * Elementwise ops with NumPy broadcasting (TF.js's names): arithmetic, math functions,
 * maximum/minimum/clipByValue, `where`, the comparisons (bool results, no gradient) and `cast`.
 * Operands may be tensors, numbers or nested arrays; int32/bool operands compute in float32 and
 * float32 meeting float64 computes in float64 (docs/design.md). Each gradient is written with
 * these ops and summed back over broadcast axes, so it is differentiable again.
 */
import { getKernels, type BinaryOpName, type UnaryOpName } from '../kernels/index.js';
import { Tensor, type ArrayOf, type DataType, type DType, type TensorData } from '../tensor/tensor.js';
import { broadcastShapes, broadcastStrides, sumTo } from './broadcast.js';
import {
  asFloat, floatTypeOf, isFloat, makeTensor, record, recordNoGradient, toTensor,
  type AnyTensor, type TensorLike,
} from './engine.js';

/** Both operands as tensors of one float dtype (numbers and arrays take the other's). */
function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const ts = [a, b].filter((v): v is AnyTensor => v instanceof Tensor);
  const dt = floatTypeOf(...ts);
  return [asFloat(toTensor(a, dt, op), dt), asFloat(toTensor(b, dt, op), dt)];
}

/** Runs a binary kernel over the broadcast shape into a new tensor of `dtype`. */
function runBinary<D extends DataType>(name: BinaryOpName, a: Tensor, b: Tensor, dtype: D): Tensor<ArrayOf<D>> {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = makeTensor(dtype, shape);
  getKernels().binaryOp(name, a.data, b.data, out.data, shape, broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape));
  return out;
}

type BinaryVjp = (dy: Tensor, a: Tensor, b: Tensor, out: Tensor, needs: readonly boolean[]) => [Tensor | null, Tensor | null];

/** A differentiable binary op: kernel forward, `vjp` backward with gradients summed to each operand's shape. */
function arith(name: BinaryOpName, a: TensorLike, b: TensorLike, vjp: BinaryVjp): Tensor {
  const [af, bf] = operands(name, a, b);
  const out = runBinary(name, af, bf, af.dtype) as Tensor;
  record(name, out, [af, bf], (dy, needs) => {
    const [ga, gb] = vjp(dy, af, bf, out, needs);
    return [ga && sumTo(ga, af.shape), gb && sumTo(gb, bf.shape)];
  });
  return out;
}

/** a + b. Gradient: (dy, dy). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return arith('add', a, b, (dy) => [dy, dy]);
}
/** a - b. Gradient: (dy, -dy). */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arith('sub', a, b, (dy, _a, _b, _o, n) => [dy, n[1] ? neg(dy) : null]);
}
/** a * b elementwise. Gradient: (dy b, dy a). */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arith('mul', a, b, (dy, x, y, _o, n) => [n[0] ? mul(dy, y) : null, n[1] ? mul(dy, x) : null]);
}
/** a / b elementwise. Gradient: (dy / b, -dy a / b^2). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return arith('div', a, b, (dy, x, y, _o, n) => [n[0] ? div(dy, y) : null, n[1] ? neg(div(mul(dy, x), square(y))) : null]);
}
/**
 * a^b elementwise (Math.pow: a negative base with a non-integer exponent gives NaN). Gradient:
 * (dy b a^(b-1), dy a^b ln a), the second taken as 0 where a <= 0 (as TF.js).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return arith('pow', a, b, (dy, x, y, out, n) => {
    const ga = n[0] ? mul(dy, mul(y, pow(x, sub(y, 1)))) : null;
    if (!n[1]) return [ga, null];
    const pos = greater(x, 0);
    return [ga, mul(dy, mul(out, where(pos, log(where(pos, x, 1)), 0)))];
  });
}
/** max(a, b) elementwise (NaN propagates). Gradient to a where a >= b, else to b. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return arith('maximum', a, b, (dy, x, y) => [mul(dy, greaterEqual(x, y)), mul(dy, less(x, y))]);
}
/** min(a, b) elementwise (NaN propagates). Gradient to a where a <= b, else to b. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return arith('minimum', a, b, (dy, x, y) => [mul(dy, lessEqual(x, y)), mul(dy, greater(x, y))]);
}

/** A comparison: a bool tensor (1 where it holds), without gradient. */
function compare(name: BinaryOpName, a: TensorLike, b: TensorLike): Tensor<Uint8Array> {
  const [af, bf] = operands(name, a, b);
  const out = runBinary(name, af, bf, 'bool');
  recordNoGradient(name, out, [af, bf]);
  return out;
}
/** a == b elementwise, bool. No gradient. */
export function equal(a: TensorLike, b: TensorLike): Tensor<Uint8Array> { return compare('equal', a, b); }
/** a > b elementwise, bool. No gradient. */
export function greater(a: TensorLike, b: TensorLike): Tensor<Uint8Array> { return compare('greater', a, b); }
/** a >= b elementwise, bool. No gradient. */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor<Uint8Array> { return compare('greaterEqual', a, b); }
/** a < b elementwise, bool. No gradient. */
export function less(a: TensorLike, b: TensorLike): Tensor<Uint8Array> { return compare('less', a, b); }
/** a <= b elementwise, bool. No gradient. */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor<Uint8Array> { return compare('lessEqual', a, b); }

/**
 * `a` where `condition` is non-zero, else `b`, all three broadcast together (TF.js requires
 * equal shapes; broadcasting is allowed here). Gradient: dy to the chosen side, 0 to the other.
 */
export function where(condition: AnyTensor, a: TensorLike, b: TensorLike): Tensor {
  const [af, bf] = operands('where', a, b);
  const shape = broadcastShapes('where', condition.shape, af.shape, bf.shape);
  const out = makeTensor(af.dtype, shape);
  getKernels().whereOp(condition.data, af.data, bf.data, out.data, shape,
    broadcastStrides(condition.shape, shape), broadcastStrides(af.shape, shape), broadcastStrides(bf.shape, shape));
  record('where', out, [af, bf], (dy, n) => [
    n[0] ? sumTo(where(condition, dy, 0), af.shape) : null,
    n[1] ? sumTo(where(condition, 0, dy), bf.shape) : null,
  ]);
  return out;
}

/**
 * A differentiable unary op on the `unaryOp` kernel; `vjp(dy, x, out)` gives dx. int32/bool
 * inputs compute in float32. Shared by the activation ops (src/ops/nn.ts).
 */
export function unary(name: UnaryOpName, x: TensorLike, vjp: (dy: Tensor, x: Tensor, out: Tensor) => Tensor): Tensor {
  const xt = toTensor(x, 'float32', name);
  const xf = asFloat(xt, isFloat(xt) ? xt.dtype as DType : 'float32');
  const out = makeTensor(xf.dtype, xf.shape);
  getKernels().unaryOp(name, xf.data, out.data);
  record(name, out, [xf], (dy) => [vjp(dy, xf, out)]);
  return out;
}

/** -x. */
export function neg(x: TensorLike): Tensor { return unary('neg', x, (dy) => neg(dy)); }
/** x^2. Gradient 2 x dy. */
export function square(x: TensorLike): Tensor { return unary('square', x, (dy, v) => mul(dy, mul(v, 2))); }
/** sqrt(x). Gradient dy / (2 sqrt(x)). */
export function sqrt(x: TensorLike): Tensor { return unary('sqrt', x, (dy, _v, out) => div(dy, mul(out, 2))); }
/** e^x. Gradient dy e^x. */
export function exp(x: TensorLike): Tensor { return unary('exp', x, (dy, _v, out) => mul(dy, out)); }
/** ln(x). Gradient dy / x. */
export function log(x: TensorLike): Tensor { return unary('log', x, (dy, v) => div(dy, v)); }
/** ln(1 + x), accurate for small x. Gradient dy / (1 + x). */
export function log1p(x: TensorLike): Tensor { return unary('log1p', x, (dy, v) => div(dy, add(v, 1))); }
/** |x|. Gradient dy sign(x) (0 at 0). */
export function abs(x: TensorLike): Tensor { return unary('abs', x, (dy, v) => mul(dy, sign(v))); }
/** -1, 0 or 1 by the sign of x (NaN stays NaN). Gradient 0. */
export function sign(x: TensorLike): Tensor { return unary('sign', x, (dy) => mul(dy, 0)); }
/** 1 / x. Gradient -dy / x^2. */
export function reciprocal(x: TensorLike): Tensor { return unary('reciprocal', x, (dy, _v, out) => neg(mul(dy, square(out)))); }

/**
 * x clipped to [lo, hi], as TF.js's `tf.clipByValue`. Gradient dy where lo <= x <= hi, else 0.
 * @throws RangeError when lo > hi.
 */
export function clipByValue(x: TensorLike, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new RangeError(`clipByValue: lo ${lo} must be <= hi ${hi}`);
  return minimum(maximum(x, lo), hi);
}

/**
 * x in another dtype, as TF.js's `tf.cast` (a tracked tensor). float -> float is
 * differentiable; to int32 (truncation) or bool (non-zero -> 1) has no gradient.
 */
export function cast<D extends DataType>(x: AnyTensor, dtype: D): Tensor<ArrayOf<D>> {
  if (dtype === 'float32' || dtype === 'float64') return asFloat(x, dtype) as unknown as Tensor<ArrayOf<D>>;
  const out = makeTensor(dtype, x.shape);
  getKernels().castData(x.data, out.data);
  recordNoGradient('cast', out, [x]);
  return out;
}

/** A tracked copy of x, as TF.js's `tf.clone`. Gradient: dy. */
export function clone<A extends TensorData>(x: Tensor<A>): Tensor<A> {
  const out = makeTensor(x.dtype as DataType, x.shape) as unknown as Tensor<A>;
  out.data.set(x.data as never);
  if (isFloat(x as AnyTensor)) record('clone', out as AnyTensor, [x as AnyTensor], (dy) => [dy]);
  return out;
}
