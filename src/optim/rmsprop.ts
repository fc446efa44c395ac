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
import { BASE_OPTION_KEYS, BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec } from './base.js';
import { checkOptionKeys, nonNegativeFinite, unitInterval, withDefault } from './validate.js';

/** Options of {@link RMSprop}; Keras names and defaults. */
export interface RMSpropOptions extends BaseOptimizerOptions {
  /** Default 0.001. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the running mean of g^2, in [0, 1). Default 0.9. */
  rho?: number;
  /** Added to the denominator; finite, >= 0. Default 1e-7. */
  epsilon?: number;
}

const RMSPROP_KEYS: readonly string[] = [...BASE_OPTION_KEYS, 'rho', 'epsilon'];
const RMSPROP_SLOTS: readonly SlotSpec[] = [{ name: 'rms', initialValue: 0 }];

/**
 * RMSprop: `new RMSprop({ learningRate = 0.001, rho = 0.9, epsilon = 1e-7, clipnorm?, clipvalue? })`.
 * Keeps one slot per parameter, 'rms' (s above).
 */
export class RMSprop extends BaseOptimizer {
  override readonly name = 'rmsprop';
  readonly rho: number;
  readonly epsilon: number;

  /**
   * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
   * @throws RangeError when learningRate is not finite and > 0, rho is not in [0, 1), epsilon is
   * not finite and >= 0, or clipnorm / clipvalue is not finite and > 0.
   */
  constructor(options: RMSpropOptions = {}) {
    const o = checkOptionKeys('RMSprop', options, RMSPROP_KEYS);
    super('RMSprop', o, 0.001);
    this.rho = unitInterval('RMSprop', 'rho', withDefault(o, 'rho', 0.9));
    this.epsilon = nonNegativeFinite('RMSprop', 'epsilon', withDefault(o, 'epsilon', 1e-7));
  }

  protected override get slotSpecs(): readonly SlotSpec[] {
    return RMSPROP_SLOTS;
  }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number): void {
    getKernels().rmspropUpdate(w, g, slots[0]!, lr, this.rho, this.epsilon);
  }

  protected override ownConfig(): Record<string, unknown> {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
