/**
 * The adding problem of S. Hochreiter and J. Schmidhuber, "Long short-term memory", Neural
 * Computation 9(8), 1997 (experiment 4), in the form of Le, Jaitly and Hinton (2015) and Arjovsky
 * et al. (2016): a sequence of T steps, each a pair (value v_t uniform in [0, 1], marker m_t);
 * exactly two markers are 1, one in the first half and one in the second half; the target is the
 * sum of the two marked values. Predicting the constant 1 (the target's mean) scores its variance,
 * 2 / 12 = 0.167: the baseline a network that has not learnt to remember stays at.
 *
 * A SimpleRNN and an LSTM (same units, one Dense output, mean squared error, Adam) are trained on
 * fresh batches for sequences of growing length. The SimpleRNN's gradient through T steps is a
 * product of T Jacobians and vanishes (Nielsen ch. 5, "the vanishing gradient problem"; Bengio et
 * al. 1994), so it stays at the baseline for long sequences; the LSTM's additive cell state
 * c_t = f c_{t-1} + i g carries the error back (the "constant error carousel") and solves T = 100.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { LSTM } from '../nn/layers/lstm.js';
import { SimpleRNN } from '../nn/layers/simple-rnn.js';
import { Adam } from '../optim/adam.js';
import { lineChart } from '../plots/charts.js';
import { Rng } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import type { CommonOptions, DeclaredOptions, ExampleOptions, ExampleResult } from './types.js';
import { resolveOptions } from './options.js';
import { compare, defineExample, logger, num, plot, table } from './util.js';

/** The options of {@link runAddingProblem}: defaults, short-run values, flags; the one statement of each. */
const OPTIONS = {
  units: { description: 'units of each recurrent layer', default: 32 },
  steps: { description: 'most training batches per model and length', default: 2000, quick: 30 },
  lengths: { description: 'sequence lengths T', kind: 'library', default: [10, 25, 50, 100], quick: [10, 25] },
  batchSize: { description: 'sequences per batch', kind: 'library', default: 64 },
  learningRate: { description: "Adam's learning rate (gradients clipped to norm 1)", kind: 'library', default: 0.01 },
} satisfies ExampleOptions;

/** Options of {@link runAddingProblem}: the declared ones (OPTIONS, each documented by its description) and the common ones. */
export interface AddingProblemOptions extends CommonOptions, DeclaredOptions<typeof OPTIONS> {}

/** The baseline MSE: the variance of the sum of two U(0, 1) values, 2/12. */
export const ADDING_BASELINE = 1 / 6;

/**
 * n sequences of the adding problem: x [n, T, 2] (value, marker), y [n, 1] (sum of the two marked
 * values), float32. One marker uniformly in steps [0, T/2), the other in [T/2, T).
 */
export function addingBatch(rng: Rng, n: number, T: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * T * 2), y = new Float32Array(n), half = Math.floor(T / 2);
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < T; t++) x[(b * T + t) * 2] = rng.uniform();
    const first = rng.int(half), second = half + rng.int(T - half);
    for (const t of [first, second]) { x[(b * T + t) * 2 + 1] = 1; y[b]! += x[(b * T + t) * 2]!; }
  }
  return { x: new Tensor(x, [n, T, 2]), y: new Tensor(y, [n, 1]) };
}

type Cell = 'SimpleRNN' | 'LSTM';

/** Trains one model on fresh batches; returns the test MSE after training (stops early below 0.001). */
async function trainOne(cell: Cell, T: number, o: Required<Pick<AddingProblemOptions, 'units' | 'steps' | 'batchSize' | 'learningRate'>>, seed: number,
                        test: { x: Tensor; y: Tensor }, log: (line: string) => void, saveTo: string | null): Promise<{ mse: number; steps: number; seconds: number }> {
  const layer = cell === 'LSTM' ? new LSTM({ units: o.units, inputShape: [T, 2], name: 'lstm' }) : new SimpleRNN({ units: o.units, inputShape: [T, 2], name: 'simple_rnn' });
  const model = new Sequential([layer, new Dense({ units: 1 })], { seed, name: `adding-${cell}-${T}` });
  model.compile({ optimizer: new Adam({ learningRate: o.learningRate, clipnorm: 1 }), loss: 'meanSquaredError' });
  const rng = new Rng(seed + 1000 * T + (cell === 'LSTM' ? 1 : 0)), started = Date.now();
  const mse = (): number => model.computeLoss(test.x, test.y, false);
  let step = 0, last = ADDING_BASELINE;
  while (step < o.steps) {
    const { x, y } = addingBatch(rng, o.batchSize, T);
    model.trainStep(x, y);
    step++;
    if (step % 100 === 0 || step === o.steps) {
      last = mse();
      if (step % 500 === 0) log(`    ${cell} T = ${T}: step ${step}, test MSE ${num(last)}`);
      if (last < 0.001) break;
    }
  }
  const seconds = (Date.now() - started) / 1000;
  if (saveTo) await saveForVisualize(model, test, T, saveTo);
  model.dispose();
  return { mse: last, steps: step, seconds };
}

