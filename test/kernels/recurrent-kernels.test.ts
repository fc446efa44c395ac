// The recurrent gate kernels (rnnStep*, lstmStep*, gruStep*, gruResetGate*) and the sequence helpers
// (scatterAddRows, rowMask, scaleRows): WebAssembly against the js reference
// in float32, over batch sizes x unit counts (vector bodies and the one-lane tail), masks, missing
// output gradients, both GRU forms (reset after / before), several activations, and arrays inside and outside wasm memory; masked rows
// carry their state bit for bit. The float64 reference itself is checked against PyTorch
// (test/nn/recurrent-torch.test.ts) and finite differences (test/nn/recurrent.test.ts).
//
// Tolerance: |w - r| <= 4e-6 (1 + |r|) per element: the js reference evaluates each gate in float64
// and rounds once, the wasm kernel rounds each product and sum in float32 and uses the vector
// exp/tanh of assembly/math.ts (4e-7 relative), over chains of at most a few dozen operations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsBackend as js, Rng, type ActivationName } from '../../src/index.js';
import type { Backend } from '../../src/kernels/backend.js';
import { close, exact, place, randF32, w } from './helpers.js';

const tol = (r: ArrayLike<number>) => (i: number) => 4e-6 * (1 + Math.abs(r[i]!));
const ACTS: [ActivationName, ActivationName][] = [['tanh', 'sigmoid'], ['relu', 'hardSigmoid'], ['leakyRelu', 'sigmoid'], ['swish', 'softsign']];

/** A 0/1 mask with both values (row 0 present), or null. */
function maskOf(rng: Rng, rows: number, on: boolean): Float32Array | null {
  if (!on) return null;
  const m = new Float32Array(rows);
  for (let r = 0; r < rows; r++) m[r] = r === 0 || rng.uniform() < 0.6 ? 1 : 0;
  return m;
}

/** Runs `call` on both backends over copies of `inputs` (placed inside or outside wasm memory); compares every array. */
function compare(what: string, inputs: Record<string, Float32Array | null>, call: (k: Backend, a: Record<string, Float32Array | null>) => void, inside: boolean): Record<string, Float32Array | null> {
  const ref: Record<string, Float32Array | null> = {}, got: Record<string, Float32Array | null> = {};
  for (const [key, v] of Object.entries(inputs)) { ref[key] = v && v.slice(); got[key] = v && place(v, inside); }
  call(js, ref);
  call(w, got);
  for (const key of Object.keys(inputs)) if (ref[key]) close(got[key]!, ref[key]!, tol(ref[key]!), `${what} ${key}`);
  return ref;
}

