// GRU recurrentDropout as Keras 2 / 3 and TF.js do it: h_{t-1} times a mask m fixed for the whole
// sequence, in the whole step (the update too: h_t = z (m h_{t-1}) + (1 - z) hh); a padded step
// carries the unmasked state. With a fixed mask: the functional forward equals an independent
// loop over the equations (js float64 and the default backend in float32), backward equals finite
// differences; the layer draws seeded masks, leaves inference alone and trains.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getKernels, GRU, jsBackend, Rng, Sequential, Dense, Tensor, type DType } from '../../src/index.js';
import { withBackend } from '../../src/kernels/index.js';
import { Workspace } from '../../src/kernels/workspace.js';
import { gruBackward, gruForward, scratchFrom, sequencePlan } from '../../src/nn/functional/index.js';
import type { Param } from '../../src/nn/param.js';

const B = 3, T = 4, F = 2, U = 3;
const LENGTH = [4, 2, 3]; // sample 1 and 2 padded at the end
const sig = (v: number): number => 1 / (1 + Math.exp(-v));

interface Weights { W: number[]; Uw: number[]; b: number[]; x: number[]; rec: number[]; seq: number[] }

function weights(rng: Rng, resetAfter: boolean): Weights {
  const r = (n: number, s = 0.6): number[] => Array.from({ length: n }, () => s * rng.normal());
  const rec = Array.from({ length: B * U }, () => (rng.uniform() < 0.4 ? 0 : 1 / 0.6));
  rec[0] = 0; rec[1] = 1 / 0.6; // at least one dropped and one kept
  const seq = Array.from({ length: B * T }, (_, i) => (i % T < LENGTH[Math.floor(i / T)]! ? 1 : 0));
  return { W: r(F * 3 * U), Uw: r(U * 3 * U), b: r((resetAfter ? 2 : 1) * 3 * U), x: r(B * T * F, 1), rec, seq };
}

/** The Keras GRUCell equations, one sample and step at a time, returning every step's h [B, T, U]. */
function reference(w: Weights, resetAfter: boolean, masked: boolean): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) {
      if (masked && w.seq[b * T + t] === 0) { out.push(...h); continue; }
      const hd = h.map((v, j) => v * w.rec[b * U + j]!);
      const xz = (c: number): number => { let s = w.b[c]!; for (let f = 0; f < F; f++) s += w.x[(b * T + t) * F + f]! * w.W[f * 3 * U + c]!; return s; };
      const hz = (c: number, hv: number[]): number => { let s = resetAfter ? w.b[3 * U + c]! : 0; for (let i = 0; i < U; i++) s += hv[i]! * w.Uw[i * 3 * U + c]!; return s; };
      const z = Array.from({ length: U }, (_, j) => sig(xz(j) + hz(j, hd)));
      const r = Array.from({ length: U }, (_, j) => sig(xz(U + j) + hz(U + j, hd)));
      const rh = hd.map((v, j) => r[j]! * v);
      const hh = Array.from({ length: U }, (_, j) => Math.tanh(resetAfter ? xz(2 * U + j) + r[j]! * hz(2 * U + j, hd) : xz(2 * U + j) + hz(2 * U + j, rh)));
      h = z.map((zj, j) => zj * hd[j]! + (1 - zj) * hh[j]!);
      out.push(...h);
    }
  }
  return out;
}

function param(name: string, v: number[], shape: number[], dtype: DType): Param {
  const A = dtype === 'float64' ? Float64Array : Float32Array;
  return { name, value: new Tensor(A.from(v), shape), grad: new Tensor(new A(v.length), shape), trainable: true };
}

/** The functional GRU with the fixed masks: y [B, T, U], and a backward of C = sum(y g). */
function run(w: Weights, resetAfter: boolean, masked: boolean, dtype: DType) {
  const k = getKernels(), ws = new Workspace(), scratch = scratchFrom(ws, dtype), A = dtype === 'float64' ? Float64Array : Float32Array;
  const W = param('W', w.W, [F, 3 * U], dtype), Uw = param('U', w.Uw, [U, 3 * U], dtype), b = param('b', w.b, resetAfter ? [2, 3 * U] : [3 * U], dtype);
  const x = new Tensor(A.from(w.x), [B, T, F]), mask = masked ? new Tensor(A.from(w.seq), [B, T]) : null;
  const acts = { activation: 'tanh', recurrentActivation: 'sigmoid' } as const;
  const forward = () => gruForward(k, scratch, x, W.value, Uw.value, b.value, acts, mask, sequencePlan(B, T, false), true, resetAfter, null,
                                   { input: null, recurrent: A.from(w.rec) });
  return { x, W, Uw, b, forward, ws, backward: (g: Tensor) => gruBackward(k, scratch, g, forward(), W, Uw, b, acts, true) };
}

