/** Forward values of the ops against plain-JavaScript references written here, or known values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as nb from '../../src/index.js';
import { Rng, Tensor } from '../../src/index.js';

const strides = (s: readonly number[]): number[] => s.map((_, i) => s.slice(i + 1).reduce((a, b) => a * b, 1));
const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
function rand(shape: readonly number[], rng: Rng): Tensor {
  return new Tensor(Float64Array.from({ length: size(shape) }, () => Math.round((rng.uniform() * 4 - 2) * 8) / 8), shape);
}
/** Reference broadcasting: the value of t at output index idx. */
function at(t: Tensor, idx: number[]): number {
  const off = idx.length - t.rank, st = strides(t.shape);
  let k = 0;
  t.shape.forEach((d, i) => { k += (d === 1 ? 0 : idx[off + i]!) * st[i]!; });
  return t.data[k]!;
}
function indices(shape: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let f = 0; f < size(shape); f++) out.push(shape.map((_, i) => Math.floor(f / strides(shape)[i]!) % shape[i]!));
  return out;
}

const dim = fc.integer({ min: 0, max: 3 });
const pair = fc.tuple(fc.array(dim, { maxLength: 3 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1e6 }))
  .map(([s, ones, drop, seed]) => ({ a: s, b: s.slice(Math.min(drop, s.length)).map((d, i) => (ones[i] ? 1 : d)), seed }));

const REF: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y,
  maximum: Math.max, minimum: Math.min, pow: (x, y) => Math.abs(x) ** y,
  equal: (x, y) => Number(x === y), greater: (x, y) => Number(x > y), less: (x, y) => Number(x < y),
};

test('binary ops broadcast as NumPy does (against a reference broadcaster), both operand orders', () => {
  fc.assert(fc.property(pair, fc.boolean(), ({ a, b, seed }, swap) => {
    const rng = new Rng(seed), [sa, sb] = swap ? [b, a] : [a, b];
    const x = rand(sa, rng), y = rand(sb, rng);
    for (const [name, f] of Object.entries(REF)) {
      const xx = name === 'pow' ? new Tensor(x.data.map(Math.abs), x.shape) : x;
      const out = (nb as unknown as Record<string, (p: Tensor, q: Tensor) => nb.Tensor<nb.TensorData>>)[name]!(xx, y);
      const shape = Array.from({ length: Math.max(sa.length, sb.length) }, (_, i) => {
        const da = sa[sa.length - Math.max(sa.length, sb.length) + i] ?? 1, db = sb[sb.length - Math.max(sa.length, sb.length) + i] ?? 1;
        return da === 1 ? db : da;
      });
      assert.deepEqual(out.shape, shape, name);
      if (['equal', 'greater', 'less'].includes(name)) assert.equal(out.dtype, 'bool');
      indices(shape).forEach((idx, k) => assert.equal(out.data[k], f(at(xx, idx), at(y, idx)), `${name} at ${idx}`));
    }
  }), { seed: 21, numRuns: 40 });
});

test('reductions over random axes against reference loops; argMax/argMin int32', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }), fc.integer({ min: 0, max: 1e6 }), (shape, seed) => {
    const rng = new Rng(seed), x = rand(shape, rng);
    const axes = shape.map((_, i) => i).filter(() => rng.uniform() < 0.5);
    const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const groups = new Map<string, number[]>();
    indices(shape).forEach((idx, k) => { const key = idx.map((v, i) => (axes.includes(i) ? 0 : v)).join(','); (groups.get(key) ?? groups.set(key, []).get(key)!).push(x.data[k]!); });
    const ref: Record<string, (v: number[]) => number> = {
      sum: (v) => v.reduce((a, b) => a + b, 0), prod: (v) => v.reduce((a, b) => a * b, 1), max: (v) => Math.max(...v), min: (v) => Math.min(...v),
      mean: (v) => v.reduce((a, b) => a + b, 0) / v.length, logSumExp: (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0)),
    };
    for (const [name, f] of Object.entries(ref)) {
      const out = (nb as unknown as Record<string, (t: Tensor, a: number[], k: boolean) => Tensor>)[name]!(x, axes, true);
      assert.deepEqual(out.shape, outShape);
      indices(outShape).forEach((idx, k) => assert.ok(Math.abs(out.data[k]! - f(groups.get(idx.join(','))!)) < 1e-12, `${name} at ${idx}`));
    }
  }), { seed: 22, numRuns: 40 });
  const m = nb.tensor([[1, 5, 5], [7, 0, -1]]);
  assert.equal(m.argMax().dtype, 'int32');
  assert.deepEqual(m.argMax().arraySync(), [1, 0], 'default axis -1, the first maximum on ties');
  assert.deepEqual(m.argMax(0).arraySync(), [1, 0, 0]);
  assert.deepEqual(m.argMin().arraySync(), [0, 2]);
  assert.deepEqual(nb.sum(nb.zeros([2, 0]), 1).arraySync(), [0, 0], 'an empty axis sums to 0');
  assert.deepEqual(nb.max(nb.zeros([2, 0]), 1).arraySync(), [-Infinity, -Infinity]);
});

