// Determinism and the weights API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, Dropout, Rng, Sequential, Tensor, tensor } from '../../src/index.js';

function toyData(n: number, seed: number): [Tensor, Tensor] {
  const rng = new Rng(seed), x = new Float32Array(n * 4), y = new Float32Array(n);
  for (let i = 0; i < n; i++) { for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal(); y[i] = x[i * 4]! + x[i * 4 + 1]! > 0 ? 1 : 0; }
  return [new Tensor(x, [n, 4]), new Tensor(y, [n])];
}

async function train(seed: number): Promise<Tensor[]> {
  const [x, y] = toyData(100, 9);
  const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [4] }), new Dropout({ rate: 0.3 }), new Dense({ units: 2, activation: 'softmax' })], { seed });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 16 });
  return model.getWeights();
}

describe('weights and determinism', () => {
  it('the same seed gives bit-identical weights after training twice; another seed differs', async () => {
    const a = await train(5), b = await train(5), c = await train(6);
    assert.equal(a.length, 4);
    a.forEach((t, i) => assert.deepEqual(Buffer.from(t.data.buffer), Buffer.from(b[i]!.data.buffer)));
    assert.notDeepEqual(Array.from(a[0]!.data), Array.from(c[0]!.data));
  });

  it('a Dense kernel has shape [in, out] and bias [out]; getWeights/setWeights round-trip exactly', () => {
    const model = new Sequential([new Dense({ units: 3, inputShape: [5] }), new Dense({ units: 2, useBias: false })], { seed: 1 });
    model.build();
    const w = model.getWeights();
    assert.deepEqual(w.map((t) => t.shape), [[5, 3], [3], [3, 2]]);
    const fresh = w.map((t) => new Tensor(Float32Array.from(t.data, (_, i) => i * 0.25 - 1), t.shape));
    model.setWeights(fresh);
    model.getWeights().forEach((t, i) => assert.deepEqual(Array.from(t.data), Array.from(fresh[i]!.data)));
  });

  it('getWeights returns copies: changing one changes nothing in the model', () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [2] })], { seed: 1 });
    model.build();
    const x = tensor([[1, 2]]);
    const before = Array.from(model.predict(x).data);
    const w = model.getWeights();
    w[0]!.data.fill(100); w[1]!.data.fill(100);
    assert.deepEqual(Array.from(model.predict(x).data), before);
  });

  it('predict returns a copy that the next predict does not overwrite', () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [2] })], { seed: 1 });
    const p1 = model.predict(tensor([[1, 2]]));
    const saved = Array.from(p1.data);
    model.predict(tensor([[-3, 4]]));
    assert.deepEqual(Array.from(p1.data), saved);
  });

  it('setWeights refuses a wrong count or shape, naming the weight', () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [3], name: 'hidden' })]);
    model.build();
    assert.throws(() => model.setWeights([tensor([[1, 2]])]), /has 2 weight tensors \(hidden\/kernel, hidden\/bias\), got 1/);
    assert.throws(() => model.setWeights([tensor([[1, 2]]), tensor([1, 2])]), /'hidden\/kernel' has shape \[3, 2\], got \[1, 2\]/);
  });

  it('Dropout: inverted, seeded, identity at inference', () => {
    const layer = new Dropout({ rate: 0.25, seed: 3, name: 'drop' });
    const x = new Tensor(new Float32Array(4000).fill(1), [1000, 4]);
    assert.equal(layer.forward(x, false), x, 'inference returns the input itself');
    const a = Array.from(layer.forward(x, true).data);
    const kept = a.filter((v) => v !== 0);
    assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6), 'kept units scaled by 1/(1 - rate)');
    assert.ok(Math.abs(kept.length / 4000 - 0.75) < 0.03, `kept fraction ${kept.length / 4000}`);
    const again = new Dropout({ rate: 0.25, seed: 3, name: 'drop' });
    assert.deepEqual(Array.from(again.forward(x, true).data), a, 'same seed, same mask');
    const dy = new Tensor(new Float32Array(4000).fill(2), [1000, 4]);
    const dx = Array.from(layer.backward(dy, true)!.data);
    const mask = Array.from(layer.forward(x, true).data); // a new mask; the backward uses the latest one
    assert.deepEqual(Array.from(layer.backward(dy, true)!.data), mask.map((m) => 2 * m));
    assert.equal(dx.length, 4000);
  });

  it('summary prints a Keras-style table with output shapes and parameter counts', () => {
    const model = new Sequential([new Dense({ units: 128, activation: 'relu', inputShape: [784] }), new Dense({ units: 10, activation: 'softmax' })]);
    const s = model.summary();
    assert.match(s, /dense_1 \(Dense\)\s+\(None, 128\)\s+100,480/);
    assert.match(s, /dense_2 \(Dense\)\s+\(None, 10\)\s+1,290/);
    assert.match(s, /Total params: 101,770/);
  });
});
