/**
 * Adagrad (Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization"), in the form Keras and docs/design.md write it:
 *
 *   s += g^2            (s starts at initialAccumulatorValue)
 *   w -= lr g / (sqrt(s) + epsilon)
 *
 * Equal to PyTorch's `Adagrad` with the same initial_accumulator_value and eps and lr_decay = 0
 * (PyTorch's defaults are 0 and 1e-10).
 */
import { getKernels } from '../kernels/index.js';
import type { FloatArray } from '../tensor/tensor.js';
import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions } from './base.js';
import { option, type OptimizerSpec } from './spec.js';
import { nonNegativeFinite } from './validate.js';

/** Options of {@link Adagrad}; Keras names and defaults (learningRate 0.001). */
export interface AdagradOptions extends BaseOptimizerOptions {
  /** The accumulator's starting value; finite, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added to the denominator; finite, >= 0. Default 1e-7. */
  epsilon?: number;
}

const ADAGRAD_SPEC: OptimizerSpec = {
  className: 'Adagrad', name: 'adagrad', learningRate: 0.001,
  options: { initialAccumulatorValue: option(nonNegativeFinite, 0.1), epsilon: option(nonNegativeFinite, 1e-7) },
  slots: (o) => [{ name: 'accumulator', initialValue: o['initialAccumulatorValue'] as number }],
};

/**
 * Adagrad: `new Adagrad({ learningRate = 0.001, initialAccumulatorValue = 0.1, epsilon = 1e-7, clipnorm?, clipvalue? })`.
 * Keeps one slot per parameter, 'accumulator' (s above).
 * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
 * @throws RangeError when learningRate is not finite and > 0, initialAccumulatorValue or
 * epsilon is not finite and >= 0, or clipnorm / clipvalue is not finite and > 0.
 */
export class Adagrad extends BaseOptimizer<AdagradOptions> {
  declare readonly initialAccumulatorValue: number;
  declare readonly epsilon: number;

  protected override get spec(): OptimizerSpec { return ADAGRAD_SPEC; }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number): void {
    getKernels().adagradUpdate(w, g, slots[0]!, lr, this.epsilon);
  }
}
