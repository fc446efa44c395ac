/**
 * Weight penalties. `l2(lambda)` adds lambda sum w^2 to the loss (Keras) and 2 lambda w to the
 * gradient. Nielsen's L2 regularisation, C = C_0 + (lambda / 2n) sum w^2 (ch. 3, eq. 85), is
 * `l2(lambda / (2 * n))` with n the training-set size.
 */
import type { Backend } from '../kernels/backend.js';
import type { FloatArray } from '../tensor/tensor.js';

/** A weight penalty (as `l2(lambda)` makes): its value added to the loss and its gradient added to the weights'. */
export interface Regularizer {
  readonly className: string;
  /** The penalty added to the loss for weights w. */
  penalty(k: Backend, w: FloatArray): number;
  /** grad += d penalty / dw. */
  addGradient(k: Backend, w: FloatArray, grad: FloatArray): void;
  getConfig(): { className: string; [k: string]: unknown };
}

class L2 implements Regularizer {
  readonly className = 'l2';
  constructor(readonly l2: number) {}
  penalty(k: Backend, w: FloatArray): number { return this.l2 * k.sumSquares(w); }
  addGradient(k: Backend, w: FloatArray, grad: FloatArray): void { k.axpy(2 * this.l2, w, grad); }
  getConfig() { return { className: this.className, l2: this.l2 }; }
}

/**
 * L2 penalty lambda sum w^2.
 * @throws RangeError unless lambda is a finite number >= 0.
 */
export function l2(lambda: number): Regularizer {
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) throw new RangeError(`l2: lambda must be a finite number >= 0, got ${String(lambda)}`);
  return new L2(lambda);
}

/** A regularizer from an instance or its config; @throws Error for anything else. */
export function getRegularizer(spec: unknown, where = 'kernelRegularizer'): Regularizer {
  if (spec && typeof spec === 'object' && typeof (spec as Regularizer).penalty === 'function') return spec as Regularizer;
  if (spec && typeof spec === 'object' && (spec as { className?: unknown }).className === 'l2') return l2((spec as { l2: number }).l2);
  throw new Error(`${where}: expected l2(lambda) or { className: 'l2', l2: lambda }, got ${JSON.stringify(spec)}`);
}
