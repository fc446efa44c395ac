// The hinge losses (Keras hinge / squared_hinge) by hand, and the zeroOneLoss metric and function.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Dense, jsBackend, Sequential, Tensor, zeroOneLoss } from '../../src/index.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-14, `${what}: ${a} vs ${b}`);

test('hinge and squaredHinge: mean over the outputs of max(1 - t a, 0) (and its square); 0/1 targets read as -1/+1', () => {
  const p = new Float64Array([0.3, 0.5, 2, -0.2, 0, 1]);
  // terms: max(1 - 0.3, 0) = 0.7, max(1 + 0.5, 0) = 1.5, max(1 - 2, 0) = 0 | row 2 (t = -1, -1, 1): 0.8, 1, 0
  for (const y of [[1, -1, 1, -1, -1, 1], [1, 0, 1, 0, 0, 1]]) {
    const t = new Float64Array(y);
    close(jsBackend.lossSum('hinge', p, t, 2, 3, false), (0.7 + 1.5 + 0) / 3 + (0.8 + 1 + 0) / 3, `hinge ${y}`);
    close(jsBackend.lossSum('squaredHinge', p, t, 2, 3, false), (0.49 + 2.25) / 3 + (0.64 + 1) / 3, `squaredHinge ${y}`);
    const g = new Float64Array(6);
    jsBackend.lossGradient('hinge', p, t, 2, 3, 0.5, g);
    assert.deepEqual(Array.from(g, (v) => Math.round(v * 6e6) / 1e6), [-1, 1, 0, 1, 1, 0], 'd/da = -t / k (times scale 1/2) where 1 - t a > 0; 0 past the margin (a = 1, t = 1 is on the kink: 0)');
    jsBackend.lossGradient('squaredHinge', p, t, 2, 3, 1, g);
    [-2 * 0.7 / 3, 2 * 1.5 / 3, 0, 2 * 0.8 / 3, 2 * 1 / 3, 0].forEach((v, i) => close(g[i]!, v, `squaredHinge gradient ${i}`));
  }
  // -1/0/+1 mixed: not every target is 0 or 1, so 0 stays 0 (Keras converts only all-0/1 targets): max(1 - 0, 0) = 1.
  close(jsBackend.lossSum('hinge', new Float64Array([5, 5]), new Float64Array([-1, 0]), 1, 2, false), (6 + 1) / 2, 'mixed targets');
});

test("accuracy and zeroOneLoss with a hinge loss judge by the sign; they add up to 1", () => {
  const model = new Sequential([new Dense({ units: 1, inputShape: [1], dtype: 'float64', kernelInitializer: 'ones', biasInitializer: 'zeros' })]);
  model.compile({ optimizer: 'sgd', loss: 'hinge', metrics: ['accuracy', 'zeroOneLoss'] });
  // outputs = x: signs +, -, +, -, + against targets +1, +1, -1, -1, +1 (0/1 form): 2 wrong of 5
  const x = new Tensor(new Float64Array([2, -1, 0.5, -3, 0.1]), [5, 1]);
  const logs = model.evaluate(x, new Tensor(new Float64Array([1, 1, 0, 0, 1]), [5, 1]));
  close(logs['zeroOneLoss']!, 2 / 5, 'zeroOneLoss');
  close(logs['accuracy']!, 3 / 5, 'accuracy');
});

test('zeroOneLoss(predicted, truth): the fraction of labels that differ, or their count', () => {
  assert.equal(zeroOneLoss([1, -1, 1, 1], [1, 1, 1, -1]), 0.5);
  assert.equal(zeroOneLoss([0, 2, 1], [0, 2, 1]), 0);
  assert.equal(zeroOneLoss(new Int32Array([3, 1, 2]), [0, 1, 2], { normalize: false }), 1);
  assert.throws(() => zeroOneLoss([1], [1, 2]), /same non-zero length, got 1 and 2/);
});
