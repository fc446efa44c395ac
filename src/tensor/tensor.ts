/**
 * Tensor: a row-major block of numbers with a shape. Samples are rows: `[batch, features]`,
 * images NHWC `[batch, height, width, channels]`. float32/float64 hold values, int32 indices,
 * bool (a Uint8Array of 0/1) comparisons. Lifetime rules: docs/design.md, "Tensors made by ops".
 */
import { assertValidShape, formatShape, sizeOf } from './shape.js';

/** The float dtypes (what layers, losses and kernels compute in). */
export type DType = 'float32' | 'float64';
/** Every dtype a tensor may have (TF.js's names). */
export type DataType = DType | 'int32' | 'bool';
/** The typed array behind a float tensor. */
export type FloatArray = Float32Array | Float64Array;
/** The typed array behind a tensor of any dtype. */
export type TensorData = FloatArray | Int32Array | Uint8Array;
/** The dtype of a typed-array type. */
export type DataTypeOf<A extends TensorData> =
  A extends Float64Array ? 'float64' : A extends Float32Array ? 'float32' : A extends Int32Array ? 'int32' : 'bool';
/** The typed-array type of a dtype. */
export type ArrayOf<D extends DataType> =
  D extends 'float64' ? Float64Array : D extends 'float32' ? Float32Array : D extends 'int32' ? Int32Array : Uint8Array;
