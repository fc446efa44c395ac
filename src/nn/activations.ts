/**
 * Activations as layers see them: each registry entry (src/kernels/activation-registry.ts, the one
 * place an activation is defined, with its formula, citation, float64 reference and derivative)
 * as an {@link ActivationInfo}, and name validation. The arithmetic lives in the kernels
 * (`activationForward` / `activationBackward`), so a WebAssembly backend runs it.
 */
import { ACTIVATION_DEFS, ACTIVATION_NAMES, ACTIVATION_REGISTRY, resolveActivationName, type ActivationAlias, type ActivationIdentifier, type ActivationName } from '../kernels/activation-registry.js';

export type { ActivationAlias, ActivationIdentifier, ActivationName };

/** An activation's name, formula and source, as {@link ACTIVATIONS} lists them. */
export interface ActivationInfo {
  name: ActivationName;
  /** The formula, for docs and `nabla summary`. */
  formula: string;
  /** Where the activation comes from. */
  citation: string;
  /** False for 'step': its derivative is 0 wherever it exists, so no gradient passes. */
  differentiable: boolean;
}

/** leakyRelu's slope for z < 0 when named by string: 0.3, the Keras / TF.js LeakyReLU default (its registry entry's alpha). */
export const LEAKY_RELU_ALPHA: number = ACTIVATION_REGISTRY.leakyRelu.alpha.default;

/** elu's alpha when named by string: 1, the Keras / TF.js ELU default (its registry entry's alpha). */
export const ELU_ALPHA: number = ACTIVATION_REGISTRY.elu.alpha.default;

/** The `alpha` the kernels get for an activation named by string: its registry entry's default, 0 for those without one (they ignore it). */
export function defaultAlpha(name: ActivationName): number {
  return ACTIVATION_DEFS[name].alpha?.default ?? 0;
}

/** Every activation's info, keyed by canonical name (derived from the registry). */
export const ACTIVATIONS: Readonly<Record<ActivationName, ActivationInfo>> = Object.fromEntries(ACTIVATION_NAMES.map((name) => {
  const d = ACTIVATION_DEFS[name];
  return [name, { name, formula: d.formula, citation: d.citation, differentiable: d.differentiable }];
})) as Record<ActivationName, ActivationInfo>;

/**
 * Validates an activation name; an alias accepted in configs (e.g. 'silu', 'gelu_new') gives its
 * canonical entry.
 * @param where who asks ("Dense 'dense_1'"), for the message.
 * @throws Error naming the bad value and listing the valid names.
 */
export function getActivation(name: unknown, where = 'activation'): ActivationInfo {
  const canonical = resolveActivationName(name);
  if (canonical) return ACTIVATIONS[canonical];
  throw new Error(`${where}: unknown activation ${JSON.stringify(name)}; valid names: ${ACTIVATION_NAMES.join(', ')}`);
}
