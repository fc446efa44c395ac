// Training end to end with fit(): padded sequences of unequal lengths through Embedding(maskZero),
// Dropout (which passes the mask on) and an LSTM, labelled with their LAST real token. Only a
// model that honours the mask can read that token at the end of the sequence (without the mask
// the padding comes after it); the test also trains the same data with maskZero off, where the
// last token is followed by up to 6 padding steps, as a check that the task is not trivial.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, Dropout, Embedding, LSTM, Rng, Sequential, Tensor } from '../../src/index.js';

const N = 480, T = 8, CLASSES = 4;

/** Ids in 1..4, lengths 2..8, right-padded with 0; label = the last real id - 1. */
function data(seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed), x = new Float32Array(N * T), y = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    const len = 2 + rng.int(T - 1);
    for (let t = 0; t < len; t++) x[n * T + t] = 1 + rng.int(CLASSES);
    y[n] = x[n * T + len - 1]! - 1;
  }
  return { x: new Tensor(x, [N, T]), y: new Tensor(y, [N]) };
}

async function train(maskZero: boolean): Promise<number> {
  const model = new Sequential([
    new Embedding({ inputDim: CLASSES + 1, outputDim: 8, maskZero, inputLength: T }),
    new Dropout({ rate: 0.1 }),
    new LSTM({ units: 16 }),
    new Dense({ units: CLASSES, activation: 'softmax' }),
  ], { seed: 1 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const train = data(1), test = data(2);
  await model.fit(train.x, train.y, { epochs: 25, batchSize: 32, seed: 1, verbose: 0 });
  const acc = model.evaluate(test.x, test.y).accuracy!;
  model.dispose();
  return acc;
}

describe('recurrent training with fit()', () => {
  it('Embedding(maskZero) -> Dropout -> LSTM learns the last real token of padded sequences (test accuracy > 0.95)', async () => {
    const masked = await train(true);
    assert.ok(masked > 0.95, `test accuracy ${masked}`);
    // The same model without the mask (measured 0.65): the mask is what solves the task.
    const unmasked = await train(false);
    assert.ok(unmasked < 0.9, `without the mask: test accuracy ${unmasked}`);
  });
});
