/** The backprop example: BP1-BP4 by hand, the backward pass, J^T e and finite differences agree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backpropByHand, runBackprop } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('backpropByHand: a 1-1 sigmoid neuron at w = b = 0, x = 1, y = 0 has dC/dw = dC/db = 0.5 * 0.25 = 0.125', () => {
  const g = backpropByHand([{ kernel: Float64Array.of(0), bias: Float64Array.of(0), inputs: 1, units: 1 }], [1], [0], 1);
  assert.deepEqual(Array.from(g), [0.125, 0.125]);
});

test('backpropByHand: a 1-1-1 chain by the chain rule written out', () => {
  // a1 = s(w1 x + b1), a2 = s(w2 a1 + b2), C = a2^2 / 2 (y = 0).
  const s = (z: number) => 1 / (1 + Math.exp(-z)), x = 0.7, w1 = 0.3, b1 = -0.2, w2 = -1.1, b2 = 0.4;
  const a1 = s(w1 * x + b1), a2 = s(w2 * a1 + b2), d2 = a2 * a2 * (1 - a2), d1 = a1 * (1 - a1) * w2 * d2;
  const g = backpropByHand([
    { kernel: Float64Array.of(w1), bias: Float64Array.of(b1), inputs: 1, units: 1 },
    { kernel: Float64Array.of(w2), bias: Float64Array.of(b2), inputs: 1, units: 1 },
  ], [x], [0], 1);
  const expected = [d1 * x, d1, d2 * a1, d2];
  expected.forEach((e, k) => assert.ok(Math.abs(g[k]! - e) < 1e-15, `entry ${k}: ${g[k]} vs ${e}`));
});

test('backprop: on Higham & Higham\'s network the four gradients agree (23 entries, J_theta [20, 23])', async () => {
  const dir = outDir('backprop');
  const { figures, comparisons, files } = await runBackprop({ outDir: dir });
  assert.equal(figures['parameters'], 23);
  assert.deepEqual([figures['jacobianRows'], figures['jacobianCols']], [20, 23]);
  assert.ok(figures['maxRelHand']! < 1e-12, `${figures['maxRelHand']}`);
  assert.ok(figures['maxRelJacobian']! < 1e-12, `${figures['maxRelJacobian']}`);
  assert.ok(figures['maxRelFinite']! < 1e-6, `${figures['maxRelFinite']}`);
  assert.ok(comparisons.every((c) => c.agrees));
  assertPlots(files, dir, ['backprop']);
});
