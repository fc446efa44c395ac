/**
 * Linear regression by least squares, with an optional ridge (L2) penalty, solved in closed form
 * through a decomposition (SVD or QR, ml-matrix) or by gradient descent with any nabla optimiser.
 *
 * Sources: A. Ng, CS229 lecture notes 1, part I "Linear regression": LMS / gradient descent
 * (section 1), the normal equations (section 2), the probabilistic interpretation (section 3);
 * Hung-yi Lee, ML 2016/2017 lecture "Regression" (the Pokémon CP demo, Adagrad, regularisation).
 */
import { Tensor } from '../tensor/tensor.js';
import type { Optimizer } from '../optim/optimizer.js';
import { SGD } from '../optim/sgd.js';
import type { Param } from '../nn/param.js';
import { solveLeastSquares } from './least-squares.js';
import {
  affineScores, checkOptionKeys, describe, integerAtLeast, nonNegativeFinite, oneOf, positiveFinite, readInputs, readOptimizer,
  readTargets, requireFitted, withDefault, boolean,
} from './util.js';

/** How {@link LinearRegression} minimises its objective. */
export type LinearRegressionSolver = 'svd' | 'qr' | 'gradientDescent';

/** Options of {@link LinearRegression}. */
export interface LinearRegressionOptions {
  /** Fit an intercept b (never penalised). Default true; false fixes b = 0. */
  fitIntercept?: boolean;
  /** The ridge penalty lambda >= 0 on ||w||^2 (see the class comment). Default 0: plain least squares. */
  l2?: number;
  /**
   * 'svd' (default): singular value decomposition of the equilibrated system; 'qr': Householder QR
   * of the same system (both through ml-matrix, and both refuse a rank-deficient system the same
   * way); 'gradientDescent': full-batch gradient descent with `optimizer` for `epochs` steps.
   */
  solver?: LinearRegressionSolver;
  /** Gradient descent only: the step size of the default optimiser, plain SGD. Default 0.01. */
  learningRate?: number;
  /** Gradient descent only: the number of full-batch steps. Default 1000. */
  epochs?: number;
  /**
   * Gradient descent only: any nabla optimiser instance (for example `new Adagrad({ learningRate: 1 })`,
   * as in Hung-yi Lee's demo), used instead of `new SGD({ learningRate })`; give one or the other.
   * Its slots are keyed 'linear/coefficients' and 'linear/intercept': use a fresh optimiser per fit.
   */
  optimizer?: Optimizer;
  /** Gradient descent only: starting weights `{ coefficients, intercept }`. Default all 0. */
  initial?: { coefficients: readonly number[]; intercept?: number };
}

const KEYS = ['fitIntercept', 'l2', 'solver', 'learningRate', 'epochs', 'optimizer', 'initial'] as const;
const GD_ONLY = ['learningRate', 'epochs', 'optimizer', 'initial'] as const;

