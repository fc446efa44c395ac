/**
 * TimeDistributed (Keras TimeDistributed): applies one layer to every time step, with the same
 * weights: x [batch, time, ...rest] is viewed as [batch time, ...rest], the inner layer runs once
 * on that, and its output [batch time, ...out] is viewed as [batch, time, ...out]; backward views
 * the gradients the same way. The input's mask (nn/mask.ts) is passed on. The weights are the
 * inner layer's, named after this layer ('time_distributed_1/kernel', as Keras names them).
 * @example new TimeDistributed({ layer: new Dense({ units: 10 }), inputShape: [20, 32] })
 */
import type { ActivationName } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { RngState } from '../../tensor/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs, type LayerConfig } from '../layer.js';
import { getMask, setMask } from '../mask.js';
import { checkKeys } from '../options.js';
import type { Param } from '../param.js';
import { layerFromConfig, registerLayer } from '../registry.js';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to each step (a Layer, or its config when loading). */
  layer: Layer | LayerConfig;
}

/**
 * Keras's TimeDistributed: one inner layer applied to every time step with the same weights,
 * x [batch, time, ...rest] -> [batch, time, ...out]; the weights are the inner layer's.
 * @example new TimeDistributed({ layer: new Dense({ units: 10 }), inputShape: [20, 32] })
 */
export class TimeDistributed extends Layer {
  readonly layer: Layer;

  /** @throws Error when `layer` is missing or an option is unknown. */
  constructor(args: TimeDistributedArgs) {
    super(args);
    checkKeys('TimeDistributed', args, ['layer', 'name', 'inputShape', 'dtype', 'trainable']);
    const l = args.layer;
    if (!l || typeof l !== 'object') throw new Error('TimeDistributed: expected { layer }, the layer to apply to each time step');
    if (l instanceof Layer && args.dtype === undefined) this.dtype = l.dtype; // a layer instance sets the dtype unless one is given
    this.layer = l instanceof Layer ? l : layerFromConfig({ ...(l as LayerConfig), dtype: this.dtype });
    if (this.layer.dtype !== this.dtype) throw new Error(`TimeDistributed: the inner ${this.layer.describe()} is ${this.layer.dtype}, this layer ${this.dtype}`);
  }

  get className(): string { return 'TimeDistributed'; }
  override get outputActivation(): ActivationName | null { return this.layer.outputActivation; }
  override get stochastic(): boolean { return this.layer.stochastic; }
  override get blocksGradient(): boolean { return this.layer.blocksGradient; }
  override get hasWeights(): boolean { return this.layer.hasWeights; }
  override getRngState(): RngState | null { return this.layer.getRngState(); }
  override setRngState(state: RngState): void { this.layer.setRngState(state); }

  /** [batch, time, ...out] for [batch, time, ...rest]. @throws Error below rank 3. */
  computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length < 3) throw new Error(`${this.describe()}: expected input [batch, time, ...], got shape ${formatShape(inputShape)}`);
    return [inputShape[0]!, inputShape[1]!, ...this.layer.computeOutputShape([1, ...inputShape.slice(2)]).slice(1)];
  }

  override countParams(inputShape: readonly number[]): number { return this.layer.countParams([1, ...inputShape.slice(2)]); }

  protected override buildParams(inputShape: readonly number[]): void {
    this.layer.name = this.name;
    this.layer.seed = this.seed;
    this.layer.build([1, ...inputShape.slice(2)]);
  }

  /** The inner layer's parameters (none once it is disposed: they were freed with it). */
  override params(): Param[] { return this.layer.disposed ? [] : this.layer.params(); }
  override stateTensors(): { name: string; value: Tensor }[] { return this.layer.disposed ? [] : this.layer.stateTensors(); }
  override regularizationLoss(): number { return this.layer.regularizationLoss(); }

  /** The inner layer on [batch time, ...rest]; the output keeps x's mask. */
  forward(x: Tensor, training: boolean): Tensor {
    this.checkInput(x);
    const B = x.shape[0]!, T = x.shape[1]!;
    const y = this.layer.forward(x.reshape([B * T, ...x.shape.slice(2)]), training);
    return setMask(y.reshape([B, T, ...y.shape.slice(1)]), getMask(x));
  }

  backward(dy: Tensor, needsInputGradient: boolean, dyIsPreActivation = false): Tensor | null {
    const B = dy.shape[0]!, T = dy.shape[1]!;
    const dx = this.layer.backward(dy.reshape([B * T, ...dy.shape.slice(2)]), needsInputGradient, dyIsPreActivation);
    return dx && dx.reshape([B, T, ...dx.shape.slice(1)]);
  }

  override getConfig(): LayerConfig {
    const { name: _name, ...inner } = this.layer.getConfig(); // the inner layer takes this layer's name at build
    return { ...super.getConfig(), layer: inner as LayerConfig };
  }

  /** Disposes the inner layer (whose parameters these are), then this layer (Layer.dispose's contract). */
  override dispose(): void {
    if (this.disposed) return;
    this.layer.dispose();
    super.dispose();
  }
}

registerLayer('TimeDistributed', (c) => new TimeDistributed(c as unknown as TimeDistributedArgs));
