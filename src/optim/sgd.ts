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
import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions } from './base.js';
import { option, type OptimizerSpec, type SlotSpec } from './spec.js';
import { boolean, unitInterval } from './validate.js';

/** Options of {@link SGD}; Keras names and defaults (learningRate 0.01). */
export interface SGDOptions extends BaseOptimizerOptions {
  /** In [0, 1). Default 0 (plain SGD, no slot). */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

const MOMENTUM_SLOTS: readonly SlotSpec[] = [{ name: 'momentum', initialValue: 0 }];

const SGD_SPEC: OptimizerSpec = {
  className: 'SGD', name: 'sgd', learningRate: 0.01,
  options: { momentum: option(unitInterval, 0), nesterov: option(boolean, false) },
  slots: (o) => (o['momentum'] as number) > 0 ? MOMENTUM_SLOTS : [],
};

/**
 * SGD: `new SGD({ learningRate = 0.01, momentum = 0, nesterov = false, clipnorm?, clipvalue? })`.
 * Keeps one slot per parameter, 'momentum' (v above), only when momentum > 0.
 * @throws TypeError on an unknown option (the valid ones are listed) or a value of the wrong type.
 * @throws RangeError when learningRate is not finite and > 0, momentum is not in [0, 1), or
 * clipnorm / clipvalue is not finite and > 0.
 *
 * @example
 * const opt = new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * layer.backward(dy, false);              // writes each param's grad
 * opt.applyGradients(layer.params());     // w updated in place; opt.iterations === 1
 */
export class SGD extends BaseOptimizer<SGDOptions> {
  declare readonly momentum: number;
  declare readonly nesterov: boolean;

  protected override get spec(): OptimizerSpec { return SGD_SPEC; }

  protected override update(w: FloatArray, g: FloatArray, slots: readonly FloatArray[], lr: number): void {
    if (this.momentum > 0) getKernels().momentumUpdate(w, g, slots[0]!, lr, this.momentum, this.nesterov);
    else getKernels().sgdUpdate(w, g, lr);
  }
}