describe('recurrent gate kernels: wasm equals the js reference (float32)', () => {
  let seed = 0;
  for (const [act, ract] of ACTS)
    for (const rows of [1, 3, 5])
      for (const units of [1, 3, 4, 5, 8, 17]) {
        const s = ++seed, masked = s % 2 === 0, withDy = s % 3 !== 0, inside = s % 4 !== 3, resetBefore = s % 5 < 2;
        it(`${act}/${ract}, ${rows} x ${units}${masked ? ', masked' : ''}${withDy ? '' : ', no dy'}${inside ? '' : ', outside wasm memory'}${resetBefore ? ', GRU reset before' : ''}`, () => {
          const rng = new Rng(700 + s), n = rows * units, mask = maskOf(rng, rows, masked);
          const dy = withDy ? randF32(rng, n) : null;
          const what = `${act}/${ract} ${rows}x${units}`;
          // SimpleRNN
          const rnn = compare(`rnn forward ${what}`, { z: randF32(rng, n, 2), hPrev: randF32(rng, n), mask, h: new Float32Array(n) },
            (k, a) => k.rnnStepForward(a.z!, a.hPrev!, a.mask, rows, units, act, a.h!), inside);
          compare(`rnn backward ${what}`, { z: rnn.z!, h: rnn.h!, mask, dy, dh: randF32(rng, n), dz: new Float32Array(n) },
            (k, a) => k.rnnStepBackward(a.z!, a.h!, a.mask, a.dy, a.dh!, rows, units, act, a.dz!), inside);
          // LSTM
          const lstm = compare(`lstm forward ${what}`, { z: randF32(rng, 4 * n, 2), cPrev: randF32(rng, n), hPrev: randF32(rng, n), mask,
            gates: new Float32Array(4 * n), c: new Float32Array(n), h: new Float32Array(n) },
          (k, a) => k.lstmStepForward(a.z!, a.cPrev!, a.hPrev!, a.mask, rows, units, act, ract, a.gates!, a.c!, a.h!), inside);
          compare(`lstm backward ${what}`, { z: lstm.z!, gates: lstm.gates!, cPrev: lstm.cPrev!, c: lstm.c!, mask, dy, dh: randF32(rng, n), dc: randF32(rng, n),
            dz: new Float32Array(4 * n) },
          (k, a) => k.lstmStepBackward(a.z!, a.gates!, a.cPrev!, a.c!, a.mask, a.dy, a.dh!, a.dc!, rows, units, act, ract, a.dz!), inside);
          // GRU
          const gru = compare(`gru forward ${what}`, { xz: randF32(rng, 3 * n, 2), hz: randF32(rng, 3 * n, 2), hzh: resetBefore ? randF32(rng, 3 * n, 2) : null, hPrev: randF32(rng, n), mask,
            pre: new Float32Array(3 * n), gates: new Float32Array(3 * n), h: new Float32Array(n) },
          (k, a) => k.gruStepForward(a.xz!, a.hz!, a.hzh, a.hPrev!, a.mask, rows, units, act, ract, a.pre!, a.gates!, a.h!), inside);
          compare(`gru backward ${what}`, { pre: gru.pre!, gates: gru.gates!, hz: resetBefore ? null : gru.hz!, hPrev: gru.hPrev!, mask, dy, dh: randF32(rng, n),
            dxz: new Float32Array(3 * n), dhz: new Float32Array(3 * n) },
          (k, a) => k.gruStepBackward(a.pre!, a.gates!, a.hz, a.hPrev!, a.mask, a.dy, a.dh!, rows, units, act, ract, a.dxz!, a.dhz!), inside);
          // The reset-before GRU's reset gate and its second backward pass (dxz's z and h blocks as gruStepBackward left them).
          compare(`gru reset gate ${what}`, { xz: gru.xz!, hz: gru.hz!, hPrev: gru.hPrev!, rh: new Float32Array(n) },
            (k, a) => k.gruResetGate(a.xz!, a.hz!, a.hPrev!, rows, units, ract, a.rh!), inside);
          compare(`gru reset gate backward ${what}`, { pre: gru.pre!, gates: gru.gates!, hPrev: gru.hPrev!, mask, drh: randF32(rng, n), dxz: randF32(rng, 3 * n),
            dh: randF32(rng, n), dhzr: randF32(rng, 3 * n) },
          (k, a) => k.gruResetGateBackward(a.pre!, a.gates!, a.hPrev!, a.mask, a.drh!, rows, units, ract, a.dxz!, a.dh!, a.dhzr!), inside);
          // Masked rows: the state is carried exactly.
          if (mask) for (let r = 0; r < rows; r++) if (mask[r] === 0)
            for (let j = 0; j < units; j++) {
              assert.equal(lstm.h![r * units + j], lstm.hPrev![r * units + j]);
              assert.equal(lstm.c![r * units + j], lstm.cPrev![r * units + j]);
              assert.equal(gru.h![r * units + j], gru.hPrev![r * units + j]);
            }
        });
      }
});

describe('sequence helper kernels: wasm equals the js reference bit for bit (float32)', () => {
  for (const [rows, cols, inside] of [[1, 1, true], [7, 3, false], [12, 4, true], [9, 17, true], [30, 64, false]] as const)
    it(`${rows} x ${cols}${inside ? '' : ', outside wasm memory'}`, () => {
      const rng = new Rng(900 + rows * cols);
      // scatterAddRows: repeated indices accumulate; an index past dst's rows is skipped by both.
      const dstRows = 5, src = randF32(rng, rows * cols), dst0 = randF32(rng, dstRows * cols);
      const idx = Uint32Array.from({ length: rows }, (_, j) => (j === rows - 1 && rows > 1 ? dstRows + 2 : rng.int(dstRows)));
      const want = dst0.slice(), got = place(dst0, inside);
      js.scatterAddRows(src, cols, idx, rows, want);
      w.scatterAddRows(place(src, inside), cols, idx, rows, got);
      exact(got, want, 'scatterAddRows');
      assert.notDeepEqual(Array.from(want), Array.from(dst0), 'scatterAddRows changed something');
      // rowMask: rows equal to the value (0), rows with one differing entry, a NaN row; 0.1 (no float32 equals it) masks nothing.
      const x = randF32(rng, rows * cols);
      for (let r = 0; r < rows; r += 2) x.fill(0, r * cols, (r + 1) * cols);
      if (rows > 2) x[cols + cols - 1] = Number.NaN;
      for (const value of [0, 0.1]) {
        const mw = new Float32Array(rows), mg = place(new Float32Array(rows).fill(7), inside);
        js.rowMask(x, rows, cols, value, mw);
        w.rowMask(place(x, inside), rows, cols, value, mg);
        exact(mg, mw, `rowMask ${value}`);
        if (value === 0) assert.equal(mw[0], 0);
        else assert.ok(mw.every((v) => v === 1));
      }
      // scaleRows, also in place (out = x).
      const s = randF32(rng, rows), ow = new Float32Array(rows * cols), og = place(new Float32Array(rows * cols), inside);
      js.scaleRows(x, s, rows, cols, ow);
      w.scaleRows(place(x, inside), place(s, inside), rows, cols, og);
      exact(og, ow, 'scaleRows');
      const xi = place(x, inside);
      w.scaleRows(xi, place(s, inside), rows, cols, xi);
      exact(xi, ow, 'scaleRows in place');
    });
});
