// The WebAssembly kernels against the js reference kernels (the oracle), with a stated tolerance
// per kernel, on random shapes including 1, 3, 5, 17, 63, 65, 127 and 129 in every dimension,
// every transpose, alpha/beta variants, and arrays both inside and outside wasm memory.
//
// Tolerances (WebAssembly has no exp/log/tanh instruction, and blocked sums change the order of
// additions, so most results agree to float32 rounding, not bits):
//   gemm                       |w - r| <= 2 (k + 2) 2^-23 S,  S = |alpha| sum_p |a_ip b_pj| + |beta c_ij|
//   biasAdd, biasGrad, relu, leakyRelu, step, linear, dropoutMask, clip, argmaxRows, im2col,
//   col2im, max/avg pooling, batch norm (stats, forward, backward)          exactly equal (bits)
//   sigmoid, tanh, softmax forward              |w - r| <= 4e-7 max(|r|, 1e-30) + 1e-37
//   activation backward (sigmoid, tanh, softmax)  |w - r| <= 1e-6 (|dy| + sum-scale) (see ACT_BWD)
//   softsign, relu6, hardSigmoid (f64 lanes)   exactly equal (bits)
//   other activations (elu, gelu, ...): forward  |w - r| <= t max(|r|, 1e-30) + 1e-37, backward
//                                 |w - r| <= t_b (|r| + |dy|), with t, t_b per activation in ACT_TOL
//   lossSum                                      relative 2e-6 of the sum of |per-element terms|
//   lossGradient, fusedLossGradient, axpy, addScaled, scale, mul, optimiser updates
//                                               |w - r| <= 4 2^-23 (|r| + scale of the operands)
//   sumSquares, absDiffSum                       relative 1e-12 (both accumulate in float64)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng, jsBackend as js } from '../../src/index.js';
import { ACTIVATION_DEFS, ACTIVATION_NAMES } from '../../src/kernels/activation-registry.js';
import type { ActivationName, LossName, Window2D } from '../../src/kernels/backend.js';
import { fmaWanted } from '../../src/kernels/wasm/index.js';
import { ULP, close, exact, pick, place, randF32, SIZES, w } from './helpers.js';

