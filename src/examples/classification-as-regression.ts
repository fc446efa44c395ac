/**
 * `nabla example classification-as-regression`: Hung-yi Lee's ML lecture "Classification"
 * (NTU, 2017), the slide "Classification as Regression?". Train least squares on targets +1 / -1
 * and classify by the sign of w . x + b: points far on the correct side of class +1 have
 * w . x + b >> 1, which least squares penalises as error, so it tilts and shifts the boundary
 * toward them ("penalize the examples that are too correct") and misclassifies points of the
 * other class. The ideal loss is the 0/1 loss (the number of errors). Logistic regression and
 * the perceptron, whose losses do not grow for points on the correct side beyond the margin, are
 * not pulled. The Gaussian generative classifier with a shared covariance (the lecture's next
 * part) is: for two classes its boundary has the direction of least squares' (Fisher's
 * discriminant; Bishop 2006, "Pattern Recognition and Machine Learning", §4.1.5), and here the
 * far group moves class +1's mean and inflates the shared covariance, so its line lies on least
 * squares' (the example checks the two directions agree).
 *
 * Data (seeded Rng): class +1 ~ N((1, 1), 0.6^2 I), class -1 ~ N((-1, -1), 0.6^2 I), and a group
 * of `far` points of class +1 around (7, 3), far on class +1's side. Each classifier is fitted
 * on all the points; the report gives each one's 0/1 loss (fraction misclassified) and errors,
 * and least squares fitted without the far group for contrast; one plot shows the points and
 * the five boundaries.
 */
import { GaussianGenerativeClassifier } from '../classic/gaussian-generative-classifier.js';
import { LinearRegression } from '../classic/linear-regression.js';
import { LogisticRegression } from '../classic/logistic-regression.js';
import { Perceptron } from '../classic/perceptron.js';
import { lineChart, type Series } from '../plots/charts.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { zeroOneLoss } from '../train/metrics.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, defineExample, logger, plot, table } from './util.js';

/** The options of {@link runClassificationAsRegression}: defaults and flags; the one statement of each. */
const OPTIONS = {
  far: { description: 'points in the far-away group of class +1', default: 20 },
  perClass: { description: 'points per Gaussian cluster', kind: 'library', default: 50 },
} satisfies ExampleOptions;

/** Options of {@link runClassificationAsRegression}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface ClassificationAsRegressionOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {}

/** A line w . x + b = 0 in the plane. */
interface Boundary { name: string; w: [number, number]; b: number; dashed?: boolean }

/** The two-class data: x [n, 2], labels -1/+1, and which points are the far group. */
export function makeClassificationData(seed: number, perClass: number, far: number): { x: Tensor; y: Float64Array; isFar: boolean[] } {
  const rng = Rng.derive(seed, 'classification-as-regression');
  const rows: [number, number, number, boolean][] = [];
  for (let i = 0; i < perClass; i++) rows.push([1 + 0.6 * rng.normal(), 1 + 0.6 * rng.normal(), 1, false]);
  for (let i = 0; i < perClass; i++) rows.push([-1 + 0.6 * rng.normal(), -1 + 0.6 * rng.normal(), -1, false]);
  for (let i = 0; i < far; i++) rows.push([7 + 0.5 * rng.normal(), 3 + 0.5 * rng.normal(), 1, true]);
  return {
    x: new Tensor(Float64Array.from(rows.flatMap((r) => [r[0], r[1]])), [rows.length, 2]),
    y: Float64Array.from(rows, (r) => r[2]),
    isFar: rows.map((r) => r[3]),
  };
}

const sign = (v: number): number => (v >= 0 ? 1 : -1);
const labelsOf = (x: Tensor, bd: Boundary) => Float64Array.from({ length: x.shape[0]! }, (_, i) => sign(bd.w[0] * x.data[2 * i]! + bd.w[1] * x.data[2 * i + 1]! + bd.b));

/** The five boundaries: least squares (with and without the far group), logistic regression, the perceptron, the generative classifier. */
function fitAll(x: Tensor, y: Float64Array, isFar: boolean[], seed: number): Boundary[] {
  const yt = new Tensor(y, [y.length]);
  const ls = new LinearRegression().fit(x, yt);
  const near = isFar.flatMap((f, i) => (f ? [] : [i]));
  const xNear = new Tensor(Float64Array.from(near.flatMap((i) => [x.data[2 * i]!, x.data[2 * i + 1]!])), [near.length, 2]);
  const lsNear = new LinearRegression().fit(xNear, new Tensor(Float64Array.from(near, (i) => y[i]!), [near.length]));
  const logistic = new LogisticRegression({ learningRate: 0.1, epochs: 5000 }).fit(x, yt);
  const perceptron = new Perceptron({ seed }).fit(x, yt);
  const generative = new GaussianGenerativeClassifier().fit(x, yt).linearScores();
  const gw = generative.weights.data, gb = generative.biases.data; // rows: class -1, class +1
  const line = (name: string, w: ArrayLike<number>, b: number, dashed = false): Boundary => ({ name, w: [w[0]!, w[1]!], b, dashed });
  return [
    line('least squares on +1/-1', ls.coefficients.data, ls.intercept),
    line('least squares without the far points', lsNear.coefficients.data, lsNear.intercept, true),
    line('logistic regression', logistic.weights.data, logistic.biases.data[0]!),
    line('perceptron', perceptron.weights.data, perceptron.bias),
    line('Gaussian generative (shared covariance)', [gw[2]! - gw[0]!, gw[3]! - gw[1]!], gb[1]! - gb[0]!, true),
  ];
}

