/**
 * The machinery every optimiser shares: learning-rate resolution (a number or a schedule),
 * gradient clipping, slots allocated from the backend on first use and keyed by parameter name,
 * the step count, and checkpoint access to the slots; and, from the optimiser's
 * {@link OptimizerSpec}, its option checks, option fields, config and slot names. A concrete
 * optimiser is a spec plus its update kernel call ({@link BaseOptimizer.update}).
 *
 * Gradient clipping follows Keras 2 (`optimizer_v2`), applied to each trainable parameter's
 * gradient separately, before the update, in this order:
 *   1. `clipvalue`: every element is clamped to [-clipvalue, clipvalue] (`tf.clip_by_value`);
 *   2. `clipnorm`: each gradient TENSOR is rescaled by its own L2 norm,
 *      g *= clipnorm / max(||g||_2, clipnorm) (`tf.clip_by_norm`, per variable; this is not
 *      Keras's `global_clipnorm`, which nabla does not offer).
 * Clipping works on a scratch copy of the gradient, so `param.grad` is left as backward wrote it.
 */
import { DisposedError, throwOnUseAfterDispose } from '../errors.js';
import { getKernels } from '../kernels/index.js';
import type { Backend } from '../kernels/backend.js';
import { registeredVariables, variableGrads, type NamedTensorMap, type Variable } from '../autograd/variable.js';
import type { Param } from '../nn/param.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor, dtypeOf } from '../tensor/tensor.js';
import type { DType, FloatArray } from '../tensor/tensor.js';
import type { LearningRateSchedule, NamedGradient, Optimizer } from './optimizer.js';
import { isLearningRateSchedule } from './schedules.js';
import { ownOptions, type OptimizerSpec, type OptionValue, type SlotSpec } from './spec.js';
import { checkOptionKeys, describe, positiveFinite, withDefault } from './validate.js';

/** Options every optimiser takes. */
export interface BaseOptimizerOptions {
  /** A finite number > 0, or a {@link LearningRateSchedule} evaluated at `iterations` before each update. */
  learningRate?: number | LearningRateSchedule;
  /** When set (> 0), each gradient tensor is rescaled so its L2 norm is at most clipnorm. */
  clipnorm?: number;
  /** When set (> 0), each gradient element is clamped to [-clipvalue, clipvalue]. */
  clipvalue?: number;
}

/** The option keys of {@link BaseOptimizerOptions}, for the unknown-key check. */
export const BASE_OPTION_KEYS: readonly string[] = ['learningRate', 'clipnorm', 'clipvalue'];

export type { SlotSpec } from './spec.js';

interface SlotEntry {
  data: FloatArray;
  shape: readonly number[];
  backend: Backend;
}

interface ScratchEntry {
  data: FloatArray;
  backend: Backend;
}

/**
 * @throws TypeError / RangeError unless value is a finite number > 0 or a schedule.
 */
function checkLearningRate(owner: string, value: unknown): number | LearningRateSchedule {
  if (isLearningRateSchedule(value)) return value;
  if (typeof value === 'object' && value !== null)
    throw new TypeError(`${owner}: learningRate must be a finite number > 0 or a schedule (an object with at() and getConfig()), got ${describe(value)}`);
  return positiveFinite(owner, 'learningRate', value);
}

/**
 * Shared base of SGD, Adam, RMSprop and Adagrad; implements {@link Optimizer}.
 * A subclass names its {@link OptimizerSpec} ({@link spec}); the constructor checks the keys
 * (learningRate, clipnorm, clipvalue and the spec's options), validates each option with the
 * spec's check in the spec's order and sets it as a field of the same name (the subclass declares
 * those fields with `declare readonly`), and derives getConfig() and the slots from the spec. The
 * subclass implements {@link update} with one kernel call.
 */
export abstract class BaseOptimizer<O extends BaseOptimizerOptions = BaseOptimizerOptions> implements Optimizer {
  /** Registry name: 'sgd' | 'adam' | 'rmsprop' | 'adagrad'. */
  readonly name: string;
  /** Keras class name, used in getConfig() and errors: 'SGD' | 'Adam' | 'RMSprop' | 'Adagrad'. */
  readonly className: string;
  /** Per-tensor L2-norm clip, or undefined. */
  readonly clipnorm: number | undefined;
  /** Per-element absolute-value clip, or undefined. */
  readonly clipvalue: number | undefined;

