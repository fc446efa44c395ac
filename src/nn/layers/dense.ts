/**
 * Dense: the fully connected layer of Nielsen ch. 1-2, in batch form with samples as rows:
 *   Z = X W + b,  A = sigma(Z)          X [m, in], W [in, units] (Keras layout), b [units]
 * Backward (Nielsen ch. 2, BP1-BP4 with Delta = dC/dZ):
 *   Delta = dC/dA (.) sigma'(Z)          (BP1 at the output, BP2 below it)
 *   dW = X^T Delta   (BP4)     db = column sums of Delta   (BP3)     dX = Delta W^T   (BP2's W^T delta)
 * All arithmetic runs in the kernels (gemm, biasAdd, biasGrad, activations).
 */
import { type ActivationName } from '../../kernels/index.js';
import { Rng } from '../../tensor/rng.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { getActivation, LEAKY_RELU_ALPHA } from '../activations.js';
import { getInitializer, type Initializer, type InitializerName } from '../initializers.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { checkKeys, positiveInt } from '../options.js';
import type { Param } from '../param.js';
import { registerLayer } from '../registry.js';
import { getRegularizer, type Regularizer } from '../regularizers.js';

export interface DenseArgs extends LayerArgs {
  /** Number of neurons: the output width. A positive integer. */
  units: number;
  /** Activation applied to Z = XW + b. Default 'linear'. */
  activation?: ActivationName;
  /** Whether to add a bias b. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (Keras). */
  kernelInitializer?: InitializerName | Initializer;
  /** Default 'zeros'. */
  biasInitializer?: InitializerName | Initializer;
  /** A penalty on W, e.g. l2(1e-4). Biases are not penalised. */
  kernelRegularizer?: Regularizer;
}

const DENSE_KEYS = ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'name', 'inputShape', 'dtype', 'trainable'];

export class Dense extends Layer {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  private kernel: Param | null = null;
  private bias: Param | null = null;
  // Cached by forward for backward:
  private x: Tensor | null = null;
  private z: Tensor | null = null;
  private a: Tensor | null = null;

  /** @throws RangeError/Error naming the option when units, activation, initialisers or keys are invalid. */
  constructor(args: DenseArgs) {
    super(args);
    if (!args || typeof args !== 'object') throw new Error('Dense: expected an options object { units, activation?, ... }');
    checkKeys('Dense', args, DENSE_KEYS);
    this.units = positiveInt('Dense', 'units', args.units);
    this.activation = getActivation(args.activation ?? 'linear', 'Dense').name;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', 'Dense: kernelInitializer');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', 'Dense: biasInitializer');
    this.kernelRegularizer = args.kernelRegularizer === undefined || args.kernelRegularizer === null ? null : getRegularizer(args.kernelRegularizer, 'Dense: kernelRegularizer');
  }

  get className(): string { return 'Dense'; }
  override get outputActivation(): ActivationName { return this.activation; }

  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 2)
      throw new Error(`${this.describe()}: expected input of rank 2 [batch, features], got shape ${formatShape(inputShape)}; put a Flatten layer before it`);
    return [inputShape[0]!, this.units];
  }

  /** inputs x units (kernel) + units (bias, when useBias), for input [batch, inputs]. */
  override countParams(inputShape: readonly number[]): number {
    return inputShape[1]! * this.units + (this.useBias ? this.units : 0);
  }

  protected override buildParams(inputShape: readonly number[]): void {
    const inputs = inputShape[1]!;
    this.kernel = this.makeParam('kernel', [inputs, this.units]);
    this.kernelInitializer.fill(this.kernel.value.data, this.kernel.value.shape, Rng.derive(this.seed, `init:${this.name}/kernel`));
    if (this.useBias) {
      this.bias = this.makeParam('bias', [this.units]);
      this.biasInitializer.fill(this.bias.value.data, this.bias.value.shape, Rng.derive(this.seed, `init:${this.name}/bias`));
    }
  }

  override params(): Param[] {
    if (!this.kernel) return [];
    return this.bias ? [this.kernel, this.bias] : [this.kernel];
  }

  override regularizationLoss(): number {
    return this.kernelRegularizer && this.kernel ? this.kernelRegularizer.penalty(this.k, this.kernel.value.data) : 0;
  }

  /** A = sigma(X W + b): X [m, in] -> A [m, units]. */
  forward(x: Tensor, _training: boolean): Tensor {
    this.checkInput(x);
    const k = this.k, m = x.shape[0]!, inputs = x.shape[1]!, units = this.units;
    const z = this.workspace('z', [m, units]);
    k.gemm(false, false, m, units, inputs, 1, x.data, this.kernel!.value.data, 0, z.data);
    if (this.bias) k.biasAdd(z.data, this.bias.value.data, m, units);
    let a = z;
    if (this.activation !== 'linear') {
      a = this.workspace('a', [m, units]);
      k.activationForward(this.activation, z.data, a.data, m, units, LEAKY_RELU_ALPHA);
    }
    this.x = x; this.z = z; this.a = a;
    return a;
  }

  /** BP1/BP2 (Delta), BP3 (db), BP4 (dW); returns dX = Delta W^T [m, in]. */
  backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation = false): Tensor | null {
    const { x, z, a } = this;
    if (!x || !z || !a) throw new Error(`${this.describe()}: backward called before forward`);
    const k = this.k, m = x.shape[0]!, inputs = x.shape[1]!, units = this.units;
    if (dy.size !== m * units) throw new Error(`${this.describe()}: expected gradient shape ${formatShape([m, units])}, got ${formatShape(dy.shape)}`);
    let delta = dy;
    if (!dyIsPreActivation && this.activation !== 'linear') {
      delta = this.workspace('delta', [m, units]);
      k.activationBackward(this.activation, z.data, a.data, dy.data, delta.data, m, units, LEAKY_RELU_ALPHA);
    }
    const kernel = this.kernel!;
    k.gemm(true, false, inputs, units, m, 1, x.data, delta.data, 0, kernel.grad.data);
    if (this.kernelRegularizer) this.kernelRegularizer.addGradient(k, kernel.value.data, kernel.grad.data);
    if (this.bias) k.biasGrad(delta.data, this.bias.grad.data, m, units);
    if (!needsInputGradient) return null;
    const dx = this.workspace('dx', [m, inputs]);
    k.gemm(false, true, m, inputs, units, 1, delta.data, kernel.value.data, 0, dx.data);
    return dx;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), units: this.units, activation: this.activation, useBias: this.useBias,
      kernelInitializer: this.kernelInitializer.getConfig(), biasInitializer: this.biasInitializer.getConfig(),
      ...(this.kernelRegularizer ? { kernelRegularizer: this.kernelRegularizer.getConfig() } : {}),
    };
  }
}

registerLayer('Dense', (c) => new Dense(c as unknown as DenseArgs));
