/**
 * Perceptrons as logic gates, and why XOR needs a hidden layer.
 *
 * Sources: M. Nielsen, "Neural Networks and Deep Learning", ch. 1 ("Perceptrons": a perceptron
 * with weights -2, -2 and bias 3 computes NAND, and NAND gates build any circuit); F. Rosenblatt's
 * learning rule as in A. Ng, CS229 notes 1 section 6; Minsky & Papert (1969) on XOR.
 *
 * 1. Hand-wired perceptrons, each a nabla `Dense` layer with the 'step' activation
 *    H(z) = 1 if z >= 0 else 0 and weights set by hand: NAND (-2, -2; bias 3), AND (2, 2; -3),
 *    OR (2, 2; -1), NOT (-2; 1). XOR by hand is a 2-2-1 step network: XOR = AND(OR, NAND).
 * 2. The perceptron rule (classic `Perceptron`) learns NAND, AND, OR and NOT, and cannot learn
 *    XOR: the four points are not linearly separable, so it never reaches zero errors.
 * 3. A 2-2-1 sigmoid network trained by gradient descent learns XOR.
 */
import { Perceptron } from '../classic/perceptron.js';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { SGD } from '../optim/sgd.js';
import { grid, lineChart, regionChart } from '../plots/charts.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, defineExample, logger, plot } from './util.js';

/** The options of {@link runXorGates}: defaults, short-run values, flags; the one statement of each. */
const OPTIONS = {
  epochs: { description: 'epochs of the 2-2-1 sigmoid network', default: 3000, quick: 1000 },
  maxEpochs: { description: "the perceptron rule's most passes over the four rows", kind: 'library', default: 100 },
} satisfies ExampleOptions;

/** Options of {@link runXorGates}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface XorGatesOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {}

const INPUTS2 = [[0, 0], [0, 1], [1, 0], [1, 1]];
const TRUTH: Record<string, number[]> = {
  NAND: [1, 1, 1, 0], AND: [0, 0, 0, 1], OR: [0, 1, 1, 1], XOR: [0, 1, 1, 0], NOT: [1, 0],
};
/** The hand-set weights (one row per input) and bias of each gate. */
const WIRED: Record<string, { w: number[]; b: number }> = {
  NAND: { w: [-2, -2], b: 3 }, AND: { w: [2, 2], b: -3 }, OR: { w: [2, 2], b: -1 }, NOT: { w: [-2], b: 1 },
};

function inputsFor(gate: string): Tensor {
  const rows = gate === 'NOT' ? [[0], [1]] : INPUTS2;
  return new Tensor(Float64Array.from(rows.flat()), [rows.length, rows[0]!.length]);
}

/** A network of step perceptrons with the given weights ([kernel [in, out], bias [out]] per layer). */
function stepNetwork(layers: { w: number[][]; b: number[] }[]): Sequential {
  const model = new Sequential(layers.map((l, i) => new Dense({
    units: l.b.length, activation: 'step', dtype: 'float64', ...(i === 0 ? { inputShape: [l.w.length] } : {}),
  })));
  model.build();
  model.setWeights(layers.flatMap((l) => [
    new Tensor(Float64Array.from(l.w.flat()), [l.w.length, l.b.length]), new Tensor(Float64Array.from(l.b), [l.b.length]),
  ]));
  return model;
}

function rowsCorrect(out: ArrayLike<number>, truth: readonly number[], threshold = 0.5): number {
  let ok = 0;
  truth.forEach((t, i) => { if ((out[i]! >= threshold ? 1 : 0) === t) ok++; });
  return ok;
}

/**
 * Runs the example. Figures: for each gate, the truth-table rows computed correctly
 * (`wired<GATE>`, `learned<GATE>`; 4 of 4, NOT 2 of 2), `wiredXor` (the 2-2-1 step network),
 * `perceptronXorConverged` (0: the rule cannot learn XOR), `perceptronXorMinErrors` (>= 1 in
 * every epoch), `networkXor` (rows the trained sigmoid network gets right) and its final loss.
 */
