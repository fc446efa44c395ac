// The tensor ops' WebAssembly kernels (unaryOp, binaryOp, reduceOp, stridedCopy: assembly/ops.ts via src/kernels/wasm/ops.ts) against the js
// reference kernels, on seeded random shapes of rank 0 to 6 with broadcasting (size-1 and missing
// axes), empty axes, operands inside and outside wasm memory, and special values (NaN, +-Infinity,
// +-0, negatives for log/sqrt).
// Tolerances: arithmetic (neg square sqrt abs sign reciprocal relu, + - * /, maximum minimum,
// comparisons), the reductions (f64 accumulation in the reference's order) and the copies are exactly equal;
// exp log log1p sigmoid tanh pow compute in f64 with another libm than V8's and round once to
// float32, so they agree to |w - r| <= 2^-23 |r| (one float32 rounding step).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng, jsBackend as js } from '../../src/index.js';
import type { BinaryOpName, ReduceOpName, UnaryOpName } from '../../src/kernels/backend.js';
import { collapseBroadcast } from '../../src/kernels/wasm/ops.js';
import { ULP, close, exact, place, w } from './helpers.js';

const SPECIAL = [Number.NaN, Infinity, -Infinity, 0, -0, 1, -1, 88.7, -104, 1e-40];
/** Random float32 values: normals of varied scale with some special values mixed in. */
function values(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform() < 0.1 ? SPECIAL[rng.int(SPECIAL.length)]! : rng.normal() * (rng.uniform() < 0.5 ? 1 : 30);
  return a;
}
const DIMS = [1, 1, 2, 3, 4, 5, 7, 17, 33];
const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
function strides(shape: readonly number[], out: readonly number[]): number[] {
  const r = out.length, off = r - shape.length, st = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { st[off + i] = shape[i] === 1 && out[off + i] !== 1 ? 0 : acc; acc *= shape[i]!; }
  return st;
}
/** A broadcast shape (rank 0..6, sometimes an empty axis) and two operand shapes that broadcast to it. */
function broadcastCase(rng: Rng): { out: number[]; a: number[]; b: number[] } {
  const rank = rng.int(7);
  const out = Array.from({ length: rank }, () => (rng.uniform() < 0.04 ? 0 : DIMS[rng.int(DIMS.length)]!));
  while (size(out) > 20000) out[out.indexOf(Math.max(...out))] = 2;
  const operand = () => {
    const drop = rng.int(rank + 1) * (rng.uniform() < 0.3 ? 1 : 0);
    return out.slice(drop).map((d) => (rng.uniform() < 0.3 ? 1 : d));
  };
  return { out, a: operand(), b: operand() };
}

const UNARY: UnaryOpName[] = ['neg', 'square', 'sqrt', 'exp', 'log', 'log1p', 'abs', 'sign', 'reciprocal', 'sigmoid', 'tanh', 'relu'];
const UNARY_APPROX = new Set<UnaryOpName>(['exp', 'log', 'log1p', 'sigmoid', 'tanh']);
const BINARY: BinaryOpName[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'equal', 'greater', 'greaterEqual', 'less', 'lessEqual'];
const COMPARE = new Set<BinaryOpName>(['equal', 'greater', 'greaterEqual', 'less', 'lessEqual']);

