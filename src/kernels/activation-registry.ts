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
import { sigmoid } from './scalar-math.js';

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

export type ActivationDef = ElementwiseActivation | RowActivation;

const Z = { z: true, a: false, dy: true } as const;
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
    shape: 'elementwise', formula: "z if z > 0 else e^z - 1 (alpha = 1); elu' = 1 if z > 0 else e^z",
    citation: 'Clevert, Unterthiner & Hochreiter, "Fast and accurate deep network learning by exponential linear units (ELUs)", ICLR 2016',
    label: 'ELU', reads: Z, differentiable: true, range: null,
    forward: (z) => (z > 0 ? z : Math.expm1(z)), backward: (dy, z) => (z > 0 ? dy : dy * Math.exp(z)),
  },
} as const satisfies Record<string, ActivationDef>;

/** An activation's canonical name: a key of {@link ACTIVATION_REGISTRY}. */
export type ActivationName = keyof typeof ACTIVATION_REGISTRY;

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
