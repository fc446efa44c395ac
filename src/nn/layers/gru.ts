/**
 * GRU (Cho et al. 2014; Keras GRU), a thin module over nn/functional/gru.ts, which holds the
 * equations: z, r = sigma(...) blocks, hh = act(x W_h + b_h + r (h U_h + rb_h)),
 * h_t = z h_{t-1} + (1 - z) hh. Keras 2's layout with resetAfter true (the default; the cuDNN and
 * PyTorch form): kernel [F, 3u], recurrent_kernel [u, 3u], bias [2, 3u] (input bias, recurrent
 * bias), gate order z, r, h. PyTorch's nn.GRU orders its gates r, z, n (docs/guides/recurrent.md).
 * `resetAfter: false` (Keras 1 / TF.js's only form): hh = act(x W_h + b_h + (r h) U_h), bias [3u].
 * @example new GRU({ units: 32, inputShape: [50, 4] })
 */
import { GRU_CELL, type GruCache } from '../functional/gru.js';
import { registerLayer } from '../registry.js';
import { GatedRecurrentLayer, type GatedRecurrentArgs } from './gated-recurrent.js';

export interface GRUArgs extends GatedRecurrentArgs {
  /** Apply the reset gate after the recurrent product (bias [2, 3u]; true, the default) or before it (bias [3u]). */
  resetAfter?: boolean;
}

export class GRU extends GatedRecurrentLayer<GruCache> {
  /**
   * recurrentDropout masks h_{t-1} for the whole step, the update included (h = z (m h) + (1 - z) hh),
   * as Keras 2 / 3 and TF.js do (nn/functional/gru.ts).
   * @throws Error naming the option when an option is invalid.
   */
  constructor(args: GRUArgs) {
    super(GRU_CELL, args);
  }

  /** Apply the reset gate after the recurrent product (true) or before it. */
  get resetAfter(): boolean { return this.variant; }
  /** [2, 3u] (the input bias, then the recurrent bias) with resetAfter, else [3u]. */
  protected override biasShape(): number[] { return this.resetAfter ? [2, 3 * this.units] : [3 * this.units]; }
}

registerLayer('GRU', (c) => new GRU(c as unknown as GRUArgs));
