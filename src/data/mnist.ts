/**
 * MNIST and Fashion-MNIST from their four IDX files (gzip-compressed as published, or raw).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../tensor/tensor.js';
import { requireCachedDataset } from './dataset-cache.js';
import { DataFileError, embeddedPath } from './files.js';
import { readIdx } from './idx.js';
import type { IdxArray } from './idx.js';
import type { LimitsOverride } from '../limits.js';

/** One split of an image-classification data set. */
export interface ImageSplit {
  /** Images `[n, height, width, 1]` (NHWC), float32, pixel / 255 so in [0, 1]. */
  images: Tensor;
  /** Labels `[n]`, integer class indices stored as float32. */
  labels: Tensor;
}

/** An image-classification data set with its published train / test split. */
export interface ImageDataset {
  train: ImageSplit;
  test: ImageSplit;
  /** Names of the classes, by label index. */
  classNames: string[];
}

/** The class names of Fashion-MNIST, by label (Zalando's README). */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);
const DIGIT_NAMES = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** Options of {@link loadIdxImageDataset}. */
export interface IdxImageDatasetOptions {
  /** Names of the classes by label, for the result's `classNames` (default '0'..'9'). */
  classNames?: readonly string[];
  /** 'required': every file must be listed in the folder's SHA256SUMS (as for the embedded
   *  copy); 'ifListed' (default): verified when listed. */
  checksum?: 'required' | 'ifListed';
  /** Limits on the files (`maxIdxItems`, `maxFileBytes.idx`, `maxFileBytes.gunzip`); default `LIMITS`. */
  limits?: LimitsOverride;
  /** Only the first `maxItems` images and labels of each split (each gzip file is decompressed
   *  only that far; see `readIdx`). Default: all. */
  maxItems?: number;
}

/** The file names a folder in MNIST's layout may use (LeCun's, and the dotted variant). */
function candidates(prefix: 't10k' | 'train', kind: 'images' | 'labels'): string[] {
  const idx = kind === 'images' ? 'idx3' : 'idx1';
  const names = [`${prefix}-${kind}-${idx}-ubyte`, `${prefix}-${kind}.${idx}-ubyte`];
  return names.flatMap((n) => [`${n}.gz`, n]);
}

function findFile(dir: string, prefix: 't10k' | 'train', kind: 'images' | 'labels'): string {
  const names = candidates(prefix, kind);
  for (const n of names) if (existsSync(join(dir, n))) return join(dir, n);
  throw new DataFileError(dir, `no ${prefix === 'train' ? 'training' : 'test'} ${kind} file (looked for ${names.join(', ')})`, 'E_NOT_FOUND');
}

function toSplit(images: IdxArray, labels: IdxArray, imagesPath: string, labelsPath: string): ImageSplit {
  if (images.dtype !== 'uint8' || images.shape.length !== 3)
    throw new DataFileError(imagesPath, `expected images as ubyte [n, rows, cols] (magic 0x00000803), got ${images.dtype} [${images.shape.join(', ')}]`, 'E_INVALID');
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1)
    throw new DataFileError(labelsPath, `expected labels as ubyte [n] (magic 0x00000801), got ${labels.dtype} [${labels.shape.join(', ')}]`, 'E_INVALID');
  const [n, h, w] = images.shape as [number, number, number];
  if (labels.shape[0] !== n)
    throw new DataFileError(labelsPath, `has ${labels.shape[0]} labels but ${imagesPath} has ${n} images`, 'E_INVALID');
  const src = images.data, pixels = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) pixels[i] = src[i]! / 255;
  return {
    images: new Tensor(pixels, [n, h, w, 1]),
    labels: new Tensor(Float32Array.from(labels.data), [n]),
  };
}

