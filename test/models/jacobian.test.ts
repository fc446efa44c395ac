// model.jacobian (src/models/jacobian.ts): J_theta = dh/dtheta against PyTorch and central differences.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  BatchNormalization, Conv2D, CustomLayer, Dense, Flatten, MaxPooling2D, Rng, Sequential, Tensor,
} from '../../src/index.js';
import { highamNetwork } from '../../src/examples/higham.js';

interface Arr { shape: number[]; data: number[] }
interface Case { weights: Arr[]; x: Arr; output: Arr; jParams: Arr; jInput: Arr }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/jacobian-torch.json', import.meta.url), 'utf8')) as { mlp: Case; cnn: Case };
const t64 = (a: Arr) => new Tensor(Float64Array.from(a.data), a.shape);

function assertClose(got: Tensor, want: Arr, tol: number, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  let worst = 0;
  want.data.forEach((w, i) => { worst = Math.max(worst, Math.abs(got.data[i]! - w) / Math.max(1, Math.abs(w))); });
  assert.ok(worst < tol, `${what}: max error ${worst}`);
}

/** Central differences of predict() with respect to every trainable parameter: [B K, P]. */
function numericJParams(model: Sequential, x: Tensor, eps = 1e-6): number[][] {
  const cols: number[][] = [];
  for (const p of model.trainableParams()) {
    for (let k = 0; k < p.value.size; k++) {
      const w = p.value.data[k]!;
      p.value.data[k] = w + eps; const plus = model.predict(x).data;
      p.value.data[k] = w - eps; const minus = model.predict(x).data;
      p.value.data[k] = w;
      cols.push(Array.from(plus, (v, r) => (v - minus[r]!) / (2 * eps)));
    }
  }
  return cols; // cols[p][row]
}

function assertMatchesNumeric(model: Sequential, x: Tensor, tol: number): void {
  const J = model.jacobian(x);
  const cols = numericJParams(model, x);
  assert.deepEqual(J.shape, [cols[0]!.length, cols.length]);
  let worst = 0;
  cols.forEach((col, p) => col.forEach((v, r) => { worst = Math.max(worst, Math.abs(J.data[r * cols.length + p]! - v)); }));
  assert.ok(worst < tol, `max |analytic - numeric| ${worst}`);
}

function randomX(shape: number[], seed: number): Tensor {
  const rng = new Rng(seed), d = new Float64Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return new Tensor(d, shape);
}

describe('model.jacobian', () => {
  it('a small MLP (tanh, softmax) matches torch.autograd.functional.jacobian', () => {
    const f = fixtures.mlp;
    const model = new Sequential([new Dense({ units: 4, activation: 'tanh', inputShape: [3], dtype: 'float64' }), new Dense({ units: 3, activation: 'softmax', dtype: 'float64' })]);
    model.setWeights(f.weights.map(t64));
    const x = t64(f.x);
    assertClose(model.predict(x), f.output, 1e-12, 'output');
    assertClose(model.jacobian(x, { wrt: 'params' }), f.jParams, 1e-12, 'J_theta');
    assertClose(model.jacobian(x, { wrt: 'input' }), f.jInput, 1e-12, 'J_x');
  });

  it('a small CNN (conv same + relu, max pool, flatten, dense) matches torch', () => {
    const f = fixtures.cnn;
    const model = new Sequential([
      new Conv2D({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [5, 5, 2], dtype: 'float64' }),
      new MaxPooling2D({ poolSize: 2, dtype: 'float64' }), new Flatten({ dtype: 'float64' }), new Dense({ units: 2, dtype: 'float64' }),
    ]);
    model.setWeights(f.weights.map(t64));
    const x = t64(f.x);
    assertClose(model.predict(x), f.output, 1e-12, 'output');
    assertClose(model.jacobian(x), f.jParams, 1e-12, 'J_theta');
    assertClose(model.jacobian(x, { wrt: 'input' }), f.jInput, 1e-12, 'J_x');
  });

  it("Higham & Higham's 2-2-3-2 network: J_theta [B*2, 23] agrees with central differences", () => {
    const model = highamNetwork(3);
    const x = new Tensor(Float64Array.from([0.1, 0.1, 0.3, 0.4, 0.7, 0.65]), [3, 2]);
    assert.deepEqual(model.jacobian(x).shape, [6, 23]);
    assertMatchesNumeric(model, x, 1e-9);
  });

  it('leaves BatchNormalization moving statistics out, and goes through a custom layer', () => {
    class Cube extends CustomLayer { static className = 'Cube'; call(x: Tensor): Tensor { return x.pow(3).mul(0.5).add(x); } }
    const model = new Sequential([new Dense({ units: 3, activation: 'sigmoid', inputShape: [2], dtype: 'float64' }), new BatchNormalization({ dtype: 'float64' }),
      new Cube({ dtype: 'float64' }), new Dense({ units: 2, dtype: 'float64' })], { seed: 2 });
    const x = randomX([2, 2], 5);
    // Dense 2*3+3, BN gamma+beta 3+3 (moving mean/variance excluded), Dense 3*2+2.
    assert.equal(model.jacobian(x).shape[1], 9 + 6 + 8);
    assertMatchesNumeric(model, x, 1e-8);
  });

  it('wrt input agrees with central differences in the input', () => {
    const model = highamNetwork(4);
    const x = randomX([2, 2], 6), J = model.jacobian(x, { wrt: 'input' }), eps = 1e-6;
    assert.deepEqual(J.shape, [2, 2, 2]);
    for (let i = 0; i < x.size; i++) {
      const v = x.data[i]!;
      x.data[i] = v + eps; const plus = model.predict(x).data;
      x.data[i] = v - eps; const minus = model.predict(x).data;
      x.data[i] = v;
      const sample = Math.floor(i / 2), feature = i % 2;
      for (let j = 0; j < 2; j++) {
        const numeric = (plus[sample * 2 + j]! - minus[sample * 2 + j]!) / (2 * eps);
        assert.ok(Math.abs(J.data[(sample * 2 + j) * 2 + feature]! - numeric) < 1e-9);
      }
    }
    assert.throws(() => model.jacobian(x, { wrt: 'weights' as never }), /wrt must be 'params' or 'input'/);
  });
});