/** Nested arrays of numbers of any depth, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/** Allocates a zero-filled array of the given float dtype. */
export function allocArray(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/** Allocates a zero-filled array of any dtype (bool: a Uint8Array). */
export function allocData<D extends DataType>(dtype: D, length: number): ArrayOf<D> {
  switch (dtype) {
    case 'float64': return new Float64Array(length) as ArrayOf<D>;
    case 'float32': return new Float32Array(length) as ArrayOf<D>;
    case 'int32': return new Int32Array(length) as ArrayOf<D>;
    default: return new Uint8Array(length) as ArrayOf<D>;
  }
}

/** The dtype of a float typed array. */
export function dtypeOf(data: FloatArray): DType;
/** The dtype of a typed array (a Uint8Array is 'bool'). */
export function dtypeOf(data: TensorData): DataType;
export function dtypeOf(data: TensorData): DataType {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  return data instanceof Int32Array ? 'int32' : 'bool';
}

/**
 * A buffer shared by a tensor and its reshape views. `refs` counts the live tensors on it; a
 * tracked buffer (made by an op) is returned through `free` when the count reaches zero.
 * @internal
 */
export interface Storage { readonly data: TensorData; refs: number; readonly bytes: number; readonly free: ((data: TensorData) => void) | null }

/** Live tracked tensors and the bytes of their distinct buffers (see {@link trackedMemory}). */
const live = { numTensors: 0, numBytes: 0 };
let nextId = 0;
const ids = new WeakMap<object, number>();

/** The count behind `memory()`: tracked (op-made) tensors and the bytes of their buffers. */
export function trackedMemory(): { numTensors: number; numBytes: number } {
  return { numTensors: live.numTensors, numBytes: live.numBytes };
}

/** Is `data` one of the four typed arrays a tensor may hold? */
function isTensorData(data: unknown): data is TensorData {
  return data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array || data instanceof Uint8Array;
}

/**
 * A row-major block of numbers with a shape: samples are rows (`[batch, features]`), images NHWC
 * (`[batch, height, width, channels]`). float32/float64 hold values, int32 indices, bool (0/1 in a
 * Uint8Array) comparisons. The ops are also its methods (`x.add(y)`, `x.sum(1)`). Lifetime rules:
 * docs/design.md, "Tensors made by ops".
 */
export class Tensor<A extends TensorData = FloatArray> {
  readonly shape: readonly number[];
  readonly dtype: DataTypeOf<A>;
  private readonly _size: number;
  /** @internal The array, or null once disposed. */
  _data: A | null;
  /** @internal The shared, counted buffer of a tracked tensor and its views; null on the JavaScript heap. */
  _storage: Storage | null = null;

  /**
   * Wraps `data` (not copied) with `shape`, on the JavaScript heap (untracked: the garbage
   * collector frees it).
   * @throws TypeError when data is not a Float32Array/Float64Array/Int32Array/Uint8Array (bool)
   *   or the shape is malformed.
   * @throws RangeError when the shape's size differs from data.length.
   */
  constructor(data: FloatArray, shape: readonly number[]);
  constructor(data: A, shape: readonly number[]);
  constructor(data: A, shape: readonly number[]) {
    if (!isTensorData(data))
      throw new TypeError(`Tensor: data must be a Float32Array, Float64Array, Int32Array or Uint8Array (bool), got ${Object.prototype.toString.call(data)}`);
    assertValidShape(shape, 'Tensor');
    if (sizeOf(shape) !== data.length)
      throw new RangeError(`Tensor: shape ${formatShape(shape)} holds ${sizeOf(shape)} numbers but data has ${data.length}`);
    this._data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data) as DataTypeOf<A>;
    this._size = data.length;
  }

  /**
   * The numbers, row-major (the array itself, not a copy: writing to it changes the tensor).
   * @throws Error naming the tensor once it is disposed.
   */
  get data(): A {
    const d = this._data;
    if (d === null) throw new Error(`${this.describe()} is disposed: it was disposed by dispose() or by the tidy() that made it (keep() it, or return it from tidy(), to use it afterwards)`);
    return d;
  }

  /**
   * A number unique to this tensor in this process (error messages, debugging), given on first
   * use (kept off the instance so equal tensors stay deep-equal).
   */
  get id(): number {
    let id = ids.get(this);
    if (id === undefined) { id = nextId++; ids.set(this, id); }
    return id;
  }

  /** True once {@link dispose} ran (or the tidy() that made it ended). */
  get isDisposed(): boolean { return this._data === null; }

  /** Number of elements. */
  get size(): number { return this._size; }
  /** Number of dimensions. */
  get rank(): number { return this.shape.length; }

  /** How error messages name this tensor: `Tensor #12 float32 [2, 3]`. */
  describe(): string { return `Tensor #${this.id} ${this.dtype} ${formatShape(this.shape)}`; }

  /**
   * Releases the tensor: reading it afterwards throws. A tracked tensor's buffer goes back to the
   * backend once it and all its reshape views are disposed. Calling it twice does nothing.
   */
  dispose(): void {
    if (this._data === null) return;
    this._data = null;
    const s = this._storage;
    if (s === null) return;
    this._storage = null;
    live.numTensors--;
    if (--s.refs > 0) return;
    live.numBytes -= s.bytes;
    s.free?.(s.data);
  }

  /** A copy of the numbers on the JavaScript heap (TF.js's `dataSync`). @throws Error once disposed. */
  dataSync(): A {
    return this.data.slice() as A;
  }

  /** Nested arrays of plain numbers (TF.js's `arraySync`); a scalar returns a number. @throws Error once disposed. */
  arraySync(): NestedArray {
    return this.toArray();
  }

  /** {@link arraySync} as a promise (TF.js's `array()`). */
  array(): Promise<NestedArray> {
    return new Promise((resolve) => resolve(this.toArray()));
  }

  /** Writes the dtype, shape and values to the console (TF.js's `print`). */
  print(): void {
    console.log(`${this.describe()}\n${JSON.stringify(this.toArray())}`);
  }

  /** A deep copy on the JavaScript heap (never aliases this tensor's buffer). */
  clone(): Tensor<A> {
    return new Tensor(this.data.slice() as A, this.shape);
  }

  /**
   * The same numbers in another dtype (a copy on the JavaScript heap). To int32 truncates toward
   * zero; to bool maps every non-zero number (NaN included) to 1.
   */
  cast(dtype: DType): Tensor;
  cast<D extends DataType>(dtype: D): Tensor<ArrayOf<D>>;
  cast(dtype: DataType): Tensor<TensorData> {
    const out = allocData(dtype, this.size);
    if (dtype === 'bool') castToBool(this.data, out as Uint8Array);
    else out.set(this.data);
    return new Tensor(out, this.shape);
  }

  /**
   * The same data with another shape of equal size: a view sharing the buffer (see the lifetime
   * rules in docs/design.md). One dimension may be -1 (inferred).
   * @throws RangeError on a size mismatch or a -1 that cannot be inferred.
   */
  reshape(shape: readonly number[]): Tensor<A> {
    return viewOf(this, inferShape(shape, this.size, 'reshape'));
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

/** out[i] = x[i] != 0 ? 1 : 0 (NaN counts as non-zero, as in C and NumPy). */
function castToBool(x: TensorData, out: Uint8Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
}

/**
 * Resolves one -1 in `shape` for `size` elements.
 * @throws RangeError naming `what` when the shape does not hold exactly `size` elements.
 */
export function inferShape(shape: readonly number[], size: number, what: string): number[] {
  const out = [...shape];
  const free = out.indexOf(-1);
  if (free >= 0) {
    out[free] = 1;
    const rest = sizeOf(out);
    if (out.indexOf(-1) >= 0 || rest === 0 || size % rest !== 0)
      throw new RangeError(`${what}: cannot infer the -1 in ${formatShape(shape)} for ${size} elements`);
    out[free] = size / rest;
  }
  assertValidShape(out, what);
  if (sizeOf(out) !== size) throw new RangeError(`${what}: shape ${formatShape(shape)} holds ${sizeOf(out)} elements but the tensor has ${size}`);
  return out;
}

/**
 * A new tensor sharing `base`'s buffer with `shape` (same size). A view of a tracked tensor is
 * tracked and keeps the buffer alive until it, too, is disposed.
 * @internal
 */
export function viewOf<A extends TensorData>(base: Tensor<A>, shape: readonly number[]): Tensor<A> {
  const view = new Tensor(base.data, shape);
  const s = base._storage;
  if (s !== null) { s.refs++; live.numTensors++; view._storage = s; onTrackedCreated?.(view); }
  return view;
}

/**
 * A tracked tensor on `data`, which `free` returns to its allocator once the tensor and its views
 * are disposed (ops make their outputs this way).
 * @internal
 */
export function ownedTensor<A extends TensorData>(data: A, shape: readonly number[], free: ((data: TensorData) => void) | null): Tensor<A> {
  return adoptBuffer(new Tensor(data, shape), free);
}

/** Makes the fresh untracked tensor `t` the tracked owner of its buffer (a Variable's constructor). @internal */
export function adoptBuffer<T extends Tensor<TensorData>>(t: T, free: ((data: TensorData) => void) | null): T {
  if (t._storage !== null) throw new Error('adoptBuffer: the tensor is tracked already');
  const data = t.data;
  t._storage = { data, refs: 1, bytes: data.byteLength, free };
  live.numTensors++;
  live.numBytes += data.byteLength;
  onTrackedCreated?.(t);
  return t;
}

/** Called with every tracked tensor made (the memory scopes register it). @internal */
let onTrackedCreated: ((t: Tensor<TensorData>) => void) | null = null;

/** Installs the hook {@link ownedTensor} and {@link viewOf} call (src/tensor/scopes.ts). @internal */
export function setTrackedHook(hook: ((t: Tensor<TensorData>) => void) | null): void {
  onTrackedCreated = hook;
}

/**
 * Makes a tensor from nested arrays or a typed array.
 * @param values numbers, nested arrays (rectangular), or a typed array (copied).
 * @param shape  optional; required to reshape a flat array. Inferred from nesting otherwise.
 * @param dtype  'float32' (default), 'float64', 'int32' or 'bool'; a typed array defaults to its own dtype.
 * @throws TypeError on ragged arrays or non-numbers; RangeError when shape and values disagree.
 */
export function tensor(values: FloatArray | NestedArray, shape?: readonly number[], dtype?: DType): Tensor;
export function tensor<D extends DataType>(values: TensorData | NestedArray, shape: readonly number[] | undefined, dtype: D): Tensor<ArrayOf<D>>;
export function tensor(values: TensorData | NestedArray, shape?: readonly number[], dtype?: DataType): Tensor<TensorData> {
  if (isTensorData(values)) {
    const d = dtype ?? dtypeOf(values);
    const out = allocData(d, values.length);
    if (d === 'bool') castToBool(values, out as Uint8Array); else out.set(values);
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
  const d = dtype ?? 'float32';
  const data = allocData(d, flat.length);
  if (d === 'bool') castToBool(Float64Array.from(flat), data as Uint8Array);
  else for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
  return new Tensor(data, shape ?? inferred);
}