describe('wasm tensor-op kernels equal the js reference', () => {
  it('unaryOp: every function, lengths 0 to 1000, inside and outside wasm memory, in place', () => {
    const rng = new Rng(21);
    for (const name of UNARY)
      for (const n of [0, 1, 3, 4, 5, 17, 64, 1000]) {
        const x = values(rng, n), want = new Float32Array(n);
        js.unaryOp(name, x, want);
        const inside = n % 2 === 0;
        const got = place(new Float32Array(n).fill(7), inside);
        w.unaryOp(name, place(x, !inside), got);
        const what = `${name} n=${n}`;
        if (UNARY_APPROX.has(name)) close(got, want, (i) => ULP * Math.abs(want[i]!) + 1e-45, what);
        else exact(got, want, what);
        const xi = place(x, true); // out aliasing x
        w.unaryOp(name, xi, xi);
        if (!UNARY_APPROX.has(name)) exact(xi, want, `${what} in place`);
      }
  });

  it('binaryOp: every operation on 300 random broadcasts (ranks 0-6, size-1, missing and empty axes)', () => {
    const rng = new Rng(22);
    let collapsedToJs = 0;
    for (let c = 0; c < 300; c++) {
      const { out, a: sa, b: sb } = broadcastCase(rng);
      const name = BINARY[c % BINARY.length]!;
      const a = values(rng, size(sa)), b = values(rng, size(sb));
      if (name === 'equal') for (let i = 0; i < Math.min(a.length, b.length); i++) if (rng.uniform() < 0.5) b[i] = a[i]!; // some ties
      const as = strides(sa, out), bs = strides(sb, out);
      const n = size(out), cmp = COMPARE.has(name);
      const want = cmp ? new Uint8Array(n) : new Float32Array(n);
      js.binaryOp(name, a, b, want, out, as, bs);
      const got = cmp ? new Uint8Array(n).fill(9) : place(new Float32Array(n).fill(7), c % 3 !== 0);
      w.binaryOp(name, place(a, c % 2 === 0), place(b, c % 4 < 2), got, out, as, bs);
      if (collapseBroadcast(out, as, bs) === null) collapsedToJs++;
      const what = `${name} ${JSON.stringify(sa)} (op) ${JSON.stringify(sb)} -> ${JSON.stringify(out)}`;
      if (name === 'pow') close(got, want, (i) => ULP * Math.abs(want[i]!) + 1e-45, what);
      else exact(got, want, what);
    }
    assert.ok(collapsedToJs < 300, 'most broadcasts run in WebAssembly');
  });

  it('binaryOp collapses a broadcast to at most four axes (or says it cannot)', () => {
    // [2, 3, 4] + [4]: the first two axes merge (both contiguous in a, both stride 0 in b)
    assert.deepEqual(collapseBroadcast([2, 3, 4], [12, 4, 1], [0, 0, 1]), { d: [1, 1, 6, 4], a: [0, 0, 4, 1], b: [0, 0, 0, 1] });
    // size-1 axes vanish; a scalar becomes one run
    assert.deepEqual(collapseBroadcast([1, 5, 1], [0, 1, 0], [0, 0, 0]), { d: [1, 1, 1, 5], a: [0, 0, 0, 1], b: [0, 0, 0, 0] });
    // alternating broadcast axes cannot merge: five remain
    assert.equal(collapseBroadcast([2, 3, 2, 3, 2], [18, 0, 3, 0, 1], [0, 6, 0, 2, 0]), null);
  });

  it('reduceOp: sum, prod, max, min over [outer, n, inner] with empty and NaN slices', () => {
    const rng = new Rng(23);
    const names: ReduceOpName[] = ['sum', 'prod', 'max', 'min'];
    for (let c = 0; c < 120; c++) {
      const outer = [0, 1, 3, 7][rng.int(4)]!, n = [0, 1, 2, 5, 64, 129][rng.int(6)]!, inner = [1, 1, 3, 10][rng.int(4)]!;
      const name = names[c % 4]!;
      const x = values(rng, outer * n * inner);
      if (name === 'prod') for (let i = 0; i < x.length; i++) x[i] = 1 + x[i]! / 1000; // keep products finite
      const want = new Float32Array(outer * inner);
      js.reduceOp(name, x, outer, n, inner, want);
      const got = place(new Float32Array(outer * inner).fill(7), c % 2 === 0);
      w.reduceOp(name, place(x, c % 3 !== 0), outer, n, inner, got);
      exact(got, want, `${name} [${outer}, ${n}, ${inner}]`);
    }
  });

  it('stridedCopy: random transposes, broadcasts and windows with offsets (elements not copied keep their values)', () => {
    const rng = new Rng(24);
    let inWasm = 0;
    for (let c = 0; c < 200; c++) {
      const rank = rng.int(7);
      const shape = Array.from({ length: rank }, () => (rng.uniform() < 0.04 ? 0 : DIMS[rng.int(DIMS.length)]!));
      while (size(shape) > 5000) shape[shape.indexOf(Math.max(...shape))] = 2;
      // the source: a permuted contiguous layout, some axes broadcast (stride 0); the destination:
      // row-major inside a larger buffer (a window of it, as concat and pad write)
      const perm = shape.map((_, i) => i).sort(() => rng.uniform() - 0.5);
      const ss = new Array<number>(rank).fill(0);
      let acc = 1;
      for (const a of [...perm].reverse()) { ss[a] = rng.uniform() < 0.2 ? 0 : acc; acc *= shape[a]!; }
      const pad = shape.map(() => rng.int(3));
      const ds = new Array<number>(rank).fill(0);
      acc = 1;
      for (let i = rank - 1; i >= 0; i--) { ds[i] = acc; acc *= shape[i]! + pad[i]!; }
      const so = rng.int(5), dof = rng.int(5);
      const src = values(rng, so + acc), want = values(rng, dof + acc);
      const got = place(want, c % 2 === 0);
      js.stridedCopy(src, so, ss, want, dof, ds, shape);
      w.stridedCopy(place(src, c % 3 === 0), so, ss, got, dof, ds, shape);
      if (collapseBroadcast(shape, ss, ds) !== null) inWasm++;
      exact(got, want, `stridedCopy ${JSON.stringify(shape)} src strides ${JSON.stringify(ss)} dst strides ${JSON.stringify(ds)}`);
    }
    assert.ok(inWasm > 100, `most copies run in WebAssembly (${inWasm} of 200)`);
  });

  it('float64 runs the js reference; a short buffer is refused before WebAssembly runs', () => {
    const x = new Float64Array([1, -2, 3]), out = new Float64Array(3);
    w.unaryOp('relu', x, out);
    assert.deepEqual([...out], [1, 0, 3]);
    assert.throws(() => w.reduceOp('sum', new Float32Array(5), 2, 3, 1, new Float32Array(2)), /x has 5 elements but 6 are needed/);
    assert.throws(() => w.binaryOp('add', new Float32Array(3), new Float32Array(3), new Float32Array(2), [3], [1], [1]), /out has 2 elements but 3/);
  });
});
