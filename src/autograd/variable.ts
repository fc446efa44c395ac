/**
 * Variables, as TF.js has them: mutable tensors that `variableGrads` (and optimisers)
 * differentiate with respect to, registered by a unique name.
 */
import { freeBuffer, getKernels } from '../kernels/index.js';
import { gradientDepth, isFloat, type AnyTensor } from '../ops/engine.js';
import { keep } from '../tensor/scopes.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, adoptBuffer, type FloatArray } from '../tensor/tensor.js';
import { backprop, gradientCall, notConnected } from './backprop.js';

/** Gradients (or other tensors) by variable name, as TF.js's `NamedTensorMap`. */
export type NamedTensorMap = Record<string, Tensor>;

const registry = new Map<string, Variable>();
let unnamed = 0;

/** A float tensor whose value can change (`assign`), owned by the backend and never disposed by `tidy`. */
export class Variable extends Tensor {
  /** Whether `variableGrads` (without a list) and optimisers differentiate it. */
  trainable: boolean;
  readonly name: string;

  /** Use {@link variable}. */
  constructor(initial: Tensor, trainable: boolean, name: string) {
    const data = getKernels().alloc(initial.dtype, initial.size);
    data.set(initial.data);
    super(data, initial.shape);
    this.trainable = trainable;
    this.name = name;
    adoptBuffer(this as Tensor, (d) => freeBuffer(d as FloatArray));
    keep(this as Tensor);
  }

  /**
   * Copies `value` into the variable (same shape and dtype), as TF.js's `assign`.
   * @throws Error inside a gradient call (the tape would see the old value); RangeError/TypeError
   *   on a shape or dtype mismatch.
   */
  assign(value: Tensor): void {
    if (gradientDepth() > 0) throw new Error(`Variable ${this.name}: assign() inside a gradient call would change a taped value; assign after it returns`);
    if (!shapesEqual(value.shape, this.shape)) throw new RangeError(`Variable ${this.name}: assign() of shape ${formatShape(value.shape)} to a variable of shape ${formatShape(this.shape)}`);
    if (value.dtype !== this.dtype) throw new TypeError(`Variable ${this.name}: assign() of a ${value.dtype} tensor to a ${this.dtype} variable`);
    this.data.set(value.data);
  }

  /** Disposes the variable and frees its name. */
  override dispose(): void {
    if (registry.get(this.name) === this) registry.delete(this.name);
    super.dispose();
  }

  override describe(): string { return `Variable '${this.name}' ${this.dtype} ${formatShape(this.shape)}`; }
}

/**
 * A new variable holding a copy of `initialValue`, as TF.js's `tf.variable`.
 * @param trainable default true.
 * @param name unique; default `variable_<n>`.
 * @throws TypeError for a non-float tensor; Error when the name is taken by a live variable.
 */
export function variable(initialValue: Tensor, trainable = true, name?: string): Variable {
  if (!(initialValue instanceof Tensor) || !isFloat(initialValue as AnyTensor)) throw new TypeError('variable: the initial value must be a float32 or float64 Tensor');
  let n = name;
  if (n === undefined) do n = `variable_${++unnamed}`; while (registry.has(n));
  if (registry.has(n)) throw new Error(`variable: a variable named '${n}' already exists (dispose it, or choose another name)`);
  const v = new Variable(initialValue, trainable, n);
  registry.set(n, v);
  return v;
}

/** The live variables, in creation order. */
export function registeredVariables(): Variable[] {
  return [...registry.values()];
}

/**
 * The value of the scalar f() and its gradients with respect to variables, as TF.js's
 * `tf.variableGrads`: `varList` (default: every live trainable variable). `grads` maps each
 * variable's name to its gradient; variables f does not use are left out.
 * @throws Error when f does not return a scalar or depends on none of the variables.
 */
export function variableGrads(f: () => Tensor, varList?: readonly Variable[]): { value: Tensor; grads: NamedTensorMap } {
  const vars = varList ? [...varList] : registeredVariables().filter((v) => v.trainable);
  for (const v of vars) if (!(v instanceof Variable)) throw new TypeError('variableGrads: varList must hold Variables (made by variable())');
  if (vars.length === 0) throw new Error('variableGrads: there are no trainable variables to differentiate with respect to');
  return gradientCall(vars as AnyTensor[], () => {
    const value = f();
    if (!(value instanceof Tensor) || value.rank !== 0) throw new TypeError(`variableGrads: f must return a scalar Tensor (rank 0), got ${value instanceof Tensor ? formatShape(value.shape) : typeof value}`);
    const gs = backprop('variableGrads', value as AnyTensor, vars as AnyTensor[]);
    if (gs.every((g) => g === null)) throw notConnected('variableGrads', value, 'variables');
    const grads: NamedTensorMap = {};
    vars.forEach((v, i) => { const g = gs[i]; if (g) grads[v.name] = g; });
    return { value, grads };
  });
}
