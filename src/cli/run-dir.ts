/**
 * A run directory: what `nabla train` leaves behind.
 *
 * ```
 * runs/mnist-mlp-20250101-120000/
 *   model/             the saved model: model.json + weights.safetensors (loadModel reads it)
 *   run.json           how the data was prepared (data set, split seed, scalers, class names),
 *                      the training options and the test results
 *   checkpoint/        only while a run is interrupted (Ctrl-C, or a NaN loss): what
 *                      `nabla train --resume` needs
 *   .nabla-train.lock  only while `nabla train` writes the run (run-lock.ts)
 * ```
 *
 * run.json is written last, by rename, and marks a complete run: a run directory whose model/
 * has no run.json beside it (training was killed between the two) is refused by evaluate,
 * predict and summary as incomplete (code E_INCOMPLETE), since its inputs' scalers and class
 * names are unknown.
 *
 * The model stays a plain model directory (any nabla program loads it); run.json carries what
 * the command line needs on top, so `nabla evaluate` and `nabla predict` prepare inputs exactly
 * as training did. run.json is validated field by field when read and never runs code.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  expectArray, expectInteger, expectKeys, expectNumber, expectNumberArray, expectObject, expectOneOf, expectShape,
  expectString, expectStringArray, ModelFileError, parseJsonFile,
} from '../io/validate.js';
import { modelFileError, writeFileAtomic } from '../io/files.js';
import { readFileBounded } from '../data/read-bounded.js';
import { LIMITS } from '../limits.js';
import { RUN_FILE as TEXT_RUN_FILE } from '../examples/char-rnn-file.js';
import type { DataSpec, Preprocessing, Task } from './datasets.js';
import { nablaCommand, quote } from './invocation.js';

export const RUN_FORMAT = 'nabla-run';
export const RUN_FORMAT_VERSION = 1;
export const RUN_FILE = 'run.json';
export const MODEL_SUBDIR = 'model';
export const CHECKPOINT_SUBDIR = 'checkpoint';
/** The lock file `nabla train` holds inside the run directory it writes (run-lock.ts). */
export const LOCK_FILE = '.nabla-train.lock';

/** The resolved options of a `nabla train` run. */
export interface TrainSettings {
  data: DataSpec;
  /** 'mlp' or the absolute path of a JSON list of layer configs. */
  model: string;
  hidden: number[];
  activation: string;
  loss: string;
  optimizer: string;
  learningRate: number;
  /** How the learning rate changes over the run (absent in older run.json: constant). */
  lrSchedule?: 'constant' | 'cosine';
  epochs: number;
  batchSize: number;
  seed: number;
  validationSplit: number;
  /** The run directory. */
  out: string;
}

/** run.json, decoded. */
export interface RunRecord {
  settings: TrainSettings;
  preprocessing: Preprocessing;
  /** Test-set results printed at the end of training. */
  results: Record<string, number> | null;
}

/** Where a model given on the command line lives. */
export interface ModelLocation {
  /** The directory with model.json and weights.safetensors. */
  modelDir: string;
  /** The run directory, when the model belongs to one (it has run.json, or char-rnn.json: a text run). */
  runDir: string | null;
  /** run.json, decoded (null for a text run: its settings are in char-rnn.json). */
  run: RunRecord | null;
}

