/**
 * `nabla example higham --solver lm`: Levenberg–Marquardt against the paper's stochastic
 * gradient from the same initial weights. The test shortens SGD to 20,000 steps (the full run,
 * 10^6 steps, reaches 7.3e-4 with seed 1; LM 7.6e-9 in 25 iterations).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHigham } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('higham --solver lm: LM classifies the 10 points and ends below SGD\'s cost in far fewer iterations; two plots', async () => {
  const dir = outDir('higham-lm');
  const { figures, comparisons, files } = await runHigham({ solver: 'lm', steps: 20_000, outDir: dir });
  assert.equal(figures['lmCorrect'], 10);
  assert.ok(figures['lmIterations']! >= 1 && figures['lmIterations']! <= 1000, `${figures['lmIterations']} iterations`);
  assert.ok(figures['lmCost']! < 1e-3, `LM cost ${figures['lmCost']}`);
  assert.ok(figures['lmCost']! < figures['sgdCost']!, `LM ${figures['lmCost']} vs SGD ${figures['sgdCost']}`);
  assert.ok(figures['initialCost']! > 3, 'both start from the same untrained network');
  assert.equal(figures['sgdSteps'], 20_000);
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assertPlots(files, dir, ['higham-lm-cost', 'higham-lm-regions']);
});
