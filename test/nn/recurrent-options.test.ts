// Recurrent layers' options beyond the cell: Bidirectional (each merge mode against its two halves)
// and TimeDistributed, dispose of the wrappers, stateful layers and resetStates, apply() with
// returnState / initialState, dropout and recurrentDropout (backprop against finite differences with
// the masks' stream replayed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Bidirectional, Dense, gradCheck, GRU, LSTM, Rng, Sequential, SimpleRNN, Tensor, TimeDistributed, type MergeMode, type RecurrentLayer,
} from '../../src/index.js';
import { B, CELLS, close, F, sequences, T, targets, U } from './recurrent-helpers.js';

describe('Bidirectional and TimeDistributed', () => {
  it('Bidirectional concat = [forward LSTM, the goBackwards LSTM re-reversed in time]; sum/mul/ave merge them', () => {
    const x = sequences(new Rng(41), false), u = U;
    const mk = (mergeMode: MergeMode) => new Sequential([new Bidirectional({ layer: new LSTM({ units: u, returnSequences: true, dtype: 'float64' }), mergeMode, inputShape: [T, F] })], { seed: 6 });
    const concat = mk('concat'), w = concat.getWeights();
    assert.deepEqual(concat.weightNames(), ['bidirectional_1.forward/kernel', 'bidirectional_1.forward/recurrent_kernel', 'bidirectional_1.forward/bias',
      'bidirectional_1.backward/kernel', 'bidirectional_1.backward/recurrent_kernel', 'bidirectional_1.backward/bias']);
    const fwd = new Sequential([new LSTM({ units: u, returnSequences: true, inputShape: [T, F], dtype: 'float64' })], { seed: 1 });
    const back = new Sequential([new LSTM({ units: u, returnSequences: true, goBackwards: true, inputShape: [T, F], dtype: 'float64' })], { seed: 1 });
    fwd.setWeights(w.slice(0, 3)); back.setWeights(w.slice(3));
    const yf = fwd.predict(x).data, yb = back.predict(x).data, y = concat.predict(x).data;
    const at = (n: number, t: number, j: number) => (n * T + t) * u + j;
    for (let n = 0; n < B; n++) for (let t = 0; t < T; t++) for (let j = 0; j < u; j++) {
      assert.equal(y[(n * T + t) * 2 * u + j], yf[at(n, t, j)]);
      assert.equal(y[(n * T + t) * 2 * u + u + j], yb[at(n, T - 1 - t, j)]);
    }
    for (const mode of ['sum', 'mul', 'ave'] as const) {
      const m = mk(mode); m.setWeights(w);
      const got = m.predict(x).data;
      for (let n = 0; n < B; n++) for (let t = 0; t < T; t++) for (let j = 0; j < u; j++) {
        const a = yf[at(n, t, j)]!, b = yb[at(n, T - 1 - t, j)]!;
        assert.ok(Math.abs(got[at(n, t, j)]! - (mode === 'sum' ? a + b : mode === 'mul' ? a * b : (a + b) / 2)) < 1e-15, mode);
      }
    }
  });
  it('TimeDistributed(Dense) equals Dense on the last axis, with the weights named after the wrapper', () => {
    const x = sequences(new Rng(42), false);
    const td = new Sequential([new TimeDistributed({ layer: new Dense({ units: 3, activation: 'tanh', dtype: 'float64' }), inputShape: [T, F] })], { seed: 2 });
    const d = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [T, F], dtype: 'float64' })], { seed: 2 });
    assert.deepEqual(td.weightNames(), ['time_distributed_1/kernel', 'time_distributed_1/bias']);
    d.setWeights(td.getWeights());
    close(td.predict(x).data, d.predict(x).data, 0, 'outputs');
  });
  it('dispose frees the wrapped layers once; the model then refuses to run', () => {
    const m = new Sequential([new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }), inputShape: [T, F] }), new TimeDistributed({ layer: new Dense({ units: 2 }) })], { seed: 3 });
    const x = sequences(new Rng(43), false).cast('float32');
    m.predict(x);
    m.dispose();
    assert.throws(() => m.predict(x), /was disposed/);
    assert.ok(m.layers.every((l) => l.disposed));
  });
  it('options are validated', () => {
    assert.throws(() => new Bidirectional({ layer: new Dense({ units: 2 }) as never }), /layer must be a recurrent layer/);
    assert.throws(() => new Bidirectional({ layer: new LSTM({ units: 2 }), mergeMode: 'max' as never }), /mergeMode must be one of concat, sum, mul, ave/);
    assert.throws(() => new Bidirectional({ layer: new LSTM({ units: 2, stateful: true }) }), /may not be stateful/);
    assert.throws(() => new TimeDistributed({} as never), /expected \{ layer \}/);
  });
});

