/**
 * M. Nielsen, "Neural Networks and Deep Learning", chapter 1, "Sigmoid neurons": a sigmoid neuron
 * sigma(w . x + b) with sigma(z) = 1 / (1 + e^-z) (Nielsen eq. 3-4) is a smoothed perceptron. Multiply
 * every weight and bias by c > 0 and let c grow: where w . x + b != 0 the output tends to the
 * perceptron's step H(w . x + b) (Nielsen's exercise "Sigmoid neurons simulating perceptrons, part II").
 *
 * 1. One neuron with input z, weight c and bias 0 (a nabla `Dense` layer, float64): its output
 *    sigma(c z) on [-3, 3] for c = 1, 2, 5, 20, beside the step.
 * 2. Nielsen's NAND perceptron (weights -2, -2, bias 3) made a sigmoid neuron and scaled by c: on its
 *    truth table w . x + b is 3, 1, 1 or -1, so the largest distance from the step is
 *    sigma(-c) = 1 / (1 + e^c), which falls by a factor e per unit of c.
 */
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { lineChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { compare, defineExample, linspace, logger, num, plot, table } from './util.js';

/** Options of {@link runSigmoidNeurons}: only the common ones. */
export type SigmoidNeuronsOptions = CommonOptions;

/** The scales c drawn in the chart. */
export const SIGMOID_SCALES: readonly number[] = [1, 2, 5, 20];

/** A one-layer sigmoid network (float64) with the kernel `w` (one row per input) and bias `b`. */
export function sigmoidNeuron(w: readonly number[], b: number): Sequential {
  const model = new Sequential([new Dense({ units: 1, activation: 'sigmoid', inputShape: [w.length], dtype: 'float64' })], { seed: 1 });
  model.build();
  model.setWeights([new Tensor(Float64Array.from(w), [w.length, 1]), new Tensor(Float64Array.of(b), [1])]);
  return model;
}

/**
 * Runs the example. Figures: `nandError<c>` for c = 1, 2, 5, 10, 20, the largest |output - H(z)|
 * of the scaled NAND neuron on its truth table, and `nandRowsRight1`, the rows the c = 1 neuron gets
 * right when its output is rounded at 1/2.
 */
export async function runSigmoidNeurons(options: SigmoidNeuronsOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const z = linspace(-3, 3, 601), input = new Tensor(z.slice(), [z.length, 1]);
  const series = SIGMOID_SCALES.map((c) => {
    const model = sigmoidNeuron([c], 0), y = Array.from(model.predict(input).data);
    model.dispose();
    return { name: `sigmoid(${c} z)`, x: Array.from(z), y };
  });
  series.push({ name: 'step H(z)', x: [-3, 0, 0, 3], y: [0, 0, 1, 1] });

  const table2 = new Tensor(Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1), [4, 2]), truth = [1, 1, 1, 0];
  const figures: Record<string, number> = {};
  const rows: (string | number)[][] = [];
  for (const c of [1, 2, 5, 10, 20]) {
    const model = sigmoidNeuron([-2 * c, -2 * c], 3 * c), out = model.predict(table2).data;
    model.dispose();
    const err = Math.max(...truth.map((t, i) => Math.abs(out[i]! - t)));
    figures[`nandError${c}`] = err;
    if (c === 1) figures['nandRowsRight1'] = truth.filter((t, i) => (out[i]! >= 0.5 ? 1 : 0) === t).length;
    rows.push([c, ...Array.from(out, (v) => num(v)), err]);
  }
  log("Nielsen ch. 1: the NAND perceptron (-2, -2; 3) as a sigmoid neuron with every weight and bias times c");
  for (const line of table(['c', 'out(0,0)', 'out(0,1)', 'out(1,0)', 'out(1,1)', 'max |out - H|'], rows)) log(`  ${line}`);
  const sigmoidMinusC = (c: number) => 1 / (1 + Math.exp(c));
  const comparisons = [
    compare('NAND as a sigmoid neuron, c = 1: rows right after rounding at 1/2', `${figures['nandRowsRight1']} / 4`, '4 / 4 (the signs of w . x + b are the perceptron\'s)', figures['nandRowsRight1'] === 4),
    compare('largest distance from the step at c = 20', num(figures['nandError20']!), `sigma(-20) = ${num(sigmoidMinusC(20))} (|w . x + b| >= c on the table)`,
      Math.abs(figures['nandError20']! - sigmoidMinusC(20)) < 1e-3 * sigmoidMinusC(20)),
  ];
  const files = await plot(options, 'sigmoid-neurons', lineChart({
    title: 'Nielsen ch. 1: sigmoid(c z) tends to the step as c grows', xTitle: 'z = w . x + b', yTitle: 'output', series,
  }));
  return { figures, comparisons, files };
}

export const sigmoidNeurons = defineExample('sigmoid-neurons', runSigmoidNeurons);