test('matMul against a triple loop: transposes and batches', () => {
  fc.assert(fc.property(fc.tuple(dim, dim, dim, fc.integer({ min: 1, max: 3 })), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 1e6 }), ([m, k, n, B], tA, tB, seed) => {
    const rng = new Rng(seed);
    const a = rand([B, ...(tA ? [k, m] : [m, k])], rng), b = rand(tB ? [n, k] : [k, n], rng);
    const c = nb.matMul(a, b, tA, tB);
    assert.deepEqual(c.shape, [B, m, n]);
    for (let q = 0; q < B; q++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[q * m * k + (tA ? p * m + i : i * k + p)]! * b.data[tB ? j * k + p : p * n + j]!;
      assert.ok(Math.abs(c.data[(q * m + i) * n + j]! - s) < 1e-12);
    }
  }), { seed: 23, numRuns: 40 });
  const f32 = nb.matMul(nb.tensor([[1, 2], [3, 4]]), nb.tensor([[5, 6], [7, 8]]));
  assert.equal(f32.dtype, 'float32');
  assert.deepEqual(f32.arraySync(), [[19, 22], [43, 50]]);
  assert.throws(() => nb.matMul(nb.zeros([2, 3]), nb.zeros([2, 3])), /inner dimensions differ/);
});

test('shape ops: known values', () => {
  const x = nb.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(x.transpose().arraySync(), [[1, 4], [2, 5], [3, 6]]);
  assert.deepEqual(x.reshape([3, -1]).shape, [3, 2]);
  assert.deepEqual(x.expandDims(1).shape, [2, 1, 3]);
  assert.deepEqual(nb.squeeze(nb.zeros([1, 2, 1])).shape, [2]);
  assert.deepEqual(nb.concat([x, x], 0).shape, [4, 3]);
  assert.deepEqual(nb.stack([x, x], 1).arraySync(), [[[1, 2, 3], [1, 2, 3]], [[4, 5, 6], [4, 5, 6]]]);
  assert.deepEqual(x.slice([1, 1], [1, -1]).arraySync(), [[5, 6]]);
  assert.deepEqual(x.pad([[0, 1], [1, 0]], 9).arraySync(), [[9, 1, 2, 3], [9, 4, 5, 6], [9, 9, 9, 9]]);
  assert.deepEqual(nb.tensor([1, 2]).tile([3]).arraySync(), [1, 2, 1, 2, 1, 2]);
  assert.deepEqual(x.gather([2, 0, 2], 1).arraySync(), [[3, 1, 3], [6, 4, 6]]);
  assert.deepEqual(nb.oneHot(nb.tensor([1, 0], undefined, 'int32'), 3, 5, -1).arraySync(), [[-1, 5, -1], [5, -1, -1]]);
  assert.throws(() => x.gather([3]), /index 3 at position 0 is not an integer in \[0, 2\)/);
  assert.throws(() => nb.add(nb.zeros([2, 3]), nb.zeros([3, 2])), /shapes \[2, 3\] and \[3, 2\] cannot be broadcast together/);
});

test('nn ops and random tensors: known values, seeded streams', () => {
  const z = nb.tensor([-1, 0, 2], undefined, 'float64');
  const close = (t: Tensor, want: number[]) => Array.from(t.data).forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `${v} vs ${want[i]}`));
  close(nb.sigmoid(z), [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
  close(nb.relu(z), [0, 0, 2]);
  close(nb.leakyRelu(z, 0.1), [-0.1, 0, 2]);
  close(nb.elu(z), [Math.exp(-1) - 1, 0, 2]);
  close(nb.softplus(z), [Math.log1p(Math.exp(-1)), Math.log(2), Math.log1p(Math.exp(2))]);
  const s = Math.exp(-1) + 1 + Math.exp(2);
  close(nb.softmax(z), [Math.exp(-1) / s, 1 / s, Math.exp(2) / s]);
  close(nb.logSoftmax(z), [-1 - Math.log(s), -Math.log(s), 2 - Math.log(s)]);
  close(nb.logSumExp(nb.tensor([1000, 1000], undefined, 'float64')).reshape([1]), [1000 + Math.log(2)]);
  const r1 = nb.randomNormal([1000], 2, 0.5, 'float64', 7), r2 = nb.randomNormal([1000], 2, 0.5, 'float64', 7);
  assert.deepEqual(r1.arraySync(), r2.arraySync(), 'same seed, same tensor');
  const mean = nb.mean(r1).data[0]!;
  assert.ok(Math.abs(mean - 2) < 0.1, `mean ${mean}`);
  const u = nb.randomUniform([1000], -1, 3, 'float32', 1);
  assert.ok(Array.from(u.data).every((v) => v >= -1 && v < 3));
  const d = nb.dropout(nb.ones([1000]), 0.25, undefined, 3);
  assert.ok(Array.from(d.data).every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6));
  const kept = Array.from(d.data).filter((v) => v !== 0).length;
  assert.ok(kept > 650 && kept < 850, `${kept} of 1000 kept at rate 0.25`);
});