/**
 * Least-squares linear regression y ~ w . x + b, optionally with a ridge penalty.
 *
 * **Objective.** For samples (x_i, y_i), i = 1..n, x_i in R^p, and lambda = `l2` >= 0:
 *
 *   J(w, b) = sum_i (y_i - w . x_i - b)^2 + lambda ||w||^2
 *
 * The intercept b is not penalised (ridge shrinks slopes, not the level of y); with
 * `fitIntercept: false`, b = 0. This is scikit-learn's `Ridge(alpha = lambda)` objective, and
 * CS229's J(theta) = (1/2) sum_i (h(x_i) - y_i)^2 times 2 when lambda = 0.
 *
 * **Closed form (normal equations, CS229 notes 1 section 2).** Setting the gradient to zero:
 * b = ybar - xbar . w and (X~^T X~ + lambda I) w = X~^T y~ with X~ = X - 1 xbar^T, y~ = y - ybar 1
 * (centred data). Without an intercept X~ = X, y~ = y. nabla never forms X^T X: it solves the
 * equivalent stacked system [X~; sqrt(lambda) I] w ~= [y~; 0] by SVD or QR (see least-squares.ts),
 * with columns scaled to unit norm first.
 *
 * **Singular systems.** When lambda = 0 and the columns of X~ are linearly dependent (a
 * repeated or constant feature, more features than samples), the minimiser is not unique.
 * nabla decides this from the singular values of the column-equilibrated system: rank-deficient
 * when sigma_min <= sigma_max * max(rows, p) * 2.22e-16 (NumPy's `matrix_rank` / `lstsq`
 * tolerance). `fit` then throws {@link SingularSystemError} naming the columns and suggesting
 * ridge (lambda > 0 always makes the system full-rank); it never returns NaN weights. The same
 * check runs before gradient descent, whose answer would otherwise depend on the starting point.
 *
 * **Gradient descent (CS229 notes 1 section 1, batch LMS).** Minimises L = J / (2n), which has the
 * same minimiser: dL/dw = (1/n) (X^T (Xw + b - y) + lambda w), dL/db = (1/n) sum_i (w . x_i + b - y_i),
 * one full-batch step of `optimizer` per epoch; `lossHistory` holds L before each step and after the last.
 * Plain SGD needs standardised inputs or a small rate; Adagrad copes with raw inputs.
 *
 * **Probabilistic interpretation (CS229 notes 1 section 3).** Assume y_i = w . x_i + b + e_i with
 * e_i independent N(0, sigma^2). The log-likelihood is
 *
 *   l(w, b, sigma^2) = -(n/2) log(2 pi sigma^2) - RSS(w, b) / (2 sigma^2),  RSS = sum_i (y_i - w . x_i - b)^2
 *
 * For any sigma^2 the only term that depends on (w, b) is -RSS / (2 sigma^2), so maximising the
 * likelihood is minimising the squared error: least squares is the maximum-likelihood fit.
 * Setting dl/d(sigma^2) = -n / (2 sigma^2) + RSS / (2 sigma^4) = 0 gives the maximum-likelihood
 * noise variance sigma^2 = RSS / n, reported as {@link noiseVariance}. It is biased low; the
 * unbiased estimate divides by n - q instead, q = p + 1 with an intercept (p without), and is
 * reported as {@link unbiasedNoiseVariance}. With lambda > 0 both are just the residual
 * variance of the ridge fit, not a maximum-likelihood estimate.
 *
 * @example
 * const { x, y } = loadPokemonCp(undefined, { subset: 'demo10' });
 * const model = new LinearRegression().fit(x, y);
 * model.coefficients.data[0]; // w = 2.669455
 * model.intercept;            // b = -188.433
 */
export class LinearRegression {
  /** The options as given, defaults filled in (optimizer: undefined means plain SGD at learningRate). */
  readonly fitIntercept: boolean;
  readonly l2: number;
  readonly solver: LinearRegressionSolver;
  readonly epochs: number;
  readonly optimizer: Optimizer | undefined;
  private readonly learningRate: number;
  private readonly initial: { coefficients: readonly number[]; intercept?: number } | undefined;
  private coef: Float64Array | null = null;
  private b = 0;
  private sigma2 = NaN;
  private sigma2Unbiased = NaN;
  private losses: number[] = [];

  /**
   * @throws TypeError on an unknown option, a value of the wrong type, an unknown solver, or a
   *   gradient-descent option given to a closed-form solver; RangeError on l2 < 0,
   *   learningRate <= 0, epochs not an integer >= 1, or both learningRate and optimizer.
   */
  constructor(options: LinearRegressionOptions = {}) {
    const o = checkOptionKeys('LinearRegression', options, KEYS);
    this.fitIntercept = boolean('LinearRegression', 'fitIntercept', withDefault(o, 'fitIntercept', true));
    this.l2 = nonNegativeFinite('LinearRegression', 'l2', withDefault(o, 'l2', 0));
    this.solver = oneOf('LinearRegression', 'solver', withDefault(o, 'solver', 'svd'), ['svd', 'qr', 'gradientDescent'] as const);
    if (this.solver !== 'gradientDescent')
      for (const k of GD_ONLY) if (o[k] !== undefined) throw new TypeError(`LinearRegression: ${k} applies to solver 'gradientDescent' only, got solver '${this.solver}'`);
    this.learningRate = positiveFinite('LinearRegression', 'learningRate', withDefault(o, 'learningRate', 0.01));
    this.epochs = integerAtLeast('LinearRegression', 'epochs', withDefault(o, 'epochs', 1000), 1);
    this.optimizer = readOptimizer('LinearRegression', o);
    this.initial = o['initial'] as LinearRegression['initial'];
  }

