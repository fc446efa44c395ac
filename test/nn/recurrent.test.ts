// SimpleRNN, LSTM and GRU inside models: gradCheck (float64) over every combination of cell x
// returnSequences x mask source (none, Masking, Embedding(maskZero)) x goBackwards x stacking (a
// superset of a pairwise covering), masks with unequal lengths; mask semantics (a padded sequence
// gives the shorter sequence's output), goBackwards as a reversed input, Dense on rank 3, parameter
// counts as Keras reports them, the orthogonal initialiser, config and save/load round trips.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  Dense, Embedding, gradCheck, GRU, initializers, layerFromConfig, loadModel, LSTM, Masking, Rng, Sequential, SimpleRNN, Tensor,
  Bidirectional, TimeDistributed, type Layer, type MergeMode, type RecurrentArgs, type RecurrentLayer,
} from '../../src/index.js';

/** The cells under test; 'GRU resetAfter false' is Keras's reset-before GRU (bias [3u]). */
const CELLS = {
  SimpleRNN: (o: RecurrentArgs) => new SimpleRNN(o), LSTM: (o: RecurrentArgs) => new LSTM(o), GRU: (o: RecurrentArgs) => new GRU(o),
  'GRU resetAfter false': (o: RecurrentArgs) => new GRU({ ...o, resetAfter: false }),
  'Bidirectional(LSTM) concat': (o: RecurrentArgs) => bi(new LSTM(inner(o)), 'concat', o),
  'Bidirectional(GRU) sum': (o: RecurrentArgs) => bi(new GRU(inner(o)), 'sum', o),
  'Bidirectional(SimpleRNN) mul': (o: RecurrentArgs) => bi(new SimpleRNN(inner(o)), 'mul', o),
  'Bidirectional(LSTM) ave': (o: RecurrentArgs) => bi(new LSTM(inner(o)), 'ave', o),
} as const;
/** The options without inputShape (it goes to the wrapper). */
function inner(o: RecurrentArgs): RecurrentArgs { const { inputShape: _s, ...rest } = o; return rest; }
function bi(layer: RecurrentLayer, mergeMode: MergeMode, o: RecurrentArgs): Bidirectional {
  return new Bidirectional({ layer, mergeMode, ...(o.inputShape ? { inputShape: o.inputShape } : {}), ...(o.dtype ? { dtype: o.dtype } : {}) });
}
type CellName = keyof typeof CELLS;
const B = 4, T = 5, F = 2, U = 3, VOCAB = 6;
/** Valid lengths per sample: full, trailing padding, one step, and leading padding (steps 0-1 masked). */
const LENGTHS: [number, number][] = [[0, 5], [0, 3], [0, 1], [2, 5]];

/** |x| in [0.1, 1] with random signs; masked steps (outside LENGTHS) are 0. */
function sequences(rng: Rng, masked: boolean): Tensor {
  const d = new Float64Array(B * T * F);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) {
    if (masked && (t < LENGTHS[b]![0] || t >= LENGTHS[b]![1])) continue;
    for (let f = 0; f < F; f++) d[(b * T + t) * F + f] = (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.uniform());
  }
  return new Tensor(d, [B, T, F]);
}

/** Ids in [1, VOCAB) where present, 0 where padded. */
function ids(rng: Rng): Tensor {
  const d = new Float64Array(B * T);
  for (let b = 0; b < B; b++) for (let t = LENGTHS[b]![0]; t < LENGTHS[b]![1]; t++) d[b * T + t] = 1 + rng.int(VOCAB - 1);
  return new Tensor(d, [B, T]);
}

function targets(rng: Rng, shape: number[]): Tensor {
  return new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape);
}

type MaskSource = 'none' | 'Masking' | 'Embedding';

