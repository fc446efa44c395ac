/**
 * What SimpleRNN, LSTM and GRU share (Keras's RNN wrapper around a cell, keras/layers/recurrent.py):
 * the options (units, activation, useBias, the three initialisers, returnSequences, goBackwards),
 * the weights kernel [F, G u], recurrent_kernel [u, G u] and bias, the input check
 * ([batch, time, features]), mask handling (the input's mask, nn/mask.ts, is used and passed on
 * with returnSequences) and the config. The arithmetic is in nn/functional (simple-rnn, lstm, gru).
 */
import type { ActivationIdentifier, ActivationName } from '../../kernels/index.js';
import { Rng, type RngState } from '../../tensor/rng.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import { Tensor, type FloatArray } from '../../tensor/tensor.js';
import { getActivation } from '../activations.js';
import { sequencePlan, type InitialState, type SequenceCache, type SequenceDropout, type SequencePlan } from '../functional/recurrent.js';
import { getInitializer, type Initializer, type InitializerName } from '../initializers.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { getMask, setMask } from '../mask.js';
import { checkKeys, numberIn, positiveInt } from '../options.js';
import type { Param } from '../param.js';

/** The options of every recurrent layer (Keras names and defaults). */
export interface RecurrentArgs extends LayerArgs {
  /** The state's width u. A positive integer. */
  units: number;
  /** act: the candidate's (and LSTM's cell output's) activation. Default 'tanh'. */
  activation?: ActivationIdentifier;
  /** Default true. */
  useBias?: boolean;
  /** W's initialiser. Default 'glorotUniform'. */
  kernelInitializer?: InitializerName | Initializer;
  /** U's initialiser. Default 'orthogonal'. */
  recurrentInitializer?: InitializerName | Initializer;
  /** Default 'zeros'. */
  biasInitializer?: InitializerName | Initializer;
  /** Return every step's state [batch, time, units] (true) or the last one [batch, units]. Default false. */
  returnSequences?: boolean;
  /** Process the sequence from its last step to its first; the returned sequence is in that order. Default false. */
  goBackwards?: boolean;
  /**
   * Keep the last states of each batch as the initial states of the next (sample i continues
   * sample i); resetStates() zeroes them. The batch size must stay the same. Default false.
   */
  stateful?: boolean;
  /** apply() also returns the last states ([output, h] or [output, h, c]); a Sequential refuses it. Default false. */
  returnState?: boolean;
  /** Fraction of the input features dropped in training, one mask per sequence shared by every step (Keras). In [0, 1); default 0. */
  dropout?: number;
  /** Fraction of h_{t-1}'s units dropped before the recurrent kernel in training, one mask per sequence (Keras). In [0, 1); default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks' stream; the model's seed when omitted. */
  dropoutSeed?: number;
}

const RECURRENT_KEYS = ['units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer',
  'returnSequences', 'goBackwards', 'stateful', 'returnState', 'dropout', 'recurrentDropout', 'dropoutSeed', 'name', 'inputShape', 'dtype', 'trainable'];