/** Writes run.json atomically. */
export async function writeRun(runDir: string, record: RunRecord): Promise<void> {
  const json = { format: RUN_FORMAT, formatVersion: RUN_FORMAT_VERSION, ...record };
  await writeFileAtomic(join(runDir, RUN_FILE), JSON.stringify(json, null, 2) + '\n');
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The error for a run directory without run.json. */
function incomplete(runDir: string): ModelFileError {
  return new ModelFileError(runDir, `incomplete run directory: it has no ${RUN_FILE} (the training that wrote it did not finish); train again, or resume it if it holds a ${CHECKPOINT_SUBDIR}/`, undefined, 'E_INCOMPLETE');
}

/**
 * Finds the model for MODEL_DIR: a run directory (with model/), the model/ folder of one, or a
 * plain model directory (model.json). A text run (char-rnn.json, examples/char-rnn.ts) saves its
 * model/ at the end of every session, so it is found even while it holds a checkpoint.
 * @throws Error naming the directory when it holds no model; ModelFileError for a bad run.json,
 *   of code E_INCOMPLETE for a run directory without run.json (or the model/ folder of one that
 *   still holds a checkpoint or the training lock).
 */
export function locateModel(dir: string): ModelLocation {
  if (!existsSync(dir)) throw new Error(`${dir}: no such directory`);
  if (!isDir(dir)) throw new Error(`${dir}: not a directory (expected a model or run directory)`);
  if (existsSync(join(dir, MODEL_SUBDIR, 'model.json'))) {
    if (!existsSync(join(dir, RUN_FILE)) && existsSync(join(dir, TEXT_RUN_FILE))) return { modelDir: join(dir, MODEL_SUBDIR), runDir: dir, run: null };
    if (!existsSync(join(dir, RUN_FILE))) throw incomplete(dir);
    return { modelDir: join(dir, MODEL_SUBDIR), runDir: dir, run: readRun(join(dir, RUN_FILE)) };
  }
  if (existsSync(join(dir, 'model.json'))) {
    const parent = dirname(dir);
    const inRun = basename(dir) === MODEL_SUBDIR;
    if (inRun && !existsSync(join(parent, RUN_FILE)) && !existsSync(join(parent, TEXT_RUN_FILE)) && (existsSync(join(parent, LOCK_FILE)) || existsSync(join(parent, CHECKPOINT_SUBDIR))))
      throw incomplete(parent);
    const run = inRun && existsSync(join(parent, RUN_FILE)) ? readRun(join(parent, RUN_FILE)) : null;
    return { modelDir: dir, runDir: run || (inRun && existsSync(join(parent, TEXT_RUN_FILE))) ? parent : null, run };
  }
  if (existsSync(join(dir, CHECKPOINT_SUBDIR, 'training.json')))
    throw new Error(`${dir} holds an interrupted run (a checkpoint, no model yet); finish it with: ${nablaCommand()} train --resume ${quote(dir)}`);
  throw new Error(`${dir} holds no saved model (no model.json, nor ${MODEL_SUBDIR}/model.json)`);
}

/**
 * Reads and validates run.json.
 * @throws ModelFileError naming the file and the field that is missing or malformed.
 */
export function readRun(path: string): RunRecord {
  const bytes = readFileBounded(path, 'json', LIMITS, modelFileError);
  const root = expectObject(parseJsonFile(bytes, path), path, '');
  expectKeys(root, path, '', { required: ['format', 'formatVersion', 'settings', 'preprocessing', 'results'] });
  if (root.format !== RUN_FORMAT) throw new ModelFileError(path, `field 'format' must be '${RUN_FORMAT}', got ${JSON.stringify(root.format)}`, 'format');
  const version = expectInteger(root.formatVersion, path, 'formatVersion', { min: 1 });
  if (version > RUN_FORMAT_VERSION) throw new ModelFileError(path, `formatVersion ${version} is newer than this nabla understands (${RUN_FORMAT_VERSION})`, 'formatVersion', 'E_UNSUPPORTED');
  return {
    settings: decodeSettings(root.settings, path, 'settings'),
    preprocessing: decodePreprocessing(root.preprocessing, path, 'preprocessing'),
    results: root.results === null ? null : decodeNumbers(root.results, path, 'results'),
  };
}

function decodeNumbers(value: unknown, path: string, field: string): Record<string, number> {
  const o = expectObject(value, path, field), out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) out[k] = expectNumber(v, path, `${field}.${k}`);
  return out;
}

/** Decodes a DataSpec. @throws ModelFileError naming the field. */
export function decodeDataSpec(value: unknown, path: string, field: string): DataSpec {
  const d = expectObject(value, path, field);
  expectKeys(d, path, field, { required: ['data', 'seed'], optional: ['dataDir', 'target', 'task', 'limit'] });
  const spec: DataSpec = { data: expectString(d.data, path, `${field}.data`, { nonEmpty: true }), seed: expectInteger(d.seed, path, `${field}.seed`, { min: 0 }) };
  if (d.dataDir !== undefined) spec.dataDir = expectString(d.dataDir, path, `${field}.dataDir`, { nonEmpty: true });
  if (d.target !== undefined) spec.target = expectString(d.target, path, `${field}.target`, { nonEmpty: true });
  if (d.task !== undefined) spec.task = expectOneOf(d.task, ['classification', 'regression'] as const, path, `${field}.task`);
  if (d.limit !== undefined) spec.limit = expectInteger(d.limit, path, `${field}.limit`, { min: 1 });
  return spec;
}

