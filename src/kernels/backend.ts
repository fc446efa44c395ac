/**
 * The kernels interface: every hot loop in nabla, as NAMED operations on flat row-major
 * buffers (docs/design.md, "Layers of the house"). Layers, losses and optimisers call these and never
 * loop over numbers themselves, so a faster backend (WebAssembly SIMD) speeds up all of them.
 *
 * Conventions for every operation:
 * - Matrices are row-major; `rows x cols` means element (r, c) is at `r * cols + c`.
 * - Arguments are Float32Array or Float64Array; all buffers of one call share a dtype.
 * - Outputs are written, never accumulated, unless the operation says so (gemm's beta).
 * - Buffers used in training come from {@link Backend.alloc}, so a backend may place them in its
 *   own memory (WebAssembly) and a training step copies nothing.
 */
import type { DType, FloatArray, TensorData } from '../tensor/tensor.js';
import type { ActivationName } from './activation-registry.js';
import type { LossName } from './loss-registry.js';

/** Activation names and loss names: derived from the registries (one entry per activation / loss). */
export { ACTIVATION_NAMES, type ActivationName, type ActivationAlias, type ActivationIdentifier } from './activation-registry.js';
export { LOSS_NAMES, type LossName } from './loss-registry.js';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before a log, as Keras does. */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * The geometry of a 2-D sliding window over a batch of NHWC images, shared by convolution and
 * pooling. The input is `batch x height x width x channels`, row-major; the window is
 * `kernelH x kernelW`, moved by `strideH` / `strideW`; the input is conceptually padded by
 * `padTop` rows above and `padLeft` columns to the left (and by whatever the bottom/right need), so
 * output cell (oh, ow) covers input rows oh strideH - padTop + i, i < kernelH, and columns
 * ow strideW - padLeft + j, j < kernelW. Padded cells lie outside [0, height) x [0, width).
 * The layers compute outH = floor((height + padTotal - kernelH) / strideH) + 1 (and likewise for W),
 * with TensorFlow's 'same' padding (the extra cell at the bottom/right), docs/design.md.
 */
export interface Window2D {
  batch: number; height: number; width: number; channels: number;
  kernelH: number; kernelW: number; strideH: number; strideW: number;
  padTop: number; padLeft: number; outH: number; outW: number;
}

/** Unary functions of the tensor ops (src/ops/): `unaryOp`. */
export type UnaryOpName = 'neg' | 'square' | 'sqrt' | 'exp' | 'log' | 'log1p' | 'abs' | 'sign' | 'reciprocal' | 'sigmoid' | 'tanh' | 'relu';
/** Binary operations of the tensor ops: arithmetic (float out) and comparisons (1/0 out). */
export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'greater' | 'greaterEqual' | 'less' | 'lessEqual';
/** Reductions over one axis: `reduceOp`. */
export type ReduceOpName = 'sum' | 'prod' | 'max' | 'min';
/** What `fillRandom` draws from (an Rng from src/tensor/rng.ts). */
export interface RandomSource { uniform(): number; normal(): number; truncatedNormal(): number }

/**
 * The kernels a backend provides ('js' or 'wasm'): every numeric loop of the layers, losses and
 * optimisers runs through one of these, on row-major typed arrays (docs/design.md, "Backends").
 */
export interface Backend {
  /** 'js' (the TypeScript reference) or 'wasm'. */
  readonly name: string;

