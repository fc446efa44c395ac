/** The gaussian-classifier example: shared vs per-class covariance beside logistic regression. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGaussianClassifier } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('gaussian-classifier: test accuracies on iris, wine and breast cancer, and the iris boundaries', async () => {
  const dir = outDir('gauss');
  const { figures, comparisons, files } = await runGaussianClassifier({ outDir: dir });
  for (const set of ['iris', 'wine', 'breastCancer'])
    for (const model of ['Shared', 'PerClass', 'Logistic'])
      assert.ok(figures[`${set}${model}`]! >= 0.9, `${set} ${model}: ${figures[`${set}${model}`]}`);
  assert.equal(figures['irisTest'], 45);
  assert.equal(figures['breastCancerTest'], 171);
  assert.ok(comparisons.every((c) => c.agrees));
  assertPlots(files, dir, ['gaussian-classifier-accuracy', 'gaussian-classifier-iris-shared', 'gaussian-classifier-iris-per-class']);
});
