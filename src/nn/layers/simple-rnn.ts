/**
 * SimpleRNN (Elman 1990; Keras SimpleRNN): h_t = act(x_t W + b + h_{t-1} U), a thin module over
 * nn/functional/simple-rnn.ts. Weights in Keras's layout: kernel [F, u], recurrent_kernel [u, u],
 * bias [u].
 * @example new SimpleRNN({ units: 32, inputShape: [100, 8] })   // [batch, 100, 8] -> [batch, 32]
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { InitialState, SequenceDropout, SequencePlan } from '../functional/recurrent.js';
import { simpleRnnBackward, simpleRnnForward, type SimpleRnnCache } from '../functional/simple-rnn.js';
import { registerLayer } from '../registry.js';
import { RecurrentLayer, type RecurrentArgs } from './recurrent-base.js';

/** Options of {@link SimpleRNN}: those of every recurrent layer (units, activation, returnSequences, ...). */
export type SimpleRNNArgs = RecurrentArgs;

export class SimpleRNN extends RecurrentLayer<SimpleRnnCache> {
  /** @throws Error naming the option when an option is invalid (see RecurrentArgs). */
  constructor(args: SimpleRNNArgs) { super('SimpleRNN', args, []); }
  get className(): string { return 'SimpleRNN'; }
  protected get gates(): number { return 1; }

  protected cellForward(x: Tensor, mask: Tensor | null, plan: SequencePlan, initial: InitialState, dropout: SequenceDropout | null): SimpleRnnCache {
    return simpleRnnForward(this.k, this.scratch, x, ...this.weightValues(), this.activation, mask, plan, this.returnSequences, initial, dropout, this.describe());
  }

  protected cellBackward(dy: Tensor, cache: SimpleRnnCache, needsInputGradient: boolean): Tensor | null {
    return simpleRnnBackward(this.k, this.scratch, dy, cache, ...this.weightParams(), this.activation, needsInputGradient, this.describe());
  }
}

registerLayer('SimpleRNN', (c) => new SimpleRNN(c as unknown as SimpleRNNArgs));