/** Decodes TrainSettings. @throws ModelFileError naming the field. */
export function decodeSettings(value: unknown, path: string, field: string): TrainSettings {
  const s = expectObject(value, path, field);
  const keys = ['data', 'model', 'hidden', 'activation', 'loss', 'optimizer', 'learningRate', 'epochs', 'batchSize', 'seed', 'validationSplit', 'out'];
  expectKeys(s, path, field, { required: keys, optional: ['lrSchedule'] });
  const f = (k: string) => `${field}.${k}`;
  const settings: TrainSettings = {
    data: decodeDataSpec(s.data, path, f('data')),
    model: expectString(s.model, path, f('model'), { nonEmpty: true }),
    hidden: expectArray(s.hidden, path, f('hidden')).map((h, i) => expectInteger(h, path, `${f('hidden')}[${i}]`, { min: 1 })),
    activation: expectString(s.activation, path, f('activation'), { nonEmpty: true }),
    loss: expectString(s.loss, path, f('loss'), { nonEmpty: true }),
    optimizer: expectString(s.optimizer, path, f('optimizer'), { nonEmpty: true }),
    learningRate: expectNumber(s.learningRate, path, f('learningRate'), { exclusiveMin: 0 }),
    epochs: expectInteger(s.epochs, path, f('epochs'), { min: 1 }),
    batchSize: expectInteger(s.batchSize, path, f('batchSize'), { min: 1 }),
    seed: expectInteger(s.seed, path, f('seed'), { min: 0 }),
    validationSplit: expectNumber(s.validationSplit, path, f('validationSplit'), { min: 0, exclusiveMax: 1 }),
    out: expectString(s.out, path, f('out'), { nonEmpty: true }),
  };
  if (s.lrSchedule !== undefined) settings.lrSchedule = expectOneOf(s.lrSchedule, ['constant', 'cosine'] as const, path, f('lrSchedule'));
  return settings;
}

/** Decodes Preprocessing. @throws ModelFileError naming the field. */
export function decodePreprocessing(value: unknown, path: string, field: string): Preprocessing {
  const p = expectObject(value, path, field);
  const keys = ['task', 'inputShape', 'featureNames', 'classNames', 'labelValues', 'scaler', 'targetScaler', 'targetName'];
  expectKeys(p, path, field, { required: ['task', 'inputShape'], optional: keys });
  const f = (k: string) => `${field}.${k}`;
  const task: Task = expectOneOf(p.task, ['classification', 'regression'] as const, path, f('task'));
  const nullable = <T>(v: unknown, decode: (v: unknown) => T): T | null => (v === null || v === undefined ? null : decode(v));
  const scaler = nullable(p.scaler, (v) => {
    const o = expectObject(v, path, f('scaler'));
    expectKeys(o, path, f('scaler'), { required: ['mean', 'scale'] });
    const mean = expectNumberArray(o.mean, path, `${f('scaler')}.mean`), scale = expectNumberArray(o.scale, path, `${f('scaler')}.scale`);
    if (mean.length !== scale.length) throw new ModelFileError(path, `field '${f('scaler')}': mean has ${mean.length} values but scale has ${scale.length}`, f('scaler'));
    return { mean, scale };
  });
  const targetScaler = nullable(p.targetScaler, (v) => {
    const o = expectObject(v, path, f('targetScaler'));
    expectKeys(o, path, f('targetScaler'), { required: ['mean', 'scale'] });
    return { mean: expectNumber(o.mean, path, `${f('targetScaler')}.mean`), scale: expectNumber(o.scale, path, `${f('targetScaler')}.scale`) };
  });
  const labelValues = nullable(p.labelValues, (v) => expectArray(v, path, f('labelValues')).map((x, i) => {
    if (typeof x === 'string') return x;
    return expectNumber(x, path, `${f('labelValues')}[${i}]`);
  }));
  return {
    task,
    inputShape: expectShape(p.inputShape, path, f('inputShape')),
    featureNames: nullable(p.featureNames, (v) => expectStringArray(v, path, f('featureNames'))),
    classNames: nullable(p.classNames, (v) => expectStringArray(v, path, f('classNames'))),
    labelValues, scaler, targetScaler,
    targetName: nullable(p.targetName, (v) => expectString(v, path, f('targetName'))),
  };
}
