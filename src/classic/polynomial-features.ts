/**
 * Polynomial basis expansion for linear regression on powers and products of the inputs
 * (CS229 lecture notes 1, the x, x^2, ..., x^5 fits of section 1 / "underfitting and
 * overfitting"; Hung-yi Lee's "Regression" lecture, the Pokémon CP models of degree 1 to 5).
 */
import { Tensor } from '../tensor/tensor.js';
import { StandardScaler } from '../data/scalers.js';
import { boolean, checkOptionKeys, integerAtLeast, readInputs, requireFitted, withDefault } from './util.js';

/** Options of {@link PolynomialFeatures}. */
export interface PolynomialFeaturesOptions {
  /** The highest total degree, an integer >= 1 (required). */
  degree: number;
  /**
   * Standardise each input column (z = (x - mean) / std, a {@link StandardScaler} fitted inside
   * on the data given to `fit`) before taking powers. Default true. Raw powers of inputs like
   * Pokémon CP (hundreds) reach 1e12 at degree 5 and make the least-squares system
   * ill-conditioned; standardised inputs keep every column near unit scale.
   */
  standardize?: boolean;
}

/**
 * Maps each row x = (x_0, ..., x_{f-1}) to every monomial of total degree 1..`degree`:
 * x_0, ..., x_{f-1}, then x_0^2, x_0 x_1, ..., x_{f-1}^2, then the cubes, and so on; within a degree
 * in lexicographic order of the (non-decreasing) index tuples — scikit-learn's
 * `PolynomialFeatures(degree, include_bias=False)` order. There are C(f + d, d) - 1 columns. No
 * constant column: {@link LinearRegression} fits the intercept (unpenalised by ridge).
 *
 * With `standardize` (the default), the monomials are of z = (x - mean) / std, the training
 * data's column statistics (population std; a constant column gets std 1), fitted by `fit` and
 * reused unchanged by `transform`, so test data is expanded exactly as training data was.
 *
 * @example
 * const poly = new PolynomialFeatures({ degree: 3 });
 * const model = new LinearRegression().fit(poly.fitTransform(xTrain), yTrain);
 * model.predict(poly.transform(xTest));
 */
export class PolynomialFeatures {
  /** The options as given, defaults filled in. */
  readonly degree: number;
  readonly standardize: boolean;
  private scaler: StandardScaler | null = null;
  private terms: number[][] | null = null;
  private inputs = 0;

  /**
   * @throws TypeError on an unknown option or a non-boolean standardize; RangeError (naming
   *   `degree`) unless degree is an integer >= 1.
   */
  constructor(options: PolynomialFeaturesOptions) {
    const o = checkOptionKeys('PolynomialFeatures', options, ['degree', 'standardize']);
    if (o['degree'] === undefined) throw new TypeError('PolynomialFeatures: degree is required (an integer >= 1)');
    this.degree = integerAtLeast('PolynomialFeatures', 'degree', o['degree'], 1);
    this.standardize = boolean('PolynomialFeatures', 'standardize', withDefault(o, 'standardize', true));
  }

  /** Learns the number of inputs (and, with standardize, their means and stds) from x `[n, f]` (or `[n]`). @returns this. */
  fit(x: Tensor): this {
    const { data, n, f } = readInputs('PolynomialFeatures.fit', x);
    this.scaler = this.standardize ? new StandardScaler().fit(new Tensor(data, [n, f])) : null;
    this.inputs = f;
    this.terms = monomials(f, this.degree);
    return this;
  }

  /**
   * The expansion of x `[n, f]` (or `[n]`): float64 `[n, outputFeatures]`.
   * @throws Error before fit; RangeError when x has another number of features.
   */
  transform(x: Tensor): Tensor {
    requireFitted('PolynomialFeatures', 'transform', this.terms !== null);
    const rows = readInputs('PolynomialFeatures.transform', x, this.inputs);
    const { n, f } = rows;
    const z = this.scaler ? this.scaler.transform(new Tensor(rows.data, [n, f])).data : rows.data;
    const terms = this.terms!, m = terms.length, out = new Float64Array(n * m);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < m; k++) {
        let v = 1;
        for (const j of terms[k]!) v *= z[i * f + j]!;
        out[i * m + k] = v;
      }
    return new Tensor(out, [n, m]);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** The number of output columns, C(f + degree, degree) - 1. @throws Error before fit. */
  get outputFeatures(): number {
    requireFitted('PolynomialFeatures', 'outputFeatures', this.terms !== null);
    return this.terms!.length;
  }

  /**
   * Names of the output columns, as 'x0', 'x0^2', 'x0 x1' (or with the given input names,
   * e.g. 'cp^2'). Standardised inputs keep their names: 'cp^2' is the square of standardised cp.
   * @throws Error before fit; RangeError when inputNames has the wrong length.
   */
  featureNames(inputNames?: readonly string[]): string[] {
    requireFitted('PolynomialFeatures', 'featureNames', this.terms !== null);
    const names = inputNames ?? Array.from({ length: this.inputs }, (_, j) => `x${j}`);
    if (names.length !== this.inputs) throw new RangeError(`PolynomialFeatures.featureNames: expected ${this.inputs} input names, got ${names.length}`);
    return this.terms!.map((term) => {
      const parts: string[] = [];
      for (let a = 0; a < term.length;) {
        let b = a;
        while (b < term.length && term[b] === term[a]) b++;
        parts.push(b - a === 1 ? names[term[a]!]! : `${names[term[a]!]!}^${b - a}`);
        a = b;
      }
      return parts.join(' ');
    });
  }

  /** The fitted scaler (standardize: true), or null. */
  get inputScaler(): StandardScaler | null {
    return this.scaler;
  }

  /** The class name and its options, for logs. */

  toString(): string {
    return `PolynomialFeatures(degree=${this.degree}, standardize=${this.standardize})`;
  }
}

/** All non-decreasing index tuples of lengths 1..degree over f inputs, by degree then lexicographically. */
function monomials(f: number, degree: number): number[][] {
  const out: number[][] = [];
  let level: number[][] = [[]];
  for (let d = 1; d <= degree; d++) {
    const next: number[][] = [];
    for (const t of level) for (let j = t.length > 0 ? t[t.length - 1]! : 0; j < f; j++) next.push([...t, j]);
    out.push(...next);
    level = next;
  }
  return out;
}
