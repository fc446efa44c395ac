/**
 * The activation registry: the ONE place an activation is defined. Everything else is derived
 * from it:
 * - the name type {@link ActivationName} (the registry's keys) and {@link ACTIVATION_NAMES};
 * - name validation and the aliases accepted in configs (src/nn/activations.ts, `getActivation`);
 * - the js reference kernels (src/kernels/js/activations.ts loops over `forward` / `backward`);
 * - the WebAssembly ids: scripts/build-wasm.mjs writes them, in the registry's order, to
 *   assembly/activation-ids.generated.ts and src/kernels/wasm/activation-ids.generated.ts, and the
 *   wasm backend stages only what `reads` names;
 * - the playground's list and colour range (playground/src/state.ts, draw.ts) and the CLI's choices.
 *
 * Adding an activation = one entry here, its AssemblyScript body in assembly/activations.ts, and
 * tests (gradient check in float64, wasm against this reference). Ids follow the key order, so
 * `npm run build` must run after an entry is added (it regenerates both id files).
 */
import { softmaxBackward, softmaxForward } from './js/softmax.js';
import { normalCdf, normalPdf, sigmoid, softplus } from './scalar-math.js';

/** What an activation's backward pass reads: the pre-activation z, the output a = f(z), the incoming dy. */
export interface ActivationReads { readonly z: boolean; readonly a: boolean; readonly dy: boolean }

interface Common {
  /** The formula, for docs and `nabla summary`. */
  readonly formula: string;
  /** Where the activation and the form used here come from. */
  readonly citation: string;
  /** A short label for menus (the playground). */
  readonly label: string;
  /** What backward reads (the wasm backend stages only these). */
  readonly reads: ActivationReads;
  /** False for 'step': its derivative is 0 wherever it exists, so no gradient passes. */
  readonly differentiable: boolean;
  /** The closed output range [lo, hi] when bounded on both sides, else null. */
  readonly range: readonly [number, number] | null;
  /**
   * The kernels' `alpha` argument, when the activation takes it: its meaning and its value when the
   * activation is named by string. Activations without it ignore `alpha`.
   */
  readonly alpha?: { readonly default: number; readonly meaning: string };
  /** Named constants of the formula; scripts/activation-ids.mjs writes them for the AssemblyScript body (SELU_ALPHA, ...). */
  readonly constants?: Readonly<Record<string, number>>;
  /** Other names accepted for it in configs (e.g. from imported models); resolved to the key. */
  readonly aliases?: readonly string[];
}

/** An activation applied to each number on its own: a = f(z). */
export interface ElementwiseActivation extends Common {
  readonly shape: 'elementwise';
  /** f(z) in float64 (the reference; float32 kernels round its result once). */
  readonly forward: (z: number, alpha: number) => number;
  /** dz = dy f'(z) in float64, given z and a = f(z) (BP1/BP2's Hadamard product, one element). */
  readonly backward: (dy: number, z: number, a: number, alpha: number) => number;
}

/** An activation over each row of `cols` numbers (softmax). */
export interface RowActivation extends Common {
  readonly shape: 'row';
  /** out = f(z) row by row, rows x cols; `out` may alias `z`. */
  readonly forwardRows: (z: Float32Array | Float64Array, out: Float32Array | Float64Array, rows: number, cols: number) => void;
  /** dz from a and dy through the row's Jacobian; `dz` may alias `dy`. */
  readonly backwardRows: (a: Float32Array | Float64Array, dy: Float32Array | Float64Array, dz: Float32Array | Float64Array, rows: number, cols: number) => void;
}

/** One activation of the registry: elementwise (forward/backward per value) or by rows (softmax). */
export type ActivationDef = ElementwiseActivation | RowActivation;

const Z = { z: true, a: false, dy: true } as const;
/** SELU's fixed point constants (Klambauer et al. 2017, eq. 14 solved to double precision, as Keras and PyTorch). */
const SELU = { alpha: 1.6732632423543772, scale: 1.0507009873554805 } as const;
/** The tanh approximation of GELU: sqrt(2 / pi) and the cubic coefficient (Hendrycks & Gimpel 2016, section 2). */
const GELU_TANH = { k: Math.sqrt(2 / Math.PI), c: 0.044715 } as const;
/** 2 u(z) for geluTanh, where 0.5 z (1 + tanh u) = z sigmoid(2 u) (no cancellation for z < 0). */
const geluTanhArg = (z: number): number => 2 * GELU_TANH.k * (z + GELU_TANH.c * z * z * z);
const A = { z: false, a: true, dy: true } as const;

