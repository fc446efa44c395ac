/**
 * `nabla summary MODEL_DIR`: the Keras-style table of a saved model's layers, output shapes and
 * parameter counts, its compile settings, its training history and, for a run directory, the
 * data it was trained on and its test results.
 */
import type { Command } from 'commander';
import { loadModel } from '../../models/load.js';
import { EXIT } from '../errors.js';
import { locateModel } from '../run-dir.js';
import { describeCommand } from './catalog.js';

/** Registers `nabla summary`. */
export function registerSummary(program: Command): void {
  program.command('summary').description(describeCommand('summary'))
    .argument('<model-dir>', 'a run directory (runs/...) or a model directory holding model.json')
    .option('--allow-non-finite', 'load a model whose weights hold NaN or Infinity (for debugging)')
    .addHelpText('after', '\nExample:\n  nabla summary runs/mnist-mlp-20250101-120000')
    .action(async (dir: string, opts: { allowNonFinite?: boolean }) => { process.exitCode = await summary(dir, opts); });
}

async function summary(dir: string, opts: { allowNonFinite?: boolean }): Promise<number> {
  const where = locateModel(dir);
  const model = await loadModel(where.modelDir, { allowNonFinite: opts.allowNonFinite ?? false });
  console.log(model.summary());
  if (model.loss && model.optimizer) {
    const opt = model.optimizer.getConfig() as { className?: string; learningRate?: unknown };
    const lr = typeof opt.learningRate === 'number' ? `learning rate ${opt.learningRate}` : `learning-rate schedule ${(opt.learningRate as { className?: string })?.className ?? ''}`;
    console.log(`Compiled: loss ${model.loss.info.name}, optimizer ${opt.className ?? model.optimizer.name} (${lr}), metrics ${model.metrics.join(', ') || 'none'}`);
  } else console.log('Not compiled (no loss or optimizer saved).');
  const epochs = model.histories.reduce((s, h) => s + h.epoch.length, 0);
  const last = model.histories.length ? model.histories[model.histories.length - 1]! : null;
  if (last && last.epoch.length > 0) {
    const final = Object.entries(last.history).map(([k, v]) => `${k} ${v[v.length - 1]!.toFixed(4)}`).join(', ');
    console.log(`Trained: ${epochs} epoch${epochs === 1 ? '' : 's'}; last epoch: ${final}`);
  } else console.log('Trained: no history saved.');
  const run = where.run;
  if (run) {
    const s = run.settings, p = run.preprocessing;
    console.log(`Data: ${s.data.data}${s.data.limit ? ` (first ${s.data.limit} samples)` : ''} - ${p.task}${p.classNames ? ` of ${p.classNames.length} classes` : ''}, inputs [${p.inputShape.join(', ')}]${p.scaler ? ', standardised' : ''}`);
    console.log(`Run: ${s.epochs} epochs, batch size ${s.batchSize}, ${s.optimizer} learning rate ${s.learningRate}${s.lrSchedule === 'cosine' ? ' with cosine decay' : ''}, seed ${s.seed}`);
    if (run.results) console.log(`Test: ${Object.entries(run.results).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
  }
  return EXIT.ok;
}
