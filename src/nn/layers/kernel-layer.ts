/**
 * What Dense and Conv2D share (Keras's common options of its kernel layers): an activation applied
 * last, a kernel and an optional bias made and initialised at build, an optional penalty on the
 * kernel, and their part of the config. The arithmetic is in nn/functional (linear, conv2d).
 */
import type { ActivationIdentifier, ActivationName } from '../../kernels/index.js';
import { Rng } from '../../tensor/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getActivation } from '../activations.js';
import { getInitializer, type Initializer, type InitializerName } from '../initializers.js';
import { Layer, type LayerArgs } from '../layer.js';
import { checkKeys } from '../options.js';
import type { Param } from '../param.js';
import { getRegularizer, type Regularizer } from '../regularizers.js';

/** The options every kernel layer accepts besides its own. */
export interface KernelLayerArgs extends LayerArgs {
  /** Activation applied to z. Default 'linear'. */
  activation?: ActivationIdentifier;
  /** Whether to add a bias (one per output unit / filter). Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (Keras). */
  kernelInitializer?: InitializerName | Initializer;
  /** Default 'zeros'. */
  biasInitializer?: InitializerName | Initializer;
  /** A penalty on the kernel, e.g. l2(1e-4). Biases are not penalised. */
  kernelRegularizer?: Regularizer;
}

const KERNEL_LAYER_KEYS = ['activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'name', 'inputShape', 'dtype', 'trainable'];

/**
 * A layer with a kernel, an optional bias and an output activation (Dense, Conv2D). Forward and
 * backward call the subclass's functional pair (forwardOp / backwardOp); `Cache` is what the
 * forward function returns and the backward one takes.
 */
export abstract class KernelLayer<Cache extends { a: Tensor } = { a: Tensor }> extends Layer {
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  protected kernel: Param | null = null;
  protected bias: Param | null = null;
  /** The forward pass's cache, for backward. */
  protected cache: Cache | null = null;

  /**
   * @param className for messages; `ownKeys` are the subclass's options besides the common ones.
   * @throws Error/RangeError naming the option when the object, a key, the activation, an initialiser or the regulariser is invalid.
   */
  constructor(className: string, args: KernelLayerArgs, ownKeys: readonly string[], usage: string) {
    super(args);
    if (!args || typeof args !== 'object') throw new Error(`${className}: expected an options object ${usage}`);
    checkKeys(className, args, [...ownKeys, ...KERNEL_LAYER_KEYS]);
    this.activation = getActivation(args.activation ?? 'linear', className).name;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', `${className}: kernelInitializer`);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', `${className}: biasInitializer`);
    this.kernelRegularizer = args.kernelRegularizer === undefined || args.kernelRegularizer === null ? null : getRegularizer(args.kernelRegularizer, `${className}: kernelRegularizer`);
  }

  override get outputActivation(): ActivationName { return this.activation; }
  /** True: the kernel is made at build. */
  override get hasWeights(): boolean { return true; }

  /** Validates x and runs the functional forward. @throws Error naming the layer on a bad input. */
  protected abstract forwardOp(x: Tensor): Cache;
  /** The functional backward on the cache of the last forward. */
  protected abstract backwardOp(dy: Tensor, cache: Cache, needsInputGradient: boolean, dyIsPreActivation: boolean): Tensor | null;

  /** a = sigma(z) (see the subclass's formula). */
  forward(x: Tensor, _training: boolean): Tensor {
    this.cache = this.forwardOp(x);
    return this.cache.a;
  }

  /** BP1/BP2 (Delta), BP3 (db), BP4 (dW, plus the penalty's gradient); returns the input gradient, or null without `needsInputGradient`. */
  backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation = false): Tensor | null {
    if (!this.cache) throw new Error(`${this.describe()}: backward called before forward`);
    const dx = this.backwardOp(dy, this.cache, needsInputGradient, dyIsPreActivation);
    if (this.kernelRegularizer && this.kernel) this.kernelRegularizer.addGradient(this.k, this.kernel.value.data, this.kernel.grad.data);
    return dx;
  }

  /** Makes the kernel of `kernelShape` and (with useBias) a bias of `units`, initialised from streams derived from the seed and the weight's name. */
  protected makeWeights(kernelShape: readonly number[], units: number): void {
    this.kernel = this.makeParam('kernel', kernelShape);
    this.kernelInitializer.fill(this.kernel.value.data, this.kernel.value.shape, Rng.derive(this.seed, `init:${this.name}/kernel`));
    if (this.useBias) {
      this.bias = this.makeParam('bias', [units]);
      this.biasInitializer.fill(this.bias.value.data, this.bias.value.shape, Rng.derive(this.seed, `init:${this.name}/bias`));
    }
  }

  /** [kernel, bias] (no bias when useBias is false; none before build). */
  override params(): Param[] {
    if (!this.kernel) return [];
    return this.bias ? [this.kernel, this.bias] : [this.kernel];
  }

  override regularizationLoss(): number {
    return this.kernelRegularizer && this.kernel ? this.kernelRegularizer.penalty(this.k, this.kernel.value.data) : 0;
  }

  /** The common options' config, in Keras's order (after the subclass's own options). */
  protected kernelConfig(): Record<string, unknown> {
    return {
      activation: this.activation, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.getConfig(), biasInitializer: this.biasInitializer.getConfig(),
      ...(this.kernelRegularizer ? { kernelRegularizer: this.kernelRegularizer.getConfig() } : {}),
    };
  }
}
