/**
 * The activation registry: one small named entry per activation (TensorFlow Playground's
 * `{ output, der }` pairs, STYLE.md habit 3) whose arithmetic lives in the kernels
 * (`activationForward` / `activationBackward`), so a WebAssembly backend runs them.
 */
import { ACTIVATION_NAMES, type ActivationName } from '../kernels/backend.js';

export type { ActivationName };

export interface ActivationInfo {
  name: ActivationName;
  /** The formula, for docs and `nabla summary`. */
  formula: string;
  /** False for 'step': its derivative is 0 wherever it exists, so no gradient passes. */
  differentiable: boolean;
}

/** leakyRelu's slope for z < 0 when named by string: 0.3, the Keras / TF.js LeakyReLU default. */
export const LEAKY_RELU_ALPHA = 0.3;

export const ACTIVATIONS: Readonly<Record<ActivationName, ActivationInfo>> = {
  linear: { name: 'linear', formula: 'f(z) = z', differentiable: true },
  step: { name: 'step', formula: 'H(z) = 1 if z >= 0 else 0 (Heaviside; the perceptron, Nielsen ch. 1)', differentiable: false },
  sigmoid: { name: 'sigmoid', formula: 'sigma(z) = 1 / (1 + e^-z), sigma\' = sigma (1 - sigma)', differentiable: true },
  tanh: { name: 'tanh', formula: 'tanh(z), tanh\' = 1 - tanh^2', differentiable: true },
  relu: { name: 'relu', formula: 'max(0, z); derivative 0 at z = 0', differentiable: true },
  leakyRelu: { name: 'leakyRelu', formula: 'z if z > 0 else alpha z (alpha = 0.3 by name)', differentiable: true },
  softmax: { name: 'softmax', formula: 'a_j = e^{z_j} / sum_k e^{z_k} (row-wise); Jacobian a_i (delta_ij - a_j)', differentiable: true },
};

/**
 * Validates an activation name.
 * @param where who asks ("Dense 'dense_1'"), for the message.
 * @throws Error naming the bad value and listing the valid names.
 */
export function getActivation(name: unknown, where = 'activation'): ActivationInfo {
  if (typeof name === 'string' && (ACTIVATION_NAMES as readonly string[]).includes(name)) return ACTIVATIONS[name as ActivationName];
  throw new Error(`${where}: unknown activation ${JSON.stringify(name)}; valid names: ${ACTIVATION_NAMES.join(', ')}`);
}
