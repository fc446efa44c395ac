/**
 * GRU as functions: Cho et al., "Learning phrase representations using RNN encoder-decoder for
 * statistical machine translation" (2014), in Keras 2's layout with `resetAfter: true`
 * (keras/layers/recurrent.py, GRUCell; the cuDNN and PyTorch form): kernel W [F, 3u],
 * recurrentKernel U [u, 3u], bias [2, 3u] (row 0 the input bias b_in, row 1 the recurrent bias
 * b_rec), column blocks z (update), r (reset), h (candidate). For each step t of x [B, T, F]:
 *   xz = x_t W + b_in,  hz = h_{t-1} U + b_rec
 *   z = sigma(xz_z + hz_z),  r = sigma(xz_r + hz_r),  hh = act(xz_h + r hz_h)
 *   h_t = z h_{t-1} + (1 - z) hh,  h_0 = 0.
 * Backward through time: Backend.gruStepBackward gives dxz and dhz per step, dh_{t-1} = z dh_t +
 * dhz U^T; dW = X^T dxz, dU = H^T dhz, db_in, db_rec their column sums, dx = dxz W^T.
 *
 * With `resetAfter: false` (Keras 1 / TF.js's GRU; bias [3u], input side only) the reset gate acts
 * on the state before the product: hh = act(xz_h + (r h_{t-1}) U_h). Per step that costs a second
 * gemm, (r h) U, computed over all 3u columns of which the h block is used; backward adds
 * d(r h) = dpre_h U_h^T (one more gemm) and Backend.gruResetGateBackward, and
 * dU = H^T (dpre_z, dpre_r, 0) + (R H)^T (0, 0, dpre_h).
 *
 * Recurrent dropout (Keras 2 GRUCell, implementation 2; Keras 3 and TF.js alike): h_{t-1} is
 * multiplied by the mask m [B, u] (fixed across the steps of a batch) BEFORE the whole step, so
 * the update uses it too: h_t = z (m h_{t-1}) + (1 - z) hh. The step runs on hd = m h_{t-1}
 * (kept in cache.hd, which also serves dU = Hd^T dZ), and backward multiplies dh_{t-1} by m.
 * A masked (padded) step carries the state unchanged, as Keras's RNN does (its mask selects the
 * unmasked old state), so its rows of hd are h_{t-1} itself and its gradient is not multiplied.
 */
import type { Backend } from '../../kernels/index.js';
import type { FloatArray, Tensor } from '../../tensor/tensor.js';
import type { Param } from '../param.js';
import type { GatedActivations, GatedCell } from './gated-cell.js';
import {
  beginBackward, beginSequence, checkSequence, inputGradients, projectInputs, recurrentGradient, recurrentInput, sequenceOutput, step,
  checkInitialState, type InitialState, type SequenceCache, type SequenceDropout, type SequencePlan,
} from './recurrent.js';
import type { Scratch } from './scratch.js';

/** The GRU's cache: input and recurrent projections, pre-activations and gates (z, r, hh), all [T B, 3u]; r h [T B, u] (reset before). */
export interface GruCache extends SequenceCache { xz: FloatArray; hz: FloatArray; pre: FloatArray; gates: FloatArray; rh: FloatArray | null; resetAfter: boolean; y: Tensor }

/**
 * y = [B, T, u] (returnSequences) or [B, u]; `bias` is [2, 3u] (resetAfter) or [3u] or null; scratch
 * keys 'xtm', 'maskTm', 'h', 'xz', 'hz', 'pre', 'gates', 'y', and 'rh', 'hz2' when not resetAfter.
 * @throws Error naming `who` on a bad input or mask shape.
 */
export function gruForward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null,
                           acts: GatedActivations, mask: Tensor | null, plan: SequencePlan, returnSequences: boolean, resetAfter = true,
                           initial: InitialState = null, dropout: SequenceDropout | null = null, who = 'gruForward'): GruCache {
  checkSequence(x, kernel, mask, who);
  const u = recurrentKernel.shape[0]!, G = 3 * u, B = plan.batch, n = B * u, T = plan.steps;
  checkInitialState(initial, 1, plan.batch * u, who);
  const cache = beginSequence(k, ws, x, mask, u, plan, returnSequences, initial?.[0] ?? null, dropout);
  const xz = projectInputs(k, ws, 'xz', cache.xtm, kernel, bias ? bias.data.subarray(0, G) : null);
  const recurrentBias = bias && resetAfter ? bias.data.subarray(G, 2 * G) : null;
  const hz = ws.buffer('hz', T * B * G), pre = ws.buffer('pre', T * B * G), gates = ws.buffer('gates', T * B * G);
  const rh = resetAfter ? null : ws.buffer('rh', T * n), hz2 = resetAfter ? null : ws.buffer('hz2', B * G);
  for (let s = 0; s < T; s++) {
    const hzs = step(hz, s, B * G), hPrev = stateInput(k, cache, s, u), xzs = step(xz, s, B * G);
    k.gemm(false, false, B, G, u, 1, hPrev, recurrentKernel.data, 0, hzs);
    if (recurrentBias) k.biasAdd(hzs, recurrentBias, B, G);
    if (rh && hz2) { // reset before: hz2 = (r h) U
      k.gruResetGate(xzs, hzs, hPrev, B, u, acts.recurrentActivation, step(rh, s, n));
      k.gemm(false, false, B, G, u, 1, step(rh, s, n), recurrentKernel.data, 0, hz2);
    }
    k.gruStepForward(xzs, hzs, hz2, hPrev, cache.mask && step(cache.mask, s, B), B, u, acts.activation, acts.recurrentActivation,
                     step(pre, s, B * G), step(gates, s, B * G), step(cache.h, s + 1, n));
  }
  return { ...cache, xz, hz, pre, gates, rh, resetAfter, y: sequenceOutput(k, ws, cache, u) };
}

