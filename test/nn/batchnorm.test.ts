// BatchNormalization: PyTorch 1.13 fixtures (training-mode outputs and gradients, Keras's moving
// statistics, inference), training vs inference behaviour, gradCheck in training mode (rank 2 and
// rank 4), gradCheck's frozen state, weights order, save/load, errors and config.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  BatchNormalization, Conv2D, Dense, Flatten, gradCheck, Layer, layerFromConfig, loadModel, registerLayer, Rng, Sequential, Tensor,
  type DType, type LayerArgs,
} from '../../src/index.js';
import { buildWith, data, fixtures, labels, near, t, TOLERANCE } from './conv-helpers.js';

describe('BatchNormalization against PyTorch 1.13 (scripts/fixtures/conv_fixtures.py)', () => {
  for (const dtype of ['float64', 'float32'] as DType[])
    for (const c of fixtures.batchNorm) {
      const C = c.shape[c.shape.length - 1]!, tol = TOLERANCE[dtype];
      it(`${c.name}, ${dtype}: training output, gradients and Keras's moving statistics`, () => {
        const layer = buildWith(new BatchNormalization({ dtype }), c.shape, [c.gamma, c.beta]);
        near(layer.forward(t(c.x, c.shape, dtype), true).data, c.y, tol, 'y');
        near(layer.backward(t(c.g, c.shape, dtype), true)!.data, c.dx, tol, 'dx');
        const [dGamma, dBeta] = layer.params().map((p) => p.grad.data);
        near(dGamma!, c.dGamma, tol, 'dGamma');
        near(dBeta!, c.dBeta, tol, 'dBeta');
        const [mm, mv] = layer.stateTensors().map((s) => s.value.data);
        near(mm!, c.movingMean, tol, 'moving mean');
        near(mv!, c.movingVariance, tol, 'moving variance (biased batch variance, momentum 0.99)');
        assert.equal(mm!.length, C);
      });
      it(`${c.name}, ${dtype}: inference uses the moving statistics`, () => {
        const layer = buildWith(new BatchNormalization({ dtype }), c.shape, [c.gamma, c.beta]);
        const [mm, mv] = layer.stateTensors().map((s) => s.value.data);
        mm!.set(c.inference.movingMean); mv!.set(c.inference.movingVariance);
        const saved = [mm!.slice(), mv!.slice()];
        near(layer.forward(t(c.x, c.shape, dtype), false).data, c.inference.y, tol, 'y');
        assert.deepEqual([mm, mv], saved, 'moving statistics unchanged');
      });
    }
});

describe('BatchNormalization: training and inference differ', () => {
  // x = [[1, 10], [3, 30]]: batch means [2, 20], biased variances [1, 100].
  const x = () => t([1, 10, 3, 30], [2, 2]);

  it('training normalises with the batch statistics and updates the moving ones with momentum 0.99', () => {
    const layer = new BatchNormalization({ dtype: 'float64' });
    const y = layer.forward(x(), true).data;
    near(y, [-1 / Math.sqrt(1.001), -10 / Math.sqrt(100.001), 1 / Math.sqrt(1.001), 10 / Math.sqrt(100.001)], 1e-15, 'y');
    const [mm, mv] = layer.stateTensors().map((s) => s.value.data);
    near(mm!, [0.01 * 2, 0.01 * 20], 1e-15, 'moving mean = 0.99 * 0 + 0.01 * mean');
    near(mv!, [0.99 + 0.01 * 1, 0.99 + 0.01 * 100], 1e-15, 'moving variance = 0.99 * 1 + 0.01 * var');
    layer.forward(x(), true);
    near(mm!, [0.99 * 0.02 + 0.02, 0.99 * 0.2 + 0.2], 1e-15, 'second step');
  });

  it('inference uses the moving statistics and leaves them alone', () => {
    const layer = new BatchNormalization({ dtype: 'float64', epsilon: 0.5 });
    layer.build([2, 2]);
    const [gamma, beta] = layer.params().map((p) => p.value.data);
    gamma!.set([2, 3]); beta!.set([0.5, -1]);
    const [mm, mv] = layer.stateTensors().map((s) => s.value.data);
    mm!.set([1, 20]); mv!.set([3.5, 99.5]);
    // y = gamma (x - mm) / sqrt(mv + 0.5) + beta: [2 * 0 / 2 + 0.5, 3 * -10 / 10 - 1, 2 * 2 / 2 + 0.5, 3 * 10 / 10 - 1]
    assert.deepEqual(Array.from(layer.forward(x(), false).data), [0.5, -4, 2.5, 2]);
    assert.deepEqual([Array.from(mm!), Array.from(mv!)], [[1, 20], [3.5, 99.5]]);
  });

  it('in a model: predict and evaluate do not touch the moving statistics, trainOnBatch does', async () => {
    const m = new Sequential([new Dense({ units: 3, inputShape: [2] }), new BatchNormalization(), new Dense({ units: 2, activation: 'softmax' })], { seed: 1 });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const xs = t([1, 2, -1, 0.5, 3, -2, 0, 1], [4, 2], 'float32'), ys = t([0, 1, 1, 0], [4], 'float32');
    m.build();
    const moving = () => m.getWeights().slice(4, 6).map((w) => Array.from(w.data));
    assert.deepEqual(moving(), [[0, 0, 0], [1, 1, 1]]);
    m.predict(xs);
    m.evaluate(xs, ys);
    assert.deepEqual(moving(), [[0, 0, 0], [1, 1, 1]]);
    // The hidden layer's batch statistics, from the weights trainOnBatch starts with.
    const h = new Dense({ units: 3, dtype: 'float32' });
    h.build([4, 2]);
    h.params().forEach((p, i) => p.value.data.set(m.getWeights()[i]!.data));
    const hd = h.forward(xs, false).data, mean = [0, 0, 0], variance = [0, 0, 0];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 3; c++) mean[c]! += hd[r * 3 + c]! / 4;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 3; c++) variance[c]! += (hd[r * 3 + c]! - mean[c]!) ** 2 / 4;
    await m.trainOnBatch(xs, ys);
    const [mm, mv] = moving();
    near(mm!, mean.map((v) => 0.01 * v), 1e-6, 'moving mean after one step');
    near(mv!, variance.map((v) => 0.99 + 0.01 * v), 1e-6, 'moving variance after one step');
  });

  it('trainable: false runs in inference mode even in training, as Keras 2', () => {
    const layer = new BatchNormalization({ dtype: 'float64', trainable: false });
    const y = layer.forward(x(), true).data;
    near(y, [1, 10, 3, 30].map((v) => v / Math.sqrt(1.001)), 1e-15, 'y with moving statistics 0 and 1');
    assert.deepEqual(Array.from(layer.stateTensors()[0]!.value.data), [0, 0]);
    assert.ok(layer.params().every((p) => !p.trainable));
  });
});

