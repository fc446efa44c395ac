/**
 * Hung-yi Lee's regression lecture (NTU, ML 2017): estimate a Pokémon's combat power after
 * evolution (cp_new) from its CP before (cp), on OpenIntro's 75 evolutions.
 *
 * 1. The 10-point demo: the least-squares line y = b + w x by the closed form (SVD) and by
 *    gradient descent with Adagrad from the demo's start (b, w) = (-120, -4) and learning rate 1.
 *    The demo runs 100,000 iterations; nabla runs 300,000 by default, where both parameters agree
 *    with the closed form to 1e-4 relative (after 100,000, b is still 3.5e-4 off).
 *    nabla's gradient descent minimises (1/2n) sum (y - b - w x)^2, the demo sum (y - b - w x)^2:
 *    Adagrad divides by the root of the summed squared gradients, so the scale cancels.
 * 2. Polynomials of degree 1 to 5 in cp (inputs standardised before expansion) on a seeded split:
 *    20 training rows (the lecture trains on 10) and 55 test rows. The training error can only
 *    fall as the degree grows (the models are nested); the test error falls, then rises: overfitting.
 * 3. Ridge (L2, intercept unpenalised) on the degree-5 model for several lambda.
 *
 * Errors are root-mean-square (RMSE, in CP). The slides' "average error" figures come from a
 * 10 / 10 split they do not list, so they are not compared here (see the data's README).
 */
import { Adagrad } from '../optim/adagrad.js';
import { LinearRegression } from '../classic/linear-regression.js';
import { PolynomialFeatures } from '../classic/polynomial-features.js';
import { loadPokemonCp } from '../data/regression-sets.js';
import { trainTestSplit } from '../data/split.js';
import { lineChart } from '../plots/charts.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { column, compare, defineExample, linspace, logger, num, plot, table } from './util.js';

/** The options of {@link runPokemonCp}: defaults, short-run values, flags; the one statement of each. */
const OPTIONS = {
  iterations: { description: 'Adagrad iterations on the demo', default: 300_000, quick: 20_000 },
  trainRows: { description: 'training rows of the 75 in part 2', default: 20 },
} satisfies ExampleOptions;

/** Options of {@link runPokemonCp}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface PokemonCpOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {
  /** The CSV file or folder (default: the embedded copy). */
  dataPath?: string;
}

/** The published closed-form fit on the demo's 10 points (data/pokemon-cp/README.md). */
export const PUBLISHED = { w: 2.669455, b: -188.433 };

function rmse(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (predicted[i]! - truth[i]!) ** 2;
  return Math.sqrt(s / truth.length);
}

/**
 * Runs the example. Figures: `w`, `b` (closed form), `wAdagrad`, `bAdagrad`, `adagradRelativeError`
 * (the larger of the two relative differences from the closed form), `train<d>` / `test<d>`
 * (RMSE of degree d = 1..5), `ridgeTest<lambda>` (degree 5) and `bestRidgeTest`.
 */
