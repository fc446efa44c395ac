/**
 * Activation: applies an activation function as its own layer, A = f(X), any input shape.
 * Backward is BP2's Hadamard product dX = dA (.) f'(X) (softmax: its full Jacobian, over the last
 * axis). LeakyReLU and ELU are the same layer with a chosen alpha. A thin module over
 * nn/functional/activation.ts.
 */
import type { ActivationIdentifier, ActivationName } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { defaultAlpha, getActivation } from '../activations.js';
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
  /** The kernels' alpha: the registry's default for the activation (leakyRelu 0.3, elu 1); LeakyReLU and ELU set their own. */
  protected alpha: number;
  private x: Tensor | null = null;
  private a: Tensor | null = null;

  /** @throws Error listing the valid activation names for an unknown one. */
  constructor(args: ActivationArgs) {
    super(args);
    const own = new.target === Activation ? ['activation'] : ['activation', 'alpha']; // LeakyReLU sets activation itself
    checkKeys(new.target.name, args ?? {}, [...own, 'name', 'inputShape', 'dtype', 'trainable']);
    this.activation = getActivation(args?.activation, new.target.name).name;
    this.alpha = defaultAlpha(this.activation);
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

/** The options of {@link LeakyReLU} and {@link ELU}. */
export interface AlphaActivationArgs extends LayerArgs {
  /** The activation's parameter, a finite number >= 0. Default: the registry's (LeakyReLU 0.3, ELU 1.0; Keras / TF.js). */
  alpha?: number;
}

/** The options of {@link LeakyReLU}: alpha is the slope for z < 0 (default 0.3). */
export type LeakyReLUArgs = AlphaActivationArgs;
/** The options of {@link ELU}: alpha scales the negative part, alpha (e^z - 1) (default 1.0). */
export type ELUArgs = AlphaActivationArgs;

/**
 * An activation layer whose registry entry takes a parameter alpha (LeakyReLU, ELU, as Keras's and
 * TF.js's layers of those names): alpha is an option, saved in the config in place of
 * `activation`, and the layer reports no named activation, so a loss never fuses with it and the
 * chosen alpha is never replaced by the by-name default.
 */
export abstract class AlphaActivation extends Activation {
  private readonly layerClass: string;

  /** @throws RangeError when alpha is not a finite number >= 0; TypeError/Error on an unknown option. */
  protected constructor(className: string, activation: 'leakyRelu' | 'elu', args: AlphaActivationArgs) {
    checkKeys(className, args, ['alpha', 'name', 'inputShape', 'dtype', 'trainable']);
    super({ ...args, activation } as ActivationArgs);
    this.layerClass = className;
    this.alpha = numberIn(className, 'alpha', args.alpha ?? defaultAlpha(activation), 0, Number.MAX_VALUE, true);
  }
  override get className(): string { return this.layerClass; }
  override get outputActivation(): null { return null; }
  override getConfig(): LayerConfig {
    const { activation: _omit, ...rest } = super.getConfig();
    return { ...rest, alpha: this.alpha };
  }
}

/**
 * LeakyReLU: f(z) = z for z > 0, alpha z otherwise (Maas et al. 2013), any alpha; any shape, no parameters.
 * @example new LeakyReLU({ alpha: 0.1 })
 */
export class LeakyReLU extends AlphaActivation {
  /** @throws RangeError when alpha is not a finite number >= 0. */
  constructor(args: LeakyReLUArgs = {}) { super('LeakyReLU', 'leakyRelu', args); }
}

/**
 * ELU: f(z) = z for z > 0, alpha (e^z - 1) otherwise; f'(z) = alpha e^z there (Clevert et al.
 * 2016; Keras `ELU(alpha=1.0)`, TF.js `tf.layers.elu({ alpha })`). Any shape, no parameters.
 * `activation: 'elu'` is this with alpha 1.
 * @example new ELU({ alpha: 0.5 })
 */
export class ELU extends AlphaActivation {
  /** @throws RangeError when alpha is not a finite number >= 0. */
  constructor(args: ELUArgs = {}) { super('ELU', 'elu', args); }
}

registerLayer('Activation', (c) => new Activation(c as unknown as ActivationArgs));
registerLayer('LeakyReLU', (c) => new LeakyReLU(c as unknown as LeakyReLUArgs));
registerLayer('ELU', (c) => new ELU(c as unknown as ELUArgs));
