/**
 * Perceptron (Rosenblatt's rule, step activation) on the logic gates and XOR, and LinearSVM
 * (hinge + L2 by subgradient descent) on separable data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearSVM, Perceptron } from '../../src/classic/index.js';
import { Rng } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { rows, vec } from './helpers.js';

const inputs = rows([[0, 0], [0, 1], [1, 0], [1, 1]]);
const gates: Record<string, number[]> = { AND: [0, 0, 0, 1], OR: [0, 1, 1, 1], NAND: [1, 1, 1, 0] };

/** Two Gaussian clouds in 2-D, centres (-2, -1) and (2, 1), with a gap: points with |(x0 + x1/2)| < 0.5 are dropped. */
function separable(seed: number, n = 200): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed), x: number[][] = [], y: number[] = [];
  while (x.length < n) {
    const c = rng.int(2), p = [(c ? 2 : -2) + rng.normal(), (c ? 1 : -1) + rng.normal()];
    const side = p[0]! + p[1]! / 2;
    if (Math.abs(side) < 0.5 || (side > 0) !== (c === 1)) continue;
    x.push(p); y.push(c ? 1 : -1);
  }
  return { x: rows(x), y: vec(y) };
}

test('the perceptron learns AND, OR and NAND (0/1 and -1/+1 labels) and says it converged', () => {
  for (const [name, truth] of Object.entries(gates)) {
    const p = new Perceptron().fit(inputs, vec(truth));
    assert.ok(p.converged, name);
    assert.ok(p.epochsUsed >= 1 && p.epochsUsed < 20, `${name}: ${p.epochsUsed} epochs`);
    assert.deepEqual(Array.from(p.predict(inputs).data), truth, name);
    assert.equal(p.errorsPerEpoch.at(-1), 0);
    assert.equal(p.errorsPerEpoch.length, p.epochsUsed);
    const pm = new Perceptron({ learningRate: 0.5, seed: 3 }).fit(inputs, vec(truth.map((v) => 2 * v - 1)));
    assert.ok(pm.converged, `${name} with -1/+1`);
    assert.deepEqual(Array.from(pm.predict(inputs).data), truth.map((v) => 2 * v - 1));
  }
});

test('AND by hand: the rule from zero weights, in data order with alpha = 1', () => {
  // Epoch 1: (0,0): z = 0 -> h = 1, t = 0: w = (0,0), b = -1. (0,1): z = -1 -> 0 ok. (1,0): ok.
  // (1,1): z = -1 -> 0, t = 1: w = (1,1), b = 0. After epoch 1: (0,0) -> z = 0 -> 1: 1 error ...
  const p = new Perceptron({ maxEpochs: 1 }).fit(inputs, vec(gates.AND!));
  assert.deepEqual(Array.from(p.weights.data), [1, 1]);
  assert.equal(p.bias, 0);
  assert.equal(p.converged, false);
  assert.deepEqual(p.errorsPerEpoch, [3]); // (0,0), (0,1), (1,0) all score >= 0 -> 1
});

test('XOR is not linearly separable: the perceptron reports not converged after maxEpochs', () => {
  const p = new Perceptron({ maxEpochs: 100 }).fit(inputs, vec([0, 1, 1, 0]));
  assert.equal(p.converged, false);
  assert.equal(p.epochsUsed, 100);
  assert.ok(p.errorsPerEpoch.every((e) => e > 0));
  assert.ok(p.score(inputs, vec([0, 1, 1, 0])) <= 0.75);
});

test('a seeded perceptron separates two clouds and is reproducible; an already-separating start needs 0 epochs', () => {
  const { x, y } = separable(11);
  const a = new Perceptron({ seed: 5 }).fit(x, y), b = new Perceptron({ seed: 5 }).fit(x, y);
  assert.ok(a.converged);
  assert.equal(a.score(x, y), 1);
  assert.deepEqual(Array.from(a.weights.data), Array.from(b.weights.data));
  assert.equal(a.epochsUsed, b.epochsUsed);
  // All labels 1: H(0) = 1 already classifies them.
  const trivial = new Perceptron().fit(inputs, vec([1, 1, 1, 1]));
  assert.equal(trivial.epochsUsed, 0);
  assert.ok(trivial.converged);
});

