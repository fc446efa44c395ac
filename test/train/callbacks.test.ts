// Callbacks as TensorFlow.js and Keras define them, and their state in checkpoints.
//
// earlyStopping's rule, written from tf.callbacks.earlyStopping / Keras EarlyStopping (not from
// nabla's code): an epoch improves when value < best - minDelta ('min'; > best + minDelta for
// 'max'); then wait = 0, else wait += 1 and training stops when wait >= patience. So with a flat
// loss, patience 0 and 1 both stop after the second epoch (index 1), patience 2 after the third.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  Dense, Sequential, SGD, Tensor, earlyStopping, loadCheckpoint, loadModel, modelCheckpoint, saveCheckpoint,
  type Callback, type Logs,
} from '../../src/index.js';

/** Drives the hooks with scripted values; returns the epoch at which stopTraining was set (or -1). */
function stopEpoch(cb: Callback, monitor: string, values: number[]): number {
  const model = { stopTraining: false, getWeights: () => [], setWeights: () => {} };
  cb.setModel?.(model);
  void cb.onTrainBegin?.({});
  for (let e = 0; e < values.length; e++) {
    void cb.onEpochEnd?.(e, { [monitor]: values[e]! });
    if (model.stopTraining) return e;
  }
  return -1;
}

const tiny = () => {
  const model = new Sequential([new Dense({ units: 3, activation: 'softmax', inputShape: [4] })], { seed: 1 });
  model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  return model;
};
const x = new Tensor(Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)), [8, 4]);
const y = new Tensor(Float32Array.from({ length: 8 }, (_, i) => i % 3), [8]);

/** A callback that overwrites logs[key] with a scripted value each epoch and records the weights. */
function scripted(key: string, values: number[], model: Sequential, weights: Float32Array[][]): Callback {
  return {
    onEpochEnd(epoch: number, logs?: Logs) {
      logs![key] = values[epoch]!;
      weights.push(model.getWeights().map((t) => Float32Array.from(t.data)));
    },
  };
}

describe('earlyStopping (tf.callbacks.earlyStopping semantics)', () => {
  it('stops when the epochs without improvement reach patience', () => {
    const flat = [1, 1, 1, 1, 1, 1];
    assert.equal(stopEpoch(earlyStopping({ monitor: 'loss', patience: 0 }), 'loss', flat), 1);
    assert.equal(stopEpoch(earlyStopping({ monitor: 'loss', patience: 1 }), 'loss', flat), 1);
    assert.equal(stopEpoch(earlyStopping({ monitor: 'loss', patience: 2 }), 'loss', flat), 2);
    // best 3, 2 (wait 0), 2.5 (1), 2.2 (2): stop at epoch 3
    assert.equal(stopEpoch(earlyStopping({ monitor: 'loss', patience: 2 }), 'loss', [3, 2, 2.5, 2.2, 1.9]), 3);
    // minDelta: 0.95 is not below 1 - 0.1
    assert.equal(stopEpoch(earlyStopping({ monitor: 'loss', patience: 1, minDelta: 0.1 }), 'loss', [1, 0.95, 0.9]), 1);
    // accuracies are maximised ('auto')
    assert.equal(stopEpoch(earlyStopping({ monitor: 'val_accuracy', patience: 1 }), 'val_accuracy', [0.5, 0.6, 0.7, 0.65]), 3);
    assert.equal(stopEpoch(earlyStopping({ monitor: 'val_accuracy', patience: 1 }), 'val_accuracy', [0.5, 0.6, 0.7, 0.8]), -1);
  });

  it('a reused callback starts afresh at each fit; in fit, the number of epochs follows the rule', async () => {
    const cb = earlyStopping({ monitor: 'loss', patience: 2 });
    assert.equal(stopEpoch(cb, 'loss', [1, 1, 1]), 2);
    assert.equal(stopEpoch(cb, 'loss', [1, 1, 1]), 2, 'not at epoch 0 with the old wait');
    const model = tiny();
    const h = await model.fit(x, y, { epochs: 10, batchSize: 8, seed: 1, callbacks: [scripted('score', [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], model, []), earlyStopping({ monitor: 'score', patience: 3 })] });
    assert.equal(h.epoch.length, 4, `epochs run: ${h.epoch.length}`);
  });

  it('restoreBestWeights puts back the weights of the best epoch', async () => {
    const model = tiny();
    const weights: Float32Array[][] = [];
    await model.fit(x, y, { epochs: 10, batchSize: 4, seed: 1, callbacks: [scripted('score', [5, 1, 3, 4, 2, 2], model, weights), earlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true })] });
    assert.equal(weights.length, 4, 'stopped after epoch 3');
    assert.notDeepEqual(weights[3], weights[1]);
    assert.deepEqual(model.getWeights().map((t) => Float32Array.from(t.data)), weights[1]);
  });

  it('a monitored quantity missing from the logs is warned about once and stops nothing', async (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const model = tiny();
    const h = await model.fit(x, y, { epochs: 4, batchSize: 8, seed: 1, callbacks: [earlyStopping()] });
    assert.equal(h.epoch.length, 4);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /earlyStopping: the monitored quantity 'val_loss' is not in the logs \(loss\).*validationData or validationSplit/);
  });
});

