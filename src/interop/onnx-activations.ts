/**
 * nabla's activations (src/kernels/activation-registry.ts) as ONNX nodes of opsets 13 to 17: the
 * ONNX operator where one computes the same function with the same constants (written
 * explicitly: LeakyRelu's alpha, Selu's alpha and gamma, HardSigmoid's alpha and beta), and a
 * composition of primitive operators where opset 17 has none (step, swish, gelu, geluTanh).
 * Formulas: ONNX Operators.md (v1.12) for each operator, the registry for nabla's side.
 */
import type { ActivationName } from '../kernels/activation-registry.js';
import type { OnnxGraphBuilder } from './onnx-graph.js';

/** SELU's constants, as the registry's (Klambauer et al. 2017). */
const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;
/** geluTanh's sqrt(2 / pi) and cubic coefficient (Hendrycks & Gimpel 2016). */
const GELU_TANH_K = Math.sqrt(2 / Math.PI), GELU_TANH_C = 0.044715;

/**
 * Appends the nodes computing `activation` of `input` and returns the output's name (`input`
 * itself for 'linear'). Softmax normalises over `softmaxAxis` (the channel axis of an NCHW image,
 * which is nabla's last axis).
 * @param alpha leakyRelu's slope for z < 0 or elu's scale (the registry's defaults 0.3 and 1 when named by string).
 * @throws Error naming the activation when it has no ONNX form here.
 */
export function activationNodes(g: OnnxGraphBuilder, activation: ActivationName, input: string, base: string,
                                options: { alpha?: number; softmaxAxis?: number } = {}): string {
  const one = (op: string, attrs = {}) => g.node(op, [input], `${base}/${op}`, attrs);
  switch (activation) {
    case 'linear': return input;
    case 'sigmoid': return one('Sigmoid');
    case 'tanh': return one('Tanh');
    case 'relu': return one('Relu');
    case 'leakyRelu': return one('LeakyRelu', { alpha: { f: options.alpha ?? 0.3 } });
    case 'softmax': return one('Softmax', { axis: { i: options.softmaxAxis ?? -1 } });
    case 'elu': return one('Elu', { alpha: { f: options.alpha ?? 1 } });
    case 'selu': return one('Selu', { alpha: { f: SELU_ALPHA }, gamma: { f: SELU_SCALE } });
    case 'softplus': return one('Softplus');
    case 'softsign': return one('Softsign');
    case 'hardSigmoid': return one('HardSigmoid', { alpha: { f: 0.2 }, beta: { f: 0.5 } });
    case 'relu6': return g.node('Clip', [input, g.scalar(`${base}/zero`, 0), g.scalar(`${base}/six`, 6)], `${base}/Clip`);
    case 'step': { // H(z) = 1 if z >= 0 else 0
      const ge = g.node('GreaterOrEqual', [input, g.scalar(`${base}/zero`, 0)], `${base}/GreaterOrEqual`);
      return g.node('Cast', [ge], `${base}/Cast`, { to: { i: 1 } });
    }
    case 'swish': // z sigmoid(z)
      return g.node('Mul', [input, one('Sigmoid')], `${base}/Mul`);
    case 'gelu': { // 0.5 z (1 + erf(z / sqrt 2))
      const erf = g.node('Erf', [g.node('Mul', [input, g.scalar(`${base}/inv_sqrt2`, Math.SQRT1_2)], `${base}/scaled`)], `${base}/Erf`);
      const cdf = g.node('Mul', [g.node('Add', [erf, g.scalar(`${base}/one`, 1)], `${base}/Add`), g.scalar(`${base}/half`, 0.5)], `${base}/cdf`);
      return g.node('Mul', [input, cdf], `${base}/Mul`);
    }
    case 'geluTanh': { // z sigmoid(2 k (z + c z^3)), as the registry computes it
      const cube = g.node('Mul', [g.node('Mul', [input, input], `${base}/square`), input], `${base}/cube`);
      const inner = g.node('Add', [input, g.node('Mul', [cube, g.scalar(`${base}/c`, GELU_TANH_C)], `${base}/c_cube`)], `${base}/inner`);
      const s = g.node('Sigmoid', [g.node('Mul', [inner, g.scalar(`${base}/two_k`, 2 * GELU_TANH_K)], `${base}/arg`)], `${base}/Sigmoid`);
      return g.node('Mul', [input, s], `${base}/Mul`);
    }
    default: {
      const never: never = activation;
      throw new Error(`exportOnnx: activation '${String(never)}' has no ONNX form`);
    }
  }
}