/** Writes kernel, recurrentKernel and bias ([2, 3u] or [3u]) gradients; returns dx [B, T, F] (scratch 'dx') or null. */
export function gruBackward(k: Backend, ws: Scratch, dy: Tensor, cache: GruCache, kernel: Param, recurrentKernel: Param,
                            bias: Param | null, acts: GatedActivations, needsInputGradient: boolean, who = 'gruBackward'): Tensor | null {
  const U = recurrentKernel.value, u = U.shape[0]!, G = 3 * u, B = cache.plan.batch, n = B * u, T = cache.plan.steps;
  const { dh, dytm } = beginBackward(k, ws, dy, cache, u, who);
  const dxz = ws.buffer('dxz', T * B * G), dhz = ws.buffer('dhz', T * B * G);
  const after = cache.resetAfter, dzh = after ? null : ws.buffer('dzh', T * B * G), drh = after ? null : ws.buffer('drh', n);
  for (let s = T - 1; s >= 0; s--) {
    const dhzs = step(dhz, s, B * G), dxzs = step(dxz, s, B * G), pres = step(cache.pre, s, B * G), gatess = step(cache.gates, s, B * G);
    const hPrev = step(cache.hd ?? cache.h, s, n), masks = cache.mask && step(cache.mask, s, B);
    if (dzh && drh) { // reset before: (0, 0, dpre_h) -> d(r h) -> dpre_r
      const dzhs = step(dzh, s, B * G);
      k.gruStepBackward(pres, gatess, null, hPrev, masks, dytm && step(dytm, s, n), dh, B, u, acts.activation, acts.recurrentActivation, dxzs, dzhs);
      k.gemm(false, true, B, u, G, 1, dzhs, U.data, 0, drh);
      k.gruResetGateBackward(pres, gatess, hPrev, masks, drh, B, u, acts.recurrentActivation, dxzs, dh, dhzs);
    } else {
      k.gruStepBackward(pres, gatess, step(cache.hz, s, B * G), hPrev, masks, dytm && step(dytm, s, n), dh, B, u, acts.activation, acts.recurrentActivation, dxzs, dhzs);
    }
    if (s > 0) k.gemm(false, true, B, u, G, 1, dhzs, U.data, 1, dh);
    if (s > 0) stateInputGradient(k, cache, s, u, dh);
  }
  recurrentGradient(k, dhz, cache, U, recurrentKernel.grad.data);
  if (dzh && cache.rh) k.gemm(true, false, u, G, T * B, 1, cache.rh, dzh, 1, recurrentKernel.grad.data);
  if (bias && after) k.biasGrad(dhz, bias.grad.data.subarray(G, 2 * G), T * B, G);
  return inputGradients(k, ws, dxz, cache, kernel.value, kernel.grad.data, bias ? bias.grad.data.subarray(0, G) : null, needsInputGradient);
}

/** The GRU cell of layers/gru.ts: z, r, h blocks, one state (h), variant resetAfter. */
export const GRU_CELL: GatedCell<GruCache> = { className: 'GRU', variantName: 'resetAfter', gates: 3, states: 1, forward: gruForward, backward: gruBackward };

/**
 * h_{s-1} as the GRU's step s reads it: with recurrent dropout hd = m h_{s-1} (cache.hd block s),
 * except on the rows whose step is masked, which keep h_{s-1} (their state is carried unchanged).
 */
function stateInput(k: Backend, cache: SequenceCache, s: number, u: number): FloatArray {
  const hd = recurrentInput(k, cache, s, u), mask = cache.mask;
  if (!cache.hd || !mask) return hd;
  const B = cache.plan.batch, h = step(cache.h, s, B * u);
  for (let b = 0; b < B; b++) if (mask[s * B + b] === 0) hd.set(h.subarray(b * u, (b + 1) * u), b * u);
  return hd;
}

/** dh = dC/dhd_s -> dC/dh_{s-1}: times the recurrent dropout mask on the unmasked rows (no-op without recurrent dropout). */
function stateInputGradient(k: Backend, cache: SequenceCache, s: number, u: number, dh: FloatArray): void {
  const rec = cache.dropout?.recurrent, mask = cache.mask;
  if (!rec) return;
  if (!mask) { k.mul(dh, rec, dh); return; }
  const B = cache.plan.batch;
  for (let b = 0; b < B; b++) {
    if (mask[s * B + b] === 0) continue;
    const r = dh.subarray(b * u, (b + 1) * u);
    k.mul(r, rec.subarray(b * u, (b + 1) * u), r);
  }
}