describe('stateful, resetStates, returnState and initialState', () => {
  /** [B, 2T, F] and its two halves [B, T, F]. */
  function halves(rng: Rng): [Tensor, Tensor, Tensor] {
    const whole = new Tensor(new Float64Array(B * 2 * T * F), [B, 2 * T, F]);
    for (let i = 0; i < whole.size; i++) whole.data[i] = rng.normal();
    const a = new Tensor(new Float64Array(B * T * F), [B, T, F]), b = new Tensor(new Float64Array(B * T * F), [B, T, F]);
    for (let n = 0; n < B; n++) {
      a.data.set(whole.data.subarray(n * 2 * T * F, (n * 2 + 1) * T * F), n * T * F);
      b.data.set(whole.data.subarray((n * 2 + 1) * T * F, (n + 1) * 2 * T * F), n * T * F);
    }
    return [whole, a, b];
  }
  for (const cell of ['SimpleRNN', 'LSTM', 'GRU'] as const) {
    it(`${cell}: a stateful layer fed two halves ends where the whole sequence ends; resetStates restarts`, () => {
      const [whole, a, b] = halves(new Rng(31));
      const ref = new Sequential([CELLS[cell]({ units: U, dtype: 'float64', inputShape: [2 * T, F] })], { seed: 4 });
      const st = new Sequential([CELLS[cell]({ units: U, dtype: 'float64', stateful: true, inputShape: [T, F] })], { seed: 4 });
      st.setWeights(ref.getWeights());
      const first = st.predict(a).data.slice();
      close(st.predict(b).data, ref.predict(whole).data, 1e-12, 'continued');
      (st.layers[0] as RecurrentLayer).resetStates();
      close(st.predict(a).data, first, 0, 'after resetStates');
      assert.throws(() => st.predict(new Tensor(new Float64Array(2 * T * F), [2, T, F])), /stateful, with states for a batch of 4, got a batch of 2/);
    });
    it(`${cell}: apply() with returnState gives the last states, and initialState continues from them`, () => {
      const [whole, a, b] = halves(new Rng(32));
      const ref = CELLS[cell]({ units: U, dtype: 'float64' }), layer = CELLS[cell]({ units: U, dtype: 'float64', returnState: true });
      ref.build([B, 2 * T, F]); layer.build([B, T, F]);
      layer.params().forEach((p, i) => p.value.data.set(ref.params()[i]!.value.data));
      const [y, ...states] = layer.apply(a);
      assert.equal(states.length, cell === 'LSTM' ? 2 : 1);
      close(states[0]!.data, y!.data, 0, 'h is the output');
      const [y2] = layer.apply(b, { initialState: states });
      close(y2!.data, ref.apply(whole)[0]!.data, 1e-12, 'continued from the states');
      assert.throws(() => layer.apply(b, { initialState: [new Tensor(new Float64Array(3), [1, 3])] }), /initialState must be/);
      const m = new Sequential([CELLS[cell]({ units: U, returnState: true, inputShape: [T, F] })], { seed: 1 });
      assert.throws(() => m.predict(a.cast('float32')), /returnState gives several tensors, which a Sequential cannot pass on/);
    });
  }
});

