/**
 * What a fitted multi-class classifier answers with (logistic regression, the Gaussian generative
 * classifiers): per row, a score for each class seen in training; the prediction is the label of
 * the highest score.
 */
import type { Tensor } from '../tensor/tensor.js';
import { accuracy, argmaxLabels, readInputs, readLabels, readTargets, requireFitted } from './util.js';

/**
 * The shared base of {@link LogisticRegression} and {@link GaussianGenerativeClassifier}: each
 * fits its own way, sets {@link labels} and scores the classes ({@link classScores}); predicting,
 * scoring and the class list are this class's.
 */
export abstract class LabelClassifier {
  /** The distinct training labels, ascending (column c of the scores is labels[c]); null before fit. */
  protected labels: number[] | null = null;

  /** @param owner the class name, for error messages ('LogisticRegression', ...). */
  protected constructor(private readonly owner: string) {}

  /**
   * What fit starts from: inputs x `[n, d]` as float64 and integer class labels y `[n]`.
   * @returns the rows, d, the distinct labels ascending and each sample's index into them.
   * @throws RangeError (naming `<owner>.fit`) on fewer than 2 classes, non-integer labels or
   *   non-finite inputs; TypeError on malformed tensors.
   */
  protected readTrainingSet(x: Tensor, y: Tensor): { data: Float64Array; n: number; d: number; classes: number[]; index: Int32Array } {
    const where = `${this.owner}.fit`;
    const { data, n, f: d } = readInputs(where, x);
    const { classes, index } = readLabels(where, y, n);
    if (classes.length < 2) throw new RangeError(`${where}: y has only class ${classes[0]}; a classifier needs at least 2 classes`);
    return { data, n, d, classes, index };
  }

  /**
   * Row-major scores `[n, k]` of x, one column per class in {@link labels} order, largest for the
   * most probable class (probabilities or log-joint densities).
   * @throws Error before fit; RangeError on bad inputs.
   */
  protected abstract classScores(x: Tensor): { scores: ArrayLike<number>; n: number; k: number };

  /** The most probable class label of each row, float64 `[n]` (the first on a tie). @throws Error before fit. */
  predict(x: Tensor): Tensor {
    const { scores, n, k } = this.classScores(x);
    return argmaxLabels(scores, n, k, this.labels!);
  }

  /** Accuracy of {@link predict} on (x, y). */
  score(x: Tensor, y: Tensor): number {
    const p = this.predict(x);
    return accuracy(p.data, readTargets(`${this.owner}.score`, y, p.size));
  }

  /** The class labels, ascending. @throws Error before fit. */
  get classes(): number[] {
    requireFitted(this.owner, 'classes', this.labels !== null);
    return [...this.labels!];
  }
}
