/**
 * What SimpleRNN, LSTM and GRU share (Keras's RNN wrapper around a cell, keras/layers/recurrent.py):
 * the options (units, activation, useBias, the three initialisers, returnSequences, goBackwards),
 * the weights kernel [F, G u], recurrent_kernel [u, G u] and bias, the input check
 * ([batch, time, features]), mask handling (the input's mask, nn/mask.ts, is used and passed on
 * with returnSequences) and the config. The arithmetic is in nn/functional (simple-rnn, lstm, gru).
 */
import type { ActivationName } from '../../kernels/index.js';
import { Rng } from '../../tensor/rng.js';
import { formatShape, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getActivation } from '../activations.js';
import { sequencePlan, type SequencePlan } from '../functional/recurrent.js';
import { getInitializer, type Initializer, type InitializerName } from '../initializers.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { getMask, setMask } from '../mask.js';
import { checkKeys, positiveInt } from '../options.js';
import type { Param } from '../param.js';

/** The options of every recurrent layer (Keras names and defaults). */
export interface RecurrentArgs extends LayerArgs {
  /** The state's width u. A positive integer. */
  units: number;
  /** act: the candidate's (and LSTM's cell output's) activation. Default 'tanh'. */
  activation?: ActivationName;
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
}

const RECURRENT_KEYS = ['units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer',
  'returnSequences', 'goBackwards', 'name', 'inputShape', 'dtype', 'trainable'];

function bool(where: string, option: string, v: unknown, fallback: boolean): boolean {
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
  protected kernel: Param | null = null;
  protected recurrentKernel: Param | null = null;
  protected bias: Param | null = null;
  protected cache: Cache | null = null;
  private plan: SequencePlan | null = null;

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
  /** The cell's functional forward. */
  protected abstract cellForward(x: Tensor, mask: Tensor | null, plan: SequencePlan): Cache;
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
    this.kernel = this.makeParam('kernel', [inputShape[2]!, Gu]);
    this.kernelInitializer.fill(this.kernel.value.data, this.kernel.value.shape, Rng.derive(this.seed, `init:${this.name}/kernel`));
    this.recurrentKernel = this.makeParam('recurrent_kernel', [this.units, Gu]);
    this.recurrentInitializer.fill(this.recurrentKernel.value.data, this.recurrentKernel.value.shape, Rng.derive(this.seed, `init:${this.name}/recurrent_kernel`));
    if (this.useBias) {
      this.bias = this.makeParam('bias', this.biasShape());
      this.initBias(this.bias, Rng.derive(this.seed, `init:${this.name}/bias`));
    }
  }

  /** [kernel, recurrent_kernel, bias] (no bias when useBias is false; none before build). */
  override params(): Param[] {
    if (!this.kernel || !this.recurrentKernel) return [];
    return this.bias ? [this.kernel, this.recurrentKernel, this.bias] : [this.kernel, this.recurrentKernel];
  }

  /** Runs the cell over x [batch, time, features] with x's mask (if any); the output keeps the mask with returnSequences. */
  forward(x: Tensor, _training: boolean): Tensor {
    this.checkInput(x);
    const mask = getMask(x);
    this.plan = sequencePlan(x.shape[0]!, x.shape[1]!, this.goBackwards, this.plan);
    this.cache = this.cellForward(x, mask, this.plan);
    return setMask(this.cache.y, this.returnSequences ? mask : null);
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
    };
  }
}
