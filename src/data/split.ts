/** Seeded train / test splits, optionally stratified by class, and row gathering. */
import { Tensor, allocArray } from '../tensor/tensor.js';
import { Rng } from '../tensor/rng.js';
import { formatShape, sizeOf } from '../tensor/shape.js';

/**
 * The rows `indices` of x (along the first axis), in that order: a new tensor of x's dtype and
 * shape `[indices.length, ...x.shape.slice(1)]`.
 * @throws RangeError naming the position of an index outside [0, x.shape[0]).
 */
export function gatherRows(x: Tensor, indices: ArrayLike<number>): Tensor {
  if (x.rank === 0) throw new TypeError('gatherRows: x must have at least one axis');
  const n = x.shape[0]!, row = sizeOf(x.shape.slice(1)), out = allocArray(x.dtype, indices.length * row);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`gatherRows: index ${r} at position ${i} is outside [0, ${n})`);
    out.set(x.data.subarray(r * row, (r + 1) * row), i * row);
  }
  return new Tensor(out, [indices.length, ...x.shape.slice(1)]);
}

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /** A fraction of the samples in (0, 1) (the test count is ceil(testSize n), as scikit-learn)
   *  or a whole number of samples in [1, n). Default 0.25. */
  testSize?: number;
  /** Seed of the shuffle, drawn from `Rng.derive(seed, 'split')`; default: a random seed. */
  seed?: number;
  /** Keep each class's share in both parts (y must hold class indices `[n]`, `[n, 1]`, or be
   *  one-hot `[n, k]`). Default false. */
  stratify?: boolean;
  /** Shuffle before splitting (default true); false takes the last rows as the test set. */
  shuffle?: boolean;
}

/** The two parts of a split and the row indices each came from. */
export interface TrainTestSplit {
  xTrain: Tensor; xTest: Tensor; yTrain: Tensor; yTest: Tensor;
  trainIndices: Uint32Array; testIndices: Uint32Array;
}

function classOf(y: Tensor): Int32Array {
  const n = y.shape[0]!, out = new Int32Array(n);
  const k = y.rank === 1 ? 1 : sizeOf(y.shape.slice(1));
  if (y.rank > 2) throw new TypeError(`trainTestSplit: stratify needs y of shape [n], [n, 1] or one-hot [n, k], got ${formatShape(y.shape)}`);
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      const v = y.data[i]!;
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`trainTestSplit: stratify needs class indices, got ${v} at index ${i}`);
      out[i] = v;
    } else {
      let best = 0;
      for (let j = 1; j < k; j++) if (y.data[i * k + j]! > y.data[i * k + best]!) best = j;
      out[i] = best;
    }
  }
  return out;
}

/** Test counts per class: floor of each class's share, then the largest remainders (ties: lower class). */
function allocate(sizes: number[], nTest: number, n: number): number[] {
  const exact = sizes.map((s) => (s * nTest) / n), counts = exact.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, c) => c).sort((a, b) => (exact[b]! - counts[b]!) - (exact[a]! - counts[a]!) || a - b);
  for (const c of order) { if (left === 0) break; if (counts[c]! < sizes[c]!) { counts[c]!++; left--; } }
  return counts;
}

/**
 * Splits samples into a training and a test part, reproducibly: the same seed gives the same
 * split. With `stratify`, each class contributes round(share) of its samples to the test part
 * (largest-remainder rounding), so both parts keep the class proportions.
 * @param x inputs `[n, ...]`; @param y targets `[n, ...]` (same n).
 * @returns the parts (rows gathered in shuffled order) and their row indices into x / y.
 * @throws RangeError when x and y differ in n, n < 2, or testSize leaves either part empty;
 *   TypeError / RangeError when stratify gets targets that are not class labels.
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: SplitOptions = {}): TrainTestSplit {
  const { testSize = 0.25, stratify = false, shuffle = true } = options;
  const n = x.shape[0] ?? 0;
  if (y.shape[0] !== n) throw new RangeError(`trainTestSplit: x has ${n} samples ${formatShape(x.shape)} but y has ${y.shape[0]} ${formatShape(y.shape)}`);
  const nTest = testSize > 0 && testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n)
    throw new RangeError(`trainTestSplit: testSize ${testSize} leaves ${nTest} test and ${n - nTest} training samples of ${n}; both parts need at least one`);
  if (stratify && !shuffle) throw new RangeError('trainTestSplit: stratify needs shuffle: true');
  const rng = Rng.derive(options.seed ?? Rng.randomSeed(), 'split');
  let train: number[], test: number[];
  if (!stratify) {
    const order = shuffle ? Array.from(rng.permutation(n)) : Array.from({ length: n }, (_, i) => i);
    train = order.slice(0, n - nTest); test = order.slice(n - nTest);
  } else {
    const cls = classOf(y), byClass: number[][] = [];
    for (let i = 0; i < n; i++) (byClass[cls[i]!] ??= []).push(i);
    const groups = byClass.filter((g) => g !== undefined);
    const counts = allocate(groups.map((g) => g.length), nTest, n);
    train = []; test = [];
    groups.forEach((g, c) => {
      const p = rng.permutation(g.length);
      for (let i = 0; i < g.length; i++) (i < counts[c]! ? test : train).push(g[p[i]!]!);
    });
    const pTrain = rng.permutation(train.length), pTest = rng.permutation(test.length);
    train = Array.from(pTrain, (i) => train[i]!); test = Array.from(pTest, (i) => test[i]!);
  }
  const trainIndices = Uint32Array.from(train), testIndices = Uint32Array.from(test);
  return {
    xTrain: gatherRows(x, trainIndices), xTest: gatherRows(x, testIndices),
    yTrain: gatherRows(y, trainIndices), yTest: gatherRows(y, testIndices),
    trainIndices, testIndices,
  };
}