/**
 * Saves the trained model into `dir` with `sequence.csv`, the first test sequence (value,marker
 * per step), for `nabla visualize dir --sequence dir/sequence.csv` (the gates open at the markers).
 */
async function saveForVisualize(model: Sequential, test: { x: Tensor }, T: number, dir: string): Promise<void> {
  // A re-run replaces its own earlier output: saving refuses a folder with files it does not know.
  rmSync(join(dir, 'sequence.csv'), { force: true });
  await model.save(dir, { overwrite: true });
  const rows = ['value,marker'];
  for (let t = 0; t < T; t++) rows.push(`${test.x.data[t * 2]!.toFixed(4)},${test.x.data[t * 2 + 1]}`);
  writeFileSync(join(dir, 'sequence.csv'), `${rows.join('\n')}\n`);
}

/**
 * Runs the example. With `outDir`, the LSTM of the longest length is saved in
 * `<outDir>/lstm-T<length>/` with a test sequence (`sequence.csv`) for `nabla visualize`. Figures: `mseSimpleRNN<T>` and `mseLSTM<T>` (test MSE on 512 fresh sequences
 * after training) for each length T, and `baseline` (0.167).
 */
export async function runAddingProblem(options: AddingProblemOptions = {}): Promise<ExampleResult> {
  const o = resolveOptions(OPTIONS, options), log = logger(o), seed = o.seed ?? 1, lengths = o.lengths;
  log(`The adding problem (Hochreiter & Schmidhuber 1997): SimpleRNN vs LSTM, ${o.units} units, Adam ${o.learningRate} (clipnorm 1), ` +
      `batches of ${o.batchSize}, at most ${o.steps} batches per run (stop when the test MSE < 0.001), seed ${seed}`);
  const figures: Record<string, number> = { baseline: ADDING_BASELINE };
  const rows: (string | number)[][] = [], results: Record<Cell, number[]> = { SimpleRNN: [], LSTM: [] };
  for (const T of lengths) {
    const test = addingBatch(new Rng(seed + 7 * T), 512, T);
    for (const cell of ['SimpleRNN', 'LSTM'] as const) {
      const save = cell === 'LSTM' && T === lengths[lengths.length - 1] && options.outDir !== undefined ? join(options.outDir, `lstm-T${T}`) : null;
      const r = await trainOne(cell, T, o, seed, test, log, save);
      if (save) log(`  saved the LSTM in ${save}; its gates: nabla visualize ${save} --sequence ${join(save, 'sequence.csv')}`);
      results[cell].push(r.mse);
      figures[`mse${cell}${T}`] = r.mse;
      rows.push([cell, T, r.mse, r.steps, r.seconds.toFixed(1)]);
      log(`  ${cell.padEnd(9)} T = ${String(T).padStart(3)}: test MSE ${num(r.mse)} after ${r.steps} batches (${r.seconds.toFixed(1)} s)`);
    }
  }
  for (const line of table(['model', 'T', 'test MSE', 'batches', 'seconds'], rows)) log(line);
  const comparisons = [];
  const longest = lengths[lengths.length - 1]!;
  if (longest >= 100) {
    const lstm = figures[`mseLSTM${longest}`]!, rnn = figures[`mseSimpleRNN${longest}`]!;
    comparisons.push(compare(`LSTM test MSE at T = ${longest}`, num(lstm), '< 0.01 (solved; Hochreiter & Schmidhuber 1997)', lstm < 0.01));
    comparisons.push(compare(`SimpleRNN test MSE at T = ${longest}`, num(rnn), `about the baseline ${num(ADDING_BASELINE)}`, rnn > 0.1));
  }
  const files = await plot(options, 'adding-problem', lineChart({
    title: 'The adding problem: final test MSE against sequence length', xTitle: 'sequence length T', yTitle: 'test MSE (log scale)', yScale: 'log',
    series: [
      { name: 'SimpleRNN', x: lengths, y: results.SimpleRNN, mark: 'linePoint' },
      { name: 'LSTM', x: lengths, y: results.LSTM, mark: 'linePoint' },
      { name: 'baseline 0.167 (predict 1)', x: [lengths[0]!, longest], y: [ADDING_BASELINE, ADDING_BASELINE], dashed: true, color: '#888' },
    ],
  }));
  return { figures, comparisons, files };
}

export const addingProblem = defineExample('adding-problem', runAddingProblem, OPTIONS);
