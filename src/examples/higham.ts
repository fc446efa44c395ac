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
import { lineChart } from '../plots/charts.js';
import { highamCorrect, highamNetwork, highamRegions, trainHighamSgd } from './higham-common.js';
import { HIGHAM_OPTIONS, runHighamLm, type HighamLmOptions } from './higham-lm.js';
import { resolveOptions } from './options.js';
import type { ExampleResult } from './types.js';
import { compare, defineExample, logger, num, plot } from './util.js';

export { highamNetwork, trainHighamSgd, highamCorrect, highamRegions } from './higham-common.js';
export type { HighamSgdRun } from './higham-common.js';

/** Options of {@link runHigham}: those of runHighamLm (solver 'sgd', the default, or 'lm'). */
export type HighamOptions = HighamLmOptions;

/**
 * Runs the example. Figures: `initialCost` and `finalCost` (sum over the points of
 * ||y - F||^2), `correct` (points on the right side, argmax of the two outputs), `points`,
 * `steps`. With `solver: 'lm'`, runs {@link runHighamLm} instead.
 */
export async function runHigham(options: HighamOptions = {}): Promise<ExampleResult> {
  const o = resolveOptions(HIGHAM_OPTIONS, options);
  if (o.solver === 'lm') return runHighamLm(o);
  const log = logger(o), seed = o.seed ?? 1, { points, steps, learningRate: eta, recordEvery: every } = o;
  const data = loadHigham(o.dataPath, { points });
  const n = data.x.shape[0]!;
  const x = data.x, y = oneHot(data.y, 2, 'float64');
  const model = highamNetwork(seed);

  log(`Higham & Higham (2019): ${n} points, 2-2-3-2 sigmoid network, 0.5 N(0,1) initialisation (seed ${seed}), ` +
    `stochastic gradient with one point per step, eta = ${eta}, ${steps.toLocaleString('en-US')} steps`);
  const run = await trainHighamSgd(model, x, y, { steps, eta, every, seed, log });
  const correct = highamCorrect(model, x, data.y.data);
  log(`  ${correct}/${n} points classified correctly; ${(run.seconds * 1e6 / Math.max(steps, 1)).toFixed(1)} us per step`);

  const figures = { initialCost: run.costs[0]!, finalCost: run.costs.at(-1)!, correct, points: n, steps };
  const comparisons = [compare(`points classified (${n} points, ${steps.toLocaleString('en-US')} steps)`, `${correct}/${n}`,
    n === 10 ? '10/10 (Higham & Higham 2019, Fig. 8)' : 'all 11 (the aim; the paper\'s Fig. 9 run)', correct === n)];
  if (n === 10 && steps === 1_000_000)
    comparisons.push(compare('final cost sum ||y - F||^2', num(figures.finalCost), '6.9e-4 to 1.1e-3 (independent re-runs, data README; not the paper)',
      figures.finalCost < 2e-3));

  const files: string[] = [];
  const tag = n === 10 ? 'higham' : 'higham-11';
  files.push(...await plot(options, `${tag}-cost`, lineChart({
    title: `Cost during stochastic gradient (${n} points, eta = ${eta})`, xTitle: 'step', yTitle: 'sum over the points of ||y - F(x)||^2',
    yScale: 'log', series: [{ name: 'cost', x: run.steps, y: run.costs }],
  })));
  files.push(...await plot(options, `${tag}-regions`, highamRegions(model, x, data.y.data, `Categories after ${steps.toLocaleString('en-US')} steps: A where F1 > F2`)));
  model.dispose();
  return { figures, comparisons, files };
}

export const higham = defineExample('higham', runHigham, HIGHAM_OPTIONS);
