/**
 * Shape ops (TF.js's names): `transpose expandDims squeeze concat stack slice pad tile gather
 * oneHot` (and `reshape`, src/ops/reshape.ts). They keep the dtype; the float ones are
 * differentiable, their gradients being shape ops again (slice <-> pad, gather <-> scatter-add).
 */
import { getKernels } from '../kernels/index.js';
import { Tensor, type ArrayOf, type DataType, type DType, type TensorData } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { normalizeAxes, stridesOf, sum } from './broadcast.js';
import { asFloat, floatTypeOf, isFloat, makeTensor, record, recordNoGradient, type AnyTensor } from './engine.js';
import { reshape } from './reshape.js';

/** Records a shape op: differentiable for float outputs, a constant otherwise. */
function recordShape(op: string, out: AnyTensor, inputs: AnyTensor[], vjp: (dy: Tensor) => (Tensor | null)[]): void {
  if (isFloat(out)) record(op, out, inputs, vjp); else recordNoGradient(op, out, inputs);
}

/**
 * Permutes the axes: out.shape[i] = x.shape[perm[i]] (default: reversed), as TF.js's
 * `tf.transpose`. Gradient: the inverse permutation.
 * @throws RangeError when perm is not a permutation of 0..rank-1.
 */
export function transpose<A extends TensorData>(x: Tensor<A>, perm?: readonly number[]): Tensor<A> {
  const r = x.rank, p = perm ? [...perm] : Array.from({ length: r }, (_, i) => r - 1 - i);
  if (p.length !== r || [...p].sort((a, b) => a - b).some((v, i) => v !== i))
    throw new RangeError(`transpose: perm ${formatShape(p)} is not a permutation of the ${r} axes of ${formatShape(x.shape)}`);
  const shape = p.map((a) => x.shape[a]!), xs = stridesOf(x.shape);
  const out = makeTensor(x.dtype as DataType, shape) as unknown as Tensor<A>;
  getKernels().stridedCopy(x.data, 0, p.map((a) => xs[a]!), out.data, 0, stridesOf(shape), shape);
  const inverse = new Array<number>(r);
  p.forEach((a, i) => { inverse[a] = i; });
  recordShape('transpose', out as AnyTensor, [x as AnyTensor], (dy) => [transpose(dy, inverse)]);
  return out;
}

