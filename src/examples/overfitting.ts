/**
 * M. Nielsen, "Neural Networks and Deep Learning", chapter 3, "Overfitting and regularization": the
 * 784-30-10 sigmoid network trained on only the first 1,000 MNIST training images, with the
 * cross-entropy cost, eta = 0.5, mini-batches of 10 and the large N(0, 1) initial weights
 * (network2.py's `large_weight_initializer`), 400 epochs in the book.
 *
 * - Without regularisation the training cost keeps falling while the test accuracy stops rising
 *   near 82% (the book: 82.27%): the network memorises the 1,000 images.
 * - With L2 regularisation, C = C_0 + (lambda / 2n) sum_w w^2 (Nielsen eq. 85-87), lambda = 0.1 and
 *   n = 1,000, the book's test accuracy rises to about 87%. In nabla that is
 *   `kernelRegularizer: l2(lambda / (2 n))` (Keras adds lambda' sum w^2; the update is eq. 93's
 *   weight decay w -> (1 - eta lambda / n) w - eta dC_0/dw).
 * - With dropout (Srivastava et al. 2014): half of the hidden neurons dropped at each step
 *   (`new Dropout({ rate: 0.5 })`, inverted dropout, so inference is the plain network). The book
 *   runs dropout on the full training set only; here it is a third curve on the same 1,000 images.
 *
 * Nielsen's cross-entropy (eq. 63) sums over the 10 output neurons; Keras's binary cross-entropy
 * averages over them. With `reduction: 'sum'` the batch's loss is the sum over its 10 samples of
 * the mean over 10 outputs, which is exactly the batch mean of Nielsen's cost when batches hold 10
 * samples (1,000 = 100 x 10), so eta = 0.5 and lambda are the book's unchanged.
 *
 * The training cost after each epoch is Nielsen's `total_cost` (eq. 63 averaged over the 1,000
 * images, plus the L2 term for the L2 run), computed from the model's predictions.
 */
import { loadMnist } from '../data/mnist.js';
import { oneHot } from '../data/onehot.js';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import { randomNormal } from '../nn/initializers.js';
import { l2 } from '../nn/regularizers.js';
import { SGD } from '../optim/sgd.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { argmaxRows, compare, defineExample, logger, num, percent, plot } from './util.js';

/** The options of {@link runOverfitting}: defaults, short-run values, flags; the one statement of each. */
const OPTIONS = {
  epochs: { description: 'epochs of each run', default: 400, quick: 10 },
  testSize: { description: 'test images scored after each epoch', default: 10_000, quick: 1000 },
} satisfies ExampleOptions;

/** Options of {@link runOverfitting}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface OverfittingOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {
  /** The MNIST folder (default: the embedded copy). */
  dataPath?: string;
}

/** The book's figures: unregularised best test accuracy 82.27%, with L2 (lambda = 0.1) about 87.1%. */
export const OVERFITTING_PUBLISHED = { none: 0.8227, l2: 0.871 } as const;

type Variant = 'none' | 'l2' | 'dropout';
const LAMBDA = 0.1, N_TRAIN = 1000, ETA = 0.5;

function network(variant: Variant, seed: number): Sequential {
  const init = () => ({ kernelInitializer: randomNormal(), biasInitializer: randomNormal() });
  const reg = variant === 'l2' ? { kernelRegularizer: l2(LAMBDA / (2 * N_TRAIN)) } : {};
  return new Sequential([
    new Dense({ units: 30, activation: 'sigmoid', inputShape: [784], ...init(), ...reg }),
    ...(variant === 'dropout' ? [new Dropout({ rate: 0.5 })] : []),
    new Dense({ units: 10, activation: 'sigmoid', ...init(), ...reg }),
  ], { seed, name: `overfitting-${variant}` });
}

/** Nielsen's cross-entropy (eq. 63) of predictions `a` [n, 10] against one-hot `y`, averaged over n. */
export function nielsenCrossEntropy(a: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const p = Math.min(Math.max(a[i]!, 1e-12), 1 - 1e-12);
    s -= y[i]! * Math.log(p) + (1 - y[i]!) * Math.log(1 - p);
  }
  return s / n;
}

/** The sum of the squares of every entry of the tensors (the kernels, for the L2 term). */
function sumOfSquares(tensors: readonly Tensor[]): number {
  let s = 0;
  for (const t of tensors) for (let i = 0; i < t.data.length; i++) s += t.data[i]! * t.data[i]!;
  return s;
}

/**
 * Runs the example. Figures, for each run `none`, `l2`, `dropout`: `<run>BestAccuracy`,
 * `<run>BestEpoch` (0-based), `<run>FinalAccuracy`, `<run>FinalTrainAccuracy` and `<run>FinalCost`;
 * also `epochs` and `testSize`.
 */
