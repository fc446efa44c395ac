// SimpleRNN, LSTM and GRU inside models: gradCheck (float64) over every combination of cell x
// returnSequences x mask source (none, Masking, Embedding(maskZero)) x goBackwards x stacking (a
// superset of a pairwise covering), masks with unequal lengths; mask semantics (a padded sequence
// gives the shorter sequence's output), goBackwards as a reversed input, Dense on rank 3, parameter
// counts as Keras reports them, the orthogonal initialiser, config and save/load round trips.
// Bidirectional, TimeDistributed, stateful layers and dropout: recurrent-options.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  Bidirectional, Dense, Embedding, gradCheck, GRU, initializers, layerFromConfig, loadModel, LSTM, Masking, Rng, Sequential, SimpleRNN, Tensor,
  TimeDistributed, type Layer,
} from '../../src/index.js';
import { B, CELLS, close, F, ids, sequences, T, targets, U, VOCAB, type CellName } from './recurrent-helpers.js';

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