  /**
   * Fits w and b to inputs x `[n, p]` (or `[n]`) and targets y `[n]` (or `[n, 1]`).
   * @returns this.
   * @throws SingularSystemError when lambda = 0 and the system is rank-deficient (see the class comment);
   *   TypeError / RangeError on malformed or non-finite inputs.
   */
  fit(x: Tensor, y: Tensor): this {
    const X = readInputs('LinearRegression.fit', x), t = readTargets('LinearRegression.fit', y, X.n);
    const { data, n, f: p } = X;
    // The rank check (and, for the closed forms, the solution) from the decomposition.
    const solution = solveLeastSquares({
      owner: 'LinearRegression.fit', x: data, n, p, y: t, fitIntercept: this.fitIntercept, l2: this.l2,
      solver: this.solver === 'qr' ? 'qr' : 'svd',
    });
    if (this.solver === 'gradientDescent') this.descend(data, n, p, t);
    else { this.coef = solution.coefficients; this.b = solution.intercept; this.losses = []; }
    const rss = this.residualSumOfSquares(data, n, p, t);
    const q = p + (this.fitIntercept ? 1 : 0);
    this.sigma2 = rss / n;
    this.sigma2Unbiased = n > q ? rss / (n - q) : NaN;
    return this;
  }

  /** Full-batch gradient descent on L = J / (2n) (class comment). */
  private descend(x: Float64Array, n: number, p: number, t: Float64Array): void {
    const w = new Float64Array(p), b = new Float64Array(1);
    if (this.initial !== undefined) {
      const c = this.initial.coefficients;
      if (!Array.isArray(c) || c.length !== p || !c.every(Number.isFinite))
        throw new RangeError(`LinearRegression.fit: initial.coefficients must be ${p} finite numbers, got ${describe(c)}`);
      w.set(c);
      b[0] = this.fitIntercept ? this.initial.intercept ?? 0 : 0;
    }
    const gw = new Float64Array(p), gb = new Float64Array(1);
    const params: Param[] = [
      { name: 'linear/coefficients', value: new Tensor(w, [p]), grad: new Tensor(gw, [p]), trainable: true },
      { name: 'linear/intercept', value: new Tensor(b, [1]), grad: new Tensor(gb, [1]), trainable: this.fitIntercept },
    ];
    const optimizer = this.optimizer ?? new SGD({ learningRate: this.learningRate });
    const losses: number[] = [];
    const loss = (): number => {
      let rss = 0, ww = 0;
      for (let i = 0; i < n; i++) {
        let r = b[0]! - t[i]!;
        for (let j = 0; j < p; j++) r += w[j]! * x[i * p + j]!;
        rss += r * r;
      }
      for (let j = 0; j < p; j++) ww += w[j]! * w[j]!;
      return (rss + this.l2 * ww) / (2 * n);
    };
    for (let epoch = 0; epoch < this.epochs; epoch++) {
      gw.fill(0); gb[0] = 0;
      let rss = 0;
      for (let i = 0; i < n; i++) {
        let r = b[0]! - t[i]!;
        for (let j = 0; j < p; j++) r += w[j]! * x[i * p + j]!;
        rss += r * r;
        gb[0]! += r;
        for (let j = 0; j < p; j++) gw[j]! += r * x[i * p + j]!;
      }
      let ww = 0;
      for (let j = 0; j < p; j++) { ww += w[j]! * w[j]!; gw[j] = (gw[j]! + this.l2 * w[j]!) / n; }
      gb[0] = gb[0]! / n;
      const current = (rss + this.l2 * ww) / (2 * n);
      if (!Number.isFinite(current))
        throw new RangeError(`LinearRegression.fit: gradient descent diverged (loss ${current} at epoch ${epoch}); lower the learning rate or standardise the inputs`);
      losses.push(current);
      optimizer.applyGradients(params);
    }
    const last = loss();
    if (!Number.isFinite(last))
      throw new RangeError(`LinearRegression.fit: gradient descent diverged (loss ${last} after epoch ${this.epochs - 1}); lower the learning rate or standardise the inputs`);
    losses.push(last);
    this.coef = w; this.b = b[0]!; this.losses = losses;
  }

