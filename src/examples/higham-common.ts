/**
 * What the Higham & Higham (2019) examples share (src/examples/higham.ts, higham-lm.ts): the
 * 2-2-3-2 sigmoid network, the paper's stochastic-gradient training with its cost record, the
 * count of points classified and the decision-region chart.
 */
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { randomNormal } from '../nn/initializers.js';
import { SGD } from '../optim/sgd.js';
import { grid, regionChart } from '../plots/charts.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { argmaxRows, num } from './util.js';

/** The 2-2-3-2 sigmoid network with 0.5 N(0, 1) weights and biases, in float64 like MATLAB. */
export function highamNetwork(seed: number): Sequential {
  const init = () => randomNormal({ stddev: 0.5 });
  const layer = (units: number, first = false) => new Dense({
    units, activation: 'sigmoid', kernelInitializer: init(), biasInitializer: init(), dtype: 'float64',
    ...(first ? { inputShape: [2] } : {}),
  });
  return new Sequential([layer(2, true), layer(3), layer(2)], { seed, name: 'higham2019' });
}

/** A stochastic-gradient run's record: the full-data cost every `recordEvery` steps and the time. */
export interface HighamSgdRun {
  /** Steps at which the cost was recorded (0 first). */
  steps: number[];
  /** sum over the points of ||y - F(x)||^2 at those steps. */
  costs: number[];
  /** Wall-clock seconds of the steps. */
  seconds: number;
}

/**
 * The paper's training: `steps` steps of stochastic gradient on (x, y) (one point drawn uniformly
 * with replacement per step, the 'quadratic' cost of that point, learning rate eta), recording
 * the full-data cost sum ||y - F||^2 every `every` steps. Compiles the model with SGD and 'quadratic'.
 * @param x inputs [n, 2]; y one-hot targets [n, 2] (float64).
 */
export async function trainHighamSgd(model: Sequential, x: Tensor, y: Tensor, o: { steps: number; eta: number; every: number; seed: number; log: (line: string) => void }): Promise<HighamSgdRun> {
  const n = x.shape[0]!, { steps, every, log } = o;
  const optimizer = new SGD({ learningRate: o.eta });
  model.compile({ optimizer, loss: 'quadratic' });
  model.build([2]);
  const params = model.trainableParams();
  // One [1, 2] input and target per point, made once: a step copies nothing.
  const xs = Array.from({ length: n }, (_, i) => new Tensor(x.data.slice(2 * i, 2 * i + 2), [1, 2]));
  const ys = Array.from({ length: n }, (_, i) => new Tensor(y.data.slice(2 * i, 2 * i + 2), [1, 2]));
  const cost = () => 2 * n * model.evaluate(x, y).loss; // sum_i ||y_i - F(x_i)||^2
  const pick = Rng.derive(o.seed, 'higham-sgd');
  const recordedSteps = [0], recordedCosts = [cost()];
  log(`  step ${'0'.padStart(9)}: cost ${num(recordedCosts[0]!)}`);
  const started = Date.now();
  const reportEvery = Math.max(every, Math.round(steps / 10 / every) * every);
  for (let s = 1; s <= steps; s++) {
    const k = pick.int(n);
    model.computeGradients(xs[k]!, ys[k]!);
    optimizer.applyGradients(params);
    if (s % every === 0 || s === steps) {
      recordedSteps.push(s); recordedCosts.push(cost());
      if (s % reportEvery === 0 || s === steps) log(`  step ${s.toLocaleString('en-US').padStart(9)}: cost ${num(recordedCosts.at(-1)!)}`);
      if (s % (every * 50) === 0) await new Promise((r) => setImmediate(r)); // let Ctrl-C and timers in
    }
  }
  return { steps: recordedSteps, costs: recordedCosts, seconds: (Date.now() - started) / 1000 };
}

/** Points of `labels` the network classifies correctly (category A where F_1 > F_2). */
export function highamCorrect(model: Sequential, x: Tensor, labels: ArrayLike<number>): number {
  const predicted = argmaxRows(model.predict(x).data, 2);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct;
}

/** The decision regions of `model` on [0, 1]^2 with the labelled points, as a chart spec. */
export function highamRegions(model: Sequential, x: Tensor, labels: ArrayLike<number>, title: string): ReturnType<typeof regionChart> {
  const n = labels.length, g = grid([0, 1], [0, 1], 250);
  return regionChart({
    title, xTitle: 'x1', yTitle: 'x2', classes: ['A', 'B'], grid: g,
    regions: argmaxRows(model.predict(new Tensor(g.points, [g.nx * g.ny, 2])).data, 2),
    points: { x: Array.from({ length: n }, (_, i) => x.data[2 * i]!), y: Array.from({ length: n }, (_, i) => x.data[2 * i + 1]!), label: labels },
  });
}
