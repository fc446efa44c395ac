/**
 * GaussianGenerativeClassifier (CS229 notes 2; Hung-yi Lee): maximum-likelihood estimates by
 * hand, the shared-covariance posterior as sigmoid(w . x + b) from the slide's formulas, the
 * per-class posterior against explicit Gaussian densities, stability far from the data, iris
 * accuracy, and refusals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, determinant, inverse } from 'ml-matrix';
import { GaussianGenerativeClassifier, SingularSystemError } from '../../src/classic/index.js';
import { loadIris, loadBreastCancer, loadWine } from '../../src/data/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { rows, vec } from './helpers.js';

const iris = loadIris();

/** The rows of x whose label is c, as number[][]. */
function classRows(x: Tensor, y: Tensor, c: number): number[][] {
  const d = x.shape[1]!, out: number[][] = [];
  for (let i = 0; i < y.size; i++) if (y.data[i] === c) out.push(Array.from(x.data.subarray(i * d, (i + 1) * d)));
  return out;
}

/** Mean and MLE covariance (divisor n) of rows. */
function stats(r: number[][]): { mean: number[]; cov: number[][] } {
  const n = r.length, d = r[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => r.reduce((s, v) => s + v[j]!, 0) / n);
  const cov = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => r.reduce((s, v) => s + (v[a]! - mean[a]!) * (v[b]! - mean[b]!), 0) / n));
  return { mean, cov };
}

test('maximum-likelihood priors, means and covariances (divisor N_c; shared = sum_c N_c / N Sigma_c)', () => {
  // Versicolor (1) and virginica (2) only, with 50 and 30 samples: unequal priors.
  const keep = Array.from({ length: 150 }, (_, i) => i).filter((i) => (iris.y.data[i] === 1) || (iris.y.data[i] === 2 && i < 130));
  const x = new Tensor(Float64Array.from(keep.flatMap((i) => Array.from(iris.x.data.subarray(i * 4, i * 4 + 4)))), [keep.length, 4]);
  const y = vec(keep.map((i) => iris.y.data[i]!));
  const s1 = stats(classRows(x, y, 1)), s2 = stats(classRows(x, y, 2));
  const per = new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(x, y);
  assert.deepEqual(per.classes, [1, 2]);
  assert.deepEqual(Array.from(per.priors.data), [50 / 80, 30 / 80]);
  const means = per.means.data, covs = per.covariances.data;
  [...s1.mean, ...s2.mean].forEach((v, t) => assert.ok(Math.abs(means[t]! - v) < 1e-13));
  [...s1.cov.flat(), ...s2.cov.flat()].forEach((v, t) => assert.ok(Math.abs(covs[t]! - v) < 1e-13, `covariance entry ${t}`));
  const shared = new GaussianGenerativeClassifier().fit(x, y).covariances;
  assert.deepEqual(shared.shape, [2, 4, 4]);
  s1.cov.flat().forEach((v, t) => {
    const pooled = (50 / 80) * v + (30 / 80) * s2.cov.flat()[t]!;
    assert.ok(Math.abs(shared.data[t]! - pooled) < 1e-13 && shared.data[16 + t] === shared.data[t]);
  });
});

test('shared covariance: P(C1 | x) = sigmoid(w . x + b), w = Sigma^-1 (mu1 - mu2), b from the means and ln(N1 / N2)', () => {
  // Breast cancer (569 x 30, raw units spanning 1e-3 .. 1e3): class 1 (benign) as C1, class 0 as C2.
  const bc = loadBreastCancer();
  const model = new GaussianGenerativeClassifier({ covariance: 'shared' }).fit(bc.x, bc.y);
  const d = 30, mu = model.means, sigma = new Matrix(Array.from({ length: d }, (_, a) => Array.from(model.covariances.data.subarray(a * d, a * d + d))));
  const inv = inverse(sigma);
  const mu2 = Matrix.columnVector(Array.from(mu.data.subarray(0, d))), mu1 = Matrix.columnVector(Array.from(mu.data.subarray(d, 2 * d)));
  const w = inv.mmul(Matrix.sub(mu1, mu2)).to1DArray();
  const quad = (m: Matrix) => m.transpose().mmul(inv).mmul(m).get(0, 0);
  const b = -0.5 * quad(mu1) + 0.5 * quad(mu2) + Math.log(357 / 212);
  const proba = model.predictProba(bc.x).data;
  let worst = 0;
  for (let i = 0; i < 569; i++) {
    let z = b;
    for (let j = 0; j < d; j++) z += w[j]! * bc.x.data[i * d + j]!;
    const p1 = 1 / (1 + Math.exp(-z));
    worst = Math.max(worst, Math.abs(proba[i * 2 + 1]! - p1));
    assert.ok(Math.abs(proba[i * 2]! + proba[i * 2 + 1]! - 1) < 1e-12);
  }
  assert.ok(worst < 1e-8, `largest difference ${worst}`);
  // linearScores gives the same boundary: (w_1 - w_0) = w and (b_1 - b_0) = b.
  const { weights, biases } = model.linearScores();
  for (let j = 0; j < d; j++) assert.ok(Math.abs(weights.data[d + j]! - weights.data[j]! - w[j]!) < 1e-6 * (Math.abs(w[j]!) + 1e-3), `w[${j}]`);
  assert.ok(Math.abs(biases.data[1]! - biases.data[0]! - b) < 1e-6 * Math.abs(b));
  assert.throws(() => new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(bc.x, bc.y).linearScores(), /only a shared covariance gives linear scores/);
});

