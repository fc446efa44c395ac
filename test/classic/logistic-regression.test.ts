/**
 * LogisticRegression: gradient descent reaches the minimiser Newton's method finds (CS229 notes 1
 * section 7), softmax with two classes is the sigmoid model, breast cancer and iris accuracy, and
 * option checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, inverse } from 'ml-matrix';
import { LogisticRegression } from '../../src/classic/index.js';
import { StandardScaler, loadBreastCancer, loadIris, trainTestSplit } from '../../src/data/index.js';
import { Adam } from '../../src/optim/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { maxRelativeError, rows, vec } from './helpers.js';

const iris = loadIris();

/** Iris versicolor (label 1) against virginica (label 2), standardised: not linearly separable. */
function versicolorVirginica(): { x: Tensor; y: Tensor } {
  const keep = Array.from({ length: 150 }, (_, i) => i).filter((i) => iris.y.data[i]! > 0);
  const x = new Tensor(Float64Array.from(keep.flatMap((i) => Array.from(iris.x.data.subarray(i * 4, i * 4 + 4)))), [100, 4]);
  return { x: new StandardScaler().fitTransform(x), y: vec(keep.map((i) => iris.y.data[i]!)) };
}

test('gradient descent reaches the minimiser found by Newton\'s method (binary, l2 = 0.01, intercept unpenalised)', () => {
  const { x, y } = versicolorVirginica();
  const n = 100, d = 4, lambda = 0.01;
  // Newton's method on J(theta) with theta = [w; b] and X~ = [X, 1], written out here.
  const A = new Matrix(Array.from({ length: n }, (_, i) => [...Array.from(x.data.subarray(i * d, i * d + d)), 1]));
  const t = Array.from(y.data, (v) => (v === 2 ? 1 : 0));
  const penalty = Matrix.diag([...Array(d).fill(2 * lambda), 0]);
  let theta = Matrix.zeros(d + 1, 1);
  for (let it = 0; it < 50; it++) {
    const z = A.mmul(theta).to1DArray(), p = z.map((s) => 1 / (1 + Math.exp(-s)));
    const g = A.transpose().mmul(Matrix.columnVector(p.map((v, i) => (v - t[i]!) / n))).add(penalty.mmul(theta));
    const H = A.transpose().mmul(Matrix.diag(p.map((v) => (v * (1 - v)) / n))).mmul(A).add(penalty);
    theta = theta.sub(inverse(H).mmul(g));
  }
  const exact = theta.to1DArray();
  const model = new LogisticRegression({ learningRate: 1, epochs: 5000, l2: lambda }).fit(x, y);
  assert.deepEqual(model.weights.shape, [4, 1]);
  const got = [...Array.from(model.weights.data), model.biases.data[0]!];
  assert.ok(maxRelativeError(got, exact) < 1e-6, `${maxRelativeError(got, exact)}: ${got} vs ${exact}`);
  // The loss history decreases to the optimum's loss.
  const h = model.lossHistory;
  assert.equal(h.length, 5001);
  for (let e = 1; e < h.length; e++) assert.ok(h[e]! <= h[e - 1]! + 1e-15, `epoch ${e}`);
});

test('softmax with two classes is the sigmoid model: softmax at rate lr equals sigmoid at 2 lr (l2 = 0)', () => {
  const { x, y } = versicolorVirginica();
  const soft = new LogisticRegression({ multiClass: 'softmax', learningRate: 0.05, epochs: 300 }).fit(x, y);
  const sig = new LogisticRegression({ learningRate: 0.1, epochs: 300 }).fit(x, y);
  assert.deepEqual(soft.weights.shape, [4, 2]);
  const ps = soft.predictProba(x).data, pb = sig.predictProba(x).data;
  for (let i = 0; i < ps.length; i++) assert.ok(Math.abs(ps[i]! - pb[i]!) < 1e-12, `entry ${i}`);
});

test('breast cancer, standardised on the training part of a seeded stratified split: test accuracy >= 0.95', () => {
  const bc = loadBreastCancer();
  const split = trainTestSplit(bc.x, bc.y, { testSize: 0.25, seed: 42, stratify: true });
  const scaler = StandardScaler.fit(split.xTrain);
  const model = new LogisticRegression({ learningRate: 0.1, epochs: 1000 }).fit(scaler.transform(split.xTrain), split.yTrain);
  const acc = model.score(scaler.transform(split.xTest), split.yTest);
  assert.ok(acc >= 0.95, `test accuracy ${acc}`);
  assert.deepEqual(model.classes, [0, 1]);
  // Any nabla optimiser can drive the descent.
  const adam = new LogisticRegression({ optimizer: new Adam({ learningRate: 0.01 }), epochs: 500 }).fit(scaler.transform(split.xTrain), split.yTrain);
  assert.ok(adam.score(scaler.transform(split.xTest), split.yTest) >= 0.95);
});

test('iris with softmax (3 classes): training accuracy >= 0.95, probabilities sum to 1, labels returned as given', () => {
  const x = new StandardScaler().fitTransform(iris.x);
  const model = new LogisticRegression({ learningRate: 0.5, epochs: 2000 }).fit(x, iris.y);
  assert.deepEqual(model.weights.shape, [4, 3]);
  assert.ok(model.score(x, iris.y) >= 0.95, `${model.score(x, iris.y)}`);
  const p = model.predictProba(x).data;
  for (let i = 0; i < 150; i++) assert.ok(Math.abs(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]! - 1) < 1e-12);
  const shifted = new LogisticRegression({ learningRate: 0.5, epochs: 200 }).fit(x, vec(Array.from(iris.y.data, (v) => v + 5)));
  assert.deepEqual(shifted.classes, [5, 6, 7]);
  assert.ok(shifted.predict(x).data.every((v) => v >= 5 && v <= 7));
});

test('a separable set drives the loss towards 0 without overflow; options and bad input are refused', () => {
  const x = rows([[-3], [-2], [-1], [1], [2], [3]]), y = vec([0, 0, 0, 1, 1, 1]);
  const m = new LogisticRegression({ learningRate: 10, epochs: 2000 }).fit(x, y);
  assert.ok(m.lossHistory.every(Number.isFinite) && m.lossHistory.at(-1)! < 1e-3);
  assert.equal(m.score(x, y), 1);
  assert.throws(() => new LogisticRegression({ learningRate: 0 }), /learningRate must be a finite number > 0, got 0/);
  assert.throws(() => new LogisticRegression({ epochs: 1.5 }), /epochs must be an integer >= 1, got 1.5/);
  assert.throws(() => new LogisticRegression({ multiClass: 'ovr' as 'auto' }), /multiClass must be one of 'auto', 'softmax'/);
  assert.throws(() => new LogisticRegression({ learningRate: 0.1, optimizer: new Adam() }), /not both/);
  assert.throws(() => new LogisticRegression().fit(x, vec([1, 1, 1, 1, 1, 1])), /needs at least 2 classes/);
  assert.throws(() => new LogisticRegression().predict(x), /not fitted/);
  assert.throws(() => m.predict(rows([[1, 2]])), /fitted on 1 feature\(s\)/);
});
