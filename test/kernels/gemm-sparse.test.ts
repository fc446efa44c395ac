// sgemm's zero-skipping path (assembly/gemm-sparse.ts) gives the dense path's bits: for every
// transA/transB combination, edge shapes (m, n, k off the 4/8/256 blockings, several KC blocks),
// alpha != 1, beta 0, 1 and 0.5, densities from 0 to 1 with -0 among A's zeros, non-finite values
// in B facing zeros of A (the path must decline those blocks) and in A, sub-rectangles of C (as
// threads compute them), the k-split of weight gradients, and real thread splits. The reference is
// the same module with the path switched off (setSparseGemm(0)). The suite runs on the relaxed
// (fused multiply-add) build; one test reruns it in a child on the plain build (NABLA_FMA=0).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Rng, getKernels, getNumThreads, setBackend, setNumThreads } from '../../src/index.js';
import { fmaWanted, type WasmBackend } from '../../src/kernels/wasm/index.js';

// Through setBackend, which enables relaxed SIMD where it sits behind a flag (Node 20): the fused build.
await setBackend('wasm');
const w = getKernels() as WasmBackend;
const E = w.exports;
const CHILD = process.env.NABLA_SPARSE_CHILD === '1';

/** A's data: nonzeros (normal) with probability `density`, the zeros -0 or +0 at random. */
function sparseData(rng: Rng, n: number, density: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform() < density ? rng.normal() : rng.uniform() < 0.5 ? -0 : 0;
  return a;
}
function normal(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

interface Case { tA: boolean; tB: boolean; m: number; n: number; k: number; alpha: number; beta: number; A: Float32Array; B: Float32Array; C: Float32Array }
type Rect = [number, number, number, number];
/** KC x MC blocks the zero-skipping path ran in the last {@link run}. */
let sparseBlocks = 0;

/** C after sgemm on the given rectangles (the whole of C by default), with the path on or off; as bits. */
function run(c: Case, sparse: boolean, rects: Rect[] = [[0, c.m, 0, c.n]]): Uint32Array {
  const a = w.alloc('float32', c.A.length) as Float32Array, b = w.alloc('float32', c.B.length) as Float32Array;
  const out = w.alloc('float32', c.C.length) as Float32Array;
  a.set(c.A); b.set(c.B); out.set(c.C);
  E.setSparseGemm(sparse ? 1 : 0);
  for (const [i0, i1, j0, j1] of rects)
    E.sgemm(c.tA ? 1 : 0, c.tB ? 1 : 0, c.m, c.n, c.k, c.alpha, a.byteOffset, b.byteOffset, c.beta, out.byteOffset, i0, i1, j0, j1, w.work);
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length).slice();
  w.free(a); w.free(b); w.free(out);
  sparseBlocks = E.setSparseGemm(1);
  return bits;
}

