// MaxPooling2D and AveragePooling2D: PyTorch 1.13 fixtures, hand-computed numbers for docs/design.md's
// tie and divisor rules, gradCheck (data without ties), errors, summary and config round trips.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AveragePooling2D, Conv2D, Dense, Flatten, gradCheck, layerFromConfig, MaxPooling2D, Rng, Sequential, type DType,
} from '../../src/index.js';
import { data, fixtures, labels, near, t, TOLERANCE } from './conv-helpers.js';

describe('pooling against PyTorch 1.13 (scripts/fixtures/conv_fixtures.py)', () => {
  for (const dtype of ['float64', 'float32'] as DType[])
    for (const c of fixtures.pool)
      it(`${c.name}, ${dtype}: output and input gradient`, () => {
        const args = { poolSize: c.poolSize, strides: c.strides, padding: c.padding, dtype };
        const layer = c.kind === 'max' ? new MaxPooling2D(args) : new AveragePooling2D(args);
        const y = layer.forward(t(c.x, c.xShape, dtype), true);
        assert.deepEqual(y.shape, c.yShape);
        assert.deepEqual(layer.computeOutputShape(c.xShape), c.yShape);
        near(y.data, c.y, TOLERANCE[dtype], 'y');
        near(layer.backward(t(c.g, c.yShape, dtype), true)!.data, c.dx, TOLERANCE[dtype], 'dx');
      });
});