  /** The spec's options after validation, in the spec's order. */
  private readonly own: Readonly<Record<string, OptionValue>>;
  private readonly specs: readonly SlotSpec[];
  private _learningRate: number | LearningRateSchedule;
  private _iterations = 0;
  /** `<param name>/<slot name>` -> slot buffer (insertion order = order of first use). */
  private readonly slots = new Map<string, SlotEntry>();
  /** Shape and dtype of every parameter this optimiser has updated, by name. */
  private readonly seen = new Map<string, { shape: readonly number[]; dtype: DType }>();
  private readonly scratch = new Map<DType, ScratchEntry>();
  private isDisposed = false;

  /**
   * @param options the user's options (`{}` when omitted); which ones exist is the subclass's {@link spec}.
   * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong
   * type; RangeError naming the option when learningRate, clipnorm, clipvalue or an own option is
   * out of range (the learning rate and clipping are checked first, then the spec's options in order).
   */
  constructor(options: O = {} as O) {
    const spec = this.spec;
    const o = checkOptionKeys(spec.className, options, [...BASE_OPTION_KEYS, ...Object.keys(spec.options)]);
    this.name = spec.name;
    this.className = spec.className;
    this._learningRate = checkLearningRate(spec.className, withDefault(o, 'learningRate', spec.learningRate));
    this.clipnorm = o['clipnorm'] === undefined ? undefined : positiveFinite(spec.className, 'clipnorm', o['clipnorm']);
    this.clipvalue = o['clipvalue'] === undefined ? undefined : positiveFinite(spec.className, 'clipvalue', o['clipvalue']);
    this.own = ownOptions(spec, o);
    Object.assign(this, this.own);
    this.specs = spec.slots(this.own);
  }

  /**
   * The optimiser's description, read once by the constructor: every subclass overrides this
   * getter to return a module constant (a getter on the prototype, since instance fields are not
   * set yet while the base constructor runs; TypeScript forbids an abstract member there).
   * @throws TypeError when a subclass does not override it.
   */
  protected get spec(): OptimizerSpec {
    throw new TypeError(`${this.constructor.name}: a BaseOptimizer subclass must override the 'spec' getter with its OptimizerSpec`);
  }

  /** The slots this optimiser keeps for each parameter, in a fixed order (from the spec). */
  protected get slotSpecs(): readonly SlotSpec[] {
    return this.specs;
  }