describe('GRU recurrentDropout (Keras: the mask on h_{t-1} for the whole step)', () => {
  for (const resetAfter of [true, false]) for (const masked of [false, true]) {
    const label = `resetAfter ${resetAfter}${masked ? ', padded sequences' : ''}`;
    it(`${label}: forward equals the equations (js float64 1e-12; default backend float32 1e-5)`, () => {
      const w = weights(new Rng(resetAfter ? 7 : 8), resetAfter), want = reference(w, resetAfter, masked);
      withBackend(jsBackend, () => {
        const r = run(w, resetAfter, masked, 'float64'), y = r.forward().y;
        want.forEach((v, i) => assert.ok(Math.abs(y.data[i]! - v) < 1e-12, `y[${i}] ${y.data[i]} vs ${v}`));
        r.ws.dispose();
      });
      const r = run(w, resetAfter, masked, 'float32'), y = r.forward().y;
      want.forEach((v, i) => assert.ok(Math.abs(y.data[i]! - v) < 1e-5, `${getKernels().name} y[${i}] ${y.data[i]} vs ${v}`));
      r.ws.dispose();
    });
    it(`${label}: backward equals central differences (js float64, relative 1e-7)`, () => withBackend(jsBackend, () => {
      const w = weights(new Rng(resetAfter ? 9 : 10), resetAfter), r = run(w, resetAfter, masked, 'float64');
      const g = new Tensor(Float64Array.from({ length: B * T * U }, (_, i) => Math.sin(i + 1)), [B, T, U]);
      const dx = r.backward(g)!.data.slice();
      const C = (): number => { const y = r.forward().y; let c = 0; for (let i = 0; i < y.size; i++) c += y.data[i]! * g.data[i]!; return c; };
      const check = (what: string, v: Float64Array | Float32Array, analytic: ArrayLike<number>): void => {
        for (let i = 0; i < v.length; i++) {
          const v0 = v[i]!;
          v[i] = v0 + 1e-6; const plus = C(); v[i] = v0 - 1e-6; const minus = C(); v[i] = v0;
          const numeric = (plus - minus) / 2e-6;
          assert.ok(Math.abs(numeric - analytic[i]!) <= 1e-7 * Math.max(1, Math.abs(numeric)), `${what}[${i}]: ${analytic[i]} vs ${numeric}`);
        }
      };
      const grads = [r.W.grad.data.slice(), r.Uw.grad.data.slice(), r.b.grad.data.slice()];
      assert.ok(grads[1]!.some((v) => v !== 0), 'the recurrent kernel gets a gradient');
      check('dW', r.W.value.data, grads[0]!); check('dU', r.Uw.value.data, grads[1]!); check('db', r.b.value.data, grads[2]!); check('dx', r.x.data, dx);
      r.ws.dispose();
    }));
  }

  it('the layer: seeded masks (same seed, same loss), inference unaffected, saved in the config, and it trains', () => {
    const rng = new Rng(3), x = new Tensor(Float32Array.from({ length: 8 * T * F }, () => rng.normal()), [8, T, F]);
    const y = new Tensor(Float32Array.from({ length: 8 }, (_, i) => i % 2), [8, 1]);
    const mk = (seed: number) => {
      const m = new Sequential([new GRU({ units: U, recurrentDropout: 0.5, inputShape: [T, F] }), new Dense({ units: 1 })], { seed });
      m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      return m;
    };
    const a = mk(4), b = mk(4);
    assert.equal(a.computeGradients(x, y).loss, b.computeGradients(x, y).loss);
    const gru = a.layers[0] as GRU;
    assert.equal(gru.getConfig().recurrentDropout, 0.5);
    const noDrop = new Sequential([new GRU({ units: U, inputShape: [T, F] }), new Dense({ units: 1 })]);
    noDrop.build([T, F]); noDrop.setWeights(a.getWeights());
    assert.deepEqual(Array.from(a.predict(x).dataSync()), Array.from(noDrop.predict(x).dataSync()), 'inference ignores the masks');
    const losses = new Set<number>();
    for (let i = 0; i < 3; i++) losses.add(a.computeGradients(x, y).loss as number);
    assert.ok(losses.size > 1, 'each batch draws new masks');
    const first = a.computeLoss(x, y, false);
    for (let i = 0; i < 100; i++) a.trainStep(x, y);
    assert.ok(a.computeLoss(x, y, false) < first, 'training lowers the loss');
  });
});
