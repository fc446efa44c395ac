/** The lwr example: locally weighted regression on diabetes BMI for several tau. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLwr } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('lwr: small tau fits the data more closely than it predicts held-out points; large tau tends to least squares', async () => {
  const dir = outDir('lwr');
  const { figures, comparisons, files } = await runLwr({ outDir: dir });
  const taus = [0.5, 1, 2, 5, 20];
  for (let i = 1; i < taus.length; i++)
    assert.ok(figures[`trainRmse${taus[i]}`]! >= figures[`trainRmse${taus[i - 1]}`]!, 'a wider bandwidth fits the data less closely');
  assert.ok(figures['trainRmse0.5']! < figures['loo0.5']!);
  assert.ok(Math.abs(figures['loo20']! - figures['looOls']!) < 0.5, `${figures['loo20']} vs ${figures['looOls']}`);
  // Every leave-one-out error is near the spread of the target around the line (about 62.6).
  for (const tau of taus) assert.ok(figures[`loo${tau}`]! > 55 && figures[`loo${tau}`]! < 70);
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assertPlots(files, dir, ['lwr']);
});
