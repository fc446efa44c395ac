/**
 * nabla's data module: readers for IDX (MNIST) and CSV files, the named data sets (embedded
 * copies verified by SHA-256), one-hot encoding, scalers, seeded splits and mini-batches.
 * The file loaders need Node.js (node:fs, node:zlib, node:crypto); oneHot, the scalers,
 * trainTestSplit and batches work anywhere.
 */
export { DataFileError, embeddedDataDir, embeddedPath, readDataFile, verifyChecksum, parseSha256Sums, sha256Hex, isGzip, gunzipData } from './files.js';
export type { ReadDataFileOptions } from './files.js';
export { parseIdx, readIdx, encodeIdx } from './idx.js';
export type { IdxArray, IdxData, IdxDType } from './idx.js';
export { readImage, pngSize } from './image.js';
export type { RgbaImage, ReadImageOptions } from './image.js';
export { loadMnist, loadFashionMnist, loadIdxImageDataset, FASHION_MNIST_CLASS_NAMES } from './mnist.js';
export type { ImageDataset, ImageSplit, IdxImageDatasetOptions } from './mnist.js';
export { parseCsv, readCsv, tableColumns, tableToXy, isNumericCell } from './csv.js';
export type { CsvOptions, CsvTable } from './csv.js';
export { readCsvStream } from './csv-stream.js';
export type { CsvStreamOptions } from './csv-stream.js';
export type { TabularDataset } from './tabular.js';
export { loadIris, loadWine, loadBreastCancer, loadDigits, loadHigham } from './classification-sets.js';
export type { HighamOptions } from './classification-sets.js';
export { loadDiabetes, loadLinnerud, loadPokemonCp } from './regression-sets.js';
export type { DiabetesOptions, PokemonCpOptions, PokemonCpDataset } from './regression-sets.js';
export { oneHot, argMax } from './onehot.js';
export { StandardScaler, MinMaxScaler, standardize, minMaxScale } from './scalers.js';
export type { StandardScalerConfig, MinMaxScalerConfig } from './scalers.js';
export { trainTestSplit, gatherRows } from './split.js';
export type { SplitOptions, TrainTestSplit } from './split.js';
export { batches, batchCount } from './batches.js';
export { fetchDataset, DEFAULT_FETCH_TIMEOUT_MS } from './fetch.js';
export type { FetchDatasetOptions, FetchProgress } from './fetch.js';
export { registeredDatasets, datasetNames, datasetEntry } from './dataset-registry.js';
export type { RegistryDataset, RegistryFile } from './dataset-registry.js';
export { defaultCacheRoot, cachedDatasetDir } from './dataset-cache.js';
export type { BatchOptions } from './batches.js';
export * from './text/index.js';
