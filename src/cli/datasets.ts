/**
 * The data sets `nabla train --data ...` knows, prepared for training: a train / test split,
 * inputs standardised with statistics of the training part only, float32 tensors.
 *
 * - `mnist` (embedded), `fashion-mnist` (--data-dir, or the cache of `nabla data fetch`):
 *   their published 60,000 / 10,000 split; pixels in [0, 1], no further scaling.
 * - `iris`, `wine`, `breast-cancer`, `higham` (classification), `diabetes`, `pokemon-cp`
 *   (regression), and any `PATH.csv` with a header row (`--target COLUMN`, default the last
 *   column): a seeded split holding out 20% for testing (stratified by class for
 *   classification), inputs standardised (StandardScaler fitted on the training part); for
 *   regression the target is standardised too and reports are given in its original units.
 *
 * `--limit N` ({@link DataSpec.limit}) means the first N rows of the file: a CSV file is read
 * only that far (streamed, so a large or `.csv.gz` file is not read whole), and the train / test
 * split is of those N rows; for MNIST and Fashion-MNIST, the first N images of the training
 * file and the first N of the test file.
 *
 * Everything needed to repeat the preparation (the data spec, the scalers, the class labels) is
 * recorded in {@link Preprocessing}, saved in the run's run.json, so `nabla evaluate` and
 * `nabla predict` see the data exactly as training did.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  loadBreastCancer, loadDiabetes, loadFashionMnist, loadHigham, loadIris, loadMnist, loadPokemonCp, loadWine,
  StandardScaler, tableColumns, trainTestSplit, type CsvTable, type TabularDataset,
} from '../data/index.js';
import { readCsvStream } from '../data/csv-stream.js';
import { gatherRows } from '../data/split.js';
import { Tensor } from '../tensor/tensor.js';
import { UsageError } from './errors.js';

/** The data set names `--data` accepts besides a path to a .csv file. */
export const DATA_NAMES = ['mnist', 'fashion-mnist', 'iris', 'wine', 'breast-cancer', 'diabetes', 'higham', 'pokemon-cp'] as const;
export type DataName = (typeof DATA_NAMES)[number];
export type Task = 'classification' | 'regression';

/** Which data to load and how to split it: what run.json records as `data`. */
export interface DataSpec {
  /** A name of {@link DATA_NAMES} or a path to a CSV file (absolute in run.json). */
  data: string;
  /** The folder of a data set (fashion-mnist, or another copy of a named set). */
  dataDir?: string;
  /** The target column of a CSV file. */
  target?: string;
  /** Forced task (default: from the data set). */
  task?: Task;
  /** Only the first `limit` rows of a table (read no further; the split is of those), or the
   *  first `limit` images of each of MNIST's training and test files. */
  limit?: number;
  /** Seed of the train / test split of tables. */
  seed: number;
}

/** How inputs and targets were transformed: repeated exactly at evaluate / predict time. */
export interface Preprocessing {
  task: Task;
  /** Per-sample input shape, e.g. [28, 28, 1] or [4]. */
  inputShape: number[];
  /** Names of the input columns (tables). */
  featureNames: string[] | null;
  /** Class names by index (classification). */
  classNames: string[] | null;
  /** For a CSV target: the original label of each class index (numbers or text). */
  labelValues: (string | number)[] | null;
  /** Standardisation of the inputs (tables), fitted on the training part. */
  scaler: { mean: number[]; scale: number[] } | null;
  /** Standardisation of a regression target: y' = (y - mean) / scale. */
  targetScaler: { mean: number; scale: number } | null;
  /** The name of the target (for reports). */
  targetName: string | null;
}

/** A prepared data set. */
export interface PreparedData {
  spec: DataSpec;
  /** A short name for messages and run directory names ('mnist', 'iris', 'my-table'). */
  label: string;
  xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor;
  preprocessing: Preprocessing;
}

/** Fraction of a table held out for testing. */
export const TEST_FRACTION = 0.2;

/**
 * Checks `--data` (a known name, or a CSV file that exists) and resolves a path to absolute.
 * @throws UsageError naming --data.
 */
export function checkDataOption(value: string): string {
  if ((DATA_NAMES as readonly string[]).includes(value)) return value;
  if (/\.csv(\.gz)?$/i.test(value)) {
    if (!existsSync(value) || !statSync(value).isFile()) throw new UsageError(`no such file '${value}'`, '--data');
    return resolve(value);
  }
  throw new UsageError(`unknown data set '${value}'; expected one of ${DATA_NAMES.join(', ')} or a path to a .csv file`, '--data');
}

