/**
 * The losses' ids in the WebAssembly kernels (assembly/losses.ts switches on the same numbers).
 */
import type { LossName } from '../loss-registry.js';

/** Each loss's id in assembly/losses.ts. */
export const LOSS_KIND: Readonly<Record<LossName, number>> = {
  meanSquaredError: 0, quadratic: 1, categoricalCrossentropy: 2, sparseCategoricalCrossentropy: 3, binaryCrossentropy: 4, hinge: 5, squaredHinge: 6,
};

/** The id of the sparse loss, whose targets are `rows` class indices rather than rows x cols. */
export const SPARSE_LOSS = LOSS_KIND.sparseCategoricalCrossentropy;

/** The losses with a fused gradient at the pre-activation (Backend.fusedLossGradient). */
export const FUSED_LOSSES: ReadonlySet<string> = new Set<LossName>(['categoricalCrossentropy', 'binaryCrossentropy', 'sparseCategoricalCrossentropy']);
