/**
 * The kernels interface: every hot loop in nabla, as NAMED operations on flat row-major
 * buffers (DESIGN.md, "Layers of the house"). Layers, losses and optimisers call these and never
 * loop over numbers themselves, so a faster backend (WebAssembly SIMD) speeds up all of them.
 *
 * Conventions for every operation:
 * - Matrices are row-major; `rows x cols` means element (r, c) is at `r * cols + c`.
 * - Arguments are Float32Array or Float64Array; all buffers of one call share a dtype.
 * - Outputs are written, never accumulated, unless the operation says so (gemm's beta).
 * - Buffers used in training come from {@link Backend.alloc}, so a backend may place them in its
 *   own memory (WebAssembly) and a training step copies nothing.
 */
import type { DType, FloatArray } from '../tensor/tensor.js';

/** Activation names, as DESIGN.md lists them. */
export type ActivationName = 'linear' | 'step' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'softmax';
export const ACTIVATION_NAMES: readonly ActivationName[] = ['linear', 'step', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax'];

/** Loss names, as DESIGN.md lists them. */
export type LossName = 'meanSquaredError' | 'quadratic' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy';
export const LOSS_NAMES: readonly LossName[] = ['meanSquaredError', 'quadratic', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'];

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before a log, as Keras does. */
export const PROBABILITY_EPSILON = 1e-7;

export interface Backend {
  /** 'js' (the TypeScript reference) or 'wasm'. */
  readonly name: string;

  // ---- buffers -------------------------------------------------------------------------------
  /** A zero-filled buffer of `length` numbers owned by this backend. */
  alloc(dtype: DType, length: number): FloatArray;
  /** Returns a buffer from {@link alloc} to the backend's allocator. Using it afterwards is a bug. */
  free(buffer: FloatArray): void;

  // ---- linear algebra ------------------------------------------------------------------------
  /**
   * C = alpha op(A) op(B) + beta C, with op(A) m x k, op(B) k x n, C m x n, all row-major.
   * A is stored m x k, or k x m when `transA`; B is stored k x n, or n x k when `transB`.
   * With beta = 0, C is overwritten (NaN in C does not propagate). BLAS sgemm/dgemm semantics.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number,
       alpha: number, a: FloatArray, b: FloatArray, beta: number, c: FloatArray): void;
  /** x[r, c] += bias[c] for a rows x cols matrix x (in place). */
  biasAdd(x: FloatArray, bias: FloatArray, rows: number, cols: number): void;
  /** db[c] = sum_r dy[r, c]: the bias gradient, Nielsen BP3 in batch form. */
  biasGrad(dy: FloatArray, db: FloatArray, rows: number, cols: number): void;

  // ---- activations ---------------------------------------------------------------------------
  /**
   * out = f(z) elementwise (softmax: row-wise over `cols`). `alpha` is leakyRelu's slope.
   * `out` may alias `z`.
   */
  activationForward(name: ActivationName, z: FloatArray, out: FloatArray, rows: number, cols: number, alpha: number): void;
  /**
   * dz = dC/dz from dy = dC/da, given z and a = f(z): dz = dy (.) f'(z) elementwise (BP1/BP2's
   * Hadamard product); for softmax the full Jacobian, dz = a (.) (dy - <dy, a>) per row.
   * 'step' has derivative 0 everywhere it is defined. `dz` may alias `dy`.
   */
  activationBackward(name: ActivationName, z: FloatArray, a: FloatArray, dy: FloatArray, dz: FloatArray,
                     rows: number, cols: number, alpha: number): void;

  // ---- losses (DESIGN.md's table) --------------------------------------------------------------
  /**
   * The SUM over the `rows` samples of the per-sample loss (the caller divides by the batch size).
   * yTrue is rows x cols, or for the sparse loss a vector of `rows` class indices.
   * With `fromLogits`, yPred holds pre-activations (softmax for the categorical losses, sigmoid for
   * binary) and the value is computed with log-sum-exp; otherwise probabilities are clipped to
   * [1e-7, 1 - 1e-7].
   */
  lossSum(name: LossName, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, fromLogits: boolean): number;
  /** grad = scale * dC_x/da for each sample's loss (general path; probabilities clipped as in lossSum). */
  lossGradient(name: LossName, yPred: FloatArray, yTrue: FloatArray, rows: number, cols: number, scale: number, grad: FloatArray): void;
  /**
   * The fused gradient at the pre-activation: dz = scale * (a - y), with y one-hot from class
   * indices for the sparse loss. Used for softmax + (sparse) categorical cross-entropy and
   * sigmoid + binary cross-entropy, where dC/dz simplifies to a - y.
   */
  fusedLossGradient(name: LossName, a: FloatArray, yTrue: FloatArray, rows: number, cols: number, scale: number, dz: FloatArray): void;

  // ---- elementwise and reductions --------------------------------------------------------------
  /** y += alpha x. */
  axpy(alpha: number, x: FloatArray, y: FloatArray): void;
  /** x *= alpha (in place). */
  scale(x: FloatArray, alpha: number): void;
  /** out = x (.) y elementwise; out may alias x or y. */
  mul(x: FloatArray, y: FloatArray, out: FloatArray): void;
  /** x = clamp(x, lo, hi) (in place). */
  clip(x: FloatArray, lo: number, hi: number): void;
  /** sum_i x_i^2, accumulated in float64. */
  sumSquares(x: FloatArray): number;
  /** True when no element is NaN or infinite. */
  allFinite(x: FloatArray): boolean;
  /** In place: u_i (uniform in [0, 1)) becomes 0 where u_i < rate, else 1 / (1 - rate): an inverted-dropout mask. */
  dropoutMask(u: FloatArray, rate: number): void;
  /** dst row j = src row indices[start + j], for j < count; rows have `cols` numbers. */
  gatherRows(src: FloatArray, cols: number, indices: Uint32Array, start: number, count: number, dst: FloatArray): void;
  /** out[r] = index of the first maximum of row r (rows x cols). */
  argmaxRows(x: FloatArray, rows: number, cols: number, out: Int32Array): void;
  /** sum_i |x_i - y_i|. */
  absDiffSum(x: FloatArray, y: FloatArray): number;

  // ---- optimiser updates (DESIGN.md's formulas), all in place on w and the slots --------------
  /** w -= lr g. */
  sgdUpdate(w: FloatArray, g: FloatArray, lr: number): void;
  /** v = momentum v - lr g; w += v, or with Nesterov w += momentum v - lr g (Keras form). */
  momentumUpdate(w: FloatArray, g: FloatArray, v: FloatArray, lr: number, momentum: number, nesterov: boolean): void;
  /** Adam (Kingma & Ba, Keras form) at step t >= 1. */
  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, lr: number,
             beta1: number, beta2: number, epsilon: number, t: number): void;
  /** RMSprop: s = rho s + (1 - rho) g^2; w -= lr g / (sqrt(s) + epsilon). */
  rmspropUpdate(w: FloatArray, g: FloatArray, s: FloatArray, lr: number, rho: number, epsilon: number): void;
  /** Adagrad: s += g^2; w -= lr g / (sqrt(s) + epsilon). */
  adagradUpdate(w: FloatArray, g: FloatArray, s: FloatArray, lr: number, epsilon: number): void;
}
