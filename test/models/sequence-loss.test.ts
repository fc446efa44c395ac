// Per-step losses of sequence outputs [m, T, k] (Keras): each (sample, step) is scored, and with a
// mask (Embedding maskZero, Masking) the loss averages over the unmasked steps only. The expected
// values are computed here from the model's output probabilities by plain loops over the
// unmasked steps (the mask read from the ids), independently of the loss path (float32: 1e-5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Dense, Embedding, gradCheck, LSTM, Masking, mean, Rng, Sequential, SimpleRNN, square, sub, Tensor, type Layer,
} from '../../src/index.js';

const M = 4, T = 5, V = 6, K = 3;
const LENGTHS = [5, 3, 1, 4];

function data(seed: number) {
  const rng = new Rng(seed), ids = new Float32Array(M * T), labels = new Float32Array(M * T), mask: number[] = [];
  for (let b = 0; b < M; b++) for (let t = 0; t < T; t++) {
    const on = t < LENGTHS[b]!;
    mask.push(on ? 1 : 0);
    ids[b * T + t] = on ? 1 + rng.int(V - 1) : 0;
    labels[b * T + t] = rng.int(K);
  }
  return { ids: new Tensor(ids, [M, T]), labels: new Tensor(labels, [M, T]), mask };
}

function model(head: Layer, loss: Parameters<Sequential['compile']>[0]['loss'], seed = 5): Sequential {
  const m = new Sequential([new Embedding({ inputDim: V, outputDim: 4, maskZero: true, inputLength: T, embeddingsInitializer: 'glorotUniform' }),
    new LSTM({ units: 5, returnSequences: true, biasInitializer: 'glorotUniform' }), head], { seed });
  m.compile({ optimizer: 'sgd', loss });
  return m;
}

/** sum over the unmasked steps of f(b, t) / their count. */
function maskedMean(mask: number[], f: (i: number) => number): number {
  let s = 0, n = 0;
  mask.forEach((on, i) => { if (on) { s += f(i); n++; } });
  return s / n;
}

