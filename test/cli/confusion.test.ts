import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { tensor } from '../../src/tensor/index.js';
import { confusionMatrix } from '../../src/train/confusion.js';

describe('confusionMatrix', () => {
  // Ten samples, three classes, counted by hand:
  //   true 0 (samples 0,1,2) predicted 0,1,0    -> row [2, 1, 0]
  //   true 1 (samples 3,4,9) predicted 1,1,1    -> row [0, 3, 0]
  //   true 2 (samples 5-8)   predicted 2,0,2,1  -> row [1, 1, 2]
  const yTrue = tensor([0, 0, 0, 1, 1, 2, 2, 2, 2, 1]);
  const yPred = tensor([0, 1, 0, 1, 1, 2, 0, 2, 1, 1]);

  it('counts rows = true class, columns = predicted class', () => {
    const cm = confusionMatrix(yTrue, yPred);
    assert.deepEqual(cm.matrix, [[2, 1, 0], [0, 3, 0], [1, 1, 2]]);
    assert.deepEqual(cm.support, [3, 3, 4]);
    assert.equal(cm.accuracy, 0.7);
  });

  it('derives precision (column), recall (row) and F1 per class', () => {
    const cm = confusionMatrix(yTrue, yPred);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-12, `${v} vs ${b[i]}`));
    close(cm.precision, [2 / 3, 3 / 5, 2 / 2]);
    close(cm.recall, [2 / 3, 3 / 3, 2 / 4]);
    close(cm.f1, [2 / 3, 0.75, 2 / 3]);
  });

  it('takes scores [n, k] (argmax per row) and a larger numClasses', () => {
    const scores = tensor([[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]]);
    const cm = confusionMatrix(tensor([0, 1, 2, 2]), scores, 4);
    assert.deepEqual(cm.matrix, [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]);
    assert.deepEqual(cm.precision, [0.5, 1, 1, 0]); // class 3 never predicted: 0, not NaN
    assert.deepEqual(cm.recall, [1, 1, 0.5, 0]);
    assert.equal(cm.f1[3], 0);
  });

  it('prints the matrix and the per-class report with class names', () => {
    const text = confusionMatrix(yTrue, yPred).toString(['cat', 'dog', 'emu']);
    assert.match(text, /rows: true class/);
    assert.match(text, /cat \|\s+2\s+1\s+0/);
    assert.match(text, /emu \|\s+1\s+1\s+2/);
    assert.match(text, /dog\s+0\.6000\s+1\.0000\s+0\.7500\s+3/);
    assert.match(text, /accuracy: 0\.7000 \(7 of 10\)/);
  });

  it('refuses mismatched counts, non-index labels and out-of-range classes', () => {
    assert.throws(() => confusionMatrix(tensor([0, 1]), tensor([0])), /2 samples but yPred has 1/);
    assert.throws(() => confusionMatrix(tensor([0.5]), tensor([0])), /yTrue\[0\] = 0.5 is not a class index/);
    assert.throws(() => confusionMatrix(tensor([0, 3]), tensor([0, 1]), 3), /yTrue\[1\] = 3 is not below numClasses 3/);
    assert.throws(() => confusionMatrix(tensor([[0, 1]]), tensor([0])), /yTrue must have shape \[n\]/);
  });
});
