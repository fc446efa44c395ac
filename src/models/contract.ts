/**
 * What saving needs of a model (persistence.ts): the SavableModel interface. Sequential implements
 * it and passes itself to saveModel, so persistence depends on this interface rather than on the
 * Sequential class, and the two modules do not import each other.
 */
import type { Layer } from '../nn/layer.js';
import type { Loss } from '../nn/losses.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor/tensor.js';
import type { TrainingProgress } from '../train/fit.js';
import type { History } from '../train/history.js';

/** A model that saveModel / saveCheckpoint can write (Sequential is one). */
export interface SavableModel {
  readonly name: string;
  /** Whether build() has run (toSaved builds when not). */
  readonly built: boolean;
  /** Builds for the first layer's inputShape. @throws Error when none is known. */
  build(): void;
  /** The seed in use: weight initialisation and dropout streams (saved so a load reproduces them). */
  readonly resolvedSeed: number;
  /** Per-sample input shape, once built. */
  readonly inputShape: number[] | null;
  /** The layers in order: their configs, names and random streams (getRngState) are saved. */
  readonly layers: readonly Layer[];
  /** The compiled loss, optimiser and metrics, or null / [] before compile. */
  readonly loss: Loss | null;
  readonly optimizer: Optimizer | null;
  /** The metrics' names as logged (a metric function's name for a function). */
  readonly metrics: readonly string[];
  /** The histories of every fit so far. */
  readonly histories: readonly History[];
  /** Where the current fit stopped (checkpoints), or null. */
  readonly trainingProgress: TrainingProgress | null;
  /** `<layer>/<weight>` names, in getWeights() order. */
  weightNames(): string[];
  /** Copies of every weight: per layer its params then its state tensors. */
  getWeights(): Tensor[];
}