describe('per-step losses on sequence outputs, masked steps left out (Keras)', () => {
  const { ids, labels, mask } = data(1);

  it('sparseCategoricalCrossentropy (softmax fused): mean of -log p over the unmasked steps; evaluate agrees', async () => {
    const m = model(new Dense({ units: K, activation: 'softmax' }), 'sparseCategoricalCrossentropy');
    const p = (m.predict(ids) as Tensor).data;
    const want = maskedMean(mask, (i) => -Math.log(p[i * K + labels.data[i]!]!));
    const got = m.computeGradients(ids, labels).loss as number;
    assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
    const ev = await m.evaluate(ids, labels, { batchSize: 3 }) as { loss: number };
    assert.ok(Math.abs(ev.loss - want) < 1e-5, `evaluate ${ev.loss} vs ${want}`);
  });

  it('targets at masked steps change neither the loss nor any gradient; accuracy counts unmasked steps', () => {
    const m = model(new Dense({ units: K, activation: 'softmax' }), 'sparseCategoricalCrossentropy');
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const a = m.computeGradients(ids, labels), ga = m.trainableParams().map((q) => q.grad.data.slice());
    const other = labels.data.slice();
    mask.forEach((on, i) => { if (!on) other[i] = (other[i]! + 1) % K; });
    const b = m.computeGradients(ids, new Tensor(other, [M, T])), gb = m.trainableParams().map((q) => q.grad.data.slice());
    assert.equal(a.loss, b.loss);
    ga.forEach((g, i) => assert.deepEqual(Array.from(g), Array.from(gb[i]!)));
    assert.equal(a.accuracy, b.accuracy);
    const p = (m.predict(ids) as Tensor).data;
    const argmax = (i: number): number => { let j = 0; for (let c = 1; c < K; c++) if (p[i * K + c]! > p[i * K + j]!) j = c; return j; };
    const want = maskedMean(mask, (i) => (argmax(i) === labels.data[i] ? 1 : 0));
    assert.ok(Math.abs((a.accuracy as number) - want) < 1e-5, `accuracy ${a.accuracy} vs ${want}`);
  });

  it('categoricalCrossentropy from logits and meanSquaredError (not fused) and a function loss', () => {
    const rng = new Rng(2), yr = new Float32Array(M * T * K);
    for (let i = 0; i < M * T; i++) yr[i * K + rng.int(K)] = 1;
    const y = new Tensor(yr, [M, T, K]);
    const logits = model(new Dense({ units: K }), { name: 'categoricalCrossentropy', fromLogits: true });
    const z = (logits.predict(ids) as Tensor).data;
    const ce = maskedMean(mask, (i) => {
      const row = Array.from(z.subarray(i * K, (i + 1) * K)), mx = Math.max(...row);
      const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
      return row.reduce((s, v, c) => s - yr[i * K + c]! * (v - lse), 0);
    });
    assert.ok(Math.abs((logits.computeGradients(ids, y).loss as number) - ce) < 1e-5);
    for (const loss of ['meanSquaredError', function mse(a: Tensor, b: Tensor): Tensor { return mean(square(sub(a, b)), -1); }] as const) {
      const net = model(new Dense({ units: K, activation: 'tanh' }), loss);
      const a = (net.predict(ids) as Tensor).data;
      const want = maskedMean(mask, (i) => { let s = 0; for (let c = 0; c < K; c++) s += (a[i * K + c]! - yr[i * K + c]!) ** 2; return s / K; });
      const got = net.computeGradients(ids, y).loss as number;
      assert.ok(Math.abs(got - want) < 1e-5, `${typeof loss === 'string' ? loss : 'function'}: ${got} vs ${want}`);
    }
  });

  it('without a mask a sequence output is averaged over all m T steps (Keras), not summed per sample', () => {
    const net = new Sequential([new SimpleRNN({ units: 4, returnSequences: true, inputShape: [T, 2] }), new Dense({ units: K, activation: 'softmax' })], { seed: 3 });
    net.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = new Tensor(Float32Array.from({ length: M * T * 2 }, (_, i) => Math.sin(i)), [M, T, 2]);
    const p = (net.predict(x) as Tensor).data;
    const want = maskedMean(mask.map(() => 1), (i) => -Math.log(p[i * K + labels.data[i]!]!));
    assert.ok(Math.abs((net.computeGradients(x, labels).loss as number) - want) < 1e-5);
  });

  it('gradCheck below 1e-6 with masks (Embedding maskZero, and Masking) for fused, general and function losses', () => {
    const rng = new Rng(4), y = new Tensor(Float32Array.from({ length: M * T * K }, () => rng.normal()), [M, T, K]);
    const cases: [string, Sequential, Tensor, Tensor][] = [
      ['sparse CE, softmax fused', model(new Dense({ units: K, activation: 'softmax' }), 'sparseCategoricalCrossentropy', 6), ids, labels],
      ['MSE', model(new Dense({ units: K, activation: 'tanh' }), 'meanSquaredError', 7), ids, y],
      ['function loss', model(new Dense({ units: K }), function mse(a: Tensor, b: Tensor): Tensor { return mean(square(sub(a, b)), -1); }, 8), ids, y],
    ];
    const xm = new Float32Array(M * T * 2);
    mask.forEach((on, i) => { if (on) { xm[2 * i] = Math.cos(i); xm[2 * i + 1] = Math.sin(3 * i); } });
    const masking = new Sequential([new Masking({ maskValue: 0, inputShape: [T, 2] }), new SimpleRNN({ units: 4, returnSequences: true }), new Dense({ units: K })], { seed: 9 });
    masking.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    cases.push(['Masking + SimpleRNN, MSE', masking, new Tensor(xm, [M, T, 2]), y]);
    for (const [label, net, x, t] of cases) {
      const r = gradCheck(net, x, t, { floor: 1e-4 }); // as the recurrent suites: entries near 0 compared absolutely
      assert.ok(r.maxRelativeError < 1e-6, `${label}: ${r.maxRelativeError} at ${r.where} ${r.analytic} ${r.numeric}`);
    }
  });

  it('labels: class indices [m, T] are checked against the classes; [m] is refused for a sequence output', async () => {
    const m = model(new Dense({ units: K, activation: 'softmax' }), 'sparseCategoricalCrossentropy');
    await assert.rejects(m.fit(ids, new Tensor(new Float32Array(M), [M]), { epochs: 1, verbose: 0 }), /class indices of shape \[n, 5\]/);
    const bad = labels.data.slice(); bad[3] = K;
    await assert.rejects(m.fit(ids, new Tensor(bad, [M, T]), { epochs: 1, verbose: 0 }), /labels must be integers in \[0, 3\)/);
  });
});
