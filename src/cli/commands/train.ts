/**
 * `nabla train`: prepare a data set, build and compile a model, train it with progress, report
 * the test-set results (accuracy and confusion matrix, or regression errors) and save a run
 * directory (see run-dir.ts). Ctrl-C finishes the current batch, saves a checkpoint into the run
 * directory, prints the command that resumes, and exits with code 130; `--resume DIR` continues
 * exactly where it stopped (the same batches, bit for bit).
 *
 * Defaults (what `npm start` runs): an MLP 784-128-10 (relu, softmax) on the embedded MNIST,
 * sparse categorical cross-entropy, Adam with a learning rate of 0.002 decaying to 0 along a
 * cosine over the run, batches of 64, 8 epochs, seed 1: about 98% test accuracy in about two
 * minutes on one core of a laptop-class machine with the js backend.
 * `--model cnn` (a LeNet-5-sized CNN, model-spec.ts) defaults to Adam with a learning rate of
 * 0.002 decaying along a cosine, batches of 64, 12 epochs.
 * Tables (iris, wine, ...) default to one hidden layer of 32, 100 epochs, batches of 16, Adam
 * with a constant learning rate of 0.01.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ACTIVATION_NAMES, getBackendInfo, LOSS_NAMES, type ActivationName, type LossName } from '../../kernels/index.js';
import { loadCheckpoint } from '../../models/load.js';
import { saveCheckpoint, type CheckpointFitArgs } from '../../models/persistence.js';
import type { Sequential } from '../../models/sequential.js';
import { cosineDecay } from '../../optim/schedules.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../optim/registry.js';
import { NonFiniteLossError } from '../../train/errors.js';
import { FileWriteError, withContext } from '../../errors.js';
import type { FitArgs, TrainingProgress } from '../../train/fit.js';
import { checkDataOption, DATA_NAMES, prepareData, taskOf, type DataSpec, type PreparedData, type Task } from '../datasets.js';
import { EXIT, UsageError } from '../errors.js';
import { nablaCommand, quote } from '../invocation.js';
import { buildCnn, buildFromJson, buildMlp, CNN_ARCHITECTURE, compileFor, defaultLoss, describeWidths, makeOptimizer, outputUnits } from '../model-spec.js';
import { parseFraction, parseHidden, parsePositiveInt, parsePositiveNumber, parseSeed } from '../options.js';
import { createProgress, formatSeconds, isInteractive } from '../progress.js';
import { testReport } from '../report.js';
import { CHECKPOINT_SUBDIR, decodePreprocessing, decodeSettings, MODEL_SUBDIR, RUN_FILE, writeRun, type TrainSettings } from '../run-dir.js';
import { acquireRunLock, clearLeftovers } from '../run-lock.js';
import { describeCommand } from './catalog.js';
import { checkOut, defaultOut, safeName } from './train-out.js';
import { checkTextOnly, isTextRun, resumeText, TEXT_DATA, TEXT_MODEL, trainText } from './train-text.js';
import { QUICK_TRAIN, capOptions, isQuick } from '../quick.js';

/** Hidden-layer activations --activation accepts. */
export const HIDDEN_ACTIVATIONS = ACTIVATION_NAMES.filter((a) => a !== 'softmax' && a !== 'step');

