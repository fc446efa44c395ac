/**
 * clipnorm / clipvalue against numbers worked out by hand. Keras 2 semantics: clipvalue clamps
 * each element, clipnorm rescales EACH gradient tensor by its own norm (not a global norm), and
 * clipvalue is applied before clipnorm.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Adagrad, SGD } from '../../src/optim/index.js';
import { assertClose, makeParam, setGrad } from './helpers.js';

describe('gradient clipping', () => {
  it('clipnorm rescales each tensor by its own norm: [3, 4] with clipnorm 1 becomes [0.6, 0.8]', () => {
    const a = makeParam('a', [0, 0], [2]), b = makeParam('b', [0, 0], [2]);
    setGrad(a, [3, 4]);      // norm 5 > 1: scaled by 1/5
    setGrad(b, [0.3, 0.4]);  // norm 0.5 <= 1: unchanged (a global norm would have scaled it too)
    new SGD({ learningRate: 1, clipnorm: 1 }).applyGradients([a, b]);
    assertClose(a.value.data, [-0.6, -0.8], 1e-15, 'a');
    assertClose(b.value.data, [-0.3, -0.4], 1e-15, 'b');
  });

  it('clipnorm equal to the norm leaves the gradient as it is', () => {
    const a = makeParam('a', [1, 1], [2]);
    setGrad(a, [3, 4]);
    new SGD({ learningRate: 0.5, clipnorm: 5 }).applyGradients([a]);
    assertClose(a.value.data, [1 - 1.5, 1 - 2], 1e-15, 'a');
  });

  it('clipvalue clamps each element to [-v, v]', () => {
    const a = makeParam('a', [0, 0, 0, 0], [2, 2]);
    setGrad(a, [-2, 0.25, 0.7, -0.5]);
    new SGD({ learningRate: 1, clipvalue: 0.5 }).applyGradients([a]);
    assertClose(a.value.data, [0.5, -0.25, -0.5, 0.5], 1e-15, 'a');
  });

  it('clipvalue is applied before clipnorm (Keras 2 order)', () => {
    // [3, 4] -> clipvalue 2 -> [2, 2] (norm 2 sqrt 2) -> clipnorm 1 -> [1/sqrt 2, 1/sqrt 2].
    // The other order would give [0.6, 0.8].
    const a = makeParam('a', [0, 0], [2]);
    setGrad(a, [3, 4]);
    new SGD({ learningRate: 1, clipvalue: 2, clipnorm: 1 }).applyGradients([a]);
    assertClose(a.value.data, [-Math.SQRT1_2, -Math.SQRT1_2], 1e-15, 'a');
  });

  it('clips before the momentum update: v = -lr g_clipped', () => {
    const a = makeParam('a', [0, 0], [2]);
    const opt = new SGD({ learningRate: 0.1, momentum: 0.9, clipnorm: 1 });
    setGrad(a, [3, 4]);
    opt.applyGradients([a]);   // v = -0.1 [0.6, 0.8]; w = v
    assertClose(a.value.data, [-0.06, -0.08], 1e-14, 'step 1');
    setGrad(a, [0, 10]);       // clipped to [0, 1]; v = 0.9 v - 0.1 [0, 1] = [-0.054, -0.172]
    opt.applyGradients([a]);
    assertClose(a.value.data, [-0.06 - 0.054, -0.08 - 0.172], 1e-14, 'step 2');
  });

  it('clips before Adagrad: s = 0.1 + 0.5^2, w -= lr 0.5 / sqrt(s)', () => {
    const a = makeParam('a', [1], [1]);
    setGrad(a, [7]);
    new Adagrad({ learningRate: 0.1, epsilon: 0, clipvalue: 0.5 }).applyGradients([a]);
    assertClose(a.value.data, [1 - 0.1 * 0.5 / Math.sqrt(0.35)], 1e-15, 'a');
  });

  it('leaves param.grad as backward wrote it', () => {
    const a = makeParam('a', [0, 0], [2]);
    setGrad(a, [3, 4]);
    new SGD({ learningRate: 1, clipnorm: 1, clipvalue: 2 }).applyGradients([a]);
    assert.deepEqual([...a.grad.data], [3, 4]);
  });

  it('works on float32 parameters', () => {
    const a = makeParam('a', [0, 0], [2], 'float32');
    setGrad(a, [3, 4]);
    new SGD({ learningRate: 1, clipnorm: 1 }).applyGradients([a]);
    assertClose(a.value.data, [-0.6, -0.8], 1e-7, 'a');
    assert.ok(a.value.data instanceof Float32Array);
  });

  it('a zero gradient stays zero under clipnorm (no 0/0)', () => {
    const a = makeParam('a', [1, 2], [2]);
    new SGD({ learningRate: 1, clipnorm: 1 }).applyGradients([a]);
    assert.deepEqual([...a.value.data], [1, 2]);
  });
});
