/**
 * The overfitting example (Nielsen ch. 3), shortened to 5 epochs and 1,000 test images (the full
 * run's 400 epochs take minutes; its figures are in docs/guides/course/overfitting.md). Asserted:
 * every run learns (test accuracy > 60% after 5 epochs), the unregularised network already fits its
 * 1,000 training images better than the test images, its training cost falls, and the cost is
 * Nielsen's eq. 63.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nielsenCrossEntropy, runOverfitting } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('nielsenCrossEntropy: eq. 63 summed over the outputs, averaged over the samples', () => {
  // Two samples, two outputs: -[ln 0.8 + ln(1 - 0.3)] and -[ln(1 - 0.4) + ln 0.9].
  const c = nielsenCrossEntropy([0.8, 0.3, 0.4, 0.9], [1, 0, 0, 1], 2);
  assert.ok(Math.abs(c - -(Math.log(0.8) + Math.log(0.7) + Math.log(0.6) + Math.log(0.9)) / 2) < 1e-15);
});

test('overfitting (5 epochs): each run learns; the unregularised one fits its training images better than the test images', async () => {
  const dir = outDir('overfitting');
  const { figures, comparisons, files } = await runOverfitting({ outDir: dir, epochs: 5, testSize: 1000 });
  for (const v of ['none', 'l2', 'dropout']) assert.ok(figures[`${v}BestAccuracy`]! > 0.6, `${v}: ${figures[`${v}BestAccuracy`]}`);
  assert.ok(figures['noneFinalTrainAccuracy']! > figures['noneFinalAccuracy']!, `${figures['noneFinalTrainAccuracy']} vs ${figures['noneFinalAccuracy']}`);
  assert.equal(comparisons.length, 3);
  assert.ok(comparisons.every((c) => !c.agrees && /shortened/.test(c.label)), 'a shortened run never claims to reproduce the book');
  assertPlots(files, dir, ['overfitting-cost', 'overfitting-accuracy']);
});
