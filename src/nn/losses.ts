/**
 * The loss registry (DESIGN.md, "Losses and their gradients"). The reported loss is the mean over
 * the batch of a per-sample loss; the arithmetic runs in the kernels (lossSum, lossGradient,
 * fusedLossGradient).
 *
 * | name                           | per-sample loss (k outputs)                      | fused with |
 * | 'meanSquaredError'             | (1/k) sum_j (y_j - a_j)^2                         | —          |
 * | 'quadratic'                    | (1/2) sum_j (y_j - a_j)^2 (Nielsen eq. 6, Higham) | —          |
 * | 'categoricalCrossentropy'      | -sum_j y_j log a_j                                | softmax    |
 * | 'sparseCategoricalCrossentropy'| -log a_y (negative log-likelihood, CMU 10-707)    | softmax    |
 * | 'binaryCrossentropy'           | (1/k) sum_j -(y log a + (1-y) log(1-a))           | sigmoid    |
 *
 * With the fused activation, dC/dz = (a - y) / m (binary: / (m k)), Nielsen ch. 3 eq. (66)/(84).
 */
import { LOSS_NAMES, type ActivationName, type LossName } from '../kernels/backend.js';

export type { LossName };

export interface LossInfo {
  name: LossName;
  formula: string;
  /** The output activation whose pair with this loss has the simple gradient a - y. */
  fusedActivation: ActivationName | null;
  /** Labels are class indices [m] rather than rows [m, k]. */
  sparse: boolean;
  /** Whether 'accuracy' compares argmax (categorical) or thresholds at 0.5 (binary). */
  accuracy: 'categorical' | 'binary' | 'none';
}

export const LOSSES: Readonly<Record<LossName, LossInfo>> = {
  meanSquaredError: { name: 'meanSquaredError', formula: '(1/k) sum_j (y_j - a_j)^2', fusedActivation: null, sparse: false, accuracy: 'categorical' },
  quadratic: { name: 'quadratic', formula: '(1/2) sum_j (y_j - a_j)^2', fusedActivation: null, sparse: false, accuracy: 'categorical' },
  categoricalCrossentropy: { name: 'categoricalCrossentropy', formula: '-sum_j y_j log a_j', fusedActivation: 'softmax', sparse: false, accuracy: 'categorical' },
  sparseCategoricalCrossentropy: { name: 'sparseCategoricalCrossentropy', formula: '-log a_y', fusedActivation: 'softmax', sparse: true, accuracy: 'categorical' },
  binaryCrossentropy: { name: 'binaryCrossentropy', formula: '(1/k) sum_j -(y_j log a_j + (1 - y_j) log(1 - a_j))', fusedActivation: 'sigmoid', sparse: false, accuracy: 'binary' },
};

/** A loss as compile() takes it: a name, or { name, fromLogits } (fromLogits: the model outputs pre-activations). */
export type LossSpec = LossName | { name: LossName; fromLogits?: boolean };

/** A validated loss: its registry entry and whether predictions are logits. */
export interface Loss { info: LossInfo; fromLogits: boolean }

/**
 * Validates a loss spec.
 * @throws Error naming the bad value and listing the valid names; fromLogits on a loss without a
 * logit form (the squared errors).
 */
export function getLoss(spec: unknown): Loss {
  const name = typeof spec === 'object' && spec !== null ? (spec as { name?: unknown }).name : spec;
  if (typeof name !== 'string' || !(LOSS_NAMES as readonly string[]).includes(name))
    throw new Error(`loss: unknown loss ${JSON.stringify(name)}; valid names: ${LOSS_NAMES.join(', ')}`);
  const info = LOSSES[name as LossName];
  const fromLogits = typeof spec === 'object' && spec !== null ? Boolean((spec as { fromLogits?: unknown }).fromLogits) : false;
  if (fromLogits && !info.fusedActivation) throw new Error(`loss: '${name}' has no fromLogits form; fromLogits applies to the cross-entropies`);
  return { info, fromLogits };
}
