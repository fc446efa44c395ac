// A built-in layer called on a tape (layer.call(x) inside grad/valueAndGrads): one tape node running
// the fused forward/backward (src/nn/layer-on-tape.ts), with the same gradients as the layer written
// with ops; and gradCheck of an unregistered CustomLayer that takes options.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CustomLayer, Dense, gradCheck, grad, logSoftmax, matMul, mean, memory, mul, neg, Rng, Sequential, sum, tanh, Tensor, tidy, valueAndGrads,
  type LayerArgs, type LayerConfig,
} from '../../src/index.js';
import { nodeOf, type AnyTensor } from '../../src/ops/engine.js';

function normal(rng: Rng, shape: number[]): Tensor {
  const a = new Float64Array(shape.reduce((p, d) => p * d, 1));
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return new Tensor(a, shape);
}

describe('layer.call on a tape', () => {
  it('a Dense is one tape node whose gradients equal the same layer written with ops (float64)', () => {
    const rng = new Rng(5);
    const dense = new Dense({ units: 4, activation: 'tanh', inputShape: [3], dtype: 'float64' });
    const x = normal(rng, [6, 3]), y = normal(rng, [6, 4]);
    dense.build([6, 3]);
    const [kernel, bias] = dense.params().map((p) => p.value) as [Tensor, Tensor];
    kernel.data.set(normal(rng, [3, 4]).data); bias.data.set(normal(rng, [4]).data);
    const loss = (out: Tensor) => mean(mul(sum(mul(out, y), -1), out.sum(-1)));
    let op = '', inputs = 0;
    const fused = valueAndGrads((xx, k, b) => {
      const out = dense.call(xx);
      const node = nodeOf(out as AnyTensor);
      op = node?.op ?? ''; inputs = node?.inputs.length ?? 0;
      assert.equal(node?.inputs[1], k); assert.equal(node?.inputs[2], b);
      return loss(out);
    })([x, kernel, bias]);
    assert.equal(op, 'Dense');
    assert.equal(inputs, 3);
    const ops = valueAndGrads((xx, k, b) => loss(tanh(matMul(xx, k).add(b))))([x, kernel, bias]);
    assert.ok(Math.abs(fused.value.data[0]! - ops.value.data[0]!) < 1e-12);
    fused.grads.forEach((g, i) => {
      assert.deepEqual(g.shape, ops.grads[i]!.shape);
      g.data.forEach((v, j) => assert.ok(Math.abs(v - ops.grads[i]!.data[j]!) < 1e-12, `input ${i}[${j}]: ${v} vs ${ops.grads[i]!.data[j]}`));
    });
    // the weights' grad buffers hold the same gradients, as a model's backward leaves them
    dense.params().forEach((p, i) => p.grad.data.forEach((v, j) => assert.ok(Math.abs(v - ops.grads[i + 1]!.data[j]!) < 1e-12)));
  });

  it('outside a gradient call it is a plain forward, and a training loop keeps memory() flat', () => {
    const rng = new Rng(6);
    const d1 = new Dense({ units: 5, activation: 'relu', inputShape: [4] }), d2 = new Dense({ units: 3 });
    const x = new Tensor(Float32Array.from(normal(rng, [8, 4]).data), [8, 4]);
    const yOneHot = new Tensor(new Float32Array(24).map((_, i) => (i % 3 === (i / 3 | 0) % 3 ? 1 : 0)), [8, 3]);
    const y0 = tidy(() => d2.call(d1.call(x)).dataSync());
    assert.equal(y0.length, 24);
    const params = [...d1.params(), ...d2.params()];
    const losses: number[] = [];
    let before = 0;
    for (let step = 0; step < 30; step++) {
      if (step === 5) before = memory().numTensors;
      tidy(() => {
        const { value, grads } = valueAndGrads(() => mean(neg(sum(mul(yOneHot, logSoftmax(d2.call(d1.call(x)))), -1))))(params.map((p) => p.value));
        losses.push(value.dataSync()[0]!);
        params.forEach((p, i) => { const g = grads[i]!.data; const w = p.value.data; for (let j = 0; j < w.length; j++) w[j] -= 0.5 * g[j]!; });
      });
    }
    assert.equal(memory().numTensors, before);
    assert.ok(losses[29]! < losses[0]! * 0.7, `the loss falls: ${losses[0]} -> ${losses[29]}`);
  });

  it('refuses a layer called twice before its gradient, and a second derivative through it', () => {
    const dense = new Dense({ units: 2, inputShape: [2], dtype: 'float64' });
    const x = new Tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
    assert.throws(() => grad((xx) => dense.call(dense.call(xx)))(x), /called again on the tape before the gradient of an earlier call/);
    assert.throws(() => grad((xx) => grad((z) => dense.call(z).square())(xx).sum())(x), /second derivative through a built-in layer's fused backward/);
  });
});

/** A custom layer with an option, never registered: y = x * scale + w. */
class Shift extends CustomLayer {
  static className = 'ShiftUnregistered';
  readonly scale: number;
  private w: Tensor | null = null;
  constructor(args: LayerArgs & { scale?: number }) { super(args); this.scale = args.scale ?? 1; }
  protected override buildParams(inputShape: readonly number[]): void { this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!], undefined, 'glorotUniform'); }
  call(x: Tensor): Tensor { return x.mul(this.scale).add(this.w!).square(); }
  override getConfig(): LayerConfig { return { ...super.getConfig(), scale: this.scale }; }
}

describe('gradCheck of a CustomLayer', () => {
  it('needs no registerLayer: the float64 copy is made from the layer\'s own class and options', () => {
    const rng = new Rng(9);
    const model = new Sequential([new Shift({ scale: 0.5, inputShape: [3], dtype: 'float64' }), new Dense({ units: 2, activation: 'softmax', dtype: 'float64' })], { seed: 2 });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const x = normal(rng, [4, 3]), y = new Tensor(new Float64Array([1, 0, 0, 1, 1, 0, 0, 1]), [4, 2]);
    const r = gradCheck(model, x, y);
    assert.ok(r.maxRelativeError < 1e-7, `${r.maxRelativeError} at ${r.where}`);
    assert.equal(r.checked, 3 + 3 * 2 + 2);
    model.dispose();
  });
});
