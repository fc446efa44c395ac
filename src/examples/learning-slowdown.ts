/**
 * M. Nielsen, "Neural Networks and Deep Learning", chapter 3, "The learning slowdown": one sigmoid
 * neuron with one input, taught to turn the input 1 into the output 0 by gradient descent.
 *
 * With the quadratic cost C = (y - a)^2 / 2 the gradients carry the factor sigma'(z) (Nielsen eq.
 * 55-56): dC/dw = (a - y) sigma'(z) x, dC/db = (a - y) sigma'(z). With the cross-entropy
 * C = -[y ln a + (1 - y) ln(1 - a)] (eq. 57) it cancels (eq. 61-62): dC/dw = x (a - y), dC/db = a - y.
 * From w = 0.6, b = 0.9 (output 0.82) both costs learn quickly; from w = 2, b = 2 (output 0.98,
 * sigma'(z) = 0.018) the quadratic cost barely moves for its first ~150 epochs, the cross-entropy
 * does not slow down. The book runs 300 epochs at eta = 0.15 for the quadratic cost (and draws its
 * cross-entropy pictures at eta = 0.005); here both costs use the same eta (0.15 by default), so the
 * only difference between the curves is the cost.
 *
 * Each run is a nabla model: `Dense({ units: 1, activation: 'sigmoid' })` in float64 with its weight
 * and bias set, the 'quadratic' or 'binaryCrossentropy' loss, SGD on the single example.
 */
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { constant } from '../nn/initializers.js';
import { SGD } from '../optim/sgd.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, defineExample, logger, num, plot, table } from './util.js';

/** The options of {@link runLearningSlowdown}: defaults and flags; the one statement of each. */
const OPTIONS = {
  epochs: { description: 'epochs', default: 300 },
  learningRate: { description: 'eta of both costs', kind: 'positiveNumber', valueName: 'eta', default: 0.15 },
} satisfies ExampleOptions;

/** Options of {@link runLearningSlowdown}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface LearningSlowdownOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {}

/** The book's starting points: (w, b) = (0.6, 0.9) and (2, 2). */
export const SLOWDOWN_STARTS: readonly { w: number; b: number }[] = [{ w: 0.6, b: 0.9 }, { w: 2, b: 2 }];

/** The neuron's output a = sigma(w x + b) after each epoch (index 0: before training), for one cost. */
export async function trainNeuron(cost: 'quadratic' | 'binaryCrossentropy', w: number, b: number, epochs: number, eta: number): Promise<number[]> {
  const model = new Sequential([new Dense({
    units: 1, activation: 'sigmoid', inputShape: [1], dtype: 'float64', kernelInitializer: constant(w), biasInitializer: constant(b),
  })], { seed: 1, name: 'neuron' });
  model.compile({ optimizer: new SGD({ learningRate: eta }), loss: cost });
  const x = new Tensor(Float64Array.of(1), [1, 1]), y = new Tensor(Float64Array.of(0), [1, 1]);
  const outputs = [model.predict(x).data[0]!];
  for (let e = 0; e < epochs; e++) { model.trainStep(x, y); outputs.push(model.predict(x).data[0]!); }
  model.dispose();
  return outputs;
}

/** Nielsen's costs of the output a for the target 0: quadratic a^2 / 2, cross-entropy -ln(1 - a). */
export function slowdownCost(cost: 'quadratic' | 'binaryCrossentropy', a: number): number {
  return cost === 'quadratic' ? (a * a) / 2 : -Math.log(1 - a);
}

/**
 * Runs the example. Figures, for each start s (0: w = 0.6, b = 0.9; 1: w = 2, b = 2) and cost
 * (`quadratic`, `crossEntropy`): `<cost><s>Output0`, `<cost><s>Output150`, `<cost><s>OutputEnd`
 * (the neuron's output before, after 150 epochs and at the end), and `<cost><s>Drop150`, the share of
 * the cost's total fall that happened in the first 150 epochs.
 */
