/**
 * `nabla evaluate MODEL_DIR [--data ...]`: the test-set loss and accuracy with the confusion
 * matrix (classification), or RMSE / MAE / R^2 (regression), of a saved model.
 *
 * Without --data it evaluates on the data the run was trained on, prepared as run.json records
 * (the same split and scalers), so it reproduces the accuracy training printed. With --data it
 * uses that data set's test part; a CSV file other than the one trained on is used whole.
 */
import type { Command } from 'commander';
import { readCsvStream } from '../../data/csv-stream.js';
import { loadModel } from '../../models/load.js';
import { Tensor } from '../../tensor/tensor.js';
import { applyScaler, prepareData, scaleTarget, type DataSpec, type Preprocessing, type Task } from '../datasets.js';
import { EXIT, UsageError } from '../errors.js';
import { testReport } from '../report.js';
import { parsePositiveInt } from '../options.js';
import { locateModel } from '../run-dir.js';
import { addDataOptions } from './train.js';
import { describeCommand } from './catalog.js';

interface EvaluateOptions { data?: string; dataDir?: string; target?: string; task?: Task; limit?: number; batchSize: number; allowNonFinite?: boolean }

/** Registers `nabla evaluate`. */
export function registerEvaluate(program: Command): void {
  const cmd = program.command('evaluate').description(describeCommand('evaluate'))
    .argument('<model-dir>', 'a run directory (runs/...) or a model directory holding model.json');
  addDataOptions(cmd, false)
    .option('--batch-size <n>', 'samples per forward pass', parsePositiveInt, 256)
    .option('--allow-non-finite', 'load a model whose weights hold NaN or Infinity (for debugging)')
    .addHelpText('after', '\nExamples:\n  nabla evaluate runs/mnist-mlp-20250101-120000\n  nabla evaluate my-model --data mnist\n  nabla evaluate runs/iris-mlp-20250101-120000 --data more-flowers.csv')
    .action(async (dir: string, opts: EvaluateOptions) => { process.exitCode = await evaluate(dir, opts); });
}

async function evaluate(dir: string, opts: EvaluateOptions): Promise<number> {
  const where = locateModel(dir);
  const model = await loadModel(where.modelDir, { allowNonFinite: opts.allowNonFinite ?? false });
  if (!model.loss) throw new Error(`${where.modelDir}: the model was saved uncompiled (no loss), so it cannot be evaluated`);
  const run = where.run;
  let spec: DataSpec;
  if (opts.data === undefined) {
    if (!run) throw new UsageError(`option '--data' is required: ${where.modelDir} is not part of a run directory, so the data it was trained on is unknown`);
    spec = { ...run.settings.data };
    if (opts.limit !== undefined) spec.limit = opts.limit;
  } else {
    spec = { data: opts.data, seed: run?.settings.seed ?? 1 };
    if (opts.dataDir !== undefined) spec.dataDir = opts.dataDir;
    if (opts.target !== undefined) spec.target = opts.target;
    else if (run?.settings.data.target !== undefined && /\.csv(\.gz)?$/i.test(spec.data)) spec.target = run.settings.data.target;
    if (opts.task !== undefined) spec.task = opts.task;
    if (opts.limit !== undefined) spec.limit = opts.limit;
  }
  const trainedOnCsv = run !== null && run.settings.data.data === spec.data;
  const isOtherCsv = /\.csv(\.gz)?$/i.test(spec.data) && !trainedOnCsv;
  let x: Tensor, y: Tensor, pre: Preprocessing;
  if (isOtherCsv && run) {
    pre = run.preprocessing;
    ({ x, y } = await wholeCsv(spec, pre));
  } else {
    const data = await prepareData(spec);
    x = data.xTest; y = data.yTest;
    pre = run && run.preprocessing.task === data.preprocessing.task ? { ...data.preprocessing, classNames: run.preprocessing.classNames ?? data.preprocessing.classNames } : data.preprocessing;
    if (run && JSON.stringify(run.preprocessing.inputShape) !== JSON.stringify(data.preprocessing.inputShape))
      throw new Error(`${spec.data} has inputs [${data.preprocessing.inputShape.join(', ')}] but the model was trained on [${run.preprocessing.inputShape.join(', ')}]`);
  }
  console.log(`Model: ${where.modelDir}`);
  console.log(`Data: ${spec.data}${isOtherCsv ? (spec.limit !== undefined ? ` (first ${spec.limit} rows)` : ' (all rows)') : ' (test part)'} - ${x.shape[0]} samples`);
  console.log(testReport(model, x, y, pre, opts.batchSize).text);
  return EXIT.ok;
}

/** Every row of a CSV (the first `spec.limit` ones), prepared with the run's recorded scalers and labels. */
async function wholeCsv(spec: DataSpec, pre: Preprocessing): Promise<{ x: Tensor; y: Tensor }> {
  if (!pre.featureNames || !pre.targetName) throw new Error(`the run was not trained on a table, so ${spec.data} cannot be evaluated with it`);
  const target = spec.target ?? pre.targetName;
  const table = await readCsvStream(spec.data, { columns: [...pre.featureNames, target], textColumns: 'keep', ...(spec.limit !== undefined && { maxRows: spec.limit }) });
  const k = pre.featureNames.length, n = table.rows;
  const xs = new Float64Array(n * k), ys = new Float64Array(n);
  const text = table.text[target];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) xs[r * k + c] = table.data[r * table.columns.length + table.columns.indexOf(pre.featureNames[c]!)]!;
    const raw: string | number = text ? text[r]! : table.data[r * table.columns.length + table.columns.indexOf(target)]!;
    if (pre.task === 'classification') {
      const idx = pre.labelValues ? pre.labelValues.findIndex((v) => String(v) === String(raw)) : Number(raw);
      if (idx < 0 || !Number.isInteger(idx) || idx >= (pre.classNames?.length ?? Infinity))
        throw new Error(`${spec.data}: label '${raw}' at data row ${r + 1} is not one of the classes the model knows (${(pre.classNames ?? []).join(', ')})`);
      ys[r] = idx;
    } else ys[r] = Number(raw);
  }
  const x = applyScaler(new Tensor(xs, [n, k]), pre.scaler);
  const yT = new Tensor(ys, [n]);
  const y = pre.task === 'regression' && pre.targetScaler ? scaleTarget(yT, pre.targetScaler) : yT;
  return { x, y: y.cast('float32') };
}