test('perceptron options and labels are validated', () => {
  assert.throws(() => new Perceptron({ maxEpochs: 0 }), /maxEpochs must be an integer >= 1, got 0/);
  assert.throws(() => new Perceptron({ learningRate: -1 }), /learningRate must be a finite number > 0/);
  assert.throws(() => new Perceptron({ seed: NaN }), /seed must be a finite number/);
  assert.throws(() => new Perceptron().fit(inputs, vec([0, 1, 2, 1])), /y\[2\] is 2; labels must be 0\/1 or -1\/\+1/);
  assert.throws(() => new Perceptron().fit(inputs, vec([0, 1, -1, 1])), /mixes 0 and -1/);
  assert.throws(() => new Perceptron().predict(inputs), /not fitted/);
});

test('LinearSVM separates a linearly separable set with a positive margin; C and lambda are the same objective', () => {
  const { x, y } = separable(2);
  const svm = new LinearSVM({ lambda: 0.01, learningRate: 0.1, epochs: 2000 }).fit(x, y);
  assert.equal(svm.score(x, y), 1);
  const z = svm.decisionFunction(x).data;
  let margin = Infinity;
  for (let i = 0; i < z.length; i++) margin = Math.min(margin, y.data[i]! * z[i]!);
  assert.ok(margin > 0, `smallest signed score ${margin}`);
  // The boundary is close to the gap's direction (1, 1/2).
  const w = svm.weights.data, cos = (w[0]! + w[1]! / 2) / (Math.hypot(w[0]!, w[1]!) * Math.hypot(1, 0.5));
  assert.ok(cos > 0.95, `cosine ${cos}`);
  // C = 1 / (lambda n) gives the same run.
  const viaC = new LinearSVM({ C: 1 / (0.01 * 200), learningRate: 0.1, epochs: 2000 }).fit(x, y);
  assert.ok(Math.abs(viaC.effectiveLambda - 0.01) < 1e-15);
  assert.ok(Math.abs(viaC.weights.data[0]! - w[0]!) < 1e-9 && Math.abs(viaC.bias - svm.bias) < 1e-9);
  // The objective at the returned weights is the lowest in the history.
  const h = svm.lossHistory;
  assert.equal(h.length, 2001);
  assert.ok(h.at(-1)! < h[0]! / 5);
});

test('LinearSVM on a 1-D hard-margin set finds w ~ 1, b ~ 0 (margin points at -1 and +1); 0/1 labels map to -1/+1', () => {
  const x = rows([[-2], [-1], [1], [2]]);
  const svm = new LinearSVM({ lambda: 0.001, learningRate: 0.05, epochs: 5000 }).fit(x, vec([0, 0, 1, 1]));
  assert.ok(Math.abs(svm.weights.data[0]! - 1) < 0.05, `w ${svm.weights.data[0]}`);
  assert.ok(Math.abs(svm.bias) < 0.05, `b ${svm.bias}`);
  assert.deepEqual(Array.from(svm.predict(rows([[-0.5], [0.5], [3]])).data), [0, 1, 1]);
  assert.throws(() => new LinearSVM({ C: 1, lambda: 1 }), /give lambda or C .*not both/);
  assert.throws(() => new LinearSVM({ C: 0 }), /C must be a finite number > 0, got 0/);
  assert.throws(() => new LinearSVM({ epochs: -3 }), /epochs must be an integer >= 1/);
  assert.throws(() => new LinearSVM().fit(x, vec([0, 0, 1, 3])), /labels must be 0\/1 or -1\/\+1/);
});