/** Equal bits, any NaN matching any NaN. */
function sameBits(got: Uint32Array, want: Uint32Array, what: string): void {
  assert.equal(got.length, want.length);
  const nan = (x: number) => (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
  for (let i = 0; i < want.length; i++) {
    if (got[i] === want[i] || (nan(got[i]!) && nan(want[i]!))) continue;
    const f = new Float32Array(new Uint32Array([got[i]!, want[i]!]).buffer);
    assert.fail(`${what}: C[${i}] = ${f[0]} (0x${got[i]!.toString(16)}), dense ${f[1]} (0x${want[i]!.toString(16)})`);
  }
}

function makeCase(rng: Rng, tA: boolean, tB: boolean, m: number, n: number, k: number, density: number, alpha: number, beta: number): Case {
  return { tA, tB, m, n, k, alpha, beta, A: sparseData(rng, m * k, density), B: normal(rng, k * n), C: normal(rng, m * n) };
}

const DENSITIES = [0, 0.05, 0.2, 0.5, 0.9, 1];
const SHAPES: [number, number, number][] = [
  [64, 128, 784], [784, 128, 64], [37, 45, 300], [130, 33, 517], [5, 70, 259], [129, 130, 257], [20, 6, 100], [9, 96, 16], [300, 40, 40],
];

describe('sgemm zero-skipping path: the dense path\'s bits', () => {
  it(`${CHILD ? 'plain' : 'relaxed'} build: every transpose, shape, density, alpha and beta`, () => {
    assert.equal(w.fma, CHILD ? false : fmaWanted(), 'the build under test');
    const rng = new Rng(7);
    const shapes = [...SHAPES];
    for (let i = 0; i < 8; i++) shapes.push([1 + rng.int(300), 1 + rng.int(200), 1 + rng.int(600)]);
    let ran = 0;
    for (const [m, n, k] of shapes) for (const tA of [false, true]) for (const tB of [false, true]) {
      DENSITIES.forEach((density, di) => {
        const beta = [0, 1, 0.5][di % 3]!, alpha = di % 2 === 0 ? 1 : -0.75;
        const c = makeCase(rng, tA, tB, m, n, k, density, alpha, beta);
        const dense = run(c, false);
        const sparse = run(c, true);
        ran += sparseBlocks;
        sameBits(sparse, dense, `${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${m}x${n}x${k} density ${density} alpha ${alpha} beta ${beta}`);
      });
    }
    assert.ok(ran > 100, `the sparse path ran (${ran} blocks)`);
  });

  it('non-finite B facing zeros of A: the dense result (NaN where it is NaN); NaN and infinities in A kept', () => {
    const rng = new Rng(8);
    for (const tB of [false, true]) for (const [m, n, k] of [[64, 128, 784], [50, 40, 300]] as const) {
      for (const bad of [Infinity, -Infinity, NaN]) {
        const c = makeCase(rng, false, tB, m, n, k, 0.1, 1, 0);
        // one non-finite B value in the second KC block, and A's zeros facing it
        const p = 256 + rng.int(Math.min(k, 512) - 256), j = rng.int(n);
        c.B[tB ? j * k + p : p * n + j] = bad;
        const dense = run(c, false);
        assert.ok(Array.from(new Float32Array(dense.buffer)).some(Number.isNaN), 'the dense path gives NaN');
        sameBits(run(c, true), dense, `B[${p}, ${j}] = ${bad}`);
        assert.ok(sparseBlocks > 0, 'the blocks with finite B still ran sparse');
      }
      const c = makeCase(rng, false, tB, m, n, k, 0.1, 1, 0.5);
      c.A[3] = NaN; c.A[k + 5] = Infinity; c.A[2 * k + 7] = -Infinity;
      sameBits(run(c, true), run(c, false), 'non-finite A');
    }
  });

  it('sub-rectangles of C (thread bands) and the k-split of A^T B give the whole call\'s bits', () => {
    const rng = new Rng(9);
    for (const [tA, tB, m, n, k] of [[false, false, 64, 128, 784], [true, false, 784, 128, 64], [true, false, 200, 72, 700], [false, true, 131, 75, 300]] as const) {
      const c = makeCase(rng, tA, tB, m, n, k, 0.2, 0.5, 0.5);
      const dense = run(c, false);
      const cuts = (size: number) => [0, ...[1, 2].map(() => rng.int(size + 1)).sort((x, y) => x - y), size];
      const ri = cuts(m), rj = cuts(n), rects: Rect[] = [];
      for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) rects.push([ri[x]!, ri[x + 1]!, rj[y]!, rj[y + 1]!]);
      sameBits(run(c, true, rects), dense, `${m}x${n}x${k} in 9 rectangles`);
      if (!tA || tB) continue;
      // The k-split (src/kernels/wasm/worker-source.ts): KC-block 0 in place with beta, every other
      // block into its own slot with beta 0, the slots added to C in block order.
      const out = new Float32Array(new Uint32Array(dense.length).buffer);
      const blockRuns: Float32Array[] = [];
      for (let p0 = 0; p0 < k; p0 += 256) {
        const kc = Math.min(256, k - p0);
        const part: Case = { ...c, k: kc, A: c.A.subarray(p0 * m, (p0 + kc) * m), B: c.B.subarray(p0 * n, (p0 + kc) * n), beta: p0 === 0 ? c.beta : 0 };
        blockRuns.push(new Float32Array(run(part, true).buffer));
      }
      out.set(blockRuns[0]!);
      for (const s of blockRuns.slice(1)) for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]! + s[i]!);
      sameBits(new Uint32Array(out.buffer), dense, `${m}x${n}x${k} k-split`);
    }
  });

  it('forced thread splits (columns, rows, k) give the one-thread dense bits', { skip: CHILD }, async () => {
    const before = getNumThreads();
    setNumThreads(2);
    await setBackend('wasm');
    const K = getKernels() as WasmBackend;
    const pool = K.pool!;
    assert.ok(await pool.waitReady(1, 30_000), 'a worker of the pool started');
    const rng = new Rng(10);
    try {
      for (const [tA, m, n, k, splits] of [[false, 64, 128, 784, ['cols', 'rows']], [true, 784, 128, 600, ['cols', 'rows', 'k']]] as const) {
        const c = makeCase(rng, tA, false, m, n, k, 0.19, 1, 0);
        const want = run(c, false);
        for (const split of splits) {
          pool.planner.force = split;
          const a = K.alloc('float32', c.A.length) as Float32Array, b = K.alloc('float32', c.B.length) as Float32Array;
          const out = K.alloc('float32', c.C.length) as Float32Array;
          a.set(c.A); b.set(c.B);
          const jobs = pool.jobs;
          K.gemm(tA, false, m, n, k, 1, a, b, 0, out);
          assert.ok(pool.jobs > jobs, `the ${split} split was shared`);
          sameBits(new Uint32Array(out.buffer, out.byteOffset, out.length), want, `${m}x${n}x${k} split ${split}`);
          K.free(a); K.free(b); K.free(out);
        }
      }
    } finally {
      pool.planner.force = null;
      setNumThreads(before);
    }
  });

  it('the plain build (NABLA_FMA=0) gives its dense bits too', { skip: CHILD }, () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { NODE_TEST_CONTEXT: _, NODE_OPTIONS: __, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/kernels/gemm-sparse.test.ts'],
      { cwd: root, env: { ...env, NABLA_FMA: '0', NABLA_SPARSE_CHILD: '1' }, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, `the plain-build run failed:\n${r.stdout.split('\n').filter((l) => /not ok|fail|expected|actual|Error/.test(l)).slice(0, 30).join('\n')}\n${r.stderr}`);
    assert.match(r.stdout, /^# pass 3$/m, 'three tests ran on the plain build');
    assert.match(r.stdout, /^# fail 0$/m);
  });
});
