/**
 * What predict / evaluate / fit / trainOnBatch accept as x and y, as TensorFlow.js users pass
 * them: a Tensor, nested arrays of numbers (`[[10]]`), or a typed array (a flat, rank-1 input).
 */
import { formatShape } from '../tensor/shape.js';
import { positiveInt } from '../validate.js';
import type { FitArgs } from '../train/fit.js';
import { tensor, Tensor, type DType, type NestedArray } from '../tensor/tensor.js';

type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;
/** A Tensor, nested arrays of numbers, or a typed array. */
export type TensorLike = Tensor | NestedArray | NumericArray;

/**
 * `v` as a tensor of `dtype` (a copy unless it already is one). A rank-1 x becomes [n, 1] when
 * the model's per-sample input shape is [1] (`inputShape: [1]`, as TF.js allows).
 * @param where 'predict: x', 'fit: y', ... (prefixes the errors).
 * @param sampleShape the per-sample input shape when known (only for x).
 * @throws TypeError naming `where` for something else than the forms above, ragged arrays or non-numbers.
 */
export function toTensor(v: TensorLike, where: string, dtype: DType, sampleShape: readonly number[] | null = null): Tensor {
  let t: Tensor;
  if (v instanceof Tensor) t = v.dtype === dtype ? v : v.cast(dtype);
  else if (Array.isArray(v) || typeof v === 'number') {
    if (typeof v === 'number') throw new TypeError(`${where} must be a Tensor, nested arrays of numbers or a typed array, got a single number; wrap it as [[${v}]]`);
    try { t = tensor(v, undefined, dtype); } catch (e) { throw new TypeError(`${where}: ${(e as Error).message}`); }
  } else if (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) {
    const data = dtype === 'float64' ? Float64Array.from(v as ArrayLike<number>) : Float32Array.from(v as ArrayLike<number>);
    t = new Tensor(data, [data.length]);
  } else {
    throw new TypeError(`${where} must be a Tensor, nested arrays of numbers or a typed array, got ${v === null ? 'null' : typeof v === 'object' ? (v as object).constructor?.name ?? 'an object' : typeof v}`);
  }
  if (t.rank === 1 && sampleShape && sampleShape.length === 1 && sampleShape[0] === 1) t = t.reshape([t.size, 1]);
  if (t.rank === 0) throw new TypeError(`${where} must hold samples (shape [n, ...]), got ${formatShape(t.shape)}`);
  return t;
}

/** fit's options with validationData in any of the forms above. */
export type ModelFitArgs = Omit<FitArgs, 'validationData'> & { validationData?: [TensorLike, TensorLike] };

/** @throws TypeError unless `v` is a pair [x, y] (fit's validationData). */
export function checkPair(v: unknown): [TensorLike, TensorLike] {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError('fit: validationData must be a pair [x, y]');
  return v as [TensorLike, TensorLike];
}

/** The batch size, default 32. @throws TypeError naming `where` unless a number; RangeError unless a positive integer. */
export function checkBatchSize(where: string, v: number | undefined): number {
  return positiveInt(where, 'batchSize', v ?? 32);
}
