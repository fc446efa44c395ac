/**
 * Named loaders for the classification tables: Iris, Wine, breast cancer (WDBC), the 8x8
 * digits, and the Higham & Higham (2019) toy points. Each reads the file as published (see the
 * folder's README.md) and returns a {@link TabularDataset} with float64 `x` and class indices `y`.
 */
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { requireCachedDataset } from './dataset-cache.js';
import { DataFileError, resolveDataPath } from './files.js';
import { readCsv, tableColumns } from './csv.js';
import { loadSklearnLayout } from './tabular.js';
import type { TabularDataset } from './tabular.js';

/**
 * Iris (Fisher, 1936): 150 flowers, 4 measurements in cm, 3 species (50 each).
 * Source: scikit-learn's `iris.csv` (data/iris/README.md).
 * @param path the CSV file or its folder; default: the embedded copy (checksum verified).
 * @returns x `[150, 4]`, y `[150]` in {0 setosa, 1 versicolor, 2 virginica}.
 * @throws DataFileError naming the file when it is missing, fails its checksum, or is malformed.
 */
export function loadIris(path?: string): TabularDataset {
  return loadSklearnLayout(path, 'iris', 'iris.csv',
    ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
}

/**
 * Wine recognition (UCI): 178 wines, 13 chemical measurements, 3 cultivars (59 / 71 / 48).
 * Source: scikit-learn's `wine_data.csv` (data/wine/README.md). Scales differ widely: standardize.
 * @param path the CSV file or its folder; default: the embedded copy (checksum verified).
 * @returns x `[178, 13]`, y `[178]` in {0, 1, 2} (class_0..class_2).
 * @throws DataFileError naming the file when it is missing, fails its checksum, or is malformed.
 */
export function loadWine(path?: string): TabularDataset {
  return loadSklearnLayout(path, 'wine', 'wine_data.csv', [
    'alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids',
    'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280/od315_of_diluted_wines', 'proline',
  ]);
}

const WDBC_BASE = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity',
  'concave points', 'symmetry', 'fractal dimension'];

/**
 * Breast Cancer Wisconsin (Diagnostic), WDBC: 569 masses, 30 features, binary.
 * Source: scikit-learn's `breast_cancer.csv` (data/breast-cancer-wisconsin/README.md).
 * @param path the CSV file or its folder; default: the embedded copy (checksum verified).
 * @returns x `[569, 30]` (mean, error, worst of 10 measurements), y `[569]`:
 *   **0 = malignant (212), 1 = benign (357)**, scikit-learn's coding.
 * @throws DataFileError naming the file when it is missing, fails its checksum, or is malformed.
 */
export function loadBreastCancer(path?: string): TabularDataset {
  const names = [...WDBC_BASE.map((b) => `mean ${b}`), ...WDBC_BASE.map((b) => `${b} error`), ...WDBC_BASE.map((b) => `worst ${b}`)];
  return loadSklearnLayout(path, 'breast-cancer-wisconsin', 'breast_cancer.csv', names);
}

/**
 * Optical recognition of handwritten digits, 8x8 (UCI optdigits test part, scikit-learn's
 * `load_digits`): 1,797 images with pixel values 0..16. Not embedded: give a path (for
 * example `../shared/data/digits-8x8`), or fetch it once (`nabla data fetch digits-8x8`) and
 * call this without one to read the cached copy.
 * @param path `digits.csv.gz` (gzip CSV, no header, 64 pixels then the label) or its folder;
 *   default: the cached copy (checksum required; DataFileError E_NOT_FOUND says how to fetch it).
 * @returns x `[1797, 64]` (row-major 8x8 pixels, 0..16; reshape to `[n, 8, 8, 1]` for a CNN),
 *   y `[1797]` digits 0-9; featureNames `pixel_0_0`..`pixel_7_7`.
 * @throws DataFileError naming the file when it is missing, fails its checksum, or is malformed.
 */
export function loadDigits(path?: string): TabularDataset {
  const where = path === undefined
    ? { path: join(requireCachedDataset('digits-8x8'), 'digits.csv.gz'), checksum: 'required' as const }
    : resolveDataPath(path, 'digits-8x8', 'digits.csv.gz');
  const t = readCsv(where.path, { header: false, checksum: where.checksum });
  if (t.columns.length !== 65) throw new DataFileError(where.path, `rows have ${t.columns.length} fields, expected 64 pixels and a label`);
  const featureNames: string[] = [];
  for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) featureNames.push(`pixel_${r}_${c}`);
  const x = tableColumns(t, t.columns.slice(0, 64)), y = tableColumns(t, ['column65']).reshape([t.rows]);
  y.data.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v > 9) throw new DataFileError(where.path, `label ${v} at data row ${i + 1} is not a digit 0-9`, 'E_INVALID');
  });
  return { x, y, featureNames, targetNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

/** Options of {@link loadHigham}. */
export interface HighamOptions {
  /** 10: the data of `netbp.m` (default); 11: with the extra point (0.3, 0.7) in category B. */
  points?: 10 | 11;
}

/**
 * The two-category toy data of C. F. Higham & D. J. Higham, "Deep Learning: An Introduction for
 * Applied Mathematicians", SIAM Review 61(4), 2019 (`netbp.m`): points in the unit square.
 * Source: data/higham2019-toy/README.md (`points10.csv`, `points11.csv`: `x1,x2,label,y1,y2`).
 * @param path the CSV file or its folder; default: the embedded copy (checksum verified).
 * @returns x `[n, 2]` (x1, x2), y `[n]` class indices (0 = A, circles; 1 = B, crosses),
 *   targetNames ['A', 'B']. The paper's target vectors y = [1,0] / [0,1] are `oneHot(y, 2)`.
 * @throws DataFileError naming the file when it is missing, fails its checksum, is malformed,
 *   or its `y1,y2` columns disagree with its labels.
 */
export function loadHigham(path?: string, options: HighamOptions = {}): TabularDataset {
  const points = options.points ?? 10;
  if (points !== 10 && points !== 11) throw new RangeError(`loadHigham: points must be 10 or 11, got ${String(points)}`);
  const where = resolveDataPath(path, 'higham2019-toy', `points${points}.csv`);
  const t = readCsv(where.path, { columns: ['x1', 'x2', 'label', 'y1', 'y2'], textColumns: 'keep', checksum: where.checksum });
  const labels = t.text['label'];
  if (!labels) throw new DataFileError(where.path, "column 'label' should hold the categories A and B");
  const onehot = tableColumns(t, ['y1', 'y2']).data, y = new Float64Array(t.rows);
  labels.forEach((l, i) => {
    if (l !== 'A' && l !== 'B') throw new DataFileError(where.path, `label '${l}' at data row ${i + 1} is neither A nor B`, 'E_INVALID');
    y[i] = l === 'A' ? 0 : 1;
    if (onehot[2 * i] !== 1 - y[i]! || onehot[2 * i + 1] !== y[i])
      throw new DataFileError(where.path, `y1,y2 at data row ${i + 1} disagree with its label '${l}'`, 'E_INVALID');
  });
  return { x: tableColumns(t, ['x1', 'x2']), y: new Tensor(y, [t.rows]), featureNames: ['x1', 'x2'], targetNames: ['A', 'B'] };
}
