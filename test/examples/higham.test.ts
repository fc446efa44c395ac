/**
 * The higham example (Higham & Higham 2019). The paper runs 10^6 steps (about 10 s here); the test
 * runs 200,000 with the default seed, by which the cost has left its plateau near 5 and every point
 * is classified correctly. Bound: 10/10 (11/11 with the extra point) and a cost below 0.05
 * (sum over the points of ||y - F||^2; 1.1e-2 after 200,000 steps, 7e-4 after 10^6 in our runs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHigham } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('higham: the 2-2-3-2 sigmoid network classifies all 10 points; the cost is plotted on a log scale', async () => {
  const dir = outDir('higham');
  const { figures, comparisons, files } = await runHigham({ steps: 200_000, outDir: dir });
  assert.equal(figures['points'], 10);
  assert.equal(figures['correct'], 10);
  assert.ok(figures['initialCost']! > 3 && figures['initialCost']! < 8, `initial cost ${figures['initialCost']}`);
  assert.ok(figures['finalCost']! < 0.05, `final cost ${figures['finalCost']}`);
  assert.ok(comparisons[0]!.agrees);
  assertPlots(files, dir, ['higham-cost', 'higham-regions']);
  const svg = (await import('node:fs')).readFileSync(files[0]!, 'utf8');
  assert.match(svg, /10<\/text>|1<\/text>/, 'the cost axis is logarithmic (ticks at powers of ten)');
});

test('higham --points 11: the extra point (0.3, 0.7) in category B is classified too', async () => {
  const dir = outDir('higham11');
  const { figures, files } = await runHigham({ points: 11, steps: 200_000, outDir: dir, png: false });
  assert.equal(figures['points'], 11);
  assert.equal(figures['correct'], 11);
  assert.equal(files.length, 2, 'SVG only with png: false');
  assert.ok(files.every((f) => f.endsWith('.svg') && f.includes('higham-11-')));
});

test('higham: the same seed gives the same run, another seed another one', async () => {
  const a = await runHigham({ steps: 2000, recordEvery: 500 });
  const b = await runHigham({ steps: 2000, recordEvery: 500 });
  const c = await runHigham({ steps: 2000, recordEvery: 500, seed: 2 });
  assert.equal(a.figures['finalCost'], b.figures['finalCost']);
  assert.notEqual(a.figures['finalCost'], c.figures['finalCost']);
  assert.deepEqual(a.files, [], 'no outDir: no files');
});