/** Inserts a size-1 axis at `axis` (in [-(rank+1), rank]), as TF.js's `tf.expandDims`. */
export function expandDims<A extends TensorData>(x: Tensor<A>, axis = 0): Tensor<A> {
  const r = x.rank;
  if (!Number.isInteger(axis) || axis < -(r + 1) || axis > r) throw new RangeError(`expandDims: axis ${axis} is out of range for a rank-${r} tensor`);
  const a = axis < 0 ? axis + r + 1 : axis;
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

/**
 * Removes size-1 axes (all of them, or those in `axis`), as TF.js's `tf.squeeze`.
 * @throws RangeError when a listed axis is not of size 1.
 */
export function squeeze<A extends TensorData>(x: Tensor<A>, axis?: number | readonly number[]): Tensor<A> {
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, x.rank);
  for (const a of axes) if (x.shape[a] !== 1) throw new RangeError(`squeeze: axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/** One dtype for several tensors (floats promote; int32/bool must match). */
function common(op: string, xs: readonly AnyTensor[]): AnyTensor[] {
  if (xs.length === 0) throw new RangeError(`${op}: needs at least one tensor`);
  if (xs.every((t) => t.dtype === xs[0]!.dtype)) return [...xs];
  if (!xs.every(isFloat)) throw new TypeError(`${op}: the tensors' dtypes differ (${xs.map((t) => t.dtype).join(', ')})`);
  const dt = floatTypeOf(...xs);
  return xs.map((t) => asFloat(t, dt));
}

/**
 * Joins tensors along `axis` (all other axes equal), as TF.js's `tf.concat`. Gradient: the
 * matching slices of dy. @throws RangeError on mismatched shapes.
 */
export function concat<A extends TensorData>(tensors: readonly Tensor<A>[], axis = 0): Tensor<A> {
  const xs = common('concat', tensors as readonly AnyTensor[]);
  const first = xs[0]!, r = first.rank;
  const [a] = normalizeAxes('concat', axis, Math.max(r, 1));
  if (r === 0) throw new RangeError('concat: cannot concatenate scalars (use stack)');
  for (const t of xs)
    if (t.rank !== r || t.shape.some((d, i) => i !== a && d !== first.shape[i]))
      throw new RangeError(`concat: shapes ${xs.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${a}`);
  const shape = [...first.shape];
  shape[a!] = xs.reduce((acc, t) => acc + t.shape[a!]!, 0);
  const out = makeTensor(first.dtype as DataType, shape) as AnyTensor;
  const os = stridesOf(shape), k = getKernels();
  const begins: number[] = [];
  let at = 0;
  for (const t of xs) { begins.push(at); k.stridedCopy(t.data, 0, stridesOf(t.shape), out.data, at * os[a!]!, os, t.shape); at += t.shape[a!]!; }
  recordShape('concat', out, xs, (dy) => xs.map((t, i) => {
    const b = new Array<number>(r).fill(0);
    b[a!] = begins[i]!;
    return slice(dy, b, t.shape);
  }));
  return out as unknown as Tensor<A>;
}

/** Stacks equal-shaped tensors along a new axis `axis`, as TF.js's `tf.stack`. */
export function stack<A extends TensorData>(tensors: readonly Tensor<A>[], axis = 0): Tensor<A> {
  if (tensors.length === 0) throw new RangeError('stack: needs at least one tensor');
  const s0 = tensors[0]!.shape;
  for (const t of tensors) if (t.rank !== s0.length || t.shape.some((d, i) => d !== s0[i])) throw new RangeError(`stack: shapes ${tensors.map((u) => formatShape(u.shape)).join(', ')} differ`);
  return concat(tensors.map((t) => expandDims(t, axis)), axis < 0 ? axis + s0.length + 1 : axis);
}

/**
 * The block starting at `begin` of extent `size` (-1: to the end; numbers apply to the first
 * axes), as TF.js's `tf.slice`. Gradient: dy padded with zeros back to x's shape.
 * @throws RangeError when the block leaves the tensor.
 */
export function slice<A extends TensorData>(x: Tensor<A>, begin: number | readonly number[], size?: number | readonly number[]): Tensor<A> {
  const r = x.rank;
  const b = typeof begin === 'number' ? [begin] : [...begin];
  const sz = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  const bb: number[] = [], ss: number[] = [];
  for (let i = 0; i < r; i++) {
    const d = x.shape[i]!, bi = b[i] ?? 0, si = sz[i] ?? -1, s = si === -1 ? d - bi : si;
    if (!Number.isInteger(bi) || !Number.isInteger(s) || bi < 0 || s < 0 || bi + s > d)
      throw new RangeError(`slice: begin ${formatShape(b)} size ${formatShape(sz)} leaves ${formatShape(x.shape)} on axis ${i}`);
    bb.push(bi); ss.push(s);
  }
  const xs = stridesOf(x.shape);
  const out = makeTensor(x.dtype as DataType, ss) as unknown as Tensor<A>;
  getKernels().stridedCopy(x.data, bb.reduce((acc, v, i) => acc + v * xs[i]!, 0), xs, out.data, 0, stridesOf(ss), ss);
  recordShape('slice', out as AnyTensor, [x as AnyTensor], (dy) => [pad(dy, bb.map((v, i) => [v, x.shape[i]! - v - ss[i]!] as [number, number]))]);
  return out;
}

/**
 * Pads each axis i with paddings[i] = [before, after] entries of `constantValue`, as TF.js's
 * `tf.pad`. Gradient: the interior slice of dy. @throws RangeError on malformed paddings.
 */
export function pad<A extends TensorData>(x: Tensor<A>, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor<A> {
  if (paddings.length !== x.rank || paddings.some((p) => p.length !== 2 || !p.every((v) => Number.isInteger(v) && v >= 0)))
    throw new RangeError(`pad: paddings must be ${x.rank} pairs of non-negative integers, got ${JSON.stringify(paddings)}`);
  const shape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = makeTensor(x.dtype as DataType, shape) as unknown as Tensor<A>;
  const os = stridesOf(shape), k = getKernels();
  if (constantValue !== 0) k.fillValue(out.data, constantValue);
  k.stridedCopy(x.data, 0, stridesOf(x.shape), out.data, paddings.reduce((acc, p, i) => acc + p[0] * os[i]!, 0), os, x.shape);
  recordShape('pad', out as AnyTensor, [x as AnyTensor], (dy) => [slice(dy, paddings.map((p) => p[0]), x.shape)]);
  return out;
}

/**
 * Repeats x reps[i] times along axis i, as TF.js's `tf.tile`. Gradient: dy summed over the copies.
 * @throws RangeError unless reps has one non-negative integer per axis.
 */
export function tile<A extends TensorData>(x: Tensor<A>, reps: readonly number[]): Tensor<A> {
  if (reps.length !== x.rank || !reps.every((v) => Number.isInteger(v) && v >= 0))
    throw new RangeError(`tile: reps must be ${x.rank} non-negative integers, got ${JSON.stringify(reps)}`);
  const xs = stridesOf(x.shape);
  const wide = x.shape.flatMap((d, i) => [reps[i]!, d]);
  const shape = x.shape.map((d, i) => d * reps[i]!);
  const out = makeTensor(x.dtype as DataType, shape) as unknown as Tensor<A>;
  getKernels().stridedCopy(x.data, 0, xs.flatMap((s) => [0, s]), out.data, 0, stridesOf(wide), wide);
  recordShape('tile', out as AnyTensor, [x as AnyTensor], (dy) => [reshape(sum(reshape(dy, wide), reps.map((_, i) => 2 * i)), x.shape)]);
  return out;
}

/** Indices as a tensor (arrays become int32). */
function indexTensor(indices: AnyTensor | readonly number[]): AnyTensor {
  return indices instanceof Tensor ? indices : new Tensor(Int32Array.from(indices), [indices.length]) as AnyTensor;
}

/**
 * Rows (slices along `axis`) of x picked by `indices` (int32, or integral floats): the result has
 * shape x.shape[:axis] ++ indices.shape ++ x.shape[axis+1:], as TF.js's `tf.gather`. Gradient:
 * dy scattered back and added (repeated indices accumulate); none for the indices.
 * @throws RangeError for an index outside [0, x.shape[axis]).
 */
export function gather<A extends TensorData>(x: Tensor<A>, indices: AnyTensor | readonly number[], axis = 0): Tensor<A> {
  const idx = indexTensor(indices);
  const [a] = normalizeAxes('gather', axis, Math.max(x.rank, 1));
  if (x.rank === 0) throw new RangeError('gather: x must have rank >= 1');
  const outer = sizeOf(x.shape.slice(0, a)), n = x.shape[a!]!, inner = sizeOf(x.shape.slice(a! + 1));
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a! + 1)];
  const out = makeTensor(x.dtype as DataType, shape) as unknown as Tensor<A>;
  getKernels().gatherAxis(x.data, outer, n, inner, idx.data, out.data);
  recordShape('gather', out as AnyTensor, [x as AnyTensor], (dy) => [scatterAdd(dy, idx, x.shape, a!)]);
  return out;
}