/** The default task of a named data set, or null for a CSV (decided from its target). */
export function taskOf(data: string): Task | null {
  if (data === 'diabetes' || data === 'pokemon-cp') return 'regression';
  if ((DATA_NAMES as readonly string[]).includes(data)) return 'classification';
  return null;
}

const f32 = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : t.cast('float32'));

function firstRows(t: Tensor, n: number | undefined): Tensor {
  if (n === undefined || n >= t.shape[0]!) return t;
  return gatherRows(t, Uint32Array.from({ length: n }, (_, i) => i));
}

type LoadedTable = TabularDataset & { labelValues?: (string | number)[]; targetName?: string };

/** A named table or a CSV file, only its first `spec.limit` rows when given. */
async function loadTable(spec: DataSpec): Promise<LoadedTable> {
  const named = namedTable(spec.data, spec.dataDir);
  if (!named) return loadCsvTable(spec);
  return { ...named, x: firstRows(named.x, spec.limit), y: firstRows(named.y, spec.limit) };
}

function namedTable(data: string, dir: string | undefined): LoadedTable | null {
  switch (data) {
    case 'iris': return loadIris(dir);
    case 'wine': return loadWine(dir);
    case 'breast-cancer': return loadBreastCancer(dir);
    case 'higham': return loadHigham(dir);
    case 'diabetes': return { ...loadDiabetes(dir), targetName: 'disease progression' };
    case 'pokemon-cp': return { ...loadPokemonCp(dir), targetName: 'cp_new' };
    default: return null;
  }
}

/** Reads a CSV for training (its first `spec.limit` rows): numeric inputs, a numeric or text target. */
async function loadCsvTable(spec: DataSpec): Promise<LoadedTable & { targetName: string }> {
  const table: CsvTable = await readCsvStream(spec.data, { textColumns: 'keep', ...(spec.limit !== undefined && { maxRows: spec.limit }) });
  const textNames = Object.keys(table.text);
  const allNames = [...table.columns, ...textNames];
  const target = spec.target ?? table.columns[table.columns.length - 1] ?? textNames[textNames.length - 1];
  if (target === undefined || !allNames.includes(target))
    throw new UsageError(`option '--target': no column '${String(target)}' in ${spec.data} (columns: ${allNames.join(', ')})`);
  const otherText = textNames.filter((n) => n !== target);
  if (otherText.length > 0)
    throw new Error(`${spec.data}: text column${otherText.length > 1 ? 's' : ''} ${otherText.map((n) => `'${n}'`).join(', ')} cannot be inputs; remove ${otherText.length > 1 ? 'them' : 'it'} or encode ${otherText.length > 1 ? 'them' : 'it'} as numbers`);
  const featureNames = table.columns.filter((c) => c !== target);
  if (featureNames.length === 0) throw new Error(`${spec.data}: no numeric input column besides the target '${target}'`);
  const x = tableColumns(table, featureNames);
  const textTarget = table.text[target];
  if (textTarget) {
    if (spec.task === 'regression') throw new UsageError(`option '--task': the target '${target}' of ${spec.data} is text, so the task must be classification`);
    const labels = [...new Set(textTarget)].sort();
    const y = Float64Array.from(textTarget, (v) => labels.indexOf(v));
    return { x, y: new Tensor(y, [table.rows]), featureNames, targetNames: labels, labelValues: labels, targetName: target };
  }
  const raw = tableColumns(table, [target]).data;
  const distinct = [...new Set(raw)].sort((a, b) => a - b);
  const looksCategorical = distinct.every(Number.isInteger) && distinct.length <= 20 && distinct.length < table.rows / 2;
  const task = spec.task ?? (looksCategorical ? 'classification' : 'regression');
  if (task === 'regression') return { x, y: new Tensor(Float64Array.from(raw), [table.rows]), featureNames, targetName: target };
  if (!distinct.every(Number.isInteger) || distinct.length > 1000)
    throw new Error(`${spec.data}: column '${target}' holds ${distinct.length} distinct values${distinct.every(Number.isInteger) ? '' : ', not all integers'}; it does not look like class labels (use --task regression)`);
  const y = Float64Array.from(raw, (v) => distinct.indexOf(v));
  return { x, y: new Tensor(y, [table.rows]), featureNames, targetNames: distinct.map(String), labelValues: distinct, targetName: target };
}

/**
 * Loads and prepares a data set (see the module comment).
 * @throws UsageError for an option that does not fit the data (--target for a named table, a
 *   task the data cannot have); DataFileError naming the file for a missing or corrupt file.
 */
