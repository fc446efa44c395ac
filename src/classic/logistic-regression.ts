/**
 * Logistic regression (binary, with the sigmoid) and its multi-class form (softmax regression),
 * trained by full-batch gradient descent on the cross-entropy.
 *
 * Sources: A. Ng, CS229 lecture notes 1, part II "Classification and logistic regression"
 * (section 5: h(x) = g(theta^T x) with the logistic g, the log-likelihood and its gradient
 * (y - h(x)) x) and part III section 9 "Softmax regression"; Hung-yi Lee, ML 2017 lecture
 * "Logistic Regression" (cross-entropy rather than squared error).
 */
import { Tensor } from '../tensor/tensor.js';
import type { Optimizer } from '../optim/optimizer.js';
import { SGD } from '../optim/sgd.js';
import type { Param } from '../nn/param.js';
import { LabelClassifier } from './label-classifier.js';
import {
  boolean, checkOptionKeys, integerAtLeast, logSumExp, nonNegativeFinite, oneOf, positiveFinite,
  readInputs, readOptimizer, requireFitted, sigmoid, withDefault,
} from './util.js';

/** Options of {@link LogisticRegression}. */
export interface LogisticRegressionOptions {
  /** The gradient-descent step size (plain SGD on the full batch). Default 0.1. */
  learningRate?: number;
  /** The number of full-batch steps. Default 1000. */
  epochs?: number;
  /** The L2 penalty lambda >= 0 on the weights (not the biases), added as lambda ||W||^2 (Keras's l2). Default 0. */
  l2?: number;
  /** 'auto' (default): sigmoid for two classes, softmax for more; 'softmax': softmax always. */
  multiClass?: 'auto' | 'softmax';
  /** Fit biases (never penalised). Default true. */
  fitIntercept?: boolean;
  /** Any nabla optimiser instead of `new SGD({ learningRate })` (give one or the other). */
  optimizer?: Optimizer;
}

const KEYS = ['learningRate', 'epochs', 'l2', 'multiClass', 'fitIntercept', 'optimizer'] as const;

/**
 * Logistic regression by batch gradient descent on the mean cross-entropy.
 *
 * **Binary** (two classes, `multiClass: 'auto'`): the second class (in ascending label order) is
 * the positive one, t_i = 1 for it and 0 otherwise, and
 *
 *   p_i = sigmoid(w . x_i + b),   J(w, b) = -(1/n) sum_i [t_i log p_i + (1 - t_i) log(1 - p_i)] + lambda ||w||^2
 *
 * whose gradient is dJ/dw = (1/n) sum_i (p_i - t_i) x_i + 2 lambda w, dJ/db = (1/n) sum_i (p_i - t_i):
 * CS229's gradient-ascent rule theta += alpha (y - h(x)) x, on the mean over the batch.
 *
 * **Softmax** (k classes): scores z_i = W^T x_i + b with W `[d, k]` (the Dense layout [in, out]),
 * p_i = softmax(z_i), J = -(1/n) sum_i log p_{i, y_i} + lambda ||W||^2, and dJ/dW =
 * (1/n) sum_i x_i (p_i - e_{y_i})^T + 2 lambda W, dJ/db = (1/n) sum_i (p_i - e_{y_i}).
 *
 * Weights start at 0 (J is convex, so the start does not matter when it converges). Losses
 * are computed from the scores (log(1 + e^z) - t z and log-sum-exp), never from rounded
 * probabilities, so a confident model never reports an infinite loss. Standardise the inputs
 * (a StandardScaler fitted on the training part): the default rate assumes unit-scale features.
 * The optimiser's slots are keyed 'logistic/weights' and 'logistic/biases': use a fresh one per fit.
 *
 * @example
 * const scaler = StandardScaler.fit(xTrain);
 * const clf = new LogisticRegression({ learningRate: 0.1, epochs: 1000 }).fit(scaler.transform(xTrain), yTrain);
 * clf.score(scaler.transform(xTest), yTest);
 */
export class LogisticRegression extends LabelClassifier {
  /** The options as given, defaults filled in. */
  readonly epochs: number;
  readonly l2: number;
  readonly multiClass: 'auto' | 'softmax';
  readonly fitIntercept: boolean;
  private readonly learningRate: number;
  private readonly optimizer: Optimizer | undefined;
  private W = new Float64Array(0);
  private b = new Float64Array(0);
  private d = 0;
  private outputs = 0;
  private losses: number[] = [];

  /** @throws TypeError on an unknown option or a wrong type; RangeError on a bad value (naming the option). */
  constructor(options: LogisticRegressionOptions = {}) {
    super('LogisticRegression');
    const o = checkOptionKeys('LogisticRegression', options, KEYS);
    this.learningRate = positiveFinite('LogisticRegression', 'learningRate', withDefault(o, 'learningRate', 0.1));
    this.epochs = integerAtLeast('LogisticRegression', 'epochs', withDefault(o, 'epochs', 1000), 1);
    this.l2 = nonNegativeFinite('LogisticRegression', 'l2', withDefault(o, 'l2', 0));
    this.multiClass = oneOf('LogisticRegression', 'multiClass', withDefault(o, 'multiClass', 'auto'), ['auto', 'softmax'] as const);
    this.fitIntercept = boolean('LogisticRegression', 'fitIntercept', withDefault(o, 'fitIntercept', true));
    this.optimizer = readOptimizer('LogisticRegression', o);
  }

