/**
 * Runge's function f(x) = 1 / (1 + 25 x^2) on [-1, 1]: a small tanh network learns it, while
 * polynomial interpolation at equispaced nodes gets worse as the degree grows (C. Runge, 1901; the
 * exercise in Hung-yi Lee's course and the approximation chapter of the course notes).
 *
 * - The network: 1-20-20-1, tanh hidden layers, linear output, float64, trained with Adam
 *   (learning rate 0.005 with cosine decay to 1%) on mean squared error over 201 equispaced
 *   points, mini-batches of 32, 3000 epochs. Its error is measured on 1001 equispaced points.
 * - Interpolation: the polynomial of degree n through f at n + 1 equispaced nodes, evaluated by
 *   the barycentric formula (weights (-1)^j C(n, j)), which is exact arithmetic apart from
 *   rounding. Its maximum error grows without bound with n (about 60 at n = 20); at Chebyshev
 *   nodes cos(j pi / n) (weights (-1)^j, halved at the ends) it falls instead, shown for contrast.
 */
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { Adam } from '../optim/adam.js';
import { cosineDecay } from '../optim/schedules.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, defineExample, linspace, logger, num, plot, table } from './util.js';

/** The options of {@link runRunge}: defaults, short-run values, flags; the one statement of each. */
const OPTIONS = {
  epochs: { description: 'training epochs', default: 3000, quick: 300 },
  hidden: { description: 'units in each of the two tanh layers', kind: 'library', default: 20 },
  degrees: { description: 'interpolation degrees compared', kind: 'library', default: [4, 8, 12, 16, 20] as readonly number[] },
} satisfies ExampleOptions;

/** Options of {@link runRunge}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface RungeOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {}

/** Runge's function. */
export const runge = (x: number): number => 1 / (1 + 25 * x * x);

/**
 * The interpolating polynomial through (nodes, values), evaluated at `at` by the barycentric
 * formula p(x) = sum_j (w_j / (x - x_j)) f_j / sum_j (w_j / (x - x_j)) (exact at the nodes).
 */
export function barycentric(nodes: ArrayLike<number>, values: ArrayLike<number>, weights: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) {
    const x = at[i]!;
    let num = 0, den = 0, exact = -1;
    for (let j = 0; j < nodes.length; j++) {
      const d = x - nodes[j]!;
      if (d === 0) { exact = j; break; }
      const t = weights[j]! / d;
      num += t * values[j]!; den += t;
    }
    out[i] = exact >= 0 ? values[exact]! : num / den;
  }
  return out;
}

/** Interpolant of f of degree n at n + 1 equispaced nodes on [-1, 1], at the points `at`. */
export function equispacedInterpolant(f: (x: number) => number, n: number, at: ArrayLike<number>): Float64Array {
  const nodes = linspace(-1, 1, n + 1), w = new Float64Array(n + 1);
  let c = 1; // C(n, j), built up exactly for the degrees used here
  for (let j = 0; j <= n; j++) { w[j] = (j % 2 === 0 ? 1 : -1) * c; c = (c * (n - j)) / (j + 1); }
  return barycentric(nodes, nodes.map(f), w, at);
}

/** Interpolant of f of degree n at the Chebyshev points cos(j pi / n), at the points `at`. */
export function chebyshevInterpolant(f: (x: number) => number, n: number, at: ArrayLike<number>): Float64Array {
  const nodes = Float64Array.from({ length: n + 1 }, (_, j) => Math.cos((j * Math.PI) / n));
  const w = Float64Array.from({ length: n + 1 }, (_, j) => (j % 2 === 0 ? 1 : -1) * (j === 0 || j === n ? 0.5 : 1));
  return barycentric(nodes, nodes.map(f), w, at);
}

function maxAbsError(values: ArrayLike<number>, at: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < at.length; i++) worst = Math.max(worst, Math.abs(values[i]! - runge(at[i]!)));
  return worst;
}

/**
 * Runs the example. Figures: `networkMaxError` (on 1001 points), `networkTrainLoss`, and for
 * each degree n `equispaced<n>` and `chebyshev<n>` (maximum interpolation errors).
 */
