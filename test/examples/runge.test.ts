/** The runge example: the network's error on 1001 points, and the Runge phenomenon of equispaced interpolation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chebyshevInterpolant, equispacedInterpolant, runge, runRunge } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('runge: the tanh network stays within 0.003 of f on 1001 points; equispaced interpolation error grows with the degree', async () => {
  const dir = outDir('runge');
  const { figures, comparisons, files } = await runRunge({ outDir: dir });
  assert.ok(figures['networkMaxError']! < 0.003, `network max error ${figures['networkMaxError']}`);
  const degrees = [4, 8, 12, 16, 20];
  for (let i = 1; i < degrees.length; i++)
    assert.ok(figures[`equispaced${degrees[i]}`]! > figures[`equispaced${degrees[i - 1]}`]!, `degree ${degrees[i]} worse than ${degrees[i - 1]}`);
  // The classic values (e.g. Trefethen, Approximation Theory and Approximation Practice, ch. 13): about 60 at n = 20.
  assert.ok(Math.abs(figures['equispaced20']! - 59.8) < 0.5, `degree 20: ${figures['equispaced20']}`);
  assert.ok(figures['chebyshev20']! < 0.02, 'Chebyshev nodes converge instead');
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assertPlots(files, dir, ['runge', 'runge-errors']);
});

test('runge: the barycentric interpolants are exact at their nodes and reproduce polynomials', () => {
  const cubic = (x: number) => 1 - 2 * x + 3 * x ** 3;
  const at = [-0.93, -0.2, 0, 0.41, 1];
  for (const p of [equispacedInterpolant(cubic, 5, at), chebyshevInterpolant(cubic, 5, at)])
    p.forEach((v, i) => assert.ok(Math.abs(v - cubic(at[i]!)) < 1e-12, `${v} vs ${cubic(at[i]!)}`));
  assert.deepEqual(Array.from(equispacedInterpolant(runge, 4, [-1, -0.5, 0, 0.5, 1])), [-1, -0.5, 0, 0.5, 1].map(runge));
});