/** The registry, in wasm-id order (append new entries; the order is only an implementation detail). */
export const ACTIVATION_REGISTRY = {
  linear: {
    shape: 'elementwise', formula: 'f(z) = z', citation: 'the identity', label: 'linear',
    reads: { z: false, a: false, dy: true }, differentiable: true, range: null,
    forward: (z) => z, backward: (dy) => dy,
  },
  step: {
    shape: 'elementwise', formula: 'H(z) = 1 if z >= 0 else 0 (Heaviside; derivative 0)', citation: 'the perceptron (Rosenblatt 1958; Nielsen ch. 1)',
    label: 'step (Heaviside)', reads: { z: false, a: false, dy: false }, differentiable: false, range: [0, 1],
    forward: (z) => (z >= 0 ? 1 : 0), backward: () => 0,
  },
  sigmoid: {
    shape: 'elementwise', formula: "sigma(z) = 1 / (1 + e^-z), sigma' = sigma (1 - sigma)", citation: 'the logistic function (Nielsen ch. 1)',
    label: 'sigmoid', reads: A, differentiable: true, range: [0, 1],
    forward: sigmoid,
    backward: (dy, _z, a) => dy * a * (1 - a),
  },
  tanh: {
    shape: 'elementwise', formula: "tanh(z), tanh' = 1 - tanh^2", citation: 'LeCun et al., "Efficient BackProp" (1998)',
    label: 'tanh', reads: A, differentiable: true, range: [-1, 1],
    forward: Math.tanh, backward: (dy, _z, a) => dy * (1 - a * a),
  },
  relu: {
    shape: 'elementwise', formula: 'max(0, z); derivative 0 at z = 0', citation: 'Nair & Hinton (2010); Glorot et al. (2011)',
    label: 'ReLU', reads: Z, differentiable: true, range: null,
    forward: (z) => (z > 0 ? z : 0), backward: (dy, z) => (z > 0 ? dy : 0),
  },
  leakyRelu: {
    shape: 'elementwise', formula: 'z if z > 0 else alpha z (alpha = 0.3 by name)', citation: 'Maas et al. (2013); alpha 0.3 as Keras / TF.js',
    label: 'leaky ReLU (0.3)', reads: Z, differentiable: true, range: null,
    alpha: { default: 0.3, meaning: 'the slope for z < 0' },
    forward: (z, alpha) => (z > 0 ? z : alpha * z), backward: (dy, z, _a, alpha) => (z > 0 ? dy : alpha * dy),
  },
  softmax: {
    shape: 'row', formula: 'a_j = e^{z_j} / sum_k e^{z_k} (row-wise); Jacobian a_i (delta_ij - a_j)', citation: 'Bridle (1990)',
    label: 'softmax', reads: { z: false, a: true, dy: true }, differentiable: true, range: [0, 1],
    forwardRows: softmaxForward, backwardRows: softmaxBackward,
  },
  elu: {
    shape: 'elementwise', formula: "z if z > 0 else alpha (e^z - 1) (alpha = 1 by name); elu' = 1 if z > 0 else alpha e^z",
    citation: 'Clevert, Unterthiner & Hochreiter, "Fast and accurate deep network learning by exponential linear units (ELUs)", ICLR 2016; alpha as Keras / TF.js ELU',
    label: 'ELU', reads: Z, differentiable: true, range: null,
    alpha: { default: 1, meaning: 'the scale of the negative part (it tends to -alpha as z -> -inf)' },
    forward: (z, alpha) => (z > 0 ? z : alpha * Math.expm1(z)), backward: (dy, z, _a, alpha) => (z > 0 ? dy : dy * (alpha * Math.exp(z))),
  },
  selu: {
    shape: 'elementwise', formula: 'scale z if z > 0 else scale alpha (e^z - 1); alpha = 1.6732632423543772, scale = 1.0507009873554805',
    citation: 'Klambauer, Unterthiner, Mayr & Hochreiter, "Self-normalizing neural networks", NeurIPS 2017',
    label: 'SELU', reads: Z, differentiable: true, range: null, constants: SELU,
    forward: (z) => (z > 0 ? SELU.scale * z : SELU.scale * SELU.alpha * Math.expm1(z)),
    backward: (dy, z) => (z > 0 ? SELU.scale * dy : dy * (SELU.scale * SELU.alpha * Math.exp(z))),
  },
  softplus: {
    shape: 'elementwise', formula: "log(1 + e^z), computed as max(z, 0) + log1p(e^-|z|); softplus' = sigmoid(z)",
    citation: 'Dugas et al., "Incorporating second-order functional knowledge for better option pricing", NIPS 2000',
    label: 'softplus', reads: Z, differentiable: true, range: null,
    forward: softplus, backward: (dy, z) => dy * sigmoid(z),
  },
  softsign: {
    shape: 'elementwise', formula: "z / (1 + |z|); softsign' = 1 / (1 + |z|)^2",
    citation: 'Bergstra et al. (2009); Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural networks", AISTATS 2010',
    label: 'softsign', reads: Z, differentiable: true, range: [-1, 1],
    forward: (z) => z / (1 + Math.abs(z)), backward: (dy, z) => { const d = 1 + Math.abs(z); return dy / (d * d); },
  },
  swish: {
    shape: 'elementwise', formula: "z sigmoid(z) (swish with beta 1 = SiLU); swish' = s (1 + z (1 - s)), s = sigmoid(z)",
    citation: 'Ramachandran, Zoph & Le, "Searching for activation functions" (2017); Elfwing, Uchibe & Doya (2018) as SiLU',
    label: 'swish / SiLU', reads: Z, differentiable: true, range: null, aliases: ['silu'],
    forward: (z) => z * sigmoid(z), backward: (dy, z) => { const s = sigmoid(z); return dy * (s * (1 + z * (1 - s))); },
  },
  gelu: {
    shape: 'elementwise', formula: "z Phi(z) = 0.5 z (1 + erf(z / sqrt 2)) (exact, with erf); gelu' = Phi(z) + z phi(z)",
    citation: 'Hendrycks & Gimpel, "Gaussian error linear units (GELUs)", arXiv:1606.08415 (2016); erf by Cody (1969)',
    label: 'GELU', reads: Z, differentiable: true, range: null,
    forward: (z) => z * normalCdf(z), backward: (dy, z) => dy * (normalCdf(z) + z * normalPdf(z)),
  },
  geluTanh: {
    shape: 'elementwise', formula: '0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))), computed as z sigmoid(2 sqrt(2/pi) (z + 0.044715 z^3))',
    citation: 'Hendrycks & Gimpel (2016), the tanh approximation (GPT-2, BERT; "gelu_new" in Hugging Face configs)',
    label: 'GELU (tanh approx.)', reads: Z, differentiable: true, range: null, aliases: ['gelu_new'], constants: GELU_TANH,
    forward: (z) => z * sigmoid(geluTanhArg(z)),
    backward: (dy, z) => {
      const s = sigmoid(geluTanhArg(z));
      return dy * (s + z * s * (1 - s) * 2 * GELU_TANH.k * (1 + 3 * GELU_TANH.c * z * z));
    },
  },
  relu6: {
    shape: 'elementwise', formula: 'min(max(z, 0), 6); derivative 1 for 0 < z < 6, else 0',
    citation: 'Krizhevsky, "Convolutional deep belief networks on CIFAR-10" (2010); MobileNets (Howard et al. 2017)',
    label: 'ReLU6', reads: Z, differentiable: true, range: [0, 6],
    forward: (z) => (z > 0 ? (z < 6 ? z : 6) : 0), backward: (dy, z) => (z > 0 && z < 6 ? dy : 0),
  },
  hardSigmoid: {
    shape: 'elementwise', formula: 'clip(0.2 z + 0.5, 0, 1); derivative 0.2 for -2.5 < z < 2.5, else 0',
    citation: 'Courbariaux, Bengio & David, "BinaryConnect" (2015); the Keras 2 / TF.js definition (slope 0.2)',
    label: 'hard sigmoid', reads: Z, differentiable: true, range: [0, 1],
    forward: (z) => { const t = 0.2 * z + 0.5; return t <= 0 ? 0 : t >= 1 ? 1 : t; },
    backward: (dy, z) => (z > -2.5 && z < 2.5 ? 0.2 * dy : 0),
  },
} as const satisfies Record<string, ActivationDef>;