describe('pooling rules by hand (docs/design.md)', () => {
  it('max pooling sends a tie to the first maximum in row-major order of the window', () => {
    // One 2x2 window per channel; channel 0 has its maximum 5 at (0, 1) and (1, 0), channel 1 at all four cells.
    const layer = new MaxPooling2D({ poolSize: 2, dtype: 'float64' });
    const x = t([1, 7, 5, 7, 5, 7, 2, 7], [1, 2, 2, 2]); // NHWC: cell (h, w) holds [channel 0, channel 1]
    assert.deepEqual(Array.from(layer.forward(x, true).data), [5, 7]);
    assert.deepEqual(Array.from(layer.backward(t([10, 20], [1, 1, 1, 2]), true)!.data), [0, 20, 10, 0, 0, 0, 0, 0]);
  });

  it("average pooling with 'same' leaves padded cells out of the divisor", () => {
    // 3x3 input 1..9, pool 2, stride 2, 'same': pad total 1 per axis, all at the bottom/right, output 2x2.
    // Windows: {1,2,4,5} / 4 = 3; {3,6} / 2 = 4.5; {7,8} / 2 = 7.5; {9} / 1 = 9 (zeros counted would give 2.25, 2.25, 3.75, 2.25).
    const layer = new AveragePooling2D({ poolSize: 2, padding: 'same', dtype: 'float64' });
    const y = layer.forward(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), true);
    assert.deepEqual(y.shape, [1, 2, 2, 1]);
    assert.deepEqual(Array.from(y.data), [3, 4.5, 7.5, 9]);
    // dy = [4, 2, 2, 1]: each window spreads dy / count over its inside cells.
    assert.deepEqual(Array.from(layer.backward(t([4, 2, 2, 1], [1, 2, 2, 1]), true)!.data), [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("max pooling with 'same' ignores padding, even when every inside value is negative", () => {
    const layer = new MaxPooling2D({ poolSize: 2, padding: 'same', dtype: 'float64' });
    const y = layer.forward(t([-1, -2, -3, -4, -5, -6, -7, -8, -9], [1, 3, 3, 1]), true);
    assert.deepEqual(Array.from(y.data), [-1, -3, -7, -9]);
  });

  it('overlapping windows (stride < pool) accumulate their gradients in the shared cells', () => {
    const layer = new AveragePooling2D({ poolSize: [1, 2], strides: 1, dtype: 'float64' });
    assert.deepEqual(Array.from(layer.forward(t([2, 4, 8], [1, 1, 3, 1]), true).data), [3, 6]);
    assert.deepEqual(Array.from(layer.backward(t([1, 1], [1, 1, 2, 1]), true)!.data), [0.5, 1, 0.5]);
  });

  it('strides default to the pool size; floor drops an incomplete last window', () => {
    assert.deepEqual(new MaxPooling2D().computeOutputShape([4, 28, 28, 6]), [4, 14, 14, 6]);
    assert.deepEqual(new MaxPooling2D({ poolSize: 3 }).computeOutputShape([1, 10, 8, 2]), [1, 3, 2, 2]);
    assert.deepEqual(new MaxPooling2D({ poolSize: 3, padding: 'same' }).computeOutputShape([1, 10, 8, 2]), [1, 4, 3, 2]);
    assert.deepEqual(new AveragePooling2D({ poolSize: [2, 3], strides: [1, 2] }).computeOutputShape([1, 5, 7, 1]), [1, 4, 3, 1]);
  });
});

describe('pooling gradCheck (float64) below 1e-6, data without ties', () => {
  const cases: { cls: typeof MaxPooling2D | typeof AveragePooling2D; poolSize: number; strides: number; padding: 'valid' | 'same' }[] = [];
  for (const cls of [MaxPooling2D, AveragePooling2D])
    for (const [poolSize, strides] of [[2, 2], [3, 2], [2, 1]] as const)
      for (const padding of ['valid', 'same'] as const) cases.push({ cls, poolSize, strides, padding });
  cases.forEach((c, i) => {
    it(`${c.cls.name} pool ${c.poolSize} stride ${c.strides} '${c.padding}' between Conv2D and Dense`, () => {
      // Continuous random inputs and weights: a tie in a max-pool window has probability 0 (gradCheck
      // does not hide kinks; the data avoids them).
      const rng = new Rng(500 + i);
      const model = new Sequential([
        new Conv2D({ filters: 2, kernelSize: 2, activation: 'tanh', biasInitializer: 'glorotUniform', inputShape: [7, 6, 2] }),
        new c.cls({ poolSize: c.poolSize, strides: c.strides, padding: c.padding }),
        new Flatten(),
        new Dense({ units: 3, activation: 'softmax' }),
      ], { seed: 10 + i });
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      const r = gradCheck(model, data(rng, [3, 7, 6, 2]), labels(rng, 3, 3));
      assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`);
    });
  });
});

describe('pooling options, errors, summary and config', () => {
  it('names the layer and the shapes for a pool larger than the input and for input that is not rank 4', () => {
    // Layers are built as they are added once the input shape is known (Keras / TF.js): the model refuses the pool at once.
    assert.throws(() => new Sequential([new Conv2D({ filters: 2, kernelSize: 3, inputShape: [4, 4, 1] }), new MaxPooling2D({ poolSize: 3 })]), /MaxPooling2D 'max_pooling2d_1': pool 3x3 is larger than the padded input 2x2 \(input shape \[null, 2, 2, 2\], padding 'valid', strides 3x3\): output size would be 0x0/);
    assert.throws(() => new AveragePooling2D({ name: 'avg' }).forward(t([1, 2, 3, 4], [1, 4], 'float32'), false),
      /AveragePooling2D 'avg': expected input of rank 4 \[batch, height, width, channels\] \(NHWC\), got shape \[1, 4\]/);
  });

  it('validates its options by name', () => {
    assert.throws(() => new MaxPooling2D({ poolSize: 0 }), /MaxPooling2D: poolSize must be a positive integer, got 0/);
    assert.throws(() => new AveragePooling2D({ strides: [2, -1] }), /AveragePooling2D: strides\[1\] must be a positive integer, got -1/);
    assert.throws(() => new MaxPooling2D({ padding: 'causal' as 'same' }), /MaxPooling2D: padding must be 'valid' or 'same', got "causal"/);
    assert.throws(() => new MaxPooling2D({ pool_size: 2 } as never), /MaxPooling2D: unknown option 'pool_size'/);
  });

  it('summary: no parameters, output shapes as Keras prints them', () => {
    const m = new Sequential([
      new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', inputShape: [28, 28, 1] }),
      new MaxPooling2D({ poolSize: 2 }),
      new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    ]);
    const s = m.summary();
    assert.match(s, /max_pooling2d_1 \(MaxPooling2D\) +\(None, 14, 14, 6\) +0\n/);
    assert.match(s, /average_pooling2d_1 \(AveragePooling2D\) +\(None, 7, 7, 6\) +0\n/);
  });

  it('getConfig round-trips through the registry', () => {
    for (const layer of [new MaxPooling2D({ poolSize: [3, 2], strides: 1, padding: 'same', name: 'mp' }), new AveragePooling2D({ name: 'ap' })]) {
      const config = layer.getConfig();
      assert.deepEqual(layerFromConfig(config).getConfig(), config);
    }
    assert.deepEqual(new MaxPooling2D({ poolSize: [3, 2], strides: 1, padding: 'same', name: 'mp' }).getConfig(),
      { className: 'MaxPooling2D', name: 'mp', poolSize: [3, 2], strides: [1, 1], padding: 'same' });
    assert.deepEqual(new AveragePooling2D({ name: 'ap' }).getConfig(), { className: 'AveragePooling2D', name: 'ap', poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
  });
});