function loadSplit(dir: string, prefix: 't10k' | 'train', checksum: 'required' | 'ifListed', limits: LimitsOverride | undefined, maxItems: number | undefined): ImageSplit {
  const imagesPath = findFile(dir, prefix, 'images'), labelsPath = findFile(dir, prefix, 'labels');
  const options = { checksum, ...(limits !== undefined && { limits }), ...(maxItems !== undefined && { maxItems }) };
  return toSplit(readIdx(imagesPath, options), readIdx(labelsPath, options), imagesPath, labelsPath);
}

/**
 * Loads a data set in MNIST's layout: a folder with `train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each
 * gzip-compressed (`.gz`, preferred) or raw. Each file's SHA-256 is verified when a
 * `SHA256SUMS` in the folder lists it.
 * @param dir the folder.
 * @param options class names and checksum policy.
 * @throws DataFileError naming the file (or folder) that is missing, fails its checksum, is
 *   truncated, or is not the expected IDX array.
 */
export function loadIdxImageDataset(dir: string, options: IdxImageDatasetOptions = {}): ImageDataset {
  const { classNames = DIGIT_NAMES, checksum = 'ifListed', limits, maxItems } = options;
  if (!existsSync(dir)) throw new DataFileError(dir, 'folder not found', 'E_NOT_FOUND');
  return { train: loadSplit(dir, 'train', checksum, limits, maxItems), test: loadSplit(dir, 't10k', checksum, limits, maxItems), classNames: [...classNames] };
}

/**
 * MNIST handwritten digits (LeCun, Cortes & Burges): 60,000 training and 10,000 test images.
 * Source: the four original IDX .gz files of yann.lecun.com/exdb/mnist (see data/mnist/README.md).
 * @param dir a folder in MNIST's layout (`.gz` or raw files); default: the embedded copy, whose
 *   SHA-256 checksums must match `data/mnist/SHA256SUMS`.
 * @param options `maxItems`: only the first that many images of each split.
 * @returns `train` / `test` with images `[n, 28, 28, 1]` float32 in [0, 1] and labels `[n]`
 *   (class indices 0-9 as float32), and `classNames` '0'..'9'.
 * @throws DataFileError naming the file that is missing, fails its checksum, or is malformed.
 */
export function loadMnist(dir?: string, options: Pick<IdxImageDatasetOptions, 'maxItems'> = {}): ImageDataset {
  const first = options.maxItems !== undefined ? { maxItems: options.maxItems } : {};
  return dir === undefined
    ? loadIdxImageDataset(embeddedPath('mnist'), { checksum: 'required', ...first })
    : loadIdxImageDataset(dir, first);
}

/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28x28 images of clothing in 10 classes, in
 * MNIST's format and split (60,000 / 10,000). Not embedded: give its folder (for example
 * `../shared/data/fashion-mnist`), or fetch it once (`nabla data fetch fashion-mnist`,
 * `fetchDataset('fashion-mnist')`) and call this without one to read the cached copy.
 * @param dir the folder of the four files; default: the cached copy (checksums required).
 * @param options `maxItems`: only the first that many images of each split.
 * @returns as {@link loadMnist}, with `classNames` {@link FASHION_MNIST_CLASS_NAMES}.
 * @throws TypeError for an empty folder name; DataFileError (E_NOT_FOUND) saying how to fetch
 *   it when no folder is given and the cache has no copy; DataFileError naming the file that
 *   is missing, fails its checksum, or is malformed.
 */
export function loadFashionMnist(dir?: string, options: Pick<IdxImageDatasetOptions, 'maxItems'> = {}): ImageDataset {
  const first = options.maxItems !== undefined ? { maxItems: options.maxItems } : {};
  if (dir === undefined)
    return loadIdxImageDataset(requireCachedDataset('fashion-mnist'), { classNames: FASHION_MNIST_CLASS_NAMES, checksum: 'required', ...first });
  if (typeof dir !== 'string' || dir === '')
    throw new TypeError('loadFashionMnist: give the folder that holds its four .gz files, or no argument to read the cached copy');
  return loadIdxImageDataset(dir, { classNames: FASHION_MNIST_CLASS_NAMES, ...first });
}