  private residualSumOfSquares(x: Float64Array, n: number, p: number, t: Float64Array): number {
    const w = this.coef!;
    let rss = 0;
    for (let i = 0; i < n; i++) {
      let r = t[i]! - this.b;
      for (let j = 0; j < p; j++) r -= w[j]! * x[i * p + j]!;
      rss += r * r;
    }
    return rss;
  }

  /** Predictions w . x_i + b, float64 `[n]`. @throws Error before fit; RangeError on a feature-count mismatch. */
  predict(x: Tensor): Tensor {
    requireFitted('LinearRegression', 'predict', this.coef !== null);
    const { data, n } = readInputs('LinearRegression.predict', x, this.coef!.length);
    return new Tensor(affineScores(data, n, this.coef!, this.b), [n]);
  }

  /**
   * The coefficient of determination R^2 = 1 - RSS / TSS on (x, y), TSS = sum_i (y_i - ybar)^2.
   * 1 is a perfect fit, 0 no better than predicting the mean, negative worse. When y is constant
   * (TSS = 0) it is 1 for a perfect prediction and 0 otherwise (scikit-learn's convention).
   */
  score(x: Tensor, y: Tensor): number {
    return rSquared(this.predict(x).data, readTargets('LinearRegression.score', y, x.shape[0]!));
  }

  /** The fitted slopes w, float64 `[p]` (a copy). @throws Error before fit. */
  get coefficients(): Tensor {
    requireFitted('LinearRegression', 'coefficients', this.coef !== null);
    return new Tensor(this.coef!.slice(), [this.coef!.length]);
  }

  /** The fitted intercept b (0 with fitIntercept: false). @throws Error before fit. */
  get intercept(): number {
    requireFitted('LinearRegression', 'intercept', this.coef !== null);
    return this.b;
  }

  /** The maximum-likelihood noise variance sigma^2 = RSS / n on the training data (class comment). @throws Error before fit. */
  get noiseVariance(): number {
    requireFitted('LinearRegression', 'noiseVariance', this.coef !== null);
    return this.sigma2;
  }

  /** The unbiased noise variance RSS / (n - q), q = p + 1 with an intercept, p without; NaN when n <= q. @throws Error before fit. */
  get unbiasedNoiseVariance(): number {
    requireFitted('LinearRegression', 'unbiasedNoiseVariance', this.coef !== null);
    return this.sigma2Unbiased;
  }

  /** Gradient descent only: L = J / (2n) before each step, then after the last (epochs + 1 values); empty for closed forms. */
  get lossHistory(): number[] {
    return [...this.losses];
  }

  /** The class name and its options, for logs. */

  toString(): string {
    return `LinearRegression(solver=${this.solver}, l2=${this.l2}, fitIntercept=${this.fitIntercept})`;
  }
}

/** R^2 = 1 - RSS / TSS, with scikit-learn's convention for constant targets. */
export function rSquared(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const n = truth.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i]!;
  mean /= n;
  let rss = 0, tss = 0;
  for (let i = 0; i < n; i++) { rss += (truth[i]! - predicted[i]!) ** 2; tss += (truth[i]! - mean) ** 2; }
  if (tss === 0) return rss === 0 ? 1 : 0;
  return 1 - rss / tss;
}
