/**
 * The layer contract (docs/design.md, "Backpropagation, as the notes write it"): forward caches what
 * backward needs; backward takes dy = dC/da^l, writes this batch's parameter gradients
 * (overwriting) and returns dC/da^{l-1}. Shapes passed to build / computeOutputShape include the
 * batch dimension first, as in Keras (its value is ignored).
 */
import { throwOnUseAfterDispose } from '../errors.js';
import { freeBuffer, getKernels, type ActivationName, type Backend } from '../kernels/index.js';
import { Workspace } from '../kernels/workspace.js';
import { formatShape, shapesEqual, sizeOf } from '../tensor/shape.js';
import type { RngState } from '../tensor/rng.js';
import { Tensor, type DType, type FloatArray } from '../tensor/tensor.js';
import { getActivation } from './activations.js';
import type { Scratch } from './functional/scratch.js';
import type { Param } from './param.js';
import { callFused } from './layer-on-tape.js';

/** Options every layer accepts. */
export interface LayerArgs {
  /** Unique in its model; assigned by the model ("dense_1") when omitted. */
  name?: string;
  /** Per-sample input shape (no batch dimension), e.g. [784]; needed on the first layer only. */
  inputShape?: readonly number[];
  /** 'float32' (default) or 'float64' (gradCheck and the classic models). */
  dtype?: DType;
  /** False freezes the layer's parameters. Default true. */
  trainable?: boolean;
}

/** The config a layer serialises: its class name plus the constructor options. */
export interface LayerConfig { className: string; name: string; [key: string]: unknown }

/**
 * The base of every layer (docs/design.md, "Backpropagation, as the notes write it"): forward
 * caches what backward needs; backward takes dy = dC/da^l, writes this batch's parameter
 * gradients and returns dC/da^{l-1}. Shapes include the batch dimension first, as in Keras.
 */
export abstract class Layer {
  name: string;
  dtype: DType;
  trainable: boolean;
  /** Per-sample input shape given by the user (first layer), or null. */
  readonly inputShapeArg: readonly number[] | null;
  /** Seed for this layer's initialisers and random masks; the model sets it before build. */
  seed = 0;
  protected built = false;
  /** Input shape including the batch dimension, set by build. */
  protected builtInputShape: readonly number[] = [];
  private readonly workspaceBuffers = new Workspace();
  /** The layer's reusable buffers, as the functional ops (nn/functional) take them. */
  protected readonly scratch: Scratch = { buffer: (key, length) => this.buffer(key, length) };
  private isDisposed = false;

  constructor(args: LayerArgs = {}) {
    if (args.name !== undefined && (typeof args.name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(args.name)))
      throw new TypeError(`${this.constructor.name}: name must be letters, digits, '_', '.', '-', got ${JSON.stringify(args.name)}`);
    this.name = args.name ?? '';
    if (args.dtype !== undefined && args.dtype !== 'float32' && args.dtype !== 'float64')
      throw new TypeError(`${this.constructor.name}: dtype must be 'float32' or 'float64', got ${JSON.stringify(args.dtype)}`);
    this.dtype = args.dtype ?? 'float32';
    this.trainable = args.trainable ?? true;
    if (args.inputShape !== undefined) {
      if (!Array.isArray(args.inputShape) || args.inputShape.length === 0 || !args.inputShape.every((d) => Number.isInteger(d) && d > 0))
        throw new TypeError(`${this.constructor.name}: inputShape must be a non-empty list of positive integers (no batch dimension), got ${JSON.stringify(args.inputShape)}`);
      this.inputShapeArg = [...args.inputShape];
    } else this.inputShapeArg = null;
  }

  /** The registered class name ('Dense'); saved in model.json. */
  abstract get className(): string;

  /** Output shape (batch first) for an input shape (batch first). @throws Error naming the layer on a bad shape. */
  abstract computeOutputShape(inputShape: readonly number[]): number[];