describe('BatchNormalization gradCheck (float64, training mode) below 1e-6', () => {
  const variants = [{}, { center: false }, { scale: false }, { center: false, scale: false }];
  variants.forEach((options, i) => {
    it(`rank 2: Dense -> BatchNormalization ${JSON.stringify(options)} -> Dense softmax, batch 5`, () => {
      const rng = new Rng(600 + i);
      const model = new Sequential([
        new Dense({ units: 4, activation: 'tanh', inputShape: [3] }), new BatchNormalization(options), new Dense({ units: 3, activation: 'softmax' }),
      ], { seed: 20 + i });
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      const r = gradCheck(model, data(rng, [5, 3]), labels(rng, 5, 3));
      assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`);
      assert.equal(Object.keys(r.perParam).filter((k) => k.startsWith('batch_normalization_1/')).length, 2 - Object.keys(options).length);
    });
  });
  for (const batch of [2, 3])
    it(`rank 4: Conv2D -> BatchNormalization -> Flatten -> Dense softmax, batch ${batch}`, () => {
      const rng = new Rng(700 + batch);
      const model = new Sequential([
        new Conv2D({ filters: 3, kernelSize: 2, activation: 'tanh', inputShape: [4, 5, 2] }), new BatchNormalization({ momentum: 0.9 }),
        new Flatten(), new Dense({ units: 3, activation: 'softmax' }),
      ], { seed: 30 + batch });
      model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
      const r = gradCheck(model, data(rng, [batch, 4, 5, 2]), labels(rng, batch, 3));
      assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`);
      assert.ok(r.perParam['batch_normalization_1/gamma']! < 1e-6 && r.perParam['batch_normalization_1/beta']! < 1e-6);
    });
});

/** A test layer whose training-mode output reads its state, and whose every training pass changes it. */
class StateProbe extends Layer {
  private readonly state = new Tensor(new Float64Array([0]), [1]);
  constructor(args: LayerArgs = {}) { super(args); }
  get className(): string { return 'StateProbe'; }
  computeOutputShape(s: readonly number[]): number[] { return [...s]; }
  override stateTensors() { return [{ name: `${this.name}/count`, value: this.state }]; }
  forward(x: Tensor, training: boolean): Tensor {
    if (!training) return x;
    const y = new Tensor(x.data.slice(), x.shape);
    this.k.scale(y.data, 1 + this.state.data[0]!); // y = (1 + count) x
    this.state.data[0]! += 1;
    return y;
  }
  backward(dy: Tensor, needsInputGradient: boolean): Tensor | null {
    if (!needsInputGradient) return null;
    const dx = new Tensor(dy.data.slice(), dy.shape);
    this.k.scale(dx.data, this.state.data[0]!); // the count used by the last forward is state - 1
    return dx;
  }
}
registerLayer('StateProbe', (c) => new StateProbe(c as LayerArgs));

describe("gradCheck keeps layers' state frozen", () => {
  it('restores every state tensor after each pass, so each pass sees the model state (a probe layer that counts its passes)', () => {
    const model = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [2] }), new StateProbe(), new Dense({ units: 2, activation: 'softmax' })], { seed: 2 });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const rng = new Rng(5);
    const r = gradCheck(model, data(rng, [4, 2]), labels(rng, 4, 2));
    // Without the restore, the k-th pass would scale by 1 + k and the differences would be meaningless.
    assert.ok(r.maxRelativeError < 1e-6, `${r.maxRelativeError} at ${r.where}`);
    assert.deepEqual(Array.from(model.getWeights().at(-3)!.data), [0], "the model's own state is untouched");
  });
});

