/**
 * Drawing the next token from a model's output distribution: temperature (divide the
 * log-probabilities by tau and renormalise: p_i^(1/tau) / sum_j p_j^(1/tau); Hinton et al. 2015,
 * Karpathy's char-rnn `-temperature`), top-k (keep the k most probable tokens; Fan et al. 2018),
 * and a seeded {@link Rng}, so the same seed draws the same text.
 */
import type { Rng } from '../../tensor/rng.js';

/** Options of {@link sampleIndex}. */
export interface SampleOptions {
  /** tau > 0; below 1 sharpens, above 1 flattens; 0 means argmax. Default 1. */
  temperature?: number;
  /** Keep only the k most probable ids (ties: the lower id). Default: all. */
  topK?: number;
}

/** The index of the largest value (the first on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/**
 * Draws an index from probabilities `p` [k] (a softmax output; need not sum exactly to 1).
 * temperature 0 or topK 1 return argmax without drawing.
 * @throws RangeError when p is empty or holds a negative or non-finite value, or an option is invalid.
 */
export function sampleIndex(p: ArrayLike<number>, rng: Rng, options: SampleOptions = {}): number {
  const tau = options.temperature ?? 1, k = options.topK ?? p.length;
  if (p.length === 0) throw new RangeError('sampleIndex: empty distribution');
  if (!(tau >= 0) || !Number.isFinite(tau)) throw new RangeError(`sampleIndex: temperature must be a finite number >= 0, got ${tau}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`sampleIndex: topK must be a positive integer, got ${k}`);
  for (let i = 0; i < p.length; i++) if (!(p[i]! >= 0) || !Number.isFinite(p[i]!)) throw new RangeError(`sampleIndex: p[${i}] = ${p[i]} is not a probability`);
  if (tau === 0 || k === 1) return argmax(p);
  let keep = Array.from({ length: p.length }, (_, i) => i);
  if (k < p.length) keep = keep.sort((a, b) => p[b]! - p[a]! || a - b).slice(0, k);
  // p^(1/tau) computed as exp((log p - log pmax) / tau) to stay finite for small tau.
  let pmax = 0;
  for (const i of keep) pmax = Math.max(pmax, p[i]!);
  if (pmax === 0) return argmax(p);
  const w = keep.map((i) => (p[i]! > 0 ? Math.exp((Math.log(p[i]!) - Math.log(pmax)) / tau) : 0));
  let total = 0;
  for (const v of w) total += v;
  let u = rng.uniform() * total;
  for (let j = 0; j < keep.length; j++) {
    u -= w[j]!;
    if (u < 0) return keep[j]!;
  }
  return keep[keep.length - 1 - [...w].reverse().findIndex((v) => v > 0)]!;
}