/** A boolean option: `fallback` when undefined. @throws TypeError naming the option otherwise. */
export function bool(where: string, option: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${option} must be true or false, got ${String(v)}`);
  return v;
}

/**
 * A recurrent layer over a cell with G gate blocks: input [batch, time, features], output
 * [batch, time, units] (returnSequences) or [batch, units].
 */
export abstract class RecurrentLayer<Cache extends { y: Tensor } = { y: Tensor }> extends Layer {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly returnState: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly dropoutSeed: number | null;
  private rng: Rng | null = null;
  /** The weights once built: W [F, G u], U [u, G u] and the bias (null without useBias). */
  private weights: { kernel: Param; recurrentKernel: Param; bias: Param | null } | null = null;
  protected cache: Cache | null = null;
  private plan: SequencePlan | null = null;
  /** The stateful layer's states [B, u] each, or null (zeros) before the first batch and after resetStates(). */
  private states: FloatArray[] | null = null;

  /**
   * @param ownKeys the subclass's options besides the common ones.
   * @throws Error/RangeError/TypeError naming the option when an option is invalid or unknown.
   */
  constructor(className: string, args: RecurrentArgs, ownKeys: readonly string[]) {
    super(args);
    if (!args || typeof args !== 'object') throw new Error(`${className}: expected an options object { units, ... }`);
    checkKeys(className, args, [...RECURRENT_KEYS, ...ownKeys]);
    this.units = positiveInt(className, 'units', args.units);
    this.activation = RecurrentLayer.elementwise(className, 'activation', args.activation ?? 'tanh');
    this.useBias = bool(className, 'useBias', args.useBias, true);
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', `${className}: kernelInitializer`);
    this.recurrentInitializer = getInitializer(args.recurrentInitializer ?? 'orthogonal', `${className}: recurrentInitializer`);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', `${className}: biasInitializer`);
    this.returnSequences = bool(className, 'returnSequences', args.returnSequences, false);
    this.goBackwards = bool(className, 'goBackwards', args.goBackwards, false);
    this.stateful = bool(className, 'stateful', args.stateful, false);
    this.returnState = bool(className, 'returnState', args.returnState, false);
    this.dropout = numberIn(className, 'dropout', args.dropout ?? 0, 0, 1);
    this.recurrentDropout = numberIn(className, 'recurrentDropout', args.recurrentDropout ?? 0, 0, 1);
    if (args.dropoutSeed !== undefined && !Number.isInteger(args.dropoutSeed)) throw new RangeError(`${className}: dropoutSeed must be an integer, got ${String(args.dropoutSeed)}`);
    this.dropoutSeed = args.dropoutSeed ?? null;
  }

  /** True when dropout or recurrentDropout > 0: training-mode masks are random (gradCheck refuses the layer). */
  override get stochastic(): boolean { return this.dropout > 0 || this.recurrentDropout > 0; }

  private stream(): Rng {
    if (!this.rng) this.rng = Rng.derive(this.dropoutSeed ?? this.seed, `dropout:${this.name}`);
    return this.rng;
  }
  /** The dropout masks' stream state (checkpoints), or null without dropout. */
  override getRngState(): RngState | null { return this.stochastic ? this.stream().getState() : null; }
  /** Restores the dropout masks' stream. @throws Error without dropout (no stream). */
  override setRngState(state: RngState): void {
    if (!this.stochastic) super.setRngState(state);
    else this.stream().setState(state);
  }

  /** A dropout mask of `n` numbers (scratch `key`): 0 with probability `rate`, else 1 / (1 - rate). */
  private dropMask(key: string, n: number, rate: number): FloatArray {
    const m = this.buffer(key, n), rng = this.stream();
    for (let i = 0; i < n; i++) m[i] = rng.uniform(); // drawing random numbers, not arithmetic
    this.k.dropoutMask(m, rate);
    return m;
  }

  /** An activation name usable in a gate kernel (elementwise: not softmax). @throws Error naming the option. */
  protected static elementwise(className: string, option: string, name: unknown): ActivationName {
    const a = getActivation(name as ActivationName, `${className}: ${option}`).name;
    if (a === 'softmax') throw new Error(`${className}: ${option} must be an elementwise activation, got 'softmax'`);
    return a;
  }

  /** The number of gate blocks G (1 SimpleRNN, 4 LSTM, 3 GRU). */
  protected abstract get gates(): number;
  /** The bias's shape ([G u]; GRU with resetAfter [2, 3u]). */
  protected biasShape(): number[] { return [this.gates * this.units]; }
  /** Fills the bias after it is made (LSTM's unitForgetBias overrides). */
  protected initBias(bias: Param, rng: Rng): void { this.biasInitializer.fill(bias.value.data, bias.value.shape, rng); }
  /** The number of state tensors: 1 (h), LSTM 2 (h, c). */
  protected get stateCount(): number { return 1; }
  /** The last step's states from a forward cache ([h], LSTM [h, c]), views into the cache. */
  protected finalStates(cache: Cache): FloatArray[] {
    const c = cache as unknown as SequenceCache, n = c.plan.batch * this.units, T = c.plan.steps;
    return [c.h.subarray(T * n, (T + 1) * n)];
  }
  /** [kernel, recurrent_kernel, bias or null] as the functional forwards take them (after build). */
  protected weightValues(): [Tensor, Tensor, Tensor | null] {
    const { kernel, recurrentKernel, bias } = this.weights!;
    return [kernel.value, recurrentKernel.value, bias?.value ?? null];
  }
  /** [kernel, recurrent_kernel, bias or null] as the functional backwards take them (they write the grads). */
  protected weightParams(): [Param, Param, Param | null] {
    const { kernel, recurrentKernel, bias } = this.weights!;
    return [kernel, recurrentKernel, bias];
  }
  /** The cell's functional forward from `initial` states (null: zeros), with dropout masks in training. */
  protected abstract cellForward(x: Tensor, mask: Tensor | null, plan: SequencePlan, initial: InitialState, dropout: SequenceDropout | null): Cache;
  /** The cell's functional backward on the last forward's cache. */
  protected abstract cellBackward(dy: Tensor, cache: Cache, needsInputGradient: boolean): Tensor | null;

  /** True: the weights are made at build. */
  override get hasWeights(): boolean { return true; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3)
      throw new Error(`${this.describe()}: expected input of rank 3 [batch, time, features], got shape ${formatShape(inputShape)}`);
    return this.returnSequences ? [inputShape[0]!, inputShape[1]!, this.units] : [inputShape[0]!, this.units];
  }

  /** F G u (kernel) + u G u (recurrent kernel) + the bias, for input [batch, time, F]. */
  override countParams(inputShape: readonly number[]): number {
    const Gu = this.gates * this.units;
    return inputShape[2]! * Gu + this.units * Gu + (this.useBias ? sizeOf(this.biasShape()) : 0);
  }

  protected override buildParams(inputShape: readonly number[]): void {
    const Gu = this.gates * this.units;
    const kernel = this.makeParam('kernel', [inputShape[2]!, Gu]);
    this.kernelInitializer.fill(kernel.value.data, kernel.value.shape, Rng.derive(this.seed, `init:${this.name}/kernel`));
    const recurrentKernel = this.makeParam('recurrent_kernel', [this.units, Gu]);
    this.recurrentInitializer.fill(recurrentKernel.value.data, recurrentKernel.value.shape, Rng.derive(this.seed, `init:${this.name}/recurrent_kernel`));
    const bias = this.useBias ? this.makeParam('bias', this.biasShape()) : null;
    if (bias) this.initBias(bias, Rng.derive(this.seed, `init:${this.name}/bias`));
    this.weights = { kernel, recurrentKernel, bias };
  }

  /** [kernel, recurrent_kernel, bias] (no bias when useBias is false; none before build). */
  override params(): Param[] {
    return this.weights ? this.weightParams().filter((p): p is Param => p !== null) : [];
  }

  /**
   * Runs the cell over x [batch, time, features] with x's mask (if any); the output keeps the mask
   * with returnSequences. A stateful layer starts from the last batch's states and keeps its own.
   * @throws Error with returnState (a model passes one tensor on; use apply()), or when a stateful
   *   layer's batch size changes.
   */
  forward(x: Tensor, training: boolean): Tensor {
    if (this.returnState) throw new Error(`${this.describe()}: returnState gives several tensors, which a Sequential cannot pass on; call layer.apply(x) directly`);
    return this.run(x, null, training);
  }

  private run(x: Tensor, initial: InitialState, training: boolean): Tensor {
    this.checkInput(x);
    const mask = getMask(x), B = x.shape[0]!;
    if (this.stateful && initial === null && this.states) {
      if (this.states[0]!.length !== B * this.units)
        throw new Error(`${this.describe()}: stateful, with states for a batch of ${this.states[0]!.length / this.units}, got a batch of ${B}; keep the batch size or call resetStates()`);
      initial = this.states;
    }
    this.plan = sequencePlan(B, x.shape[1]!, this.goBackwards, this.plan);
    const F = x.shape[2]!;
    const dropout = training && this.stochastic ? {
      input: this.dropout > 0 ? this.dropMask('dropIn', B * F, this.dropout) : null,
      recurrent: this.recurrentDropout > 0 ? this.dropMask('dropRec', B * this.units, this.recurrentDropout) : null,
    } : null;
    this.cache = this.cellForward(x, mask, this.plan, initial, dropout);
    if (this.stateful) {
      const last = this.finalStates(this.cache);
      this.states = last.map((s, i) => { const b = this.buffer(`state${i}`, s.length); b.set(s); return b; });
    }
    return setMask(this.cache.y, this.returnSequences ? mask : null);
  }

  /**
   * Calls the layer on its own (Keras's layer(x, initial_state=...)): the output, and with
   * returnState the last states (h; LSTM h, c), each a copy [batch, units]. `initialState` gives
   * the states to start from (h; LSTM h, c); no gradient flows into them. Training goes through
   * a model (forward / backward); apply is for inference and for encoders feeding decoders.
   * @throws Error naming the layer on a bad input or initial state.
   * @example const [y, h, c] = new LSTM({ units: 8, returnState: true }).apply(x, { initialState: [h0, c0] })
   */
  apply(x: Tensor, options: { initialState?: Tensor[]; training?: boolean } = {}): Tensor[] {
    const init = options.initialState;
    if (init !== undefined && (!Array.isArray(init) || init.some((t) => t.dtype !== this.dtype || t.size !== x.shape[0]! * this.units)))
      throw new Error(`${this.describe()}: initialState must be ${this.stateCount} tensor${this.stateCount > 1 ? 's' : ''} [batch, ${this.units}] of ${this.dtype}`);
    const y = this.run(x, init ? init.map((t) => t.data) : null, options.training ?? false).clone();
    if (!this.returnState) return [y];
    return [y, ...this.finalStates(this.cache!).map((s) => new Tensor(s.slice(), [x.shape[0]!, this.units]))];
  }

  /** Zeroes a stateful layer's states (the next batch starts from zeros). */
  resetStates(): void {
    for (const s of this.states ?? []) s.fill(0);
    this.states = null;
  }

  /** Backpropagation through time; writes the weights' gradients and returns dx (or null). */
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!this.cache) throw new Error(`${this.describe()}: backward called before forward`);
    return this.cellBackward(dy, this.cache, needsInputGradient);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), units: this.units, activation: this.activation, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.getConfig(), recurrentInitializer: this.recurrentInitializer.getConfig(),
      biasInitializer: this.biasInitializer.getConfig(), returnSequences: this.returnSequences, goBackwards: this.goBackwards,
      ...(this.stateful ? { stateful: true } : {}), ...(this.returnState ? { returnState: true } : {}),
      ...(this.dropout > 0 ? { dropout: this.dropout } : {}), ...(this.recurrentDropout > 0 ? { recurrentDropout: this.recurrentDropout } : {}),
      ...(this.dropoutSeed !== null ? { dropoutSeed: this.dropoutSeed } : {}),
    };
  }
}
