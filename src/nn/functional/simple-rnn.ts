/**
 * SimpleRNN as functions (Elman 1990; Keras's SimpleRNNCell): for each step t of x [B, T, F],
 *   h_t = act(x_t W + b + h_{t-1} U),  h_0 = 0,
 * W [F, u], U [u, u], b [u] (Keras layout). Backward through time (Werbos 1990):
 *   dz_t = act'(z_t) (dy_t + dh_t),  dh_{t-1} = dz_t U^T,  dW = sum_t x_t^T dz_t,
 *   dU = sum_t h_{t-1}^T dz_t,  db = sum_t dz_t,  dx_t = dz_t W^T.
 * The loop, masks and layout are recurrent.ts's; the per-step arithmetic is the fused kernels
 * Backend.rnnStepForward / rnnStepBackward.
 */
import type { ActivationName, Backend } from '../../kernels/index.js';
import type { FloatArray, Tensor } from '../../tensor/tensor.js';
import type { Param } from '../param.js';
import {
  beginBackward, beginSequence, checkSequence, inputGradients, projectInputs, recurrentGradient, sequenceOutput, step,
  addRecurrentGradient, checkInitialState, recurrentInput, type InitialState, type SequenceCache, type SequenceDropout, type SequencePlan,
} from './recurrent.js';
import type { Scratch } from './scratch.js';

/** SimpleRNN's cache: the pre-activations Z [T B, u] besides the common part. */
export interface SimpleRnnCache extends SequenceCache { z: FloatArray; y: Tensor }

/**
 * y = [B, T, u] (returnSequences) or [B, u]; scratch keys 'xtm', 'maskTm', 'h', 'z', 'y'.
 * @throws Error naming `who` on a bad input or mask shape.
 */
export function simpleRnnForward(k: Backend, ws: Scratch, x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null,
                                 activation: ActivationName, mask: Tensor | null, plan: SequencePlan, returnSequences: boolean,
                                 initial: InitialState = null, dropout: SequenceDropout | null = null, who = 'simpleRnnForward'): SimpleRnnCache {
  checkSequence(x, kernel, mask, who);
  const u = recurrentKernel.shape[0]!, B = plan.batch, n = B * u;
  checkInitialState(initial, 1, plan.batch * u, who);
  const cache = beginSequence(k, ws, x, mask, u, plan, returnSequences, initial?.[0] ?? null, dropout);
  const z = projectInputs(k, ws, 'z', cache.xtm, kernel, bias?.data ?? null);
  for (let s = 0; s < plan.steps; s++) {
    const zs = step(z, s, n), hPrev = step(cache.h, s, n);
    k.gemm(false, false, B, u, u, 1, recurrentInput(k, cache, s, u), recurrentKernel.data, 1, zs);
    k.rnnStepForward(zs, hPrev, cache.mask && step(cache.mask, s, B), B, u, activation, step(cache.h, s + 1, n));
  }
  return { ...cache, z, y: sequenceOutput(k, ws, cache, u) };
}

/** Writes kernel, recurrentKernel and bias gradients; returns dx [B, T, F] (scratch 'dx') or null. */
export function simpleRnnBackward(k: Backend, ws: Scratch, dy: Tensor, cache: SimpleRnnCache, kernel: Param, recurrentKernel: Param,
                                  bias: Param | null, activation: ActivationName, needsInputGradient: boolean, who = 'simpleRnnBackward'): Tensor | null {
  const U = recurrentKernel.value, u = U.shape[0]!, B = cache.plan.batch, n = B * u;
  const { dh, dytm } = beginBackward(k, ws, dy, cache, u, who);
  const dz = ws.buffer('dz', cache.plan.steps * n);
  for (let s = cache.plan.steps - 1; s >= 0; s--) {
    const dzs = step(dz, s, n);
    k.rnnStepBackward(step(cache.z, s, n), step(cache.h, s + 1, n), cache.mask && step(cache.mask, s, B), dytm && step(dytm, s, n), dh, B, u, activation, dzs);
    if (s > 0) addRecurrentGradient(k, ws, cache, dzs, U.data, u, u, dh);
  }
  recurrentGradient(k, dz, cache, U, recurrentKernel.grad.data);
  return inputGradients(k, ws, dz, cache, kernel.value, kernel.grad.data, bias?.grad.data ?? null, needsInputGradient);
}
