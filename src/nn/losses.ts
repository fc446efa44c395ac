/**
 * Losses as compile() sees them: each entry of the loss registry (src/kernels/loss-registry.ts, the
 * one place a loss is described: its per-sample formula, citation, fused activation and gradient
 * scale) as a {@link LossInfo}, and validation of a loss spec. The arithmetic runs in the kernels
 * (lossSum, lossGradient, fusedLossGradient).
 */
import { LOSS_DEFS, LOSS_NAMES, type LossDef, type LossName } from '../kernels/loss-registry.js';

export type { LossName };

/** A loss's registry entry with its name. */
export interface LossInfo extends LossDef {
  name: LossName;
}

/** Every loss's info, keyed by name (derived from the registry). */
export const LOSSES: Readonly<Record<LossName, LossInfo>> = Object.fromEntries(
  LOSS_NAMES.map((name) => [name, { ...LOSS_DEFS[name], name }])) as Record<LossName, LossInfo>;

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
