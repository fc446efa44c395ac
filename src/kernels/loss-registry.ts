/**
 * The loss registry (docs/design.md, "Losses and their gradients"): the ONE place a loss is described.
 * The name type {@link LossName}, {@link LOSS_NAMES}, validation (src/nn/losses.ts), the label
 * checks (src/models/checks.ts), the accuracy rule (src/train/metrics.ts) and the BP1 output
 * gradient's choice and scale (src/models/sequential.ts) all read it; no other file in models/ or
 * train/ names a loss. The arithmetic runs in the kernels (lossSum, lossGradient, fusedLossGradient).
 *
 * The reported loss is the mean over the m samples of a per-sample loss over k outputs:
 *
 * | name                           | per-sample loss (k outputs)                      | fused with |
 * | 'meanSquaredError'             | (1/k) sum_j (y_j - a_j)^2                         | —          |
 * | 'quadratic'                    | (1/2) sum_j (y_j - a_j)^2 (Nielsen eq. 6, Higham) | —          |
 * | 'categoricalCrossentropy'      | -sum_j y_j log a_j                                | softmax    |
 * | 'sparseCategoricalCrossentropy'| -log a_y (negative log-likelihood, CMU 10-707)    | softmax    |
 * | 'binaryCrossentropy'           | (1/k) sum_j -(y log a + (1-y) log(1-a))           | sigmoid    |
 * | 'hinge'                        | (1/k) sum_j max(1 - t_j a_j, 0)                   | —          |
 * | 'squaredHinge'                 | (1/k) sum_j max(1 - t_j a_j, 0)^2                 | —          |
 *
 * The hinge losses (Keras `hinge`, `squared_hinge`) take targets t = -1 / +1; when every target
 * of the batch is 0 or 1 they are read as t = 2y - 1, as Keras converts them. Their accuracy is
 * by sign: output > 0 against target > 0.
 *
 * With the fused activation, dC/dz = scale (a - y), scale = `gradientScale(m, k)`: 1/m, and
 * 1/(m k) for the binary loss whose per-sample value averages over the k outputs (Nielsen ch. 3
 * eq. (66)/(84)).
 */

/** One loss's description. */
export interface LossDef {
  /** The per-sample formula, for docs and `nabla summary`. */
  readonly formula: string;
  /** Where it comes from. */
  readonly citation: string;
  /** The output activation whose pair with this loss has the simple gradient a - y, or null. */
  readonly fusedActivation: 'softmax' | 'sigmoid' | null;
  /** The factor of the fused gradient dz = scale (a - y) for a batch of m samples of k outputs. */
  readonly gradientScale: (m: number, k: number) => number;
  /** Labels are class indices [m] rather than rows [m, k]. */
  readonly sparse: boolean;
  /** Targets must lie in [0, 1] (probabilities). */
  readonly probabilityTargets: boolean;
  /** Whether 'accuracy' compares argmax (categorical), thresholds at 0.5 (binary) or compares signs (output > 0 with target > 0). */
  readonly accuracy: 'categorical' | 'binary' | 'sign' | 'none';
  /**
   * For the squared-error losses, the factor c with (batch loss) = c sum over the m samples and k
   * outputs of (a - y)^2: Levenberg–Marquardt (src/models/levenberg-marquardt.ts) minimises that
   * sum and trains only models with such a loss. Absent for the others.
   */
  readonly sumOfSquaresScale?: (m: number, k: number) => number;
  /** The loss that takes the other label form (class indices <-> one-hot rows), for error hints. */
  readonly otherLabelForm?: string;
}

const perSample = (m: number): number => 1 / m;

/** The registry, keyed by name. */
export const LOSS_REGISTRY = {
  meanSquaredError: {
    formula: '(1/k) sum_j (y_j - a_j)^2', citation: 'Keras / TF.js meanSquaredError', fusedActivation: null,
    gradientScale: perSample, sparse: false, probabilityTargets: false, accuracy: 'categorical', sumOfSquaresScale: (m, k) => 1 / (m * k),
  },
  quadratic: {
    formula: '(1/2) sum_j (y_j - a_j)^2', citation: 'Nielsen ch. 1 eq. (6); Higham & Higham (2019)', fusedActivation: null,
    gradientScale: perSample, sparse: false, probabilityTargets: false, accuracy: 'categorical', sumOfSquaresScale: (m) => 1 / (2 * m),
  },
  categoricalCrossentropy: {
    formula: '-sum_j y_j log a_j', citation: 'cross-entropy with softmax (Nielsen ch. 3)', fusedActivation: 'softmax',
    gradientScale: perSample, sparse: false, probabilityTargets: true, accuracy: 'categorical', otherLabelForm: 'sparseCategoricalCrossentropy',
  },
  sparseCategoricalCrossentropy: {
    formula: '-log a_y', citation: 'negative log-likelihood (Nielsen ch. 3; CMU 10-707)', fusedActivation: 'softmax',
    gradientScale: perSample, sparse: true, probabilityTargets: false, accuracy: 'categorical', otherLabelForm: 'categoricalCrossentropy',
  },
  binaryCrossentropy: {
    formula: '(1/k) sum_j -(y_j log a_j + (1 - y_j) log(1 - a_j))', citation: 'cross-entropy (Nielsen ch. 3), averaged over k as Keras does',
    fusedActivation: 'sigmoid', gradientScale: (m, k) => 1 / (m * k), sparse: false, probabilityTargets: true, accuracy: 'binary',
  },
  hinge: {
    formula: '(1/k) sum_j max(1 - t_j a_j, 0), t = -1/+1 (0/1 read as 2y - 1)', citation: 'Keras hinge; the SVM loss (Hung-yi Lee, CS229 notes 3)',
    fusedActivation: null, gradientScale: perSample, sparse: false, probabilityTargets: false, accuracy: 'sign',
  },
  squaredHinge: {
    formula: '(1/k) sum_j max(1 - t_j a_j, 0)^2, t = -1/+1 (0/1 read as 2y - 1)', citation: 'Keras squared_hinge',
    fusedActivation: null, gradientScale: perSample, sparse: false, probabilityTargets: false, accuracy: 'sign',
  },
} as const satisfies Record<string, LossDef>;

/** A loss's name: a key of {@link LOSS_REGISTRY}. */
export type LossName = keyof typeof LOSS_REGISTRY;

/** Every loss's name, in the registry's order. */
export const LOSS_NAMES = Object.keys(LOSS_REGISTRY) as readonly LossName[];

/** The registry with each entry typed as {@link LossDef}. */
export const LOSS_DEFS: Readonly<Record<LossName, LossDef>> = LOSS_REGISTRY;

/** The loss whose sum the 'mse' metric reports (Keras's mse metric is this loss). */
export const MSE_METRIC_LOSS: LossName = 'meanSquaredError';
