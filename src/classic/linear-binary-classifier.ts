/**
 * What a fitted linear binary classifier answers with (the perceptron, the linear SVM): a weight
 * vector w and a bias b score a row by z = w . x + b; the prediction is the label 1 where z >= 0
 * and the other label of the training convention (0 or -1) elsewhere.
 */
import { Tensor } from '../tensor/tensor.js';
import { accuracy, affineScores, readInputs, readTargets, requireFitted } from './util.js';

/**
 * The shared base of {@link Perceptron} and {@link LinearSVM}: each fits w and b its own way and
 * hands them to {@link setFitted}; scoring, predicting and the accessors are this class's.
 */
export abstract class LinearBinaryClassifier {
  private w: Float64Array | null = null;
  private b = 0;
  private negative: 0 | -1 = 0;

  /** @param owner the class name, for error messages ('Perceptron', 'LinearSVM'). */
  protected constructor(private readonly owner: string) {}

  /** Keeps what a fit found: w `[d]`, b, and the training labels' other label (0 or -1). */
  protected setFitted(w: Float64Array, b: number, negative: 0 | -1): void {
    this.w = w; this.b = b; this.negative = negative;
  }

  /**
   * The scores w . x + b of x `[n, d]` (the signed distance to the boundary times ||w||), float64 `[n]`.
   * @throws Error before fit; RangeError on a feature-count mismatch or non-finite inputs.
   */
  decisionFunction(x: Tensor): Tensor {
    requireFitted(this.owner, 'decisionFunction', this.w !== null);
    const { data, n } = readInputs(`${this.owner}.decisionFunction`, x, this.w!.length);
    return new Tensor(affineScores(data, n, this.w!, this.b), [n]);
  }

  /** 1 where w . x + b >= 0, else the other label of the training convention (0 or -1), float64 `[n]`. @throws Error before fit. */
  predict(x: Tensor): Tensor {
    const z = this.decisionFunction(x);
    return new Tensor(z.data.map((v) => (v >= 0 ? 1 : this.negative)), z.shape);
  }

  /** Accuracy of {@link predict} on (x, y). */
  score(x: Tensor, y: Tensor): number {
    const p = this.predict(x);
    return accuracy(p.data, readTargets(`${this.owner}.score`, y, p.size));
  }

  /** The weights w, float64 `[d]` (a copy; the linear SVM's best iterate). @throws Error before fit. */
  get weights(): Tensor {
    requireFitted(this.owner, 'weights', this.w !== null);
    return new Tensor(this.w!.slice(), [this.w!.length]);
  }

  /** The bias b (the linear SVM's best iterate). @throws Error before fit. */
  get bias(): number {
    requireFitted(this.owner, 'bias', this.w !== null);
    return this.b;
  }
}
