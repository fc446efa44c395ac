import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng, Tensor, tensor } from '../../src/index.js';

describe('Tensor', () => {
  it('infers shapes from nesting, keeps row-major order and round-trips through toArray', () => {
    const t = tensor([[[1, 2], [3, 4], [5, 6]]]);
    assert.deepEqual(t.shape, [1, 3, 2]);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(t.toArray(), [[[1, 2], [3, 4], [5, 6]]]);
    assert.equal(tensor([1, 2], [2], 'float64').dtype, 'float64');
  });

  it('refuses ragged arrays, non-numbers and size mismatches with clear messages', () => {
    assert.throws(() => tensor([[1, 2], [3]]), /ragged array at \[1\]: expected 2 elements, got 1/);
    assert.throws(() => tensor([[1, 'a' as never]]), /expected a number at \[0\]\[1\], got string/);
    assert.throws(() => new Tensor(new Float32Array(5), [2, 3]), /shape \[2, 3\] holds 6 numbers but data has 5/);
    assert.throws(() => new Tensor([1, 2] as never, [2]), /Float32Array, Float64Array, Int32Array or Uint8Array/);
    assert.throws(() => new Tensor(new Float32Array(2), [2, -1]), /non-negative integers/);
  });

  it('clone copies, reshape shares, cast converts', () => {
    const t = tensor([1, 2, 3, 4]);
    const c = t.clone(); c.data[0] = 9;
    assert.equal(t.data[0], 1);
    const r = t.reshape([2, 2]); r.data[1] = 7;
    assert.equal(t.data[1], 7);
    assert.equal(t.cast('float64').data instanceof Float64Array, true);
  });
});

describe('Rng (xoshiro128**)', () => {
  it('is deterministic per seed and differs across seeds, purposes and epochs', () => {
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.nextUint32());
    assert.deepEqual(draw(new Rng(42)), draw(new Rng(42)));
    assert.notDeepEqual(draw(new Rng(42)), draw(new Rng(43)));
    assert.notDeepEqual(draw(Rng.derive(1, 'shuffle', 0)), draw(Rng.derive(1, 'shuffle', 1)));
    assert.notDeepEqual(draw(Rng.derive(1, 'shuffle', 0)), draw(Rng.derive(1, 'init:dense_1/kernel', 0)));
    assert.deepEqual(draw(Rng.derive(1, 'shuffle', 3)), draw(Rng.derive(1, 'shuffle', 3)));
  });

  it('state save/restore continues the same stream', () => {
    const r = new Rng(7); r.normal();
    const s = r.getState();
    const a = [r.normal(), r.uniform(), r.nextUint32()];
    const q = new Rng(0); q.setState(s);
    assert.deepEqual([q.normal(), q.uniform(), q.nextUint32()], a);
  });

  it('uniform, normal and permutation have the right distribution', () => {
    const r = new Rng(3), n = 200000;
    let su = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) { su += r.uniform(); const z = r.normal(); sn += z; sn2 += z * z; }
    assert.ok(Math.abs(su / n - 0.5) < 0.005);
    assert.ok(Math.abs(sn / n) < 0.01 && Math.abs(sn2 / n - 1) < 0.02);
    const p = Array.from(r.permutation(1000)).sort((a, b) => a - b);
    assert.deepEqual(p, Array.from({ length: 1000 }, (_, i) => i));
    for (let i = 0; i < 1000; i++) { const t = r.truncatedNormal(); assert.ok(t >= -2 && t <= 2); }
  });
});
