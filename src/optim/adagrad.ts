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
import { BASE_OPTION_KEYS, BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec } from './base.js';
import { checkOptionKeys, nonNegativeFinite, withDefault } from './validate.js';

/** Options of {@link Adagrad}; Keras names and defaults. */
export interface AdagradOptions extends BaseOptimizerOptions {
  /** Default 0.001. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** The accumulator's starting value; finite, >= 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Added to the denominator; finite, >= 0. Default 1e-7. */
  epsilon?: number;
}

const ADAGRAD_KEYS: readonly string[] = [...BASE_OPTION_KEYS, 'initialAccumulatorValue', 'epsilon'];

/**
 * Adagrad: `new Adagrad({ learningRate = 0.001, initialAccumulatorValue = 0.1, epsilon = 1e-7, clipnorm?, clipvalue? })`.
 * Keeps one slot per parameter, 'accumulator' (s above).
 */
export class Adagrad extends BaseOptimizer {
  override readonly name = 'adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private readonly specs: readonly SlotSpec[];

  /**
   * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
   * @throws RangeError when learningRate is not finite and > 0, initialAccumulatorValue or
   * epsilon is not finite and >= 0, or clipnorm / clipvalue is not finite and > 0.
   */
  constructor(options: AdagradOptions = {}) {
    const o = checkOptionKeys('Adagrad', options, ADAGRAD_KEYS);
    super('Adagrad', o, 0.001);
    this.initialAccumulatorValue = nonNegativeFinite('Adagrad', 'initialAccumulatorValue', withDefault(o, 'initialAccumulatorValue', 0.1));
    this.epsilon = nonNegativeFinite('Adagrad', 'epsilon', withDefault(o, 'epsilon', 1e-7));
    this.specs = [{ name: 'accumulator', initialValue: this.initialAccumulatorValue }];
  }

  protected override get slotSpecs(): readonly SlotSpec[] {
    return this.specs;
  }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number): void {
    getKernels().adagradUpdate(w, g, slots[0]!, lr, this.epsilon);
  }

  protected override ownConfig(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