export async function prepareData(spec: DataSpec): Promise<PreparedData> {
  if (spec.data === 'mnist' || spec.data === 'fashion-mnist') {
    if (spec.target !== undefined) throw new UsageError(`option '--target' applies to CSV files, not to ${spec.data}`);
    if (spec.task === 'regression') throw new UsageError(`option '--task': ${spec.data} is a classification data set`);
    // fashion-mnist without --data-dir reads the cached copy ('nabla data fetch fashion-mnist').
    const first = spec.limit !== undefined ? { maxItems: spec.limit } : {};
    const d = spec.data === 'mnist' ? loadMnist(spec.dataDir, first) : loadFashionMnist(spec.dataDir, first);
    return {
      spec, label: spec.data,
      xTrain: firstRows(d.train.images, spec.limit), yTrain: firstRows(d.train.labels, spec.limit),
      xTest: firstRows(d.test.images, spec.limit), yTest: firstRows(d.test.labels, spec.limit),
      preprocessing: {
        task: 'classification', inputShape: d.train.images.shape.slice(1), featureNames: null, classNames: d.classNames,
        labelValues: null, scaler: null, targetScaler: null, targetName: null,
      },
    };
  }
  const isCsv = !(DATA_NAMES as readonly string[]).includes(spec.data);
  if (!isCsv && spec.target !== undefined) throw new UsageError(`option '--target' applies to CSV files; ${spec.data} has a fixed target`);
  const table = await loadTable(spec);
  const natural = taskOf(spec.data);
  const task: Task = isCsv ? (table.targetNames ? 'classification' : 'regression') : natural!;
  if (spec.task !== undefined && spec.task !== task)
    throw new UsageError(`option '--task': ${spec.data} is a ${task} data set${isCsv ? ` (its target '${table.targetName}' ${task === 'classification' ? 'holds class labels' : 'is continuous'})` : ''}`);
  const n = table.x.shape[0]!;
  if (n < 2) throw new Error(`${spec.data}: ${n} row${n === 1 ? '' : 's'}; at least 2 are needed to split into training and test parts`);
  const split = trainTestSplit(table.x, table.y, { testSize: TEST_FRACTION, seed: spec.seed, stratify: task === 'classification' && canStratify(table.y, n) });
  const scaler = StandardScaler.fit(split.xTrain);
  let yTrain = split.yTrain, yTest = split.yTest, targetScaler: Preprocessing['targetScaler'] = null;
  if (task === 'regression') {
    targetScaler = fitTargetScaler(split.yTrain);
    yTrain = scaleTarget(split.yTrain, targetScaler);
    yTest = scaleTarget(split.yTest, targetScaler);
  }
  const label = isCsv ? (spec.data.split(/[\\/]/).pop() ?? 'data').replace(/\.csv(\.gz)?$/i, '') : spec.data;
  return {
    spec, label,
    xTrain: f32(scaler.transform(split.xTrain)), yTrain: f32(yTrain),
    xTest: f32(scaler.transform(split.xTest)), yTest: f32(yTest),
    preprocessing: {
      task, inputShape: [table.x.shape[1]!], featureNames: table.featureNames, classNames: task === 'classification' ? (table.targetNames ?? null) : null,
      labelValues: table.labelValues ?? null, scaler: { mean: scaler.mean, scale: scaler.scale }, targetScaler,
      targetName: table.targetName ?? null,
    },
  };
}

/** Stratify only when every class has at least 2 samples (else a class could not be in both parts). */
function canStratify(y: Tensor, n: number): boolean {
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(y.data[i]!, (counts.get(y.data[i]!) ?? 0) + 1);
  return [...counts.values()].every((c) => c >= 2) && Math.ceil(TEST_FRACTION * n) >= counts.size;
}

/** Mean and population standard deviation of a target `[n]` (scale 1 when constant). */
export function fitTargetScaler(y: Tensor): { mean: number; scale: number } {
  const n = y.size;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y.data[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y.data[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  return { mean, scale: sd > 0 ? sd : 1 };
}

/** (y - mean) / scale, float64. */
export function scaleTarget(y: Tensor, s: { mean: number; scale: number }): Tensor {
  return new Tensor(Float64Array.from(y.data, (v) => (v - s.mean) / s.scale), y.shape);
}

/** y * scale + mean, float64: a regression output back in the target's units. */
export function unscaleTarget(y: Tensor, s: { mean: number; scale: number } | null): Tensor {
  return new Tensor(Float64Array.from(y.data, (v) => (s ? v * s.scale + s.mean : v)), y.shape);
}

/** Applies a recorded input scaler to raw feature rows `[n, f]`. */
export function applyScaler(x: Tensor, scaler: Preprocessing['scaler']): Tensor {
  if (!scaler) return f32(x);
  return f32(StandardScaler.fromConfig({ className: 'StandardScaler', mean: scaler.mean, scale: scaler.scale }).transform(x));
}