  /**
   * One update of one parameter, in place, through a kernel.
   * @param w the parameter's values; @param g its (clipped) gradient;
   * @param slots its slot buffers in {@link slotSpecs} order; @param lr this step's learning rate;
   * @param t this step's 1-based index (iterations + 1).
   */
  protected abstract update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number, t: number): void;

  /** A number or a schedule. Setting it validates like the constructor (useful to callbacks that lower the rate). */
  get learningRate(): number | LearningRateSchedule {
    return this._learningRate;
  }
  set learningRate(value: number | LearningRateSchedule) {
    this.liveForSetter('learningRate');
    this._learningRate = checkLearningRate(this.className, value);
  }

  /** Number of updates applied so far. @throws RangeError when set to anything but an integer >= 0. */
  get iterations(): number {
    return this._iterations;
  }
  set iterations(value: number) {
    this.liveForSetter('iterations');
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`${this.className}: iterations must be an integer >= 0, got ${describe(value)}`);
    this._iterations = value;
  }

  /** @throws DisposedError naming the optimiser when setting `what` after dispose. */
  private liveForSetter(what: string): void {
    if (this.isDisposed) throw new DisposedError(`${this.className} optimizer`, `setting ${what}`);
  }

  /**
   * The learning rate the next update will use: the number, or the schedule at `iterations`.
   * @throws RangeError when a schedule returns something other than a finite number >= 0.
   */
  currentLearningRate(): number {
    const lr = this._learningRate;
    if (typeof lr === 'number') return lr;
    const value = lr.at(this._iterations);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new RangeError(`${this.className}: the learning-rate schedule ${lr.getConfig().className} returned ${describe(value)} at step ${this._iterations}; expected a finite number >= 0`);
    return value;
  }

  /**
   * One update of every trainable parameter from its `grad`: clip (when set), then the
   * optimiser's formula with this step's learning rate; then `iterations` grows by one.
   * Everything is checked and every slot allocated before the first parameter changes, so an
   * error leaves the parameters and slots as they were.
   * As TF.js, `params` may instead map variable names to gradients (a NamedTensorMap, as
   * variableGrads returns it, or `{ name, tensor }[]`): each live variable of that name
   * (variable()) is updated, its slots keyed by its name.
   * @throws TypeError when params is not an array or a param has no Tensor value/grad.
   * @throws Error naming the parameter when names repeat, grad's shape or dtype differs from the
   * value's, a restored slot's shape differs from the parameter's, or no live variable has a
   * gradient's name.
   */
  applyGradients(input: readonly Param[] | NamedTensorMap | readonly NamedGradient[]): void {
    const params = this.asParams(input);
    if (!Array.isArray(params)) throw new TypeError(`${this.className}.applyGradients: params must be an array of parameters or a map of gradients by variable name, got ${describe(params)}`);
    const names = new Set<string>();
    const active: Param[] = [];
    params.forEach((p: Param, i) => {
      if (p === null || typeof p !== 'object' || typeof p.name !== 'string' || p.name === '')
        throw new TypeError(`${this.className}.applyGradients: params[${i}] must be a parameter with a non-empty name`);
      if (names.has(p.name)) throw new Error(`${this.className}.applyGradients: parameter name '${p.name}' appears twice; names key the optimiser's slots and must be unique`);
      names.add(p.name);
      if (!p.trainable) return;
      if (!(p.value instanceof Tensor) || !(p.grad instanceof Tensor))
        throw new TypeError(`${this.className}.applyGradients: parameter '${p.name}' must have Tensor value and grad`);
      if (!shapesEqual(p.value.shape, p.grad.shape))
        throw new Error(`${this.className}.applyGradients: parameter '${p.name}' has value shape ${formatShape(p.value.shape)} but grad shape ${formatShape(p.grad.shape)}`);
      if (p.value.dtype !== p.grad.dtype)
        throw new Error(`${this.className}.applyGradients: parameter '${p.name}' has value dtype ${p.value.dtype} but grad dtype ${p.grad.dtype}`);
      const known = this.seen.get(p.name);
      if (known !== undefined && !shapesEqual(known.shape, p.value.shape))
        throw new Error(`${this.className}.applyGradients: parameter '${p.name}' had shape ${formatShape(known.shape)} in earlier updates but has ${formatShape(p.value.shape)} now`);
      for (const spec of this.slotSpecs) {
        const slot = this.slots.get(`${p.name}/${spec.name}`);
        if (slot !== undefined && !shapesEqual(slot.shape, p.value.shape))
          throw new Error(`${this.className}.applyGradients: slot '${p.name}/${spec.name}' has shape ${formatShape(slot.shape)} but parameter '${p.name}' has shape ${formatShape(p.value.shape)}`);
      }
      active.push(p);
    });
    const lr = this.currentLearningRate();
    const t = this._iterations + 1;

    // Allocate everything first: a backend may move its memory when it grows.
    const slotBuffers = active.map((p) => {
      this.seen.set(p.name, { shape: p.value.shape, dtype: p.value.dtype });
      return this.slotSpecs.map((spec) => this.slotFor(p, spec));
    });
    const clipping = this.clipnorm !== undefined || this.clipvalue !== undefined;
    if (clipping) for (const p of active) this.ensureScratch(p.value.dtype, p.value.size);

    const k = getKernels();
    active.forEach((p, i) => {
      let g = p.grad.data;
      if (clipping) {
        const buffer = this.scratch.get(p.value.dtype)!.data.subarray(0, g.length);
        buffer.set(g);
        g = buffer;
        if (this.clipvalue !== undefined) k.clip(g, -this.clipvalue, this.clipvalue);
        if (this.clipnorm !== undefined) {
          const norm = Math.sqrt(k.sumSquares(g));
          if (norm > this.clipnorm) k.scale(g, this.clipnorm / norm);
        }
      }
      this.update(p.value.data, g, slotBuffers[i]!, lr, t);
    });
    this._iterations = t;
  }

  /**
   * Minimises the scalar `f()` over variables, as TF.js's `optimizer.minimize(f, returnCost?,
   * varList?)` (also `minimize(f, varList)`): variableGrads(f, varList) (default: every live
   * trainable variable), then one update. Returns the cost when `returnCost` is true (the caller
   * disposes it), else null; the gradients are freed.
   * @throws Error as variableGrads does (f not a scalar, no variable it depends on).
   */
  minimize(f: () => Tensor, returnCost: boolean | readonly Variable[] = false, varList?: readonly Variable[]): Tensor | null {
    const list = Array.isArray(returnCost) ? returnCost as readonly Variable[] : varList;
    const { value, grads } = variableGrads(f, list);
    try { this.applyGradients(grads); } finally { for (const g of Object.values(grads)) g.dispose(); }
    if (returnCost === true) return value;
    value.dispose();
    return null;
  }

  /** Params as they are; a NamedTensorMap or `{ name, tensor }[]` as the live variables of those names with those gradients. */
  private asParams(input: readonly Param[] | NamedTensorMap | readonly NamedGradient[]): readonly Param[] {
    const named: [string, unknown][] | null = Array.isArray(input)
      ? (input.length > 0 && input.every((e) => e !== null && typeof e === 'object' && 'tensor' in e && !('value' in e)) ? (input as NamedGradient[]).map((e) => [e.name, e.tensor]) : null)
      : input !== null && typeof input === 'object' ? Object.entries(input) : null;
    if (named === null) return input as readonly Param[];
    const vars = new Map(registeredVariables().map((v) => [v.name, v]));
    return named.map(([name, g]) => {
      const v = vars.get(name);
      if (!v) throw new Error(`${this.className}.applyGradients: no live variable is named '${name}' (gradients are keyed by variable name, as variableGrads returns them)`);
      if (!(g instanceof Tensor)) throw new TypeError(`${this.className}.applyGradients: the gradient of '${name}' must be a Tensor`);
      return { name, value: v, grad: g, trainable: true };
    });
  }

  /** The slot buffer of a parameter, allocated (filled with the spec's initial value) on first use. */
  private slotFor(p: Param, spec: SlotSpec): FloatArray {
    const key = `${p.name}/${spec.name}`;
    const existing = this.slots.get(key);
    if (existing !== undefined && dtypeOf(existing.data) === p.value.dtype) return existing.data;
    const backend = getKernels();
    const data = backend.alloc(p.value.dtype, p.value.size);
    if (existing !== undefined) {
      // restored from a checkpoint in another dtype: convert to the parameter's dtype
      data.set(existing.data);
      existing.backend.free(existing.data);
    } else if (spec.initialValue !== 0) {
      data.fill(spec.initialValue);
    }
    this.slots.set(key, { data, shape: p.value.shape, backend });
    return data;
  }

  private ensureScratch(dtype: DType, size: number): void {
    const entry = this.scratch.get(dtype);
    if (entry !== undefined && entry.data.length >= size) return;
    if (entry !== undefined) entry.backend.free(entry.data);
    const backend = getKernels();
    this.scratch.set(dtype, { data: backend.alloc(dtype, size), backend });
  }

  /**
   * `{ className, learningRate, ...options, clipnorm?, clipvalue? }`; a schedule appears as its
   * own getConfig(). Plain JSON: {@link optimizerFromConfig} rebuilds the optimiser from it.
   */
  getConfig(): { className: string; [key: string]: unknown } {
    const lr = this._learningRate;
    const config: { className: string; [key: string]: unknown } = {
      className: this.className,
      learningRate: typeof lr === 'number' ? lr : lr.getConfig(),
      ...this.own,
    };
    if (this.clipnorm !== undefined) config['clipnorm'] = this.clipnorm;
    if (this.clipvalue !== undefined) config['clipvalue'] = this.clipvalue;
    return config;
  }

  /** The names of the slots kept per parameter ('momentum'; 'm', 'v'; 'rms'; 'accumulator'). */
  slotNames(): string[] {
    return this.slotSpecs.map((s) => s.name);
  }

  /**
   * Copies (on the JavaScript heap) of every slot, named `<param name>/<slot name>`
   * ("dense_1/kernel/m"), in the order the parameters were first updated. The step count is not
   * a slot: checkpoints save `iterations` beside them.
   */
  getSlots(): { name: string; tensor: Tensor }[] {
    return [...this.slots].map(([name, s]) => ({ name, tensor: new Tensor(s.data.slice(), s.shape) }));
  }

  /**
   * Replaces the whole slot state with `slots` (as getSlots() returned them; data is copied).
   * Slots absent from the list start afresh on their parameter's next update. Everything is
   * checked before anything changes. The step count is not touched: set `iterations` too.
   * @throws TypeError when slots is not an array of `{ name: string, tensor: Tensor }`.
   * @throws Error naming the slot when its name is not `<param>/<slot>` with a slot name this
   * optimiser keeps (the valid ones are listed), appears twice, holds a NaN or infinity, or has
   * a shape that differs from its parameter's (when this optimiser has already seen the
   * parameter; otherwise the shape is checked at the parameter's next update).
   */
  setSlots(slots: readonly { name: string; tensor: Tensor }[]): void {
    const where = `${this.className}.setSlots`;
    if (!Array.isArray(slots)) throw new TypeError(`${where}: slots must be an array of { name, tensor }, got ${describe(slots)}`);
    const valid = this.slotNames();
    const names = new Set<string>();
    const k = getKernels();
    slots.forEach((s: { name: string; tensor: Tensor }, i) => {
      if (s === null || typeof s !== 'object' || typeof s.name !== 'string' || !(s.tensor instanceof Tensor))
        throw new TypeError(`${where}: slots[${i}] must be { name: string, tensor: Tensor }`);
      const cut = s.name.lastIndexOf('/');
      const paramName = s.name.slice(0, Math.max(cut, 0)), slotName = s.name.slice(cut + 1);
      if (cut <= 0 || !valid.includes(slotName))
        throw new Error(`${where}: slot '${s.name}' is not '<parameter>/<slot>' with a slot this optimiser keeps; valid slot names: ${valid.length > 0 ? valid.join(', ') : '(none)'}`);
      if (names.has(s.name)) throw new Error(`${where}: slot '${s.name}' appears twice`);
      names.add(s.name);
      if (!k.allFinite(s.tensor.data)) throw new Error(`${where}: slot '${s.name}' holds NaN or infinite values`);
      const known = this.seen.get(paramName);
      if (known !== undefined && !shapesEqual(known.shape, s.tensor.shape))
        throw new Error(`${where}: slot '${s.name}' has shape ${formatShape(s.tensor.shape)} but parameter '${paramName}' has shape ${formatShape(known.shape)}`);
    });
    this.freeSlots();
    for (const s of slots) {
      const backend = getKernels();
      const dtype = this.seen.get(s.name.slice(0, s.name.lastIndexOf('/')))?.dtype ?? s.tensor.dtype;
      const data = backend.alloc(dtype, s.tensor.size);
      data.set(s.tensor.data);
      this.slots.set(s.name, { data, shape: s.tensor.shape, backend });
    }
  }

  private freeSlots(): void {
    for (const s of this.slots.values()) s.backend.free(s.data);
    this.slots.clear();
  }

  /**
   * Frees the slots' and scratch buffers. Afterwards every method (applyGradients, getSlots,
   * setSlots, getConfig, currentLearningRate, ...) throws a DisposedError naming the optimiser
   * ("Adam optimizer was disposed; applyGradients() cannot use it ..."), and so do the
   * `learningRate` and `iterations` setters; the getters still answer. A second dispose does
   * nothing. A model's dispose() disposes its optimiser unless another live model was compiled
   * with the same instance (Sequential.dispose).
   */
  dispose(): void {
    if (this.isDisposed) return;
    this.freeSlots();
    for (const s of this.scratch.values()) s.backend.free(s.data);
    this.scratch.clear();
    this.isDisposed = true;
    throwOnUseAfterDispose(this, `${this.className} optimizer`, ['toString', 'liveForSetter']);
  }

  /** True once {@link dispose} ran. */
  get disposed(): boolean { return this.isDisposed; }

  toString(): string {
    return this.isDisposed ? `${this.className}(disposed)` : `${this.className}(${JSON.stringify(this.getConfig())})`;
  }
}
