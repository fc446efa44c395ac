/** Messages between the page (main.ts) and the training worker (worker.ts). */
import type { Dataset } from './datasets.js';
import type { PlaygroundState } from './state.js';

/** Side of the square grid on which the output and every neuron are drawn (2-D sets). */
export const GRID = 48;
/** Points along x on which the fit and every neuron are drawn (regression). */
export const CURVE_POINTS = 161;

export type ToWorker =
  /** Build data and model for a state (a new generation: older snapshots are stale). */
  | { type: 'init'; generation: number; state: PlaygroundState }
  /** Commands carry a number the worker echoes in its snapshots (`cmd`), so the page knows which it has seen. */
  | { type: 'play'; cmd: number }
  | { type: 'pause'; cmd: number }
  /** Train exactly `count` more steps (batches), then pause. */
  | { type: 'step'; cmd: number; count: number };

export interface LayerWeights {
  /** [inUnits, units], row-major (Keras layout: kernel[i * units + j] is the weight from input i to neuron j). */
  kernel: Float32Array;
  bias: Float32Array;
  inUnits: number;
  units: number;
}

export interface LossHistory { steps: number[]; train: number[]; test: number[] }

export interface Snapshot {
  type: 'snapshot';
  generation: number;
  step: number;
  epoch: number;
  /** Whether the worker is still training (playing, or steps pending). */
  playing: boolean;
  /** The last command the worker had received. */
  cmd: number;
  trainLoss: number;
  testLoss: number;
  /** Share of points on the right side of 0.5 (classification only). */
  trainAccuracy: number | null;
  testAccuracy: number | null;
  history: LossHistory;
  /** The network's output on the grid (GRID x GRID, row 0 at the top) or along the curve (CURVE_POINTS). */
  output: Float32Array;
  /** Each hidden neuron's output on the same points: neurons[layer][neuron]. */
  neurons: Float32Array[][];
  weights: LayerWeights[];
}

export type FromWorker =
  /**
   * The worker's module has loaded (nabla.js included, whose top-level await compiles the
   * WebAssembly). A module worker drops messages that arrive before then, so the page waits for it.
   */
  | { type: 'hello' }
  | { type: 'ready'; generation: number; dataset: Dataset; backend: string; backendNote: string; summary: string }
  | Snapshot
  | { type: 'stopped'; generation: number; step: number; message: string }
  | { type: 'error'; generation: number; message: string };
