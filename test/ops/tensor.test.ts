import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, tensor } from '../../src/index.js';
import { ownedTensor, viewOf } from '../../src/tensor/tensor.js';
import { dispose, keep, memory, tidy } from '../../src/tensor/scopes.js';

test('int32 and bool tensors, and the TF.js helpers', async () => {
  const i = new Tensor(new Int32Array([1, 2, 3]), [3]);
  assert.equal(i.dtype, 'int32');
  const b = tensor([1, 0, 2], [3], 'bool');
  assert.equal(b.dtype, 'bool');
  assert.deepEqual(Array.from(b.data), [1, 0, 1]);
  assert.ok(b.data instanceof Uint8Array);
  assert.deepEqual(tensor([1.7, -1.7]).cast('int32').arraySync(), [1, -1]);
  const f = tensor([[1, 2], [3, 4]], undefined, 'float64');
  const copy = f.dataSync();
  copy[0] = 99;
  assert.equal(f.data[0], 1, 'dataSync is a copy');
  assert.deepEqual(await f.array(), [[1, 2], [3, 4]]);
  assert.deepEqual(f.reshape([-1]).shape, [4]);
  assert.deepEqual(f.reshape([2, -1]).shape, [2, 2]);
  assert.throws(() => f.reshape([3, -1]), /cannot infer the -1 in \[3, -1\] for 4 elements/);
  assert.equal(f.size, 4);
  assert.equal(f.rank, 2);
});

test('a disposed tensor throws an Error naming it when read; dispose twice is harmless', () => {
  const t = tensor([1, 2, 3]);
  t.dispose();
  t.dispose();
  assert.equal(t.isDisposed, true);
  assert.throws(() => t.data, new RegExp(`^Error: Tensor #${t.id} float32 \\[3\\] is disposed`));
  assert.throws(() => t.dataSync(), /is disposed/);
  assert.throws(() => t.toArray(), /is disposed/);
});

test('tracked buffers: views share them, the buffer is freed with its last tensor; tidy and keep', () => {
  const before = memory();
  const freed: number[] = [];
  const a = ownedTensor(new Float64Array(6), [2, 3], (d) => freed.push(d.length));
  const v = viewOf(a, [6]);
  assert.deepEqual(memory(), { numTensors: before.numTensors + 2, numBytes: before.numBytes + 48 });
  a.dispose();
  assert.throws(() => a.data, /is disposed/);
  assert.equal(v.data.length, 6, 'the view still reads the buffer');
  assert.deepEqual(freed, []);
  v.dispose();
  assert.deepEqual(freed, [6]);
  assert.deepEqual(memory(), before);

  let inner: Tensor | null = null, kept: Tensor | null = null;
  const out = tidy(() => {
    inner = ownedTensor(new Float32Array(2), [2], null);
    kept = keep(ownedTensor(new Float32Array(1), [1], null));
    return { r: [ownedTensor(new Float32Array(3), [3], null)] };
  });
  assert.equal(inner!.isDisposed, true);
  assert.equal(kept!.isDisposed, false);
  assert.equal(out.r[0]!.isDisposed, false);
  dispose([out, kept]);
  assert.deepEqual(memory(), before);
  assert.throws(() => tidy(() => Promise.resolve(1)), /fn must be synchronous/);
});