/**
 * Runs the example. Figures: `<key>ZeroOne` (fraction misclassified of all the points) and
 * `<key>Errors` for key leastSquares, leastSquaresNear (fitted without the far group, judged on
 * all points), logistic, perceptron, generative; `generativeAngle` (radians between the
 * generative and least-squares boundaries); `points`.
 */
export async function runClassificationAsRegression(options: ClassificationAsRegressionOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const { perClass, far, seed = 1 } = resolveOptions(OPTIONS, options);
  const { x, y, isFar } = makeClassificationData(seed, perClass, far);
  const n = y.length;
  log(`Classification as regression (Hung-yi Lee): ${perClass} + ${perClass} points in two Gaussian clusters, ` +
    `${far} more of class +1 far away around (7, 3); targets +1 / -1; seed ${seed}`);
  const boundaries = fitAll(x, y, isFar, seed);
  const keys = ['leastSquares', 'leastSquaresNear', 'logistic', 'perceptron', 'generative'];
  const figures: Record<string, number> = { points: n };
  const rows: (string | number)[][] = [];
  boundaries.forEach((bd, j) => {
    const predicted = labelsOf(x, bd);
    const loss = zeroOneLoss(predicted, y), errors = zeroOneLoss(predicted, y, { normalize: false });
    figures[`${keys[j]}ZeroOne`] = loss;
    figures[`${keys[j]}Errors`] = errors;
    rows.push([bd.name, `${bd.w[0].toFixed(3)} x1 + ${bd.w[1].toFixed(3)} x2 + ${bd.b.toFixed(3)}`, errors, loss.toFixed(3)]);
  });
  const [a, g] = [boundaries[0]!.w, boundaries[4]!.w];
  figures['generativeAngle'] = Math.acos(Math.min(1, Math.abs(a[0] * g[0] + a[1] * g[1]) / Math.hypot(...a) / Math.hypot(...g)));
  log('');
  for (const line of table(['classifier', 'boundary = 0', 'errors', '0/1 loss'], rows)) log(`  ${line}`);

  const comparisons = [
    compare('least squares is pulled by the far points', `${figures['leastSquaresErrors']} errors (${figures['leastSquaresNearErrors']} when fitted without them)`,
      'more errors than without the far points (Hung-yi Lee, "Classification as Regression?")', figures['leastSquaresErrors']! > figures['leastSquaresNearErrors']!),
    compare('logistic regression is not', `${figures['logisticErrors']} errors`, 'fewer errors than least squares', figures['logisticErrors']! < figures['leastSquaresErrors']!),
    compare('Gaussian generative (shared covariance) boundary direction', `${(figures['generativeAngle']! * 180 / Math.PI).toExponential(1)} degrees from least squares'`,
      'the same direction (Bishop 2006, §4.1.5)', figures['generativeAngle']! < 1e-6),
    compare('perceptron on separable data', `${figures['perceptronErrors']} errors`, '0 (Novikoff 1962; the clusters are separable here)', figures['perceptronErrors'] === 0),
  ];

  const xs = (pick: (i: number) => boolean) => {
    const idx = Array.from({ length: n }, (_, i) => i).filter(pick);
    return { x: idx.map((i) => x.data[2 * i]!), y: idx.map((i) => x.data[2 * i + 1]!) };
  };
  const domain: [number, number] = [-4, 10];
  const series: Series[] = [
    { name: 'class +1', mark: 'point', ...xs((i) => y[i] === 1 && !isFar[i]), color: '#1f77b4' },
    { name: 'class +1, far away', mark: 'point', ...xs((i) => isFar[i]!), color: '#17becf' },
    { name: 'class -1', mark: 'point', ...xs((i) => y[i] === -1), color: '#d62728' },
    ...boundaries.map((bd, j): Series => {
      const x1 = [domain[0], domain[1]], vertical = Math.abs(bd.w[1]) < 1e-12;
      return {
        name: `${bd.name} (${figures[`${keys[j]}Errors`]} error${figures[`${keys[j]}Errors`] === 1 ? '' : 's'})`, color: ['#000000', '#7f7f7f', '#2ca02c', '#e6550d', '#756bb1'][j], dashed: bd.dashed,
        x: vertical ? [-bd.b / bd.w[0], -bd.b / bd.w[0]] : x1, y: vertical ? domain : x1.map((v) => -(bd.w[0] * v + bd.b) / bd.w[1]),
      };
    }),
  ];
  const files = await plot(options, 'classification-as-regression', lineChart({
    title: 'Decision boundaries: least squares on +1/-1 is pulled toward the far points', xTitle: 'x1', yTitle: 'x2',
    xDomain: domain, yDomain: [-4, 7], width: 560, height: 400, series,
  }));
  return { figures, comparisons, files };
}

export const classificationAsRegression = defineExample('classification-as-regression', runClassificationAsRegression, OPTIONS);
