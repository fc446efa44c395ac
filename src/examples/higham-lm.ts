/**
 * `nabla example higham --solver lm`: Higham & Higham (2019, §2, `nlsrun.m`, Fig. 4) first
 * solve their 10-point problem with MATLAB's nonlinear least-squares solver (`lsqnonlin`;
 * Levenberg–Marquardt is one of its algorithms) and then show that stochastic gradient, the method that scales to deep networks, needs about a
 * million cheap steps for the same network. This example runs both from the same initial
 * weights: `trainLevenbergMarquardt` (MATLAB `trainlm`'s damping schedule, at most `iterations`
 * iterations) and the paper's SGD (`steps` steps, eta = 0.05), and compares their final costs
 * sum ||y - F(x)||^2, iterations and times, with both cost curves on log-log axes (iterations
 * for LM, steps for SGD) and LM's decision regions.
 */
import { loadHigham } from '../data/classification-sets.js';
import { oneHot } from '../data/onehot.js';
import { trainLevenbergMarquardt, levenbergMarquardtStopReason } from '../models/levenberg-marquardt.js';
import { lineChart } from '../plots/charts.js';
import { highamCorrect, highamNetwork, highamRegions, trainHighamSgd } from './higham-common.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, logger, num, plot, table } from './util.js';

/**
 * The options of `nabla example higham` (runHigham, and runHighamLm, which `solver: 'lm'` runs):
 * defaults (the paper's), short-run values, flags; the one statement of each.
 */
export const HIGHAM_OPTIONS = {
  points: { description: "the paper's 10 points, or 11 with one more in category B", kind: 'choice', choices: ['10', '11'], default: 10 as 10 | 11 },
  steps: { description: 'stochastic-gradient steps', default: 1_000_000, quick: 20_000 },
  solver: { description: "'sgd', the paper's stochastic gradient, or 'lm', Levenberg-Marquardt compared with it", kind: 'choice', choices: ['sgd', 'lm'], valueName: 'name', default: 'sgd' as 'sgd' | 'lm' },
  iterations: { description: 'with --solver lm: the most Levenberg-Marquardt iterations', default: 1000, quick: 100 },
  learningRate: { description: "SGD's learning rate eta", kind: 'library', default: 0.05 },
  recordEvery: { description: "record SGD's full-data cost every this many steps", kind: 'library', default: 1000 },
} satisfies ExampleOptions;

/** Options of {@link runHighamLm} and runHigham: the declared ones (HIGHAM_OPTIONS, each documented by its description) and the common ones. */
export interface HighamLmOptions extends CommonOptions, DeclaredOptions<typeof HIGHAM_OPTIONS> {
  /** Folder or file of the data (default: the embedded copy). */
  dataPath?: string;
}

/**
 * Runs the comparison. Figures: `initialCost`, `lmCost`, `lmIterations`, `lmSeconds`,
 * `lmCorrect`, `sgdCost`, `sgdSteps`, `sgdSeconds`, `sgdCorrect`, `points` (costs are sums over
 * the points of ||y - F||^2).
 */
export async function runHighamLm(options: HighamLmOptions = {}): Promise<ExampleResult> {
  const o = resolveOptions(HIGHAM_OPTIONS, options), log = logger(o), seed = o.seed ?? 1;
  const { points, steps, learningRate: eta, recordEvery: every, iterations: epochs } = o;
  const data = loadHigham(o.dataPath, { points });
  const n = data.x.shape[0]!, x = data.x, y = oneHot(data.y, 2, 'float64');

  log(`Higham & Higham (2019): ${n} points, 2-2-3-2 sigmoid network, the same 0.5 N(0,1) initial weights (seed ${seed}) for both solvers`);
  log(`Levenberg-Marquardt (trainlm's schedule: mu 0.001, x0.1 / x10, mu_max 1e10), at most ${epochs} iterations:`);
  const lmModel = highamNetwork(seed);
  lmModel.compile({ optimizer: 'sgd', loss: 'quadratic' });
  const initialCost = 2 * n * lmModel.evaluate(x, y).loss;
  const started = Date.now();
  const history = await trainLevenbergMarquardt(lmModel, x, y, { epochs });
  const lmSeconds = (Date.now() - started) / 1000;
  const lmCosts = [initialCost, ...history.history['sse']!];
  const lmIterations = history.epoch.length, lmCost = lmCosts.at(-1)!;
  for (const i of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].filter((i) => i < lmIterations).concat(lmIterations))
    log(`  iteration ${String(i).padStart(4)}: cost ${num(lmCosts[i]!)}`);
  log(`  stopped: ${levenbergMarquardtStopReason(lmModel)}`);
  const lmCorrect = highamCorrect(lmModel, x, data.y.data);

  log(`Stochastic gradient (one point per step, eta = ${eta}), ${steps.toLocaleString('en-US')} steps:`);
  const sgdModel = highamNetwork(seed);
  const sgd = await trainHighamSgd(sgdModel, x, y, { steps, eta, every, seed, log });
  const sgdCost = sgd.costs.at(-1)!, sgdCorrect = highamCorrect(sgdModel, x, data.y.data);
  sgdModel.dispose();

  log('');
  for (const line of table(['solver', 'iterations', 'final cost', 'classified', 'seconds'], [
    ['Levenberg-Marquardt', lmIterations, lmCost, `${lmCorrect}/${n}`, lmSeconds.toFixed(2)],
    ['stochastic gradient', steps.toLocaleString('en-US'), sgdCost, `${sgdCorrect}/${n}`, sgd.seconds.toFixed(2)],
  ])) log(`  ${line}`);

  const figures = { initialCost, lmCost, lmIterations, lmSeconds, lmCorrect, sgdCost, sgdSteps: steps, sgdSeconds: sgd.seconds, sgdCorrect, points: n };
  const comparisons = [
    compare(`Levenberg-Marquardt classifies the ${n} points`, `${lmCorrect}/${n}`, `${n}/${n} (Higham & Higham 2019, §2, Fig. 4)`, lmCorrect === n),
    compare('Levenberg-Marquardt cost below stochastic gradient\'s', `${num(lmCost)} in ${lmIterations} iterations`,
      `${num(sgdCost)} in ${steps.toLocaleString('en-US')} steps (this run)`, lmCost < sgdCost),
    compare('Levenberg-Marquardt iterations', String(lmIterations), 'at most 1,000 (issue 17)', lmIterations <= 1000),
  ];

  const files: string[] = [];
  const tag = n === 10 ? 'higham-lm' : 'higham-11-lm';
  const positive = (xs: number[], ys: number[]) => ({ x: xs.filter((v) => v > 0), y: ys.filter((_, i) => xs[i]! > 0) });
  files.push(...await plot(options, `${tag}-cost`, lineChart({
    title: `Levenberg-Marquardt against stochastic gradient (${n} points)`, xTitle: 'iteration (LM) or step (SGD)',
    yTitle: 'sum over the points of ||y - F(x)||^2', xScale: 'log', yScale: 'log',
    series: [
      { name: `Levenberg-Marquardt (${lmIterations} iterations)`, mark: 'linePoint', ...positive(lmCosts.map((_, i) => i), lmCosts) },
      { name: `stochastic gradient (${steps.toLocaleString('en-US')} steps)`, ...positive(sgd.steps, sgd.costs) },
    ],
  })));
  files.push(...await plot(options, `${tag}-regions`, highamRegions(lmModel, x, data.y.data,
    `Categories after ${lmIterations} Levenberg-Marquardt iterations: A where F1 > F2`)));
  lmModel.dispose();
  return { figures, comparisons, files };
}
