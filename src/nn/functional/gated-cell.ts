/**
 * A gated recurrent cell as a value (LSTM, GRU): its functional forward and backward with one
 * signature, its gate and state counts, and the names its layer goes by. nn/functional/lstm.ts and
 * gru.ts each export one; layers/gated-recurrent.ts runs whichever it is given.
 */
import type { ActivationName, Backend } from '../../kernels/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Param } from '../param.js';
import type { InitialState, SequenceDropout, SequencePlan } from './recurrent.js';
import type { Scratch } from './scratch.js';

/** A gated cell's activations: act (the candidate, and LSTM's cell output) and sigma (the gates). */
export interface GatedActivations { activation: ActivationName; recurrentActivation: ActivationName }

/**
 * A gated cell: `forward` takes the layer's variant flag (GRU's resetAfter; LSTM's unitForgetBias,
 * which only sets the initial bias, is ignored there), `backward` writes the weights' gradients.
 */
export interface GatedCell<Cache> {
  /** The layer's class name (also its `className` and the prefix of its errors). */
  readonly className: string;
  /** The cell's boolean variant option ('unitForgetBias', 'resetAfter'); default true. */
  readonly variantName: string;
  /** The cell's column blocks G (LSTM 4: i, f, c, o; GRU 3: z, r, h). */
  readonly gates: number;
  /** The state tensors (GRU 1: h; LSTM 2: h, c). */
  readonly states: number;
  /** y (inside the cache) from x, the weights' values, the activations, the step plan, the variant flag, the initial states and dropout. */
  forward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null, acts: GatedActivations,
          mask: Tensor | null, plan: SequencePlan, returnSequences: boolean, variant: boolean, initial: InitialState,
          dropout: SequenceDropout | null, who: string): Cache;
  /** Writes the weights' gradients from dy on the forward's cache; returns dx, or null when not needed. */
  backward(k: Backend, ws: Scratch, dy: Tensor, cache: Cache, kernel: Param, recurrentKernel: Param, bias: Param | null,
           acts: GatedActivations, needsInputGradient: boolean, who: string): Tensor | null;
}
