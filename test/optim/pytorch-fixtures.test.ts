/**
 * nabla's optimisers against trajectories recorded from PyTorch 1.13 in float64
 * (scripts/fixtures/optim_fixtures.py -> test/fixtures/optim.json). The recorded gradients are
 * fed to nabla's optimiser step by step; the weights must match to 1e-12 relative.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Adagrad, Adam, RMSprop, SGD, optimizerFromConfig } from '../../src/optim/index.js';
import type { Optimizer } from '../../src/optim/index.js';
import { assertClose, flat, makeParam, maxRelativeError, setGrad } from './helpers.js';

interface Weights { kernel: number[][]; bias: number[] }
interface FixtureCase {
  name: string;
  className: 'SGD' | 'Adam' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  gradients: Weights[];
  weights: Weights[];
}
interface Fixture {
  torchVersion: string;
  steps: number;
  initial: Weights;
  shapes: { kernel: number[]; bias: number[] };
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as Fixture;

const CLASSES: Record<FixtureCase['className'], new (options: never) => Optimizer> = { SGD, Adam, RMSprop, Adagrad };

function run(c: FixtureCase, optimizer: Optimizer, dtype: 'float32' | 'float64', rtol: number): number {
  const kernel = makeParam('dense/kernel', flat(fixture.initial.kernel), fixture.shapes.kernel, dtype);
  const bias = makeParam('dense/bias', flat(fixture.initial.bias), fixture.shapes.bias, dtype);
  let worst = 0;
  for (let step = 0; step < fixture.steps; step++) {
    setGrad(kernel, flat(c.gradients[step]!.kernel));
    setGrad(bias, flat(c.gradients[step]!.bias));
    optimizer.applyGradients([kernel, bias]);
    const expectedKernel = flat(c.weights[step]!.kernel), expectedBias = flat(c.weights[step]!.bias);
    assertClose(kernel.value.data, expectedKernel, rtol, `${c.name} step ${step + 1} kernel`);
    assertClose(bias.value.data, expectedBias, rtol, `${c.name} step ${step + 1} bias`);
    worst = Math.max(worst, maxRelativeError(kernel.value.data, expectedKernel), maxRelativeError(bias.value.data, expectedBias));
  }
  assert.equal(optimizer.iterations, fixture.steps);
  return worst;
}

describe(`optimisers match PyTorch ${fixture.torchVersion} trajectories`, () => {
  it('the fixture holds the expected cases', () => {
    assert.deepEqual(fixture.cases.map((c) => c.name), [
      'sgd', 'sgd_momentum', 'sgd_nesterov', 'adam', 'adam_options', 'rmsprop', 'rmsprop_options', 'adagrad', 'adagrad_options',
    ]);
    assert.ok(fixture.steps >= 5);
  });

  for (const c of fixture.cases) {
    it(`${c.name} ${JSON.stringify(c.options)} in float64, to 1e-12 relative`, () => {
      const worst = run(c, new CLASSES[c.className](c.options as never), 'float64', 1e-12);
      assert.ok(worst <= 1e-12);
    });
    it(`${c.name} rebuilt by optimizerFromConfig`, () => {
      run(c, optimizerFromConfig({ className: c.className, ...c.options }), 'float64', 1e-12);
    });
    it(`${c.name} in float32 (float32 slots), to 1e-5 relative`, () => {
      run(c, new CLASSES[c.className](c.options as never), 'float32', 1e-5);
    });
  }

  it('the weights actually move (the comparison is not vacuous)', () => {
    for (const c of fixture.cases) {
      const last = flat(c.weights[fixture.steps - 1]!.kernel), first = flat(fixture.initial.kernel);
      assert.ok(maxRelativeError(last, first) > 1e-3, c.name);
    }
  });
});
