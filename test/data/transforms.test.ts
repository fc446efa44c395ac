import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  oneHot, argMax, StandardScaler, MinMaxScaler, standardize, minMaxScale, trainTestSplit, gatherRows,
  batches, batchCount, loadIris,
} from '../../src/data/index.js';
import { Tensor, tensor, type TensorData } from '../../src/tensor/tensor.js';

test('oneHot encodes class indices and argMax inverts it', () => {
  const y = tensor([2, 0, 1]);
  const h = oneHot(y, 3);
  assert.deepEqual(h.shape, [3, 3]);
  assert.equal(h.dtype, 'float32');
  assert.deepEqual(h.toArray(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(Array.from(argMax(h).data), [2, 0, 1]);
  assert.equal(argMax(h).dtype, 'int32');
  assert.equal(oneHot(tensor([1], undefined, 'float64'), 2).dtype, 'float64');
  assert.deepEqual(oneHot(tensor([[1], [0]]), 2).toArray(), [[[0, 1]], [[1, 0]]], 'TF.js: shape [...indices.shape, depth]');
});

test('oneHot refuses labels outside [0, k) or non-integers, naming the index', () => {
  assert.throws(() => oneHot(tensor([0, 1, 3]), 3), /^RangeError: oneHot: label 3 at index 2 is not an integer class index in \[0, 3\)$/);
  assert.throws(() => oneHot(tensor([0, -1]), 3), /label -1 at index 1/);
  assert.throws(() => oneHot(tensor([0.5]), 3), /label 0.5 at index 0/);
  assert.throws(() => oneHot(tensor([Number.NaN]), 3), /label NaN at index 0/);
  assert.throws(() => oneHot(tensor([0]), 0), /depth must be a positive integer/);
});

test('StandardScaler: fitted on train, applied to test; constant columns give 0, not NaN', () => {
  const train = tensor([[1, 10, 5], [3, 10, 5], [5, 10, 5]], undefined, 'float64');
  const s = StandardScaler.fit(train);
  assert.deepEqual(s.mean, [3, 10, 5]);
  assert.deepEqual(s.scale, [Math.sqrt(8 / 3), 1, 1]);
  const t = s.transform(tensor([[3, 10, 6], [7, 11, 5]], undefined, 'float64'));
  assert.deepEqual(t.toArray(), [[0, 0, 1], [4 / Math.sqrt(8 / 3), 1, 0]]);
  const z = s.transform(train);
  assert.ok(Array.from(z.data).every(Number.isFinite));
  s.inverseTransform(z).data.forEach((v, i) => assert.ok(Math.abs(v - train.data[i]!) < 1e-12, `inverse at ${i}: ${v}`));
  // Round trip through the config.
  const r = StandardScaler.fromConfig(JSON.parse(JSON.stringify(s.getConfig())));
  assert.deepEqual(r.transform(train).data, z.data);
  assert.deepEqual(new StandardScaler().fitTransform(train).data, z.data);
  assert.throws(() => s.transform(tensor([[1, 2]])), /fitted on 3 features, got inputs \[1, 2\]/);
  assert.throws(() => new StandardScaler().transform(train), /not fitted/);
  // standardize: each column of iris gets mean 0 and variance 1.
  const x = standardize(loadIris().x);
  for (let c = 0; c < 4; c++) {
    let m = 0, v = 0;
    for (let r = 0; r < 150; r++) m += x.data[r * 4 + c]! / 150;
    for (let r = 0; r < 150; r++) v += (x.data[r * 4 + c]! - m) ** 2 / 150;
    assert.ok(Math.abs(m) < 1e-12 && Math.abs(v - 1) < 1e-12, `column ${c}: mean ${m}, variance ${v}`);
  }
});

test('MinMaxScaler maps the training range to featureRange; test data may fall outside', () => {
  const train = tensor([[0, 7], [10, 7], [5, 7]], undefined, 'float64');
  const s = MinMaxScaler.fit(train);
  assert.deepEqual(s.transform(train).toArray(), [[0, 0], [1, 0], [0.5, 0]]);
  assert.deepEqual(s.transform(tensor([[20, 8]], undefined, 'float64')).toArray(), [[2, 1]]);
  const m = MinMaxScaler.fit(train, { featureRange: [-1, 1] });
  assert.deepEqual(m.transform(train).toArray(), [[-1, -1], [1, -1], [0, -1]]);
  assert.deepEqual(m.inverseTransform(m.transform(train)).toArray(), train.toArray());
  assert.deepEqual(MinMaxScaler.fromConfig(m.getConfig()).transform(train).data, m.transform(train).data);
  assert.deepEqual(minMaxScale(train).toArray(), [[0, 0], [1, 0], [0.5, 0]]);
  assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), /lo < hi/);
});

