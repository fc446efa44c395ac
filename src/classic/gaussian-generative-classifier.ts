/**
 * The Gaussian generative classifier: Gaussian discriminant analysis with one mean per class and
 * a covariance shared by all classes (linear boundaries; LDA) or one per class (quadratic
 * boundaries; QDA).
 *
 * Sources: A. Ng, CS229 lecture notes 2, part IV "Generative learning algorithms", section 1
 * "Gaussian discriminant analysis" (the model, its maximum-likelihood estimates, and the
 * posterior p(y = 1 | x) as a logistic function of x); Hung-yi Lee, ML 2017 lecture
 * "Classification: Probabilistic Generative Model" (the Pokémon type example; sharing the
 * covariance Sigma = (N1/N) Sigma1 + (N2/N) Sigma2 makes the boundary linear, and
 * P(C1 | x) = sigmoid(w . x + b) with w and b below).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { Tensor } from '../tensor/tensor.js';
import { LabelClassifier } from './label-classifier.js';
import { SingularSystemError, rankTolerance } from './least-squares.js';
import { checkOptionKeys, logSumExp, nonNegativeFinite, oneOf, readInputs, requireFitted, withDefault } from './util.js';

/** Options of {@link GaussianGenerativeClassifier}. */
export interface GaussianGenerativeClassifierOptions {
  /** 'shared' (default): one covariance for all classes, linear boundaries; 'perClass': one per class, quadratic boundaries. */
  covariance?: 'shared' | 'perClass';
  /**
   * A number r >= 0 added to the diagonal of every fitted covariance (Sigma + r I) before use.
   * Default 0: a singular covariance is an error. A small r (e.g. 1e-6 times the features'
   * variance) makes a class with constant or collinear features usable.
   */
  regularization?: number;
}

/** One class's Gaussian, factored for fast, stable log-densities. */
interface Factor {
  /** Per-feature scale D_j = sqrt(Sigma_jj): the Gaussian is evaluated on z = D^-1 (x - mu). */
  scale: Float64Array;
  /** Eigenvectors V of the correlation matrix R = D^-1 Sigma D^-1 (columns), row-major d x d. */
  vectors: Float64Array;
  /** 1 / sqrt(eigenvalues of R). */
  invSqrt: Float64Array;
  /** log det Sigma = log det R + 2 sum_j log D_j. */
  logDet: number;
}

/**
 * Gaussian generative classifier (Gaussian discriminant analysis).
 *
 * **Model** (CS229 notes 2 section 1.2, for k classes): y ~ Categorical(phi_1..phi_k), and
 * x | y = c ~ N(mu_c, Sigma_c), with Sigma_c = Sigma for every class when `covariance: 'shared'`.
 *
 * **Maximum-likelihood estimates** (divisor N_c, not N_c - 1): with N_c samples of class c out
 * of N, phi_c = N_c / N, mu_c = (1 / N_c) sum_{i: y_i = c} x_i,
 * Sigma_c = (1 / N_c) sum_{i: y_i = c} (x_i - mu_c)(x_i - mu_c)^T, and the shared covariance
 * Sigma = sum_c (N_c / N) Sigma_c = (1 / N) sum_i (x_i - mu_{y_i})(x_i - mu_{y_i})^T.
 *
 * **Posterior** (Bayes' rule): log p(y = c | x) = a_c(x) - log sum_j exp(a_j(x)), where
 * a_c(x) = log phi_c + log N(x; mu_c, Sigma_c) and
 * log N(x; mu, Sigma) = -(1/2) (d log 2 pi + log det Sigma + (x - mu)^T Sigma^-1 (x - mu)).
 * nabla works with these logs and the log-sum-exp (subtracting the largest a_c), so a point far
 * from every mean, whose densities all underflow to 0 in float64, still gets a posterior.
 *
 * **Shared covariance gives a linear boundary.** The quadratic term x^T Sigma^-1 x and log det Sigma
 * are the same for every class and cancel in the posterior, leaving a_c = w_c . x + b_c with
 * w_c = Sigma^-1 mu_c and b_c = -(1/2) mu_c^T Sigma^-1 mu_c + log phi_c; the posterior is the
 * softmax of these scores ({@link linearScores}). For two classes this is
 * P(C1 | x) = sigmoid(w . x + b) with w = Sigma^-1 (mu_1 - mu_2) and
 * b = -(1/2) mu_1^T Sigma^-1 mu_1 + (1/2) mu_2^T Sigma^-1 mu_2 + ln(N1 / N2) (Hung-yi Lee's slide).
 *
 * **Singular covariances.** Sigma is factored as D R D with D = sqrt(diag Sigma) and R the
 * correlation matrix, whose symmetric eigendecomposition (ml-matrix) gives the inverse and the
 * log-determinant. Sigma is singular when a feature is constant (within a class, for
 * 'perClass') or R's smallest eigenvalue is <= its largest * max(d, d) * 2.22e-16 (the rank
 * tolerance of least squares, applied to the unit-free R). `fit` then throws
 * {@link SingularSystemError} naming the class, unless `regularization` > 0. A class with fewer
 * than 2 samples has no per-class covariance at all and is refused under 'perClass'.
 *
 * Labels are any integers; {@link classes} lists them in ascending order, the column order of
 * {@link predictProba}.
 *
 * @example
 * const { x, y } = loadIris();
 * const gda = new GaussianGenerativeClassifier({ covariance: 'shared' }).fit(x, y);
 * gda.score(x, y);        // training accuracy 0.98
 * gda.predictProba(x);    // [150, 3], rows sum to 1
 */
