// The reference kernels against definitions written out in the test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dense, getActivation, jsBackend as k, Rng } from '../../src/index.js';

const rand = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());
const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) => {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * (1 + Math.abs(b[i]!)), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

const Z5 = [-2, -0.5, 0, 0.5, 3];
const GELU = [-0.04550026389635844, -0.15426876936299344, 0, 0.34573123063700656, 2.99595030590511];
const GELU_GRAD = [-0.0852318010781969, 0.13250487534383712, 0.5, 0.8674951246561629, 1.011945647204184];

describe('js kernels', () => {
  it('gemm equals the triple-loop definition for every transpose, odd sizes, alpha and beta', () => {
    const rng = new Rng(1);
    for (const [m, n, kk] of [[1, 1, 1], [3, 5, 7], [17, 1, 4], [5, 63, 2], [8, 9, 0]] as const)
      for (const tA of [false, true]) for (const tB of [false, true]) {
        const a = rand(rng, m * kk), b = rand(rng, kk * n), c0 = rand(rng, m * n), alpha = 0.7, beta = -1.3;
        const want = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < kk; p++) s += (tA ? a[p * m + i]! : a[i * kk + p]!) * (tB ? b[j * kk + p]! : b[p * n + j]!);
          want[i * n + j] = alpha * s + beta * c0[i * n + j]!;
        }
        const c = c0.slice();
        k.gemm(tA, tB, m, n, kk, alpha, a, b, beta, c);
        near(c, want, 1e-12, `gemm ${m}x${n}x${kk} tA=${tA} tB=${tB}`);
      }
  });

  it('gemm with beta 0 overwrites C, even NaN', () => {
    const c = new Float64Array([Number.NaN, Number.NaN]);
    k.gemm(false, false, 1, 2, 1, 1, new Float64Array([2]), new Float64Array([3, 4]), 0, c);
    assert.deepEqual(Array.from(c), [6, 8]);
  });

  it('activations and their derivatives match the formulas', () => {
    const z = new Float64Array([-2, -0.5, 0, 0.5, 3]);
    // [name, f, f', alpha given to the kernels (default 0.3: only leakyRelu and elu read it)]
    const cases: [string, (v: number) => number, (v: number) => number, number?][] = [
      ['sigmoid', (v) => 1 / (1 + Math.exp(-v)), (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
      ['tanh', Math.tanh, (v) => 1 / Math.cosh(v) ** 2],
      ['relu', (v) => Math.max(0, v), (v) => (v > 0 ? 1 : 0)],
      ['leakyRelu', (v) => (v > 0 ? v : 0.3 * v), (v) => (v > 0 ? 1 : 0.3)],
      ['linear', (v) => v, () => 1],
      ['step', (v) => (v >= 0 ? 1 : 0), () => 0],
      ['elu', (v) => (v > 0 ? v : Math.exp(v) - 1), (v) => (v > 0 ? 1 : Math.exp(v)), 1],
      ['elu', (v) => (v > 0 ? v : 0.5 * (Math.exp(v) - 1)), (v) => (v > 0 ? 1 : 0.5 * Math.exp(v)), 0.5],
      ['selu', (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)), (v) => 1.0507009873554805 * (v > 0 ? 1 : 1.6732632423543772 * Math.exp(v))],
      ['softplus', (v) => Math.log(1 + Math.exp(v)), (v) => 1 / (1 + Math.exp(-v))],
      ['softsign', (v) => v / (1 + Math.abs(v)), (v) => 1 / (1 + Math.abs(v)) ** 2],
      ['swish', (v) => v / (1 + Math.exp(-v)), (v) => 1 / (1 + Math.exp(-v)) + v * Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
      ['geluTanh', (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
        (v) => { const u = Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3), t = Math.tanh(u);
          return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * v * v); }],
      ['relu6', (v) => Math.min(Math.max(v, 0), 6), (v) => (v > 0 && v < 6 ? 1 : 0)],
      ['hardSigmoid', (v) => Math.min(Math.max(0.2 * v + 0.5, 0), 1), (v) => (Math.abs(v) < 2.5 ? 0.2 : 0)],
      // gelu = z Phi(z), gelu' = Phi(z) + z phi(z) at z = -2, -0.5, 0, 0.5, 3 (Python math.erfc)
      ['gelu', (v) => GELU[Z5.indexOf(v)]!, (v) => GELU_GRAD[Z5.indexOf(v)]!],
    ];
    for (const [name, f, df, alpha = 0.3] of cases) {
      const a = new Float64Array(5), dz = new Float64Array(5), dy = new Float64Array([1, 2, 3, 4, 5]);
      k.activationForward(name as never, z, a, 1, 5, alpha);
      near(a, Array.from(z, f), 1e-15, name);
      k.activationBackward(name as never, z, a, dy, dz, 1, 5, alpha);
      near(dz, Array.from(z, (v, i) => dy[i]! * df(v)), 1e-14, `${name}'`);
    }
  });

  it("aliases from imported models' configs: 'silu' is swish, 'gelu_new' is geluTanh", () => {
    assert.equal(getActivation('silu').name, 'swish');
    assert.equal(getActivation('gelu_new').name, 'geluTanh');
    assert.equal(new Dense({ units: 2, activation: 'gelu_new' as never, inputShape: [3] }).activation, 'geluTanh');
  });

  it("softmax rows sum to 1, survive large logits, and backward is the Jacobian's transpose product", () => {
    const z = new Float64Array([1000, 1001, 1002, -1, 0, 1]), a = new Float64Array(6);
    k.activationForward('softmax', z, a, 2, 3, 0);
    near([a[0]! + a[1]! + a[2]!, a[3]! + a[4]! + a[5]!], [1, 1], 1e-15, 'row sums');
    near(a.subarray(0, 3), a.subarray(3, 6), 1e-15, 'shift invariance');
    const dy = new Float64Array([0.3, -1, 2, 0.5, 0.5, -0.2]), dz = new Float64Array(6);
    k.activationBackward('softmax', z, a, dy, dz, 2, 3, 0);
    for (let r = 0; r < 2; r++) for (let j = 0; j < 3; j++) {
      let s = 0; // sum_i dy_i da_i/dz_j, da_i/dz_j = a_i (delta_ij - a_j)
      for (let i = 0; i < 3; i++) s += dy[r * 3 + i]! * a[r * 3 + i]! * ((i === j ? 1 : 0) - a[r * 3 + j]!);
      assert.ok(Math.abs(dz[r * 3 + j]! - s) < 1e-15);
    }
  });

  it('loss sums follow the table in docs/design.md, clipped or from logits', () => {
    const p = new Float64Array([0.2, 0.7, 0.1, 0.5, 0.5, 0]), y = new Float64Array([0, 1, 0, 1, 0, 0]);
    assert.ok(Math.abs(k.lossSum('meanSquaredError', p, y, 2, 3, false) - ((0.04 + 0.09 + 0.01) / 3 + (0.25 + 0.25) / 3)) < 1e-15);
    assert.ok(Math.abs(k.lossSum('quadratic', p, y, 2, 3, false) - (0.14 + 0.5) / 2) < 1e-15);
    assert.ok(Math.abs(k.lossSum('categoricalCrossentropy', p, y, 2, 3, false) - (-Math.log(0.7) - Math.log(0.5))) < 1e-15);
    assert.ok(Math.abs(k.lossSum('sparseCategoricalCrossentropy', p, new Float64Array([1, 2]), 2, 3, false) - (-Math.log(0.7) - Math.log(1e-7))) < 1e-12, 'p = 0 is clipped to 1e-7');
    const logits = new Float64Array([2, -1, 0.5]);
    const lse = Math.log(Math.exp(2) + Math.exp(-1) + Math.exp(0.5));
    assert.ok(Math.abs(k.lossSum('sparseCategoricalCrossentropy', logits, new Float64Array([2]), 1, 3, true) - (lse - 0.5)) < 1e-14);
    const bce = (t: number, q: number) => -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    assert.ok(Math.abs(k.lossSum('binaryCrossentropy', logits, new Float64Array([1, 0, 0.3]), 1, 3, true) - (bce(1, s(2)) + bce(0, s(-1)) + bce(0.3, s(0.5))) / 3) < 1e-14);
    assert.ok(Number.isFinite(k.lossSum('binaryCrossentropy', new Float64Array([1]), new Float64Array([0]), 1, 1, false)), 'saturated output gives a finite loss');
    assert.ok(Number.isFinite(k.lossSum('categoricalCrossentropy', new Float64Array([-800, 800]), new Float64Array([1, 0]), 1, 2, true)), 'log-sum-exp never overflows');
  });

  it('optimiser updates follow docs/design.md for one element', () => {
    const w = new Float64Array([1]), g = new Float64Array([0.5]), v = new Float64Array([0.2]);
    k.momentumUpdate(w, g, v, 0.1, 0.9, true);
    // v = 0.9 * 0.2 - 0.1 * 0.5 = 0.13; w = 1 + 0.9 * 0.13 - 0.1 * 0.5
    assert.ok(Math.abs(v[0]! - 0.13) < 1e-15 && Math.abs(w[0]! - (1 + 0.117 - 0.05)) < 1e-15);
    const w2 = new Float64Array([1]), m = new Float64Array([0]), s = new Float64Array([0]);
    k.adamUpdate(w2, g, m, s, 0.001, 0.9, 0.999, 1e-7, 1);
    // t = 1: m_hat = g, v_hat = g^2, so w -= lr g / (|g| + eps)
    assert.ok(Math.abs(w2[0]! - (1 - 0.001 * 0.5 / (0.5 + 1e-7))) < 1e-15);
  });

  it('gatherRows, argmaxRows (first maximum), dropoutMask, biasGrad', () => {
    const dst = new Float64Array(4);
    k.gatherRows(new Float64Array([0, 1, 10, 11, 20, 21]), 2, new Uint32Array([2, 0, 1]), 0, 2, dst);
    assert.deepEqual(Array.from(dst), [20, 21, 0, 1]);
    const out = new Int32Array(2);
    k.argmaxRows(new Float64Array([1, 3, 3, 5, 5, 2]), 2, 3, out);
    assert.deepEqual(Array.from(out), [1, 0]);
    const u = new Float64Array([0.1, 0.5, 0.9]);
    k.dropoutMask(u, 0.5);
    assert.deepEqual(Array.from(u), [0, 2, 2]);
    const db = new Float64Array(2);
    k.biasGrad(new Float64Array([1, 2, 3, 4, 5, 6]), db, 3, 2);
    assert.deepEqual(Array.from(db), [9, 12]);
  });
});
