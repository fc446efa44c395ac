/**
 * NumPy broadcasting (shapes aligned at the trailing axis; a size-1 or missing axis stretches),
 * and its adjoint pair of ops: `broadcastTo` and `sum` (`sumTo` sums a gradient back to an
 * operand's shape). Also the axis helpers the reductions share.
 */
import { getKernels } from '../kernels/index.js';
import { Tensor, viewOf } from '../tensor/tensor.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { asFloat, floatTypeOf, makeTensor, record, type AnyTensor } from './engine.js';
import { reshape } from './reshape.js';

/**
 * The broadcast shape of several shapes (NumPy rules).
 * @throws RangeError naming `op` and the shapes when an axis differs and neither is 1.
 */
export function broadcastShapes(op: string, ...shapes: (readonly number[])[]): number[] {
  const r = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(r).fill(1);
  for (const s of shapes)
    for (let i = 0; i < s.length; i++) {
      const k = r - s.length + i, d = s[i]!, o = out[k]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[k] = d;
      else throw new RangeError(`${op}: shapes ${shapes.map((x) => formatShape(x)).join(' and ')} cannot be broadcast together (axis ${k}: ${o} vs ${d})`);
    }
  return out;
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}

/** The strides that read a tensor of `shape` at the indices of broadcast shape `out` (0 on stretched axes). */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(shape), r = out.length, off = r - shape.length;
  const s = new Array<number>(r).fill(0);
  for (let i = 0; i < shape.length; i++) s[off + i] = shape[i] === 1 && out[off + i] !== 1 ? 0 : own[i]!;
  return s;
}

/**
 * Normalises `axis` (a number, a list, or undefined/null for all axes; negative counts from the
 * end) into sorted distinct axes of a rank-`rank` tensor.
 * @throws RangeError naming `op` for an axis outside [-rank, rank).
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = new Set<number>();
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) throw new RangeError(`${op}: axis ${a} is out of range for a rank-${rank} tensor`);
    out.add(a < 0 ? a + rank : a);
  }
  return [...out].sort((p, q) => p - q);
}

/** The shape after reducing `axes`: dropped, or kept as 1 with `keepDims`. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => { if (!axes.includes(i)) out.push(d); else if (keepDims) out.push(1); });
  return out;
}

/**
 * Reduces `x` over sorted `axes` with a one-axis kernel, axis runs at a time (intermediates are
 * freed). Returns a tensor of the kept-dims shape.
 */
export function reduceAxes(name: 'sum' | 'prod' | 'max' | 'min', x: Tensor, axes: readonly number[]): Tensor {
  const k = getKernels();
  let cur = x, shape = [...x.shape];
  for (let i = axes.length - 1; i >= 0;) {
    let j = i;
    while (j > 0 && axes[j - 1] === axes[j]! - 1) j--;
    const first = axes[j]!, last = axes[i]!;
    const outer = sizeOf(shape.slice(0, first)), n = sizeOf(shape.slice(first, last + 1)), inner = sizeOf(shape.slice(last + 1));
    const nextShape = [...shape.slice(0, first), ...new Array<number>(last - first + 1).fill(1), ...shape.slice(last + 1)];
    const next = makeTensor(x.dtype, nextShape);
    k.reduceOp(name, cur.data, outer, n, inner, next.data);
    if (cur !== x) cur.dispose();
    cur = next; shape = nextShape;
    i = j - 1;
  }
  return cur === x ? copyOf(x) : cur;
}

/** A tracked copy of `x` (an untaped kernel-level copy). */
function copyOf(x: Tensor): Tensor {
  const out = makeTensor(x.dtype, x.shape);
  out.data.set(x.data);
  return out;
}

/**
 * Sum over `axis` (all axes by default), as TF.js's `tf.sum`; int32/bool sum in float32.
 * Gradient: dy broadcast back over the summed axes.
 * @throws RangeError for an axis out of range.
 */
export function sum(x: AnyTensor, axis?: number | readonly number[] | null, keepDims = false): Tensor {
  const xf = asFloat(x, floatTypeOf(x));
  const axes = normalizeAxes('sum', axis, xf.rank);
  const kept = reduceAxes('sum', xf, axes);
  const out = keepDims ? kept : reshapeOwned(kept, reducedShape(xf.shape, axes, false));
  record('sum', out, [xf], (dy) => [broadcastTo(reshape(dy, reducedShape(xf.shape, axes, true)), xf.shape)]);
  return out;
}

/** `t` with another shape, disposing `t` (an untaped kernel-level result). */
export function reshapeOwned(t: Tensor, shape: readonly number[]): Tensor {
  if (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const v = viewOf(t, shape);
  t.dispose();
  return v;
}

/**
 * `x` repeated along stretched axes to `shape` (NumPy broadcasting), as TF.js's
 * `tf.broadcastTo`. Gradient: summed back (`sumTo`).
 * @throws RangeError when x's shape does not broadcast to `shape`.
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  const b = broadcastShapes('broadcastTo', x.shape, shape);
  if (b.length !== shape.length || b.some((d, i) => d !== shape[i]))
    throw new RangeError(`broadcastTo: shape ${formatShape(x.shape)} does not broadcast to ${formatShape(shape)}`);
  const out = makeTensor(x.dtype, shape);
  getKernels().stridedCopy(x.data, 0, broadcastStrides(x.shape, shape), out.data, 0, stridesOf(shape), shape);
  record('broadcastTo', out, [x], (dy) => [sumTo(dy, x.shape)]);
  return out;
}

/** Sums a gradient of a broadcast shape back to an operand's `shape` (itself when equal). */
export function sumTo(dy: Tensor, shape: readonly number[]): Tensor {
  const r = dy.rank, off = r - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < r; i++) if (i < off || (shape[i - off] === 1 && dy.shape[i] !== 1)) axes.push(i);
  if (axes.length === 0) return dy.rank === shape.length ? dy : reshape(dy, shape);
  return reshape(sum(dy, axes, true), shape);
}
