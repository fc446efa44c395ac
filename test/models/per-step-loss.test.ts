// A per-step sparse loss (returnSequences + Dense softmax on [m, T, k], labels [m, T]) is the mean
// cross-entropy over every step of every sample, as Keras computes it; its fused gradient trains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../../src/kernels/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Embedding } from '../../src/nn/layers/embedding.js';
import { LSTM } from '../../src/nn/layers/lstm.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Adam } from '../../src/optim/adam.js';
import { gradCheck } from '../../src/models/grad-check.js';

test('per-step sparse cross-entropy: value is -mean log p(y) over m T steps; accuracy per step; training lowers it', async () => {
  await ready();
  const m = 3, T = 5, k = 4;
  const model = new Sequential([new Embedding({ inputDim: k, outputDim: 3, inputLength: T }), new LSTM({ units: 6, returnSequences: true }),
    new Dense({ units: k, activation: 'softmax' })], { seed: 2 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = new Tensor(Float32Array.from({ length: m * T }, (_, i) => i % k), [m, T]);
  const y = new Tensor(Float32Array.from({ length: m * T }, (_, i) => (i + 1) % k), [m, T]); // next id
  const p = model.predict(x).data;
  let nll = 0, correct = 0;
  for (let r = 0; r < m * T; r++) {
    nll -= Math.log(p[r * k + y.data[r]!]!);
    let best = 0;
    for (let j = 1; j < k; j++) if (p[r * k + j]! > p[r * k + best]!) best = j;
    if (best === y.data[r]) correct++;
  }
  const logs = model.evaluate(x, y);
  assert.ok(Math.abs(logs['loss']! - nll / (m * T)) < 1e-5, `${logs['loss']} vs ${nll / (m * T)}`);
  assert.ok(Math.abs(logs['accuracy']! - correct / (m * T)) < 1e-9);
  const first = model.computeLoss(x, y, false);
  model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
  for (let i = 0; i < 60; i++) await model.trainOnBatch(x, y);
  assert.ok(model.computeLoss(x, y, false) < first * 0.5, 'training on the per-step loss lowers it');
  assert.throws(() => model.evaluate(x, new Tensor(new Float32Array(m * (T - 1)), [m, T - 1])), /class indices of shape/);
});

test('per-step sparse cross-entropy: the fused gradient (softmax + CE, scaled 1/(m T)) passes gradCheck in float64', async () => {
  await ready();
  const m = 2, T = 4, k = 3;
  const model = new Sequential([new Embedding({ inputDim: k, outputDim: 2, inputLength: T, dtype: 'float64' }),
    new LSTM({ units: 3, returnSequences: true, dtype: 'float64' }), new Dense({ units: k, activation: 'softmax', dtype: 'float64' })], { seed: 5 });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const x = new Tensor(Float64Array.from([0, 1, 2, 1, 2, 2, 0, 1]), [m, T]);
  const y = new Tensor(Float64Array.from([1, 2, 0, 0, 1, 0, 2, 2]), [m, T]);
  const r = gradCheck(model, x, y, { floor: 1e-4 });
  assert.ok(r.maxRelativeError < 1e-6, `${r.maxRelativeError} at ${r.where}`);
});