test('per-class covariance: the posterior equals phi_c N(x; mu_c, Sigma_c) normalised, computed with explicit densities', () => {
  const model = new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(iris.x, iris.y);
  const probe = [[5.0, 3.4, 1.5, 0.2], [6.0, 2.8, 4.6, 1.5], [6.3, 2.9, 5.0, 1.7], [7.0, 3.0, 5.8, 2.2]];
  const got = model.predictProba(rows(probe)).data;
  const density = (x: number[], c: number) => {
    const { mean, cov } = stats(classRows(iris.x, iris.y, c));
    const r = Matrix.columnVector(x.map((v, j) => v - mean[j]!));
    const m = r.transpose().mmul(inverse(new Matrix(cov))).mmul(r).get(0, 0);
    return Math.exp(-0.5 * m) / Math.sqrt((2 * Math.PI) ** 4 * determinant(new Matrix(cov)));
  };
  probe.forEach((x, i) => {
    const joint = [0, 1, 2].map((c) => density(x, c) / 3), total = joint[0]! + joint[1]! + joint[2]!;
    joint.forEach((v, c) => assert.ok(Math.abs(got[i * 3 + c]! - v / total) < 1e-10, `probe ${i} class ${c}: ${got[i * 3 + c]} vs ${v / total}`));
  });
});

test('far from every mean the densities underflow but the log-sum-exp posterior stays finite and sums to 1', () => {
  for (const covariance of ['shared', 'perClass'] as const) {
    const model = new GaussianGenerativeClassifier({ covariance }).fit(iris.x, iris.y);
    const far = rows([[1000, -1000, 1000, 1000]]);
    const p = model.predictProba(far).data;
    assert.ok(p.every(Number.isFinite));
    assert.ok(Math.abs(p[0]! + p[1]! + p[2]! - 1) < 1e-12);
    const logp = model.predictLogProba(far).data;
    assert.ok(logp.every((v) => Number.isFinite(v) && v <= 0));
  }
});

test('iris: training accuracy 0.98 with either covariance; wine and breast cancer above 0.95', () => {
  const shared = new GaussianGenerativeClassifier({ covariance: 'shared' }).fit(iris.x, iris.y).score(iris.x, iris.y);
  const perClass = new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(iris.x, iris.y).score(iris.x, iris.y);
  assert.ok(shared >= 0.97 && shared <= 0.99, `shared ${shared}`);
  assert.ok(perClass >= 0.95, `perClass ${perClass}`);
  for (const set of [loadWine(), loadBreastCancer()])
    for (const covariance of ['shared', 'perClass'] as const)
      assert.ok(new GaussianGenerativeClassifier({ covariance }).fit(set.x, set.y).score(set.x, set.y) >= 0.95, covariance);
  // Predictions are the labels given, not column indices.
  const odd = new GaussianGenerativeClassifier().fit(iris.x, vec(Array.from(iris.y.data, (v) => 10 * v - 3)));
  assert.deepEqual(odd.classes, [-3, 7, 17]);
  assert.equal(odd.predict(rows([[5.0, 3.4, 1.5, 0.2]])).data[0], -3);
});

test('a class with 1 sample is refused for a per-class covariance, naming it; singular covariances name the class and suggest regularization', () => {
  const x = rows([[0, 0], [1, 0], [0, 1], [1, 1], [5, 5]]), y = vec([0, 0, 0, 0, 3]);
  assert.throws(() => new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(x, y), /class 3 has 1 sample; a per-class covariance needs at least 2 samples/);
  // Shared pools the scatter of every class, so one sample is allowed there.
  assert.doesNotThrow(() => new GaussianGenerativeClassifier({ covariance: 'shared' }).fit(x, y));
  // Class 1 lies on a line: its covariance has rank 1 of 2.
  const line = rows([[0, 0], [1, 0], [0, 1], [1, 1], [2, 2], [3, 3], [4, 4]]), yl = vec([0, 0, 0, 0, 1, 1, 1]);
  assert.throws(() => new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(line, yl),
    (e: unknown) => e instanceof SingularSystemError && /covariance of class 1 is singular \(rank 1 of 2.*set regularization > 0/.test(e.message));
  const constant = rows([[0, 1], [1, 1], [0, 2], [1, 3]]);
  assert.throws(() => new GaussianGenerativeClassifier({ covariance: 'perClass' }).fit(constant, vec([0, 0, 1, 1])), /covariance of class 0 is singular: feature 1 has zero variance within the class/);
  const reg = new GaussianGenerativeClassifier({ covariance: 'perClass', regularization: 1e-3 }).fit(line, yl);
  assert.ok(reg.predictProba(line).data.every(Number.isFinite));
  assert.deepEqual(Array.from(reg.predict(rows([[0.5, 0.5], [3, 3]])).data), [0, 1]);
  assert.throws(() => new GaussianGenerativeClassifier().fit(x, vec([1, 1, 1, 1, 1])), /needs at least 2 classes/);
  assert.throws(() => new GaussianGenerativeClassifier({ covariance: 'full' as 'shared' }), /covariance must be one of 'shared', 'perClass'/);
  assert.throws(() => new GaussianGenerativeClassifier({ regularization: -1 }), /regularization must be a finite number >= 0/);
  assert.throws(() => new GaussianGenerativeClassifier().fit(x, vec([0, 0, 1, 1, 0.5])), /y\[4\] is 0.5; class labels must be integers/);
  assert.throws(() => new GaussianGenerativeClassifier().predict(x), /not fitted/);
});
