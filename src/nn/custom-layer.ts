/**
 * A layer written with ops (issue 13; docs/design.md, "Round two"): a subclass implements only
 * `call(inputs, { training })` with nabla's ops and declares its weights with `addWeight` (in the
 * constructor, or in `buildParams(inputShape)` when their shapes depend on the input), as
 * TensorFlow.js's custom layers do. Its backward needs no hand-written derivative: forward runs
 * `call` on a local tape watching the input and the trainable weights, and backward replays the
 * recorded vector-Jacobian products from the upstream gradient dy (src/autograd/backprop.ts),
 * writing each weight's gradient and returning the input's. A built-in layer beside it stays one
 * fused forward/backward; a Sequential may mix both kinds.
 *
 * Memory: the tensors a forward pass makes live until the layer's next forward (or its backward
 * has run and a new forward starts, or dispose), so its output stays valid for the next layer as a
 * built-in layer's workspace does.
 */
import { backprop } from '../autograd/backprop.js';
import { withTape, type AnyTensor } from '../ops/engine.js';
import { zeros } from '../ops/creation.js';
import { endScope, startScope, tidy } from '../tensor/scopes.js';
import { Rng } from '../tensor/rng.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import { getInitializer, type Initializer, type InitializerName } from './initializers.js';
import { Layer } from './layer.js';
import type { Param } from './param.js';
import { getRegularizer, type Regularizer } from './regularizers.js';
import { LIMITS } from '../limits.js';

/** While > 0, forward in inference mode records the tape too (model.jacobian needs backward after it). */
let inferenceTape = 0;

/** Runs `fn` with custom layers recording their tape in inference mode as well. @internal */
export function withInferenceTape<T>(fn: () => T): T {
  inferenceTape++;
  try { return fn(); } finally { inferenceTape--; }
}

/** What `call` receives besides its input. */
export interface CallArgs { training: boolean }

/** Weights declared while counting (countParams) or shadow-building (computeOutputShape before build). */
interface Shadow { count: number; limit: number }

/**
 * The base of a layer written with ops. Implement `call`; declare weights with `addWeight`;
 * override `getConfig()` (adding your options to `super.getConfig()`) and give the class a
 * `static className` so it saves and loads (register it with `registerLayer(className, (o) =>
 * new MyLayer(o))`, or pass it to `loadModel(dir, { customObjects: { MyLayer } })`). Override
 * `computeOutputShape` only to avoid the dry run it otherwise makes (call on zeros of batch 1).
 */
export abstract class CustomLayer extends Layer {
  /** The weights declared by addWeight, in declaration order (getWeights order). */
  private readonly declared: Param[] = [];
  private readonly penalties = new Map<Param, Regularizer>();
  private shadow: Shadow | null = null;
  /** The last forward: its input wrapper, output, and every tensor it made (freed by the next one). */
  private tape: { x: Tensor; y: Tensor; made: AnyTensor[]; taped: boolean } | null = null;
  private readonly shapes = new Map<string, number[]>();

  /**
   * The layer's computation, written with nabla's ops: `inputs` [batch, ...] -> output [batch, ...].
   * Differentiated automatically; `training` is true during fit (use it for dropout-like behaviour).
   */
  abstract override call(inputs: Tensor, args: CallArgs): Tensor;

  /** The class's `static className` when it has one, else the constructor's name (give a static one: minifiers rename classes). */
  get className(): string {
    const ctor = this.constructor as { className?: unknown; name: string };
    return typeof ctor.className === 'string' ? ctor.className : ctor.name;
  }

