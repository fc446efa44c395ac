/**
 * Gaussian generative classifiers (CS229 notes 2; Hung-yi Lee's "Classification" lecture): each
 * class is a Gaussian with its own mean; the covariance is either shared by all classes (the
 * posterior is then a softmax of linear scores: linear boundaries, as in logistic regression) or
 * fitted per class (quadratic boundaries, more parameters). Bayes' rule with the class priors
 * gives the posterior.
 *
 * On iris, wine and breast cancer (WDBC), each split 70 / 30 with the classes' proportions kept
 * (seeded) and standardised with the training part's means and deviations, the example reports
 * the test accuracy of both variants beside logistic regression trained by gradient descent on
 * the same data: the generative model with a shared covariance and the discriminative one share
 * the form of their boundary but not how they fit it. It also draws the two boundaries on iris's
 * petal measurements.
 */
import { GaussianGenerativeClassifier } from '../classic/gaussian-generative-classifier.js';
import { LogisticRegression } from '../classic/logistic-regression.js';
import { loadBreastCancer, loadIris, loadWine } from '../data/classification-sets.js';
import { StandardScaler } from '../data/scalers.js';
import { trainTestSplit } from '../data/split.js';
import { barChart, grid, regionChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { TabularDataset } from '../data/tabular.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { compare, defineExample, logger, percent, plot, table } from './util.js';

/** Options of {@link runGaussianClassifier}. */
export interface GaussianClassifierOptions extends CommonOptions {
  /** Share of each data set held out for testing (default 0.3). */
  testSize?: number;
  /** Folders of the data sets (default: the embedded copies). */
  dataPaths?: { iris?: string; wine?: string; breastCancer?: string };
}

const MODELS = ['shared covariance', 'per-class covariance', 'logistic regression'] as const;

/** Test accuracies of the three models on one data set. */
function compareOn(data: TabularDataset, testSize: number, seed: number): number[] {
  const split = trainTestSplit(data.x, data.y, { testSize, seed, stratify: true });
  const scaler = new StandardScaler().fit(split.xTrain);
  const xTrain = scaler.transform(split.xTrain).cast('float64'), xTest = scaler.transform(split.xTest).cast('float64');
  const shared = new GaussianGenerativeClassifier({ covariance: 'shared' }).fit(xTrain, split.yTrain);
  const perClass = new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(xTrain, split.yTrain);
  const logistic = new LogisticRegression({ learningRate: 0.5, epochs: 2000 }).fit(xTrain, split.yTrain);
  return [shared.score(xTest, split.yTest), perClass.score(xTest, split.yTest), logistic.score(xTest, split.yTest)];
}

/**
 * Runs the example. Figures: `<set>Shared`, `<set>PerClass`, `<set>Logistic` (test accuracies,
 * set = iris | wine | breastCancer) and `<set>Test` (test-set sizes).
 */
export async function runGaussianClassifier(options: GaussianClassifierOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const seed = options.seed ?? 1, testSize = options.testSize ?? 0.3;
  const paths = options.dataPaths ?? {};
  const sets: [string, string, TabularDataset][] = [
    ['iris', 'iris', loadIris(paths.iris)],
    ['wine', 'wine', loadWine(paths.wine)],
    ['breastCancer', 'breast cancer', loadBreastCancer(paths.breastCancer)],
  ];
  const figures: Record<string, number> = {};
  const rows: (string | number)[][] = [];
  log(`Gaussian generative classifiers against logistic regression: test accuracy (stratified ${percent(1 - testSize, 0)} / ${percent(testSize, 0)} split, seed ${seed}, standardised)`);
  for (const [key, label, data] of sets) {
    const [shared, perClass, logistic] = compareOn(data, testSize, seed) as [number, number, number];
    figures[`${key}Shared`] = shared; figures[`${key}PerClass`] = perClass; figures[`${key}Logistic`] = logistic;
    figures[`${key}Test`] = Math.ceil(testSize * data.x.shape[0]!);
    rows.push([`${label} (${data.x.shape[0]} x ${data.x.shape[1]}, ${new Set(data.y.data).size} classes)`, percent(shared, 1), percent(perClass, 1), percent(logistic, 1)]);
  }
  for (const line of table(['data set', ...MODELS], rows)) log(`  ${line}`);
  const best = sets.map(([key]) => Math.max(figures[`${key}Shared`]!, figures[`${key}PerClass`]!, figures[`${key}Logistic`]!));
  const comparisons = sets.map(([, label], i) => compare(`${label}: best test accuracy`, percent(best[i]!, 1), 'above 90%', best[i]! > 0.9));

  const files: string[] = [];
  files.push(...await plot(options, 'gaussian-classifier-accuracy', barChart({
    title: 'Test accuracy: generative (Gaussian) against discriminative (logistic)', yTitle: 'test accuracy',
    categories: sets.map(([, label]) => label), yDomain: [0.8, 1],
    series: MODELS.map((m, j) => ({ name: m, values: sets.map(([key]) => figures[`${key}${['Shared', 'PerClass', 'Logistic'][j]}`]!) })),
  })));
  // The two boundaries on iris's petal length and width (cm), fitted on all 150 flowers.
  const iris = sets[0]![2];
  const petals = new Tensor(Float64Array.from({ length: 300 }, (_, k) => iris.x.data[Math.floor(k / 2) * 4 + 2 + (k % 2)]!), [150, 2]);
  const g = grid([0.5, 7.5], [-0.2, 2.8], 280, 120);
  const at = new Tensor(g.points, [g.nx * g.ny, 2]);
  for (const covariance of ['shared', 'perClass'] as const) {
    const model = new GaussianGenerativeClassifier({ covariance }).fit(petals, iris.y);
    files.push(...await plot(options, `gaussian-classifier-iris-${covariance === 'shared' ? 'shared' : 'per-class'}`, regionChart({
      title: `Iris petals: ${covariance === 'shared' ? 'shared covariance (linear boundaries)' : 'per-class covariance (quadratic boundaries)'}`,
      xTitle: 'petal length (cm)', yTitle: 'petal width (cm)', classes: ['setosa', 'versicolor', 'virginica'], legendTitle: 'species',
      grid: g, regions: model.predict(at).data, width: 560, height: 240,
      points: { x: petals.data.filter((_, k) => k % 2 === 0), y: petals.data.filter((_, k) => k % 2 === 1), label: iris.y.data },
    })));
  }
  return { figures, comparisons, files };
}

export const gaussianClassifier = defineExample('gaussian-classifier', runGaussianClassifier);