describe('BatchNormalization weights, persistence, errors and config', () => {
  it("weights in Keras's order: gamma, beta, moving_mean, moving_variance; summary counts the moving ones as non-trainable", () => {
    const m = new Sequential([new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', inputShape: [28, 28, 1] }), new BatchNormalization()]);
    m.build();
    assert.deepEqual(m.weightNames().slice(2), ['batch_normalization_1/gamma', 'batch_normalization_1/beta', 'batch_normalization_1/moving_mean', 'batch_normalization_1/moving_variance']);
    assert.deepEqual(m.getWeights().slice(2).map((w) => Array.from(w.data)), [[1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]]);
    const s = m.summary();
    assert.match(s, /batch_normalization_1 \(BatchNormalization\) +\(None, 28, 28, 6\) +24\n/);
    assert.match(s, /Total params: 180\nTrainable params: 168\nNon-trainable params: 12/);
    const noScale = new Sequential([new BatchNormalization({ scale: false, inputShape: [4] })]);
    noScale.build();
    assert.deepEqual(noScale.weightNames(), ['batch_normalization_1/beta', 'batch_normalization_1/moving_mean', 'batch_normalization_1/moving_variance']);
  });

  it('saves and loads the moving statistics with the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-bn-'));
    try {
      const m = new Sequential([new Dense({ units: 3, inputShape: [2] }), new BatchNormalization({ momentum: 0.5 }), new Dense({ units: 2, activation: 'softmax' })], { seed: 4 });
      m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const xs = t([1, 2, -1, 0.5, 3, -2], [3, 2], 'float32');
      await m.trainOnBatch(xs, t([0, 1, 1], [3], 'float32'));
      await m.save(join(dir, 'model'));
      const loaded = await loadModel(join(dir, 'model'));
      assert.deepEqual(loaded.getWeights().map((w) => Array.from(w.data)), m.getWeights().map((w) => Array.from(w.data)));
      assert.deepEqual(Array.from(loaded.predict(xs).data), Array.from(m.predict(xs).data));
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('validates its options by name and refuses rank-1 input', () => {
    assert.throws(() => new BatchNormalization({ momentum: 1.5 }), /BatchNormalization: momentum must be a number in \[0, 1\], got 1.5/);
    assert.throws(() => new BatchNormalization({ epsilon: 0 }), /BatchNormalization: epsilon must be > 0, got 0/);
    assert.throws(() => new BatchNormalization({ center: 'yes' as unknown as boolean }), /BatchNormalization: center must be true or false, got "yes"/);
    assert.throws(() => new BatchNormalization({ axis: 1 } as never), /BatchNormalization: unknown option 'axis'/);
    assert.throws(() => new BatchNormalization({ name: 'bn' }).computeOutputShape([5]), /BatchNormalization 'bn': expected input of rank >= 2 \[batch, \.\.\., channels\], got shape \[5\]/);
    const layer = new BatchNormalization({ name: 'bn' });
    layer.forward(t([1, 2, 3, 4], [2, 2], 'float32'), true);
    assert.throws(() => layer.forward(t([1, 2, 3, 4, 5, 6], [2, 3], 'float32'), true), /BatchNormalization 'bn': expected input shape \[null, 2\], got \[2, 3\]/);
  });

  it('getConfig round-trips through the registry', () => {
    const layer = new BatchNormalization({ momentum: 0.9, epsilon: 1e-5, center: false, name: 'bn', inputShape: [4, 4, 3] });
    const config = layer.getConfig();
    assert.deepEqual(config, { className: 'BatchNormalization', name: 'bn', inputShape: [4, 4, 3], momentum: 0.9, epsilon: 1e-5, center: false, scale: true });
    assert.deepEqual(layerFromConfig(config).getConfig(), config);
    assert.deepEqual(new BatchNormalization().getConfig(), { className: 'BatchNormalization', name: '', momentum: 0.99, epsilon: 1e-3, center: true, scale: true });
  });
});
