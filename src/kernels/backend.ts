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
import type { DType, FloatArray } from '../tensor/tensor.js';
import type { BackendKernels } from './backend-kernels.generated.js';

/** Activation names and loss names: derived from the registries (one entry per activation / loss). */
export { ACTIVATION_NAMES, type ActivationName, type ActivationAlias, type ActivationIdentifier } from './activation-registry.js';
export { LOSS_NAMES, type LossName } from './loss-registry.js';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before a log, as Keras does. */
export const PROBABILITY_EPSILON = 1e-7;

export type { Window2D, UnaryOpName, BinaryOpName, ReduceOpName, RandomSource } from './kernel-types.js';
export type { BackendKernels } from './backend-kernels.generated.js';

/**
 * The kernels a backend provides ('js' or 'wasm'): every numeric loop of the layers, losses and
 * optimisers runs through one of these, on row-major typed arrays (docs/design.md, "Backends").
 * The kernel methods (BackendKernels) are generated from the kernel table
 * (src/kernels/kernel-table.ts: one row, with its doc comment, per kernel); this interface adds
 * the buffers.
 */
export interface Backend extends BackendKernels {
  /** 'js' (the TypeScript reference) or 'wasm'. */
  readonly name: string;

  // ---- buffers -------------------------------------------------------------------------------
  /**
   * A buffer of `length` numbers owned by this backend, zero-filled unless `zeroed` is false (then
   * its contents are unspecified, for a caller that overwrites every element before reading one:
   * zero-filling 3 MB costs about 0.2 ms).
   * @throws RangeError when `length` is not a non-negative integer, or the memory cannot grow.
   */
  alloc(dtype: DType, length: number, zeroed?: boolean): FloatArray;
  /**
   * Returns a buffer from {@link alloc} to the backend's allocator. Using it afterwards is a bug,
   * which 'wasm' catches: its kernels throw DisposedError for a freed buffer even after the memory
   * was handed out again, and freeing a buffer twice does nothing.
   */
  free(buffer: FloatArray): void;
}
