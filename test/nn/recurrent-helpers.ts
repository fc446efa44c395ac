// Shared by the recurrent-layer suites (recurrent.test.ts, recurrent-options.test.ts): the cells
// under test, the sizes, masked data and the comparison.
import assert from 'node:assert/strict';
import { Bidirectional, GRU, LSTM, Rng, SimpleRNN, Tensor, type MergeMode, type RecurrentArgs, type RecurrentLayer } from '../../src/index.js';

/** The cells under test; 'GRU resetAfter false' is Keras's reset-before GRU (bias [3u]). */
export const CELLS = {
  SimpleRNN: (o: RecurrentArgs) => new SimpleRNN(o), LSTM: (o: RecurrentArgs) => new LSTM(o), GRU: (o: RecurrentArgs) => new GRU(o),
  'GRU resetAfter false': (o: RecurrentArgs) => new GRU({ ...o, resetAfter: false }),
  'Bidirectional(LSTM) concat': (o: RecurrentArgs) => bi(new LSTM(inner(o)), 'concat', o),
  'Bidirectional(GRU) sum': (o: RecurrentArgs) => bi(new GRU(inner(o)), 'sum', o),
  'Bidirectional(SimpleRNN) mul': (o: RecurrentArgs) => bi(new SimpleRNN(inner(o)), 'mul', o),
  'Bidirectional(LSTM) ave': (o: RecurrentArgs) => bi(new LSTM(inner(o)), 'ave', o),
} as const;
/** The options without inputShape (it goes to the wrapper). */
function inner(o: RecurrentArgs): RecurrentArgs { const { inputShape: _s, ...rest } = o; return rest; }
function bi(layer: RecurrentLayer, mergeMode: MergeMode, o: RecurrentArgs): Bidirectional {
  return new Bidirectional({ layer, mergeMode, ...(o.inputShape ? { inputShape: o.inputShape } : {}), ...(o.dtype ? { dtype: o.dtype } : {}) });
}
export type CellName = keyof typeof CELLS;
export const B = 4, T = 5, F = 2, U = 3, VOCAB = 6;
/** Valid lengths per sample: full, trailing padding, one step, and leading padding (steps 0-1 masked). */
export const LENGTHS: [number, number][] = [[0, 5], [0, 3], [0, 1], [2, 5]];

/** |x| in [0.1, 1] with random signs; masked steps (outside LENGTHS) are 0. */
export function sequences(rng: Rng, masked: boolean): Tensor {
  const d = new Float64Array(B * T * F);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
    if (masked && (t < LENGTHS[b]![0] || t >= LENGTHS[b]![1])) continue;
    for (let f = 0; f < F; f++) d[(b * T + t) * F + f] = (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.uniform());
  }
  return new Tensor(d, [B, T, F]);
}

/** Ids in [1, VOCAB) where present, 0 where padded. */
export function ids(rng: Rng): Tensor {
  const d = new Float64Array(B * T);
  for (let b = 0; b < B; b++) for (let t = LENGTHS[b]![0]; t < LENGTHS[b]![1]; t++) d[b * T + t] = 1 + rng.int(VOCAB - 1);
  return new Tensor(d, [B, T]);
}

export function targets(rng: Rng, shape: number[]): Tensor {
  return new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

/** |a_i - b_i| <= tol for every i. */
export function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

