/**
 * Activation: applies an activation function as its own layer, A = f(X), any input shape.
 * Backward is BP2's Hadamard product dX = dA (.) f'(X) (softmax: its full Jacobian, over the last
 * axis). LeakyReLU is the same layer with a chosen slope. A thin module over
 * nn/functional/activation.ts.
 */
import type { ActivationIdentifier, ActivationName } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getActivation, LEAKY_RELU_ALPHA } from '../activations.js';
import { activationBackward, activationForward } from '../functional/activation.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkKeys, numberIn } from '../options.js';
import { registerLayer } from '../registry.js';

export interface ActivationArgs extends LayerArgs {
  /** A registry name (ACTIVATION_NAMES: 'linear', 'relu', 'leakyRelu' (alpha 0.3), 'softmax', ...) or an alias ('silu', 'gelu_new'). */
  activation: ActivationIdentifier;
}

/**
 * A = f(X) elementwise (softmax: over the last axis), any input shape [batch, ...] -> the same
 * shape; backward dX = dA (.) f'(X) (softmax: a (.) (dA - <dA, a>) per row). No parameters.
 * @example new Activation({ activation: 'relu' })   // after a linear Dense
 */
export class Activation extends Layer {
  readonly activation: ActivationName;
  /** Slope for z < 0 when the activation is leakyRelu. */
  protected alpha = LEAKY_RELU_ALPHA;
  private x: Tensor | null = null;
  private a: Tensor | null = null;

  /** @throws Error listing the valid activation names for an unknown one. */
  constructor(args: ActivationArgs) {
    super(args);
    const own = new.target === Activation ? ['activation'] : ['activation', 'alpha']; // LeakyReLU sets activation itself
    checkKeys(new.target.name, args ?? {}, [...own, 'name', 'inputShape', 'dtype', 'trainable']);
    this.activation = getActivation(args?.activation, new.target.name).name;
  }

  get className(): string { return 'Activation'; }
  override get outputActivation(): ActivationName | null { return this.activation; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 2) throw new Error(`${this.describe()}: expected input of rank >= 2 [batch, ...], got shape ${formatShape(inputShape)}`);
    return [...inputShape];
  }

  forward(x: Tensor, _training: boolean): Tensor {
    this.checkInput(x);
    this.x = x; this.a = activationForward(this.k, this.scratch, this.activation, x, this.alpha);
    return this.a;
  }

  backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation = false): Tensor | null {
    if (!this.x || !this.a) throw new Error(`${this.describe()}: backward called before forward`);
    if (!needsInputGradient) return null;
    if (dyIsPreActivation) return dy;
    return activationBackward(this.k, this.scratch, this.activation, this.x, this.a, dy, this.alpha);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }
}

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for z < 0, a finite number >= 0. Default 0.3 (Keras / TF.js). */
  alpha?: number;
}

/**
 * LeakyReLU: f(z) = z for z > 0, alpha z otherwise (Maas et al. 2013), any alpha; any shape, no parameters.
 * @example new LeakyReLU({ alpha: 0.1 })
 */
export class LeakyReLU extends Activation {
  /** @throws RangeError when alpha is not a finite number >= 0. */
  constructor(args: LeakyReLUArgs = {}) {
    checkKeys('LeakyReLU', args, ['alpha', 'name', 'inputShape', 'dtype', 'trainable']);
    super({ ...args, activation: 'leakyRelu' } as ActivationArgs);
    this.alpha = numberIn('LeakyReLU', 'alpha', args.alpha ?? LEAKY_RELU_ALPHA, 0, Number.MAX_VALUE, true);
  }
  override get className(): string { return 'LeakyReLU'; }
  /** The loss never fuses with a leaky ReLU; report no named activation so alpha is not lost. */
  override get outputActivation(): null { return null; }
  override getConfig(): LayerConfig {
    const { activation: _omit, ...rest } = super.getConfig();
    return { ...rest, alpha: this.alpha };
  }
}

registerLayer('Activation', (c) => new Activation(c as unknown as ActivationArgs));
registerLayer('LeakyReLU', (c) => new LeakyReLU(c as unknown as LeakyReLUArgs));
