/**
 * Whole-network training steps against PyTorch 1.13 (scripts/fixtures/train_fixtures.py ->
 * test/fixtures/train.json): a 4 -> 5 (tanh) -> 3 MLP with fixed initial weights trains for five
 * full-batch steps with `model.trainOnBatch`; after every step the returned loss (the forward pass
 * before the update) and every weight from `model.getWeights()` must match PyTorch's trajectory:
 * to 1e-10 relative (or 1e-12 absolute for values near zero) in float64, and to 1e-4 in float32.
 * Cases: softmax + sparse cross-entropy with SGD, momentum, Nesterov, Adam, RMSprop, Adagrad;
 * sigmoid + binary cross-entropy and linear + MSE with SGD and Adam; l2 kernel penalties with SGD
 * and Adam.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Adagrad, Adam, Dense, RMSprop, SGD, Sequential, getBackend, l2, tensor } from '../../src/index.js';
import type { ActivationName, Optimizer, Tensor } from '../../src/index.js';

type DType = 'float32' | 'float64';
type Nested = number | Nested[];
type LossName = 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';

interface FixtureCase {
  name: string;
  outputActivation: ActivationName;
  loss: LossName;
  target: 'sparse' | 'binary' | 'regression';
  l2: number | null;
  optimizer: { className: 'SGD' | 'Adam' | 'RMSprop' | 'Adagrad'; options: Record<string, unknown> };
  losses: number[];
  weights: Nested[][];
}
interface Fixture {
  torchVersion: string;
  seed: number;
  steps: number;
  shapes: number[][];
  x: number[][];
  targets: { sparse: number[]; binary: number[][]; regression: number[][] };
  initial: Nested[];
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/train.json', import.meta.url), 'utf8')) as Fixture;

const OPTIMIZERS: Record<FixtureCase['optimizer']['className'], new (options: never) => Optimizer> = { SGD, Adam, RMSprop, Adagrad };

const WEIGHT_NAMES = ['kernel 1', 'bias 1', 'kernel 2', 'bias 2'];

/** Flattens nested arrays of numbers (row-major). */
function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

/** Tolerances: a value passes when |a - e| <= rtol |e| or |a - e| <= atol. */
interface Tolerance { rtol: number; atol: number }
const FLOAT64: Tolerance = { rtol: 1e-10, atol: 1e-12 };
const FLOAT32: Tolerance = { rtol: 1e-4, atol: 1e-4 };

