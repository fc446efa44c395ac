/**
 * `nabla predict MODEL_DIR INPUT`: run a saved model on new input.
 *
 * - INPUT.png: a picture of one handwritten digit, decoded with pngjs and preprocessed as MNIST
 *   was made (see data/digit-preprocess.ts: grayscale, inverted when the background is light, cropped to
 *   the ink, scaled into 20x20, centred by centre of mass in 28x28). Prints the predicted class
 *   and the most probable ones. An image that holds no digit (blank, uniform) is refused.
 * - INPUT.csv: rows of features with a header. For a model trained on a table through
 *   `nabla train`, the columns are picked by the names it was trained with and standardised with
 *   its recorded scaler; otherwise every numeric column is an input. Prints one line per row:
 *   `row,prediction[,probability]`.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { readCsv } from '../../data/csv.js';
import { DataFileError } from '../../data/files.js';
import { loadModel } from '../../models/load.js';
import type { Sequential } from '../../models/sequential.js';
import { Tensor } from '../../tensor/tensor.js';
import { applyScaler, unscaleTarget, type Preprocessing } from '../datasets.js';
import { asciiArt, readDigitImage } from '../digit-image.js';
import { EXIT, UsageError } from '../errors.js';
import { parsePositiveInt } from '../options.js';
import { locateModel } from '../run-dir.js';
import { describeCommand } from './catalog.js';

interface PredictOptions { top: number; show?: boolean; maxImagePixels?: number; allowNonFinite?: boolean }

/** Registers `nabla predict`. */
export function registerPredict(program: Command): void {
  program.command('predict').description(describeCommand('predict'))
    .argument('<model-dir>', 'a run directory (runs/...) or a model directory holding model.json')
    .argument('<input>', 'a .png image of one digit, or a .csv file of feature rows with a header')
    .option('--top <k>', 'how many of the most probable classes to list for an image', parsePositiveInt, 3)
    .option('--show', 'print the 28x28 input the model sees (after preprocessing)')
    .option('--max-image-pixels <n>', 'largest width x height of an image to read (default LIMITS.maxImagePixels, 8192x8192)', parsePositiveInt)
    .option('--allow-non-finite', 'load a model whose weights hold NaN or Infinity (for debugging)')
    .addHelpText('after', [
      '',
      'An image is preprocessed as MNIST was: grayscale, inverted when the background is light, cropped to',
      'the digit, scaled to fit 20x20 (aspect ratio kept) and centred by its centre of mass in 28x28.',
      '',
      'Examples:',
      '  nabla predict runs/mnist-mlp-20250101-120000 seven.png',
      '  nabla predict runs/iris-mlp-20250101-120000 flowers.csv',
    ].join('\n'))
    .action(async (dir: string, input: string, opts: PredictOptions) => { process.exitCode = await predict(dir, input, opts); });
}

/** Probabilities per class from the model's output row (softmax outputs as they are; one sigmoid unit as [1 - p, p]). */
function classProbabilities(out: Tensor, row: number): number[] {
  const k = out.shape[1] ?? 1;
  const values = Array.from(out.data.subarray(row * k, (row + 1) * k));
  return k === 1 ? [1 - values[0]!, values[0]!] : values;
}

async function predict(dir: string, input: string, opts: PredictOptions): Promise<number> {
  const lower = input.toLowerCase();
  if (!lower.endsWith('.png') && !/\.csv(\.gz)?$/.test(lower)) throw new UsageError(`argument '<input>': expected a .png image or a .csv file, got '${input}'`);
  if (!existsSync(input)) throw new DataFileError(input, 'file not found', 'E_NOT_FOUND');
  const where = locateModel(dir);
  const model = await loadModel(where.modelDir, { allowNonFinite: opts.allowNonFinite ?? false });
  const pre = where.run?.preprocessing ?? null;
  return lower.endsWith('.png') ? predictImage(model, input, pre, opts) : predictCsv(model, input, pre);
}

function predictImage(model: Sequential, path: string, pre: Preprocessing | null, opts: PredictOptions): number {
  const shape = model.inputShape ?? [];
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== 784 || (shape.length === 3 && shape[2] !== 1) || (shape.length > 1 && (shape[0] !== 28 || shape[1] !== 28)))
    throw new Error(`the model takes inputs of shape [${shape.join(', ')}]; an image is read as one 28x28 grayscale digit ([28, 28, 1] or [784] with one channel)`);
  const digit = readDigitImage(path, opts.maxImagePixels);
  if (opts.show) console.log(asciiArt(digit.pixels) + '\n');
  const out = model.predict(new Tensor(digit.pixels, [1, ...shape]));
  const probs = classProbabilities(out, 0);
  const names = pre?.classNames ?? probs.map((_, i) => String(i));
  const order = probs.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]);
  const [best, bestIdx] = order[0]!;
  console.log(`Predicted: ${names[bestIdx] ?? bestIdx} (probability ${best.toFixed(4)})`);
  console.log(`Top ${Math.min(opts.top, order.length)}: ${order.slice(0, opts.top).map(([p, i]) => `${names[i] ?? i} ${p.toFixed(4)}`).join(', ')}`);
  return EXIT.ok;
}

function predictCsv(model: Sequential, path: string, pre: Preprocessing | null): number {
  const shape = model.inputShape ?? [];
  const size = shape.reduce((a, b) => a * b, 1);
  const features = pre?.featureNames ?? null;
  const table = features ? readCsv(path, { columns: features }) : readCsv(path, { textColumns: 'drop' });
  const k = table.columns.length;
  if (k !== size) throw new Error(`${path}: rows have ${k} numeric columns but the model takes ${size} inputs [${shape.join(', ')}]`);
  let x = new Tensor(table.data, [table.rows, k]);
  x = pre ? applyScaler(x, pre.scaler) : x.cast('float32');
  const out = model.predict(x.reshape([table.rows, ...shape]));
  const regression = pre ? pre.task === 'regression' : (out.shape[1] === 1 && model.loss?.info.accuracy === 'categorical' && model.loss.info.name !== 'binaryCrossentropy');
  if (regression) {
    const values = unscaleTarget(out, pre?.targetScaler ?? null);
    console.log(`row,${csvCell(pre?.targetName ?? 'prediction')}`);
    for (let r = 0; r < table.rows; r++) console.log(`${r + 1},${Number(values.data[r]!.toPrecision(6))}`);
    return EXIT.ok;
  }
  const names = pre?.classNames;
  console.log('row,prediction,probability');
  for (let r = 0; r < table.rows; r++) {
    const probs = classProbabilities(out, r);
    let best = 0;
    for (let j = 1; j < probs.length; j++) if (probs[j]! > probs[best]!) best = j;
    const label = pre?.labelValues?.[best] ?? names?.[best] ?? best;
    console.log(`${r + 1},${csvCell(String(label))},${probs[best]!.toFixed(4)}`);
  }
  return EXIT.ok;
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