test('trainTestSplit: same seed same split, different seed different split, no sample lost', () => {
  const x = new Tensor(Float64Array.from({ length: 40 }, (_, i) => i), [20, 2]);
  const y = new Tensor(Float64Array.from({ length: 20 }, (_, i) => i), [20]);
  const a = trainTestSplit(x, y, { testSize: 0.25, seed: 7 });
  const b = trainTestSplit(x, y, { testSize: 0.25, seed: 7 });
  const c = trainTestSplit(x, y, { testSize: 0.25, seed: 8 });
  assert.deepEqual(a.testIndices, b.testIndices);
  assert.notDeepEqual(a.testIndices, c.testIndices);
  assert.equal(a.testIndices.length, 5);
  assert.deepEqual([...a.trainIndices, ...a.testIndices].sort((p, q) => p - q), Array.from({ length: 20 }, (_, i) => i));
  // Rows of x and y stay paired.
  for (let i = 0; i < 5; i++) {
    assert.equal(a.yTest.data[i], a.testIndices[i]);
    assert.deepEqual(Array.from(a.xTest.data.subarray(2 * i, 2 * i + 2)), [2 * a.testIndices[i]!, 2 * a.testIndices[i]! + 1]);
  }
  assert.deepEqual(Array.from(trainTestSplit(x, y, { testSize: 3, shuffle: false }).testIndices), [17, 18, 19]);
  assert.throws(() => trainTestSplit(x, tensor([1, 2]), { seed: 1 }), /x has 20 samples \[20, 2\] but y has 2/);
  assert.throws(() => trainTestSplit(x, y, { testSize: 20 }), /both parts need at least one/);
});

test('stratified split keeps the class ratios (iris 120 / 30 -> 40 / 10 per class)', () => {
  const { x, y } = loadIris();
  const s = trainTestSplit(x, y, { testSize: 0.2, seed: 42, stratify: true });
  const count = (t: Tensor<TensorData>) => { const c = [0, 0, 0]; for (const v of t.data) c[v]!++; return c; };
  assert.deepEqual(count(s.yTrain), [40, 40, 40]);
  assert.deepEqual(count(s.yTest), [10, 10, 10]);
  assert.deepEqual(trainTestSplit(x, y, { testSize: 0.2, seed: 42, stratify: true }).testIndices, s.testIndices);
  // Unequal classes: 6 of class 0, 3 of class 1, test 3 -> 2 and 1.
  const yy = tensor([0, 0, 0, 0, 0, 0, 1, 1, 1]);
  const u = trainTestSplit(tensor([[0], [1], [2], [3], [4], [5], [6], [7], [8]]), yy, { testSize: 3, seed: 3, stratify: true });
  assert.deepEqual(count(u.yTest).slice(0, 2), [2, 1]);
  // One-hot targets stratify by their argmax.
  const o = trainTestSplit(x, oneHot(y, 3), { testSize: 0.2, seed: 5, stratify: true });
  assert.deepEqual(count(argMax(o.yTest)), [10, 10, 10]);
  assert.throws(() => trainTestSplit(x, tensor(Array.from({ length: 150 }, () => 0.5)), { stratify: true, seed: 1 }), /stratify needs class indices, got 0.5 at index 0/);
});

test('batches: a seeded permutation per epoch, each index once, last batch smaller', () => {
  const e0 = [...batches(10, 4, { seed: 1, epoch: 0 })].map((b) => Array.from(b));
  assert.deepEqual(e0.map((b) => b.length), [4, 4, 2]);
  assert.deepEqual(e0.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...batches(10, 4, { seed: 1, epoch: 0 })].map((b) => Array.from(b)), e0);
  assert.notDeepEqual([...batches(10, 4, { seed: 1, epoch: 1 })].map((b) => Array.from(b)), e0);
  assert.notDeepEqual(e0.flat(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([...batches(5, 2, { shuffle: false })].map((b) => Array.from(b)), [[0, 1], [2, 3], [4]]);
  assert.deepEqual([...batches(5, 2, { shuffle: false, dropRemainder: true })].length, 2);
  assert.equal(batchCount(10, 4), 3);
  assert.equal(batchCount(10, 4, true), 2);
  assert.throws(() => batches(10, 0).next(), /batchSize must be a positive integer, got 0/);
  // gatherRows picks rows of any rank.
  const img = new Tensor(Float32Array.from({ length: 12 }, (_, i) => i), [3, 2, 2, 1]);
  assert.deepEqual(gatherRows(img, [2, 0]).shape, [2, 2, 2, 1]);
  assert.deepEqual(Array.from(gatherRows(img, [2, 0]).data), [8, 9, 10, 11, 0, 1, 2, 3]);
  assert.throws(() => gatherRows(img, [3]), /index 3 at position 0 is outside \[0, 3\)/);
});
