/** The learning-slowdown example (Nielsen ch. 3): one sigmoid neuron, quadratic cost against cross-entropy. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLearningSlowdown, trainNeuron } from '../../src/examples/index.js';
import { assertPlots, outDir } from './helpers.js';

/** Gradient descent on one neuron written out from Nielsen's eq. 55-56 and 61-62 (x = 1, y = 0). */
function byHand(cost: 'quadratic' | 'crossEntropy', w: number, b: number, epochs: number, eta: number): number[] {
  const out: number[] = [];
  for (let e = 0; e <= epochs; e++) {
    const a = 1 / (1 + Math.exp(-(w + b)));
    out.push(a);
    const d = cost === 'quadratic' ? a * a * (1 - a) : a; // dC/dz
    w -= eta * d; b -= eta * d;
  }
  return out;
}

test('learning-slowdown: the model follows eq. 55-56 and 61-62 step by step', async () => {
  for (const [w, b] of [[0.6, 0.9], [2, 2]] as const) {
    const q = await trainNeuron('quadratic', w, b, 300, 0.15), qh = byHand('quadratic', w, b, 300, 0.15);
    const c = await trainNeuron('binaryCrossentropy', w, b, 300, 0.15), ch = byHand('crossEntropy', w, b, 300, 0.15);
    for (let k = 0; k <= 300; k++) {
      assert.ok(Math.abs(q[k]! - qh[k]!) < 1e-9, `quadratic from (${w}, ${b}), epoch ${k}: ${q[k]} vs ${qh[k]}`);
      assert.ok(Math.abs(c[k]! - ch[k]!) < 1e-9, `cross-entropy from (${w}, ${b}), epoch ${k}: ${c[k]} vs ${ch[k]}`);
    }
  }
});

test('learning-slowdown: the book\'s outputs 0.82 / 0.98, about 0.09 and 0.20 after 300 epochs, and the slow start', async () => {
  const dir = outDir('slowdown');
  const { figures, comparisons, files } = await runLearningSlowdown({ outDir: dir });
  assert.ok(Math.abs(figures['quadratic0Output0']! - 0.82) < 0.005);
  assert.ok(Math.abs(figures['quadratic1Output0']! - 0.98) < 0.005);
  assert.ok(Math.abs(figures['quadratic0OutputEnd']! - 0.09) < 0.01, `${figures['quadratic0OutputEnd']}`);
  assert.ok(Math.abs(figures['quadratic1OutputEnd']! - 0.20) < 0.01, `${figures['quadratic1OutputEnd']}`);
  assert.ok(figures['quadratic1Drop150']! < 0.25, 'the quadratic cost from w = b = 2 falls little in 150 epochs');
  assert.ok(figures['crossEntropy1Drop150']! > 0.9, 'the cross-entropy from w = b = 2 does not slow down');
  assert.ok(comparisons.every((c) => c.agrees), JSON.stringify(comparisons));
  assertPlots(files, dir, ['learning-slowdown']);
});
