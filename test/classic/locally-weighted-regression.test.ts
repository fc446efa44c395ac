/**
 * LocallyWeightedRegression (CS229 notes 1 section 4): a huge bandwidth is global least squares,
 * a small one follows a curve the global line cannot, the weights are the notes' formula, and
 * bad bandwidths and hopeless queries are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, inverse } from 'ml-matrix';
import { LinearRegression, LocallyWeightedRegression, SingularSystemError } from '../../src/classic/index.js';
import { loadDiabetes } from '../../src/data/index.js';
import { Rng } from '../../src/tensor/rng.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { maxRelativeError, selectColumns, vec } from './helpers.js';

/** 60 points of y = sin(x) + N(0, 0.1^2) noise on [0, 2 pi], seeded. */
function sineSet(): { x: Tensor; y: Tensor } {
  const rng = new Rng(7), n = 60, x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) { x[i] = (2 * Math.PI * i) / (n - 1); y[i] = Math.sin(x[i]!) + 0.1 * rng.normal(); }
  return { x: new Tensor(x, [n, 1]), y: new Tensor(y, [n]) };
}

test('a huge tau gives every point weight ~1: equals global least squares (diabetes, 3 features)', () => {
  const d = loadDiabetes();
  const x = selectColumns(d.x, [2, 3, 8]); // bmi, bp, s5
  const global = new LinearRegression().fit(x, d.y).predict(x);
  const lwr = new LocallyWeightedRegression({ tau: 1e6 }).fit(x, d.y);
  const queries = selectColumns(x, [0, 1, 2]);
  const local = lwr.predict(new Tensor(queries.data.slice(0, 30), [10, 3]));
  assert.ok(maxRelativeError(local.data, global.data.subarray(0, 10)) < 1e-6, `${maxRelativeError(local.data, global.data.subarray(0, 10))}`);
});

test('a small tau follows sin(x); the global line cannot (mean squared error against sin on a grid)', () => {
  const { x, y } = sineSet();
  const grid = vec(Array.from({ length: 201 }, (_, i) => (2 * Math.PI * i) / 200));
  const mse = (p: Tensor) => Array.from(p.data).reduce((s, v, i) => s + (v - Math.sin(grid.data[i]!)) ** 2, 0) / 201;
  const lineMse = mse(new LinearRegression().fit(x, y).predict(grid));
  const localMse = mse(new LocallyWeightedRegression({ tau: 0.4 }).fit(x, y).predict(grid));
  assert.ok(lineMse > 0.15, `line ${lineMse}`);
  assert.ok(localMse < 0.01, `LWR ${localMse}`);
  assert.ok(localMse < lineMse / 20);
  // Both solvers agree.
  const qr = new LocallyWeightedRegression({ tau: 0.4, solver: 'qr' }).fit(x, y).predict(grid);
  const svd = new LocallyWeightedRegression({ tau: 0.4 }).fit(x, y).predict(grid);
  assert.ok(maxRelativeError(qr.data.map((v) => v + 10), svd.data.map((v) => v + 10)) < 1e-12);
});

test('weights are exp(-||x_i - x||^2 / (2 tau^2)), scaled so the nearest point has weight 1', () => {
  const x = new Tensor(Float64Array.from([0, 0, 1, 0, 0, 2, 3, 3]), [4, 2]);
  const lwr = new LocallyWeightedRegression({ tau: 1.5 }).fit(x, vec([1, 2, 3, 4]));
  const q = [0.5, 0.5], d2 = [0.5, 0.5, 2.5, 12.5];
  const raw = d2.map((s) => Math.exp(-s / (2 * 1.5 ** 2)));
  const w = lwr.weightsAt(q);
  raw.forEach((r, i) => assert.ok(Math.abs(w[i]! - r / raw[0]!) < 1e-15, `weight ${i}`));
  // The prediction is theta . [x, 1] with theta = (A^T C A)^-1 A^T C y, A = [X, 1] (CS229's
  // weighted normal equations), solved here independently with an explicit inverse.
  const A = new Matrix([[0, 0, 1], [1, 0, 1], [0, 2, 1], [3, 3, 1]]), C = Matrix.diag(raw);
  const theta = inverse(A.transpose().mmul(C).mmul(A)).mmul(A.transpose().mmul(C).mmul(Matrix.columnVector([1, 2, 3, 4]))).to1DArray();
  const yq = lwr.predict(new Tensor(Float64Array.from(q), [1, 2])).data[0]!;
  assert.ok(Math.abs(yq - (theta[0]! * 0.5 + theta[1]! * 0.5 + theta[2]!)) < 1e-12, `${yq}`);
});

test('a local fit reproduces a straight line exactly, whatever tau', () => {
  const x = vec([0, 1, 2, 3, 4, 5, 6]), y = vec([1, 3, 5, 7, 9, 11, 13]);
  for (const tau of [0.3, 1, 100]) {
    const p = new LocallyWeightedRegression({ tau }).fit(x, y).predict(vec([0.5, 2.25, 6]));
    assert.ok(maxRelativeError(p.data, [2, 5.5, 13]) < 1e-12, `tau ${tau}`);
  }
});

test('tau <= 0 (or not finite) is refused, naming tau; a query with one point in reach is refused suggesting a larger tau or l2', () => {
  for (const tau of [0, -1, NaN, Infinity])
    assert.throws(() => new LocallyWeightedRegression({ tau }), /LocallyWeightedRegression: tau \(the bandwidth\) must be a finite number > 0, got/);
  assert.throws(() => new LocallyWeightedRegression({} as never), /tau is required/);
  const x = vec([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), y = vec([0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
  // exp(-1 / (2 * 0.01^2)) underflows to 0: only the point at 3 has weight.
  assert.throws(() => new LocallyWeightedRegression({ tau: 0.01 }).fit(x, y).predict(vec([3])),
    (e: unknown) => e instanceof SingularSystemError && /query row 0.*increase tau or set l2 > 0/.test(e.message));
  const ridge = new LocallyWeightedRegression({ tau: 0.01, l2: 1 }).fit(x, y).predict(vec([3]));
  assert.equal(ridge.data[0], 9);
  assert.throws(() => new LocallyWeightedRegression({ tau: 1 }).predict(vec([1])), /not fitted/);
  assert.throws(() => new LocallyWeightedRegression({ tau: 1 }).fit(x, y).predict(new Tensor(new Float64Array(4), [2, 2])), /fitted on 1 feature\(s\)/);
});
