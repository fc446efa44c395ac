/**
 * Named loaders for the regression tables: Diabetes (Efron et al. 2004), Linnerud, and the
 * Pokémon Go CP table of Hung-yi Lee's regression lectures. Each reads the files as published
 * (see the folder's README.md) and returns float64 tensors.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { requireCachedDataset } from './dataset-cache.js';
import { DataFileError, embeddedPath, resolveDataPath } from './files.js';
import { readCsv, tableColumns } from './csv.js';
import type { TabularDataset } from './tabular.js';

function folderOf(path: string | undefined, folder: string): { dir: string; checksum: 'required' | 'ifListed' } {
  if (path === undefined) return { dir: embeddedPath(folder), checksum: 'required' };
  if (!existsSync(path) || !statSync(path).isDirectory())
    throw new DataFileError(path, `expected the ${folder} folder (it holds several files)`, existsSync(path) ? 'E_NOT_REGULAR_FILE' : 'E_NOT_FOUND');
  return { dir: path, checksum: 'ifListed' };
}

/** Options of {@link loadDiabetes}. */
export interface DiabetesOptions {
  /** Scale as scikit-learn's default `load_diabetes()`: each column centred and divided by
   *  (population std * sqrt(n)), so its sum of squares is 1. Default false: the raw values. */
  scaled?: boolean;
}

/**
 * Diabetes (Efron, Hastie, Johnstone & Tibshirani, "Least Angle Regression", 2004): 442
 * patients, 10 baseline variables, target a measure of disease progression after one year.
 * Source: scikit-learn's `diabetes_data_raw.csv.gz` and `diabetes_target.csv.gz`
 * (whitespace-separated, no header; data/diabetes/README.md).
 * @param path the folder with both files; default: the embedded copy (checksums verified).
 * @returns x `[442, 10]` (age, sex, bmi, bp, s1..s6; raw unless `scaled`), y `[442]` (25..346).
 * @throws DataFileError naming the file when it is missing, fails its checksum, or is malformed.
 */
export function loadDiabetes(path?: string, options: DiabetesOptions = {}): TabularDataset {
  const { dir, checksum } = folderOf(path, 'diabetes');
  const xPath = join(dir, 'diabetes_data_raw.csv.gz'), yPath = join(dir, 'diabetes_target.csv.gz');
  const xt = readCsv(xPath, { header: false, delimiter: 'whitespace', checksum });
  const yt = readCsv(yPath, { header: false, delimiter: 'whitespace', checksum });
  if (xt.columns.length !== 10) throw new DataFileError(xPath, `rows have ${xt.columns.length} values, expected 10`);
  if (yt.columns.length !== 1) throw new DataFileError(yPath, `rows have ${yt.columns.length} values, expected 1`);
  if (yt.rows !== xt.rows) throw new DataFileError(yPath, `has ${yt.rows} targets but ${xPath} has ${xt.rows} rows`);
  const x = xt.data, n = xt.rows;
  if (options.scaled) {
    for (let c = 0; c < 10; c++) {
      let mean = 0, ss = 0;
      for (let r = 0; r < n; r++) mean += x[r * 10 + c]!;
      mean /= n;
      for (let r = 0; r < n; r++) ss += (x[r * 10 + c]! - mean) ** 2;
      const scale = Math.sqrt(ss / n) * Math.sqrt(n);
      for (let r = 0; r < n; r++) x[r * 10 + c] = (x[r * 10 + c]! - mean) / scale;
    }
  }
  return {
    x: new Tensor(x, [n, 10]), y: new Tensor(yt.data, [n]),
    featureNames: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'],
  };
}

