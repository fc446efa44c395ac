/** Memory: gradient calls free their tape; a 10,000-step custom training loop keeps memory() flat. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('a gradient call frees its intermediates: only the returned gradient stays', () => {
  const x = nb.tensor([1, 2, 3], undefined, 'float64');
  const before = nb.memory();
  const g = nb.grad((t) => t.exp().mul(t.square()).sum().log())(x);
  assert.deepEqual(nb.memory().numTensors, before.numTensors + 1);
  const nested = nb.grad((t) => nb.grad((u) => u.pow(3).sum())(t).sum())(x);
  assert.deepEqual(Array.from(nested.data), [6, 12, 18]);
  assert.equal(nb.memory().numTensors, before.numTensors + 2);
  nb.dispose([g, nested]);
  assert.deepEqual(nb.memory(), before);
});

test('a custom training loop of 10,000 steps keeps memory() flat', () => {
  const w = nb.variable(nb.tensor([[0.5], [-0.3]], undefined, 'float64'), true, 'memtest_w');
  const b = nb.variable(nb.tensor([0.1], undefined, 'float64'), true, 'memtest_b');
  const x = nb.tensor([[1, 2], [3, 4], [5, 6]], undefined, 'float64'), y = nb.tensor([[1], [2], [3]], undefined, 'float64');
  const step = (): number => nb.tidy(() => {
    const { value, grads } = nb.variableGrads(() => nb.matMul(x, w).add(b).sub(y).square().mean(), [w, b]);
    w.assign(w.sub(grads['memtest_w']!.mul(0.01)));
    b.assign(b.sub(grads['memtest_b']!.mul(0.01)));
    return value.data[0]!;
  });
  const first = step();
  const start = nb.memory();
  let last = first;
  for (let i = 1; i < 10_000; i++) last = step();
  assert.deepEqual(nb.memory(), start, 'no tensor or byte left behind');
  assert.ok(last < first / 10, `the loss fell (${first} -> ${last})`);
  w.dispose(); b.dispose();
});

test('reading a tensor a tidy disposed throws naming it; a kept or returned one survives', () => {
  let inner: nb.Tensor | null = null;
  const kept = nb.tidy(() => { inner = nb.tensor([1, 2]).add(1); return nb.keep(inner.mul(2)); });
  assert.throws(() => inner!.data, new RegExp(`Tensor #${inner!.id} float32 \\[2\\] is disposed`));
  assert.deepEqual(Array.from(kept.data), [4, 6]);
  const v = nb.variable(nb.tensor([1]), true, 'memtest_v');
  nb.tidy(() => v.add(1));
  assert.equal(v.isDisposed, false, 'tidy never disposes variables');
  assert.throws(() => nb.variable(nb.tensor([1]), true, 'memtest_v'), /a variable named 'memtest_v' already exists/);
  v.dispose();
  assert.throws(() => v.data, /Variable 'memtest_v' float32 \[1\] is disposed/);
});
