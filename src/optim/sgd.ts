/**
 * Stochastic gradient descent, with optional (Nesterov) momentum, in Keras's form (docs/design.md):
 *
 *   plain:     w -= lr g
 *   momentum:  v = momentum v - lr g;  w += v
 *   Nesterov:  v = momentum v - lr g;  w += momentum v - lr g
 *
 * For a constant learning rate these equal PyTorch's `buf = momentum buf + g; w -= lr buf`
 * (and its Nesterov variant), since v = -lr buf. Nesterov's accelerated gradient in the form of
 * Sutskever et al. 2013, "On the importance of initialization and momentum in deep learning".
 */
import { getKernels } from '../kernels/index.js';
import type { FloatArray } from '../tensor/tensor.js';
import { BASE_OPTION_KEYS, BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec } from './base.js';
import { boolean, checkOptionKeys, unitInterval, withDefault } from './validate.js';

/** Options of {@link SGD}; Keras names and defaults. */
export interface SGDOptions extends BaseOptimizerOptions {
  /** Default 0.01. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** In [0, 1). Default 0 (plain SGD, no slot). */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

const SGD_KEYS: readonly string[] = [...BASE_OPTION_KEYS, 'momentum', 'nesterov'];
const MOMENTUM_SLOTS: readonly SlotSpec[] = [{ name: 'momentum', initialValue: 0 }];

/**
 * SGD: `new SGD({ learningRate = 0.01, momentum = 0, nesterov = false, clipnorm?, clipvalue? })`.
 * Keeps one slot per parameter, 'momentum' (v above), only when momentum > 0.
 *
 * @example
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * layer.backward(dy, false);              // writes each param's grad
 * opt.applyGradients(layer.params());     // w updated in place; opt.iterations === 1
 */
export class SGD extends BaseOptimizer {
  override readonly name = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  /**
   * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
   * @throws RangeError when learningRate is not finite and > 0, momentum is not in [0, 1), or
   * clipnorm / clipvalue is not finite and > 0.
   */
  constructor(options: SGDOptions = {}) {
    const o = checkOptionKeys('SGD', options, SGD_KEYS);
    super('SGD', o, 0.01);
    this.momentum = unitInterval('SGD', 'momentum', withDefault(o, 'momentum', 0));
    this.nesterov = boolean('SGD', 'nesterov', withDefault(o, 'nesterov', false));
  }

  protected override get slotSpecs(): readonly SlotSpec[] {
    return this.momentum > 0 ? MOMENTUM_SLOTS : [];
  }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number): void {
    if (this.momentum > 0) getKernels().momentumUpdate(w, g, slots[0]!, lr, this.momentum, this.nesterov);
    else getKernels().sgdUpdate(w, g, lr);
  }

  protected override ownConfig(): Record<string, unknown> {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
