/**
 * Rosenblatt's perceptron (1958) with the step activation, trained by the perceptron learning rule.
 *
 * Sources: A. Ng, CS229 lecture notes 1, part II section 6 "Digression: the perceptron learning
 * algorithm" (g = the threshold function, theta := theta + alpha (y - h(x)) x); M. Nielsen,
 * "Neural Networks and Deep Learning", ch. 1 (perceptrons computing NAND: weights -2, -2, bias 3).
 */
import type { Tensor } from '../tensor/tensor.js';
import { Rng } from '../tensor/rng.js';
import { LinearBinaryClassifier } from './linear-binary-classifier.js';
import { checkOptionKeys, describe, integerAtLeast, positiveFinite, readBinaryLabels, readInputs, withDefault } from './util.js';

/** Options of {@link Perceptron}. */
export interface PerceptronOptions {
  /** The step alpha of the update, > 0. Default 1. */
  learningRate?: number;
  /** The most passes over the training set, an integer >= 1. Default 1000. */
  maxEpochs?: number;
  /**
   * When given, each epoch visits the samples in a fresh order drawn from
   * `Rng.derive(seed, 'perceptron', epoch)`; without it, in the order given. Either way the run is
   * deterministic.
   */
  seed?: number;
}

/**
 * A single perceptron: h(x) = H(w . x + b), H the Heaviside step (H(z) = 1 if z >= 0 else 0,
 * docs/design.md's 'step').
 *
 * **Labels** are 0/1 or -1/+1 (not mixed): internally t = 1 for the label 1 and t = 0 for the
 * other (0 or -1); {@link predict} answers in the convention of the training labels.
 *
 * **Learning rule** (CS229 notes 1 section 6): weights start at 0; for each training sample in
 * turn, h = H(w . x_i + b), and
 *
 *   w := w + alpha (t_i - h) x_i,   b := b + alpha (t_i - h)
 *
 * which changes nothing when the sample is classified correctly. After each epoch (one pass) the
 * training errors of the current weights are counted ({@link errorsPerEpoch}); training stops at
 * the first epoch that leaves zero errors ({@link converged} = true), or after `maxEpochs`
 * ({@link converged} = false). By the perceptron convergence theorem (Novikoff 1962) the rule
 * reaches zero errors in finitely many updates when the classes are linearly separable; for
 * sets that are not (XOR), it cycles forever and only `maxEpochs` stops it.
 *
 * @example
 * const and = new Perceptron().fit(tensor([[0, 0], [0, 1], [1, 0], [1, 1]], undefined, 'float64'), tensor([0, 0, 0, 1], undefined, 'float64'));
 * and.converged;   // true
 * and.epochsUsed;  // the passes it needed
 */
export class Perceptron extends LinearBinaryClassifier {
  /** The options as given, defaults filled in. */
  readonly learningRate: number;
  readonly maxEpochs: number;
  readonly seed: number | undefined;
  private epochs = 0;
  private done = false;
  private errors: number[] = [];

  /** @throws TypeError on an unknown option or a wrong type; RangeError on a bad value (naming the option). */
  constructor(options: PerceptronOptions = {}) {
    super('Perceptron');
    const o = checkOptionKeys('Perceptron', options, ['learningRate', 'maxEpochs', 'seed']);
    this.learningRate = positiveFinite('Perceptron', 'learningRate', withDefault(o, 'learningRate', 1));
    this.maxEpochs = integerAtLeast('Perceptron', 'maxEpochs', withDefault(o, 'maxEpochs', 1000), 1);
    const seed = o['seed'];
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed)))
      throw new TypeError(`Perceptron: seed must be a finite number, got ${describe(seed)}`);
    this.seed = seed as number | undefined;
  }

  /**
   * Runs the perceptron rule on x `[n, d]` and labels y `[n]` (0/1 or -1/+1).
   * @returns this (see {@link converged} and {@link epochsUsed}).
   * @throws RangeError on other labels or non-finite inputs.
   */
  fit(x: Tensor, y: Tensor): this {
    const { data, n, f: d } = readInputs('Perceptron.fit', x);
    const { t, negative } = readBinaryLabels('Perceptron.fit', y, n);
    const w = new Float64Array(d);
    let b = 0;
    const step = (i: number): number => {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * data[i * d + j]!;
      return z >= 0 ? 1 : 0;
    };
    const trainingErrors = (): number => {
      let e = 0;
      for (let i = 0; i < n; i++) if (step(i) !== t[i]) e++;
      return e;
    };
    const errors: number[] = [];
    let epoch = 0, converged = trainingErrors() === 0;
    while (!converged && epoch < this.maxEpochs) {
      const order = this.seed === undefined ? null : Rng.derive(this.seed, 'perceptron', epoch).permutation(n);
      for (let k = 0; k < n; k++) {
        const i = order ? order[k]! : k;
        const change = this.learningRate * (t[i]! - step(i));
        if (change === 0) continue;
        for (let j = 0; j < d; j++) w[j]! += change * data[i * d + j]!;
        b += change;
      }
      epoch++;
      errors.push(trainingErrors());
      converged = errors[errors.length - 1] === 0;
    }
    this.setFitted(w, b, negative);
    this.epochs = epoch; this.done = converged; this.errors = errors;
    return this;
  }

  /** Epochs run by the last fit (0 when the zero weights already classify every sample). */
  get epochsUsed(): number {
    return this.epochs;
  }

  /** Whether the last fit reached zero training errors (false when it stopped at maxEpochs, or before fit). */
  get converged(): boolean {
    return this.done;
  }

  /** Training errors of the weights after each epoch of the last fit. */
  get errorsPerEpoch(): number[] {
    return [...this.errors];
  }

  /** The class name and its options, for logs. */

  override toString(): string {
    return `Perceptron(learningRate=${this.learningRate}, maxEpochs=${this.maxEpochs})`;
  }
}