  /** a^l from a^{l-1}; `training` turns on dropout masks and batch statistics. */
  abstract forward(x: Tensor, training: boolean): Tensor;

  /**
   * dC/da^{l-1} from dy = dC/da^l, writing parameter gradients. With `dyIsPreActivation`, dy is
   * already dC/dz^l (a fused loss gave it) and the layer skips its activation's derivative.
   * Returns null when `needsInputGradient` is false (the first layer).
   */
  abstract backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation?: boolean): Tensor | null;

  /**
   * The layer applied to a tensor as an op (Keras's `call`, what TF.js's `layer.apply(x)` runs):
   * x [batch, ...] -> a new tracked tensor [batch, ...]. Inside a gradient call (`grad`,
   * `valueAndGrads`, `variableGrads`, a custom training loop) it is ONE tape node running the
   * layer's fused forward and backward, differentiable with respect to x and to the trainable
   * weights' tensors (`params()[i].value`; the backward also leaves their gradients in
   * `params()[i].grad`). A layer keeps one forward pass: call it once per gradient call (use
   * separate layer objects to apply "the same" layer twice). `training` (default false) turns
   * on dropout masks and batch statistics. CustomLayer overrides this with its own `call`.
   * @throws Error naming the layer on a bad input shape or dtype.
   */
  call(inputs: Tensor, args: { training?: boolean } = {}): Tensor {
    return callFused(this, inputs, args.training ?? false);
  }

  /** The activation applied last by this layer, if any: the model fuses it with the loss. */
  get outputActivation(): ActivationName | null { return null; }

  // ---- capabilities: what models and tools may rely on, declared rather than guessed from the class name ----

  /**
   * True when forward in training mode draws random numbers (Dropout with rate > 0), so the loss is
   * not a function of the weights alone: gradCheck refuses such a layer. Default false.
   */
  get stochastic(): boolean { return false; }

  /**
   * True when no gradient passes through this layer: the derivative of its output is 0 almost
   * everywhere, so weights before it cannot learn by backpropagation (compile refuses that) and
   * gradCheck has nothing to check. Default: its output activation is not differentiable ('step').
   */
  get blocksGradient(): boolean {
    const a = this.outputActivation;
    return a !== null && !getActivation(a).differentiable;
  }

  /**
   * True when the layer has (or, once built, will have) weights for an optimiser. Default:
   * params() is not empty, which before build is false; layers that make weights in build
   * (Dense, Conv2D, BatchNormalization) say true from construction.
   */
  get hasWeights(): boolean { return this.params().length > 0; }

  /**
   * The state of this layer's random stream, saved in checkpoints (training.json's `rng`), or
   * null (the default) when the layer draws no random numbers.
   */
  getRngState(): RngState | null { return null; }

  /**
   * Restores the random stream from getRngState().
   * @throws Error by default: a layer without a random stream has no state to restore.
   */
  setRngState(_state: RngState): void { throw new Error(`${this.describe()} has no random stream`); }

  /** Allocates parameters for an input shape (batch first). Idempotent for the same shape. */
  build(inputShape: readonly number[]): void {
    if (this.built) {
      if (!shapesEqual(inputShape.slice(1), this.builtInputShape.slice(1)))
        throw new Error(`${this.describe()}: built for input ${formatShape([null, ...this.builtInputShape.slice(1)])}, got ${formatShape([null, ...inputShape.slice(1)])}`);
      return;
    }
    this.computeOutputShape(inputShape); // validates
    this.builtInputShape = [...inputShape];
    this.buildParams(inputShape);
    this.built = true;
  }

  /**
   * The number of numbers this layer would allocate for an input shape (batch first): its
   * parameters and its saved state (BatchNormalization's moving statistics), computed from the
   * shape WITHOUT allocating anything, so a loader can refuse a model over `LIMITS.maxParams`
   * before building it. Built-in layers override it; the default, for layers without
   * parameters and for custom layers that do not override it, is 0.
   */
  countParams(_inputShape: readonly number[]): number { return 0; }

  /** Subclasses allocate their parameters here (default: none). */
  protected buildParams(_inputShape: readonly number[]): void {}

  /**
   * Parameters with their gradients, in a fixed order (kernel then bias). The tensors are the
   * layer's own buffers, not copies (an optimiser updates them in place): raw views of them are
   * valid only until {@link dispose}, after which their memory may belong to another model.
   */
  params(): Param[] { return []; }

  /** Non-trainable state saved with the weights (BatchNormalization's moving statistics); live views, valid until {@link dispose} like {@link params}. */
  stateTensors(): { name: string; value: Tensor }[] { return []; }

  /** The penalty this layer adds to the loss (kernelRegularizer). */
  regularizationLoss(): number { return 0; }

  /** Constructor options plus className and name: enough to rebuild the layer. */
  getConfig(): LayerConfig {
    const c: LayerConfig = { className: this.className, name: this.name };
    if (this.inputShapeArg) c.inputShape = [...this.inputShapeArg];
    if (this.dtype !== 'float32') c.dtype = this.dtype;
    if (!this.trainable) c.trainable = false;
    return c;
  }

  /**
   * Returns the layer's buffers (parameters, gradients, state tensors, workspaces) to the
   * backend's allocator. Afterwards every method of the layer (forward, backward, build, params,
   * getConfig, ...) throws a DisposedError naming it ("Dense 'dense_2' was disposed; forward()
   * cannot use it ..."), so the layer never reads or writes memory the allocator has handed to
   * another model; `describe()` and the getters still answer. Calling dispose again does nothing.
   * A layer shared by two models is disposed with the first of them; the other then throws too.
   * Raw views from {@link params} or {@link stateTensors} taken before are invalid from now on.
   */
  dispose(): void {
    if (this.isDisposed) return;
    this.workspaceBuffers.dispose();
    for (const p of this.params()) { freeBuffer(p.value.data); freeBuffer(p.grad.data); }
    for (const s of this.stateTensors()) freeBuffer(s.value.data);
    this.isDisposed = true;
    throwOnUseAfterDispose(this, this.describe(), ['describe']);
  }

  /** True once {@link dispose} ran. */
  get disposed(): boolean { return this.isDisposed; }

  /** "Dense 'dense_1'", for messages. */
  describe(): string { return `${this.className} '${this.name || '(unnamed)'}'`; }

  /** The current backend's kernels. */
  protected get k(): Backend { return getKernels(); }

  /**
   * A reusable backend buffer for `key` of `length` numbers: allocated once per (key, length) and
   * reused across batches (docs/design.md: a training step allocates nothing after the first batch).
   */
  protected buffer(key: string, length: number): FloatArray {
    return this.workspaceBuffers.get(key, this.dtype, length);
  }

  /** A tensor over a reusable buffer (see {@link buffer}). */
  protected workspace(key: string, shape: readonly number[]): Tensor {
    return new Tensor(this.buffer(key, sizeOf(shape)), shape);
  }

  /** A parameter tensor and its gradient, from the backend. */
  protected makeParam(weight: string, shape: readonly number[]): Param {
    const n = sizeOf(shape);
    return { name: `${this.name}/${weight}`, value: new Tensor(this.k.alloc(this.dtype, n), shape), grad: new Tensor(this.k.alloc(this.dtype, n), shape), trainable: this.trainable };
  }

  /** Checks x: rank and per-sample shape equal to the built input shape, and dtype. */
  protected checkInput(x: Tensor): void {
    if (!this.built) this.build(x.shape);
    const want = this.builtInputShape;
    if (x.rank !== want.length || !shapesEqual(x.shape.slice(1), want.slice(1)))
      throw new Error(`${this.describe()}: expected input shape ${formatShape([null, ...want.slice(1)])}, got ${formatShape(x.shape)}`);
    if (x.dtype !== this.dtype) throw new Error(`${this.describe()}: expected ${this.dtype} input, got ${x.dtype}`);
  }
}