/** An activation's canonical name: a key of {@link ACTIVATION_REGISTRY}. */
export type ActivationName = keyof typeof ACTIVATION_REGISTRY;

/** The aliases of the registry's entries (their `aliases`): 'silu' | 'gelu_new'. */
export type ActivationAlias = {
  [K in ActivationName]: (typeof ACTIVATION_REGISTRY)[K] extends { readonly aliases: readonly (infer A extends string)[] } ? A : never
}[ActivationName];

/**
 * What an `activation` option accepts (as TF.js's ActivationIdentifier): a canonical name or an
 * alias; layers store and report the canonical name ('silu' -> 'swish').
 */
export type ActivationIdentifier = ActivationName | ActivationAlias;

/** Every activation's canonical name, in the registry's (and the wasm ids') order. */
export const ACTIVATION_NAMES = Object.keys(ACTIVATION_REGISTRY) as readonly ActivationName[];

/** The registry with each entry typed as the {@link ActivationDef} union (for generic code). */
export const ACTIVATION_DEFS: Readonly<Record<ActivationName, ActivationDef>> = ACTIVATION_REGISTRY;

/** Alias -> canonical name, from the entries' `aliases`. */
export const ACTIVATION_ALIASES: Readonly<Record<string, ActivationName>> = Object.fromEntries(
  ACTIVATION_NAMES.flatMap((n) => (ACTIVATION_DEFS[n].aliases ?? []).map((a) => [a, n] as const)));

/** The canonical name for a name or alias, or null when it is neither. */
export function resolveActivationName(name: unknown): ActivationName | null {
  if (typeof name !== 'string') return null;
  if (Object.hasOwn(ACTIVATION_REGISTRY, name)) return name as ActivationName;
  return Object.hasOwn(ACTIVATION_ALIASES, name) ? ACTIVATION_ALIASES[name]! : null;
}