describe('wasm kernels equal the js reference', () => {
  it(`runs on the build this runtime chose (fused multiply-add: ${w.fma})`, () => {
    assert.equal(w.fma, fmaWanted());
    // test/kernels/fma.test.ts runs this suite again with NABLA_FMA=0 and NABLA_EXPECT_FMA=0
    if (process.env['NABLA_EXPECT_FMA'] === '1') assert.equal(w.fma, true, 'the relaxed-SIMD build is in use');
    if (process.env['NABLA_EXPECT_FMA'] === '0') assert.equal(w.fma, false, 'the plain build is in use');
  });

  it('gemm: every transpose, every size in every dimension, alpha/beta variants, inside and outside wasm memory', () => {
    const rng = new Rng(11);
    const shapes: [number, number, number][] = [];
    for (const v of SIZES) {
      shapes.push([v, pick(rng), pick(rng)], [pick(rng), v, pick(rng)], [pick(rng), pick(rng), v]);
    }
    // blocking edges: k across KC = 256, m across MC = 128, n across NC = 2048
    shapes.push([5, 7, 257], [129, 9, 513], [3, 2051, 5], [130, 17, 300], [0, 3, 4], [3, 0, 4], [3, 4, 0]);
    const ab: [number, number][] = [[1, 0], [0.75, 1], [-1.5, 0.5], [0, 2], [1, 1]];
    let count = 0;
    for (const [m, n, k] of shapes)
      for (const tA of [false, true]) for (const tB of [false, true]) {
        const [alpha, beta] = ab[count % ab.length]!;
        const inside = count % 3 !== 2; // mostly backend buffers, every third call from the JS heap
        count++;
        const a = randF32(rng, m * k), b = randF32(rng, k * n), c0 = randF32(rng, m * n);
        if (beta === 0) c0.fill(Number.NaN); // beta = 0 overwrites, NaN must not propagate
        const cr = c0.slice();
        js.gemm(tA, tB, m, n, k, alpha, a, b, beta, cr);
        const cw = place(c0, inside);
        w.gemm(tA, tB, m, n, k, alpha, place(a, inside), place(b, !inside), beta, cw);
        const S = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += Math.abs((tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!));
          S[i * n + j] = Math.abs(alpha) * s + (beta === 0 ? 0 : Math.abs(beta * c0[i * n + j]!));
        }
        close(cw, cr, (i) => 2 * (k + 2) * ULP * S[i]! + 1e-30, `gemm ${m}x${n}x${k} tA=${tA} tB=${tB} alpha=${alpha} beta=${beta}`);
      }
  });

  it('gemm reads and writes only its ranges (sub-arrays, longer buffers)', () => {
    const rng = new Rng(12);
    const big = w.alloc('float32', 1000) as Float32Array;
    big.set(randF32(rng, 1000));
    const before = big.slice();
    const a = big.subarray(10, 10 + 3 * 5), b = big.subarray(100, 100 + 5 * 7), c = big.subarray(300, 300 + 21);
    w.gemm(false, false, 3, 7, 5, 1, a, b, 0, c);
    const want = new Float32Array(21);
    js.gemm(false, false, 3, 7, 5, 1, before.subarray(10, 25), before.subarray(100, 135), 0, want);
    close(c, want, () => 1e-5, 'gemm on subarrays');
    for (let i = 0; i < 1000; i++) if (i < 300 || i >= 321) assert.equal(big[i], before[i], `byte ${i} outside C changed`);
    assert.throws(() => w.gemm(false, false, 4, 7, 5, 1, a, b, 0, c), /gemm: a has 15 elements but 20 are needed/);
  });

  it('biasAdd and biasGrad are bit-identical to the reference', () => {
    const rng = new Rng(13);
    for (const rows of SIZES) {
      const cols = pick(rng), inside = rows % 2 === 1 && cols !== 63;
      const x = randF32(rng, rows * cols), bias = randF32(rng, cols);
      const xr = x.slice(); js.biasAdd(xr, bias, rows, cols);
      const xw = place(x, inside); w.biasAdd(xw, place(bias, !inside), rows, cols);
      exact(xw, xr, `biasAdd ${rows}x${cols}`);
      const dbr = new Float32Array(cols); js.biasGrad(x, dbr, rows, cols);
      const dbw = place(new Float32Array(cols).fill(7), inside); w.biasGrad(place(x, !inside), dbw, rows, cols);
      exact(dbw, dbr, `biasGrad ${rows}x${cols}`);
    }
    // narrow rows (1, 2, 3, 6 floats: one flat run with the bias pattern in vectors), every
    // row count's tail, and row bands [lo, hi) starting anywhere in the pattern (the worker split)
    for (const cols of [1, 2, 3, 4, 5, 6, 7]) for (let rows = 0; rows <= 13; rows++) {
      const x = randF32(rng, rows * cols), bias = randF32(rng, cols);
      const xr = x.slice(); js.biasAdd(xr, bias, rows, cols);
      const xw = place(x, true); w.biasAdd(xw, bias, rows, cols);
      exact(xw, xr, `biasAdd ${rows}x${cols}`);
      const E = w.exports, xb = place(x, true), pb = place(bias, true);
      for (let lo = 0; lo < rows; lo += 5) E.biasAdd(xb.byteOffset, pb.byteOffset, rows, cols, lo, Math.min(rows, lo + 5));
      exact(xb, xr, `biasAdd ${rows}x${cols} in bands of 5 rows`);
    }
    // every width's tail (16-column blocks, then the rest in one pass), including 0 and 1 rows
    for (const rows of [0, 1, 2, 7]) for (let cols = 1; cols <= 37; cols++) {
      const x = randF32(rng, rows * cols);
      const dbr = new Float32Array(cols); js.biasGrad(x, dbr, rows, cols);
      const dbw = new Float32Array(cols).fill(7); w.biasGrad(x, dbw, rows, cols);
      exact(dbw, dbr, `biasGrad ${rows}x${cols}`);
    }
  });

  // Every registry entry is tested; each states its tolerance here (a new entry without one fails to typecheck).
  const ACTS = ACTIVATION_NAMES;
  /**
   * 'exact' (bits equal to the reference), or t: forward |w - r| <= t max(|r|, 1e-30) + 1e-37; backward
   * for activations reading a (sigmoid, tanh, softmax) as below, for the others (reading z) the
   * second number t_b: |w - r| <= t_b (|r| + |dy|).
   */
  const ACT_TOL: Record<ActivationName, 'exact' | number | [number, number]> = {
    linear: 'exact', step: 'exact', relu: 'exact', leakyRelu: 'exact', sigmoid: 4e-7, tanh: 4e-7, softmax: 4e-7,
    softsign: 'exact', relu6: 'exact', hardSigmoid: 'exact',
    elu: [4e-7, 4e-7], selu: [6e-7, 4e-7], softplus: [6e-7, 4e-7], swish: [6e-7, 4e-7], gelu: [1e-6, 4e-7], geluTanh: [6e-7, 4e-7],
  };
  const fwdTol = (n: ActivationName): number => { const t = ACT_TOL[n]; return typeof t === 'number' ? t : (t as [number, number])[0]; };
  const EXACT_ACTS = new Set<ActivationName>(ACTS.filter((n) => ACT_TOL[n] === 'exact'));
  const ELEMENTWISE = ACTS.filter((n) => ACTIVATION_DEFS[n].shape === 'elementwise');

  it('activationForward: every activation, with stated tolerances (exact for linear/step/relu/leakyRelu)', () => {
    const rng = new Rng(14);
    for (const name of ACTS)
      for (const rows of [1, 3, 17]) for (const cols of SIZES) {
        const scale = name === 'softmax' ? 8 : 4;
        const z = randF32(rng, rows * cols, scale);
        if (rows * cols > 6) { z[0] = 0; z[1] = -0; z[2] = 90; z[3] = -90; z[4] = 1e-4; z[5] = -0.6; }
        const inside = (rows + cols) % 2 === 0;
        const r = new Float32Array(rows * cols); js.activationForward(name, z, r, rows, cols, 0.3);
        const out = place(new Float32Array(rows * cols), inside);
        w.activationForward(name, place(z, inside), out, rows, cols, 0.3);
        const what = `${name} forward ${rows}x${cols}`;
        if (EXACT_ACTS.has(name)) exact(out, r, what);
        else close(out, r, (i) => fwdTol(name) * Math.max(Math.abs(r[i]!), 1e-30) + 1e-37, what);
        // in place (out aliases z)
        const zz = place(z, !inside);
        w.activationForward(name, zz, zz, rows, cols, 0.3);
        close(zz, out, () => 0, `${what} in place`);
      }
  });

  it('activationForward: extreme inputs (NaN, infinities, huge logits)', () => {
    const z = new Float32Array([Number.NaN, Infinity, -Infinity, 1e30, -1e30, 88.7, -88.7, 100, -104, 0.625, -0.625, 0.624]);
    for (const name of ELEMENTWISE) {
      const r = new Float32Array(z.length), out = w.alloc('float32', z.length) as Float32Array;
      js.activationForward(name, z, r, 1, z.length, 0.3);
      w.activationForward(name, z, out, 1, z.length, 0.3);
      if (ACT_TOL[name] === 'exact') exact(out, r, `${name} extremes`);
      else close(out, r, (i) => fwdTol(name) * Math.abs(r[i]!) + 1e-37, `${name} extremes`);
    }
    const big = new Float32Array([1000, 1001, 1002, -1000]), r = new Float32Array(4), out = new Float32Array(4);
    js.activationForward('softmax', big, r, 1, 4, 0);
    w.activationForward('softmax', big, out, 1, 4, 0);
    close(out, r, (i) => 4e-7 * Math.abs(r[i]!) + 1e-37, 'softmax of large logits');
  });

  it('activationBackward: every activation (exact for linear/step/relu/leakyRelu; 1e-6 relative otherwise)', () => {
    const rng = new Rng(15);
    for (const name of ACTS)
      for (const rows of [1, 5, 17]) for (const cols of SIZES) {
        const n = rows * cols, inside = (rows * cols) % 2 === 1;
        const z = randF32(rng, n, 3), a = new Float32Array(n), dy = randF32(rng, n);
        js.activationForward(name, z, a, rows, cols, 0.3);
        const r = new Float32Array(n); js.activationBackward(name, z, a, dy, r, rows, cols, 0.3);
        const dz = place(new Float32Array(n).fill(5), inside);
        w.activationBackward(name, place(z, inside), place(a, !inside), place(dy, inside), dz, rows, cols, 0.3);
        const what = `${name} backward ${rows}x${cols}`;
        if (EXACT_ACTS.has(name)) { exact(dz, r, what); continue; }
        const t = ACT_TOL[name];
        if (Array.isArray(t)) close(dz, r, (i) => t[1] * (Math.abs(r[i]!) + Math.abs(dy[i]!)), what);
        else {
          // softmax: scale of a_i (dy_i - <dy, a>) includes the dot's magnitude
          const rowScale = new Float64Array(rows);
          for (let q = 0; q < rows; q++) { let s = 0; for (let c = 0; c < cols; c++) s += Math.abs(dy[q * cols + c]! * a[q * cols + c]!); rowScale[q] = s; }
          close(dz, r, (i) => 1e-6 * (Math.abs(a[i]!) * (Math.abs(dy[i]!) + rowScale[Math.floor(i / cols)]!) + Math.abs(dy[i]!) * Math.abs(a[i]!)) + 1e-37, what);
        }
        // dz aliasing dy
        const dd = place(dy, !inside);
        w.activationBackward(name, z, a, dd, dd, rows, cols, 0.3);
        close(dd, dz, () => 0, `${what} in place`);
      }
  });

  const LOSSES: LossName[] = ['meanSquaredError', 'quadratic', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'hinge', 'squaredHinge'];
  const HINGES: readonly LossName[] = ['hinge', 'squaredHinge'];

  /** Predictions, targets and a magnitude per element for a loss test case. */
  function lossCase(rng: Rng, name: LossName, rows: number, cols: number, logits: boolean) {
    const n = rows * cols;
    let p = randF32(rng, n, 2);
    if (!logits && name !== 'meanSquaredError' && name !== 'quadratic' && !HINGES.includes(name)) {
      if (name === 'binaryCrossentropy') { const q = new Float32Array(n); js.activationForward('sigmoid', p, q, rows, cols, 0); p = q; }
      else { const q = new Float32Array(n); js.activationForward('softmax', p, q, rows, cols, 0); p = q; }
      if (n > 4) { p[0] = 0; p[1] = 1; p[2] = 5e-8; }
    }
    let y: Float32Array;
    if (name === 'sparseCategoricalCrossentropy') y = Float32Array.from({ length: rows }, () => rng.int(cols));
    else if (name === 'categoricalCrossentropy') { y = new Float32Array(n); for (let r = 0; r < rows; r++) y[r * cols + rng.int(cols)] = 1; }
    else if (name === 'binaryCrossentropy') y = Float32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
    // hinge: -1/+1 targets, or 0/1 (converted) every other case
    else if (HINGES.includes(name)) { const zeroOne = (rows + cols) % 2 === 0; y = Float32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? (zeroOne ? 0 : -1) : 1)); }
    else y = randF32(rng, n);
    return { p, y };
  }

  it('lossSum: every loss, probabilities and logits (relative 2e-6)', () => {
    const rng = new Rng(16);
    for (const name of LOSSES) for (const logits of [false, true])
      for (const rows of [1, 3, 64]) for (const cols of [1, 3, 5, 10, 17, 65]) {
        if (name === 'sparseCategoricalCrossentropy' && cols === 1 && !logits) continue;
        const { p, y } = lossCase(rng, name, rows, cols, logits);
        const inside = cols % 2 === 1;
        const r = js.lossSum(name, p, y, rows, cols, logits);
        const g = w.lossSum(name, place(p, inside), place(y, !inside), rows, cols, logits);
        // scale: the same sum with every term's magnitude (a cross-entropy term is at most 16.2)
        const scale = Math.abs(r) + rows * 1e-6;
        assert.ok(Math.abs(g - r) <= 2e-6 * scale, `lossSum ${name} logits=${logits} ${rows}x${cols}: wasm ${g} vs js ${r}`);
      }
  });

  it('lossGradient and fusedLossGradient: every loss (4 ulp of the operands)', () => {
    const rng = new Rng(17);
    for (const name of LOSSES) for (const rows of [1, 3, 17]) for (const cols of SIZES.slice(0, 6)) {
      const n = rows * cols, { p, y } = lossCase(rng, name, rows, cols, false);
      const inside = (rows + cols) % 2 === 1;
      const r = new Float32Array(n); js.lossGradient(name, p, y, rows, cols, 1 / rows, r);
      const g = place(new Float32Array(n).fill(3), inside);
      w.lossGradient(name, place(p, inside), place(y, inside), rows, cols, 1 / rows, g);
      close(g, r, (i) => 4 * ULP * Math.abs(r[i]!) + 1e-30, `lossGradient ${name} ${rows}x${cols}`);
      if (name === 'categoricalCrossentropy' || name === 'sparseCategoricalCrossentropy' || name === 'binaryCrossentropy') {
        const fr = new Float32Array(n); js.fusedLossGradient(name, p, y, rows, cols, 1 / rows, fr);
        const fw = place(new Float32Array(n).fill(3), !inside);
        w.fusedLossGradient(name, place(p, !inside), place(y, inside), rows, cols, 1 / rows, fw);
        close(fw, fr, (i) => 4 * ULP * (Math.abs(p[i]!) + 1) / rows, `fusedLossGradient ${name} ${rows}x${cols}`);
      }
    }
    assert.throws(() => w.fusedLossGradient('quadratic', new Float32Array(1), new Float32Array(1), 1, 1, 1, new Float32Array(1)), /no fused form/);
  });

  it('elementwise kernels, reductions and dropout', () => {
    const rng = new Rng(18);
    for (const n of [...SIZES, 1000, 4099, 140001]) { // 140001: arrays outside wasm memory go through 65536-number chunks
      const inside = n % 2 === 1;
      const x = randF32(rng, n), y = randF32(rng, n);
      const yr = y.slice(); js.axpy(-0.37, x, yr);
      const yw = place(y, inside); w.axpy(-0.37, place(x, !inside), yw);
      close(yw, yr, (i) => 4 * ULP * (Math.abs(y[i]!) + 0.37 * Math.abs(x[i]!)), `axpy ${n}`);
      const ar = new Float32Array(n); js.addScaled(x, 0.9, y, -0.1, ar);
      const aw = place(new Float32Array(n), inside); w.addScaled(place(x, !inside), 0.9, y, -0.1, aw);
      close(aw, ar, (i) => 4 * ULP * (0.9 * Math.abs(x[i]!) + 0.1 * Math.abs(y[i]!)), `addScaled ${n}`);
      const av = place(x, inside); w.addScaled(av, 0.9, y, -0.1, av); // out aliases x
      close(av, ar, (i) => 4 * ULP * (0.9 * Math.abs(x[i]!) + 0.1 * Math.abs(y[i]!)), `addScaled in place ${n}`);
      const xr = x.slice(); js.scale(xr, 1.7);
      const xw = place(x, inside); w.scale(xw, 1.7);
      close(xw, xr, (i) => 4 * ULP * Math.abs(xr[i]!), `scale ${n}`);
      const mr = new Float32Array(n); js.mul(x, y, mr);
      const mw = place(new Float32Array(n), !inside); w.mul(place(x, inside), y, mw);
      exact(mw, mr, `mul ${n}`);
      const cr = x.slice(); js.clip(cr, -0.5, 0.8);
      const cw = place(x, inside); w.clip(cw, -0.5, 0.8);
      exact(cw, cr, `clip ${n}`);
      for (const ins of [true, false]) {
        const ss = js.sumSquares(x), sw = w.sumSquares(place(x, ins));
        assert.ok(Math.abs(ss - sw) <= 1e-12 * ss, `sumSquares ${n}: ${sw} vs ${ss}`);
        const ad = js.absDiffSum(x, y), aw = w.absDiffSum(place(x, ins), place(y, ins || n % 2 === 0));
        assert.ok(Math.abs(ad - aw) <= 1e-12 * ad, `absDiffSum ${n}: ${aw} vs ${ad}`);
        assert.equal(w.allFinite(place(x, ins)), true);
        for (const bad of [Number.NaN, Infinity, -Infinity]) {
          const xb = place(x, ins); xb[n - 1] = bad;
          assert.equal(w.allFinite(xb), false, `allFinite with ${bad} at the end of ${n}`);
          xb[n - 1] = 0; xb[0] = bad;
          assert.equal(w.allFinite(xb), false, `allFinite with ${bad} at the start of ${n}`);
          xb[0] = 0; xb[n >> 1] = bad;
          assert.equal(w.allFinite(xb), false, `allFinite with ${bad} in the middle of ${n}`);
        }
      }
      const u = Float32Array.from({ length: n }, () => rng.uniform());
      const ur = u.slice(); js.dropoutMask(ur, 0.3);
      const uw = place(u, inside); w.dropoutMask(uw, 0.3);
      close(uw, ur, (i) => 2 * ULP * ur[i]!, `dropoutMask ${n}`);
    }
    for (const rows of [1, 3, 17]) for (const cols of SIZES) {
      const x = randF32(rng, rows * cols);
      if (cols > 2) x[1] = x[2] = 10; // a tie goes to the first
      const ar = new Int32Array(rows), aw = new Int32Array(rows);
      js.argmaxRows(x, rows, cols, ar);
      w.argmaxRows(place(x, cols % 2 === 1), rows, cols, aw);
      assert.deepEqual(aw, ar, `argmaxRows ${rows}x${cols}`);
    }
    const src = randF32(rng, 50 * 7), idx = Uint32Array.from([3, 49, 0, 7]);
    const gr = new Float32Array(3 * 7), gw = w.alloc('float32', 3 * 7) as Float32Array;
    js.gatherRows(src, 7, idx, 1, 3, gr); w.gatherRows(src, 7, idx, 1, 3, gw);
    exact(gw, gr, 'gatherRows');
  });

  it('optimiser updates: SGD, momentum, Nesterov, Adam, RMSprop, Adagrad in place', () => {
    const rng = new Rng(19);
    for (const n of [1, 3, 5, 17, 63, 65, 127, 129, 1001]) {
      const inside = n % 3 !== 0;
      const w0 = randF32(rng, n), g = randF32(rng, n), s0 = Float32Array.from(randF32(rng, n), (v) => v * v), v0 = randF32(rng, n, 0.1);
      const tol = (ref: Float32Array, base: Float32Array) => (i: number) => 8 * ULP * (Math.abs(ref[i]!) + Math.abs(base[i]!)) + 1e-30;
      const run = (what: string, fr: (w: Float32Array, s: Float32Array, v: Float32Array) => void,
                   fw: (w: Float32Array, s: Float32Array, v: Float32Array) => void) => {
        const [wr, sr, vr] = [w0.slice(), s0.slice(), v0.slice()];
        fr(wr, sr, vr);
        const [ww, sw, vw] = [place(w0, inside), place(s0, inside), place(v0, !inside)];
        fw(ww, sw, vw);
        close(ww, wr, tol(wr, w0), `${what} w (${n})`);
        close(sw, sr, tol(sr, s0), `${what} slot 1 (${n})`);
        close(vw, vr, tol(vr, v0), `${what} slot 2 (${n})`);
      };
      run('sgd', (a) => js.sgdUpdate(a, g, 0.1), (a) => w.sgdUpdate(a, place(g, !inside), 0.1));
      for (const nesterov of [false, true])
        run(`momentum nesterov=${nesterov}`, (a, _s, v) => js.momentumUpdate(a, g, v, 0.05, 0.9, nesterov),
            (a, _s, v) => w.momentumUpdate(a, g, v, 0.05, 0.9, nesterov));
      for (const t of [1, 7])
        run(`adam t=${t}`, (a, s, v) => js.adamUpdate(a, g, v, s, 0.001, 0.9, 0.999, 1e-7, t),
            (a, s, v) => w.adamUpdate(a, g, v, s, 0.001, 0.9, 0.999, 1e-7, t));
      run('rmsprop', (a, s) => js.rmspropUpdate(a, g, s, 0.001, 0.9, 1e-7), (a, s) => w.rmspropUpdate(a, g, s, 0.001, 0.9, 1e-7));
      run('adagrad', (a, s) => js.adagradUpdate(a, g, s, 0.01, 1e-7), (a, s) => w.adagradUpdate(a, g, s, 0.01, 1e-7));
    }
  });

  /** Window geometries: valid and TensorFlow-'same' padding, strides 1-3, odd channel counts. */
  function windows(rng: Rng): Window2D[] {
    const out: Window2D[] = [];
    for (const channels of [1, 3, 4, 5, 17]) for (const [kh, kw, sh, sw] of [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 1, 1], [5, 5, 1, 1], [3, 2, 2, 3]] as const)
      for (const same of [false, true]) {
        const batch = 1 + rng.int(3), height = kh + rng.int(6), width = kw + rng.int(6);
        let padTop = 0, padLeft = 0, outH: number, outW: number;
        if (same) {
          outH = Math.ceil(height / sh); outW = Math.ceil(width / sw);
          const ph = Math.max((outH - 1) * sh + kh - height, 0), pw = Math.max((outW - 1) * sw + kw - width, 0);
          padTop = Math.floor(ph / 2); padLeft = Math.floor(pw / 2);
        } else { outH = Math.floor((height - kh) / sh) + 1; outW = Math.floor((width - kw) / sw) + 1; }
        out.push({ batch, height, width, channels, kernelH: kh, kernelW: kw, strideH: sh, strideW: sw, padTop, padLeft, outH, outW });
      }
    return out;
  }

  it('max pooling 2 x 2 (its unrolled path) keeps the first maximum of each window, with ties everywhere', () => {
    const rng = new Rng(21);
    for (const [channels, size, stride, pad] of [[6, 28, 2, 0], [16, 10, 2, 0], [4, 7, 2, 1], [5, 9, 1, 0], [1, 8, 2, 0]] as const) {
      const out = Math.floor((size + 2 * pad - 2) / stride) + 1;
      const g = { batch: 3, height: size, width: size, channels, kernelH: 2, kernelW: 2, strideH: stride, strideW: stride, padTop: pad, padLeft: pad, outH: out, outW: out };
      const xs = 3 * size * size * channels, ys = 3 * out * out * channels;
      // values from {-1, 0, 1, 2} (and some -0 and NaN): most windows hold a tie
      const x = Float32Array.from({ length: xs }, (_, i) => (i % 97 === 0 ? NaN : i % 89 === 0 ? -0 : rng.int(4) - 1));
      const yr = new Float32Array(ys), ar = new Int32Array(ys); js.maxPoolForward(x, g, yr, ar);
      const yw = place(new Float32Array(ys), true), aw = new Int32Array(ys).fill(-7);
      w.maxPoolForward(place(x, true), g, yw, aw);
      exact(yw, yr, `maxPoolForward ${JSON.stringify(g)}`);
      assert.deepEqual(aw, ar, `maxPoolForward argmax ${JSON.stringify(g)}`);
    }
  });

  it('im2col, col2im, max and average pooling are bit-identical to the reference', () => {
    const rng = new Rng(20);
    let count = 0;
    for (const g of windows(rng)) {
      const inside = count++ % 2 === 0;
      const xs = g.batch * g.height * g.width * g.channels, rows = g.batch * g.outH * g.outW, rowLen = g.kernelH * g.kernelW * g.channels;
      const x = randF32(rng, xs);
      if (xs > 3) x[1] = x[0]!; // a tie
      const what = JSON.stringify(g);
      const cr = new Float32Array(rows * rowLen); js.im2col(x, g, cr);
      const cw = place(new Float32Array(rows * rowLen).fill(9), inside); w.im2col(place(x, !inside), g, cw);
      exact(cw, cr, `im2col ${what}`);
      const col = randF32(rng, rows * rowLen);
      const dr = new Float32Array(xs); js.col2im(col, g, dr);
      const dw = place(new Float32Array(xs).fill(9), inside); w.col2im(place(col, inside), g, dw);
      exact(dw, dr, `col2im ${what}`);
      const ys = rows * g.channels;
      const yr = new Float32Array(ys), ar = new Int32Array(ys); js.maxPoolForward(x, g, yr, ar);
      const yw = place(new Float32Array(ys), inside), aw = new Int32Array(ys).fill(-7);
      w.maxPoolForward(place(x, inside), g, yw, aw);
      exact(yw, yr, `maxPoolForward ${what}`);
      assert.deepEqual(aw, ar, `maxPoolForward argmax ${what}`);
      const dy = randF32(rng, ys);
      const mr = new Float32Array(xs); js.maxPoolBackward(dy, ar, mr, xs);
      const mw = place(new Float32Array(xs).fill(9), !inside); w.maxPoolBackward(place(dy, inside), aw, mw, xs);
      exact(mw, mr, `maxPoolBackward ${what}`);
      const pr = new Float32Array(ys); js.avgPoolForward(x, g, pr);
      const pw = place(new Float32Array(ys), inside); w.avgPoolForward(place(x, !inside), g, pw);
      exact(pw, pr, `avgPoolForward ${what}`);
      const br = new Float32Array(xs); js.avgPoolBackward(dy, g, br);
      const bw = place(new Float32Array(xs).fill(9), inside); w.avgPoolBackward(place(dy, inside), g, bw);
      exact(bw, br, `avgPoolBackward ${what}`);
    }
  });

  it('the one-channel forward with lanes over pixels (assembly/conv-pixels.ts) and the kernel gradient for few filters equal im2col + gemm bit for bit, for every filter grouping and row tail', () => {
    const rng = new Rng(23);
    for (const [height, width, kh, kw, sh, pad] of [[28, 28, 5, 5, 1, 2], [9, 13, 3, 5, 2, 0], [6, 11, 2, 3, 1, 1], [12, 35, 5, 5, 1, 0]] as const) {
      const outH = Math.floor((height + 2 * pad - kh) / sh) + 1, outW = width + 2 * pad - kw + 1;
      const g: Window2D = { batch: 2, height, width, channels: 1, kernelH: kh, kernelW: kw, strideH: sh, strideW: 1, padTop: pad, padLeft: pad, outH, outW };
      const K = kh * kw, rows = g.batch * outH * outW;
      const x = randF32(rng, g.batch * height * width);
      x[1] = -0; x[2] = 0;
      const col = new Float32Array(rows * K); w.im2col(x, g, col);
      for (const F of [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]) {
        const kernel = randF32(rng, K * F);
        const z0 = new Float32Array(rows * F); w.gemm(false, false, rows, F, K, 1, col, kernel, 0, z0);
        const z1 = new Float32Array(rows * F).fill(9); w.convForward(x, g, kernel, F, z1);
        exact(z1, z0, `convForward ${JSON.stringify(g)} F=${F}`);
        // and the kernel gradient's paths for few filters (Delta read in place, a lone last tap)
        const delta = randF32(rng, rows * F);
        const d0 = new Float32Array(K * F); w.gemm(true, false, K, F, rows, 1, col, delta, 0, d0);
        const d1 = new Float32Array(K * F).fill(9); w.convKernelGrad(x, g, delta, F, d1);
        exact(d1, d0, `convKernelGrad ${JSON.stringify(g)} F=${F}`);
      }
    }
  });

  it('the fused convolution products equal im2col + gemm (+ col2im): bit for bit within each backend, wasm against the reference within gemm\'s bound', () => {
    const rng = new Rng(21);
    const lenet = (batch: number, h: number, c: number, pad: number, out: number): Window2D =>
      ({ batch, height: h, width: h, channels: c, kernelH: 5, kernelW: 5, strideH: 1, strideW: 1, padTop: pad, padLeft: pad, outH: out, outW: out });
    const geoms = [...windows(rng), lenet(3, 28, 1, 2, 28), lenet(3, 14, 6, 0, 10),
      { batch: 2, height: 9, width: 7, channels: 3, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padTop: 1, padLeft: 1, outH: 5, outW: 4 }];
    const abs = (a: Float32Array) => a.map(Math.abs);
    let count = 0;
    for (const g of geoms) {
      const inside = count++ % 2 === 0;
      const F = [1, 6, 9, 16][count % 4]!, K = g.kernelH * g.kernelW * g.channels, rows = g.batch * g.outH * g.outW;
      const xs = g.batch * g.height * g.width * g.channels, what = `${JSON.stringify(g)} F=${F}`;
      const x = randF32(rng, xs), kernel = randF32(rng, K * F), delta = randF32(rng, rows * F);
      for (const [k, name] of [[w, 'wasm'], [js, 'js']] as const) {
        const col = new Float32Array(rows * K); k.im2col(x, g, col);
        const z0 = new Float32Array(rows * F); k.gemm(false, false, rows, F, K, 1, col, kernel, 0, z0);
        const z1 = place(new Float32Array(rows * F).fill(9), inside); k.convForward(place(x, !inside), g, kernel, F, z1);
        exact(z1, z0, `${name} convForward ${what}`);
        const d0 = new Float32Array(K * F); k.gemm(true, false, K, F, rows, 1, col, delta, 0, d0);
        const d1 = place(new Float32Array(K * F).fill(9), !inside); k.convKernelGrad(place(x, inside), g, delta, F, d1);
        exact(d1, d0, `${name} convKernelGrad ${what}`);
        const dcol = new Float32Array(rows * K); k.gemm(false, true, rows, K, F, 1, delta, kernel, 0, dcol);
        const x0 = new Float32Array(xs); k.col2im(dcol, g, x0);
        const x1 = place(new Float32Array(xs).fill(9), inside); k.convInputGrad(place(delta, !inside), kernel, g, F, x1);
        exact(x1, x0, `${name} convInputGrad ${what}`);
      }
      const col = new Float32Array(rows * K); js.im2col(x, g, col);
      const bound = (S: Float32Array, k: number) => (i: number) => 2 * (k + 2) * ULP * S[i]! + 1e-30;
      const zr = new Float32Array(rows * F), zw = new Float32Array(rows * F), zs = new Float32Array(rows * F);
      js.convForward(x, g, kernel, F, zr); w.convForward(x, g, kernel, F, zw); js.gemm(false, false, rows, F, K, 1, abs(col), abs(kernel), 0, zs);
      close(zw, zr, bound(zs, K), `convForward wasm vs js ${what}`);
      const dr = new Float32Array(K * F), dw = new Float32Array(K * F), ds = new Float32Array(K * F);
      js.convKernelGrad(x, g, delta, F, dr); w.convKernelGrad(x, g, delta, F, dw); js.gemm(true, false, K, F, rows, 1, abs(col), abs(delta), 0, ds);
      close(dw, dr, bound(ds, rows), `convKernelGrad wasm vs js ${what}`);
      const xr = new Float32Array(xs), xw = new Float32Array(xs), ss = new Float32Array(rows * K), xsum = new Float32Array(xs);
      js.convInputGrad(delta, kernel, g, F, xr); w.convInputGrad(delta, kernel, g, F, xw);
      js.gemm(false, true, rows, K, F, 1, abs(delta), abs(kernel), 0, ss); js.col2im(ss, g, xsum);
      close(xw, xr, bound(xsum, F + K), `convInputGrad wasm vs js ${what}`);
    }
  });

  it('batch normalisation (stats, forward, backward) is bit-identical to the reference', () => {
    const rng = new Rng(21);
    for (const rows of SIZES) for (const cols of [1, 3, 4, 5, 17, 65]) {
      const inside = (rows + cols) % 2 === 0;
      const x = randF32(rng, rows * cols, 3);
      for (let i = 0; i < x.length; i++) x[i]! += 1.5;
      const mr = new Float32Array(cols), vr = new Float32Array(cols); js.batchNormStats(x, rows, cols, mr, vr);
      const mw = place(new Float32Array(cols), inside), vw = place(new Float32Array(cols), !inside);
      w.batchNormStats(place(x, inside), rows, cols, mw, vw);
      exact(mw, mr, `batchNormStats mean ${rows}x${cols}`);
      exact(vw, vr, `batchNormStats variance ${rows}x${cols}`);
      const gamma = randF32(rng, cols), beta = randF32(rng, cols);
      for (const [gm, bt] of [[gamma, beta], [null, null], [gamma, null]] as const) {
        const hr = new Float32Array(rows * cols), yr = new Float32Array(rows * cols);
        js.batchNormForward(x, rows, cols, mr, vr, gm, bt, 1e-3, hr, yr);
        const hw = place(new Float32Array(rows * cols), inside), yw = place(new Float32Array(rows * cols), inside);
        w.batchNormForward(place(x, !inside), rows, cols, mw, vw, gm && place(gm, inside), bt, 1e-3, hw, yw);
        exact(hw, hr, `batchNormForward xhat ${rows}x${cols}`);
        exact(yw, yr, `batchNormForward y ${rows}x${cols} gamma=${!!gm} beta=${!!bt}`);
        const dy = randF32(rng, rows * cols);
        for (const batchStatistics of [true, false]) {
          const dgr = new Float32Array(cols), dbr = new Float32Array(cols), dxr = new Float32Array(rows * cols);
          js.batchNormBackward(dy, hr, rows, cols, vr, gm, 1e-3, batchStatistics, dgr, dbr, dxr);
          const dgw = place(new Float32Array(cols), inside), dbw = place(new Float32Array(cols), !inside), dxw = place(new Float32Array(rows * cols), inside);
          w.batchNormBackward(place(dy, inside), hw, rows, cols, vw, gm, 1e-3, batchStatistics, dgw, dbw, dxw);
          exact(dgw, dgr, `batchNormBackward dgamma ${rows}x${cols}`);
          exact(dbw, dbr, `batchNormBackward dbeta ${rows}x${cols}`);
          exact(dxw, dxr, `batchNormBackward dx ${rows}x${cols} batchStatistics=${batchStatistics}`);
        }
      }
    }
  });

  it('float64 buffers go to the reference kernels; alloc/free reuse wasm memory', () => {
    const a = w.alloc('float64', 4);
    assert.ok(a instanceof Float64Array);
    const c = new Float64Array(1);
    w.gemm(false, false, 1, 1, 4, 1, new Float64Array([1, 2, 3, 4]), new Float64Array([1, 1, 1, 1]), 0, c);
    assert.equal(c[0], 10);
    const b = w.alloc('float32', 100) as Float32Array;
    assert.ok(w.heap.owns(b) && b.byteOffset % 64 === 0 && b.every((v) => v === 0));
    b.fill(3);
    const off = b.byteOffset;
    w.free(b);
    w.free(b); // a second free is ignored
    const b2 = w.alloc('float32', 97) as Float32Array;
    assert.equal(b2.byteOffset, off, 'the freed block is reused');
    assert.ok(b2.every((v) => v === 0), 'a reused block is zero-filled');
    w.free(new Float32Array(3)); // not ours: ignored
  });

  it('buffers stay valid when the memory grows', () => {
    const first = w.alloc('float32', 1000) as Float32Array;
    first.fill(1.5);
    const before = w.heap.byteLength;
    const big = w.alloc('float32', (before / 4) | 0) as Float32Array; // forces a grow
    assert.ok(w.heap.byteLength > before);
    assert.ok(first.every((v) => v === 1.5));
    big[big.length - 1] = 2;
    const out = w.alloc('float32', 1) as Float32Array;
    w.gemm(false, false, 1, 1, 1000, 1, first, first, 0, out); // an "old" view is still passed by offset
    assert.equal(out[0], 1000 * 2.25);
    w.free(big);
  });
});
