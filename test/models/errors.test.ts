// Bad input: clear errors that name what was expected and what came, and lose nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Activation, Adam, Dense, Dropout, Flatten, getInitializer, NonFiniteLossError, Sequential, SGD, tensor, Tensor } from '../../src/index.js';

const mlp = (seed = 1) => new Sequential([new Dense({ units: 4, activation: 'relu', inputShape: [3], name: 'hidden' }), new Dense({ units: 2, activation: 'softmax', name: 'out' })], { seed });

describe('errors on bad input', () => {
  it('a shape mismatch names the layer, the expected and the received shape', () => {
    const model = mlp();
    model.build();
    assert.throws(() => model.predict(tensor([[1, 2, 3, 4]])), /Dense 'hidden'.*expected input shape \[null, 3\], got \[1, 4\]/);
    const layer = new Dense({ units: 2, name: 'solo' });
    // (rank 3 is Keras's per-step Dense, applied to the last axis: test/nn/recurrent.test.ts)
    assert.throws(() => layer.computeOutputShape([5, 2, 2, 1]), /Dense 'solo'.*rank 2.*\[5, 2, 2, 1\].*Flatten/);
  });

  it('unknown activation, loss, optimiser, initialiser and metric names list the valid names', () => {
    assert.throws(() => new Dense({ units: 2, activation: 'mish' as never }), /unknown activation "mish"; valid names: linear, step, sigmoid, tanh, relu, leakyRelu, softmax, elu, selu, softplus, softsign, swish, gelu, geluTanh, relu6, hardSigmoid/);
    assert.throws(() => new Activation({ activation: 'prelu' as never }), /valid names: linear, step/);
    const model = mlp();
    assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'huber' as never }), /unknown loss "huber"; valid names: meanSquaredError, quadratic, categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy/);
    assert.throws(() => model.compile({ optimizer: 'adamw' as never, loss: 'quadratic' }), /adamw.*sgd.*adam.*rmsprop.*adagrad/);
    assert.throws(() => getInitializer('xavier'), /unknown initializer xavier; valid names: zeros, ones, glorotUniform/);
    assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'quadratic', metrics: ['f1' as never] }), /unknown metric "f1"; valid names: accuracy, acc, categoricalAccuracy, .*mse, .*mae, .*mape/);
  });

  it('invalid options are refused when the object is made, naming the option', () => {
    assert.throws(() => new Dense({ units: 0 }), /Dense: units must be a positive integer, got 0/);
    assert.throws(() => new Dense({ units: 2.5 }), /units must be a positive integer, got 2.5/);
    assert.throws(() => new Dense({ units: 2, unitz: 3 } as never), /Dense: unknown option 'unitz'/);
    assert.throws(() => new Dropout({ rate: 1 }), /Dropout: rate must be a number in \[0, 1\), got 1/);
    assert.throws(() => new Dropout({ rate: -0.1 }), /rate must be a number in \[0, 1\)/);
    assert.throws(() => new SGD({ learningRate: Number.NaN }), /learningRate/);
    assert.throws(() => new Adam({ learningRate: -1 }), /learningRate/);
    assert.throws(() => new SGD({ learningRate: 'abc' as never }), /learningRate/);
    assert.throws(() => new Dense({ units: 2, inputShape: [0] }), /inputShape must be a non-empty list of positive integers/);
  });

  it('fit refuses a non-integer batch size and bad epochs before training', async () => {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = tensor([[1, 2, 3]]), y = tensor([1]);
    await assert.rejects(model.fit(x, y, { batchSize: 2.5 }), /fit: batchSize must be a positive integer, got 2.5/);
    await assert.rejects(model.fit(x, y, { epochs: 0 }), /fit: epochs must be a positive integer, got 0/);
  });

  it('x and y with different sample counts, labels out of range, NaN or infinite inputs are refused before training', async () => {
    const model = mlp();
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    model.build();
    const before = model.getWeights().map((t) => Array.from(t.data));
    await assert.rejects(model.fit(tensor([[1, 2, 3], [4, 5, 6]]), tensor([1])), /x has 2 samples but y has 1/);
    await assert.rejects(model.fit(tensor([[1, 2, 3]]), tensor([2])), /labels must be integers in \[0, 2\).*y\[0\] = 2/);
    await assert.rejects(model.fit(tensor([[1, 2, 3]]), tensor([0.5])), /labels must be integers/);
    await assert.rejects(model.fit(tensor([[1, Number.NaN, 3]]), tensor([1])), /x contains NaN at index 1 \(sample 0\)/);
    await assert.rejects(model.fit(tensor([[1, 2, Infinity]]), tensor([1])), /x contains Infinity/);
    const m2 = mlp();
    m2.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await assert.rejects(m2.fit(tensor([[1, 2, 3]]), tensor([1])), /expected shape \[1, 2\].*got \[1\].*sparseCategoricalCrossentropy/);
    model.getWeights().forEach((t, i) => assert.deepEqual(Array.from(t.data), before[i]));
  });

  it('a NaN or infinite loss stops fit with the epoch and batch, keeping the weights from before that batch', async () => {
    // The data go bad (Infinity, as from an overflow upstream) after the second batch of the second
    // epoch, behind fit's up-front checks: the third batch's loss is infinite.
    const n = 12, x = new Float32Array(n * 3).fill(1), y = new Float32Array(n * 2).fill(0);
    const model = new Sequential([new Dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })], { seed: 1 });
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    let snapshot: number[][] = [];
    let failedAt = '';
    const xs = new Tensor(x, [n, 3]);
        const cb = { onBatchEnd(batch: number) { if (batch === 1 && epoch === 1) { x.fill(Infinity, 0, n * 3); snapshot = model.getWeights().map((t) => Array.from(t.data)); } } };
    let epoch = 0;
    const track = { onEpochBegin(e: number) { epoch = e; } };
    try {
      await model.fit(xs, new Tensor(y, [n, 2]), { epochs: 3, batchSize: 4, shuffle: false, callbacks: [track, cb] });
    } catch (e) {
      assert.ok(e instanceof NonFiniteLossError);
      failedAt = (e as Error).message;
    }
    assert.match(failedAt, /loss became (Infinity|NaN) at epoch 2, batch 3/);
    model.getWeights().forEach((t, i) => assert.deepEqual(Array.from(t.data), snapshot[i]));
  });

  it("compile explains the step function's zero derivative", () => {
    const model = new Sequential([new Dense({ units: 3, activation: 'step', inputShape: [2] }), new Dense({ units: 1, activation: 'sigmoid' })]);
    assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' }), /'step' activation, whose derivative is 0 almost everywhere.*'sigmoid'.*perceptron/);
  });

  it('Flatten and Dense reject inputs of the wrong rank', () => {
    assert.throws(() => new Flatten({ name: 'f' }).computeOutputShape([3]), /Flatten 'f'.*rank >= 2/);
  });
  it('predict refuses NaN and infinities in any batch, naming the first one in x, on both backends', async () => {
    const { setBackend } = await import('../../src/index.js');
    for (const backend of ['js', 'wasm'] as const) {
      await setBackend(backend);
      const m = new Sequential([new Dense({ units: 2, inputShape: [3] })], { seed: 1 });
      const x = new Float32Array(7 * 3).fill(0.5);
      assert.equal(m.predict(new Tensor(x, [7, 3]), { batchSize: 2 }).shape[0], 7);
      x[5 * 3 + 1] = NaN; x[6 * 3] = Infinity;
      assert.throws(() => m.predict(new Tensor(x, [7, 3]), { batchSize: 2 }), /predict: x contains NaN at index 16 \(sample 5\)/, backend);
      x[5 * 3 + 1] = 0;
      assert.throws(() => m.predict(new Tensor(x, [7, 3]), { batchSize: 2 }), /predict: x contains Infinity at index 18 \(sample 6\)/, backend);
    }
  });
});
