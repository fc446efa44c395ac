/**
 * The op runtime: output allocation (tracked tensors on backend buffers), operand conversion,
 * and the tape. An op computes with kernels, then calls {@link record} with its vector-Jacobian
 * product (written with ops, so it is itself differentiable). Nothing is recorded unless a
 * gradient call is running (src/autograd/) and an input is watched or taped: inference pays one
 * integer comparison per op. Rules: docs/design.md, "Tensors made by ops".
 */
import { freeBuffer, getKernels } from '../kernels/index.js';
import { Tensor, allocArray, allocData, ownedTensor, tensor, type ArrayOf, type DataType, type DType, type FloatArray, type NestedArray, type TensorData } from '../tensor/tensor.js';
import { sizeOf } from '../tensor/shape.js';

/** A tensor of any dtype. */
export type AnyTensor = Tensor<TensorData>;
/** What an op accepts as an operand: a tensor, a number, or nested arrays (made in the other operand's dtype). */
export type TensorLike = AnyTensor | number | NestedArray;
/**
 * Gradients for each input from the output's gradient dy (null: no gradient for that input);
 * `needs[i]` says whether input i's gradient is wanted (a product may skip the others).
 */
export type Vjp = (dy: Tensor, needs: readonly boolean[]) => (Tensor | null)[];

/** A recorded op: the tensors it read and its vector-Jacobian product. */
export interface TapeNode { readonly op: string; readonly inputs: readonly AnyTensor[]; readonly vjp: Vjp }

const nodes = new WeakMap<AnyTensor, TapeNode>();
/** Outputs of ops without a gradient that depended on watched tensors: the op's name. */
const blocked = new WeakMap<AnyTensor, string>();
/** Tensors the running gradient calls differentiate with respect to (a count per tensor). */
const watched = new Map<AnyTensor, number>();
let activeCalls = 0;
let paused = 0;

const freeData = (d: TensorData): void => freeBuffer(d as FloatArray);

/** A new tracked tensor: float buffers from the current backend, int32/bool on the JavaScript heap. */
export function makeTensor<D extends DataType>(dtype: D, shape: readonly number[]): Tensor<ArrayOf<D>> {
  const n = sizeOf(shape);
  if (dtype === 'float32' || dtype === 'float64') return ownedTensor(getKernels().alloc(dtype, n) as ArrayOf<D>, shape, freeData);
  return ownedTensor(allocData(dtype, n), shape, null);
}

/** Is `t` a float tensor? */
export function isFloat(t: AnyTensor): t is Tensor {
  return t.dtype === 'float32' || t.dtype === 'float64';
}

/** The float dtype two operands compute in: float64 if either is, else float32. */
export function floatTypeOf(...ts: AnyTensor[]): DType {
  return ts.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
}

/**
 * An operand as a tensor: numbers and arrays become (untracked) tensors of `dtype`.
 * @throws TypeError naming the op for anything else.
 */
export function toTensor(v: TensorLike, dtype: DataType, op: string): AnyTensor {
  if (v instanceof Tensor) return v as AnyTensor;
  if (typeof v === 'number') {
    const d = dtype === 'bool' || dtype === 'int32' ? allocArray('float32', 1) : allocArray(dtype, 1);
    d[0] = v;
    return new Tensor(d, []) as AnyTensor;
  }
  if (Array.isArray(v)) return tensor(v, undefined, dtype === 'float64' ? 'float64' : 'float32') as AnyTensor;
  throw new TypeError(`${op}: expected a Tensor, a number or nested arrays of numbers, got ${Object.prototype.toString.call(v)}`);
}

/** `t` in float dtype `dtype` (itself when it already is; a tracked, differentiable cast otherwise). */
export function asFloat(t: AnyTensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t as Tensor;
  const out = makeTensor(dtype, t.shape);
  getKernels().castData(t.data, out.data);
  if (isFloat(t)) record('cast', out, [t], (dy) => [asFloat(dy, t.dtype as DType)]);
  else recordNoGradient('cast', out, [t]);
  return out;
}

/** True while a gradient call is running and recording is not paused. */
export function isRecording(): boolean {
  return activeCalls > 0 && paused === 0;
}

/** Is `t` taped or watched (so an op reading it must be recorded)? */
export function requiresGrad(t: AnyTensor): boolean {
  return nodes.has(t) || watched.has(t);
}

/**
 * `t` itself, or, when a taped op will read the untracked constant `t` (a JavaScript-heap batch of
 * inputs, say) again in its backward pass, a tracked copy on the backend: one copy into backend
 * memory instead of one staging copy per kernel call. Only for a `t` no gradient is taken for.
 */
export function constantOnBackend<T extends AnyTensor>(t: T, others: readonly AnyTensor[]): T {
  if (t._storage !== null || activeCalls === 0 || paused > 0 || !isFloat(t) || nodes.has(t) || watched.has(t)) return t;
  if (!others.some((o) => nodes.has(o) || watched.has(o))) return t;
  const c = makeTensor(t.dtype as DType, t.shape);
  c.data.set(t.data as FloatArray);
  return c as unknown as T;
}

/** Records `out = op(inputs)` with its vector-Jacobian product, when recording and an input requires a gradient. */
export function record(op: string, out: AnyTensor, inputs: readonly AnyTensor[], vjp: Vjp): void {
  if (activeCalls === 0 || paused > 0) return;
  for (const x of inputs) if (nodes.has(x) || watched.has(x)) { nodes.set(out, { op, inputs, vjp }); return; }
  inheritBlock(out, inputs);
}

/** Records that `out` comes from an op without a gradient: a constant that names the op. */
export function recordNoGradient(op: string, out: AnyTensor, inputs: readonly AnyTensor[]): void {
  if (activeCalls === 0 || paused > 0) return;
  for (const x of inputs) if (nodes.has(x) || watched.has(x)) { blocked.set(out, op); return; }
  inheritBlock(out, inputs);
}

function inheritBlock(out: AnyTensor, inputs: readonly AnyTensor[]): void {
  for (const x of inputs) { const b = blocked.get(x); if (b !== undefined) { blocked.set(out, b); return; } }
}

/** The node that made `t`, if taped. */
export function nodeOf(t: AnyTensor): TapeNode | undefined {
  return nodes.get(t);
}

/** Drops the tape entries of `ts` (results leaving an outermost gradient call become constants). */
export function forgetTape(ts: Iterable<AnyTensor>): void {
  for (const t of ts) { nodes.delete(t); blocked.delete(t); }
}

/** The op without a gradient that cut `t` off from the watched tensors, if any. */
export function blockedBy(t: AnyTensor): string | undefined {
  return blocked.get(t);
}

/** Runs `fn` as a gradient call watching `xs` (recording on while it runs). */
export function withTape<T>(xs: readonly AnyTensor[], fn: () => T): T {
  activeCalls++;
  for (const x of xs) watched.set(x, (watched.get(x) ?? 0) + 1);
  try { return fn(); } finally {
    activeCalls--;
    for (const x of xs) { const c = watched.get(x)! - 1; if (c === 0) watched.delete(x); else watched.set(x, c); }
  }
}

/** The number of gradient calls running (nested calls count each). */
export function gradientDepth(): number {
  return activeCalls;
}

/** Runs `fn` without recording (a customGrad's forward pass; a backward pass no outer call differentiates). */
export function withoutRecording<T>(fn: () => T): T {
  paused++;
  try { return fn(); } finally { paused--; }
}
