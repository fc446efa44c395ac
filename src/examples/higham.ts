/**
 * Higham & Higham (2019), "Deep Learning: An Introduction for Applied Mathematicians", SIAM Review
 * 61(4): the 10-point toy problem of sections 2-4 and its MATLAB code `netbp.m`.
 *
 * The network is 2-2-3-2 with the sigmoid in every layer (23 parameters), every weight and bias
 * drawn from 0.5 N(0, 1), trained by plain stochastic gradient: each step picks one of the points
 * uniformly at random (with replacement) and moves every parameter by -eta times the gradient of
 * that point's cost (1/2)||y - F(x)||^2, eta = 0.05, for 10^6 steps. nabla's 'quadratic' loss on
 * a batch of one point is exactly that cost, so one step is one `computeGradients` and one SGD
 * update (what `trainOnBatch` does, without its per-call checks).
 *
 * The paper's code records sum_i ||y(x_i) - F(x_i)||^2 over the points, which is 2n = 20 times
 * nabla's mean 'quadratic' loss, and plots it on a log scale; this example does the same every
 * `recordEvery` steps. The result is classified by the larger of the two outputs: category A
 * where F_1 > F_2 (the paper's shaded region).
 *
 * MATLAB's random stream (rng(5000)) cannot be reproduced here, so the trajectory differs from
 * the paper's; the README of the data lists indicative costs from independent re-runs.
 */
import { loadHigham } from '../data/classification-sets.js';
import { oneHot } from '../data/onehot.js';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { randomNormal } from '../nn/initializers.js';
import { SGD } from '../optim/sgd.js';
import { grid, lineChart, regionChart } from '../plots/charts.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { argmaxRows, compare, defineExample, logger, num, plot, positiveIntOptions } from './util.js';

/** Options of {@link runHigham}. */
export interface HighamOptions extends CommonOptions {
  /** 10 (the paper's data, default) or 11 (with the extra point (0.3, 0.7) in category B). */
  points?: 10 | 11;
  /** Stochastic-gradient steps. Default 1,000,000, as the paper. */
  steps?: number;
  /** The learning rate eta. Default 0.05, as the paper. */
  learningRate?: number;
  /** Record the full-data cost every this many steps (default 1000). */
  recordEvery?: number;
  /** Folder or file of the data (default: the embedded copy). */
  dataPath?: string;
}

/** The 2-2-3-2 sigmoid network with 0.5 N(0, 1) weights and biases, in float64 like MATLAB. */
export function highamNetwork(seed: number): Sequential {
  const init = () => randomNormal({ stddev: 0.5 });
  const layer = (units: number, first = false) => new Dense({
    units, activation: 'sigmoid', kernelInitializer: init(), biasInitializer: init(), dtype: 'float64',
    ...(first ? { inputShape: [2] } : {}),
  });
  return new Sequential([layer(2, true), layer(3), layer(2)], { seed, name: 'higham2019' });
}

/**
 * Runs the example. Figures: `initialCost` and `finalCost` (sum over the points of
 * ||y - F||^2), `correct` (points on the right side, argmax of the two outputs), `points`,
 * `steps`.
 */
export async function runHigham(options: HighamOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const points = options.points ?? 10, steps = options.steps ?? 1_000_000, seed = options.seed ?? 1;
  const eta = options.learningRate ?? 0.05, every = options.recordEvery ?? 1000;
  const data = loadHigham(options.dataPath, { points });
  const n = data.x.shape[0]!;
  const x = data.x, y = oneHot(data.y, 2, 'float64');
  const model = highamNetwork(seed);
  const optimizer = new SGD({ learningRate: eta });
  model.compile({ optimizer, loss: 'quadratic' });
  model.build([2]);
  const params = model.trainableParams();
  // One [1, 2] input and target per point, made once: a step copies nothing.
  const xs = Array.from({ length: n }, (_, i) => new Tensor(x.data.slice(2 * i, 2 * i + 2), [1, 2]));
  const ys = Array.from({ length: n }, (_, i) => new Tensor(y.data.slice(2 * i, 2 * i + 2), [1, 2]));
  const cost = () => 2 * n * model.evaluate(x, y).loss; // sum_i ||y_i - F(x_i)||^2
  const pick = Rng.derive(seed, 'higham-sgd');

  log(`Higham & Higham (2019): ${n} points, 2-2-3-2 sigmoid network, 0.5 N(0,1) initialisation (seed ${seed}), ` +
    `stochastic gradient with one point per step, eta = ${eta}, ${steps.toLocaleString('en-US')} steps`);
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
  const seconds = (Date.now() - started) / 1000;
  const predicted = argmaxRows(model.predict(x).data, 2);
  let correct = 0;
  for (let i = 0; i < n; i++) if (predicted[i] === data.y.data[i]) correct++;
  log(`  ${correct}/${n} points classified correctly; ${(seconds * 1e6 / Math.max(steps, 1)).toFixed(1)} us per step`);

  const figures = { initialCost: recordedCosts[0]!, finalCost: recordedCosts.at(-1)!, correct, points: n, steps };
  const comparisons = [compare(`points classified (${n} points, ${steps.toLocaleString('en-US')} steps)`, `${correct}/${n}`,
    n === 10 ? '10/10 (Higham & Higham 2019, Fig. 8)' : 'all 11 (the aim; the paper\'s Fig. 9 run)', correct === n)];
  if (n === 10 && steps === 1_000_000)
    comparisons.push(compare('final cost sum ||y - F||^2', num(figures.finalCost), '6.9e-4 to 1.1e-3 (independent re-runs, data README; not the paper)',
      figures.finalCost < 2e-3));

  const files: string[] = [];
  const tag = n === 10 ? 'higham' : 'higham-11';
  files.push(...await plot(options, `${tag}-cost`, lineChart({
    title: `Cost during stochastic gradient (${n} points, eta = ${eta})`, xTitle: 'step', yTitle: 'sum over the points of ||y - F(x)||^2',
    yScale: 'log', series: [{ name: 'cost', x: recordedSteps, y: recordedCosts }],
  })));
  const g = grid([0, 1], [0, 1], 250);
  files.push(...await plot(options, `${tag}-regions`, regionChart({
    title: `Categories after ${steps.toLocaleString('en-US')} steps: A where F1 > F2`, xTitle: 'x1', yTitle: 'x2', classes: ['A', 'B'], grid: g,
    regions: argmaxRows(model.predict(new Tensor(g.points, [g.nx * g.ny, 2])).data, 2),
    points: { x: Array.from({ length: n }, (_, i) => x.data[2 * i]!), y: Array.from({ length: n }, (_, i) => x.data[2 * i + 1]!), label: data.y.data },
  })));
  model.dispose();
  return { figures, comparisons, files };
}

export const higham = defineExample('higham', runHigham, {
  title: 'a 2-2-3-2 sigmoid network classifies 10 points by stochastic gradient, 10^6 steps',
  source: 'Higham & Higham, SIAM Review 2019 (netbp.m)', duration: '15 s',
  cliOptions: [
    { flags: '--points <n>', description: '10 (the paper\'s data) or 11 (one more point in category B)', kind: 'choice', choices: ['10', '11'] },
    ...positiveIntOptions({ steps: 'stochastic-gradient steps (default 1000000)' }),
  ],
});
