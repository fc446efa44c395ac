/** The differentiation API: jacobian, customGrad, valueAndGrads, and errors that name the op. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const f64 = (v: nb.NestedArray) => nb.tensor(v, undefined, 'float64');

test('jacobian(f, x) has shape [...f(x).shape, ...x.shape] and the analytic values', () => {
  const W = [[1, 0, -1], [0.5, 2, 0]], x = [0.1, 0.2, 0.3];
  const J = nb.jacobian((t) => f64(W).matMul(t.reshape([3, 1])).tanh().reshape([2]), f64(x));
  assert.deepEqual(J.shape, [2, 3]);
  W.forEach((row, i) => {
    const z = row.reduce((s, w, j) => s + w * x[j]!, 0);
    row.forEach((w, j) => assert.ok(Math.abs(J.data[i * 3 + j]! - (1 - Math.tanh(z) ** 2) * w) < 1e-12));
  });
  const J2 = nb.jacobian((t) => t.square(), f64([[1, 2]]));
  assert.deepEqual(J2.shape, [1, 2, 1, 2]);
  assert.deepEqual(J2.arraySync(), [[[[2, 0]], [[0, 4]]]]);
});

test('customGrad uses the user gradient, and valueAndGrads returns value and gradients', () => {
  const clipGrad = nb.customGrad((x, save) => {
    (save as nb.GradSaveFunc)([x as nb.Tensor]);
    return { value: (x as nb.Tensor).square(), gradFunc: (dy, [s]) => dy.mul(s!).mul(2).clipByValue(-1, 1) };
  });
  assert.deepEqual(nb.grad((x) => clipGrad(x).sum())(f64([0.1, 3])).arraySync(), [0.2, 1]);
  const { value, grads } = nb.valueAndGrads((a, b) => a!.mul(b!).sum())([f64([1, 2]), f64([3, 4])]);
  assert.equal(value.data[0], 11);
  assert.deepEqual(grads.map((g) => g.arraySync()), [[3, 4], [1, 2]]);
});

test('differentiating through an op without gradient names it; outside gradient calls nothing is taped', () => {
  assert.throws(() => nb.grad((x) => nb.cast(x.argMax(), 'float32').sum())(f64([[1, 2]])), /the path goes through argMax, which has no gradient/);
  assert.throws(() => nb.grad((x) => nb.oneHot(nb.cast(x, 'int32').reshape([-1]), 3).sum())(f64([1])), /through (cast|oneHot), which has no gradient/);
  const x = f64([1, 2]);
  const y = x.square();
  assert.throws(() => nb.grad(() => y.sum())(x), /does not depend on x/);
});