  // ---- buffers -------------------------------------------------------------------------------
  /** A zero-filled buffer of `length` numbers owned by this backend. */
  alloc(dtype: DType, length: number): FloatArray;
  /**
   * Returns a buffer from {@link alloc} to the backend's allocator. Using it afterwards is a bug,
   * which 'wasm' catches: its kernels throw DisposedError for a freed buffer even after the memory
   * was handed out again, and freeing a buffer twice does nothing.
   */
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
   * out = f(z) elementwise (softmax: row-wise over `cols`); src/kernels/activation-registry.ts defines
   * each f. `alpha` is the argument of the activations whose entry declares one (leakyRelu's slope).
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

  // ---- losses (docs/design.md's table) --------------------------------------------------------------
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

  // ---- convolution (NHWC, kernel [kernelH, kernelW, inChannels, filters]) ---------------------
  /**
   * Unfolds image patches into rows ("im2col"; Chellapilla et al. 2006): `col` is a
   * (batch outH outW) x (kernelH kernelW channels) matrix whose row (n, oh, ow) holds the window
   * of output cell (oh, ow) of image n, in the kernel's [kernelH, kernelW, channels] order:
   *   col[((n outH + oh) outW + ow), (i kernelW + j) channels + c] = x[n, oh strideH - padTop + i, ow strideW - padLeft + j, c]
   * and 0 where that cell is padding. Conv2D's forward pass is then one gemm,
   * Z = col W with W the kernel viewed as (kernelH kernelW channels) x filters, giving Z in NHWC.
   * `col` is overwritten.
   */
  im2col(x: FloatArray, g: Window2D, col: FloatArray): void;
  /**
   * The adjoint of {@link im2col} ("col2im"): dx = 0, then every entry of `col` is ADDED to the
   * input cell it was copied from (overlapping windows accumulate; padding entries are dropped).
   * With dcol = Delta W^T this is Conv2D's input gradient dC/dx.
   * `dx` (batch x height x width x channels) is overwritten.
   */
  col2im(col: FloatArray, g: Window2D, dx: FloatArray): void;
  /**
   * Conv2D's forward product without the bias: z = im2col(x) W, with W the kernel viewed as
   * (kernelH kernelW channels) x filters and z (batch outH outW) x filters (NHWC), exactly as
   * {@link im2col} then {@link gemm} (alpha 1, beta 0) compute it, but without storing the whole
   * im2col matrix (the wasm backend builds it a block of rows at a time, in cache). `z` is
   * overwritten.
   */
  convForward(x: FloatArray, g: Window2D, kernel: FloatArray, filters: number, z: FloatArray): void;
  /**
   * Conv2D's kernel gradient: dw = im2col(x)^T delta ((kernelH kernelW channels) x filters;
   * delta is (batch outH outW) x filters), summed as gemm(true, false, ...) over the im2col
   * matrix sums (the js reference: over chunks of at most COL_LIMIT numbers of it, each added to
   * the previous ones). `dw` is overwritten.
   */
  convKernelGrad(x: FloatArray, g: Window2D, delta: FloatArray, filters: number, dw: FloatArray): void;
  /**
   * Conv2D's input gradient: dx = col2im(delta W^T) (batch x height x width x channels), the
   * products rounded to x's type before col2im adds them, as {@link gemm} then {@link col2im}.
   * `dx` is overwritten.
   */
  convInputGrad(delta: FloatArray, kernel: FloatArray, g: Window2D, filters: number, dx: FloatArray): void;

  // ---- pooling (NHWC, per channel; g.kernelH x g.kernelW is the pool size) --------------------
  /**
   * Max pooling: y[n, oh, ow, c] = the maximum of x over the window's cells that are inside the
   * image (padding is ignored, as in TensorFlow). `argmax` (same length as y) receives the flat
   * index into x of the FIRST maximum in the window's row-major order (a tie goes to the first),
   * or -1 for a window with no cell inside the image (then y = 0; 'valid' and 'same' never make
   * one). `y` and `argmax` are overwritten. `argmax` is a plain Int32Array kept by the layer.
   */
  maxPoolForward(x: FloatArray, g: Window2D, y: FloatArray, argmax: Int32Array): void;
  /**
   * Max pooling's gradient: dx = 0, then dx[argmax[i]] += dy[i] for every output i (entries -1 are
   * skipped). `dx` has `dxLength` = batch height width channels numbers and is overwritten.
   */
  maxPoolBackward(dy: FloatArray, argmax: Int32Array, dx: FloatArray, dxLength: number): void;
  /**
   * Average pooling: y[n, oh, ow, c] = the mean of x over the window's cells inside the image; the
   * divisor counts only those cells (padding is excluded, as TensorFlow's 'same' does). A window
   * with no cell inside gives 0. `y` is overwritten.
   */
  avgPoolForward(x: FloatArray, g: Window2D, y: FloatArray): void;
  /**
   * Average pooling's gradient: dx = 0, then each dy[n, oh, ow, c] / count is added to every
   * inside cell of its window (count as in the forward pass). `dx` is overwritten.
   */
  avgPoolBackward(dy: FloatArray, g: Window2D, dx: FloatArray): void;

  // ---- batch normalisation (Ioffe & Szegedy 2015), per channel = per column --------------------
  /**
   * Per-column mean and BIASED variance of a rows x cols matrix (rows = N, or N H W for images):
   * mean[c] = (1/rows) sum_r x[r, c]; variance[c] = (1/rows) sum_r (x[r, c] - mean[c])^2
   * (two passes, so no cancellation). Both overwritten.
   */
  batchNormStats(x: FloatArray, rows: number, cols: number, mean: FloatArray, variance: FloatArray): void;
  /**
   * y[r, c] = gamma[c] xhat[r, c] + beta[c] with xhat[r, c] = (x[r, c] - mean[c]) / sqrt(variance[c] + epsilon):
   * the batch statistics in training, the moving ones in inference. A null `gamma` means 1, a null
   * `beta` 0 (Keras `scale: false` / `center: false`). `xhat`, when given, receives x-hat (the
   * training pass keeps it for backward). `y` may alias `x`.
   */
  batchNormForward(x: FloatArray, rows: number, cols: number, mean: FloatArray, variance: FloatArray,
                   gamma: FloatArray | null, beta: FloatArray | null, epsilon: number,
                   xhat: FloatArray | null, y: FloatArray): void;
  /**
   * Batch normalisation's gradients from dy = dC/dy, per column c over the m = rows entries
   * (Ioffe & Szegedy 2015, section 3, simplified):
   *   dbeta = sum_r dy,  dgamma = sum_r dy xhat,
   *   dx = gamma / (m sqrt(variance + epsilon)) (m dy - dbeta - xhat dgamma)   when `batchStatistics`
   *        (mean and variance were this batch's, so they depend on x),
   *   dx = gamma dy / sqrt(variance + epsilon)                                  otherwise (moving statistics).
   * Null `gamma` means 1; `dgamma`, `dbeta`, `dx` are written when non-null. `dx` may alias `dy`.
   */
  batchNormBackward(dy: FloatArray, xhat: FloatArray, rows: number, cols: number, variance: FloatArray,
                    gamma: FloatArray | null, epsilon: number, batchStatistics: boolean,
                    dgamma: FloatArray | null, dbeta: FloatArray | null, dx: FloatArray | null): void;

  // ---- elementwise and reductions --------------------------------------------------------------
  /** y += alpha x. */
  axpy(alpha: number, x: FloatArray, y: FloatArray): void;
  /**
   * out = alpha x + beta y elementwise over x.length numbers (BLAS axpby written to a third
   * buffer: an exponential moving average, decoupled weight decay, an interpolation); `out` may
   * alias x or y.
   */
  addScaled(x: FloatArray, alpha: number, y: FloatArray, beta: number, out: FloatArray): void;
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

  // ---- recurrent layers: one fused pass per time step (rows = batch, u = units) ---------------
  // Masks hold 1 (step present) or 0 (padding) per row; a null mask means every row is present.
  // A masked row carries its state unchanged (h = hPrev, c = cPrev) and gets no gradient (its dz
  // rows are 0; the incoming dh passes through to the previous step), as Keras's `mask` argument.
  /**
   * SimpleRNN's step: h = act(z) where z = x W + b + hPrev U (rows x u, computed by gemms).
   * `h` is overwritten; it may not alias z or hPrev.
   */
  rnnStepForward(z: FloatArray, hPrev: FloatArray, mask: FloatArray | null, rows: number, units: number,
                 activation: ActivationName, h: FloatArray): void;
  /**
   * SimpleRNN's step gradient. dh_t = dh + dy (dy may be null: no output gradient at this step);
   * present rows: dz = act'(z) dh_t and dh = 0 (the caller then adds dz U^T); masked rows: dz = 0
   * and dh = dh_t. `dh` is updated in place; `dz` overwritten.
   */
  rnnStepBackward(z: FloatArray, h: FloatArray, mask: FloatArray | null, dy: FloatArray | null, dh: FloatArray,
                  rows: number, units: number, activation: ActivationName, dz: FloatArray): void;
  /**
   * The LSTM cell (Hochreiter & Schmidhuber 1997 with the forget gate of Gers et al. 2000), Keras
   * layout: z = x W + b + hPrev U is rows x 4u with column blocks i, f, c, o. With sigma the
   * recurrent activation and act the activation:
   *   i = sigma(z_i), f = sigma(z_f), g = act(z_c), o = sigma(z_o) -> `gates` (same layout as z);
   *   c = f cPrev + i g,  h = o act(c) -> `c`, `h` (rows x u).
   * Outputs are overwritten and may not alias inputs.
   */
  lstmStepForward(z: FloatArray, cPrev: FloatArray, hPrev: FloatArray, mask: FloatArray | null, rows: number, units: number,
                  activation: ActivationName, recurrentActivation: ActivationName, gates: FloatArray, c: FloatArray, h: FloatArray): void;
  /**
   * The LSTM cell's gradient, given z, gates, cPrev and c from the forward step. With
   * dh_t = dh + dy (dy may be null) and dc the gradient reaching c from the next step:
   *   dc_t = dc + act'(c) o dh_t;  dz_i = sigma'(z_i) dc_t g,  dz_f = sigma'(z_f) dc_t cPrev,
   *   dz_c = act'(z_c) dc_t i,  dz_o = sigma'(z_o) dh_t act(c);  dc = dc_t f,  dh = 0
   * (the caller then adds dz U^T to dh). `dh`, `dc` are updated in place; `dz` (rows x 4u) overwritten.
   */
  lstmStepBackward(z: FloatArray, gates: FloatArray, cPrev: FloatArray, c: FloatArray, mask: FloatArray | null,
                   dy: FloatArray | null, dh: FloatArray, dc: FloatArray, rows: number, units: number,
                   activation: ActivationName, recurrentActivation: ActivationName, dz: FloatArray): void;
  /**
   * The GRU cell (Cho et al. 2014), column blocks z, r, h, with xz = x W + b_in and
   * hz = hPrev U + b_rec (rows x 3u each). With `hzh` null the reset gate acts after the recurrent
   * product (Keras 2 `resetAfter: true`, cuDNN, PyTorch):
   *   z = sigma(xz_z + hz_z), r = sigma(xz_r + hz_r), hh = act(xz_h + r hz_h);
   * with `hzh` given (Keras `resetAfter: false`), its h block holds (r hPrev) U_h (see
   * gruResetGate) and hh = act(xz_h + hzh_h). Then h = z hPrev + (1 - z) hh. The gates (z, r, hh)
   * go to `gates`, their pre-activations to `pre`.
   */
  gruStepForward(xz: FloatArray, hz: FloatArray, hzh: FloatArray | null, hPrev: FloatArray, mask: FloatArray | null, rows: number, units: number,
                 activation: ActivationName, recurrentActivation: ActivationName, pre: FloatArray, gates: FloatArray, h: FloatArray): void;
  /** rh = sigma(xz_r + hz_r) hPrev (rows x u), the reset-before GRU's r hPrev; `rh` overwritten. */
  gruResetGate(xz: FloatArray, hz: FloatArray, hPrev: FloatArray, rows: number, units: number, recurrentActivation: ActivationName, rh: FloatArray): void;
  /**
   * The GRU cell's gradient. With dh_t = dh + dy: dpre_h = act'(pre_h) dh_t (1 - z),
   * dpre_z = sigma'(pre_z) dh_t (hPrev - hh), dh = dh_t z (then the caller adds dhz U^T).
   * Reset after (`hz` given): dpre_r = sigma'(pre_r) dpre_h hz_h, dxz = (dpre_z, dpre_r, dpre_h),
   * dhz = (dpre_z, dpre_r, dpre_h r). Reset before (`hz` null): dxz = (dpre_z, 0, dpre_h) and
   * dhz = (0, 0, dpre_h); gruResetGateBackward completes them. `dh` updated in place; `dxz`,
   * `dhz` (rows x 3u) overwritten.
   */
  gruStepBackward(pre: FloatArray, gates: FloatArray, hz: FloatArray | null, hPrev: FloatArray, mask: FloatArray | null,
                  dy: FloatArray | null, dh: FloatArray, rows: number, units: number,
                  activation: ActivationName, recurrentActivation: ActivationName, dxz: FloatArray, dhz: FloatArray): void;
  /**
   * The reset-before GRU's second backward pass, given drh = dC/d(r hPrev) = (0, 0, dpre_h) U^T:
   * dpre_r = sigma'(pre_r) drh hPrev (written into dxz's r block), dh += drh r, and
   * dhzr = (dpre_z, dpre_r, 0) (rows x 3u, overwritten; 0 on masked rows).
   */
  gruResetGateBackward(pre: FloatArray, gates: FloatArray, hPrev: FloatArray, mask: FloatArray | null, drh: FloatArray, rows: number, units: number,
                       recurrentActivation: ActivationName, dxz: FloatArray, dh: FloatArray, dhzr: FloatArray): void;
  /** dst row indices[j] += src row j for j < count (rows of `cols` numbers): gatherRows' adjoint (Embedding's gradient). */
  scatterAddRows(src: FloatArray, cols: number, indices: Uint32Array, count: number, dst: FloatArray): void;
  /** mask[r] = 1 when some x[r, c] != value, else 0 (Keras Masking). `mask` has `rows` numbers. */
  rowMask(x: FloatArray, rows: number, cols: number, value: number, mask: FloatArray): void;
  /** out[r, c] = x[r, c] s[r] for a rows x cols x; out may alias x. */
  scaleRows(x: FloatArray, s: FloatArray, rows: number, cols: number, out: FloatArray): void;

  // ---- optimiser updates (docs/design.md's formulas), all in place on w and the slots --------------
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

  // ---- tensor ops (src/ops/): elementwise with broadcasting, reductions, shapes ---------------
  /** out = f(x) elementwise (sigmoid stable for large |x|); `out` may alias `x`. */
  unaryOp(name: UnaryOpName, x: FloatArray, out: FloatArray): void;
  /**
   * out[idx] = a[idx . aStrides] (op) b[idx . bStrides] for every index idx of `shape`, out
   * row-major: NumPy broadcasting, stride 0 on a broadcast axis. a and b share a float dtype;
   * comparisons write 1/0 into a Uint8Array. maximum/minimum propagate NaN.
   */
  binaryOp(name: BinaryOpName, a: FloatArray, b: FloatArray, out: TensorData,
           shape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void;
  /** out[idx] = cond != 0 ? a : b, each broadcast by its strides as in {@link binaryOp}. */
  whereOp(cond: TensorData, a: FloatArray, b: FloatArray, out: FloatArray, shape: readonly number[],
          condStrides: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void;
  /** out = x in out's dtype (int32: truncation toward zero; bool: non-zero -> 1). */
  castData(x: TensorData, out: TensorData): void;
  /** out[o, i] = sum/prod/max/min over j of x[o, j, i] (x viewed as [outer, n, inner]); empty axis: 0, 1, -inf, +inf. */
  reduceOp(name: ReduceOpName, x: FloatArray, outer: number, n: number, inner: number, out: FloatArray): void;
  /** out[o, i] = index of the first maximum/minimum of x[o, :, i] (n >= 1). */
  argReduceOp(name: 'argMax' | 'argMin', x: TensorData, outer: number, n: number, inner: number, out: Int32Array): void;
  /** dst[dstOffset + idx . dstStrides] = src[srcOffset + idx . srcStrides] for every index of `shape`. */
  stridedCopy(src: TensorData, srcOffset: number, srcStrides: readonly number[],
              dst: TensorData, dstOffset: number, dstStrides: readonly number[], shape: readonly number[]): void;
  /** out[:] = value. */
  fillValue(out: TensorData, value: number): void;
  /** out[o, j, i] = x[o, indices[j], i] (x as [outer, n, inner]). @throws RangeError for an index outside [0, n). */
  gatherAxis(x: TensorData, outer: number, n: number, inner: number, indices: TensorData, out: TensorData): void;
  /** The adjoint of gatherAxis: out = 0; out[o, indices[j], i] += dy[o, j, i]. */
  scatterAddAxis(dy: FloatArray, outer: number, n: number, inner: number, indices: TensorData, out: FloatArray): void;
  /** out[j, k] = k === indices[j] ? onValue : offValue, out `[indices.length, depth]`. @throws RangeError for an index not an integer in [0, depth). */
  oneHotFill(indices: TensorData, depth: number, onValue: number, offValue: number, out: FloatArray): void;
  /** Fills out with a + b N(0,1) ('normal', 'truncatedNormal': |N| <= 2) or U[a, b) ('uniform') from rng. */
  fillRandom(out: FloatArray, rng: RandomSource, kind: 'normal' | 'truncatedNormal' | 'uniform', a: number, b: number): void;
}
