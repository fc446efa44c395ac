/**
 * The playground's whole state: data set, seed, architecture, hyper-parameters and view options.
 * It lives in the page's URL fragment (#dataset=xor&seed=1&layers=4,2&...), so a link reproduces a
 * run exactly: the same state gives the same data, the same initial weights, the same batches
 * and dropout masks, hence the same losses after the same number of steps (on the same kernels).
 */
import { ACTIVATION_DEFS, ACTIVATION_NAMES, type ActivationName } from '../../src/browser.js';

export const DATASETS = ['xor', 'circles', 'gaussians', 'spiral', 'higham', 'runge'] as const;
export type DatasetName = (typeof DATASETS)[number];
export const DATASET_LABELS: Record<DatasetName, string> = {
  xor: 'XOR', circles: 'Circles', gaussians: 'Two Gaussians', spiral: 'Spiral',
  higham: 'Higham & Higham (10 points)', runge: 'Runge function (regression)',
};

/** The hidden-layer activations offered: every elementwise entry of the activation registry. */
export const ACTIVATIONS: readonly ActivationName[] = ACTIVATION_NAMES.filter((n) => ACTIVATION_DEFS[n].shape === 'elementwise');
export type ActivationChoice = ActivationName;

export const LOSSES = ['crossEntropy', 'quadratic'] as const;
export type LossChoice = (typeof LOSSES)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

export const BACKENDS = ['auto', 'wasm', 'js'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const L2_VALUES = [0, 0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];
export const DROPOUT_RATES = [0, 0.1, 0.2, 0.3, 0.5];
export const MAX_LAYERS = 6;
export const MAX_NEURONS = 8;

export interface PlaygroundState {
  dataset: DatasetName;
  /** Noise in percent, 0-50. */
  noise: number;
  /** Share of the points used for training, in percent, 10-90. */
  trainRatio: number;
  /** Seed of the data, the initial weights, the batches and dropout. */
  seed: number;
  /** Neurons of each hidden layer. */
  layers: number[];
  activation: ActivationChoice;
  loss: LossChoice;
  learningRate: number;
  batchSize: number;
  optimizer: OptimizerChoice;
  l2: number;
  dropout: number;
  /** Kernels: 'auto' is wasm where the page may use it (cross-origin isolated), else js. */
  backend: BackendChoice;
  /** View options (they do not change the run). */
  showTest: boolean;
  discretize: boolean;
}

export const DEFAULT_STATE: PlaygroundState = {
  dataset: 'xor', noise: 0, trainRatio: 50, seed: 1, layers: [8, 4], activation: 'tanh', loss: 'crossEntropy',
  learningRate: 0.03, batchSize: 10, optimizer: 'adam', l2: 0, dropout: 0, backend: 'auto', showTest: false, discretize: false,
};

function clampInt(v: string | null, lo: number, hi: number, fallback: number): number {
  if (v === null || !/^-?\d+$/.test(v)) return fallback;
  return Math.min(hi, Math.max(lo, Number(v)));
}

function oneOf<T extends string>(v: string | null, list: readonly T[], fallback: T): T {
  return v !== null && (list as readonly string[]).includes(v) ? (v as T) : fallback;
}

function number(v: string | null, fallback: number, ok: (n: number) => boolean): number {
  if (v === null || v.trim() === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) && ok(n) ? n : fallback;
}

/** Reads a state from a URL fragment or query ('#a=1&b=2'); anything missing or invalid takes its default. */
export function parseState(fragment: string): PlaygroundState {
  const p = new URLSearchParams(fragment.replace(/^[#?]/, ''));
  const d = DEFAULT_STATE;
  const layersText = p.get('layers');
  let layers = d.layers;
  if (layersText !== null) {
    const parts = layersText === '' ? [] : layersText.split(',');
    if (parts.every((s) => /^\d+$/.test(s)))
      layers = parts.map((s) => Math.min(MAX_NEURONS, Math.max(1, Number(s)))).slice(0, MAX_LAYERS);
  }
  return {
    dataset: oneOf(p.get('dataset'), DATASETS, d.dataset),
    noise: clampInt(p.get('noise'), 0, 50, d.noise),
    trainRatio: clampInt(p.get('ratio'), 10, 90, d.trainRatio),
    seed: clampInt(p.get('seed'), 0, 2 ** 31 - 1, d.seed),
    layers,
    activation: oneOf(p.get('activation'), ACTIVATIONS, d.activation),
    loss: oneOf(p.get('loss'), LOSSES, d.loss),
    learningRate: number(p.get('lr'), d.learningRate, (n) => n > 0 && n <= 100),
    batchSize: clampInt(p.get('batch'), 1, 100, d.batchSize),
    optimizer: oneOf(p.get('optimizer'), OPTIMIZERS, d.optimizer),
    l2: number(p.get('l2'), d.l2, (n) => n >= 0 && n <= 10),
    dropout: number(p.get('dropout'), d.dropout, (n) => n >= 0 && n < 1),
    backend: oneOf(p.get('backend'), BACKENDS, d.backend),
    showTest: p.get('showTest') === '1',
    discretize: p.get('discretize') === '1',
  };
}

/** The URL fragment of a state (without '#'), every field written so a link never depends on defaults. */
export function formatState(s: PlaygroundState): string {
  const p = new URLSearchParams();
  p.set('dataset', s.dataset);
  p.set('noise', String(s.noise));
  p.set('ratio', String(s.trainRatio));
  p.set('seed', String(s.seed));
  p.set('layers', s.layers.join(','));
  p.set('activation', s.activation);
  p.set('loss', s.loss);
  p.set('lr', String(s.learningRate));
  p.set('batch', String(s.batchSize));
  p.set('optimizer', s.optimizer);
  p.set('l2', String(s.l2));
  p.set('dropout', String(s.dropout));
  if (s.backend !== 'auto') p.set('backend', s.backend);
  if (s.showTest) p.set('showTest', '1');
  if (s.discretize) p.set('discretize', '1');
  return p.toString().replace(/%2C/g, ',');
}

/** The part of the state that defines the run (a change restarts training); view options excluded. */
export function runKey(s: PlaygroundState): string {
  const { showTest: _a, discretize: _b, ...run } = s;
  void _a; void _b;
  return JSON.stringify(run);
}

export function isRegression(d: DatasetName): boolean {
  return d === 'runge';
}
