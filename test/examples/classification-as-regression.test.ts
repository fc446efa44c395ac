/**
 * `nabla example classification-as-regression` (Hung-yi Lee): least squares on +1/-1 targets is
 * pulled by far-away points of class +1; logistic regression and the perceptron are not; the
 * shared-covariance generative boundary has least squares' direction (Bishop 2006, §4.1.5).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeClassificationData, runClassificationAsRegression } from '../../src/examples/index.js';
import { LinearRegression, Tensor } from '../../src/index.js';
import { assertPlots, outDir } from './helpers.js';

test('classification-as-regression: the far points cost least squares errors; logistic regression and the perceptron make none; one plot', async () => {
  const dir = outDir('car');
  const { figures, comparisons, files } = await runClassificationAsRegression({ outDir: dir });
  assert.equal(figures['points'], 120);
  assert.ok(figures['leastSquaresErrors']! > figures['leastSquaresNearErrors']!, `${figures['leastSquaresErrors']} vs ${figures['leastSquaresNearErrors']}`);
  assert.ok(figures['leastSquaresErrors']! >= 3, `least squares errors ${figures['leastSquaresErrors']}`);
  assert.equal(figures['logisticErrors'], 0);
  assert.equal(figures['perceptronErrors'], 0);
  assert.equal(figures['leastSquaresZeroOne'], figures['leastSquaresErrors']! / 120, 'the 0/1 loss is the fraction of errors');
  assert.ok(figures['generativeAngle']! < 1e-6);
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assertPlots(files, dir, ['classification-as-regression']);
});

test('classification-as-regression: without the far group least squares separates the clusters it was pulled away from', () => {
  // Independent of the example's own code path: fit on the near points only, judge by sign.
  const { x, y, isFar } = makeClassificationData(1, 50, 0);
  assert.ok(isFar.every((f) => !f) && y.length === 100);
  const fit = new LinearRegression().fit(x, new Tensor(y, [100]));
  const scores = fit.predict(x).data;
  const errors = Array.from(y).filter((t, i) => Math.sign(scores[i]!) !== t).length;
  assert.ok(errors <= 2, `${errors} errors`);
});
