/**
 * Tensor: a row-major block of float32 or float64 numbers with a shape. Samples are rows:
 * `[batch, features]`, images NHWC `[batch, height, width, channels]`.
 */
import { assertValidShape, formatShape, sizeOf } from './shape.js';

export type DType = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;
/** Nested arrays of numbers of any depth, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/** Allocates a zero-filled array of the given dtype. */
export function allocArray(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** The dtype of a typed array. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: FloatArray;

  /**
   * Wraps `data` (not copied) with `shape`.
   * @throws TypeError when data is not a Float32Array/Float64Array or the shape is malformed.
   * @throws RangeError when the shape's size differs from data.length.
   */
  constructor(data: FloatArray, shape: readonly number[]) {
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array))
      throw new TypeError(`Tensor: data must be a Float32Array or Float64Array, got ${Object.prototype.toString.call(data)}`);
    assertValidShape(shape, 'Tensor');
    if (sizeOf(shape) !== data.length)
      throw new RangeError(`Tensor: shape ${formatShape(shape)} holds ${sizeOf(shape)} numbers but data has ${data.length}`);
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
  }

  /** Number of elements. */
  get size(): number { return this.data.length; }
  /** Number of dimensions. */
  get rank(): number { return this.shape.length; }

  /** A deep copy on the JavaScript heap (never aliases this tensor's buffer). */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** The same numbers in another dtype (a copy). */
  cast(dtype: DType): Tensor {
    const out = allocArray(dtype, this.size);
    out.set(this.data);
    return new Tensor(out, this.shape);
  }

  /** The same data with another shape of equal size (shares the buffer). @throws RangeError on a size mismatch. */
  reshape(shape: readonly number[]): Tensor {
    return new Tensor(this.data, shape);
  }

  /** Nested arrays of plain numbers, following the shape. A scalar returns a number. */
  toArray(): NestedArray {
    const { data, shape } = this;
    if (shape.length === 0) return data[0]!;
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = shape[dim]!;
      if (dim === shape.length - 1) return Array.from(data.subarray(offset, offset + n));
      const stride = sizeOf(shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }
}

/**
 * Makes a tensor from nested arrays or a typed array.
 * @param values numbers, nested arrays (rectangular), or a Float32Array/Float64Array (copied).
 * @param shape  optional; required to reshape a flat array. Inferred from nesting otherwise.
 * @param dtype  'float32' (default) or 'float64'; a Float64Array defaults to 'float64'.
 * @throws TypeError on ragged arrays or non-numbers; RangeError when shape and values disagree.
 */
export function tensor(values: FloatArray | NestedArray, shape?: readonly number[], dtype?: DType): Tensor {
  if (values instanceof Float32Array || values instanceof Float64Array) {
    const d = dtype ?? dtypeOf(values);
    const out = allocArray(d, values.length);
    out.set(values);
    return new Tensor(out, shape ?? [values.length]);
  }
  const inferred: number[] = [];
  let probe: NestedArray = values;
  while (Array.isArray(probe)) { inferred.push(probe.length); probe = probe[0] as NestedArray; if (probe === undefined) break; }
  const flat: number[] = [];
  const walk = (v: NestedArray, dim: number, path: string): void => {
    if (dim === inferred.length) {
      if (typeof v !== 'number') throw new TypeError(`tensor: expected a number at ${path || 'the top'}, got ${Array.isArray(v) ? 'an array' : typeof v}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== inferred[dim])
      throw new TypeError(`tensor: ragged array at ${path || 'the top'}: expected ${inferred[dim]} elements, got ${Array.isArray(v) ? v.length : typeof v}`);
    v.forEach((e, i) => walk(e, dim + 1, `${path}[${i}]`));
  };
  walk(values, 0, '');
  const data = allocArray(dtype ?? 'float32', flat.length);
  for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
  return new Tensor(data, shape ?? inferred);
}
