// Layers written with ops (src/nn/custom-layer.ts): call() + addWeight, no hand-written backward.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  concat, CustomLayer, Dense, gradCheck, loadModel, mean, memory, registerLayer, relu, Rng, Sequential, sqrt, sum, Tensor,
  type CallArgs, type LayerArgs, type LayerConfig,
} from '../../src/index.js';

/**
 * The tfjs-examples `custom-layer` idea (Keras's antirectifier example): centre each sample, scale it
 * to unit L2 norm, and concatenate its positive and negative parts: [batch, d] -> [batch, 2d].
 */
class Antirectifier extends CustomLayer {
  static className = 'Antirectifier';
  call(x: Tensor): Tensor {
    const c = x.sub(mean(x, 1, true));
    const unit = c.div(sqrt(sum(c.square(), 1, true).add(1e-12)));
    return concat([relu(unit), relu(unit.neg())], 1);
  }
}

/** A dense layer written with ops and addWeight: tanh(x W + b), weights declared in buildParams. */
class OpsDense extends CustomLayer {
  static className = 'OpsDense';
  readonly units: number;
  private w: Tensor | null = null;
  private b: Tensor | null = null;
  constructor(args: LayerArgs & { units: number }) { super(args); this.units = args.units; }
  protected override buildParams(inputShape: readonly number[]): void {
    this.w = this.addWeight('kernel', [inputShape[inputShape.length - 1]!, this.units]);
    this.b = this.addWeight('bias', [this.units], undefined, 'zeros');
  }
  call(x: Tensor, _args: CallArgs): Tensor { return x.matMul(this.w!).add(this.b!).tanh(); }
  override getConfig(): LayerConfig { return { ...super.getConfig(), units: this.units }; }
}
registerLayer('OpsDense', (o) => new OpsDense(o as unknown as LayerArgs & { units: number }));

function data(n: number, d: number, seed: number, dtype: 'float32' | 'float64' = 'float64'): [Tensor, Tensor] {
  const rng = new Rng(seed), X = dtype === 'float64' ? new Float64Array(n * d) : new Float32Array(n * d), Y = dtype === 'float64' ? new Float64Array(n * 2) : new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) { X[i * d + j] = rng.normal(); s += X[i * d + j]! * (j % 2 ? 1 : -1); }
    Y[i * 2 + (s > 0 ? 1 : 0)] = 1;
  }
  return [new Tensor(X, [n, d]), new Tensor(Y, [n, 2])];
}

