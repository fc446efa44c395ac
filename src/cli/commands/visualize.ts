/**
 * `nabla visualize MODEL_DIR [--input PNG] [--out DIR]`: PNG pictures of what a saved model has
 * learned (see visualize/grid.ts for the grid maths and the normalisation).
 *
 * A convolutional model (one with a Conv2D layer):
 * - `filters-<layer>.png`: the first Conv2D layer's filters, one tile per filter, each value an
 *   8x8 block of pixels;
 * - `input.png`: the image fed through the model (--input, preprocessed as `nabla predict` does;
 *   by default the first test image of the data set the run was trained on);
 * - `features-<i>-<layer>.png`: the feature maps (one tile per channel) after each Conv2D and
 *   pooling layer, i its 1-based position in the model; maps and the input are upscaled by
 *   floor(112 / max(height, width)), so each is about 112 pixels across.
 *
 * A model without convolutions (an MLP on images): `weights-<layer>.png`, the weights into each
 * unit of the first Dense layer, reshaped to the input image (28x28 for MNIST), upscaled by
 * floor(84 / max(height, width)).
 *
 * Files are written into --out (default RUN_DIR/visualize, or MODEL_DIR/visualize for a plain
 * model directory), replacing pictures of the same name; the paths written are printed.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { PNG } from 'pngjs';
import { loadVocabulary, VOCABULARY_FILE } from '../../data/text/vocabulary-file.js';
import { loadModel } from '../../models/load.js';
import type { Sequential } from '../../models/sequential.js';
import { AveragePooling2D, Conv2D, Dense, LSTM, MaxPooling2D } from '../../nn/layers/index.js';
import { renderSvg, svgToPng } from '../../plots/render.js';
import { Tensor } from '../../tensor/tensor.js';
import { EXIT, UsageError } from '../errors.js';
import { parsePositiveInt } from '../options.js';
import { describeWidths } from '../model-spec.js';
import { locateModel } from '../run-dir.js';
import { denseTiles, featureMapTiles, gridLayout, kernelTiles, renderGrid, type GridOptions, type RgbaImage } from '../visualize/grid.js';
import { firstTestImage, pngInput, type VisualInput } from '../visualize/input.js';
import { findVocabulary, gateHeatmap, lstmGates, sequenceInput, textInput } from '../visualize/lstm-gates.js';
import { describeCommand } from './catalog.js';

/** Pixels per weight in the filter picture. */
export const FILTER_SCALE = 8;
/** Feature maps and the input are upscaled to about this many pixels across. */
export const FEATURE_PIXELS = 112;
/** A Dense unit's weight image is upscaled to about this many pixels across. */
export const WEIGHT_PIXELS = 84;
/** Pixels between tiles. */
export const GAP = 2;

/** The upscaling factor that makes an h x w tile about `pixels` across (at least 1). */
export function scaleFor(h: number, w: number, pixels: number): number {
  return Math.max(1, Math.floor(pixels / Math.max(h, w)));
}

interface VisualizeOptions { input?: string; out?: string; maxImagePixels?: number; text?: string; sequence?: string; units?: number }

/** Registers `nabla visualize`. */
export function registerVisualize(program: Command): void {
  program.command('visualize').description(describeCommand('visualize'))
    .argument('<model-dir>', 'a run directory (runs/...) or a model directory holding model.json')
    .option('--input <png>', 'the image whose feature maps to draw, preprocessed as nabla predict does (default: the first test image of the data set)')
    .option('--out <dir>', 'folder to write the PNG files into (default: <model-dir>/visualize)')
    .option('--max-image-pixels <n>', 'largest width x height of the --input image (default LIMITS.maxImagePixels, 8192x8192)', parsePositiveInt)
    .option('--text <text>', `a model with an LSTM layer and a ${VOCABULARY_FILE} (as char-rnn runs save): the text whose gate activations to draw`)
    .option('--sequence <values>', 'a model with an LSTM layer: the input sequence, numbers "0.1,0.5,..." or a CSV file (a row per step)')
    .option('--units <n>', 'a model with an LSTM layer: how many units to draw (default 32)', parsePositiveInt)
    .addHelpText('after', [
      '',
      'A convolutional model: filters-<layer>.png (the first Conv2D layer\'s filters, 8x), input.png, and',
      'features-<i>-<layer>.png after each Conv2D and pooling layer (one tile per channel).',
      'An MLP on images: weights-<layer>.png (the first Dense layer\'s weights into each unit, as images).',
      'Each tile is scaled to its own minimum (black) and maximum (white).',
      'A model with an LSTM layer: lstm-gates-<layer>.png, the gates i, f, c, o (units x time steps) over',
      `--text (with the run's ${VOCABULARY_FILE}) or --sequence.`,
      '',
      'Examples:',
      '  nabla visualize runs/mnist-cnn-20250101-120000',
      '  nabla visualize runs/mnist-cnn-20250101-120000 --input seven.png --out pictures',
      '  nabla visualize runs/char-rnn-20250101-120000 --text "To be, or not to be"',
    ].join('\n'))
    .action(async (dir: string, opts: VisualizeOptions) => { process.exitCode = await visualize(dir, opts); });
}

