/**
 * LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000; Keras LSTM), a
 * thin module over nn/functional/lstm.ts, which holds the equations:
 *   i, f, o = sigma(x W + b + h U) blocks, g = act(...),  c_t = f c_{t-1} + i g,  h_t = o act(c_t).
 * Keras's layout and defaults (keras/layers/recurrent.py): kernel [F, 4u], recurrent_kernel
 * [u, 4u], bias [4u], gate order i, f, c, o; recurrentActivation 'sigmoid' (TF.js defaults to
 * 'hardSigmoid'), unitForgetBias true (the forget block of the bias starts at 1, Jozefowicz et
 * al. 2015). PyTorch's nn.LSTM holds the same numbers as weight_ih = kernel^T and
 * weight_hh = recurrent_kernel^T with gate order i, f, g, o (g = Keras's c) and
 * bias_ih + bias_hh = bias (docs/guides/recurrent.md).
 * @example new LSTM({ units: 64, returnSequences: true, inputShape: [100, 32] })
 */
import type { Rng } from '../../tensor/rng.js';
import type { FloatArray } from '../../tensor/tensor.js';
import { LSTM_CELL, type LstmCache } from '../functional/lstm.js';
import type { Param } from '../param.js';
import { registerLayer } from '../registry.js';
import { GatedRecurrentLayer, type GatedRecurrentArgs } from './gated-recurrent.js';

export interface LSTMArgs extends GatedRecurrentArgs {
  /** Start the forget gate's bias at 1 (whatever biasInitializer says for it). Default true. */
  unitForgetBias?: boolean;
}

export class LSTM extends GatedRecurrentLayer<LstmCache> {
  /** @throws Error naming the option when an option is invalid. */
  constructor(args: LSTMArgs) {
    super(LSTM_CELL, args);
  }

  /** Start the forget gate's bias at 1 (true). */
  get unitForgetBias(): boolean { return this.variant; }
  /** The last step's h and c. */
  protected override finalStates(cache: LstmCache): FloatArray[] {
    const n = cache.plan.batch * this.units, T = cache.plan.steps;
    return [cache.h.subarray(T * n, (T + 1) * n), cache.c.subarray(T * n, (T + 1) * n)];
  }

  /** biasInitializer everywhere, then ones over the forget block [u, 2u) with unitForgetBias. */
  protected override initBias(bias: Param, rng: Rng): void {
    super.initBias(bias, rng);
    if (this.unitForgetBias) bias.value.data.fill(1, this.units, 2 * this.units);
  }
}

registerLayer('LSTM', (c) => new LSTM(c as unknown as LSTMArgs));
