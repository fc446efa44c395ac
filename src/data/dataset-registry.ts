/**
 * The data sets nabla can fetch (they are too large, or not needed often enough, to embed in
 * `data/`): each with its canonical upstream URL(s) and the SHA-256 of every file. The
 * digests are those of the verified copies in `../shared/data/<name>/SHA256SUMS`, whose
 * README.md gives each file's provenance.
 *
 * A file is fetched from `<base URL><file name>` for each of the data set's `urls` in turn; a
 * mirror given by the user has one folder per data set: `<mirror>/<name>/<file name>`.
 */

/** One file of a fetchable data set. */
export interface RegistryFile {
  /** The upstream file name (also its name in the cache and in a mirror). */
  readonly name: string;
  /** Size in bytes of the verified copy (shown by `nabla data list`; not a limit). */
  readonly bytes: number;
  /** SHA-256 (lower-case hex) of the file's bytes. */
  readonly sha256: string;
  /**
   * For a `.gz` file whose upstream gzip header may differ from the verified copy's (a
   * repackager reset the stored name and mtime): the SHA-256 of the decompressed content. A
   * download whose raw digest differs is accepted when its decompressed digest matches this.
   */
  readonly gunzippedSha256?: string;
}

/** A data set that {@link fetchDataset} can download. */
export interface RegistryDataset {
  /** The name used by `fetchDataset(name)` and `nabla data fetch NAME`. */
  readonly name: string;
  /** A one-line description. */
  readonly title: string;
  /** Canonical base URLs (each ends with '/'), tried in order. */
  readonly urls: readonly string[];
  readonly files: readonly RegistryFile[];
  /** The licence of the data, in a few words. */
  readonly license: string;
  /** The library function that reads the folder. */
  readonly loader: string;
}

const FASHION_MNIST_COMMIT = 'b2617bb6d3ffa2e429640350f613e3291e10b141';
const SKLEARN_DATA = 'https://raw.githubusercontent.com/scikit-learn/scikit-learn/1.2.1/sklearn/datasets/data/';

const BUILTIN: readonly RegistryDataset[] = Object.freeze([
  {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST (Zalando, 2017): 70,000 28x28 clothing images, 10 classes, IDX gzip',
    // zalandoresearch/fashion-mnist, data/fashion/ at the commit the shared README names, and
    // the download links of that repository's README (Zalando's S3 website).
    urls: [
      `https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/${FASHION_MNIST_COMMIT}/data/fashion/`,
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    ],
    files: [
      { name: 'train-images-idx3-ubyte.gz', bytes: 26_421_880, sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84' },
      { name: 'train-labels-idx1-ubyte.gz', bytes: 29_515, sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845' },
      { name: 't10k-images-idx3-ubyte.gz', bytes: 4_422_102, sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073' },
      { name: 't10k-labels-idx1-ubyte.gz', bytes: 5_148, sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5' },
    ],
    license: 'MIT, (c) 2017 Zalando SE',
    loader: 'loadFashionMnist',
  },
  {
    name: 'digits-8x8',
    title: "8x8 handwritten digits (UCI optdigits test part, scikit-learn's load_digits): 1,797 images",
    // scikit-learn 1.2.1, sklearn/datasets/data/ (the shared copy is Debian's package of it,
    // whose gzip header differs; hence the decompressed digest).
    urls: [SKLEARN_DATA],
    files: [
      {
        name: 'digits.csv.gz', bytes: 57_512, sha256: '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a',
        gunzippedSha256: '6ebb3d2fee246a4e99363262ddf8a00a3c41bee6014c373ed9d9216ba7f651b8',
      },
    ],
    license: 'CC BY 4.0 (UCI); file as packaged by scikit-learn, BSD-3-Clause',
    loader: 'loadDigits',
  },
  {
    name: 'linnerud',
    title: 'Linnerud (Tenenhaus 1998): 20 men, 3 exercise -> 3 physiological variables',
    urls: [SKLEARN_DATA],
    files: [
      { name: 'linnerud_exercise.csv', bytes: 212, sha256: 'cb8d8c24937643fa2459682efb86c5e667bcd6dd93109eef81964d9e9f11bf8c' },
      { name: 'linnerud_physiological.csv', bytes: 219, sha256: '2bf7e05c1cd7d0adf0eca1e456941f624bed0a4fc96694d60d0ff7853ec5fcf7' },
    ],
    license: 'file as packaged by scikit-learn, BSD-3-Clause',
    loader: 'loadLinnerud',
  },
].map((d) => Object.freeze({ ...d, urls: Object.freeze(d.urls), files: Object.freeze(d.files.map((f) => Object.freeze(f))) })));

/** Entries added by {@link internalRegisterDatasetForTests}, in front of the built-in ones. */
const extra = new Map<string, RegistryDataset>();

/** Every data set {@link fetchDataset} knows, built-in ones first. */
export function registeredDatasets(): readonly RegistryDataset[] {
  return [...BUILTIN.filter((d) => !extra.has(d.name)), ...extra.values()];
}

/** The names of {@link registeredDatasets}. */
export function datasetNames(): string[] {
  return registeredDatasets().map((d) => d.name);
}

/**
 * The registry entry of a data set.
 * @throws RangeError naming the known data sets when `name` is not one of them.
 */
export function datasetEntry(name: string): RegistryDataset {
  const entry = extra.get(name) ?? BUILTIN.find((d) => d.name === name);
  if (entry === undefined) throw new RangeError(`unknown data set '${String(name)}'; known: ${datasetNames().join(', ')}`);
  return entry;
}

/**
 * INTERNAL, for nabla's own tests only (not exported from the package root): adds (or
 * replaces) a registry entry, so a test can fetch small files it made from a local server.
 * @returns a function that removes the entry again.
 */
export function internalRegisterDatasetForTests(entry: RegistryDataset): () => void {
  extra.set(entry.name, entry);
  return () => { extra.delete(entry.name); };
}
