/**
 * LinearRegression and PolynomialFeatures: NumPy's lstsq (test/fixtures/classic.json, made by
 * scripts/fixtures/classic_lstsq.py), Hung-yi Lee's Pokémon demo figures, ridge against its
 * closed form, rank deficiency, and the maximum-likelihood noise variance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, inverse } from 'ml-matrix';
import { LinearRegression, PolynomialFeatures, SingularSystemError } from '../../src/classic/index.js';
import { loadDiabetes, loadPokemonCp } from '../../src/data/index.js';
import { Adagrad, SGD } from '../../src/optim/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { fixture, maxRelativeError, rows, selectColumns, vec } from './helpers.js';

const diabetes = loadDiabetes();
const demo = loadPokemonCp(undefined, { subset: 'demo10' });

function rss(model: LinearRegression, x: Tensor, y: Tensor): number {
  const p = model.predict(x).data;
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (y.data[i]! - p[i]!) ** 2;
  return s;
}

test('diabetes (442 x 10, raw): SVD and QR match numpy.linalg.lstsq to 1e-9 relative', () => {
  const ref = fixture.diabetes;
  for (const solver of ['svd', 'qr'] as const) {
    const m = new LinearRegression({ solver }).fit(diabetes.x, diabetes.y);
    const errW = maxRelativeError(m.coefficients.data, ref.coefficients);
    const errB = Math.abs(m.intercept - ref.intercept) / Math.abs(ref.intercept);
    assert.ok(errW < 1e-9 && errB < 1e-9, `${solver}: coefficients ${errW}, intercept ${errB} (numpy ${fixture.numpy_version})`);
    assert.ok(Math.abs(rss(m, diabetes.x, diabetes.y) - ref.rss) / ref.rss < 1e-12);
  }
});

test('diabetes ridge (lambda = 1000, intercept unpenalised) matches NumPy\'s stacked lstsq to 1e-9', () => {
  const ref = fixture.diabetes_ridge;
  for (const solver of ['svd', 'qr'] as const) {
    const m = new LinearRegression({ solver, l2: ref.l2 }).fit(diabetes.x, diabetes.y);
    assert.ok(maxRelativeError(m.coefficients.data, ref.coefficients) < 1e-9, solver);
    assert.ok(Math.abs(m.intercept - ref.intercept) / Math.abs(ref.intercept) < 1e-9, solver);
  }
});

test('polynomial cases match lstsq: cp degree 3, (cp, hp) degree 2 in scikit-learn\'s order, raw cp and cp^2', () => {
  const all = loadPokemonCp(undefined, { features: ['cp', 'hp'] });
  const cp = selectColumns(all.x, [0]);
  const cases: [Tensor, typeof fixture.pokemon_poly3][] = [[cp, fixture.pokemon_poly3], [all.x, fixture.pokemon_poly2_cp_hp]];
  for (const [x, ref] of cases) {
    const poly = new PolynomialFeatures({ degree: ref.degree });
    const m = new LinearRegression().fit(poly.fitTransform(x), all.y);
    assert.ok(maxRelativeError(m.coefficients.data, ref.coefficients) < 1e-9, `degree ${ref.degree}`);
    assert.ok(Math.abs(m.intercept - ref.intercept) / Math.abs(ref.intercept) < 1e-9);
  }
  const raw = new PolynomialFeatures({ degree: 2, standardize: false }).fitTransform(demo.x);
  const ref = fixture.pokemon_raw_quadratic;
  const m = new LinearRegression().fit(raw, demo.y);
  assert.ok(maxRelativeError(m.coefficients.data, ref.coefficients) < 1e-9, `${maxRelativeError(m.coefficients.data, ref.coefficients)}`);
  assert.ok(Math.abs(m.intercept - ref.intercept) / Math.abs(ref.intercept) < 1e-9);
});

test('Pokémon demo (10 points): closed form w = 2.669455, b = -188.433 (Hung-yi Lee\'s figures)', () => {
  for (const solver of ['svd', 'qr'] as const) {
    const m = new LinearRegression({ solver }).fit(demo.x, demo.y);
    assert.equal(m.coefficients.data[0]!.toFixed(6), '2.669455');
    assert.equal(m.intercept.toFixed(3), '-188.433');
    assert.ok(maxRelativeError(m.coefficients.data, fixture.pokemon_demo10_line.coefficients) < 1e-12);
  }
});

test('Pokémon demo by gradient descent with Adagrad (from Hung-yi Lee\'s start b = -120, w = -4) reaches the closed form within 1e-4', () => {
  const exact = new LinearRegression().fit(demo.x, demo.y);
  const gd = new LinearRegression({
    solver: 'gradientDescent', optimizer: new Adagrad({ learningRate: 10 }), epochs: 20000,
    initial: { coefficients: [-4], intercept: -120 },
  }).fit(demo.x, demo.y);
  const w = gd.coefficients.data[0]!, b = gd.intercept;
  assert.ok(Math.abs(w - exact.coefficients.data[0]!) / exact.coefficients.data[0]! < 1e-4, `w = ${w}`);
  assert.ok(Math.abs(b - exact.intercept) / -exact.intercept < 1e-4, `b = ${b}`);
  assert.ok(Math.abs(w - 2.669455) / 2.669455 < 1e-4 && Math.abs(b + 188.433) / 188.433 < 1e-4);
  // The loss history starts at the starting point's loss and decreases overall.
  const h = gd.lossHistory;
  assert.equal(h.length, 20001);
  assert.ok(h[h.length - 1]! < h[0]! / 100);
  assert.ok(Math.abs(h[h.length - 1]! - rss(exact, demo.x, demo.y) / 20) / h[h.length - 1]! < 1e-6);
});

test('gradient descent with plain SGD on standardised inputs, with and without ridge, reaches the closed form', () => {
  const x = new PolynomialFeatures({ degree: 1 }).fitTransform(diabetes.x);
  for (const l2 of [0, 50]) {
    const exact = new LinearRegression({ l2 }).fit(x, diabetes.y);
    const gd = new LinearRegression({ solver: 'gradientDescent', l2, learningRate: 0.25, epochs: 20000 }).fit(x, diabetes.y);
    assert.ok(maxRelativeError(gd.coefficients.data, exact.coefficients.data) < 1e-9, `l2 ${l2}`);
    assert.ok(Math.abs(gd.intercept - exact.intercept) / exact.intercept < 1e-9);
  }
  // A rate too large for raw inputs diverges with a clear error, not NaN weights.
  assert.throws(() => new LinearRegression({ solver: 'gradientDescent', optimizer: new SGD({ learningRate: 0.1 }), epochs: 200 }).fit(demo.x, demo.y),
    /diverged.*lower the learning rate or standardise/);
});

test('ridge leaves the intercept unpenalised: equals the closed form (Xc^T Xc + lambda I)^-1 Xc^T yc, b = ybar - xbar . w', () => {
  const X = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8], [6, 5]], y = [3, 2, 7, 6, 12, 9], lambda = 3;
  const n = X.length, mx = [0, 1].map((j) => X.reduce((s, r) => s + r[j]!, 0) / n), my = y.reduce((s, v) => s + v, 0) / n;
  const Xc = new Matrix(X.map((r) => r.map((v, j) => v - mx[j]!))), yc = Matrix.columnVector(y.map((v) => v - my));
  const w = inverse(Xc.transpose().mmul(Xc).add(Matrix.eye(2).mul(lambda))).mmul(Xc.transpose().mmul(yc)).to1DArray();
  const b = my - mx[0]! * w[0]! - mx[1]! * w[1]!;
  for (const solver of ['svd', 'qr'] as const) {
    const m = new LinearRegression({ l2: lambda, solver }).fit(rows(X), vec(y));
    assert.ok(maxRelativeError(m.coefficients.data, w) < 1e-12, solver);
    assert.ok(Math.abs(m.intercept - b) < 1e-12, solver);
    // Shifting every target by c moves only the intercept, by exactly c (it is not shrunk).
    const shifted = new LinearRegression({ l2: lambda, solver }).fit(rows(X), vec(y.map((v) => v + 1000)));
    assert.ok(maxRelativeError(shifted.coefficients.data, w) < 1e-9);
    assert.ok(Math.abs(shifted.intercept - (b + 1000)) < 1e-9);
  }
  // Penalising the intercept too (a plain ridge on [X, 1]) would give a different answer.
  const A = new Matrix(X.map((r) => [...r, 1]));
  const penalisedAll = inverse(A.transpose().mmul(A).add(Matrix.eye(3).mul(lambda))).mmul(A.transpose().mmul(Matrix.columnVector(y))).to1DArray();
  assert.ok(Math.abs(penalisedAll[2]! - b) > 0.1);
  // And lambda = 0 is ordinary least squares; larger lambda shrinks ||w||.
  const norms = [0, 3, 30, 300].map((l2) => Math.hypot(...new LinearRegression({ l2 }).fit(rows(X), vec(y)).coefficients.data));
  for (let i = 1; i < norms.length; i++) assert.ok(norms[i]! < norms[i - 1]!);
});

test('fitIntercept: false fits through the origin', () => {
  const m = new LinearRegression({ fitIntercept: false }).fit(rows([[1], [2], [3]]), vec([2, 4.5, 5.5]));
  assert.equal(m.intercept, 0);
  // w = sum x y / sum x^2 = (2 + 9 + 16.5) / 14
  assert.ok(Math.abs(m.coefficients.data[0]! - 27.5 / 14) < 1e-14);
});

test('rank-deficient without ridge: an error suggesting ridge and naming the columns; with ridge: finite weights', () => {
  // bmi twice: the 11th column duplicates the 3rd.
  const dup = selectColumns(diabetes.x, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2]);
  for (const solver of ['svd', 'qr', 'gradientDescent'] as const)
    assert.throws(() => new LinearRegression({ solver }).fit(dup, diabetes.y),
      (e: unknown) => e instanceof SingularSystemError && /singular \(rank 10 of 11.*columns 'x2', 'x10' are \(nearly\) linearly dependent.*set l2 > 0 \(ridge regression\)/.test(e.message) && e.rank === 10);
  const ridge = new LinearRegression({ l2: 1 }).fit(dup, diabetes.y);
  assert.ok(ridge.coefficients.data.every(Number.isFinite) && Number.isFinite(ridge.intercept));
  // Ridge splits the duplicated weight evenly between the two copies.
  assert.ok(Math.abs(ridge.coefficients.data[2]! - ridge.coefficients.data[10]!) < 1e-9 * Math.abs(ridge.coefficients.data[2]!));
  // A constant column duplicates the intercept; fewer samples than coefficients cannot be solved.
  assert.throws(() => new LinearRegression().fit(rows([[1, 5], [2, 5], [3, 5]]), vec([1, 2, 4])), /columns 'x1' .*constant column duplicates the intercept.*l2 > 0/);
  assert.doesNotThrow(() => new LinearRegression({ fitIntercept: false }).fit(rows([[1, 5], [2, 5], [3, 5]]), vec([1, 2, 4])));
  assert.throws(() => new LinearRegression().fit(rows([[1, 2, 3], [4, 5, 7]]), vec([1, 2])), /2 samples for 3 coefficients.*ridge/);
  assert.ok(new LinearRegression({ l2: 0.1 }).fit(rows([[1, 2, 3], [4, 5, 7]]), vec([1, 2])).coefficients.data.every(Number.isFinite));
});

test('noiseVariance is the maximum-likelihood RSS / n; unbiasedNoiseVariance is RSS / (n - p - 1)', () => {
  const m = new LinearRegression().fit(diabetes.x, diabetes.y);
  const r = rss(m, diabetes.x, diabetes.y);
  assert.ok(Math.abs(m.noiseVariance - r / 442) / (r / 442) < 1e-12);
  assert.ok(Math.abs(m.unbiasedNoiseVariance - r / (442 - 11)) / (r / 431) < 1e-12);
  assert.ok(Math.abs(m.noiseVariance - fixture.diabetes.rss / 442) / (r / 442) < 1e-12);
  const noIntercept = new LinearRegression({ fitIntercept: false }).fit(demo.x, demo.y);
  assert.ok(Math.abs(noIntercept.unbiasedNoiseVariance - rss(noIntercept, demo.x, demo.y) / 9) < 1e-6);
});

test('score is R^2 = 1 - RSS / TSS; predict checks the feature count', () => {
  const m = new LinearRegression().fit(diabetes.x, diabetes.y);
  let mean = 0;
  for (const v of diabetes.y.data) mean += v / 442;
  let tss = 0;
  for (const v of diabetes.y.data) tss += (v - mean) ** 2;
  assert.ok(Math.abs(m.score(diabetes.x, diabetes.y) - (1 - rss(m, diabetes.x, diabetes.y) / tss)) < 1e-12);
  assert.ok(Math.abs(m.score(diabetes.x, diabetes.y) - 0.5177) < 1e-4); // scikit-learn's documented R^2 for OLS on all of diabetes
  assert.throws(() => m.predict(selectColumns(diabetes.x, [0, 1])), /fitted on 10 feature\(s\), got x \[442, 2\]/);
  assert.throws(() => new LinearRegression().predict(diabetes.x), /not fitted/);
  assert.equal(new LinearRegression().fit(rows([[1], [2]]), vec([3, 3])).score(rows([[1], [2]]), vec([3, 3])), 1);
});

test('options are validated with messages naming the option', () => {
  assert.throws(() => new LinearRegression({ l2: -1 }), /l2 must be a finite number >= 0, got -1/);
  assert.throws(() => new LinearRegression({ solver: 'cholesky' as 'svd' }), /solver must be one of 'svd', 'qr', 'gradientDescent', got "cholesky"/);
  assert.throws(() => new LinearRegression({ epochs: 10 }), /epochs applies to solver 'gradientDescent' only/);
  assert.throws(() => new LinearRegression({ solver: 'gradientDescent', epochs: 0 }), /epochs must be an integer >= 1, got 0/);
  assert.throws(() => new LinearRegression({ solver: 'gradientDescent', learningRate: 0.1, optimizer: new SGD() }), /learningRate .* or optimizer, not both/);
  assert.throws(() => new LinearRegression({ ridge: 1 } as never), /unknown option 'ridge'; valid options: fitIntercept, l2/);
  assert.throws(() => new LinearRegression().fit(rows([[1], [NaN]]), vec([1, 2])), /x\[1, 0\] is NaN/);
  assert.throws(() => new LinearRegression().fit(rows([[1], [2]]), vec([1, 2, 3])), /x has 2 rows but y has 3/);
});

test('PolynomialFeatures: monomials in scikit-learn\'s order, standardised inputs, names, and degree refused below 1', () => {
  const x = rows([[1, 2], [3, 5], [5, 11]]);
  const raw = new PolynomialFeatures({ degree: 3, standardize: false }).fit(x);
  assert.equal(raw.outputFeatures, 9); // C(2 + 3, 3) - 1
  assert.deepEqual(raw.featureNames(['a', 'b']), ['a', 'b', 'a^2', 'a b', 'b^2', 'a^3', 'a^2 b', 'a b^2', 'b^3']);
  assert.deepEqual(Array.from(raw.transform(rows([[2, 3]])).data), [2, 3, 4, 6, 9, 8, 12, 18, 27]);
  // Standardised: column means 3 and 6, population stds sqrt(8/3) and sqrt(42/3).
  const poly = new PolynomialFeatures({ degree: 2 }).fit(x);
  const z0 = (1 - 3) / Math.sqrt(8 / 3), z1 = (2 - 6) / Math.sqrt(14);
  const row0 = Array.from(poly.transform(x).data.subarray(0, 5));
  [z0, z1, z0 * z0, z0 * z1, z1 * z1].forEach((v, k) => assert.ok(Math.abs(row0[k]! - v) < 1e-14, `column ${k}`));
  // Test data is expanded with the training statistics.
  const zt = (7 - 3) / Math.sqrt(8 / 3);
  assert.ok(Math.abs(poly.transform(rows([[7, 6]])).data[2]! - zt * zt) < 1e-13);
  assert.equal(new PolynomialFeatures({ degree: 4 }).fit(vec([1, 2, 3])).outputFeatures, 4);
  assert.deepEqual(new PolynomialFeatures({ degree: 1 }).fit(x).featureNames(), ['x0', 'x1']);
  for (const degree of [0, -1, 1.5])
    assert.throws(() => new PolynomialFeatures({ degree }), new RegExp(`PolynomialFeatures: degree must be an integer >= 1, got ${degree}`));
  assert.throws(() => new PolynomialFeatures({} as never), /degree is required/);
  assert.throws(() => poly.transform(vec([1, 2])), /fitted on 2 feature\(s\)/);
});
