// The TensorFlow.js / Keras contract of the model and training API, each case written from what
// tfjs-layers / Keras do (not from nabla's code): callbacks as an object, a list or Callback
// instances with this.model / this.params; stopTraining ends the epoch (onEpochEnd, onTrainEnd,
// history kept); metric names and their log keys; summary's printFn; array inputs; a quiet fit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Callback, Conv2D, Dense, SGD, Sequential, earlyStopping, tensor, type CallbackParams, type Logs } from '../../src/index.js';

/** 8 samples, 2 features -> 2 classes (one-hot), a 2-unit softmax model, SGD. */
function classifier(metrics: string[] = ['accuracy']) {
  const model = new Sequential([new Dense({ units: 2, activation: 'softmax', inputShape: [2] })], { seed: 3 });
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: metrics as never });
  const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1], [2, 2], [2, 3], [3, 2], [3, 3]]);
  const y = tensor([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [0, 1]]);
  return { model, x, y };
}

describe('callbacks (TF.js forms)', () => {
  it('a single object is accepted as callbacks (TF.js CustomCallbackArgs)', async () => {
    const { model, x, y } = classifier();
    const epochs: number[] = [];
    await model.fit(x, y, { epochs: 3, callbacks: { onEpochEnd: (e: number) => { epochs.push(e); } } });
    assert.deepEqual(epochs, [0, 1, 2]);
  });

  it('a Callback subclass gets this.model and this.params before onTrainBegin', async () => {
    const { model, x, y } = classifier();
    const seen: { model?: unknown; params?: CallbackParams } = {};
    class Probe extends Callback {
      override onTrainBegin() { seen.model = this.model; seen.params = this.params; }
    }
    await model.fit(x, y, { epochs: 2, batchSize: 3, validationData: [x, y], callbacks: [new Probe()] });
    assert.equal(seen.model, model);
    // 8 samples in batches of 3 -> 3 steps (Keras: ceil(samples / batchSize)).
    assert.deepEqual({ ...seen.params }, { epochs: 2, initialEpoch: 0, samples: 8, steps: 3, batchSize: 3, verbose: 0, doValidation: true,
      metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] });
    assert.ok(new Probe() instanceof Callback);
  });

  it('stopTraining set in onBatchEnd finishes that batch, then runs onEpochEnd and onTrainEnd; history keeps the epoch', async () => {
    const { model, x, y } = classifier();
    const events: string[] = [];
    class StopAtFirstBatch extends Callback {
      override onBatchEnd(b: number) { events.push(`batch ${b}`); this.model.stopTraining = true; }
      override onEpochEnd(e: number, logs?: Logs) { events.push(`epoch ${e} ${Object.keys(logs ?? {}).join(',')}`); }
      override onTrainEnd() { events.push('train end'); }
    }
    const history = await model.fit(x, y, { epochs: 5, batchSize: 2, callbacks: new StopAtFirstBatch() });
    assert.deepEqual(events, ['batch 0', 'epoch 0 loss,accuracy', 'train end']);
    assert.deepEqual(history.epoch, [0]);
    assert.equal(history.history.loss.length, 1);
  });

  it("fit's signal interrupts mid-epoch without ending it (the CLI's Ctrl-C) and keeps the position", async () => {
    const { model, x, y } = classifier();
    const stop = new AbortController();
    const events: string[] = [];
    const history = await model.fit(x, y, { epochs: 5, batchSize: 2, signal: stop.signal, callbacks: {
      onBatchEnd: (b: number) => { events.push(`batch ${b}`); if (b === 1) stop.abort(); },
      onEpochEnd: () => { events.push('epoch end'); }, onTrainEnd: () => { events.push('train end'); },
    } });
    assert.deepEqual(events, ['batch 0', 'batch 1']);
    assert.deepEqual(history.epoch, []);
    assert.equal(model.trainingProgress?.epoch, 0);
    assert.equal(model.trainingProgress?.batch, 2);
  });

  it('refuses a misspelt hook and a non-function hook, naming them', async () => {
    const { model, x, y } = classifier();
    await assert.rejects(model.fit(x, y, { callbacks: { onEpochEnds: () => {} } as never }), /unknown hook 'onEpochEnds'/);
    await assert.rejects(model.fit(x, y, { callbacks: [{ onEpochEnd: 3 }] as never }), /callbacks\[0\]\.onEpochEnd must be a function/);
  });
});

