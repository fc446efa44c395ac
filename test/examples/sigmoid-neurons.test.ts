/** The sigmoid-neurons example (Nielsen ch. 1): sigmoid(c z) tends to the perceptron's step. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSigmoidNeurons, sigmoidNeuron } from '../../src/examples/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertPlots, outDir } from './helpers.js';

test('sigmoid-neurons: a neuron computes 1 / (1 + exp(-(w . x + b)))', () => {
  const model = sigmoidNeuron([-2, -2], 3);
  const out = model.predict(new Tensor(Float64Array.of(0, 0, 1, 1), [2, 2])).data;
  assert.ok(Math.abs(out[0]! - 1 / (1 + Math.exp(-3))) < 1e-15);
  assert.ok(Math.abs(out[1]! - 1 / (1 + Math.exp(1))) < 1e-15);
});

test('sigmoid-neurons: the scaled NAND neuron is within sigma(-c) of the step, 4/4 rows right at c = 1', async () => {
  const dir = outDir('sigmoid');
  const { figures, comparisons, files } = await runSigmoidNeurons({ outDir: dir });
  assert.equal(figures['nandRowsRight1'], 4);
  for (const c of [1, 2, 5, 10, 20]) {
    const bound = 1 / (1 + Math.exp(c)); // |w . x + b| = c at (1, 1), the closest row to the threshold
    assert.ok(Math.abs(figures[`nandError${c}`]! - bound) <= 1e-12 + 1e-9 * bound, `c = ${c}: ${figures[`nandError${c}`]} vs ${bound}`);
  }
  assert.ok(comparisons.every((c) => c.agrees));
  assertPlots(files, dir, ['sigmoid-neurons']);
});
