/**
 * What LSTM and GRU share beyond every recurrent layer (recurrent-base.ts): gate blocks squashed by
 * a recurrent activation sigma (Keras's `recurrent_activation`, default 'sigmoid' as Keras 2;
 * TF.js defaults to 'hardSigmoid'), its validation, its place in the config, and the
 * { activation, recurrentActivation } pair the functional cells (nn/functional/lstm.ts, gru.ts) take;
 * and the one boolean option, default true, that picks Keras's variant of the cell (LSTM's
 * `unitForgetBias`, GRU's `resetAfter`): its check, its key and its place at the end of the config.
 */
import type { ActivationIdentifier, ActivationName } from '../../kernels/index.js';
import type { LstmActivations } from '../functional/lstm.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerConfig } from '../layer.js';
import { bool, RecurrentLayer, type RecurrentArgs } from './recurrent-base.js';

/** The options of a gated recurrent layer (LSTM, GRU) besides its variant flag. */
export interface GatedRecurrentArgs extends RecurrentArgs {
  /** sigma, the gates' activation. Default 'sigmoid' (Keras 2). */
  recurrentActivation?: ActivationIdentifier;
}

/** A recurrent layer whose cell has sigma-gated blocks (LSTM: i, f, o; GRU: z, r). */
export abstract class GatedRecurrentLayer<Cache extends { y: Tensor }> extends RecurrentLayer<Cache> {
  readonly recurrentActivation: ActivationName;
  /** The candidate's and the gates' activations, as the functional cells take them. */
  protected readonly acts: LstmActivations;
  /** The value of the variant option (the subclass exposes it under its Keras name). */
  protected readonly variant: boolean;
  private readonly variantName: string;
  private readonly kind: string;
  private readonly gateCount: number;

  /**
   * @param className the layer's class name, stated once here (also its `className`).
   * @param variantName the cell's boolean variant option ('unitForgetBias', 'resetAfter'); default true.
   * @param gates the cell's column blocks (LSTM 4: i, f, c, o; GRU 3: z, r, h).
   * @throws Error naming the option when an option is invalid (recurrentActivation must be
   * elementwise); TypeError when the variant option is not a boolean.
   */
  constructor(className: string, args: GatedRecurrentArgs, variantName: string, gates: number) {
    super(className, args, ['recurrentActivation', variantName]);
    this.kind = className;
    this.gateCount = gates;
    this.recurrentActivation = RecurrentLayer.elementwise(className, 'recurrentActivation', args.recurrentActivation ?? 'sigmoid');
    this.variantName = variantName;
    this.variant = bool(className, variantName, (args as unknown as Record<string, unknown>)[variantName], true);
    this.acts = { activation: this.activation, recurrentActivation: this.recurrentActivation };
  }

  get className(): string { return this.kind; }
  protected get gates(): number { return this.gateCount; }

  /** The recurrent layer's config, then recurrentActivation and the variant option (Keras's order). */
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, [this.variantName]: this.variant };
  }
}