/** [front layers] + cell(s) + Dense(2) (on every step with returnSequences), MSE. */
function model(cell: CellName, returnSequences: boolean, mask: MaskSource, goBackwards: boolean, stacked: boolean, seed: number): Sequential {
  const layers: Layer[] = [];
  if (mask === 'Masking') layers.push(new Masking({ inputShape: [T, F] }));
  if (mask === 'Embedding') layers.push(new Embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputLength: T }));
  const inputShape = mask === 'none' ? { inputShape: [T, F] } : {};
  // Keras's zero initial bias puts every gate at sigma(0); random biases exercise more of each gate.
  const common = { units: U, biasInitializer: 'glorotUniform' as const, kernelInitializer: initializers.randomNormal({ stddev: 1 }), recurrentInitializer: initializers.randomNormal({ stddev: 0.7 }) };
  if (stacked) layers.push(CELLS[cell]({ ...common, ...inputShape, returnSequences: true, goBackwards: !goBackwards }));
  layers.push(CELLS[cell]({ ...common, ...(stacked ? {} : inputShape), returnSequences, goBackwards }));
  // The per-step head: TimeDistributed(Dense) for stacked sequence models, Dense on rank 3 otherwise.
  layers.push(returnSequences && stacked ? new TimeDistributed({ layer: new Dense({ units: 2 }) }) : new Dense({ units: 2 }));
  const m = new Sequential(layers, { seed });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}

describe('recurrent layers: gradCheck below 1e-6 (float64) over all option combinations', () => {
  let seed = 0;
  for (const cell of Object.keys(CELLS) as CellName[])
    for (const returnSequences of [false, true])
      for (const mask of ['none', 'Masking', 'Embedding'] as const)
        for (const goBackwards of [false, true])
          for (const stacked of [false, true]) {
            const s = ++seed;
            it(`${cell} returnSequences ${returnSequences}, mask ${mask}, goBackwards ${goBackwards}, ${stacked ? 'stacked' : 'single'}`, () => {
              const rng = new Rng(4000 + s);
              const m = model(cell, returnSequences, mask, goBackwards, stacked, s);
              const x = mask === 'Embedding' ? ids(rng) : sequences(rng, mask === 'Masking');
              const y = targets(rng, returnSequences ? [B, T, 2] : [B, 2]);
              // Entries below 1e-4 in magnitude are compared to 1e-10 absolute: their central differences are
              // roundoff-dominated (gradCheck's floor); every larger entry must agree to 1e-6 relative.
              const r = gradCheck(m, x, y, { floor: 1e-4 });
              assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where} (analytic ${r.analytic}, numeric ${r.numeric})`);
              assert.ok(r.checked >= 20, `only ${r.checked} entries checked`);
              m.dispose();
            });
          }
});

/** A one-layer model on x [n, steps, F] with the given weights (float64). */
function single(cell: CellName, steps: number, weights: Tensor[] | null, opts: { goBackwards?: boolean; masking?: boolean } = {}): Sequential {
  const layers: Layer[] = opts.masking ? [new Masking({ inputShape: [steps, F], dtype: 'float64' })] : [];
  layers.push(CELLS[cell]({ units: U, goBackwards: opts.goBackwards ?? false, dtype: 'float64', biasInitializer: 'glorotUniform', ...(opts.masking ? {} : { inputShape: [steps, F] }) }));
  const m = new Sequential(layers, { seed: 7 });
  if (weights) m.setWeights(weights);
  return m;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('masks and goBackwards', () => {
  for (const cell of Object.keys(CELLS) as CellName[]) {
    it(`${cell}: a sequence padded at the end (Masking) gives the unpadded sequence's last state`, () => {
      const rng = new Rng(11), short = sequences(rng, false); // [B, 5, F]
      const ref = single(cell, T, null);
      const padded = new Tensor(new Float64Array(B * (T + 3) * F), [B, T + 3, F]);
      for (let b = 0; b < B; b++) padded.data.set(short.data.subarray(b * T * F, (b + 1) * T * F), b * (T + 3) * F);
      const m = single(cell, T + 3, ref.getWeights(), { masking: true });
      close(m.predict(padded).data, ref.predict(short).data, 1e-12, 'output');
    });
    if (cell.startsWith('Bidirectional')) continue;
    it(`${cell}: goBackwards equals the forward layer on the time-reversed input`, () => {
      const rng = new Rng(12), x = sequences(rng, false);
      const rev = new Tensor(new Float64Array(x.size), x.shape);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) rev.data.set(x.data.subarray((b * T + t) * F, (b * T + t + 1) * F), (b * T + T - 1 - t) * F);
      const fwd = single(cell, T, null), back = single(cell, T, fwd.getWeights(), { goBackwards: true });
      close(back.predict(x).data, fwd.predict(rev).data, 1e-12, 'output');
      // ... and differs from the forward layer on the same input (the option does something).
      assert.ok(Math.abs(back.predict(x).data[0]! - fwd.predict(x).data[0]!) > 1e-6);
    });
  }
  it('Embedding(maskZero) marks id 0 as padding: LSTM output unchanged by what follows the padding', () => {
    const mk = () => new Sequential([new Embedding({ inputDim: VOCAB, outputDim: 3, maskZero: true, inputLength: 4 }), new LSTM({ units: 2 })], { seed: 3 });
    const a = mk(), b = mk();
    const x1 = new Tensor(Float32Array.from([1, 2, 0, 0, 3, 4, 5, 0]), [2, 4]);
    const x2 = new Tensor(Float32Array.from([1, 2, 0, 0, 3, 4, 5, 0]), [2, 4]);
    close(a.predict(x1).data, b.predict(x2).data, 0, 'same model, same input');
    const shorter = new Sequential([new Embedding({ inputDim: VOCAB, outputDim: 3, inputLength: 2 }), new LSTM({ units: 2 })], { seed: 3 });
    shorter.setWeights(a.getWeights());
    close(a.predict(x1).data.subarray(0, 2), shorter.predict(new Tensor(Float32Array.from([1, 2]), [1, 2])).data, 1e-6, 'sample 0');
  });
  it('Embedding refuses ids outside [0, inputDim) and non-integers, naming the index', () => {
    const m = new Sequential([new Embedding({ inputDim: 4, outputDim: 2, inputLength: 2 })], { seed: 1 });
    assert.throws(() => m.predict(new Tensor(Float32Array.from([1, 4]), [1, 2])), /ids must be integers in \[0, 4\).*input\[1\] = 4/);
    assert.throws(() => m.predict(new Tensor(Float32Array.from([0.5, 1]), [1, 2])), /input\[0\] = 0.5/);
  });
});