/** Defaults that depend on the kind of data. */
export const TRAIN_DEFAULTS = Object.freeze({
  images: { hidden: [128], epochs: 8, batchSize: 64, learningRate: 0.002, lrSchedule: 'cosine' as const },
  tables: { hidden: [32], epochs: 100, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant' as const },
  cnn: { epochs: 12, batchSize: 64, learningRate: 0.002, lrSchedule: 'cosine' as const },
  seed: 1,
});

/** The options commander parses for `nabla train`. */
interface TrainOptions {
  data: string; dataDir?: string; target?: string; task?: Task; model: string; hidden?: number[]; activation: ActivationName;
  loss?: LossName; epochs?: number; batchSize?: number; optimizer: OptimizerName; learningRate?: number; lrSchedule?: 'constant' | 'cosine';
  seed: number; validationSplit: number; limit?: number; out?: string; overwrite?: boolean; resume?: string;
}

/** `--data`'s parser: a known name or an existing .csv file. */
export function dataArg(value: string): string {
  if (value === TEXT_DATA) return value;
  try { return checkDataOption(value); } catch (e) { throw e instanceof UsageError ? new InvalidArgumentError(firstUpper(e.problem) + '.') : e; }
}

function modelArg(value: string): string {
  if (value === 'mlp' || value === 'cnn' || value === TEXT_MODEL) return value;
  if (/\.json$/i.test(value)) {
    if (!existsSync(value) || !statSync(value).isFile()) throw new InvalidArgumentError(`No such file '${value}'.`);
    return resolve(value);
  }
  throw new InvalidArgumentError("Unknown model; expected 'cnn', 'mlp' or a path to a .json file of layer configs.");
}

function dirArg(value: string): string {
  if (!existsSync(value) || !statSync(value).isDirectory()) throw new InvalidArgumentError(`No such directory '${value}'.`);
  return resolve(value);
}

const firstUpper = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Adds the data options shared by train and evaluate. */
export function addDataOptions(cmd: Command, withDefault: boolean): Command {
  const dataHelp = `data set: ${DATA_NAMES.join(', ')}, or a CSV file with a header row`;
  if (withDefault) cmd.option('--data <name|path.csv>', dataHelp, dataArg, 'mnist');
  else cmd.option('--data <name|path.csv>', dataHelp + ' (default: what the model was trained on)', dataArg);
  return cmd
    .option('--data-dir <dir>', 'folder holding the data set (default: the embedded copy; for fashion-mnist the cache of `nabla data fetch`)', dirArg)
    .option('--target <column>', 'target column of a CSV file (default: the last column)')
    .addOption(new Option('--task <task>', 'classification or regression (default: from the data)').choices(['classification', 'regression']))
    .option('--limit <n>', 'use only the first n rows of the file, read no further (a table is then split 80/20; for mnist/fashion-mnist: the first n training and n test images)', parsePositiveInt);
}

/** Registers `nabla train`. */
export function registerTrain(program: Command): void {
  const cmd = program.command('train').description(describeCommand('train'));
  addDataOptions(cmd, true)
    .option('--model <mlp|cnn|path.json>', "'mlp' (a multilayer perceptron), 'cnn' (a LeNet-5-sized convolutional network for images, below) or a JSON file listing layer configs", modelArg, 'mlp')
    .option('--hidden <widths>', `hidden layer widths of the mlp, comma-separated (default: ${TRAIN_DEFAULTS.images.hidden.join(',')} for images, ${TRAIN_DEFAULTS.tables.hidden.join(',')} for tables; 'none' for no hidden layer)`, parseHidden)
    .addOption(new Option('--activation <name>', 'activation of the hidden layers (mlp and cnn)').choices(HIDDEN_ACTIVATIONS).default('relu'))
    .addOption(new Option('--loss <name>', 'loss (default: sparseCategoricalCrossentropy for classification, meanSquaredError for regression)').choices(LOSS_NAMES))
    .option('--epochs <n>', `passes over the training data (default: ${TRAIN_DEFAULTS.images.epochs} for images, ${TRAIN_DEFAULTS.cnn.epochs} for --model cnn, ${TRAIN_DEFAULTS.tables.epochs} for tables)`, parsePositiveInt)
    .option('--batch-size <n>', `samples per mini-batch (default: ${TRAIN_DEFAULTS.images.batchSize} for images, ${TRAIN_DEFAULTS.tables.batchSize} for tables)`, parsePositiveInt)
    .addOption(new Option('--optimizer <name>', 'optimiser').choices(OPTIMIZER_NAMES).default('adam'))
    .option('--learning-rate <lr>', `learning rate (default: ${TRAIN_DEFAULTS.images.learningRate} for images, ${TRAIN_DEFAULTS.tables.learningRate} for tables and sgd)`, parsePositiveNumber)
    .addOption(new Option('--lr-schedule <schedule>', `constant, or cosine decay to 0 over the run (default: ${TRAIN_DEFAULTS.images.lrSchedule} for images, ${TRAIN_DEFAULTS.tables.lrSchedule} for tables)`).choices(['constant', 'cosine']))
    .option('--seed <n>', 'seed of initial weights, shuffling, dropout and the train/test split of tables', parseSeed, TRAIN_DEFAULTS.seed)
    .option('--validation-split <fraction>', 'fraction of the training data held out to report val_loss each epoch', parseFraction, 0)
    .option('--out <dir>', 'run directory to save into (default: runs/<data>-<model>-<time>)')
    .option('--overwrite', 'replace the model in --out if it holds a different one')
    .option('--resume <dir>', 'continue an interrupted run from its checkpoint (takes no other option)')
    .option('--max-minutes <m>', `wall-time budget of --data ${TEXT_DATA} (a character LSTM, --model ${TEXT_MODEL}): stops after the batch that passes it and saves a checkpoint (default 10)`, parsePositiveNumber)
    .addHelpText('after', [
      '',
      'Examples:',
      '  nabla train                                   # MLP on the embedded MNIST (what npm start runs)',
      '  nabla train --data iris --epochs 200 --hidden 16',
      '  nabla train --data table.csv --target price --task regression',
      '  nabla train --data fashion-mnist --hidden 256,128   # after: nabla data fetch fashion-mnist',
      '  nabla train --model cnn                       # a CNN on MNIST (about 99% test accuracy)',
      '  nabla train --resume runs/mnist-mlp-20250101-120000',
      '  nabla train --data shakespeare --model lstm   # a character LSTM on Tiny Shakespeare (nabla example char-rnn)',
      '',
      `--model cnn: ${CNN_ARCHITECTURE}, relu hidden layers`,
      `  (on MNIST 28x28x6 -> 14x14x6 -> 10x10x16 -> 5x5x16 -> 120 -> 84 -> 10, 61,706 parameters); defaults: ${TRAIN_DEFAULTS.cnn.epochs} epochs,`,
      `  batches of ${TRAIN_DEFAULTS.cnn.batchSize}, adam with learning rate ${TRAIN_DEFAULTS.cnn.learningRate} and cosine decay.`,
      '',
      'Ctrl-C finishes the current batch, saves a checkpoint and prints the command that resumes (exit code 130).',
    ].join('\n'))
    .action(async (opts: TrainOptions, command: Command) => {
      if (opts.resume !== undefined) process.exitCode = isTextRun(opts.resume) ? await resumeText(opts.resume, command) : await resumeTraining(opts.resume, command);
      else if (opts.data === TEXT_DATA || opts.model === TEXT_MODEL) process.exitCode = await trainText(opts as unknown as Parameters<typeof trainText>[0], command);
      else { checkTextOnly(opts as { maxMinutes?: number }); process.exitCode = await train(opts); }
    });
}

/** Resolves defaults that depend on the data. */
function resolveSettings(opts: TrainOptions, data: PreparedData, out: string): TrainSettings & { lrSchedule: 'constant' | 'cosine' } {
  const images = data.preprocessing.inputShape.length > 1;
  const d = opts.model === 'cnn' ? { ...TRAIN_DEFAULTS.cnn, hidden: [] } : images ? TRAIN_DEFAULTS.images : TRAIN_DEFAULTS.tables;
  const loss = opts.loss ?? defaultLoss(data.preprocessing.task);
  return {
    data: data.spec, model: opts.model, hidden: opts.hidden ?? [...d.hidden], activation: opts.activation, loss,
    optimizer: opts.optimizer,
    learningRate: opts.learningRate ?? (!images || opts.optimizer === 'sgd' ? TRAIN_DEFAULTS.tables.learningRate : d.learningRate),
    lrSchedule: opts.lrSchedule ?? d.lrSchedule,
    epochs: opts.epochs ?? d.epochs, batchSize: opts.batchSize ?? d.batchSize, seed: opts.seed,
    validationSplit: opts.validationSplit, out,
  };
}

/** `opts` with --epochs and --limit capped by QUICK_TRAIN when NABLA_QUICK=1 (said on stderr). */
function quickTrainOptions(opts: TrainOptions): TrainOptions {
  if (!isQuick()) return opts;
  process.stderr.write(`NABLA_QUICK=1: shortened run (at most ${QUICK_TRAIN.epochs} epoch on the first ${QUICK_TRAIN.limit} samples)\n`);
  return capOptions(opts, QUICK_TRAIN);
}

/** A fresh `nabla train`. */
async function train(given: TrainOptions): Promise<number> {
  const opts = quickTrainOptions(given);
  if (opts.task !== undefined && taskOf(opts.data) !== null && taskOf(opts.data) !== opts.task)
    throw new UsageError(`option '--task': ${opts.data} is a ${taskOf(opts.data)} data set`);
  const spec: DataSpec = { data: opts.data, seed: opts.seed };
  if (opts.dataDir !== undefined) spec.dataDir = opts.dataDir;
  if (opts.target !== undefined) spec.target = opts.target;
  if (opts.task !== undefined) spec.task = opts.task;
  if (opts.limit !== undefined) spec.limit = opts.limit;
  if (opts.model !== 'mlp' && opts.hidden !== undefined)
    throw new UsageError(`option '--hidden' applies to --model mlp, not to ${opts.model === 'cnn' ? '--model cnn (its layers are fixed)' : 'a model file'}`);
  const data = await prepareData(spec);
  const pre = data.preprocessing;
  const modelName = opts.model === 'mlp' || opts.model === 'cnn' ? opts.model : basename(opts.model).replace(/\.json$/i, '');
  const out = opts.out ?? defaultOut(data.label, modelName);
  const settings = resolveSettings(opts, data, out);
  const name = safeName(`${data.label}-${modelName}`);
  const model = opts.model === 'mlp'
    ? buildMlp(pre, settings.hidden, settings.activation as ActivationName, settings.loss as LossName, settings.seed, name)
    : opts.model === 'cnn'
      ? buildCnn(pre, settings.activation as ActivationName, settings.loss as LossName, settings.seed, name)
      : buildFromJson(opts.model, settings.seed, name);
  try { model.build(pre.inputShape); }
  catch (e) { throw withContext(e, opts.model); }
  const units = model.outputShape[model.outputShape.length - 1]!;
  if (pre.task === 'classification' && units !== outputUnits(pre))
    throw new Error(`${opts.model}: the last layer has ${units} output${units === 1 ? '' : 's'} but ${data.label} has ${outputUnits(pre)} classes`);
  if (pre.task === 'regression' && units !== 1) throw new Error(`${opts.model}: the last layer has ${units} outputs; regression needs 1`);
  const nFit = data.xTrain.shape[0]! - Math.floor(data.xTrain.shape[0]! * settings.validationSplit);
  if (nFit < 1 || (settings.validationSplit > 0 && nFit === data.xTrain.shape[0]))
    throw new UsageError(`option '--validation-split': ${settings.validationSplit} of ${data.xTrain.shape[0]} training samples leaves an empty part`);
  const batches = Math.ceil(nFit / settings.batchSize);
  const learningRate = settings.lrSchedule === 'cosine'
    ? cosineDecay({ initialLearningRate: settings.learningRate, decaySteps: batches * settings.epochs })
    : settings.learningRate;
  compileFor(model, pre.task, settings.loss as LossName, makeOptimizer(settings.optimizer as OptimizerName, learningRate as number));
  checkOut(out, model, opts.overwrite ?? false);
  const lock = acquireRunLock(out); // --out is writable and no other training writes it
  try {
    await clearLeftovers(out);
    checkOut(out, model, opts.overwrite ?? false); // again, now that nobody else writes it
    return await startTraining(model, data, settings, modelName, batches, opts.overwrite ?? false);
  } finally {
    lock.release();
  }
}

/** Prints what a fresh run will do and runs it. */
async function startTraining(model: Sequential, data: PreparedData, settings: TrainSettings & { lrSchedule: 'constant' | 'cosine' },
                             modelName: string, batches: number, overwrite: boolean): Promise<number> {
  const pre = data.preprocessing;
  const params = model.getWeights().reduce((s, w) => s + w.size, 0);
  const classes = pre.task === 'classification' ? `${pre.classNames?.length ?? 2} classes` : `regression of ${pre.targetName ?? 'the target'}`;
  console.log(`Data: ${data.label} - ${data.xTrain.shape[0]} training and ${data.xTest.shape[0]} test samples, ${classes}, inputs [${pre.inputShape.join(', ')}]`);
  console.log(`Model: ${modelName} ${describeWidths(model)} (${params.toLocaleString('en-US')} parameters) - loss ${settings.loss} - ${settings.optimizer}, learning rate ${settings.learningRate}${settings.lrSchedule === 'cosine' ? ' with cosine decay' : ''}`);
  console.log(`Training: ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} of ${batches} batches of ${settings.batchSize}${settings.validationSplit > 0 ? `, ${settings.validationSplit} held out for validation` : ''}, seed ${settings.seed} (Ctrl-C saves a checkpoint)`);
  console.log(backendLine());
  const fitArgs: CheckpointFitArgs = { epochs: settings.epochs, batchSize: settings.batchSize, seed: settings.seed, shuffle: true };
  if (settings.validationSplit > 0) fitArgs.validationSplit = settings.validationSplit;
  return runTraining(model, data, settings, fitArgs, null, overwrite);
}

/**
 * Fits (fresh or resumed), handles Ctrl-C, reports and saves.
 * @returns the exit code: 0, or 130 when interrupted (a checkpoint was saved).
 */
async function runTraining(model: Sequential, data: PreparedData, settings: TrainSettings, fitArgs: CheckpointFitArgs,
                           resumeFrom: TrainingProgress | null, overwrite: boolean): Promise<number> {
  const n = data.xTrain.shape[0]!;
  const nFit = n - Math.floor(n * (fitArgs.validationSplit ?? 0));
  const progress = createProgress({
    samples: nFit, batchSize: fitArgs.batchSize!, epochs: fitArgs.epochs!, interactive: isInteractive(),
    progress: () => model.trainingProgress,
  });
  let interrupts = 0;
  const interrupt = new AbortController(); // stops after the current batch, mid-epoch (fit's `signal`)
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      progress.stop();
      process.stderr.write('Interrupted again: exiting without saving.\n');
      process.exit(EXIT.interrupted);
    }
    interrupt.abort();
    progress.note('Stopping after this batch to save a checkpoint (press Ctrl-C again to quit at once)...');
  };
  const started = Date.now();
  process.on('SIGINT', onSigint);
  try {
    const args: FitArgs = { ...fitArgs, callbacks: [progress], signal: interrupt.signal };
    if (resumeFrom) args.resumeFrom = resumeFrom;
    await model.fit(data.xTrain, data.yTrain, args);
  } catch (e) {
    process.off('SIGINT', onSigint);
    if (e instanceof NonFiniteLossError) {
      // The weights are those from before the bad batch: keep them on disk, not only in memory.
      model.trainingProgress ??= { epoch: e.epoch, batch: e.batch, seen: 0, sums: {}, epochs: fitArgs.epochs! };
      const ckDir = await saveRunCheckpoint(model, data, settings, fitArgs);
      e.message += ` The last good weights are saved as a checkpoint in ${ckDir} (loadCheckpoint reads it).`;
      throw e;
    }
    throw e;
  } finally {
    progress.stop();
  }
  // From here on (checkpoint or report and save, all written atomically), Ctrl-C quits at once.
  process.off('SIGINT', onSigint);
  const quit = (): void => { process.stderr.write('Interrupted: exiting before saving.\n'); process.exit(EXIT.interrupted); };
  process.on('SIGINT', quit);
  try {
    return await finish(model, data, settings, fitArgs, resumeFrom, overwrite, started, nFit);
  } finally {
    process.off('SIGINT', quit);
  }
}