export async function runXorGates(options: XorGatesOptions = {}): Promise<ExampleResult> {
  const log = logger(options);
  const { epochs, maxEpochs, seed = 1 } = resolveOptions(OPTIONS, options);
  const figures: Record<string, number> = {};
  const files: string[] = [];

  log("1. Hand-wired perceptrons: nabla Dense layers with the 'step' activation H(z) = [z >= 0]");
  for (const [gate, { w, b }] of Object.entries(WIRED)) {
    const out = stepNetwork([{ w: w.map((v) => [v]), b: [b] }]).predict(inputsFor(gate)).data;
    figures[`wired${gate}`] = rowsCorrect(out, TRUTH[gate]!);
    const rows = (gate === 'NOT' ? [[0], [1]] : INPUTS2).map((x, i) => `${x.join(' ')} -> ${out[i]}`).join(', ');
    log(`  ${gate.padEnd(4)} w = (${w.join(', ')}), b = ${b}: ${rows}`);
  }
  // XOR = AND(OR(x1, x2), NAND(x1, x2)): hidden units OR and NAND, output AND.
  const hand = stepNetwork([
    { w: [[WIRED['OR']!.w[0]!, WIRED['NAND']!.w[0]!], [WIRED['OR']!.w[1]!, WIRED['NAND']!.w[1]!]], b: [WIRED['OR']!.b, WIRED['NAND']!.b] },
    { w: [[WIRED['AND']!.w[0]!], [WIRED['AND']!.w[1]!]], b: [WIRED['AND']!.b] },
  ]);
  const handOut = hand.predict(inputsFor('XOR')).data;
  figures['wiredXor'] = rowsCorrect(handOut, TRUTH['XOR']!);
  log(`  XOR = AND(OR, NAND), a 2-2-1 step network: ${INPUTS2.map((x, i) => `${x.join(' ')} -> ${handOut[i]}`).join(', ')}`);

  log('2. The perceptron rule (Rosenblatt) learning each gate from its truth table');
  const errorCurves: { name: string; errors: number[] }[] = [];
  for (const gate of ['NAND', 'AND', 'OR', 'NOT', 'XOR']) {
    const x = inputsFor(gate), y = new Tensor(Float64Array.from(TRUTH[gate]!), [TRUTH[gate]!.length]);
    const p = new Perceptron({ maxEpochs }).fit(x, y);
    const out = p.predict(x).data;
    const correct = rowsCorrect(out, TRUTH[gate]!);
    if (gate === 'XOR') {
      figures['perceptronXorConverged'] = p.converged ? 1 : 0;
      figures['perceptronXorMinErrors'] = Math.min(...p.errorsPerEpoch);
      figures['perceptronXorRowsCorrect'] = correct;
    } else figures[`learned${gate}`] = correct;
    errorCurves.push({ name: gate, errors: [...p.errorsPerEpoch] });
    log(`  ${gate.padEnd(4)} ${p.converged ? `converged after ${p.epochsUsed} epoch${p.epochsUsed === 1 ? '' : 's'}` : `NOT converged in ${p.epochsUsed} epochs (fewest errors in an epoch: ${Math.min(...p.errorsPerEpoch)})`}; ` +
      `truth table ${correct}/${TRUTH[gate]!.length} right`);
  }

  log(`3. A 2-2-1 sigmoid network, gradient descent (SGD, learning rate 2, cross-entropy, ${epochs} full-batch epochs)`);
  const x = inputsFor('XOR'), y = new Tensor(Float64Array.from(TRUTH['XOR']!), [4, 1]);
  const net = new Sequential([
    new Dense({ units: 2, activation: 'sigmoid', inputShape: [2], dtype: 'float64' }),
    new Dense({ units: 1, activation: 'sigmoid', dtype: 'float64' }),
  ], { seed });
  net.compile({ optimizer: new SGD({ learningRate: 2 }), loss: 'binaryCrossentropy' });
  const history = await net.fit(x, y, { epochs, batchSize: 4, shuffle: false });
  const netOut = net.predict(x).data;
  figures['networkXor'] = rowsCorrect(netOut, TRUTH['XOR']!);
  figures['networkLoss'] = history.history['loss']!.at(-1)!;
  log(`  ${INPUTS2.map((r, i) => `${r.join(' ')} -> ${netOut[i]!.toFixed(3)}`).join(', ')} (loss ${figures['networkLoss']!.toExponential(2)})`);

  const comparisons = [
    compare('NAND, AND, OR, NOT wired by hand', `${['NAND', 'AND', 'OR', 'NOT'].every((g) => figures[`wired${g}`] === TRUTH[g]!.length) ? 'all' : 'not all'} truth tables`, 'all (Nielsen ch. 1)',
      ['NAND', 'AND', 'OR', 'NOT'].every((g) => figures[`wired${g}`] === TRUTH[g]!.length)),
    compare('one perceptron learning XOR', figures['perceptronXorConverged'] ? 'converged' : 'not converged', 'impossible (not linearly separable)', figures['perceptronXorConverged'] === 0),
    compare('2-2-1 sigmoid network on XOR', `${figures['networkXor']}/4 rows`, '4/4', figures['networkXor'] === 4),
  ];

  const g = grid([-0.5, 1.5], [-0.5, 1.5], 200);
  const p = net.predict(new Tensor(g.points, [g.nx * g.ny, 2])).data;
  files.push(...await plot(options, 'xor-network', regionChart({
    title: 'XOR learned by a 2-2-1 sigmoid network', xTitle: 'x1', yTitle: 'x2', classes: ['0', '1'], legendTitle: 'XOR',
    grid: g, regions: Int32Array.from(p, (v) => (v >= 0.5 ? 1 : 0)),
    points: { x: INPUTS2.map((r) => r[0]!), y: INPUTS2.map((r) => r[1]!), label: TRUTH['XOR']! },
  })));
  files.push(...await plot(options, 'xor-perceptron', lineChart({
    title: 'The perceptron rule: training errors after each epoch (AND dashed over NAND)', xTitle: 'epoch', yTitle: 'misclassified rows', xIntegers: true,
    series: errorCurves.map((c) => ({ name: c.name, x: c.errors.map((_, i) => i + 1), y: c.errors, mark: 'linePoint' as const, dashed: c.name === 'AND' })),
    xDomain: [1, Math.min(maxEpochs, 20)], yDomain: [0, 4],
  })));
  return { figures, comparisons, files };
}

export const xorGates = defineExample('xor-gates', runXorGates, OPTIONS);