export async function runRunge(options: RungeOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const { epochs, hidden, degrees, seed = 1 } = resolveOptions(OPTIONS, options);
  const grid = linspace(-1, 1, 1001);
  const figures: Record<string, number> = {};

  const xTrain = linspace(-1, 1, 201), batchSize = 32;
  const model = new Sequential([
    new Dense({ units: hidden, activation: 'tanh', inputShape: [1], dtype: 'float64' }),
    new Dense({ units: hidden, activation: 'tanh', dtype: 'float64' }),
    new Dense({ units: 1, dtype: 'float64' }),
  ], { seed, name: 'runge' });
  const steps = epochs * Math.ceil(xTrain.length / batchSize);
  model.compile({ optimizer: new Adam({ learningRate: cosineDecay({ initialLearningRate: 0.005, decaySteps: steps, alpha: 0.01 }) }), loss: 'meanSquaredError' });
  log(`Learning f(x) = 1/(1+25x^2) with a 1-${hidden}-${hidden}-1 tanh network (float64, Adam 0.005 with cosine decay, ` +
    `201 points, batches of ${batchSize}, ${epochs} epochs)`);
  const started = Date.now();
  const history = await model.fit(new Tensor(xTrain, [xTrain.length, 1]), new Tensor(xTrain.map(runge), [xTrain.length, 1]), {
    epochs, batchSize, seed,
    callbacks: [{ onEpochEnd: (e, logs) => { if ((e + 1) % Math.max(1, Math.round(epochs / 5)) === 0) log(`  epoch ${e + 1}: loss ${num(logs?.['loss'] ?? NaN)}`); } }],
  });
  const net = model.predict(new Tensor(grid, [grid.length, 1])).data;
  figures['networkMaxError'] = maxAbsError(net, grid);
  figures['networkTrainLoss'] = history.history['loss']!.at(-1)!;
  log(`  network: max error on 1001 points ${num(figures['networkMaxError']!)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  log('Polynomial interpolation, max error on the same 1001 points:');
  const rows: number[][] = [];
  for (const n of degrees) {
    figures[`equispaced${n}`] = maxAbsError(equispacedInterpolant(runge, n, grid), grid);
    figures[`chebyshev${n}`] = maxAbsError(chebyshevInterpolant(runge, n, grid), grid);
    rows.push([n, figures[`equispaced${n}`]!, figures[`chebyshev${n}`]!]);
  }
  for (const line of table(['degree', 'equispaced nodes', 'Chebyshev nodes'], rows)) log(`  ${line}`);
  const equi = degrees.map((n) => figures[`equispaced${n}`]!);
  const grows = equi.every((e, i) => i === 0 || e > equi[i - 1]!);
  const comparisons = [
    compare('network max error on 1001 points', num(figures['networkMaxError']!), 'below 0.003', figures['networkMaxError']! < 0.003),
    compare(`equispaced interpolation error, degrees ${degrees.join(', ')}`, equi.map((e) => num(e, 3)).join(', '), 'grows with the degree (Runge 1901)', grows),
  ];

  const files: string[] = [];
  const shown = degrees.filter((n) => n === 8 || n === 12);
  files.push(...await plot(options, 'runge', lineChart({
    title: 'Runge\'s function: a tanh network against equispaced interpolation', xTitle: 'x', yTitle: 'y', yDomain: [-0.6, 1.6],
    series: [
      { name: 'f(x) = 1/(1+25x^2)', x: grid, y: grid.map(runge) },
      { name: `network 1-${hidden}-${hidden}-1`, x: grid, y: net, dashed: true },
      ...shown.map((n) => ({ name: `degree ${n}, equispaced`, x: grid, y: equispacedInterpolant(runge, n, grid) })),
    ],
  })));
  files.push(...await plot(options, 'runge-errors', lineChart({
    title: 'Max error on [-1, 1] against the polynomial degree', xTitle: 'degree', yTitle: 'max |error|', yScale: 'log', xIntegers: true,
    series: [
      { name: 'equispaced nodes', x: degrees, y: equi, mark: 'linePoint' },
      { name: 'Chebyshev nodes', x: degrees, y: degrees.map((n) => figures[`chebyshev${n}`]!), mark: 'linePoint' },
      { name: 'tanh network', x: [degrees[0]!, degrees.at(-1)!], y: [figures['networkMaxError']!, figures['networkMaxError']!], dashed: true },
    ],
  })));
  model.dispose();
  return { figures, comparisons, files };
}

export const rungeExample = defineExample('runge', runRunge, OPTIONS);
