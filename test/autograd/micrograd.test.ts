/**
 * micrograd's demo (Karpathy, github.com/karpathy/micrograd, demo.ipynb) in nabla's ops: a
 * 2-16-16-1 ReLU MLP on make-moons-like data, the SVM "max-margin" hinge loss plus L2, trained
 * with variableGrads and plain SGD written with ops, reaching 100% training accuracy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { Rng, Tensor } from '../../src/index.js';

/** Two interleaving half circles (scikit-learn's make_moons), labels -1/+1, seeded noise. */
function makeMoons(n: number, noise: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed), x = new Float64Array(2 * n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const outer = i < n / 2, t = Math.PI * (outer ? i / (n / 2 - 1) : (i - n / 2) / (n / 2 - 1));
    x[2 * i] = (outer ? Math.cos(t) : 1 - Math.cos(t)) + noise * rng.normal();
    x[2 * i + 1] = (outer ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * rng.normal();
    y[i] = outer ? -1 : 1;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n, 1]) };
}

test("micrograd's demo: a 2-16-16-1 MLP with hinge loss reaches 100% training accuracy", () => {
  const { x, y } = makeMoons(100, 0.1, 1);
  const sizes = [2, 16, 16, 1];
  const params = sizes.slice(1).flatMap((out, l) => [
    nb.variable(nb.randomUniform([sizes[l]!, out], -1, 1, 'float64', 10 + l), true, `moons_W${l}`),
    nb.variable(nb.zeros([out], 'float64'), true, `moons_b${l}`),
  ]);
  const forward = (): Tensor => params.reduce<Tensor>((h, _, i) => {
    if (i % 2 === 1) return h;
    const z = nb.matMul(h, params[i]!).add(params[i + 1]!);
    return i === params.length - 2 ? z : nb.relu(z);
  }, x);
  const loss = (): Tensor => {
    const hinge = nb.relu(nb.sub(1, y.mul(forward()))).mean();
    const l2 = params.filter((_, i) => i % 2 === 0).map((w) => w.square().sum()).reduce((a, b) => a.add(b));
    return hinge.add(l2.mul(1e-4));
  };
  const accuracy = (): number => nb.tidy(() => nb.mean(nb.cast(nb.equal(nb.sign(forward()), y), 'float64')).data[0]!);
  const before = nb.memory();
  for (let k = 0; k < 100; k++) {
    nb.tidy(() => {
      const { grads } = nb.variableGrads(loss, params);
      const lr = 1 - 0.9 * k / 100;
      for (const p of params) p.assign(p.sub(grads[p.name]!.mul(lr)));
    });
  }
  assert.deepEqual(nb.memory(), before, 'training leaves no tensor behind');
  assert.equal(accuracy(), 1);
  for (const p of params) p.dispose();
});
