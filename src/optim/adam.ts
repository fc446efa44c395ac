/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1), in the
 * form Keras and docs/design.md write it, at step t = iterations + 1:
 *
 *   m = beta1 m + (1 - beta1) g
 *   v = beta2 v + (1 - beta2) g^2
 *   w -= lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 *
 * epsilon sits outside the square root of the bias-corrected v (as in the paper and in
 * PyTorch, whose default epsilon is 1e-8 where Keras's is 1e-7).
 */
import { getKernels } from '../kernels/index.js';
import type { FloatArray } from '../tensor/tensor.js';
import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions } from './base.js';
import { option, type OptimizerSpec, type SlotSpec } from './spec.js';
import { nonNegativeFinite, unitInterval } from './validate.js';

/** Options of {@link Adam}; Keras names and defaults (learningRate 0.001). */
export interface AdamOptions extends BaseOptimizerOptions {
  /** Decay of the first-moment estimate m, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate v, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator; finite, >= 0. Default 1e-7 (Keras). */
  epsilon?: number;
}

const ADAM_SLOTS: readonly SlotSpec[] = [{ name: 'm', initialValue: 0 }, { name: 'v', initialValue: 0 }];

const ADAM_SPEC: OptimizerSpec = {
  className: 'Adam', name: 'adam', learningRate: 0.001, slots: () => ADAM_SLOTS,
  options: { beta1: option(unitInterval, 0.9), beta2: option(unitInterval, 0.999), epsilon: option(nonNegativeFinite, 1e-7) },
};

/**
 * Adam: `new Adam({ learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, clipnorm?, clipvalue? })`.
 * Keeps two slots per parameter, 'm' and 'v'.
 * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
 * @throws RangeError when learningRate is not finite and > 0, beta1 or beta2 is not in [0, 1),
 * epsilon is not finite and >= 0, or clipnorm / clipvalue is not finite and > 0.
 */
export class Adam extends BaseOptimizer<AdamOptions> {
  declare readonly beta1: number;
  declare readonly beta2: number;
  declare readonly epsilon: number;

  protected override get spec(): OptimizerSpec { return ADAM_SPEC; }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number, t: number): void {
    getKernels().adamUpdate(w, g, slots[0]!, slots[1]!, lr, this.beta1, this.beta2, this.epsilon, t);
  }
}