describe('custom layers (call + addWeight)', () => {
  it('an ops Dense trains exactly as the built-in Dense from the same weights (float64, 10 SGD steps)', async () => {
    const [x, y] = data(16, 3, 1);
    const ops = new Sequential([new OpsDense({ units: 4, inputShape: [3], dtype: 'float64' }), new Dense({ units: 2, activation: 'softmax', dtype: 'float64' })], { seed: 3 });
    const fused = new Sequential([new Dense({ units: 4, activation: 'tanh', inputShape: [3], dtype: 'float64' }), new Dense({ units: 2, activation: 'softmax', dtype: 'float64' })], { seed: 3 });
    assert.deepEqual(ops.weightNames(), ['ops_dense_1/kernel', 'ops_dense_1/bias', 'dense_1/kernel', 'dense_1/bias']);
    fused.setWeights(ops.getWeights());
    for (const m of [ops, fused]) m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    for (let i = 0; i < 10; i++) {
      const a = await ops.trainOnBatch(x, y), b = await fused.trainOnBatch(x, y);
      assert.ok(Math.abs(a.loss! - b.loss!) < 1e-12, `step ${i}: ${a.loss} vs ${b.loss}`);
    }
    ops.getWeights().forEach((w, i) => w.data.forEach((v, j) => assert.ok(Math.abs(v - fused.getWeights()[i]!.data[j]!) < 1e-12)));
    assert.equal(ops.summary(undefined, undefined, () => {}).includes('16'), true); // 3*4 + 4 parameters
  });

  it("its gradients agree with central differences (gradCheck, no registerLayer needed), with the antirectifier between two layers", () => {
    const [x, y] = data(5, 3, 2);
    const model = new Sequential([new OpsDense({ units: 3, inputShape: [3], dtype: 'float64' }), new Antirectifier({ dtype: 'float64' }), new Dense({ units: 2, activation: 'softmax', dtype: 'float64' })], { seed: 4 });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    assert.deepEqual(model.outputShape.slice(1), [2]);
    assert.deepEqual(model.layers[1]!.computeOutputShape([1, 3]), [1, 6]);
    const r = gradCheck(model, x, y);
    assert.ok(r.maxRelativeError < 1e-7, `${r.maxRelativeError} at ${r.where}`);
    assert.equal(r.checked, 3 * 3 + 3 + 6 * 2 + 2);
  });

  it('countParams comes from the addWeight shapes without building', () => {
    assert.equal(new OpsDense({ units: 5 }).countParams([1, 7]), 7 * 5 + 5);
    assert.equal(new Antirectifier({}).countParams([1, 7]), 0);
  });

  it('backward needs a forward that recorded the tape (training mode)', () => {
    const layer = new OpsDense({ units: 2, dtype: 'float64' }), x = new Tensor(Float64Array.from([1, 2, 3]), [1, 3]);
    assert.throws(() => layer.backward(new Tensor(new Float64Array(2), [1, 2]), true), /backward called before forward/);
    layer.forward(x, false);
    assert.throws(() => layer.backward(new Tensor(new Float64Array(2), [1, 2]), true), /inference mode, which records no tape/);
    layer.forward(x, true);
    const dx = layer.backward(new Tensor(Float64Array.from([1, 0]), [1, 2]), true)!;
    assert.deepEqual(dx.shape, [1, 3]);
    layer.dispose();
  });

  it('a model mixing both kinds learns, saves, and loads through registerLayer or customObjects', async () => {
    const [x, y] = data(64, 4, 5, 'float32');
    const model = new Sequential([new Dense({ units: 8, inputShape: [4] }), new Antirectifier({}), new OpsDense({ units: 6 }), new Dense({ units: 2, activation: 'softmax' })], { seed: 7 });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 40, batchSize: 16 });
    const losses = h.history['loss']!;
    assert.ok(losses[losses.length - 1]! < 0.5 * losses[0]!, `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
    const dir = mkdtempSync(join(tmpdir(), 'nabla-custom-layer-'));
    try {
      await model.save(dir, { overwrite: true });
      const a = await loadModel(dir, { customObjects: { Antirectifier } });
      const want = model.predict(x).data;
      a.predict(x).data.forEach((v, i) => assert.equal(v, want[i]));
      assert.deepEqual(a.evaluate(x, y), model.evaluate(x, y));
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('training with a custom layer and a function loss keeps memory() flat', async () => {
    const [x, y] = data(32, 4, 6, 'float32');
    const model = new Sequential([new OpsDense({ units: 5, inputShape: [4] }), new Antirectifier({}), new Dense({ units: 2, activation: 'softmax' })], { seed: 8 });
    const ce = function ce(yt: Tensor, yp: Tensor) { return sum(yt.mul(yp.clipByValue(1e-7, 1).log()), -1).neg(); };
    model.compile({ optimizer: 'adam', loss: ce, metrics: [ce] });
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    const before = memory();
    await model.fit(x, y, { epochs: 5, batchSize: 8 });
    model.evaluate(x, y); model.predict(x);
    await model.fit(x, y, { epochs: 1, batchSize: 8 });
    assert.deepEqual(memory(), before);
    model.dispose();
    assert.ok(memory().numTensors < before.numTensors, 'dispose frees the last forward pass');
  });

  it('a class neither registered nor passed is refused naming it', async () => {
    class Unknown extends CustomLayer { call(x: Tensor): Tensor { return x.mul(2); } }
    const model = new Sequential([new Unknown({ inputShape: [2] })], { seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'nabla-custom-layer-'));
    try {
      await model.save(dir, { overwrite: true });
      await assert.rejects(loadModel(dir), /unknown layer class "Unknown"/);
      const m = await loadModel(dir, { customObjects: { Unknown } });
      assert.deepEqual(Array.from(m.predict([[1, 2]]).data), [2, 4]);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