/** After fit: a checkpoint when interrupted, else the test report and the saved run. */
async function finish(model: Sequential, data: PreparedData, settings: TrainSettings, fitArgs: CheckpointFitArgs,
                      resumeFrom: TrainingProgress | null, overwrite: boolean, started: number, nFit: number): Promise<number> {
  const out = settings.out;
  const p = model.trainingProgress;
  const finished = p !== null && p.epoch >= p.epochs;
  const elapsed = formatSeconds((Date.now() - started) / 1000);
  if (!finished) {
    const ckDir = await saveRunCheckpoint(model, data, settings, fitArgs);
    const batches = Math.ceil(nFit / fitArgs.batchSize!);
    console.log(`Interrupted at epoch ${p!.epoch + 1}/${p!.epochs}, batch ${p!.batch}/${batches} after ${elapsed}; saved a checkpoint to ${ckDir}`);
    console.log(`Resume with: ${nablaCommand()} train --resume ${quote(out)}`);
    return EXIT.interrupted;
  }
  console.log(`Trained in ${elapsed}.`);
  const report = testReport(model, data.xTest, data.yTest, data.preprocessing);
  console.log('');
  console.log(report.text);
  const modelDir = join(out, MODEL_SUBDIR);
  // run.json goes last and marks the run complete: an older one must not vouch for the new model.
  rmSync(join(out, RUN_FILE), { force: true });
  try {
    await model.save(modelDir, { overwrite: overwrite || resumeFrom !== null });
  } catch (e) {
    if (e instanceof FileWriteError && e.code === 'EEXIST')
      throw new UsageError(`option '--out': ${out} holds a different model; pass --overwrite to replace it, or choose another --out`);
    throw e;
  }
  await writeRun(out, { settings, preprocessing: data.preprocessing, results: report.results });
  rmSync(join(out, CHECKPOINT_SUBDIR), { recursive: true, force: true });
  const cmd = nablaCommand(), q = quote(out);
  console.log('');
  console.log(`Saved the model to ${modelDir} (model.json, weights.safetensors) and the run's settings to ${join(out, 'run.json')}.`);
  console.log(`Evaluate it:  ${cmd} evaluate ${q}`);
  console.log(`Inspect it:   ${cmd} summary ${q}`);
  if (data.preprocessing.inputShape.length > 1 && (data.spec.data === 'mnist'))
    console.log(`Read a digit: ${cmd} predict ${q} digit.png`);
  else console.log(`Predict:      ${cmd} predict ${q} rows.csv`);
  if (data.preprocessing.inputShape.length > 1) console.log(`Draw it:      ${cmd} visualize ${q}`);
  return EXIT.ok;
}