describe('GRU resetAfter false follows the Keras formula', () => {
  it('h_t = z h + (1 - z) act(x W_h + b_h + (r h) U_h), against loops written from the definition', () => {
    const u = U, rng = new Rng(21), x = sequences(rng, false);
    const m = new Sequential([new GRU({ units: u, resetAfter: false, biasInitializer: 'glorotUniform', inputShape: [T, F], dtype: 'float64' })], { seed: 5 });
    const [W, Uk, b] = m.getWeights().map((t) => t.data);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const got = m.predict(x).data;
    for (let n = 0; n < B; n++) {
      let h = new Float64Array(u);
      for (let t = 0; t < T; t++) {
        const xt = x.data.subarray((n * T + t) * F, (n * T + t + 1) * F);
        const lin = (block: number, j: number, hv: Float64Array) => {
          let xs = b![block * u + j]!, hs = 0;
          for (let f = 0; f < F; f++) xs += xt[f]! * W![f * 3 * u + block * u + j]!;
          for (let i = 0; i < u; i++) hs += hv[i]! * Uk![i * 3 * u + block * u + j]!;
          return [xs, hs] as const;
        };
        const z = Array.from({ length: u }, (_, j) => { const [a, c] = lin(0, j, h); return sig(a + c); });
        const r = Array.from({ length: u }, (_, j) => { const [a, c] = lin(1, j, h); return sig(a + c); });
        const rh = Float64Array.from(h, (v, i) => v * r[i]!);
        h = Float64Array.from({ length: u }, (_, j) => { const [a, c] = lin(2, j, rh); return z[j]! * h[j]! + (1 - z[j]!) * Math.tanh(a + c); });
      }
      close(got.subarray(n * u, (n + 1) * u), h, 1e-12, `sample ${n}`);
    }
  });
});

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
  it('the same seed draws the same masks; gradCheck refuses a layer with dropout; GRU refuses recurrentDropout', () => {
    const x = sequences(new Rng(53), false).cast('float32');
    const mk = () => new Sequential([new LSTM({ units: U, dropout: 0.5, recurrentDropout: 0.5, inputShape: [T, F] }), new Dense({ units: 2 })], { seed: 8 });
    const a = mk(), b = mk();
    a.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }); b.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const y = targets(new Rng(54), [B, 2]).cast('float32');
    assert.equal(a.computeGradients(x, y).loss, b.computeGradients(x, y).loss);
    assert.throws(() => gradCheck(a, x, y), /draws random numbers in training mode/);
    assert.throws(() => new GRU({ units: 2, recurrentDropout: 0.2 }), /recurrentDropout is not implemented yet/);
    assert.throws(() => new LSTM({ units: 2, dropout: 1 }), /dropout must be a number in \[0, 1\)/);
  });
});