/** The worst errors seen, for the report. */
class Worst {
  relative = 0; // max |a - e| / |e| over values with |e| >= atol
  absolute = 0; // max |a - e| over all values
  add(a: number, e: number, tol: Tolerance): void {
    const d = Math.abs(a - e);
    this.absolute = Math.max(this.absolute, d);
    if (Math.abs(e) >= tol.atol) this.relative = Math.max(this.relative, d / Math.abs(e));
  }
}

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: Tolerance, what: string, worst: Worst): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!, d = Math.abs(a - e);
    worst.add(a, e, tol);
    if (!(d <= tol.rtol * Math.abs(e) || d <= tol.atol))
      assert.fail(`${what}[${i}]: got ${a}, expected ${e} (|diff| ${d.toExponential(3)}, relative ${(d / Math.abs(e)).toExponential(3)}; tolerance rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

function buildModel(c: FixtureCase, dtype: DType | undefined): Sequential {
  const common = { ...(dtype ? { dtype } : {}), ...(c.l2 !== null ? { kernelRegularizer: l2(c.l2) } : {}) };
  const model = new Sequential([
    new Dense({ units: 5, activation: 'tanh', inputShape: [4], ...common }),
    new Dense({ units: 3, activation: c.outputActivation, ...common }),
  ]);
  model.build();
  model.setWeights(fixture.initial.map((w, i) => tensor(flat(w), fixture.shapes[i]!, dtype)));
  model.compile({ optimizer: new OPTIMIZERS[c.optimizer.className](c.optimizer.options as never), loss: c.loss });
  return model;
}

/** Trains five steps on the fixture's batch and checks every loss and weight; returns the worst errors. */
async function trainAndCompare(c: FixtureCase, dtype: DType | undefined, tol: Tolerance): Promise<{ loss: Worst; weights: Worst }> {
  const model = buildModel(c, dtype);
  const x = tensor(fixture.x, undefined, dtype);
  const y = c.target === 'sparse' ? tensor(fixture.targets.sparse, undefined, dtype) : tensor(fixture.targets[c.target], undefined, dtype);
  const worst = { loss: new Worst(), weights: new Worst() };
  for (let step = 0; step < fixture.steps; step++) {
    const logs = await model.trainOnBatch(x, y);
    assertClose([logs.loss], [c.losses[step]!], tol, `${c.name} ${dtype ?? 'float32'} step ${step + 1} loss`, worst.loss);
    const weights: Tensor[] = model.getWeights();
    assert.equal(weights.length, 4);
    weights.forEach((w, i) => {
      assert.equal(w.dtype, dtype ?? 'float32');
      assert.deepEqual([...w.shape], fixture.shapes[i]);
      assertClose(w.data, flat(c.weights[step]![i]!), tol, `${c.name} ${dtype ?? 'float32'} step ${step + 1} ${WEIGHT_NAMES[i]}`, worst.weights);
    });
  }
  return worst;
}

const report = (w: { loss: Worst; weights: Worst }) =>
  `loss: max rel ${w.loss.relative.toExponential(2)}; weights: max rel ${w.weights.relative.toExponential(2)}, max abs ${w.weights.absolute.toExponential(2)}`;

describe(`training a 4-5-3 MLP matches PyTorch ${fixture.torchVersion} step by step (backend ${getBackend()})`, () => {
  it('the fixture holds the expected cases and data', () => {
    assert.deepEqual(fixture.cases.map((c) => c.name), [
      'softmax_sgd', 'softmax_sgd_momentum', 'softmax_sgd_nesterov', 'softmax_adam', 'softmax_rmsprop', 'softmax_adagrad',
      'sigmoid_bce_sgd', 'sigmoid_bce_adam', 'linear_mse_sgd', 'linear_mse_adam', 'softmax_l2_sgd', 'softmax_l2_adam',
    ]);
    assert.equal(fixture.steps, 5);
    assert.deepEqual(fixture.shapes, [[4, 5], [5], [5, 3], [3]]);
    assert.equal(fixture.x.length, 6);
    for (const c of fixture.cases) {
      assert.equal(c.losses.length, fixture.steps, c.name);
      assert.equal(c.weights.length, fixture.steps, c.name);
    }
  });

  for (const c of fixture.cases) {
    const label = `${c.name}: ${c.outputActivation} + ${c.loss}${c.l2 !== null ? ` + l2(${c.l2})` : ''}, ${c.optimizer.className} ${JSON.stringify(c.optimizer.options)}`;
    it(`${label} in float64, to 1e-10 relative`, async (t) => {
      const worst = await trainAndCompare(c, 'float64', FLOAT64);
      t.diagnostic(report(worst));
    });
    it(`${label} in float32, to 1e-4`, async (t) => {
      const worst = await trainAndCompare(c, undefined, FLOAT32);
      t.diagnostic(report(worst));
    });
  }

  it('the comparison is not vacuous: the loss falls and every weight tensor moves', () => {
    for (const c of fixture.cases) {
      assert.ok(c.losses[fixture.steps - 1]! < c.losses[0]! - 1e-2, `${c.name}: loss ${c.losses[0]} -> ${c.losses[fixture.steps - 1]}`);
      fixture.initial.forEach((w0, i) => {
        const before = flat(w0), after = flat(c.weights[fixture.steps - 1]![i]!);
        const moved = Math.max(...before.map((v, j) => Math.abs(after[j]! - v)));
        assert.ok(moved > 1e-3, `${c.name} ${WEIGHT_NAMES[i]} moved only ${moved}`);
      });
    }
  });

  it('a wrong step would be caught: the float64 tolerance is far below one step of any case', () => {
    for (const c of fixture.cases) {
      const a = flat(c.weights[fixture.steps - 2]![2]!), b = flat(c.weights[fixture.steps - 1]![2]!);
      const step = Math.max(...a.map((v, j) => Math.abs(b[j]! - v) / Math.max(Math.abs(b[j]!), 1e-12)));
      assert.ok(step > 1e-6, `${c.name}: last step changed kernel 2 by only ${step} relative`);
    }
  });
});