describe('dropout and recurrentDropout (masks fixed per sequence, as Keras)', () => {
  const cases: [string, () => RecurrentLayer][] = [
    ['SimpleRNN dropout 0.3, recurrentDropout 0.4', () => new SimpleRNN({ units: U, dropout: 0.3, recurrentDropout: 0.4, dtype: 'float64', biasInitializer: 'glorotUniform', returnSequences: true })],
    ['LSTM dropout 0.3, recurrentDropout 0.4', () => new LSTM({ units: U, dropout: 0.3, recurrentDropout: 0.4, dtype: 'float64', biasInitializer: 'glorotUniform' })],
    ['GRU dropout 0.5', () => new GRU({ units: U, dropout: 0.5, dtype: 'float64', biasInitializer: 'glorotUniform', returnSequences: true })],
    ['GRU resetAfter false, dropout 0.5', () => new GRU({ units: U, dropout: 0.5, resetAfter: false, dtype: 'float64', biasInitializer: 'glorotUniform' })],
    ['GRU dropout 0.3, recurrentDropout 0.4', () => new GRU({ units: U, dropout: 0.3, recurrentDropout: 0.4, dtype: 'float64', biasInitializer: 'glorotUniform', returnSequences: true })],
    ['GRU resetAfter false, recurrentDropout 0.4', () => new GRU({ units: U, recurrentDropout: 0.4, resetAfter: false, dtype: 'float64', biasInitializer: 'glorotUniform' })],
  ];
  for (const [label, make] of cases) {
    it(`${label}: inference is unaffected; with the masks' stream replayed, backprop equals finite differences`, () => {
      const x = sequences(new Rng(51), false), layer = make(), plain = make();
      layer.build(x.shape); plain.build(x.shape);
      assert.equal(layer.stochastic, true);
      plain.params().forEach((p, i) => p.value.data.set(layer.params()[i]!.value.data));
      close(layer.forward(x, false).data, plain.forward(x, false).data, 0, 'inference output');
      const s0 = layer.getRngState()!;
      const y = layer.forward(x, true), g = targets(new Rng(52), [...y.shape]);
      assert.ok(y.data.some((v, i) => Math.abs(v - plain.forward(x, false).data[i]!) > 1e-6), 'training output differs');
      const dx = layer.backward(g, true)!.data.slice();
      const loss = (): number => { layer.setRngState(s0); const out = layer.forward(x, true); let c = 0; for (let i = 0; i < out.size; i++) c += out.data[i]! * g.data[i]!; return c; };
      for (const p of layer.params()) {
        const analytic = p.grad.data.slice();
        for (let i = 0; i < p.value.size; i += 3) {
          const w0 = p.value.data[i]!;
          p.value.data[i] = w0 + 1e-6; const plus = loss();
          p.value.data[i] = w0 - 1e-6; const minus = loss();
          p.value.data[i] = w0;
          const numeric = (plus - minus) / 2e-6;
          assert.ok(Math.abs(numeric - analytic[i]!) <= 1e-6 * Math.max(1e-2, Math.abs(numeric) + Math.abs(analytic[i]!)), `${p.name}[${i}]: ${analytic[i]} vs ${numeric}`);
        }
      }
      for (let i = 0; i < x.size; i += 2) { // dx, through the input mask
        const x0 = x.data[i]!;
        x.data[i] = x0 + 1e-6; const plus = loss();
        x.data[i] = x0 - 1e-6; const minus = loss();
        x.data[i] = x0;
        const numeric = (plus - minus) / 2e-6;
        assert.ok(Math.abs(numeric - dx[i]!) <= 1e-6 * Math.max(1e-2, Math.abs(numeric) + Math.abs(dx[i]!)), `dx[${i}]: ${dx[i]} vs ${numeric}`);
      }
    });
  }
  it('the same seed draws the same masks; gradCheck refuses a layer with dropout', () => {
    const x = sequences(new Rng(53), false).cast('float32');
    const mk = () => new Sequential([new LSTM({ units: U, dropout: 0.5, recurrentDropout: 0.5, inputShape: [T, F] }), new Dense({ units: 2 })], { seed: 8 });
    const a = mk(), b = mk();
    a.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); b.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const y = targets(new Rng(54), [B, 2]).cast('float32');
    assert.equal(a.computeGradients(x, y).loss, b.computeGradients(x, y).loss);
    assert.throws(() => gradCheck(a, x, y), /draws random numbers in training mode/);
    assert.throws(() => new LSTM({ units: 2, dropout: 1 }), /dropout must be a number in \[0, 1\)/);
  });
});