  /**
   * Fits to inputs x `[n, d]` and integer class labels y `[n]` (at least two distinct labels).
   * @returns this. @throws RangeError on fewer than 2 classes, non-integer labels, non-finite
   *   inputs, or a loss that becomes NaN or infinite (too large a learning rate).
   */
  fit(x: Tensor, y: Tensor): this {
    const where = 'LogisticRegression.fit';
    const { data, n, d, classes, index } = this.readTrainingSet(x, y);
    const k = classes.length;
    const m = k === 2 && this.multiClass === 'auto' ? 1 : k;
    const W = new Float64Array(d * m), b = new Float64Array(m), gW = new Float64Array(d * m), gb = new Float64Array(m);
    const params: Param[] = [
      { name: 'logistic/weights', value: new Tensor(W, [d, m]), grad: new Tensor(gW, [d, m]), trainable: true },
      { name: 'logistic/biases', value: new Tensor(b, [m]), grad: new Tensor(gb, [m]), trainable: this.fitIntercept },
    ];
    const optimizer = this.optimizer ?? new SGD({ learningRate: this.learningRate });
    const z = new Float64Array(m), delta = new Float64Array(m);
    const losses: number[] = [];
    for (let epoch = 0; epoch <= this.epochs; epoch++) {
      gW.fill(0); gb.fill(0);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < m; c++) {
          let s = b[c]!;
          for (let j = 0; j < d; j++) s += data[i * d + j]! * W[j * m + c]!;
          z[c] = s;
        }
        if (m === 1) {
          const t = index[i]!, s = z[0]!;
          // -[t log p + (1 - t) log(1 - p)] = log(1 + e^s) - t s, computed without overflow.
          loss += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - t * s;
          delta[0] = sigmoid(s) - t;
        } else {
          const lse = logSumExp(z);
          loss += lse - z[index[i]!]!;
          for (let c = 0; c < m; c++) delta[c] = Math.exp(z[c]! - lse) - (c === index[i] ? 1 : 0);
        }
        for (let c = 0; c < m; c++) {
          gb[c]! += delta[c]!;
          for (let j = 0; j < d; j++) gW[j * m + c]! += data[i * d + j]! * delta[c]!;
        }
      }
      let ww = 0;
      for (let t = 0; t < W.length; t++) { ww += W[t]! * W[t]!; gW[t] = gW[t]! / n + 2 * this.l2 * W[t]!; }
      for (let c = 0; c < m; c++) gb[c] = gb[c]! / n;
      const J = loss / n + this.l2 * ww;
      if (!Number.isFinite(J)) throw new RangeError(`${where}: the loss became ${J} at epoch ${epoch}; lower the learning rate or standardise the inputs`);
      losses.push(J);
      if (epoch < this.epochs) optimizer.applyGradients(params);
    }
    this.labels = classes; this.W = W; this.b = b; this.d = d; this.outputs = m; this.losses = losses;
    return this;
  }

  /** p(y = c | x) for every row and class, float64 `[n, k]` (columns in {@link classes} order; rows sum to 1). */
  predictProba(x: Tensor): Tensor {
    requireFitted('LogisticRegression', 'predictProba', this.labels !== null);
    const { data, n } = readInputs('LogisticRegression.predictProba', x, this.d);
    const { d, outputs: m, W, b } = this, k = this.labels!.length, out = new Float64Array(n * k), z = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < m; c++) {
        let s = b[c]!;
        for (let j = 0; j < d; j++) s += data[i * d + j]! * W[j * m + c]!;
        z[c] = s;
      }
      if (m === 1) { const p = sigmoid(z[0]!); out[i * 2] = 1 - p; out[i * 2 + 1] = p; }
      else { const lse = logSumExp(z); for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(z[c]! - lse); }
    }
    return new Tensor(out, [n, k]);
  }

  /** p(y = c | x): the scores {@link predict} takes the largest of. */
  protected override classScores(x: Tensor): { scores: ArrayLike<number>; n: number; k: number } {
    const p = this.predictProba(x);
    return { scores: p.data, n: p.shape[0]!, k: p.shape[1]! };
  }

  /** The weights, float64 `[d, 1]` (binary: the positive class's w) or `[d, k]` (softmax). @throws Error before fit. */
  get weights(): Tensor {
    requireFitted('LogisticRegression', 'weights', this.labels !== null);
    return new Tensor(this.W.slice(), [this.d, this.outputs]);
  }

  /** The biases, float64 `[1]` (binary) or `[k]` (softmax). @throws Error before fit. */
  get biases(): Tensor {
    requireFitted('LogisticRegression', 'biases', this.labels !== null);
    return new Tensor(this.b.slice(), [this.outputs]);
  }

  /** J before each step and after the last (epochs + 1 values). */
  get lossHistory(): number[] {
    return [...this.losses];
  }

  /** The class name and its options, for logs. */

  override toString(): string {
    return `LogisticRegression(epochs=${this.epochs}, l2=${this.l2}, multiClass=${this.multiClass})`;
  }
}
