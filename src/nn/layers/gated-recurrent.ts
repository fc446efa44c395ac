/**
 * What LSTM and GRU share beyond every recurrent layer (recurrent-base.ts): the cell they run, a
 * value (nn/functional/gated-cell.ts: its functional forward and backward, gate and state counts,
 * class name and variant option), gate blocks squashed by a recurrent activation sigma (Keras's
 * `recurrent_activation`, default 'sigmoid' as Keras 2; TF.js defaults to 'hardSigmoid'), its
 * validation, its place in the config, and the { activation, recurrentActivation } pair the
 * functional cells (nn/functional/lstm.ts, gru.ts) take; and the one boolean option, default true,
 * that picks Keras's variant of the cell (LSTM's `unitForgetBias`, GRU's `resetAfter`): its check,
 * its key and its place at the end of the config.
 */
import type { ActivationIdentifier, ActivationName } from '../../kernels/index.js';
import type { GatedActivations, GatedCell } from '../functional/gated-cell.js';
import type { InitialState, SequenceDropout, SequencePlan } from '../functional/recurrent.js';
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
  protected readonly acts: GatedActivations;
  /** The value of the variant option (the subclass exposes it under its Keras name). */
  protected readonly variant: boolean;
  private readonly cell: GatedCell<Cache>;

  /**
   * @param cell the cell the layer runs (its class name, variant option, gates, states, forward and backward).
   * @throws Error naming the option when an option is invalid (recurrentActivation must be
   * elementwise); TypeError when the variant option is not a boolean.
   */
  constructor(cell: GatedCell<Cache>, args: GatedRecurrentArgs) {
    super(cell.className, args, ['recurrentActivation', cell.variantName]);
    this.cell = cell;
    this.recurrentActivation = RecurrentLayer.elementwise(cell.className, 'recurrentActivation', args.recurrentActivation ?? 'sigmoid');
    this.variant = bool(cell.className, cell.variantName, (args as unknown as Record<string, unknown>)[cell.variantName], true);
    this.acts = { activation: this.activation, recurrentActivation: this.recurrentActivation };
  }

  get className(): string { return this.cell.className; }
  protected get gates(): number { return this.cell.gates; }
  protected override get stateCount(): number { return this.cell.states; }

  protected cellForward(x: Tensor, mask: Tensor | null, plan: SequencePlan, initial: InitialState, dropout: SequenceDropout | null): Cache {
    return this.cell.forward(this.k, this.scratch, x, ...this.weightValues(), this.acts, mask, plan, this.returnSequences, this.variant, initial, dropout, this.describe());
  }

  protected cellBackward(dy: Tensor, cache: Cache, needsInputGradient: boolean): Tensor | null {
    return this.cell.backward(this.k, this.scratch, dy, cache, ...this.weightParams(), this.acts, needsInputGradient, this.describe());
  }

  /** The recurrent layer's config, then recurrentActivation and the variant option (Keras's order). */
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation, [this.cell.variantName]: this.variant };
  }
}
