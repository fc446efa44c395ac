/**
 * A linear support vector machine: the hinge loss with an L2 penalty, minimised by full-batch
 * subgradient descent.
 *
 * Sources: A. Ng, CS229 lecture notes 3 "Support vector machines" (the margin, the soft-margin
 * primal (1/2) ||w||^2 + C sum_i xi_i); Hung-yi Lee, ML 2017 lecture "Support Vector Machine"
 * (the hinge loss as a convex surrogate of the 0/1 loss, trained by gradient descent);
 * S. Shalev-Shwartz et al., "Pegasos" (2007), for the lambda form of the objective.
 */
import type { Tensor } from '../tensor/tensor.js';
import { LinearBinaryClassifier } from './linear-binary-classifier.js';
import { checkOptionKeys, integerAtLeast, positiveFinite, readBinaryLabels, readInputs, withDefault } from './util.js';

/** Options of {@link LinearSVM}: give `lambda` or `C` (not both). */
export interface LinearSVMOptions {
  /** The L2 strength lambda > 0 of the objective below. Default 0.01 (when C is not given). */
  lambda?: number;
  /** scikit-learn's / CS229's C > 0, as lambda = 1 / (C n) for n training samples. */
  C?: number;
  /** The constant subgradient step size, > 0. Default 0.1. */
  learningRate?: number;
  /** The number of full-batch steps, an integer >= 1. Default 1000. */
  epochs?: number;
}

/**
 * Linear SVM (soft margin) trained in the primal.
 *
 * **Objective.** With labels s_i in {-1, +1} (0/1 labels are read as 0 -> -1, 1 -> +1):
 *
 *   J(w, b) = (lambda / 2) ||w||^2 + (1/n) sum_i max(0, 1 - s_i (w . x_i + b))
 *
 * the hinge loss (a convex upper bound of the 0/1 loss, zero once a sample is on the right side
 * with margin 1) plus an L2 penalty on w, not on b. Multiplying by 1 / (lambda) shows it is CS229's
 * soft-margin primal (1/2) ||w||^2 + C sum_i xi_i with xi_i = max(0, 1 - s_i (w . x_i + b)) and
 * C = 1 / (lambda n): a large C (small lambda) punishes margin violations hard.
 *
 * **Training.** The hinge is not differentiable at margin exactly 1; a subgradient is
 * g_w = lambda w - (1/n) sum_{i: s_i z_i < 1} s_i x_i and g_b = -(1/n) sum_{i: s_i z_i < 1} s_i.
 * Each of the `epochs` steps is w -= learningRate g_w, b -= learningRate g_b from w = 0, b = 0.
 * A subgradient step can increase J, so nabla keeps the iterate with the lowest J seen (the
 * usual "best iterate" of the subgradient method) and reports J per step in {@link lossHistory}.
 *
 * @example
 * const svm = new LinearSVM({ C: 1, learningRate: 0.1, epochs: 2000 }).fit(x, y);
 * svm.predict(xTest);
 */
export class LinearSVM extends LinearBinaryClassifier {
  /** The options as given, defaults filled in (lambda is undefined when C was given; see {@link effectiveLambda}). */
  readonly lambda: number | undefined;
  readonly C: number | undefined;
  readonly learningRate: number;
  readonly epochs: number;
  private losses: number[] = [];
  private fittedLambda = NaN;

  /** @throws TypeError on an unknown option; RangeError on a bad value (naming it) or both C and lambda. */
  constructor(options: LinearSVMOptions = {}) {
    super('LinearSVM');
    const o = checkOptionKeys('LinearSVM', options, ['lambda', 'C', 'learningRate', 'epochs']);
    if (o['lambda'] !== undefined && o['C'] !== undefined) throw new RangeError('LinearSVM: give lambda or C (lambda = 1 / (C n)), not both');
    this.C = o['C'] === undefined ? undefined : positiveFinite('LinearSVM', 'C', o['C']);
    this.lambda = this.C !== undefined ? undefined : positiveFinite('LinearSVM', 'lambda', withDefault(o, 'lambda', 0.01));
    this.learningRate = positiveFinite('LinearSVM', 'learningRate', withDefault(o, 'learningRate', 0.1));
    this.epochs = integerAtLeast('LinearSVM', 'epochs', withDefault(o, 'epochs', 1000), 1);
  }

  /**
   * Fits to x `[n, d]` and labels y `[n]` (0/1 or -1/+1).
   * @returns this. @throws RangeError on other labels, non-finite inputs, or a diverging loss.
   */
  fit(x: Tensor, y: Tensor): this {
    const { data, n, f: d } = readInputs('LinearSVM.fit', x);
    const { t, negative } = readBinaryLabels('LinearSVM.fit', y, n);
    const s = t.map((v) => 2 * v - 1);
    const lambda = this.C !== undefined ? 1 / (this.C * n) : this.lambda!;
    const w = new Float64Array(d), gw = new Float64Array(d);
    let b = 0, bestJ = Infinity, bestW = w.slice(), bestB = 0;
    const losses: number[] = [];
    for (let epoch = 0; epoch <= this.epochs; epoch++) {
      gw.fill(0);
      let gb = 0, hinge = 0, ww = 0;
      for (let i = 0; i < n; i++) {
        let z = b;
        for (let j = 0; j < d; j++) z += w[j]! * data[i * d + j]!;
        const margin = s[i]! * z;
        if (margin < 1) {
          hinge += 1 - margin;
          gb -= s[i]!;
          for (let j = 0; j < d; j++) gw[j]! -= s[i]! * data[i * d + j]!;
        }
      }
      for (let j = 0; j < d; j++) ww += w[j]! * w[j]!;
      const J = 0.5 * lambda * ww + hinge / n;
      if (!Number.isFinite(J)) throw new RangeError(`LinearSVM.fit: the objective became ${J} at epoch ${epoch}; lower the learning rate or standardise the inputs`);
      losses.push(J);
      if (J < bestJ) { bestJ = J; bestW = w.slice(); bestB = b; }
      if (epoch === this.epochs) break;
      for (let j = 0; j < d; j++) w[j]! -= this.learningRate * (lambda * w[j]! + gw[j]! / n);
      b -= this.learningRate * (gb / n);
    }
    this.setFitted(bestW, bestB, negative);
    this.losses = losses; this.fittedLambda = lambda;
    return this;
  }

  /** The lambda the last fit used (from C: 1 / (C n)). */
  get effectiveLambda(): number {
    return this.fittedLambda;
  }

  /** J at each iterate, before each step and after the last (epochs + 1 values). */
  get lossHistory(): number[] {
    return [...this.losses];
  }

  /** The class name and its options, for logs. */

  override toString(): string {
    return `LinearSVM(${this.C !== undefined ? `C=${this.C}` : `lambda=${this.lambda}`}, learningRate=${this.learningRate}, epochs=${this.epochs})`;
  }
}