/** The adjoint of gather: zeros of `shape` with dy's slices added at `indices` along `axis`. Gradient: gather. */
function scatterAdd(dy: Tensor, idx: AnyTensor, shape: readonly number[], axis: number): Tensor {
  const out = makeTensor(dy.dtype, shape);
  getKernels().scatterAddAxis(dy.data, sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1)), idx.data, out.data);
  record('scatterAdd', out, [dy], (g) => [gather(g, idx, axis)]);
  return out;
}

/**
 * One-hot rows: out[..., k] = onValue where k = indices[...], else offValue; shape
 * `[...indices.shape, depth]`, as TF.js's `tf.oneHot`. Differences: the result is float (the
 * indices' float dtype, else float32; `dtype` chooses) because losses take floats, and an index
 * outside [0, depth) throws instead of giving a row of offValue. The legacy form
 * `oneHot(labels, depth, dtype)` still works. No gradient.
 * @throws RangeError naming the position of an index that is not an integer in [0, depth).
 */
export function oneHot(indices: AnyTensor | readonly number[], depth: number, onValue: number | DType = 1, offValue = 0, dtype?: DType): Tensor {
  if (typeof onValue === 'string') { dtype = onValue; onValue = 1; }
  if (!Number.isInteger(depth) || depth <= 0) throw new RangeError(`oneHot: depth must be a positive integer, got ${depth}`);
  const idx = indexTensor(indices);
  const dt: DType = dtype ?? (isFloat(idx) ? idx.dtype as DType : 'float32');
  const out = makeTensor(dt, [...idx.shape, depth]) as Tensor<ArrayOf<DType>>;
  getKernels().oneHotFill(idx.data, depth, onValue, offValue, out.data);
  recordNoGradient('oneHot', out, [idx]);
  return out as Tensor;
}
