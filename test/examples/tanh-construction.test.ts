/** The tanh-construction example: O(h^2) errors of the tanh approximations of x and x^3, in float64. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cubeNetwork, identityNetwork, runTanhConstruction } from '../../src/examples/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertPlots, outDir } from './helpers.js';

test('tanh-construction: fitted slope 2 +- 0.15 for x and x^3, with the leading constants 1/3 and 2', async () => {
  const dir = outDir('tanh');
  const { figures, comparisons, files } = await runTanhConstruction({ outDir: dir });
  assert.ok(Math.abs(figures['slopeX']! - 2) <= 0.15, `slope for x: ${figures['slopeX']}`);
  assert.ok(Math.abs(figures['slopeCube']! - 2) <= 0.15, `slope for x^3: ${figures['slopeCube']}`);
  assert.ok(Math.abs(figures['constX']! - 1 / 3) < 0.01, `error / h^2 for x: ${figures['constX']}`);
  assert.ok(Math.abs(figures['constCube']! - 2) < 0.02, `error / h^2 for x^3: ${figures['constCube']}`);
  assert.ok(comparisons.every((c) => c.agrees));
  assertPlots(files, dir, ['tanh-construction']);
});

test('tanh-construction: the networks compute (1/h) tanh(hx) and (tanh(2hx) - 2 tanh(hx)) / (-2 h^3)', () => {
  const h = 0.1, x = [-1, -0.3, 0.5, 1];
  const input = new Tensor(Float64Array.from(x), [4, 1]);
  const id = identityNetwork(h).predict(input).data, cube = cubeNetwork(h).predict(input).data;
  x.forEach((v, i) => {
    assert.ok(Math.abs(id[i]! - Math.tanh(h * v) / h) < 1e-14);
    assert.ok(Math.abs(cube[i]! - (Math.tanh(2 * h * v) - 2 * Math.tanh(h * v)) / (-2 * h ** 3)) < 1e-10);
    assert.ok(Math.abs(cube[i]! - v ** 3) < 2.1 * h * h);
  });
});
