// One error vocabulary (src/validate.ts, src/errors.ts): the same option mistake gives the same
// error class in layers, optimisers, schedules, compile, fit and the classic models.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Adam, Conv2D, Dense, Dropout, exponentialDecay, LinearRegression, MaxPooling2D, Sequential, SGD, tensor,
} from '../../src/index.js';

/** Asserts that fn throws an instance of exactly `cls` (TypeError is not a RangeError and vice versa). */
function throwsClass(fn: () => unknown, cls: typeof TypeError | typeof RangeError, what: string): void {
  let caught: unknown;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught instanceof Error, `${what}: threw`);
  assert.equal((caught as Error).constructor, cls, `${what}: threw ${(caught as Error).name} (${(caught as Error).message}), expected ${cls.name}`);
}

const model = (): Sequential => {
  const m = new Sequential([new Dense({ units: 1, inputShape: [1] })], { seed: 1 });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
};
const x = tensor([[1], [2]]), y = tensor([[2], [4]]);

describe('the same option mistake, the same error class everywhere', () => {
  it('an unknown option key is a TypeError in layers, optimisers, schedules, compile, fit and classic models', async () => {
    const bogus = { bogus: 1 } as never;
    throwsClass(() => new Dense({ units: 1, ...(bogus as object) }), TypeError, 'Dense');
    throwsClass(() => new Conv2D({ filters: 1, kernelSize: 1, ...(bogus as object) }), TypeError, 'Conv2D');
    throwsClass(() => new MaxPooling2D({ poolSize: 2, ...(bogus as object) }), TypeError, 'MaxPooling2D');
    throwsClass(() => new Dropout({ rate: 0.5, ...(bogus as object) }), TypeError, 'Dropout');
    throwsClass(() => new SGD(bogus), TypeError, 'SGD');
    throwsClass(() => new Adam(bogus), TypeError, 'Adam');
    throwsClass(() => exponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5, ...(bogus as object) }), TypeError, 'exponentialDecay');
    throwsClass(() => new LinearRegression(bogus), TypeError, 'LinearRegression');
    throwsClass(() => new Sequential().compile({ optimizer: 'sgd', loss: 'meanSquaredError', ...(bogus as object) }), TypeError, 'compile');
    await assert.rejects(model().fit(x, y, { epochs: 1, ...(bogus as object) }), (e) => (e as Error).constructor === TypeError);
  });

  it('a value of the wrong type is a TypeError; one out of range is a RangeError', async () => {
    throwsClass(() => new Dense({ units: 'two' as never }), TypeError, 'Dense units');
    throwsClass(() => new Dense({ units: 0 }), RangeError, 'Dense units');
    throwsClass(() => new Dropout({ rate: '0.5' as never }), TypeError, 'Dropout rate');
    throwsClass(() => new Dropout({ rate: 1 }), RangeError, 'Dropout rate');
    throwsClass(() => new SGD({ learningRate: '0.1' as never }), TypeError, 'SGD learningRate');
    throwsClass(() => new SGD({ learningRate: -1 }), RangeError, 'SGD learningRate');
    throwsClass(() => new Dense({ units: 1, dtype: 'int32' as never }), TypeError, 'Dense dtype');
    await assert.rejects(model().fit(x, y, { epochs: '3' as never }), (e) => (e as Error).constructor === TypeError);
    await assert.rejects(model().fit(x, y, { epochs: 0 }), (e) => (e as Error).constructor === RangeError);
    await assert.rejects(model().fit(x, y, { batchSize: 1.5 }), (e) => (e as Error).constructor === RangeError);
    await assert.rejects(model().fit(x, y, { validationSplit: 1 }), (e) => (e as Error).constructor === RangeError);
  });
});