/** Encodes a picture as a PNG file. */
function writePicture(path: string, img: RgbaImage): void {
  const png = new PNG({ width: img.width, height: img.height });
  png.data.set(img.data);
  writeFileSync(path, PNG.sync.write(png));
}

const isImageLayer = (l: unknown): l is Conv2D | MaxPooling2D | AveragePooling2D =>
  l instanceof Conv2D || l instanceof MaxPooling2D || l instanceof AveragePooling2D;

async function visualize(dir: string, opts: VisualizeOptions): Promise<number> {
  if (opts.input !== undefined && !opts.input.toLowerCase().endsWith('.png'))
    throw new UsageError(`option '--input': expected a .png image, got '${opts.input}'`);
  if (opts.out !== undefined && existsSync(opts.out) && !statSync(opts.out).isDirectory())
    throw new UsageError(`option '--out': ${opts.out} exists and is not a directory`);
  const where = locateModel(dir);
  const model = await loadModel(where.modelDir);
  const out = opts.out ?? join(where.runDir ?? where.modelDir, 'visualize');
  if (model.layers.some((l) => l instanceof LSTM)) return visualizeLstm(model, where, out, opts);
  const conv = model.layers.find((l): l is Conv2D => l instanceof Conv2D);
  const pictures: Pictures = conv ? convPictures(model, conv, opts.input !== undefined ? pngInput(opts.input, opts.maxImagePixels) : firstTestImage(where.run), where.run?.preprocessing.classNames ?? null)
                                  : [densePicture(model, dir, where.run?.preprocessing.featureNames != null)];
  if (!conv && opts.input !== undefined) process.stderr.write('note: --input is not used: a model without convolutions has no feature maps\n');
  mkdirSync(out, { recursive: true });
  console.log(`Model: ${model.name} ${describeWidths(model)}`);
  for (const line of pictures.notes ?? []) console.log(line);
  for (const p of pictures) {
    const path = join(out, p.file);
    writePicture(path, p.image);
    console.log(`Wrote ${path}  (${p.what}; ${p.image.width}x${p.image.height} pixels)`);
  }
  return EXIT.ok;
}

/** The LSTM gates' heat map over --text or --sequence (visualize/lstm-gates.ts). */
async function visualizeLstm(model: Sequential, where: ReturnType<typeof locateModel>, out: string, opts: VisualizeOptions): Promise<number> {
  if ((opts.text === undefined) === (opts.sequence === undefined))
    throw new UsageError(`a model with an LSTM layer: pass the input sequence with --text "..." (a run with ${VOCABULARY_FILE}) or --sequence (numbers or a CSV file)`);
  let input;
  if (opts.text !== undefined) {
    const vocab = findVocabulary([where.modelDir, where.runDir]);
    if (!vocab) throw new UsageError(`--text needs a vocabulary: no ${VOCABULARY_FILE} in ${where.modelDir}; pass --sequence instead`);
    input = textInput(model, opts.text, loadVocabulary(vocab));
    if (input.unknown.length > 0)
      process.stderr.write(`note: ${input.unknown.length} token${input.unknown.length > 1 ? 's' : ''} of --text ${input.unknown.length > 1 ? 'are' : 'is'} not in ${vocab} and ${input.unknown.length > 1 ? 'are' : 'is'} fed as the out-of-vocabulary id: ${input.unknown.slice(0, 10).map((t) => JSON.stringify(t)).join(', ')}\n`);
  } else input = sequenceInput(model, opts.sequence!);
  const gates = lstmGates(model, input.x), units = opts.units ?? 32;
  const shown = Math.min(units, gates.units);
  const spec = gateHeatmap(gates, input.labels, units, `LSTM gates of ${gates.layer} over ${input.description} (units 0-${shown - 1} of ${gates.units})`);
  mkdirSync(out, { recursive: true });
  const path = join(out, `lstm-gates-${fileSafe(gates.layer)}.png`);
  writeFileSync(path, await svgToPng(await renderSvg(spec), { scale: input.labels.length > 60 ? 1 : 1.5 })); // 1x for long sequences keeps the cells seamless and the file small
  console.log(`Model: ${model.name} ${describeWidths(model)}`);
  console.log(`Wrote ${path}  (gates i, f, c, o of ${gates.layer}: ${shown} units x ${input.labels.length} steps)`);
  return EXIT.ok;
}

interface Picture { file: string; image: RgbaImage; what: string }
type Pictures = Picture[] & { notes?: string[] };

const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-');

