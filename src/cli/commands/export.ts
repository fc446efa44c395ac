/**
 * `nabla export RUN_DIR --format onnx|tfjs|pytorch --out PATH`: a trained model for another
 * engine (src/interop): an ONNX file for ONNX Runtime, a TF.js Layers directory for
 * `tf.loadLayersModel`, or a PyTorch directory (model.safetensors + model.py). The exported
 * model takes the inputs the nabla model takes: after run.json's preprocessing (a standardised
 * CSV's scaler is not part of the model; the command says so).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { writeFileAtomic } from '../../io/files.js';
import { exportOnnx, ONNX_MAX_OPSET, ONNX_MIN_OPSET } from '../../interop/onnx-export.js';
import { exportTfjs } from '../../interop/tfjs-export.js';
import { exportTorch } from '../../interop/torch-export.js';
import { loadModel } from '../../models/load.js';
import { EXIT, UsageError } from '../errors.js';
import { parsePositiveInt } from '../options.js';
import { locateModel } from '../run-dir.js';
import { describeCommand } from './catalog.js';

const FORMATS = ['onnx', 'tfjs', 'pytorch'] as const;
type Format = (typeof FORMATS)[number];

interface ExportOptions { format: string; out: string; opset?: number; overwrite?: boolean; allowNonFinite?: boolean }

/** Registers `nabla export`. */
export function registerExport(program: Command): void {
  program.command('export').description(describeCommand('export'))
    .argument('<model-dir>', 'a run directory (runs/...) or a model directory holding model.json')
    .requiredOption('--format <format>', `one of ${FORMATS.join(', ')}`)
    .requiredOption('--out <path>', 'the .onnx file (onnx) or the directory to create (tfjs, pytorch)')
    .option('--opset <n>', `ONNX opset, ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET} (default ${ONNX_MIN_OPSET})`, parsePositiveInt)
    .option('--overwrite', 'replace an existing file or export directory')
    .option('--allow-non-finite', 'load a model whose weights hold NaN or Infinity (for debugging)')
    .addHelpText('after', '\nExamples:\n  nabla export runs/mnist-mlp-20250101-120000 --format onnx --out mnist.onnx\n' +
      '  nabla export runs/mnist-mlp-20250101-120000 --format pytorch --out mnist-torch')
    .action(async (dir: string, opts: ExportOptions) => { process.exitCode = await runExport(dir, opts); });
}

async function runExport(dir: string, opts: ExportOptions): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${opts.format}'`);
  const format = opts.format as Format;
  if (opts.opset !== undefined && format !== 'onnx') throw new UsageError('--opset applies to --format onnx only');
  if (opts.opset !== undefined && (opts.opset < ONNX_MIN_OPSET || opts.opset > ONNX_MAX_OPSET))
    throw new UsageError(`--opset must be from ${ONNX_MIN_OPSET} to ${ONNX_MAX_OPSET}, got ${opts.opset}`);
  const where = locateModel(dir);
  const model = await loadModel(where.modelDir, { allowNonFinite: opts.allowNonFinite ?? false });
  if (format === 'onnx') {
    if (existsSync(opts.out) && !opts.overwrite) throw new UsageError(`${opts.out} exists; pass --overwrite to replace it`);
    await writeFileAtomic(opts.out, exportOnnx(model, opts.opset === undefined ? {} : { opset: opts.opset }));
  } else if (format === 'tfjs') await exportTfjs(model, opts.out, { overwrite: opts.overwrite ?? false });
  else await exportTorch(model, opts.out, { overwrite: opts.overwrite ?? false });
  const what = { onnx: 'an ONNX model (input and output in nabla\'s layout, batch size free)', tfjs: 'a TF.js Layers model (model.json + weights)', pytorch: 'a PyTorch module (model.py + model.safetensors)' }[format];
  console.log(`Wrote ${what} to ${opts.out}: ${model.layers.length} layers, input [batch, ${model.inputShape!.join(', ')}]`);
  if (where.run?.preprocessing.scaler) console.log('Note: the model takes standardised inputs; apply the scaler of run.json (preprocessing.scaler) before it.');
  return EXIT.ok;
}