describe('layouts, counts and configs', () => {
  it('parameter counts and weight shapes follow Keras (LSTM 4u, GRU resetAfter bias [2, 3u])', () => {
    const cases: [Layer, number, number[][]][] = [
      [new SimpleRNN({ units: 32, inputShape: [10, 8] }), 8 * 32 + 32 * 32 + 32, [[8, 32], [32, 32], [32]]],
      [new LSTM({ units: 64, inputShape: [10, 32] }), 24832, [[32, 256], [64, 256], [256]]],
      [new GRU({ units: 64, inputShape: [10, 32] }), 18816, [[32, 192], [64, 192], [2, 192]]],
      [new GRU({ units: 64, resetAfter: false, inputShape: [10, 32] }), 18624, [[32, 192], [64, 192], [192]]],
      [new Embedding({ inputDim: 65, outputDim: 16, inputLength: 10 }), 1040, [[65, 16]]],
    ];
    for (const [layer, count, shapes] of cases) {
      const m = new Sequential([layer], { seed: 1 });
      assert.equal(layer.countParams([1, ...m.inputShape!]), count, layer.className);
      assert.deepEqual(m.getWeights().map((w) => [...w.shape]), shapes, layer.className);
      assert.deepEqual(m.weightNames().map((n) => n.split('/')[1]), layer.className === 'Embedding' ? ['embeddings'] : ['kernel', 'recurrent_kernel', 'bias'].slice(0, shapes.length));
    }
  });
  it('LSTM unitForgetBias: the forget block of the bias starts at 1, the rest at the bias initializer', () => {
    const m = new Sequential([new LSTM({ units: 3, inputShape: [2, 2] })], { seed: 1 });
    assert.deepEqual([...m.getWeights()[2]!.data], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const off = new Sequential([new LSTM({ units: 3, unitForgetBias: false, inputShape: [2, 2] })], { seed: 1 });
    assert.deepEqual([...off.getWeights()[2]!.data], new Array(12).fill(0));
  });
  it('the recurrent kernel starts orthogonal (U^T U = I), also for non-square shapes', () => {
    for (const [rows, cols] of [[4, 4], [3, 12], [12, 3]] as const) {
      const w = new Float64Array(rows * cols);
      initializers.orthogonal().fill(w, [rows, cols], new Rng(5));
      const small = Math.min(rows, cols), byCols = rows >= cols;
      for (let i = 0; i < small; i++) for (let j = 0; j < small; j++) {
        let dot = 0;
        for (let k = 0; k < Math.max(rows, cols); k++) dot += byCols ? w[k * cols + i]! * w[k * cols + j]! : w[i * cols + k]! * w[j * cols + k]!;
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `[${rows}, ${cols}] (${i}, ${j}): ${dot}`);
      }
    }
  });
  it('Dense on [batch, time, features] applies to the last axis, as row by row', () => {
    const rng = new Rng(3), x = sequences(rng, false);
    const d3 = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [T, F], dtype: 'float64' })], { seed: 2 });
    const d2 = new Sequential([new Dense({ units: 3, activation: 'tanh', inputShape: [F], dtype: 'float64' })], { seed: 2 });
    d2.setWeights(d3.getWeights());
    const y3 = d3.predict(x);
    assert.deepEqual(y3.shape, [B, T, 3]);
    close(y3.data, d2.predict(x.reshape([B * T, F])).data, 0, 'rows');
  });
  it('options are validated with the option named', () => {
    assert.throws(() => new LSTM({ units: 0 }), /LSTM: units must be a positive integer/);
    assert.throws(() => new SimpleRNN({ units: 2, activation: 'softmax' }), /SimpleRNN: activation must be an elementwise activation/);
    assert.throws(() => new LSTM({ units: 2, returnSequence: true } as never), /unknown option 'returnSequence'/);
    assert.throws(() => new Sequential([new LSTM({ units: 2, inputShape: [3] })]), /expected input of rank 3 \[batch, time, features\]/);
  });
  it('getConfig round-trips through layerFromConfig', () => {
    const layers: Layer[] = [
      new SimpleRNN({ name: 'r', units: 2, activation: 'relu', returnSequences: true, goBackwards: true, useBias: false }),
      new LSTM({ name: 'l', units: 3, recurrentActivation: 'hardSigmoid', unitForgetBias: false, dropout: 0.2, recurrentDropout: 0.1, dropoutSeed: 5 }),
      new GRU({ name: 'g', units: 4, recurrentInitializer: 'glorotUniform' }),
      new GRU({ name: 'g2', units: 2, resetAfter: false, stateful: true, returnState: true }),
      new Embedding({ name: 'e', inputDim: 10, outputDim: 4, maskZero: true, inputLength: 7 }),
      new Masking({ name: 'm', maskValue: -1 }),
      new Bidirectional({ name: 'b', layer: new GRU({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
      new TimeDistributed({ name: 't', layer: new Dense({ units: 2, activation: 'relu' }) }),
    ];
    for (const l of layers) assert.deepEqual(layerFromConfig(l.getConfig()).getConfig(), l.getConfig());
    assert.equal(layers[0]!.getConfig().goBackwards, true);
    assert.equal(layers[4]!.getConfig().inputLength, 7);
    assert.equal(layers[3]!.getConfig().resetAfter, false);
  });
  it('save and load keep the architecture and the weights (same predictions)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-rnn-'));
    try {
      const m = new Sequential([
        new Embedding({ inputDim: VOCAB, outputDim: 3, maskZero: true, inputLength: T }),
        new Bidirectional({ layer: new GRU({ units: 4, returnSequences: true }) }), new TimeDistributed({ layer: new Dense({ units: 3 }) }),
        new LSTM({ units: 3, goBackwards: true }), new Dense({ units: 2 }),
      ], { seed: 9 });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      const x = ids(new Rng(1)).cast('float32');
      await m.save(join(dir, 'm'));
      const loaded = await loadModel(join(dir, 'm'));
      assert.deepEqual(loaded.layers.map((l) => l.className), ['Embedding', 'Bidirectional', 'TimeDistributed', 'LSTM', 'Dense']);
      assert.deepEqual(loaded.weightNames(), m.weightNames());
      close(loaded.predict(x).data, m.predict(x).data, 0, 'predictions');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