export class GaussianGenerativeClassifier extends LabelClassifier {
  /** The options as given, defaults filled in. */
  readonly covariance: 'shared' | 'perClass';
  readonly regularization: number;
  private phi = new Float64Array(0);
  private mu: Float64Array[] = [];
  private sigma: Float64Array[] = [];
  private factors: Factor[] = [];
  private d = 0;

  /** @throws TypeError on an unknown option or covariance; RangeError on regularization < 0. */
  constructor(options: GaussianGenerativeClassifierOptions = {}) {
    super('GaussianGenerativeClassifier');
    const o = checkOptionKeys('GaussianGenerativeClassifier', options, ['covariance', 'regularization']);
    this.covariance = oneOf('GaussianGenerativeClassifier', 'covariance', withDefault(o, 'covariance', 'shared'), ['shared', 'perClass'] as const);
    this.regularization = nonNegativeFinite('GaussianGenerativeClassifier', 'regularization', withDefault(o, 'regularization', 0));
  }

  /**
   * Estimates priors, means and covariances from x `[n, d]` and integer labels y `[n]` (maximum likelihood).
   * @returns this.
   * @throws RangeError naming a class with fewer than 2 samples under 'perClass', or when y has
   *   fewer than 2 classes; SingularSystemError naming the class whose covariance is singular
   *   (with regularization 0); TypeError / RangeError on malformed inputs.
   */
  fit(x: Tensor, y: Tensor): this {
    const where = 'GaussianGenerativeClassifier.fit';
    const { data, n, d, classes, index } = this.readTrainingSet(x, y);
    const k = classes.length;
    const count = new Float64Array(k);
    for (let i = 0; i < n; i++) count[index[i]!]!++;
    if (this.covariance === 'perClass')
      for (let c = 0; c < k; c++)
        if (count[c]! < 2)
          throw new RangeError(`${where}: class ${classes[c]} has ${count[c]} sample; a per-class covariance needs at least 2 samples of each class (use covariance: 'shared', or more data)`);
    const mu = classes.map(() => new Float64Array(d));
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mu[index[i]!]![j]! += data[i * d + j]!;
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) mu[c]![j]! /= count[c]!;
    // Scatter matrices S_c = sum_{i in c} (x_i - mu_c)(x_i - mu_c)^T.
    const scatter = classes.map(() => new Float64Array(d * d));
    const r = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const c = index[i]!, m = mu[c]!, s = scatter[c]!;
      for (let j = 0; j < d; j++) r[j] = data[i * d + j]! - m[j]!;
      for (let a = 0; a < d; a++) for (let b = a; b < d; b++) s[a * d + b]! += r[a]! * r[b]!;
    }
    for (const s of scatter) for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) s[a * d + b] = s[b * d + a]!;
    let sigma: Float64Array[];
    if (this.covariance === 'shared') {
      const pooled = new Float64Array(d * d);
      for (const s of scatter) for (let t = 0; t < d * d; t++) pooled[t]! += s[t]! / n;
      sigma = [pooled];
    } else sigma = scatter.map((s, c) => s.map((v) => v / count[c]!));
    this.factors = sigma.map((s, c) => this.factor(s, d, this.covariance === 'shared' ? 'the shared covariance' : `the covariance of class ${classes[c]}`));
    this.labels = classes; this.phi = count.map((v) => v / n); this.mu = mu; this.sigma = sigma; this.d = d;
    return this;
  }

  /** Factors Sigma + r I as D R D with R's eigendecomposition; refuses a singular one. */
  private factor(sigma: Float64Array, d: number, what: string): Factor {
    const where = 'GaussianGenerativeClassifier.fit';
    const remedy = this.regularization > 0 ? `regularization = ${this.regularization} is too small: increase it` : 'set regularization > 0 (added to the diagonal)';
    const scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const v = sigma[j * d + j]! + this.regularization;
      if (!(v > 0))
        throw new SingularSystemError(`${where}: ${what} is singular: feature ${j} has zero variance${this.covariance === 'perClass' ? ' within the class' : ''}; ${remedy}, or drop the feature`, 0, d);
      scale[j] = Math.sqrt(v);
    }
    const R = new Matrix(d, d);
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) R.set(a, b, (sigma[a * d + b]! + (a === b ? this.regularization : 0)) / (scale[a]! * scale[b]!));
    const evd = new EigenvalueDecomposition(R, { assumeSymmetric: true });
    const lambda = evd.realEigenvalues, V = evd.eigenvectorMatrix;
    const max = Math.max(...lambda), tol = rankTolerance(max, d, d);
    const rank = lambda.filter((l) => l > tol).length;
    if (rank < d)
      throw new SingularSystemError(`${where}: ${what} is singular (rank ${rank} of ${d}: some features are linearly dependent${this.covariance === 'perClass' ? ' within the class, or the class has too few samples' : ''}); ${remedy}, or use fewer features`, rank, d);
    const vectors = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) vectors[a * d + b] = V.get(a, b);
    let logDet = 0;
    for (let j = 0; j < d; j++) logDet += Math.log(lambda[j]!) + 2 * Math.log(scale[j]!);
    return { scale, vectors, invSqrt: Float64Array.from(lambda, (l) => 1 / Math.sqrt(l)), logDet };
  }

  /** a_c(x) = log phi_c + log N(x; mu_c, Sigma_c) for every row and class, row-major `[n, k]`. */
  private logJoint(x: Tensor, method: string): { a: Float64Array; n: number; k: number } {
    requireFitted('GaussianGenerativeClassifier', method, this.labels !== null);
    const { data, n } = readInputs(`GaussianGenerativeClassifier.${method}`, x, this.d);
    const d = this.d, k = this.labels!.length, a = new Float64Array(n * k);
    const z = new Float64Array(d), log2pi = d * Math.log(2 * Math.PI);
    for (let c = 0; c < k; c++) {
      const F = this.factors[this.covariance === 'shared' ? 0 : c]!, m = this.mu[c]!, logPrior = Math.log(this.phi[c]!);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) z[j] = (data[i * d + j]! - m[j]!) / F.scale[j]!;
        let maha = 0;
        for (let e = 0; e < d; e++) {
          let proj = 0;
          for (let j = 0; j < d; j++) proj += F.vectors[j * d + e]! * z[j]!;
          maha += (proj * F.invSqrt[e]!) ** 2;
        }
        a[i * k + c] = logPrior - 0.5 * (log2pi + F.logDet + maha);
      }
    }
    return { a, n, k };
  }

  /** log p(y = c | x) for every row and class, float64 `[n, k]` (columns in {@link classes} order). @throws Error before fit. */
  predictLogProba(x: Tensor): Tensor {
    const { a, n, k } = this.logJoint(x, 'predictLogProba');
    for (let i = 0; i < n; i++) {
      const row = a.subarray(i * k, (i + 1) * k), lse = logSumExp(row);
      for (let c = 0; c < k; c++) row[c]! -= lse;
    }
    return new Tensor(a, [n, k]);
  }

  /** p(y = c | x), float64 `[n, k]`, rows summing to 1 (columns in {@link classes} order). @throws Error before fit. */
  predictProba(x: Tensor): Tensor {
    const t = this.predictLogProba(x);
    return new Tensor(t.data.map(Math.exp), t.shape);
  }

  /** The log joint densities a_c(x) = log phi_c + log N(x; mu_c, Sigma_c): the scores {@link predict} takes the largest of. */
  protected override classScores(x: Tensor): { scores: ArrayLike<number>; n: number; k: number } {
    const { a, n, k } = this.logJoint(x, 'predict');
    return { scores: a, n, k };
  }

  /** The priors phi_c = N_c / N, float64 `[k]`. @throws Error before fit. */
  get priors(): Tensor {
    requireFitted('GaussianGenerativeClassifier', 'priors', this.labels !== null);
    return new Tensor(this.phi.slice(), [this.phi.length]);
  }

  /** The class means mu_c, float64 `[k, d]`. @throws Error before fit. */
  get means(): Tensor {
    requireFitted('GaussianGenerativeClassifier', 'means', this.labels !== null);
    const out = new Float64Array(this.mu.length * this.d);
    this.mu.forEach((m, c) => out.set(m, c * this.d));
    return new Tensor(out, [this.mu.length, this.d]);
  }

  /**
   * The maximum-likelihood covariances, float64 `[k, d, d]`: Sigma_c per class, or the shared
   * Sigma repeated for every class. Without `regularization` (it is added only when evaluating).
   * @throws Error before fit.
   */
  get covariances(): Tensor {
    requireFitted('GaussianGenerativeClassifier', 'covariances', this.labels !== null);
    const k = this.mu.length, dd = this.d * this.d, out = new Float64Array(k * dd);
    for (let c = 0; c < k; c++) out.set(this.sigma[this.covariance === 'shared' ? 0 : c]!, c * dd);
    return new Tensor(out, [k, this.d, this.d]);
  }

  /**
   * Shared covariance only: the linear scores a_c(x) = w_c . x + b_c whose softmax is the
   * posterior, w_c = Sigma^-1 mu_c (rows of `weights`, `[k, d]`) and
   * b_c = -(1/2) mu_c^T Sigma^-1 mu_c + log phi_c (`biases`, `[k]`), with Sigma + r I when regularised.
   * @throws Error before fit or under 'perClass' (whose scores are quadratic).
   */
  linearScores(): { weights: Tensor; biases: Tensor } {
    requireFitted('GaussianGenerativeClassifier', 'linearScores', this.labels !== null);
    if (this.covariance !== 'shared') throw new Error("GaussianGenerativeClassifier.linearScores: only a shared covariance gives linear scores; this model has covariance 'perClass'");
    const d = this.d, k = this.mu.length, F = this.factors[0]!;
    const weights = new Float64Array(k * d), biases = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      // Sigma^-1 mu = D^-1 V Lambda^-1 V^T D^-1 mu.
      const u = this.mu[c]!.map((v, j) => v / F.scale[j]!);
      const t = new Float64Array(d);
      for (let e = 0; e < d; e++) {
        let proj = 0;
        for (let j = 0; j < d; j++) proj += F.vectors[j * d + e]! * u[j]!;
        t[e] = proj * F.invSqrt[e]! ** 2;
      }
      let quad = 0;
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let e = 0; e < d; e++) s += F.vectors[j * d + e]! * t[e]!;
        weights[c * d + j] = s / F.scale[j]!;
        quad += weights[c * d + j]! * this.mu[c]![j]!;
      }
      biases[c] = -0.5 * quad + Math.log(this.phi[c]!);
    }
    return { weights: new Tensor(weights, [k, d]), biases: new Tensor(biases, [k]) };
  }

  /** The class name and its options, for logs. */

  override toString(): string {
    return `GaussianGenerativeClassifier(covariance=${this.covariance}, regularization=${this.regularization})`;
  }
}
