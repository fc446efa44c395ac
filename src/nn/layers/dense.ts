/**
 * Dense: the fully connected layer of Nielsen ch. 1-2, a thin module over nn/functional/linear.ts
 * (linearForward / linearBackward), which holds the formulas and the kernels' calls. The layer
 * owns its parameters and the forward cache.
 */
import { formatShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { getMask, setMask } from '../mask.js';
import { linearBackward, linearForward, type LinearCache } from '../functional/linear.js';
import type { LayerConfig } from '../layer.js';
import { positiveInt } from '../options.js';
import { registerLayer } from '../registry.js';
import { KernelLayer, type KernelLayerArgs } from './kernel-layer.js';

export interface DenseArgs extends KernelLayerArgs {
  /** Number of neurons: the output width. A positive integer. */
  units: number;
}

/**
 * A fully connected layer (Nielsen ch. 1-2), batch form with samples as rows:
 *   Z = X W + b,  A = sigma(Z)      X [batch, in] -> A [batch, units]; W [in, units] (Keras layout), b [units].
 * Backward (BP1-BP4): Delta = dC/dA (.) sigma'(Z), dW = X^T Delta, db = column sums of Delta, dX = Delta W^T.
 * Initialisation: W glorotUniform (limit sqrt(6 / (in + units))), b zeros, from streams derived
 * from the model's seed and the weight's name. Options: units, activation, useBias,
 * kernelInitializer, biasInitializer, kernelRegularizer (see KernelLayerArgs).
 * @example new Dense({ units: 30, activation: 'sigmoid', inputShape: [784] })   // [batch, 784] -> [batch, 30]
 */
export class Dense extends KernelLayer<LinearCache> {
  readonly units: number;

  /** @throws RangeError/Error naming the option when units, activation, initialisers or keys are invalid. */
  constructor(args: DenseArgs) {
    super('Dense', args, ['units'], '{ units, activation?, ... }');
    this.units = positiveInt('Dense', 'units', args.units);
  }

  get className(): string { return 'Dense'; }

  /** [batch, units] for [batch, in]; [batch, time, units] for [batch, time, in] (the last axis, as Keras). */
  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 2 && inputShape.length !== 3)
      throw new Error(`${this.describe()}: expected input of rank 2 [batch, features] or 3 [batch, time, features], got shape ${formatShape(inputShape)}; put a Flatten layer before it`);
    return [...inputShape.slice(0, -1), this.units];
  }

  /** inputs x units (kernel) + units (bias, when useBias), for input [batch, (time,) inputs]. */
  override countParams(inputShape: readonly number[]): number {
    return inputShape[inputShape.length - 1]! * this.units + (this.useBias ? this.units : 0);
  }

  protected override buildParams(inputShape: readonly number[]): void {
    this.makeWeights([inputShape[inputShape.length - 1]!, this.units], this.units);
  }

  /** A = sigma(X W + b): X [m, in] -> A [m, units]; a rank-3 X [batch, time, in] is taken as [batch time, in]. */
  protected forwardOp(x: Tensor): LinearCache {
    this.checkInput(x);
    const rows = x.rank === 3 ? x.reshape([x.shape[0]! * x.shape[1]!, x.shape[2]!]) : x;
    return linearForward(this.k, this.scratch, rows, this.kernel!.value, this.bias?.value ?? null, this.activation);
  }

  /** On a rank-3 input the output is [batch, time, units] and keeps the input's mask (nn/mask.ts). */
  override forward(x: Tensor, training: boolean): Tensor {
    const a = super.forward(x, training);
    return x.rank === 3 ? setMask(a.reshape([x.shape[0]!, x.shape[1]!, this.units]), getMask(x)) : a;
  }

  /** As KernelLayer's, with a rank-3 dy and dx viewed as rows. */
  override backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation = false): Tensor | null {
    const dx = super.backward(dy.rank === 3 ? dy.reshape([dy.size / this.units, this.units]) : dy, needsInputGradient, dyIsPreActivation);
    return dx && dy.rank === 3 ? dx.reshape([dy.shape[0]!, dy.shape[1]!, dx.size / (dy.shape[0]! * dy.shape[1]!)]) : dx;
  }

  /** dW, db; returns dX = Delta W^T [m, in]. */
  protected backwardOp(dy: Tensor, cache: LinearCache, needsInputGradient: boolean, dyIsPreActivation: boolean): Tensor | null {
    return linearBackward(this.k, this.scratch, dy, cache, this.kernel!, this.bias, this.activation, needsInputGradient, dyIsPreActivation, this.describe());
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), units: this.units, ...this.kernelConfig() };
  }
}

registerLayer('Dense', (c) => new Dense(c as unknown as DenseArgs));
