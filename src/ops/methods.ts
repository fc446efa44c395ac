/**
 * The ops as methods of Tensor (`x.add(y)`, `x.sum(1)`, ...), attached to its prototype here with
 * a declaration merge so that src/tensor/ never imports src/ops/. Importing src/ops/index.ts
 * installs them. `reshape` becomes the taped op; `cast` and `clone` keep their JavaScript-heap
 * copies outside gradient calls and are the taped ops inside them.
 */
import { Tensor, type DataType, type TensorData } from '../tensor/tensor.js';
import { broadcastTo } from './broadcast.js';
import * as ew from './elementwise.js';
import { isRecording, type AnyTensor, type TensorLike } from './engine.js';
import { matMul } from './matmul.js';
import * as nn from './nn.js';
import * as rd from './reduce.js';
import { reshape } from './reshape.js';
import * as sh from './shape.js';

type Axis = number | readonly number[] | null;

declare module '../tensor/tensor.js' {
  interface Tensor<A extends TensorData = FloatArray> {
    add(b: TensorLike): Tensor; sub(b: TensorLike): Tensor; mul(b: TensorLike): Tensor; div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor; maximum(b: TensorLike): Tensor; minimum(b: TensorLike): Tensor;
    neg(): Tensor; square(): Tensor; sqrt(): Tensor; exp(): Tensor; log(): Tensor; log1p(): Tensor;
    abs(): Tensor; sign(): Tensor; reciprocal(): Tensor; clipByValue(lo: number, hi: number): Tensor;
    equal(b: TensorLike): Tensor<Uint8Array>; greater(b: TensorLike): Tensor<Uint8Array>; greaterEqual(b: TensorLike): Tensor<Uint8Array>;
    less(b: TensorLike): Tensor<Uint8Array>; lessEqual(b: TensorLike): Tensor<Uint8Array>;
    matMul(b: AnyTensor, transposeA?: boolean, transposeB?: boolean): Tensor;
    sum(axis?: Axis, keepDims?: boolean): Tensor; mean(axis?: Axis, keepDims?: boolean): Tensor;
    max(axis?: Axis, keepDims?: boolean): Tensor; min(axis?: Axis, keepDims?: boolean): Tensor;
    prod(axis?: Axis, keepDims?: boolean): Tensor; logSumExp(axis?: Axis, keepDims?: boolean): Tensor;
    argMax(axis?: number): Tensor<Int32Array>; argMin(axis?: number): Tensor<Int32Array>;
    transpose(perm?: readonly number[]): Tensor<A>; expandDims(axis?: number): Tensor<A>;
    squeeze(axis?: number | readonly number[]): Tensor<A>; broadcastTo(shape: readonly number[]): Tensor;
    slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor<A>;
    gather(indices: AnyTensor | readonly number[], axis?: number): Tensor<A>;
    pad(paddings: readonly (readonly [number, number])[], constantValue?: number): Tensor<A>;
    tile(reps: readonly number[]): Tensor<A>; concat(others: Tensor<A> | readonly Tensor<A>[], axis?: number): Tensor<A>;
    oneHot(depth: number, onValue?: number, offValue?: number): Tensor;
    sigmoid(): Tensor; tanh(): Tensor; relu(): Tensor; leakyRelu(alpha?: number): Tensor; elu(): Tensor;
    softplus(): Tensor; softmax(dim?: number): Tensor; logSoftmax(axis?: number): Tensor;
  }
}

const proto = Tensor.prototype as unknown as Record<string, unknown>;
type Self = Tensor<TensorData>;

const binaries = { add: ew.add, sub: ew.sub, mul: ew.mul, div: ew.div, pow: ew.pow, maximum: ew.maximum, minimum: ew.minimum,
  equal: ew.equal, greater: ew.greater, greaterEqual: ew.greaterEqual, less: ew.less, lessEqual: ew.lessEqual };
for (const [name, f] of Object.entries(binaries)) proto[name] = function (this: Self, b: TensorLike) { return (f as (a: TensorLike, b: TensorLike) => unknown)(this, b); };

const unaries = { neg: ew.neg, square: ew.square, sqrt: ew.sqrt, exp: ew.exp, log: ew.log, log1p: ew.log1p, abs: ew.abs,
  sign: ew.sign, reciprocal: ew.reciprocal, sigmoid: nn.sigmoid, tanh: nn.tanh, relu: nn.relu, elu: nn.elu, softplus: nn.softplus };
for (const [name, f] of Object.entries(unaries)) proto[name] = function (this: Self) { return (f as (x: Self) => unknown)(this); };

const withArgs: Record<string, (x: never, ...rest: never[]) => unknown> = {
  clipByValue: ew.clipByValue, matMul, sum: rd.sum, mean: rd.mean, max: rd.max, min: rd.min, prod: rd.prod,
  logSumExp: rd.logSumExp, argMax: rd.argMax, argMin: rd.argMin, transpose: sh.transpose, expandDims: sh.expandDims,
  squeeze: sh.squeeze, broadcastTo, slice: sh.slice, gather: sh.gather, pad: sh.pad, tile: sh.tile, oneHot: sh.oneHot,
  leakyRelu: nn.leakyRelu, softmax: nn.softmax, logSoftmax: nn.logSoftmax, reshape,
};
for (const [name, f] of Object.entries(withArgs)) proto[name] = function (this: Self, ...args: never[]) { return f(this as never, ...args); };

proto['concat'] = function (this: Self, others: Self | readonly Self[], axis?: number) {
  return sh.concat([this, ...(others instanceof Tensor ? [others] : others)], axis);
};

const heapCast = Tensor.prototype.cast as (this: Self, dtype: DataType) => Self;
proto['cast'] = function (this: Self, dtype: DataType) {
  return isRecording() ? ew.cast(this, dtype) : heapCast.call(this, dtype);
};
const heapClone = Tensor.prototype.clone as (this: Self) => Self;
proto['clone'] = function (this: Self) {
  return isRecording() ? ew.clone(this) : heapClone.call(this);
};
