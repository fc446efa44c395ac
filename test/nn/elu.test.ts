// ELU's alpha (Keras ELU(alpha), TF.js tf.layers.elu({ alpha })): the layer, its config and saved
// form, its gradient in float64, the by-name default (alpha 1, the bits of the old fixed form),
// and the wasm recurrent cells, which run a leakyRelu + elu cell on the js reference (two alphas).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Activation, Dense, ELU, ELU_ALPHA, gradCheck, jsBackend, layerFromConfig, loadModel, Rng, Sequential, Tensor } from '../../src/index.js';
import { w } from '../kernels/helpers.js';

const Z = [-3, -1, -0.25, 0, 0.5, 2];

describe('ELU layer: alpha as Keras and TF.js', () => {
  it('f(z) = alpha (e^z - 1) for z <= 0, z above; alpha defaults to 1 (ELU_ALPHA)', () => {
    assert.equal(ELU_ALPHA, 1);
    const y = new ELU({ alpha: 0.5, dtype: 'float64' }).forward(new Tensor(Float64Array.from(Z), [1, 6]), false);
    assert.deepEqual(Array.from(y.data), Z.map((z) => (z > 0 ? z : 0.5 * Math.expm1(z))));
    const one = new ELU({ dtype: 'float64' }).forward(new Tensor(Float64Array.from(Z), [1, 6]), false);
    assert.deepEqual(Array.from(one.data), Z.map((z) => (z > 0 ? z : Math.expm1(z))));
  });

  it("ELU() and activation: 'elu' give the same bits (float32 and float64), forward and backward", () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = new Tensor(dtype === 'float32' ? Float32Array.from(Z) : Float64Array.from(Z), [2, 3]);
      const dy = new Tensor(dtype === 'float32' ? Float32Array.from([1, 2, 3, 4, 5, 6]) : Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
      const a = new ELU({ dtype }), b = new Activation({ activation: 'elu', dtype });
      assert.deepEqual(Array.from(a.forward(x, true).data), Array.from(b.forward(x, true).data), dtype);
      assert.deepEqual(Array.from(a.backward(dy, true)!.data), Array.from(b.backward(dy, true)!.data), dtype);
    }
  });

  it('refuses a negative or non-finite alpha and an unknown option, naming ELU', () => {
    assert.throws(() => new ELU({ alpha: -1 }), (e: unknown) => e instanceof RangeError && /ELU: alpha/.test(e.message));
    assert.throws(() => new ELU({ alpha: Infinity }), RangeError);
    assert.throws(() => new ELU({ slope: 1 } as never), /ELU.*slope/);
  });

  it('config { alpha } round-trips through layerFromConfig and a saved model', async () => {
    const layer = new ELU({ alpha: 0.25, name: 'elu_a' });
    assert.equal(layer.getConfig()['alpha'], 0.25);
    assert.equal(layer.getConfig()['activation'], undefined);
    const back = layerFromConfig({ ...layer.getConfig(), className: 'ELU' });
    assert.ok(back instanceof ELU);
    assert.equal(back.className, 'ELU');
    const model = new Sequential([new Dense({ units: 3, inputShape: [2] }), new ELU({ alpha: 0.25 })], { seed: 3 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const dir = mkdtempSync(join(tmpdir(), 'nabla-elu-'));
    try {
      await model.save(dir, { overwrite: true });
      const loaded = await loadModel(dir);
      assert.equal(loaded.layers[1]!.getConfig()['alpha'], 0.25);
      const x = new Tensor(Float32Array.from([-2, 1, 0.5, -3]), [2, 2]);
      assert.deepEqual(Array.from(loaded.predict(x).data), Array.from(model.predict(x).data));
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('backprop through ELU(alpha 0.5) equals central differences in float64', () => {
    const rng = new Rng(7);
    const model = new Sequential([
      new Dense({ units: 4, inputShape: [3], dtype: 'float64' }), new ELU({ alpha: 0.5, dtype: 'float64' }),
      new Dense({ units: 2, activation: 'elu', dtype: 'float64' }),
    ], { seed: 11 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = new Tensor(Float64Array.from({ length: 15 }, () => 2 * rng.uniform() - 1), [5, 3]);
    const y = new Tensor(Float64Array.from({ length: 10 }, () => rng.uniform()), [5, 2]);
    const r = gradCheck(model, x, y);
    assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}`);
    assert.equal(r.checked, 3 * 4 + 4 + 4 * 2 + 2);
  });
});

describe('recurrent cells with an alpha per activation', () => {
  it('a wasm LSTM step with leakyRelu and elu gives the js reference bits (that cell runs on js: one alpha could not serve both)', () => {
    const rows = 2, units = 3, n = rows * units;
    const z = Float32Array.from({ length: 4 * n }, (_, i) => Math.sin(i) * 3);
    const cPrev = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
    const hPrev = Float32Array.from({ length: n }, (_, i) => Math.sin(2 * i));
    const step = (k: typeof jsBackend) => {
      const gates = new Float32Array(4 * n), c = new Float32Array(n), h = new Float32Array(n);
      k.lstmStepForward(z, cPrev, hPrev, null, rows, units, 'leakyRelu', 'elu', gates, c, h);
      return [...gates, ...c, ...h];
    };
    const ref = step(jsBackend);
    assert.deepEqual(step(w), ref);
    // the gates' elu used alpha 1 (its own), not leakyRelu's 0.3: gate i of row 0 is elu(z[0]) = z[0] or e^z - 1
    assert.equal(ref[1], Math.fround(z[1]! > 0 ? z[1]! : Math.expm1(z[1]!)));
  });
});