/** Saves the run's checkpoint into RUN/checkpoint/ (replacing an older one). @returns its directory. */
async function saveRunCheckpoint(model: Sequential, data: PreparedData, settings: TrainSettings, fitArgs: CheckpointFitArgs): Promise<string> {
  const ckDir = join(settings.out, CHECKPOINT_SUBDIR);
  await saveCheckpoint(ckDir, model, { fitArgs, extra: { settings, preprocessing: data.preprocessing }, overwrite: true });
  return ckDir;
}

/** `nabla train --resume DIR`. */
async function resumeTraining(dir: string, command: Command): Promise<number> {
  for (const o of command.options) {
    const key = o.attributeName();
    if (key !== 'resume' && command.getOptionValueSource(key) === 'cli')
      throw new UsageError(`option '${o.long}' cannot be combined with --resume: a resumed run keeps the options it started with`);
  }
  if (!existsSync(dir)) throw new UsageError(`option '--resume': no such directory '${dir}'`);
  const lock = acquireRunLock(dir);
  try {
    await clearLeftovers(dir);
    return await resumeLocked(dir);
  } finally {
    lock.release();
  }
}

async function resumeLocked(dir: string): Promise<number> {
  let ckDir: string;
  if (existsSync(join(dir, CHECKPOINT_SUBDIR, 'training.json'))) ckDir = join(dir, CHECKPOINT_SUBDIR);
  else if (existsSync(join(dir, 'training.json'))) ckDir = dir;
  else throw new Error(`${dir} holds no checkpoint (no ${CHECKPOINT_SUBDIR}/training.json); only an interrupted run can be resumed`);
  const ck = await loadCheckpoint(ckDir);
  const tPath = join(ckDir, 'training.json');
  const settings = decodeSettings(ck.extra['settings'], tPath, 'extra.settings');
  const recorded = decodePreprocessing(ck.extra['preprocessing'], tPath, 'extra.preprocessing');
  settings.out = basename(ckDir) === CHECKPOINT_SUBDIR ? dirname(ckDir) : settings.out;
  const data = await prepareData(settings.data);
  if (JSON.stringify(data.preprocessing) !== JSON.stringify(recorded))
    throw new Error(`${settings.data.data}: the data differs from when this run started (its preprocessing does not match ${tPath}); cannot resume`);
  const p = ck.progress;
  const nFit = data.xTrain.shape[0]! - Math.floor(data.xTrain.shape[0]! * (ck.fitArgs.validationSplit ?? 0));
  console.log(`Resuming ${settings.out}: ${data.label}, ${describeWidths(ck.model)}, at epoch ${p.epoch + 1}/${p.epochs}, batch ${p.batch}/${Math.ceil(nFit / ck.fitArgs.batchSize!)}`);
  return runTraining(ck.model, data, settings, ck.fitArgs, p, true);
}

/** "Backend: wasm, 2 threads, fused multiply-add off" (which kernels train, for the log). */
function backendLine(): string {
  const b = getBackendInfo();
  if (b.name !== 'wasm') return `Backend: ${b.name} (the TypeScript reference kernels)`;
  return `Backend: wasm, ${b.threads} thread${b.threads === 1 ? '' : 's'}, fused multiply-add ${b.fma ? 'on' : 'off'}`;
}
