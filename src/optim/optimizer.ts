import type { NamedTensorMap, Variable } from '../autograd/variable.js';
import type { Param } from '../nn/param.js';
import type { Tensor } from '../tensor/tensor.js';

/** A gradient by variable name, as TF.js's `NamedTensor`. */
export interface NamedGradient { name: string; tensor: Tensor }

/** A learning rate as a function of the optimiser step (0-based count of updates already made). */
export interface LearningRateSchedule {
  /** The learning rate for the update that follows `step` earlier updates. */
  at(step: number): number;
  getConfig(): { className: string; [key: string]: unknown };
}

/**
 * What the training loop needs of an optimiser: it walks the parameter list and knows nothing of
 * layer types (ConvNetJS's trainer, STYLE.md). Slots (momentum, Adam's m and v) are keyed by the
 * parameter's name and allocated from the backend on first use.
 */
export interface Optimizer {
  /** 'sgd' | 'adam' | 'rmsprop' | 'adagrad' (the class's registry name). */
  readonly name: string;
  /** Number of updates applied so far (Adam's t is iterations + 1 during an update). */
  iterations: number;
  /**
   * One update of every trainable parameter from its `grad` (clipping first, when set); or, as
   * TF.js, of the variables named by a NamedTensorMap (or `{ name, tensor }[]`) of gradients.
   */
  applyGradients(params: readonly Param[] | NamedTensorMap | readonly NamedGradient[]): void;
  /**
   * Minimises the scalar f() over variables, as TF.js: variableGrads then applyGradients.
   * Optional for optimisers written outside nabla.
   */
  minimize?(f: () => Tensor, returnCost?: boolean | readonly Variable[], varList?: readonly Variable[]): Tensor | null;
  /** Constructor options, enough to rebuild the optimiser: { className, ...options }. */
  getConfig(): { className: string; [key: string]: unknown };
  /** Slot tensors named `<param name>/<slot>` (copies), for checkpoints. */
  getSlots(): { name: string; tensor: Tensor }[];
  /** Restores slots from getSlots(); @throws Error naming a slot whose shape does not match. */
  setSlots(slots: readonly { name: string; tensor: Tensor }[]): void;
  /**
   * Frees the slots' backend buffers. Afterwards every method throws a DisposedError naming the
   * optimiser ("Adam optimizer was disposed; applyGradients() cannot use it ..."); a second
   * dispose does nothing.
   */
  dispose(): void;
  /** True once dispose() ran (optional for optimisers written outside nabla). */
  readonly disposed?: boolean;
}