export async function runLearningSlowdown(options: LearningSlowdownOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const { epochs, learningRate: eta } = resolveOptions(OPTIONS, options);
  const mid = Math.min(150, epochs);
  log(`Nielsen ch. 3: one sigmoid neuron, input 1 -> target 0, eta = ${eta}, ${epochs} epochs`);
  const figures: Record<string, number> = { epochs, learningRate: eta };
  const rows: (string | number)[][] = [];
  const series = [];
  for (const [s, start] of SLOWDOWN_STARTS.entries()) {
    for (const cost of ['quadratic', 'binaryCrossentropy'] as const) {
      const key = cost === 'quadratic' ? 'quadratic' : 'crossEntropy';
      const out = await trainNeuron(cost, start.w, start.b, epochs, eta);
      const c = out.map((a) => slowdownCost(cost, a));
      const drop = (c[0]! - c[mid]!) / (c[0]! - c.at(-1)!);
      Object.assign(figures, { [`${key}${s}Output0`]: out[0]!, [`${key}${s}Output150`]: out[mid]!, [`${key}${s}OutputEnd`]: out.at(-1)!, [`${key}${s}Drop150`]: drop });
      rows.push([`w=${start.w}, b=${start.b}`, key === 'quadratic' ? 'quadratic' : 'cross-entropy', out[0]!, out[mid]!, out.at(-1)!, `${(100 * drop).toFixed(1)}%`]);
      series.push({ name: `${key === 'quadratic' ? 'quadratic' : 'cross-entropy'}, w=${start.w}, b=${start.b}`, x: out.map((_, k) => k), y: out, dashed: s === 1 });
    }
  }
  for (const line of table(['start', 'cost', 'output 0', `output ${mid}`, `output ${epochs}`, `cost fall in first ${mid}`], rows)) log(`  ${line}`);
  const comparisons = [
    compare('initial outputs', `${num(figures['quadratic0Output0']!, 2)}, ${num(figures['quadratic1Output0']!, 2)}`, '0.82 and 0.98 (Nielsen ch. 3)',
      Math.abs(figures['quadratic0Output0']! - 0.82) < 0.005 && Math.abs(figures['quadratic1Output0']! - 0.98) < 0.005),
    compare('quadratic, w=0.6 b=0.9: output after 300 epochs', num(figures['quadratic0OutputEnd']!, 2), 'about 0.09 (Nielsen ch. 3)',
      epochs === 300 && eta === 0.15 && Math.abs(figures['quadratic0OutputEnd']! - 0.09) < 0.01),
    compare('quadratic, w=2 b=2: output after 300 epochs', num(figures['quadratic1OutputEnd']!, 2), 'about 0.20 (Nielsen ch. 3, the last frame of the figure)',
      epochs === 300 && eta === 0.15 && Math.abs(figures['quadratic1OutputEnd']! - 0.20) < 0.01),
    compare('quadratic, w=2 b=2: share of the cost\'s fall in the first 150 epochs', `${(100 * figures['quadratic1Drop150']!).toFixed(1)}%`,
      'a slow start: "learning starts out much more slowly", well under half (Nielsen ch. 3)', figures['quadratic1Drop150']! < 0.5),
    compare('cross-entropy, w=2 b=2: share in the first 150 epochs', `${(100 * figures['crossEntropy1Drop150']!).toFixed(1)}%`,
      'no slowdown: most of the fall early (eq. 61-62, no sigma\'(z) factor)', figures['crossEntropy1Drop150']! > 0.5),
  ];
  const files = await plot(options, 'learning-slowdown', lineChart({
    title: 'Nielsen ch. 3: one sigmoid neuron learning 1 -> 0', xTitle: 'epoch', yTitle: 'output a = sigma(w + b)', yDomain: [0, 1], series,
  }));
  return { figures, comparisons, files };
}

export const learningSlowdown = defineExample('learning-slowdown', runLearningSlowdown, OPTIONS);
