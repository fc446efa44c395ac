/**
 * The shape every named table loader returns, and the reader for scikit-learn's CSV layout
 * (`sklearn/datasets/data/*.csv`): a first line `n_samples,n_features,class names...`, then
 * headerless rows of the features followed by the integer target.
 */
import { Tensor } from '../tensor/tensor.js';
import { DataFileError, readDataFile, resolveDataPath } from './files.js';
import { parseCsv } from './csv.js';

/** A table data set: inputs, targets and the names of both. Classic models compute in float64. */
export interface TabularDataset {
  /** Inputs `[n, features]`, float64. */
  x: Tensor;
  /** Targets, float64: `[n]` class indices (classification) or values (regression); `[n, outputs]`
   *  for a multi-output regression set. */
  y: Tensor;
  /** Names of the columns of `x`. */
  featureNames: string[];
  /** Class names by index (classification), or names of the outputs (multi-output regression). */
  targetNames?: string[];
}

/**
 * Reads a file in scikit-learn's CSV layout and checks it against its own first line.
 * @param path the file, or undefined for the embedded copy (`data/<folder>/<file>`, checksum required).
 * @param featureNames the feature names (scikit-learn's, as the file does not carry them).
 * @throws DataFileError naming the file when the first line is malformed, the row or feature
 *   count differs from it, or a target is not a class index.
 */
export function loadSklearnLayout(path: string | undefined, folder: string, file: string, featureNames: readonly string[]): TabularDataset {
  const where = resolveDataPath(path, folder, file);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(readDataFile(where.path, { checksum: where.checksum })); // as Buffer's toString: a BOM is kept
  const first = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').split(',').map((s) => s.trim());
  const n = Number(first[0]), f = Number(first[1]), targetNames = first.slice(2);
  if (!Number.isInteger(n) || !Number.isInteger(f) || n <= 0 || f <= 0)
    throw new DataFileError(where.path, `first line is not scikit-learn's 'n_samples,n_features[,class names]' header`);
  if (f !== featureNames.length)
    throw new DataFileError(where.path, `first line says ${f} features, expected ${featureNames.length} for this data set`);
  const table = parseCsv(text, { header: false, skipLines: 1 }, where.path);
  if (table.rows !== n) throw new DataFileError(where.path, `first line says ${n} rows, file has ${table.rows}`);
  if (table.columns.length !== f + 1)
    throw new DataFileError(where.path, `rows have ${table.columns.length} fields, expected ${f} features and a target`);
  const x = new Float64Array(n * f), y = new Float64Array(n), w = f + 1;
  for (let r = 0; r < n; r++) {
    x.set(table.data.subarray(r * w, r * w + f), r * f);
    const t = table.data[r * w + f]!;
    if (!Number.isInteger(t) || t < 0 || (targetNames.length > 0 && t >= targetNames.length))
      throw new DataFileError(where.path, `target ${t} at data row ${r + 1} is not a class index in [0, ${targetNames.length})`, 'E_INVALID');
    y[r] = t;
  }
  const out: TabularDataset = { x: new Tensor(x, [n, f]), y: new Tensor(y, [n]), featureNames: [...featureNames] };
  if (targetNames.length > 0) out.targetNames = targetNames;
  return out;
}