describe('modelCheckpoint', () => {
  it('saveBestOnly saves the weights of each improving epoch only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nabla-mc-'));
    try {
      const model = tiny();
      const weights: Float32Array[][] = [];
      await model.fit(x, y, { epochs: 5, batchSize: 4, seed: 1, callbacks: [scripted('val_loss', [3, 1, 2, 0.5, 0.7], model, weights), modelCheckpoint({ dir: join(dir, 'best'), saveBestOnly: true })] });
      const saved = await loadModel(join(dir, 'best'));
      assert.deepEqual(saved.getWeights().map((t) => Float32Array.from(t.data)), weights[3]);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
});

describe('callbacks in checkpoints (training.json, field callbacks)', () => {
  it('saves each callback state and restores it, so a resumed earlyStopping keeps counting', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nabla-ck-'));
    try {
      const model = tiny();
      const es = earlyStopping({ monitor: 'score', patience: 2 });
      const mc = modelCheckpoint({ dir: join(dir, 'mc'), saveBestOnly: true, monitor: 'score' });
      const plain: Callback = { onEpochEnd() {} };
      // best 3 at epoch 0, 2 at epoch 1, then 2.5: wait 1 after three epochs
      await model.fit(x, y, { epochs: 3, batchSize: 8, seed: 1, callbacks: [scripted('score', [3, 2, 2.5], model, []), es, mc, plain] });
      await saveCheckpoint(join(dir, 'ck'), model, { fitArgs: { epochs: 3, batchSize: 8, seed: 1 }, callbacks: [es, mc, plain] });
      const training = JSON.parse(await readFile(join(dir, 'ck', 'training.json'), 'utf8')) as { callbacks: unknown[] };
      assert.deepEqual(training.callbacks, [{ best: 2, wait: 1, stoppedEpoch: -1 }, { best: 2 }, null]);

      const es2 = earlyStopping({ monitor: 'score', patience: 2 });
      const ck = await loadCheckpoint(join(dir, 'ck'), { callbacks: [es2, modelCheckpoint({ dir: join(dir, 'mc2'), saveBestOnly: true, monitor: 'score' }), plain] });
      assert.deepEqual(ck.callbacks, training.callbacks);
      // one more epoch without improvement reaches patience 2 (a fresh callback would not stop)
      assert.equal(stopEpoch(es2, 'score', [2.2]), 0);
      assert.equal(stopEpoch(earlyStopping({ monitor: 'score', patience: 2 }), 'score', [2.2]), -1);
      // a state with no callback to take it is refused, naming the field
      await assert.rejects(loadCheckpoint(join(dir, 'ck'), { callbacks: [plain] }), /training\.json.*callbacks\[0\].*same order/);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
});

describe('saving models: layers used alone first, and bytes as a list', () => {
  it('a layer built on its own, then put in a model, saves and loads under the model-given name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nabla-standalone-'));
    try {
      const dense = new Dense({ units: 3, inputShape: [4] });
      dense.build([1, 4]);
      const model = new Sequential([dense], { seed: 1 });
      assert.equal(dense.name, 'dense_1');
      assert.deepEqual(dense.params().map((p) => p.name), ['dense_1/kernel', 'dense_1/bias']);
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      await model.save(dir);
      const loaded = await loadModel(dir);
      assert.deepEqual(loaded.getWeights().map((t) => Array.from(t.data)), model.getWeights().map((t) => Array.from(t.data)));
      // the two files' contents as [modelJson, weights] ArrayBuffers
      const bytes = async (f: string) => { const b = await readFile(join(dir, f)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); };
      const fromList = await loadModel([await bytes('model.json'), await bytes('weights.safetensors')]);
      assert.deepEqual(fromList.getWeights().map((t) => Array.from(t.data)), model.getWeights().map((t) => Array.from(t.data)));
      await assert.rejects(loadModel([await bytes('model.json')] as unknown as [ArrayBuffer, ArrayBuffer]), /two files' contents/);
    } finally { await rm(dir, { recursive: true, force: true }); }
  });
});
