// The playground's logic without a browser: the URL state, the seeded data sets and the training
// run (playground/src/trainer.ts, what the Web Worker runs).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HIGHAM_POINTS, makeDataset, runge } from '../../playground/src/datasets.js';
import { DATASETS, DEFAULT_STATE, formatState, parseState, runKey, type PlaygroundState } from '../../playground/src/state.js';
import { Trainer } from '../../playground/src/trainer.js';

describe('playground: state in the URL', () => {
  it('a state survives formatState -> parseState, and a bad field takes its default', () => {
    const s: PlaygroundState = { ...DEFAULT_STATE, dataset: 'spiral', noise: 15, trainRatio: 70, seed: 42, layers: [3, 5, 1], activation: 'relu', loss: 'quadratic',
      learningRate: 0.003, batchSize: 7, optimizer: 'momentum', l2: 0.001, dropout: 0.2, backend: 'js', showTest: true, discretize: true };
    assert.deepEqual(parseState('#' + formatState(s)), s);
    assert.deepEqual(parseState(''), DEFAULT_STATE);
    const bad = parseState('#dataset=moons&noise=500&layers=2,x&lr=-1&activation=mish&batch=0');
    assert.equal(bad.dataset, DEFAULT_STATE.dataset);
    assert.equal(bad.noise, 50); // clamped
    assert.deepEqual(bad.layers, DEFAULT_STATE.layers);
    assert.equal(bad.learningRate, DEFAULT_STATE.learningRate);
    assert.equal(bad.activation, DEFAULT_STATE.activation);
    assert.equal(bad.batchSize, 1);
    assert.deepEqual(parseState('#layers=').layers, [], 'no hidden layer');
    assert.equal(runKey({ ...s, showTest: false }), runKey(s), 'view options do not restart a run');
  });
});

describe('playground: data sets', () => {
  it('are the same for the same seed and differ for another; the split keeps every point', () => {
    for (const name of DATASETS) {
      const a = makeDataset(name, 7, 20, 50), b = makeDataset(name, 7, 20, 50);
      assert.deepEqual(a, b, name);
      const total = a.yTrain.length + a.yTest.length;
      if (name === 'higham') { assert.equal(a.yTrain.length, 10); continue; }
      assert.equal(total, name === 'runge' ? 100 : 400, name);
      assert.equal(a.yTrain.length, total / 2, name);
      assert.notDeepEqual(makeDataset(name, 8, 20, 50).xTrain, a.xTrain, name);
    }
  });

  it("Higham's points are the paper's; XOR labels follow the signs; Runge is 1/(1+25x^2) without noise", () => {
    const h = makeDataset('higham', 1, 0, 50);
    assert.deepEqual(Array.from(h.xTrain.slice(0, 4), (v) => Math.round(v * 10) / 10), [0.1, 0.1, 0.3, 0.4]);
    assert.equal(HIGHAM_POINTS.filter((p) => p[2] === 1).length, 5);
    const x = makeDataset('xor', 3, 0, 50);
    for (let i = 0; i < x.yTrain.length; i++) assert.equal(x.yTrain[i], x.xTrain[2 * i]! * x.xTrain[2 * i + 1]! >= 0 ? 1 : 0);
    const r = makeDataset('runge', 3, 0, 50);
    for (let i = 0; i < r.yTrain.length; i++) assert.ok(Math.abs(r.yTrain[i]! - runge(r.xTrain[i]!)) < 1e-6);
  });
});

describe('playground: the training run', () => {
  it('the same state gives the same losses after the same steps', async () => {
    const state = parseState('#dataset=circles&noise=10&layers=4,3&activation=relu&optimizer=momentum&lr=0.1&batch=8&dropout=0.1&l2=0.001');
    const a = new Trainer(state), b = new Trainer(state);
    for (let i = 0; i < 60; i++) { await a.trainStep(); await b.trainStep(); }
    assert.deepEqual(a.losses(), b.losses());
    assert.deepEqual(a.history, b.history);
    assert.ok(a.losses().train < a.history.train[0]!, 'training lowers the loss');
    const { output, neurons } = a.probe();
    assert.equal(output.length, 48 * 48);
    assert.deepEqual(neurons.map((l) => l.length), [4, 3]);
    assert.deepEqual(a.weights().map((w) => [w.inUnits, w.units]), [[2, 4], [4, 3], [3, 1]]);
    a.dispose(); b.dispose();
  });

  it('step: the hidden layers are frozen and the output layer learns', async () => {
    const t = new Trainer(parseState('#dataset=gaussians&layers=4&activation=step&lr=0.03&optimizer=adam'));
    const before = t.weights();
    for (let i = 0; i < 100; i++) await t.trainStep();
    const after = t.weights();
    assert.deepEqual(after[0], before[0], 'the step layer keeps its initial weights');
    assert.notDeepEqual(after[1], before[1], 'the output layer learns');
    t.dispose();
  });

  it('regression: the Runge fit draws a curve and the loss falls', async () => {
    const t = new Trainer(parseState('#dataset=runge&layers=8&activation=tanh&loss=quadratic&optimizer=adam&lr=0.03'));
    for (let i = 0; i < 200; i++) await t.trainStep();
    assert.equal(t.probe().output.length, 161);
    assert.ok(t.losses().test < t.history.test[0]!);
    t.dispose();
  });
});
