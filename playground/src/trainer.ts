/**
 * The playground's training run, without messaging (worker.ts posts what it computes; Node can
 * run it as well, which scripts/playground-curves.ts uses to choose the test's settings).
 *
 * It builds the data set and a Sequential model from the state and trains one mini-batch per step
 * with `model.trainOnBatch`; batches follow a permutation of the training points from
 * Rng.derive(seed, 'shuffle', epoch), so a run depends on the state alone (and on the kernels:
 * results agree across backends to float32 rounding, not to the bit).
 */
import { Adam, Dense, Dropout, l2, Rng, SGD, Sequential, Tensor, type Layer, type Optimizer } from '../../src/browser.js';
import { makeDataset, type Dataset } from './datasets.js';
import { CURVE_POINTS, GRID, type LayerWeights, type LossHistory } from './protocol.js';
import type { PlaygroundState } from './state.js';

/** Keep at most this many points of the loss history (older ones are thinned, every other one kept). */
const HISTORY_MAX = 1000;

/** The model a state describes: hidden Dense layers (+ Dropout), one output neuron. */
export function buildModel(state: PlaygroundState, data: Dataset): Sequential {
  const regularizer = state.l2 > 0 ? { kernelRegularizer: l2(state.l2) } : {};
  const layers: Layer[] = [];
  // No gradient passes a step activation (nabla's compile refuses to backpropagate through one):
  // the step layers keep their initial weights (trainable: false) and the output layer learns.
  const frozen = state.activation === 'step' ? { trainable: false } : {};
  state.layers.forEach((units, i) => {
    layers.push(new Dense({ units, activation: state.activation, name: `hidden_${i + 1}`, ...frozen, ...regularizer, ...(i === 0 ? { inputShape: [data.inputDim] } : {}) }));
    if (state.dropout > 0) layers.push(new Dropout({ rate: state.dropout, name: `dropout_${i + 1}` }));
  });
  // Classification: one sigmoid output, P(blue). Regression: a linear output for the quadratic
  // loss, a sigmoid one for cross-entropy (the targets are then clipped to [0, 1]).
  const outAct = data.regression && state.loss === 'quadratic' ? 'linear' : 'sigmoid';
  layers.push(new Dense({ units: 1, activation: outAct, name: 'output', ...regularizer, ...(layers.length === 0 ? { inputShape: [data.inputDim] } : {}) }));
  const model = new Sequential(layers, { seed: state.seed, name: 'playground' });
  const optimizer: Optimizer = state.optimizer === 'adam' ? new Adam({ learningRate: state.learningRate })
    : new SGD({ learningRate: state.learningRate, momentum: state.optimizer === 'momentum' ? 0.9 : 0 });
  model.compile({ optimizer, loss: state.loss === 'quadratic' ? 'quadratic' : 'binaryCrossentropy' });
  model.build([data.inputDim]);
  return model;
}

/** The points the output and the neurons are drawn on: a GRID x GRID grid (row 0 at the top) or CURVE_POINTS along x. */
export function gridPoints(data: Dataset): Tensor {
  const { xMin, xMax, yMin, yMax } = data.domain;
  if (data.inputDim === 1) {
    const x = new Float32Array(CURVE_POINTS);
    for (let i = 0; i < CURVE_POINTS; i++) x[i] = xMin + ((xMax - xMin) * i) / (CURVE_POINTS - 1);
    return new Tensor(x, [CURVE_POINTS, 1]);
  }
  const x = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++)
    for (let c = 0; c < GRID; c++) {
      const i = r * GRID + c;
      x[2 * i] = xMin + ((xMax - xMin) * (c + 0.5)) / GRID;
      x[2 * i + 1] = yMax - ((yMax - yMin) * (r + 0.5)) / GRID;
    }
  return new Tensor(x, [GRID * GRID, 2]);
}

export class Trainer {
  readonly data: Dataset;
  readonly model: Sequential;
  readonly xTrain: Tensor; readonly yTrain: Tensor; readonly xTest: Tensor; readonly yTest: Tensor;
  /** The points the output and neurons are drawn on. */
  readonly grid: Tensor;
  readonly nTrain: number;
  step = 0;
  epoch = 0;
  history: LossHistory = { steps: [], train: [], test: [] };
  private order: Uint32Array;
  private cursor = 0;
  /** The history records every `every` steps (doubled each time it is thinned). */
  private every = 1;