describe('metric names (Keras / TF.js)', () => {
  it("'acc' logs acc and val_acc; 'accuracy' logs accuracy; categoricalAccuracy / mse / mae / mape under their names", async () => {
    const { model, x, y } = classifier(['acc', 'categoricalAccuracy', 'mse', 'mae', 'mape']);
    const history = await model.fit(x, y, { epochs: 1, validationData: [x, y] });
    assert.deepEqual(Object.keys(history.history).sort(),
      ['acc', 'categoricalAccuracy', 'loss', 'mae', 'mape', 'mse', 'val_acc', 'val_categoricalAccuracy', 'val_loss', 'val_mae', 'val_mape', 'val_mse'].sort());
    const other = classifier(['accuracy']);
    assert.deepEqual(Object.keys(other.model.evaluate(other.x, other.y)), ['loss', 'accuracy']);
  });

  it('values: accuracy kinds, mse, mae and mape on outputs fixed by hand', () => {
    // One Dense unit with weights set by hand: out = x (kernel 1, bias 0), linear.
    const model = new Sequential([new Dense({ units: 1, inputShape: [1] })]);
    model.setWeights([tensor([[1]]), tensor([0])]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['binaryAccuracy', 'mse', 'mae', 'mape', 'acc'] });
    // out = [0.2, 0.7, 2], y = [0, 0, 4]: binary (out > 0.5) vs (y > 0.5) agree on rows 0 and 2 -> 2/3;
    // mse = (0.04 + 0.49 + 4) / 3; mae = (0.2 + 0.7 + 2) / 3; mape = 100/3 (0.2/1e-7 + 0.7/1e-7 + 2/4).
    const logs = model.evaluate([0.2, 0.7, 2], [0, 0, 4]);
    assert.ok(Math.abs(logs.binaryAccuracy! - 2 / 3) < 1e-6);
    assert.ok(Math.abs(logs.acc! - 2 / 3) < 1e-6); // 'acc' with one output: binary, as Keras infers
    assert.ok(Math.abs(logs.mse! - 4.53 / 3) < 1e-5);
    assert.ok(Math.abs(logs.mae! - 2.9 / 3) < 1e-6);
    assert.ok(Math.abs(logs.mape! / ((100 / 3) * (0.9e7 + 0.5)) - 1) < 1e-5);
  });

  it('refuses sparseCategoricalAccuracy with a one-hot loss, naming the fix', () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [2] })]);
    assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['sparseCategoricalAccuracy'] }), /needs class-index labels/);
  });

  it("earlyStopping({ monitor: 'val_acc' }) stops a model compiled with 'accuracy', without a warning", async () => {
    const { model, x, y } = classifier(['accuracy']);
    const warn = console.warn; const warnings: unknown[] = [];
    console.warn = (...a: unknown[]) => { warnings.push(a); };
    try {
      // SGD at lr 1e-12 leaves the predictions as they are: val_accuracy is flat, so patience 1 stops after epoch 1.
      model.compile({ optimizer: new SGD({ learningRate: 1e-12 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 10, validationData: [x, y], callbacks: [earlyStopping({ monitor: 'val_acc', patience: 1 })] });
      assert.deepEqual(history.epoch, [0, 1]);
    } finally { console.warn = warn; }
    assert.deepEqual(warnings, []);
  });
});

describe('model API', () => {
  it('layers are built as added when the input shape is known: weights copy between fresh models', () => {
    const a = new Sequential([new Dense({ units: 3, inputShape: [2] }), new Dense({ units: 1 })], { seed: 1 });
    const b = new Sequential([new Dense({ units: 3, inputShape: [2] })], { seed: 2 });
    b.add(new Dense({ units: 1 }));
    assert.equal(a.getWeights().length, 4);
    b.setWeights(a.getWeights());
    assert.deepEqual(b.predict([[1, 2]]).toArray(), a.predict([[1, 2]]).toArray());
  });

  it('add is refused after compile, and a layer whose input does not fit is not added', () => {
    const model = new Sequential([new Dense({ units: 3, inputShape: [2] })]);
    assert.throws(() => model.add(new Conv2D({ filters: 1, kernelSize: 1 })), /Conv2D/);
    assert.equal(model.layers.length, 1);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    assert.throws(() => model.add(new Dense({ units: 1 })), /compiled; add every layer before compile/);
  });

  it('summary prints only through printFn, line by line, and returns the text', () => {
    const model = new Sequential([new Dense({ units: 3, inputShape: [2] })]);
    const log = console.log; let printed = 0;
    console.log = () => { printed++; };
    const lines: string[] = [];
    try {
      const quiet = model.summary();
      const text = model.summary(undefined, undefined, (l) => lines.push(l));
      assert.equal(text, quiet);
      assert.deepEqual(lines, text.split('\n'));
      // TF.js / Keras default: 65 characters, columns ending at 0.45 and 0.85 of the line.
      assert.equal(lines[2], ' Layer (type)'.padEnd(29) + 'Output Shape'.padEnd(26) + 'Param #');
      assert.equal(model.summary(80, [0.5, 0.75, 1]).split('\n')[2], ' Layer (type)'.padEnd(40) + 'Output Shape'.padEnd(20) + 'Param #');
    } finally { console.log = log; }
    assert.equal(printed, 0);
  });

  it('predict / evaluate / fit / trainOnBatch take nested arrays, typed arrays and rank-1 x for inputShape [1]', async () => {
    const model = new Sequential([new Dense({ units: 1, inputShape: [1] })]);
    model.setWeights([tensor([[2]]), tensor([-1])]);
    assert.deepEqual(model.predict([[10]]).toArray(), [[19]]);
    assert.deepEqual(model.predict([10, 0]).toArray(), [[19], [-1]]);
    assert.deepEqual(model.predict(new Int32Array([3])).toArray(), [[5]]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    assert.equal(model.evaluate([1, 2], [1, 3]).loss, 0);
    await model.trainOnBatch(new Float64Array([1]), [1]);
    await model.fit([-1, 0, 1], [[-3], [-1], [1]], { epochs: 1 });
    assert.throws(() => model.predict([[1, 2], [3]] as never), /predict: x: tensor: ragged array/);
    assert.throws(() => model.predict('abc' as never), /predict: x must be a Tensor, nested arrays of numbers or a typed array/);
  });

  it('fit prints nothing by itself; a logger gets one line per epoch', async () => {
    const { model, x, y } = classifier();
    const log = console.log; let printed = 0;
    console.log = () => { printed++; };
    const lines: string[] = [];
    try {
      await model.fit(x, y, { epochs: 2, verbose: 1 });
      await model.fit(x, y, { epochs: 2, logger: (l) => lines.push(l) });
    } finally { console.log = log; }
    assert.equal(printed, 0);
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /^Epoch 2\/2 - \d+\.\ds - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/);
  });
});
