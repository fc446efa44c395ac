/** The xor-gates example: every truth table, the perceptron's failure on XOR, the 2-2-1 network. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runXorGates } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

test('xor-gates: hand-wired and learned gates, XOR by hand and by a trained 2-2-1 network; the perceptron cannot learn XOR', async () => {
  const dir = outDir('xor');
  const lines: string[] = [];
  const { figures, comparisons, files } = await runXorGates({ outDir: dir, log: (l) => lines.push(l) });
  for (const gate of ['NAND', 'AND', 'OR']) {
    assert.equal(figures[`wired${gate}`], 4, `${gate} wired by hand`);
    assert.equal(figures[`learned${gate}`], 4, `${gate} learned by the perceptron rule`);
  }
  assert.equal(figures['wiredNOT'], 2);
  assert.equal(figures['learnedNOT'], 2);
  assert.equal(figures['wiredXor'], 4, 'XOR = AND(OR, NAND) as a 2-2-1 step network');
  assert.equal(figures['perceptronXorConverged'], 0, 'the perceptron reports not converged on XOR');
  assert.ok(figures['perceptronXorMinErrors']! >= 1, 'no epoch classifies XOR without error');
  assert.ok(figures['perceptronXorRowsCorrect']! < 4);
  assert.equal(figures['networkXor'], 4, 'the trained 2-2-1 sigmoid network computes XOR');
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assert.ok(lines.some((l) => l.includes('NAND w = (-2, -2), b = 3: 0 0 -> 1, 0 1 -> 1, 1 0 -> 1, 1 1 -> 0')), lines.join('\n'));
  assertPlots(files, dir, ['xor-network', 'xor-perceptron']);
});
