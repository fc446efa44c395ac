/**
 * Locally weighted linear regression (CS229 lecture notes 1, section 4) on a real 1-D problem:
 * disease progression after one year against body-mass index, from the diabetes data of Efron,
 * Hastie, Johnstone & Tibshirani (2004), 442 patients.
 *
 * For each query BMI x, a line is fitted by least squares with weights
 * c_i = exp(-(x_i - x)^2 / (2 tau^2)) and evaluated at x. A small bandwidth tau follows the data
 * closely (and its noise); a large one tends to the ordinary least-squares line. The example
 * draws the curves for several tau and scores each by leave-one-out cross-validation (each
 * patient predicted from the other 441), beside ordinary least squares.
 */
import { LinearRegression } from '../classic/linear-regression.js';
import { LocallyWeightedRegression } from '../classic/locally-weighted-regression.js';
import { loadDiabetes } from '../data/regression-sets.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { column, compare, defineExample, linspace, logger, num, plot, table } from './util.js';

/** Options of {@link runLwr}. */
export interface LwrOptions extends CommonOptions {
  /** The bandwidths, in BMI units (kg/m^2). Default 0.5, 1, 2, 5, 20. */
  taus?: readonly number[];
  /** The folder of the diabetes files (default: the embedded copy). */
  dataPath?: string;
}

/** Root-mean-square leave-one-out error of `predictOne(training x, training y, query)`. */
function leaveOneOut(x: Float64Array, y: Float64Array, predictOne: (xs: Tensor, ys: Tensor, q: number) => number): number {
  const n = x.length;
  let s = 0;
  const xs = new Float64Array(n - 1), ys = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0, k = 0; j < n; j++) if (j !== i) { xs[k] = x[j]!; ys[k] = y[j]!; k++; }
    s += (predictOne(new Tensor(xs, [n - 1, 1]), new Tensor(ys, [n - 1]), x[i]!) - y[i]!) ** 2;
  }
  return Math.sqrt(s / n);
}

/**
 * Runs the example. Figures: `looOls` (leave-one-out RMSE of the least-squares line),
 * `loo<tau>` for each tau, `bestTau`, and `trainRmse<tau>` (error on the points themselves).
 */
export async function runLwr(options: LwrOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const taus = options.taus ?? [0.5, 1, 2, 5, 20];
  const data = loadDiabetes(options.dataPath);
  const n = data.x.shape[0]!, p = data.x.shape[1]!, bmiColumn = data.featureNames.indexOf('bmi');
  const bmi = Float64Array.from({ length: n }, (_, i) => data.x.data[i * p + bmiColumn]!);
  const y = Float64Array.from(data.y.data);
  const x = column(bmi), target = new Tensor(y, [n]);
  const figures: Record<string, number> = {};
  log(`Locally weighted regression: diabetes progression against BMI (${n} patients), weights exp(-(x_i - x)^2 / (2 tau^2))`);

  const ols = new LinearRegression().fit(x, target);
  figures['looOls'] = leaveOneOut(bmi, y, (xs, ys, q) => new LinearRegression().fit(xs, ys).predict(column([q])).data[0]!);
  const rows: (string | number)[][] = [['least squares', Math.sqrt(ols.noiseVariance), figures['looOls']!]];
  const lo = Math.min(...bmi), hi = Math.max(...bmi), xs = linspace(lo, hi, 200);
  const curves: { tau: number; y: Float64Array }[] = [];
  for (const tau of taus) {
    const model = new LocallyWeightedRegression({ tau }).fit(x, target);
    const fitted = model.predict(x).data;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (fitted[i]! - y[i]!) ** 2;
    figures[`trainRmse${tau}`] = Math.sqrt(ss / n);
    figures[`loo${tau}`] = leaveOneOut(bmi, y, (xt, yt, q) => new LocallyWeightedRegression({ tau }).fit(xt, yt).predict(column([q])).data[0]!);
    rows.push([`LWR tau = ${tau}`, figures[`trainRmse${tau}`]!, figures[`loo${tau}`]!]);
    curves.push({ tau, y: Float64Array.from(model.predict(column(xs)).data) });
  }
  for (const line of table(['model', 'RMSE on the data', 'leave-one-out RMSE'], rows)) log(`  ${line}`);
  const bestTau = taus.reduce((a, t) => (figures[`loo${t}`]! < figures[`loo${a}`]! ? t : a), taus[0]!);
  figures['bestTau'] = bestTau;
  log(`  smallest leave-one-out error at tau = ${bestTau} (${num(figures[`loo${bestTau}`]!)}); least squares ${num(figures['looOls']!)}`);
  const smallest = Math.min(...taus), largest = Math.max(...taus);
  const comparisons = [
    compare('smallest tau: error on the data vs held out', `${num(figures[`trainRmse${smallest}`]!)} vs ${num(figures[`loo${smallest}`]!)}`,
      'fits the data, not new points (overfits)', figures[`trainRmse${smallest}`]! < figures[`loo${smallest}`]!),
    compare(`largest tau (${largest}) against least squares (leave-one-out)`, `${num(figures[`loo${largest}`]!)} vs ${num(figures['looOls']!)}`,
      'tends to the least-squares line', Math.abs(figures[`loo${largest}`]! - figures['looOls']!) / figures['looOls']! < 0.02),
  ];
  const files = await plot(options, 'lwr', lineChart({
    title: 'Locally weighted regression: diabetes progression against BMI', xTitle: 'body-mass index (kg/m^2)', yTitle: 'progression after one year',
    series: [
      { name: 'patients', x: bmi, y, mark: 'point', color: '#b0b0b0' },
      ...curves.map((c) => ({ name: `tau = ${c.tau}`, x: xs, y: c.y })),
      { name: 'least squares', x: xs, y: ols.predict(column(xs)).data, dashed: true },
    ],
  }));
  return { figures, comparisons, files };
}

export const lwr = defineExample('lwr', runLwr);
