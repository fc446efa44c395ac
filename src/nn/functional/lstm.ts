/**
 * LSTM as functions: Hochreiter & Schmidhuber, "Long short-term memory" (1997), with the forget
 * gate of Gers, Schmidhuber & Cummins, "Learning to forget" (2000), in Keras's layout
 * (keras/layers/recurrent.py, LSTMCell): kernel W [F, 4u], recurrentKernel U [u, 4u], bias [4u],
 * column blocks i, f, c, o. For each step t of x [B, T, F], with sigma the recurrent activation
 * (sigmoid) and act the activation (tanh):
 *   z = x_t W + b + h_{t-1} U
 *   i = sigma(z_i), f = sigma(z_f), g = act(z_c), o = sigma(z_o)
 *   c_t = f c_{t-1} + i g,  h_t = o act(c_t),  h_0 = c_0 = 0.
 * Backward through time: the fused kernel Backend.lstmStepBackward gives dz_t (its formulas),
 * dh_{t-1} = dz_t U^T, and dW, dU, db, dx are one gemm each over all steps (recurrent.ts).
 */
import type { Backend } from '../../kernels/index.js';
import type { FloatArray, Tensor } from '../../tensor/tensor.js';
import type { Param } from '../param.js';
import type { GatedActivations, GatedCell } from './gated-cell.js';
import {
  beginBackward, beginSequence, checkSequence, inputGradients, projectInputs, recurrentGradient, sequenceOutput, step,
  addRecurrentGradient, checkInitialState, recurrentInput, type InitialState, type SequenceCache, type SequenceDropout, type SequencePlan,
} from './recurrent.js';
import type { Scratch } from './scratch.js';

/** The LSTM's activations: act (cell input and output) and sigma (gates). */
export type LstmActivations = GatedActivations;

/** The LSTM's cache: pre-activations z and gate values [T B, 4u], cell states c_0..c_T [(T + 1) B, u]. */
export interface LstmCache extends SequenceCache { z: FloatArray; gates: FloatArray; c: FloatArray; y: Tensor }

/**
 * y = [B, T, u] (returnSequences) or [B, u]; scratch keys 'xtm', 'maskTm', 'h', 'c', 'z', 'gates', 'y'.
 * `_unitForgetBias` is not used (the option only sets the initial bias): it stands where gruForward
 * takes resetAfter, so that both cells' forwards share one signature (layers/gated-recurrent.ts).
 * @throws Error naming `who` on a bad input or mask shape.
 */
export function lstmForward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null,
                            acts: LstmActivations, mask: Tensor | null, plan: SequencePlan, returnSequences: boolean, _unitForgetBias = true,
                            initial: InitialState = null, dropout: SequenceDropout | null = null, who = 'lstmForward'): LstmCache {
  checkSequence(x, kernel, mask, who);
  const u = recurrentKernel.shape[0]!, G = 4 * u, B = plan.batch, n = B * u;
  checkInitialState(initial, 2, plan.batch * u, who);
  const cache = beginSequence(k, ws, x, mask, u, plan, returnSequences, initial?.[0] ?? null, dropout);
  const z = projectInputs(k, ws, 'z', cache.xtm, kernel, bias?.data ?? null);
  const gates = ws.buffer('gates', plan.steps * B * G), c = ws.buffer('c', (plan.steps + 1) * n);
  if (initial) c.set(initial[1]!); else c.fill(0, 0, n);
  for (let s = 0; s < plan.steps; s++) {
    const zs = step(z, s, B * G), hPrev = step(cache.h, s, n);
    k.gemm(false, false, B, G, u, 1, recurrentInput(k, cache, s, u), recurrentKernel.data, 1, zs);
    k.lstmStepForward(zs, step(c, s, n), hPrev, cache.mask && step(cache.mask, s, B), B, u, acts.activation, acts.recurrentActivation,
                      step(gates, s, B * G), step(c, s + 1, n), step(cache.h, s + 1, n));
  }
  return { ...cache, z, gates, c, y: sequenceOutput(k, ws, cache, u) };
}

/** Writes kernel, recurrentKernel and bias gradients; returns dx [B, T, F] (scratch 'dx') or null. */
export function lstmBackward(k: Backend, ws: Scratch, dy: Tensor, cache: LstmCache, kernel: Param, recurrentKernel: Param,
                             bias: Param | null, acts: LstmActivations, needsInputGradient: boolean, who = 'lstmBackward'): Tensor | null {
  const U = recurrentKernel.value, u = U.shape[0]!, G = 4 * u, B = cache.plan.batch, n = B * u;
  const { dh, dytm } = beginBackward(k, ws, dy, cache, u, who);
  const dc = ws.buffer('dc', n);
  dc.fill(0);
  const dz = ws.buffer('dz', cache.plan.steps * B * G);
  for (let s = cache.plan.steps - 1; s >= 0; s--) {
    const dzs = step(dz, s, B * G);
    k.lstmStepBackward(step(cache.z, s, B * G), step(cache.gates, s, B * G), step(cache.c, s, n), step(cache.c, s + 1, n),
                       cache.mask && step(cache.mask, s, B), dytm && step(dytm, s, n), dh, dc, B, u, acts.activation, acts.recurrentActivation, dzs);
    if (s > 0) addRecurrentGradient(k, ws, cache, dzs, U.data, u, G, dh);
  }
  recurrentGradient(k, dz, cache, U, recurrentKernel.grad.data);
  return inputGradients(k, ws, dz, cache, kernel.value, kernel.grad.data, bias?.grad.data ?? null, needsInputGradient);
}

/** The LSTM cell of layers/lstm.ts: i, f, c, o blocks, two states (h, c), variant unitForgetBias. */
export const LSTM_CELL: GatedCell<LstmCache> = { className: 'LSTM', variantName: 'unitForgetBias', gates: 4, states: 2, forward: lstmForward, backward: lstmBackward };