/**
 * Linnerud (Tenenhaus 1998): 20 men, 3 exercise variables -> 3 physiological variables, a
 * tiny multi-output regression set. Not embedded: give its folder (for example
 * `../shared/data/linnerud`), or fetch it once (`nabla data fetch linnerud`) and call this
 * without one to read the cached copy. Files are whitespace-separated with a header.
 * @param path the folder with `linnerud_exercise.csv` and `linnerud_physiological.csv`;
 *   default: the cached copy (checksums required; DataFileError E_NOT_FOUND says how to fetch it).
 * @returns x `[20, 3]` (Chins, Situps, Jumps), y `[20, 3]` (Weight, Waist, Pulse) with
 *   `targetNames` the output names.
 * @throws DataFileError naming the file when it is missing, fails its checksum, or is malformed.
 */
export function loadLinnerud(path?: string): TabularDataset {
  const { dir, checksum } = path === undefined
    ? { dir: requireCachedDataset('linnerud'), checksum: 'required' as const }
    : folderOf(path, 'linnerud');
  const xt = readCsv(join(dir, 'linnerud_exercise.csv'), { delimiter: 'whitespace', checksum });
  const yPath = join(dir, 'linnerud_physiological.csv');
  const yt = readCsv(yPath, { delimiter: 'whitespace', checksum });
  if (yt.rows !== xt.rows) throw new DataFileError(yPath, `has ${yt.rows} rows but ${xt.source} has ${xt.rows}`);
  return {
    x: new Tensor(xt.data, [xt.rows, xt.columns.length]), y: new Tensor(yt.data, [yt.rows, yt.columns.length]),
    featureNames: xt.columns, targetNames: yt.columns,
  };
}

/** Options of {@link loadPokemonCp}. */
export interface PokemonCpOptions {
  /** 'all': OpenIntro's 75 evolutions (`pokemon.csv`, default); 'demo10': the 10 points of
   *  Hung-yi Lee's gradient-descent demo (`hylee-demo10.csv`, which has only cp and cp_new). */
  subset?: 'all' | 'demo10';
  /** Numeric input columns (default ['cp']); e.g. ['cp', 'hp', 'weight', 'height'] with 'all'. */
  features?: string[];
}

/** The Pokémon CP table: a {@link TabularDataset} with each row's name and species. */
export interface PokemonCpDataset extends TabularDataset {
  /** Each row's name, as 'Pidgey4'. */
  names: string[];
  /** Each row's species: Pidgey, Weedle, Caterpie or Eevee. */
  species: string[];
}

/**
 * Pokémon Go combat power before / after evolution (OpenIntro, 2016), the data of Hung-yi
 * Lee's regression lecture (estimate `cp_new` from `cp`). Source: data/pokemon-cp/README.md.
 * A closed-form least-squares line on 'demo10' is b = -188.433, w = 2.669455.
 * @param path the CSV file or its folder (the subset picks the file); default: the embedded copy.
 * @returns x `[n, features]` (default just cp), y `[n]` = cp_new, with `names` and `species`.
 * @throws DataFileError naming the file when it is missing, fails its checksum, is malformed,
 *   lacks a requested column, or a requested feature is text.
 */
export function loadPokemonCp(path?: string, options: PokemonCpOptions = {}): PokemonCpDataset {
  const { subset = 'all', features = ['cp'] } = options;
  if (subset !== 'all' && subset !== 'demo10') throw new RangeError(`loadPokemonCp: subset must be 'all' or 'demo10', got '${String(subset)}'`);
  const where = resolveDataPath(path, 'pokemon-cp', subset === 'all' ? 'pokemon.csv' : 'hylee-demo10.csv');
  const t = readCsv(where.path, { columns: ['name', 'species', ...features, 'cp_new'], textColumns: 'keep', checksum: where.checksum });
  for (const f of [...features, 'cp_new'])
    if (t.text[f]) throw new DataFileError(where.path, `column '${f}' is text, not a number`, 'E_INVALID');
  return {
    x: tableColumns(t, features), y: tableColumns(t, ['cp_new']).reshape([t.rows]), featureNames: [...features],
    names: t.text['name'] ?? [], species: t.text['species'] ?? [],
  };
}
