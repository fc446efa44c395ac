/**
 * Sliding-window sequence datasets for language models: from a sequence of token ids, inputs
 * x[i] = ids[s, s + T) and targets y[i] = ids[s + 1, s + T + 1) (the next token at every step,
 * Karpathy's char-rnn; Graves 2013), with s = start + i stride. A model with
 * `returnSequences: true` and a softmax Dense scores each step (a per-step sparse loss).
 */
import { Rng } from '../../tensor/rng.js';
import { Tensor } from '../../tensor/tensor.js';

/** Options of {@link slidingWindows}. */
export interface SlidingWindowOptions {
  /** T, the steps per window. */
  sequenceLength: number;
  /** Tokens between window starts. Default sequenceLength (windows that do not overlap). */
  stride?: number;
  /** Index of the first window's first token. Default 0. */
  start?: number;
  /** Shuffle the windows with this seed (Rng.derive(seed, 'windows')). Default: in order. */
  shuffleSeed?: number;
  /** Keep at most this many windows (after shuffling). Default: all. */
  limit?: number;
}

/**
 * Cuts ids into windows.
 * @param ids token ids (any numeric array).
 * @returns x [n, T] and y [n, T] (float32 ids, as nabla's Embedding takes them): n = the number
 *   of windows whose targets fit, floor((ids.length - 1 - start - T) / stride) + 1 (or `limit`).
 * @throws RangeError when an option is not a positive integer (start: non-negative) or no window fits.
 */
export function slidingWindows(ids: ArrayLike<number>, options: SlidingWindowOptions): { x: Tensor; y: Tensor } {
  const T = options.sequenceLength, stride = options.stride ?? T, start = options.start ?? 0;
  const check = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`slidingWindows: ${name} must be an integer >= ${min}, got ${v}`);
  };
  check('sequenceLength', T, 1); check('stride', stride, 1); check('start', start, 0);
  if (options.limit !== undefined) check('limit', options.limit, 1);
  const available = ids.length - 1 - start - T;
  if (available < 0) throw new RangeError(`slidingWindows: ${ids.length} tokens hold no window of ${T} steps plus its target from ${start}`);
  let n = Math.floor(available / stride) + 1;
  const order = options.shuffleSeed !== undefined ? Rng.derive(options.shuffleSeed, 'windows').permutation(n) : null;
  if (options.limit !== undefined) n = Math.min(n, options.limit);
  const x = new Float32Array(n * T), y = new Float32Array(n * T);
  for (let i = 0; i < n; i++) {
    const s = start + (order ? order[i]! : i) * stride;
    for (let t = 0; t < T; t++) { x[i * T + t] = ids[s + t]!; y[i * T + t] = ids[s + t + 1]!; }
  }
  return { x: new Tensor(x, [n, T]), y: new Tensor(y, [n, T]) };
}
