/** The pokemon-cp example (Hung-yi Lee's regression lecture). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POKEMON_DEMO_PUBLISHED, runPokemonCp } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('pokemon-cp: the closed form gives w = 2.669455, b = -188.433; Adagrad reaches them within 1e-4 relative', async () => {
  const dir = outDir('pokemon');
  const { figures, comparisons, files } = await runPokemonCp({ outDir: dir });
  assert.ok(Math.abs(figures['w']! - POKEMON_DEMO_PUBLISHED.w) < 5e-7, `w = ${figures['w']}`);
  assert.ok(Math.abs(figures['b']! - POKEMON_DEMO_PUBLISHED.b) < 5e-4, `b = ${figures['b']}`);
  assert.ok(Math.abs(figures['wAdagrad']! / figures['w']! - 1) <= 1e-4, `Adagrad w = ${figures['wAdagrad']}`);
  assert.ok(Math.abs(figures['bAdagrad']! / figures['b']! - 1) <= 1e-4, `Adagrad b = ${figures['bAdagrad']}`);
  // Degrees 1-5: nested least-squares models, so the training error never rises; the test error
  // is lowest below degree 5 (overfitting), and ridge lowers the degree-5 test error.
  for (let d = 2; d <= 5; d++) assert.ok(figures[`train${d}`]! <= figures[`train${d - 1}`]! + 1e-9, `train error at degree ${d}`);
  assert.ok(figures['bestDegree']! < 5);
  assert.ok(figures['test5']! > Math.min(...[1, 2, 3, 4].map((d) => figures[`test${d}`]!)));
  assert.ok(figures['bestRidgeTest']! < figures['ridgeTest0']!);
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assertPlots(files, dir, ['pokemon-demo10', 'pokemon-adagrad', 'pokemon-degrees', 'pokemon-fits']);
});

test('pokemon-cp: the demo\'s 100,000 Adagrad iterations land close to, but not within 1e-4 of, the optimum', async () => {
  const { figures } = await runPokemonCp({ iterations: 100_000 });
  assert.ok(figures['adagradRelativeError']! < 1e-3 && figures['adagradRelativeError']! > 1e-4, String(figures['adagradRelativeError']));
});