/** Draws tiles with the layout options and says what the grid holds. */
function grid(tiles: Float32Array[], h: number, w: number, options: GridOptions, channels: 1 | 3 = 1): { image: RgbaImage; layout: string } {
  const L = gridLayout(tiles.length, h, w, options);
  return { image: renderGrid(tiles, h, w, options, channels), layout: `${L.cols}x${L.rows} grid, ${L.scale}x` };
}

/** The filters, the input and the feature maps of a convolutional model. */
function convPictures(model: Sequential, conv: Conv2D, input: VisualInput, classNames: string[] | null): Pictures {
  const pictures: Pictures = [];
  const kernel = conv.params()[0]!.value;
  const k = kernelTiles(kernel.data, kernel.shape);
  const f = grid(k.tiles, k.h, k.w, { scale: FILTER_SCALE, gap: GAP, ...(k.cols ? { cols: k.cols } : {}) }, k.channels);
  const cin = kernel.shape[2]!;
  pictures.push({ file: `filters-${fileSafe(conv.name)}.png`, image: f.image,
                  what: `${conv.filters} filters ${k.h}x${k.w}${cin === 3 ? ' RGB' : cin > 1 ? ` x ${cin} input channels` : ''} of ${conv.name}, ${f.layout}` });

  const want = model.inputShape ?? [];
  if (want.length !== 3 || want.some((v, i) => v !== input.shape[i]))
    throw new Error(`the model takes inputs of shape [${want.join(', ')}] but ${input.description} is [${input.shape.join(', ')}]${want[2] === 1 ? '' : '; pass an image the model can read'}`);
  let x = new Tensor(input.pixels, [1, ...input.shape]);
  if (x.dtype !== model.dtype) x = x.cast(model.dtype);
  const inScale = scaleFor(input.shape[0], input.shape[1], FEATURE_PIXELS);
  const inTiles = featureMapTiles(input.pixels, input.shape);
  pictures.push({ file: 'input.png', image: renderGrid(inTiles.tiles, inTiles.h, inTiles.w, { scale: inScale, gap: GAP }),
                  what: `${input.description}, ${input.shape[0]}x${input.shape[1]}, ${inScale}x` });
  model.layers.forEach((layer, i) => {
    x = layer.forward(x, false);
    if (!isImageLayer(layer)) return;
    const a = x.clone(); // forward returns the layer's own buffer
    const m = featureMapTiles(a.data, a.shape);
    const g = grid(m.tiles, m.h, m.w, { scale: scaleFor(m.h, m.w, FEATURE_PIXELS), gap: GAP });
    pictures.push({ file: `features-${i + 1}-${fileSafe(layer.name)}.png`, image: g.image,
                    what: `${m.tiles.length} feature maps ${m.h}x${m.w} after ${layer.name} (${layer.className}), ${g.layout}` });
  });
  const probs = x.clone().data;
  if (probs.length > 1) {
    let best = 0;
    for (let j = 1; j < probs.length; j++) if (probs[j]! > probs[best]!) best = j;
    pictures.notes = [`Input: ${input.description}; the model predicts ${classNames?.[best] ?? `class ${best}`} (output ${probs[best]!.toFixed(4)})`];
  } else pictures.notes = [`Input: ${input.description}`];
  return pictures;
}

/**
 * The first Dense layer's weights into each unit, drawn as images of the input: inputs
 * [h, w, 1 or 3], or a flat [n] with n a square of at least 8x8 that is not a table's columns.
 * @throws Error naming the directory when the model has no image-shaped input to draw.
 */
function densePicture(model: Sequential, dir: string, isTable: boolean): Picture {
  const shape = model.inputShape ?? [];
  const dense = model.layers.find((l): l is Dense => l instanceof Dense);
  const inputs = shape.reduce((a, b) => a * b, 1);
  let h = 0, w = 0, channels: 1 | 3 = 1;
  if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) { h = shape[0]!; w = shape[1]!; channels = shape[2] as 1 | 3; }
  else if (shape.length === 1 && !isTable && Number.isInteger(Math.sqrt(inputs)) && inputs >= 64) { h = w = Math.sqrt(inputs); }
  const kernel = dense?.params()[0]?.value;
  if (!dense || !kernel || h === 0 || kernel.shape[0] !== inputs)
    throw new Error(`${dir}: nothing to draw: the model has no Conv2D layer${dense ? ` and the inputs of its first Dense layer (${dense.name}) are not an image (model inputs [${shape.join(', ')}])` : ' and no Dense layer'}`);
  const units = kernel.shape[1]!;
  const tiles = channels === 1 ? denseTiles(kernel.data, inputs, units, h, w) : denseTiles(kernel.data, inputs, units, h, w * 3);
  const g = grid(tiles, h, w, { scale: scaleFor(h, w, WEIGHT_PIXELS), gap: GAP }, channels);
  return { file: `weights-${fileSafe(dense.name)}.png`, image: g.image, what: `the weights into each of the ${units} units of ${dense.name}, as ${h}x${w} images, ${g.layout}` };
}
