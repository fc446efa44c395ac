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
import { BASE_OPTION_KEYS, BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec } from './base.js';
import { checkOptionKeys, nonNegativeFinite, unitInterval, withDefault } from './validate.js';

/** Options of {@link Adam}; Keras names and defaults. */
export interface AdamOptions extends BaseOptimizerOptions {
  /** Default 0.001. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the first-moment estimate m, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate v, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator; finite, >= 0. Default 1e-7 (Keras). */
  epsilon?: number;
}

const ADAM_KEYS: readonly string[] = [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon'];
const ADAM_SLOTS: readonly SlotSpec[] = [{ name: 'm', initialValue: 0 }, { name: 'v', initialValue: 0 }];

/**
 * Adam: `new Adam({ learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, clipnorm?, clipvalue? })`.
 * Keeps two slots per parameter, 'm' and 'v'.
 */
export class Adam extends BaseOptimizer {
  override readonly name = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  /**
   * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
   * @throws RangeError when learningRate is not finite and > 0, beta1 or beta2 is not in [0, 1),
   * epsilon is not finite and >= 0, or clipnorm / clipvalue is not finite and > 0.
   */
  constructor(options: AdamOptions = {}) {
    const o = checkOptionKeys('Adam', options, ADAM_KEYS);
    super('Adam', o, 0.001);
    this.beta1 = unitInterval('Adam', 'beta1', withDefault(o, 'beta1', 0.9));
    this.beta2 = unitInterval('Adam', 'beta2', withDefault(o, 'beta2', 0.999));
    this.epsilon = nonNegativeFinite('Adam', 'epsilon', withDefault(o, 'epsilon', 1e-7));
  }

  protected override get slotSpecs(): readonly SlotSpec[] {
    return ADAM_SLOTS;
  }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number, t: number): void {
    getKernels().adamUpdate(w, g, slots[0]!, slots[1]!, lr, this.beta1, this.beta2, this.epsilon, t);
  }

  protected override ownConfig(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