export async function runOverfitting(options: OverfittingOptions = {}): Promise<ExampleResult> {
  const o = resolveOptions(OPTIONS, options), log = logger(o), seed = o.seed ?? 1, epochs = o.epochs;
  const mnist = loadMnist(o.dataPath);
  const nTest = Math.min(o.testSize, mnist.test.images.shape[0]!);
  const xTrain = new Tensor(mnist.train.images.data.subarray(0, N_TRAIN * 784), [N_TRAIN, 784]);
  const trainLabels = mnist.train.labels.data.subarray(0, N_TRAIN);
  const yTrain = oneHot(new Tensor(trainLabels, [N_TRAIN]), 10);
  const xTest = new Tensor(mnist.test.images.data.subarray(0, nTest * 784), [nTest, 784]);
  const testLabels = mnist.test.labels.data;
  const accuracy = (model: Sequential, x: Tensor, labels: ArrayLike<number>, n: number) => {
    const p = argmaxRows(model.predict(x, { batchSize: 1000 }).data, 10);
    let ok = 0;
    for (let i = 0; i < n; i++) if (p[i] === labels[i]) ok++;
    return ok / n;
  };
  log(`Nielsen ch. 3: 784-30-10 sigmoid, N(0,1) weights, cross-entropy, eta = ${ETA}, mini-batches of 10, ${epochs} epochs ` +
    `on the first ${N_TRAIN} training images; test accuracy on ${nTest.toLocaleString('en-US')} test images`);
  const figures: Record<string, number> = { epochs, testSize: nTest };
  const curves: Record<Variant, { cost: number[]; acc: number[] }> = { none: { cost: [], acc: [] }, l2: { cost: [], acc: [] }, dropout: { cost: [], acc: [] } };
  for (const variant of ['none', 'l2', 'dropout'] as const) {
    const model = network(variant, seed), started = Date.now();
    model.compile({ optimizer: new SGD({ learningRate: ETA }), loss: { name: 'binaryCrossentropy', reduction: 'sum' } });
    const c = curves[variant];
    await model.fit(xTrain, yTrain, {
      epochs, batchSize: 10, shuffle: true, seed,
      callbacks: [{
        onEpochEnd: () => {
          let cost = nielsenCrossEntropy(model.predict(xTrain, { batchSize: 1000 }).data, yTrain.data, N_TRAIN);
          if (variant === 'l2') cost += sumOfSquares(model.getWeights().filter((_, i) => i % 2 === 0)) * LAMBDA / (2 * N_TRAIN);
          c.cost.push(cost); c.acc.push(accuracy(model, xTest, testLabels, nTest));
        },
      }],
    });
    const best = Math.max(...c.acc);
    Object.assign(figures, {
      [`${variant}BestAccuracy`]: best, [`${variant}BestEpoch`]: c.acc.indexOf(best), [`${variant}FinalAccuracy`]: c.acc.at(-1)!,
      [`${variant}FinalTrainAccuracy`]: accuracy(model, xTrain, trainLabels, N_TRAIN), [`${variant}FinalCost`]: c.cost.at(-1)!,
    });
    log(`  ${variant.padEnd(8)} best test ${percent(best)} (epoch ${c.acc.indexOf(best)}), last ${percent(c.acc.at(-1)!)}, ` +
      `training accuracy ${percent(figures[`${variant}FinalTrainAccuracy`]!)}, training cost ${num(c.cost.at(-1)!)} ` +
      `(${((Date.now() - started) / 1000).toFixed(0)} s)`);
    model.dispose();
  }
  const full = epochs >= 400 && nTest === 10_000, tag = full ? '' : ` (shortened: ${epochs} epochs, ${nTest} test images)`;
  const comparisons = [
    compare(`no regularisation: best test accuracy${tag}`, percent(figures['noneBestAccuracy']!), `${percent(OVERFITTING_PUBLISHED.none)} (Nielsen ch. 3); within 2 points`,
      full && Math.abs(figures['noneBestAccuracy']! - OVERFITTING_PUBLISHED.none) <= 0.02),
    compare(`L2, lambda = 0.1: best test accuracy${tag}`, percent(figures['l2BestAccuracy']!), `about ${percent(OVERFITTING_PUBLISHED.l2, 1)} (Nielsen ch. 3); above the unregularised run`,
      full && figures['l2BestAccuracy']! > figures['noneBestAccuracy']!),
    compare(`dropout 0.5: best test accuracy${tag}`, percent(figures['dropoutBestAccuracy']!), 'above the unregularised run (no published figure on 1,000 images)',
      full && figures['dropoutBestAccuracy']! > figures['noneBestAccuracy']!),
  ];
  const x = Array.from({ length: epochs }, (_, k) => k);
  const names: Record<Variant, string> = { none: 'no regularisation', l2: 'L2, lambda = 0.1', dropout: 'dropout 0.5' };
  const variants = ['none', 'l2', 'dropout'] as const;
  const files = [
    ...await plot(options, 'overfitting-cost', lineChart({
      title: 'Nielsen ch. 3: training cost, 1,000 MNIST images', xTitle: 'epoch', yTitle: 'training cost (eq. 63, + L2 term)', yScale: 'log', xIntegers: true,
      series: variants.map((v) => ({ name: names[v], x, y: curves[v].cost })),
    })),
    ...await plot(options, 'overfitting-accuracy', lineChart({
      title: 'Nielsen ch. 3: test accuracy after each epoch', xTitle: 'epoch', yTitle: `test accuracy (${nTest.toLocaleString('en-US')} images)`, xIntegers: true,
      series: [
        ...variants.map((v) => ({ name: names[v], x, y: curves[v].acc })),
        { name: `the book, no regularisation (${percent(OVERFITTING_PUBLISHED.none)})`, x: [0, Math.max(1, epochs - 1)], y: [OVERFITTING_PUBLISHED.none, OVERFITTING_PUBLISHED.none], dashed: true, color: '#636363' },
      ],
    })),
  ];
  return { figures, comparisons, files };
}

export const overfitting = defineExample('overfitting', runOverfitting, OPTIONS);
