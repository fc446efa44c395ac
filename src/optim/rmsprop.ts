/**
 * RMSprop (Hinton, Srivastava & Swersky, Neural Networks for Machine Learning, lecture 6e), in
 * the form Keras and docs/design.md write it (not centred, no momentum):
 *
 *   s = rho s + (1 - rho) g^2
 *   w -= lr g / (sqrt(s) + epsilon)
 *
 * Equal to PyTorch's `RMSprop` with alpha = rho and the same eps (PyTorch's default is 1e-8).
 */
import { getKernels } from '../kernels/index.js';
import type { FloatArray } from '../tensor/tensor.js';
import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions } from './base.js';
import { option, type OptimizerSpec, type SlotSpec } from './spec.js';
import { nonNegativeFinite, unitInterval } from './validate.js';

/** Options of {@link RMSprop}; Keras names and defaults (learningRate 0.001). */
export interface RMSpropOptions extends BaseOptimizerOptions {
  /** Decay of the running mean of g^2, in [0, 1). Default 0.9. */
  rho?: number;
  /** Added to the denominator; finite, >= 0. Default 1e-7. */
  epsilon?: number;
}

const RMS_SLOTS: readonly SlotSpec[] = [{ name: 'rms', initialValue: 0 }];

const RMSPROP_SPEC: OptimizerSpec = {
  className: 'RMSprop', name: 'rmsprop', learningRate: 0.001, slots: () => RMS_SLOTS,
  options: { rho: option(unitInterval, 0.9), epsilon: option(nonNegativeFinite, 1e-7) },
};

/**
 * RMSprop: `new RMSprop({ learningRate = 0.001, rho = 0.9, epsilon = 1e-7, clipnorm?, clipvalue? })`.
 * Keeps one slot per parameter, 'rms' (s above).
 * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
 * @throws RangeError when learningRate is not finite and > 0, rho is not in [0, 1), epsilon is
 * not finite and >= 0, or clipnorm / clipvalue is not finite and > 0.
 */
export class RMSprop extends BaseOptimizer<RMSpropOptions> {
  declare readonly rho: number;
  declare readonly epsilon: number;

  protected override get spec(): OptimizerSpec { return RMSPROP_SPEC; }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number): void {
    getKernels().rmspropUpdate(w, g, slots[0]!, lr, this.rho, this.epsilon);
  }
}