  /**
   * Declares a weight, as TF.js's `addWeight`: a tensor of `shape` filled by `initializer` (a name
   * or an Initializer; default 'glorotUniform') from a stream derived from the model's seed and the
   * weight's name, penalised by `regularizer` (added to the loss and its gradient), trained unless
   * `trainable` is false (or the layer is frozen). Returns the live weight to use in `call`.
   * @throws Error naming the layer for a repeated name, a bad shape, a dtype other than the
   *   layer's, or an unknown initializer.
   */
  addWeight(name: string, shape: readonly number[], dtype?: DType, initializer?: InitializerName | Initializer,
            regularizer?: Regularizer, trainable = true): Tensor {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`${this.describe()}: addWeight: name must be letters, digits, '_', '.', '-', got ${JSON.stringify(name)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${this.describe()}: addWeight('${name}'): shape must be a list of integers >= 0, got ${JSON.stringify(shape)}`);
    if (dtype !== undefined && dtype !== this.dtype) throw new Error(`${this.describe()}: addWeight('${name}'): dtype ${dtype} differs from the layer's ${this.dtype}`);
    const init = getInitializer(initializer ?? 'glorotUniform', `${this.describe()}: addWeight('${name}')`);
    const penalty = regularizer === undefined || regularizer === null ? null : getRegularizer(regularizer, `${this.describe()}: addWeight('${name}')`);
    if (this.shadow) {
      const s = this.shadow;
      s.count += sizeOf(shape);
      if (s.count > s.limit) throw new ShadowLimit();
      return new Tensor(this.dtype === 'float64' ? new Float64Array(sizeOf(shape)) : new Float32Array(sizeOf(shape)), shape);
    }
    if (this.declared.some((p) => p.name.endsWith(`/${name}`) || p.name === name)) throw new Error(`${this.describe()}: addWeight: a weight named '${name}' exists already`);
    const p = this.makeParam(name, shape);
    p.trainable = trainable && this.trainable;
    init.fill(p.value.data, p.value.shape, Rng.derive(this.seed, `init:${this.name}/${name}`));
    this.declared.push(p);
    if (penalty) this.penalties.set(p, penalty);
    return p.value;
  }

  override params(): Param[] { return [...this.declared]; }
  override regularizationLoss(): number {
    let s = 0;
    for (const [p, r] of this.penalties) s += r.penalty(this.k, p.value.data);
    return s;
  }

  /** Builds (buildParams, where addWeight declares the weights), then checks `call` on the shape with a dry run. */
  override build(inputShape: readonly number[]): void {
    if (this.built) { super.build(inputShape); return; }
    this.builtInputShape = [...inputShape];
    this.buildParams(inputShape);
    this.built = true;
    this.computeOutputShape(inputShape);
  }

  /**
   * The numbers addWeight declares for `inputShape`: the declared weights once built, else a
   * shadow build (buildParams with addWeight allocating nothing on the backend) that stops
   * counting past `LIMITS.maxParams` (the loader then refuses the model).
   */
  override countParams(inputShape: readonly number[]): number {
    if (this.built) return this.declared.reduce((a, p) => a + p.value.size, 0);
    const own = this.declared.reduce((a, p) => a + p.value.size, 0);
    return own + this.shadowBuild(inputShape, () => 0).count;
  }

  /**
   * The output shape (batch first) for an input shape: `call` run on zeros [1, ...] in inference
   * mode (with the weights, or before build with shadow ones), the batch dimension put back.
   * @throws Error naming the layer and the shape when call fails on it.
   */
  computeOutputShape(inputShape: readonly number[]): number[] {
    const key = formatShape(inputShape.slice(1));
    let per = this.shapes.get(key);
    if (!per) {
      const run = (): number[] => tidy(() => {
        try {
          const y = this.call(zeros([1, ...inputShape.slice(1)], this.dtype), { training: false });
          if (!(y instanceof Tensor)) throw new TypeError(`call() must return a Tensor, got ${typeof y}`);
          return y.shape.slice(1);
        } catch (e) { throw new Error(`${this.describe()}: call() failed on an input of shape ${formatShape([null, ...inputShape.slice(1)])}: ${(e as Error).message}`, { cause: e }); }
      });
      if (this.built) per = run();
      else {
        const shadow = this.shadowBuild(inputShape, run);
        if (!shadow.result) throw new Error(`${this.describe()}: declares more than LIMITS.maxParams (${LIMITS.maxParams}) weights for input ${formatShape([null, ...inputShape.slice(1)])}`);
        per = shadow.result;
      }
      this.shapes.set(key, per);
    }
    return [inputShape[0]!, ...per];
  }

  /** Runs buildParams then `then` with addWeight handing out JavaScript-heap weights (nothing kept). */
  private shadowBuild<T>(inputShape: readonly number[], then: () => T): { count: number; result?: T } {
    const shadow: Shadow = { count: 0, limit: LIMITS.maxParams };
    this.shadow = shadow;
    try {
      this.buildParams(inputShape);
      return { count: shadow.count, result: then() };
    } catch (e) {
      if (e instanceof ShadowLimit) return { count: shadow.count };
      throw e;
    } finally { this.shadow = null; }
  }

  /**
   * Runs `call` on x; in training (or under model.jacobian) on a local tape watching x and the
   * trainable weights, kept for backward. The previous forward's tensors are freed first.
   */
  forward(x: Tensor, training: boolean): Tensor {
    this.checkInput(x);
    this.release();
    const xin = new Tensor(x.data, x.shape); // no tape history from the layer before
    const watch = [xin, ...this.declared.filter((p) => p.trainable).map((p) => p.value)] as AnyTensor[];
    const scope = startScope(), taped = training || inferenceTape > 0;
    let y: Tensor;
    try {
      const run = (): Tensor => this.call(xin, { training });
      y = taped ? withTape(watch, run) : run();
      if (!(y instanceof Tensor) || (y.dtype !== 'float32' && y.dtype !== 'float64'))
        throw new TypeError(`${this.describe()}: call() must return a float Tensor, got ${y instanceof Tensor ? y.dtype : typeof y}`);
    } catch (e) { endScope(scope, undefined, false); throw e; }
    const made = [...scopeTensors(scope)];
    endScope(scope, made, false);
    this.tape = { x: xin, y, made, taped };
    return y;
  }

  /**
   * Replays the last forward's tape from dy: each trainable weight's gradient (overwritten, plus
   * its penalty's) and, with `needsInputGradient`, dC/dx in a workspace buffer.
   * @throws Error naming the layer when called before forward (or after an inference-mode one) or
   *   with dy not of the output's shape.
   */
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    const t = this.tape;
    if (!t) throw new Error(`${this.describe()}: backward called before forward`);
    if (!t.taped) throw new Error(`${this.describe()}: backward after a forward in inference mode, which records no tape; run forward with training = true`);
    const trainable = this.declared.filter((p) => p.trainable);
    const targets = [...(needsInputGradient ? [t.x] : []), ...trainable.map((p) => p.value)] as AnyTensor[];
    const scope = startScope();
    try {
      const grads = targets.length === 0 ? [] : backprop(this.describe(), t.y as AnyTensor, targets, dy);
      const off = needsInputGradient ? 1 : 0;
      trainable.forEach((p, i) => {
        const g = grads[i + off];
        if (g) p.grad.data.set(g.data); else p.grad.data.fill(0);
        this.penalties.get(p)?.addGradient(this.k, p.value.data, p.grad.data);
      });
      if (!needsInputGradient) return null;
      const dx = this.workspace('dx', t.x.shape);
      if (grads[0]) dx.data.set(grads[0].data); else dx.data.fill(0);
      return dx;
    } finally { endScope(scope, undefined, false); }
  }

  /** Frees the last forward's tensors (its output becomes unreadable). */
  private release(): void {
    if (!this.tape) return;
    for (const t of this.tape.made) t.dispose();
    this.tape = null;
  }

  override dispose(): void {
    if (this.disposed) return;
    this.release();
    super.dispose();
  }
}

/** Thrown inside a shadow build past the limit (countParams stops counting). */
class ShadowLimit extends Error {}

/** The tracked tensors a scope has collected so far. */
function scopeTensors(scope: ReturnType<typeof startScope>): AnyTensor[] {
  return (scope as unknown as { made: AnyTensor[] }).made;
}