  constructor(readonly state: PlaygroundState) {
    const data = makeDataset(state.dataset, state.seed, state.noise, state.trainRatio);
    const clip = (y: Float32Array) => (data.regression && state.loss === 'crossEntropy' ? y.map((v) => Math.min(1, Math.max(0, v))) : y);
    this.data = data;
    this.nTrain = data.yTrain.length;
    const nTest = data.yTest.length;
    this.model = buildModel(state, data);
    this.xTrain = new Tensor(data.xTrain, [this.nTrain, data.inputDim]);
    this.yTrain = new Tensor(clip(data.yTrain), [this.nTrain, 1]);
    this.xTest = new Tensor(data.xTest, [nTest, data.inputDim]);
    this.yTest = new Tensor(clip(data.yTest), [nTest, 1]);
    this.grid = gridPoints(data);
    this.order = Rng.derive(state.seed, 'shuffle', 0).permutation(this.nTrain);
    this.record();
  }

  /** One optimiser step on the next mini-batch. @throws NonFiniteLossError (the update is then not applied). */
  async trainStep(): Promise<void> {
    if (this.cursor >= this.nTrain) {
      this.epoch++;
      this.order = Rng.derive(this.state.seed, 'shuffle', this.epoch).permutation(this.nTrain);
      this.cursor = 0;
    }
    const size = Math.min(this.state.batchSize, this.nTrain - this.cursor);
    const dim = this.data.inputDim;
    const xb = new Float32Array(size * dim), yb = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const idx = this.order[this.cursor + i]!;
      for (let j = 0; j < dim; j++) xb[i * dim + j] = this.xTrain.data[idx * dim + j]!;
      yb[i] = this.yTrain.data[idx]!;
    }
    this.cursor += size;
    await this.model.trainOnBatch(new Tensor(xb, [size, dim]), new Tensor(yb, [size, 1]));
    this.step++;
    if (this.step % this.every === 0) this.record();
  }

  /** The loss (with the L2 penalty, as nabla's evaluate reports it) on the training and the test points. */
  losses(): { train: number; test: number } {
    return { train: this.model.evaluate(this.xTrain, this.yTrain).loss, test: this.model.evaluate(this.xTest, this.yTest).loss };
  }

  /** Adds the current losses to the history, thinning it when it is full. */
  private record(): void {
    const { train, test } = this.losses(), h = this.history;
    h.steps.push(this.step); h.train.push(train); h.test.push(test);
    if (h.steps.length > HISTORY_MAX) {
      const keep = (a: number[]) => a.filter((_, i) => i % 2 === 0);
      h.steps = keep(h.steps); h.train = keep(h.train); h.test = keep(h.test);
      this.every *= 2;
    }
  }

  /** Share of points on the right side of 0.5 (classification). */
  accuracy(x: Tensor, y: Tensor): number {
    const p = this.model.predict(x).data;
    let right = 0;
    for (let i = 0; i < p.length; i++) if ((p[i]! >= 0.5 ? 1 : 0) === (y.data[i]! >= 0.5 ? 1 : 0)) right++;
    return p.length ? right / p.length : 0;
  }

  /** Forward through every layer on the grid, keeping each hidden Dense neuron's output. */
  probe(): { output: Float32Array; neurons: Float32Array[][] } {
    let a: Tensor = this.grid;
    const neurons: Float32Array[][] = [];
    const m = this.grid.shape[0]!;
    for (const layer of this.model.layers) {
      a = layer.forward(a, false);
      if (layer instanceof Dense && layer.name !== 'output') {
        const units = a.shape[1]!, cols: Float32Array[] = [];
        for (let j = 0; j < units; j++) {
          const col = new Float32Array(m);
          for (let i = 0; i < m; i++) col[i] = a.data[i * units + j]!;
          cols.push(col);
        }
        neurons.push(cols);
      }
    }
    return { output: Float32Array.from(a.data), neurons };
  }

  /** Every Dense layer's kernel and bias (copies). */
  weights(): LayerWeights[] {
    const w = this.model.getWeights(), out: LayerWeights[] = [];
    for (const layer of this.model.layers) {
      if (!(layer instanceof Dense)) continue;
      const kernel = w[out.length * 2]!, bias = w[out.length * 2 + 1]!;
      out.push({ kernel: Float32Array.from(kernel.data), bias: Float32Array.from(bias.data), inUnits: kernel.shape[0]!, units: kernel.shape[1]! });
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}