export async function runPokemonCp(options: PokemonCpOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const { iterations, trainRows, seed = 1 } = resolveOptions(OPTIONS, options);
  const figures: Record<string, number> = {};
  const files: string[] = [];

  // 1. The demo.
  const demo = loadPokemonCp(options.dataPath, { subset: 'demo10' });
  const exact = new LinearRegression().fit(demo.x, demo.y);
  const w = exact.coefficients.data[0]!, b = exact.intercept;
  figures['w'] = w; figures['b'] = b;
  log(`1. The 10-point demo: cp_new = b + w cp`);
  log(`   closed form (SVD):      w = ${w.toFixed(6)}, b = ${b.toFixed(3)}   (published: w = ${PUBLISHED.w}, b = ${PUBLISHED.b})`);
  const started = Date.now();
  const gd = new LinearRegression({
    solver: 'gradientDescent', optimizer: new Adagrad({ learningRate: 1 }), epochs: iterations, initial: { coefficients: [-4], intercept: -120 },
  }).fit(demo.x, demo.y);
  const wg = gd.coefficients.data[0]!, bg = gd.intercept;
  figures['wAdagrad'] = wg; figures['bAdagrad'] = bg;
  figures['adagradRelativeError'] = Math.max(Math.abs(wg - w) / Math.abs(w), Math.abs(bg - b) / Math.abs(b));
  log(`   Adagrad (lr 1, from b = -120, w = -4, ${iterations.toLocaleString('en-US')} iterations, ${((Date.now() - started) / 1000).toFixed(1)} s): ` +
    `w = ${wg.toFixed(6)}, b = ${bg.toFixed(3)}; relative difference ${num(figures['adagradRelativeError']!)}`);
  const losses = gd.lossHistory, best = exact.noiseVariance / 2; // L = RSS / (2n) at the optimum
  const comparisons = [
    compare('closed-form w', w.toFixed(6), `${PUBLISHED.w} (Lee; data README)`, Math.abs(w - PUBLISHED.w) < 5e-7),
    compare('closed-form b', b.toFixed(3), `${PUBLISHED.b} (Lee; data README)`, Math.abs(b - PUBLISHED.b) < 5e-4),
    compare('Adagrad against the closed form (relative)', num(figures['adagradRelativeError']!), 'within 1e-4', figures['adagradRelativeError']! <= 1e-4),
  ];
  const xs = linspace(0, 650, 100);
  files.push(...await plot(options, 'pokemon-demo10', lineChart({
    title: 'The 10-point demo: CP after evolution against CP before', xTitle: 'cp', yTitle: 'cp_new',
    series: [
      { name: 'Pokémon (demo10)', x: demo.x.data, y: demo.y.data, mark: 'point' },
      { name: `least squares: y = ${b.toFixed(1)} + ${w.toFixed(3)} x`, x: xs, y: xs.map((v) => b + w * v) },
    ],
  })));
  // About 400 log-spaced iterations, up to where L - L* reaches the rounding noise of L.
  const its: number[] = [], excess: number[] = [];
  for (let k = 0, last = -1; k <= 400; k++) {
    const i = Math.round(losses.length ** (k / 400)) - 1;
    if (i <= last || i >= losses.length) continue;
    last = i;
    if (losses[i]! - best < 1e-12 * best) break;
    its.push(i + 1); excess.push(losses[i]! - best);
  }
  files.push(...await plot(options, 'pokemon-adagrad', lineChart({
    title: 'Adagrad on the demo: loss above the least-squares optimum', xTitle: 'iteration', yTitle: 'L(b, w) - L* (L = RSS / 2n)',
    xScale: 'log', yScale: 'log', series: [{ name: 'Adagrad, lr 1', x: its, y: excess }],
  })));

  // 2. Degrees 1-5 on a seeded split of the 75 rows.
  const all = loadPokemonCp(options.dataPath);
  const n = all.x.shape[0]!;
  const split = trainTestSplit(all.x, all.y, { testSize: n - trainRows, seed });
  log(`2. Polynomials in cp on ${n} rows, seeded split (seed ${seed}): ${trainRows} training rows, ${n - trainRows} test rows; RMSE`);
  const fit = (degree: number, l2 = 0) => {
    const poly = new PolynomialFeatures({ degree }).fit(split.xTrain);
    const model = new LinearRegression({ l2 }).fit(poly.transform(split.xTrain), split.yTrain);
    const predict = (x: Tensor) => model.predict(poly.transform(x)).data;
    return { train: rmse(predict(split.xTrain), split.yTrain.data), test: rmse(predict(split.xTest), split.yTest.data), predict };
  };
  const degrees = [1, 2, 3, 4, 5], rows: number[][] = [];
  const curves: { degree: number; y: ArrayLike<number> }[] = [];
  const xLine = linspace(0, Math.max(...all.x.data), 200);
  for (const d of degrees) {
    const r = fit(d);
    figures[`train${d}`] = r.train; figures[`test${d}`] = r.test;
    rows.push([d, r.train, r.test]);
    if (d === 1 || d === 2 || d === 5) curves.push({ degree: d, y: r.predict(column(xLine)) });
  }
  for (const line of table(['degree', 'train RMSE', 'test RMSE'], rows)) log(`   ${line}`);
  const trainFalls = degrees.every((d, i) => i === 0 || figures[`train${d}`]! <= figures[`train${degrees[i - 1]}`]! + 1e-9);
  const bestDegree = degrees.reduce((a, d) => (figures[`test${d}`]! < figures[`test${a}`]! ? d : a), 1);
  figures['bestDegree'] = bestDegree;
  log(`   the training error falls with the degree; the test error is lowest at degree ${bestDegree}`);
  comparisons.push(compare('degrees 1-5: training error', trainFalls ? 'falls' : 'does not fall', 'falls with the degree (nested models)', trainFalls));
  comparisons.push(compare('degrees 1-5: test error', `lowest at degree ${bestDegree}, ${num(figures['test5']!)} at 5`, 'rises past a middle degree (overfitting, Lee)', bestDegree < 5));

  // 3. Ridge on degree 5.
  log('3. Ridge on the degree-5 model (penalty lambda ||w||^2 on standardised monomials; intercept free)');
  const lambdas = [0, 0.01, 0.1, 1, 10], ridgeRows: number[][] = [];
  for (const l2 of lambdas) {
    const r = fit(5, l2);
    figures[`ridgeTest${l2}`] = r.test; figures[`ridgeTrain${l2}`] = r.train;
    ridgeRows.push([l2, r.train, r.test]);
  }
  for (const line of table(['lambda', 'train RMSE', 'test RMSE'], ridgeRows)) log(`   ${line}`);
  figures['bestRidgeTest'] = Math.min(...lambdas.filter((l) => l > 0).map((l) => figures[`ridgeTest${l}`]!));
  comparisons.push(compare('ridge on degree 5: best test RMSE', num(figures['bestRidgeTest']!), `below lambda = 0 (${num(figures['ridgeTest0']!)})`, figures['bestRidgeTest']! < figures['ridgeTest0']!));

  files.push(...await plot(options, 'pokemon-degrees', lineChart({
    title: `Training and test error against the degree (${trainRows} training rows)`, xTitle: 'degree', yTitle: 'RMSE (CP)', xIntegers: true,
    series: [
      { name: 'training', x: degrees, y: degrees.map((d) => figures[`train${d}`]!), mark: 'linePoint' },
      { name: 'test', x: degrees, y: degrees.map((d) => figures[`test${d}`]!), mark: 'linePoint' },
    ],
  })));
  files.push(...await plot(options, 'pokemon-fits', lineChart({
    title: 'Polynomial fits of degree 1, 2 and 5', xTitle: 'cp', yTitle: 'cp_new', yDomain: [0, Math.max(...all.y.data) * 1.15],
    series: [
      { name: 'training rows', x: split.xTrain.data, y: split.yTrain.data, mark: 'point' },
      { name: 'test rows', x: split.xTest.data, y: split.yTest.data, mark: 'point' },
      ...curves.map((c) => ({ name: `degree ${c.degree}`, x: xLine, y: c.y })),
    ],
  })));
  return { figures, comparisons, files };
}

export const pokemonCp = defineExample('pokemon-cp', runPokemonCp, OPTIONS);
