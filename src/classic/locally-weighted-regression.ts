/**
 * Locally weighted linear regression (LWR), the non-parametric algorithm of A. Ng, CS229 lecture
 * notes 1, part I section 4 ("Locally weighted linear regression"; Cleveland 1979's LOESS idea).
 */
import { Tensor } from '../tensor/tensor.js';
import { solveLeastSquares } from './least-squares.js';
import {
  boolean, checkOptionKeys, describe, nonNegativeFinite, oneOf, readInputs, readTargets, requireFitted, withDefault,
} from './util.js';

/** Options of {@link LocallyWeightedRegression}. */
export interface LocallyWeightedRegressionOptions {
  /** The bandwidth tau > 0 (required), in the units of x: how fast a point's weight falls with its distance from the query. */
  tau: number;
  /** Fit an intercept in each local fit (default true), as CS229's theta with x_0 = 1. */
  fitIntercept?: boolean;
  /** A ridge penalty lambda >= 0 on each local fit's slopes (default 0), for queries with too few nearby points. */
  l2?: number;
  /** The decomposition for each local solve: 'svd' (default) or 'qr'. */
  solver?: 'svd' | 'qr';
}

/**
 * Locally weighted linear regression. For each query point x, fit theta (slopes w and
 * intercept b) to minimise
 *
 *   sum_i c_i (y_i - w . x_i - b)^2 + lambda ||w||^2,  with  c_i = exp(-||x_i - x||^2 / (2 tau^2))
 *
 * and predict w . x + b. Training points near the query dominate the fit; tau sets how near: a
 * small tau follows the data closely (and overfits noise), a large tau tends to ordinary least
 * squares (every c_i -> 1). "Non-parametric": the training set is kept and a new weighted
 * least-squares problem is solved for every query (CS229 notes 1 section 4), each through the
 * same SVD / QR solve as {@link LinearRegression}.
 *
 * Far from the data every c_i can underflow to 0 in float64. Since scaling all weights by one
 * constant does not change a weighted least-squares solution, nabla computes
 * c_i = exp(-(||x_i - x||^2 - d_min^2) / (2 tau^2)) with d_min the distance to the nearest
 * training point: the nearest point always has weight 1. A query whose neighbourhood still
 * cannot determine a line (all weight on one point, or on points in a lower-dimensional set)
 * throws {@link SingularSystemError} naming the query and suggesting a larger tau or l2 > 0.
 *
 * @example
 * const lwr = new LocallyWeightedRegression({ tau: 0.5 }).fit(x, y);
 * lwr.predict(xQuery);
 */
export class LocallyWeightedRegression {
  /** The options as given, defaults filled in. */
  readonly tau: number;
  readonly fitIntercept: boolean;
  readonly l2: number;
  readonly solver: 'svd' | 'qr';
  private x: Float64Array | null = null;
  private y: Float64Array | null = null;
  private n = 0;
  private p = 0;

  /**
   * @throws RangeError (naming tau) unless tau is a finite number > 0; RangeError on l2 < 0;
   *   TypeError on an unknown option or a value of the wrong type.
   */
  constructor(options: LocallyWeightedRegressionOptions) {
    const o = checkOptionKeys('LocallyWeightedRegression', options, ['tau', 'fitIntercept', 'l2', 'solver']);
    const tau = o['tau'];
    if (tau === undefined) throw new TypeError('LocallyWeightedRegression: tau is required (the bandwidth, a finite number > 0)');
    if (typeof tau !== 'number') throw new TypeError(`LocallyWeightedRegression: tau must be a finite number > 0, got ${describe(tau)}`);
    if (!Number.isFinite(tau) || tau <= 0)
      throw new RangeError(`LocallyWeightedRegression: tau (the bandwidth) must be a finite number > 0, got ${describe(tau)}`);
    this.tau = tau;
    this.fitIntercept = boolean('LocallyWeightedRegression', 'fitIntercept', withDefault(o, 'fitIntercept', true));
    this.l2 = nonNegativeFinite('LocallyWeightedRegression', 'l2', withDefault(o, 'l2', 0));
    this.solver = oneOf('LocallyWeightedRegression', 'solver', withDefault(o, 'solver', 'svd'), ['svd', 'qr'] as const);
  }

  /** Keeps a copy of the training set x `[n, p]` (or `[n]`), y `[n]`. @returns this. */
  fit(x: Tensor, y: Tensor): this {
    const X = readInputs('LocallyWeightedRegression.fit', x);
    this.y = readTargets('LocallyWeightedRegression.fit', y, X.n);
    this.x = X.data; this.n = X.n; this.p = X.f;
    return this;
  }

  /**
   * The weights c_i of every training point for one query point (normalised so the nearest has
   * weight 1, see the class comment), float64 `[n]`.
   * @throws Error before fit; RangeError when the point has the wrong length.
   */
  weightsAt(point: ArrayLike<number>): Float64Array {
    requireFitted('LocallyWeightedRegression', 'weightsAt', this.x !== null);
    if (point.length !== this.p) throw new RangeError(`LocallyWeightedRegression.weightsAt: the model was fitted on ${this.p} feature(s), got a point of length ${point.length}`);
    const { n, p } = this, x = this.x!, d2 = new Float64Array(n);
    let nearest = Infinity;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (x[i * p + j]! - point[j]!) ** 2;
      d2[i] = s;
      if (s < nearest) nearest = s;
    }
    const twoTau2 = 2 * this.tau * this.tau;
    return d2.map((s) => Math.exp(-(s - nearest) / twoTau2));
  }

  /**
   * Predictions at the query points x `[m, p]` (or `[m]`): one weighted least-squares fit each, float64 `[m]`.
   * @throws Error before fit; RangeError on a feature-count mismatch; SingularSystemError when a
   *   query's weighted problem is singular (naming the query row).
   */
  predict(x: Tensor): Tensor {
    requireFitted('LocallyWeightedRegression', 'predict', this.x !== null);
    const Q = readInputs('LocallyWeightedRegression.predict', x, this.p);
    const out = new Float64Array(Q.n);
    for (let q = 0; q < Q.n; q++) {
      const point = Q.data.subarray(q * this.p, (q + 1) * this.p);
      const { coefficients, intercept } = solveLeastSquares({
        owner: `LocallyWeightedRegression.predict (query row ${q})`, x: this.x!, n: this.n, p: this.p, y: this.y!,
        weights: this.weightsAt(point), fitIntercept: this.fitIntercept, l2: this.l2, solver: this.solver,
        hint: `too few training points lie within a few tau = ${this.tau} of this query: increase tau or set l2 > 0`,
      });
      let s = intercept;
      for (let j = 0; j < this.p; j++) s += coefficients[j]! * point[j]!;
      out[q] = s;
    }
    return new Tensor(out, [Q.n]);
  }

  /** The class name and its options, for logs. */

  toString(): string {
    return `LocallyWeightedRegression(tau=${this.tau}, l2=${this.l2})`;
  }
}
