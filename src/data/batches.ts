/** Mini-batch index streams for (stochastic, mini-batch) gradient descent. */
import { Rng } from '../tensor/rng.js';

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Visit the samples in a random order (default true); false: 0, 1, ..., n-1. */
  shuffle?: boolean;
  /** Seed of the order: the permutation comes from `Rng.derive(seed, 'shuffle', epoch)`, so a
   *  resumed run reshuffles exactly as an uninterrupted one. Default: a random seed. */
  seed?: number;
  /** The epoch (0-based); each epoch has its own order. Default 0. */
  epoch?: number;
  /** Leave out a last batch smaller than batchSize (default false: it is yielded, as Keras). */
  dropRemainder?: boolean;
}

/**
 * The sample indices of one epoch's mini-batches: batches of `batchSize` consecutive entries
 * of a seeded permutation of 0..n-1 (the last one smaller unless `dropRemainder`).
 * @param n number of samples; @param batchSize samples per batch.
 * @returns an iterator of `Uint32Array`s (views on one permutation: copy one to keep it past
 *   the epoch); together they hold each index exactly once (without dropRemainder).
 * @throws RangeError unless n is a non-negative integer and batchSize a positive integer.
 */
export function* batches(n: number, batchSize: number, options: BatchOptions = {}): Generator<Uint32Array> {
  const { shuffle = true, epoch = 0, dropRemainder = false } = options;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`batches: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`batches: epoch must be a non-negative integer, got ${epoch}`);
  let order: Uint32Array;
  if (shuffle) order = Rng.derive(options.seed ?? Rng.randomSeed(), 'shuffle', epoch).permutation(n);
  else { order = new Uint32Array(n); for (let i = 0; i < n; i++) order[i] = i; }
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(start + batchSize, n);
    if (dropRemainder && end - start < batchSize) return;
    yield order.subarray(start, end);
  }
}

/** Number of batches {@link batches} yields for n samples: ceil(n / batchSize), or floor with dropRemainder. */
export function batchCount(n: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}
