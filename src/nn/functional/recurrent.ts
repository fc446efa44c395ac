/**
 * What the recurrent cells (simple-rnn.ts, lstm.ts, gru.ts) share: the time-major plan, the one
 * gemm that projects every step's input at once, the output gather and the gradients of the input
 * kernel and bias (docs/design.md, "Recurrent layers"):
 * - the input [batch B, time T, features F] is gathered once into time-major rows (s B + b), in
 *   processing order s (T - 1 - s for goBackwards), so step s is a contiguous [B, F] block;
 * - Z = X W + b for all steps is ONE gemm over [T B, F]; each step then adds h_{s-1} U with one
 *   gemm into its block and runs one fused gate kernel;
 * - backward runs one fused gate-gradient kernel and one gemm (dh_{s-1} += dZ_s U^T) per step;
 *   dU = H^T dZ, dW = X^T dZ and dX = dZ W^T are one gemm each over all steps.
 * Outputs come back in processing order, as Keras returns them (goBackwards reverses the returned
 * sequence too). The states H hold T + 1 blocks of [B, u], block 0 the initial (zero) state.
 */
import type { Backend } from '../../kernels/index.js';
import { formatShape } from '../../tensor/shape.js';
import type { FloatArray, Tensor } from '../../tensor/tensor.js';
import { scratchTensor, type Scratch } from './scratch.js';

/** Row permutations between the batch-major [B, T, .] tensors and the time-major step blocks. */
export interface SequencePlan {
  readonly batch: number;
  readonly steps: number;
  readonly goBackwards: boolean;
  /** Time-major row s B + b = input row b T + t(s), t(s) = goBackwards ? T - 1 - s : s. */
  readonly input: Uint32Array;
  /** Batch-major output row b T + s = time-major row s B + b (processing order). */
  readonly output: Uint32Array;
  /** Time-major row s B + b = output-gradient row b T + s. */
  readonly outputGrad: Uint32Array;
  /** Input-gradient row b T + t = time-major row s(t) B + b. */
  readonly inputGrad: Uint32Array;
}

/** The plan for B sequences of T steps; `previous` is returned when it already fits. */
export function sequencePlan(batch: number, steps: number, goBackwards: boolean, previous: SequencePlan | null = null): SequencePlan {
  if (previous && previous.batch === batch && previous.steps === steps && previous.goBackwards === goBackwards) return previous;
  const n = batch * steps;
  const input = new Uint32Array(n), output = new Uint32Array(n), outputGrad = new Uint32Array(n), inputGrad = new Uint32Array(n);
  for (let s = 0; s < steps; s++) {
    const t = goBackwards ? steps - 1 - s : s;
    for (let b = 0; b < batch; b++) {
      input[s * batch + b] = b * steps + t;
      outputGrad[s * batch + b] = b * steps + s;
      output[b * steps + s] = s * batch + b;
      inputGrad[b * steps + t] = s * batch + b;
    }
  }
  return { batch, steps, goBackwards, input, output, outputGrad, inputGrad };
}

/** The weights of a recurrent layer as tensors: kernel [F, G u], recurrentKernel [u, G u]. */
export interface RecurrentWeights { kernel: Tensor; recurrentKernel: Tensor }

/**
 * Keras's recurrent dropout masks (keras/layers/recurrent.py, implementation 2): drawn once per
 * batch and shared by every step, values 0 or 1 / (1 - rate). `input` [B, F] multiplies x_t before
 * the kernel; `recurrent` [B, u] multiplies h_{t-1} before the recurrent kernel only (the state
 * carried on is not masked). Null: off (inference, or rate 0).
 */
export interface SequenceDropout { input: FloatArray | null; recurrent: FloatArray | null }

/** What every cell's forward keeps for backward. */
export interface SequenceCache {
  plan: SequencePlan;
  /** The input, time-major [T B, F]. */
  xtm: Tensor;
  /** The mask in time-major order [T B], or null. */
  mask: FloatArray | null;
  /** The states h_0 .. h_T, [(T + 1) B, u]. */
  h: FloatArray;
  returnSequences: boolean;
  /** The dropout masks, and h_{t-1} times the recurrent mask [T B, u] (scratch 'hd') when it is on. */
  dropout: SequenceDropout | null;
  hd: FloatArray | null;
}

/** @throws Error naming `who` unless x is [B, T, F] with F = the kernel's rows and the mask (if any) [B, T]. */
export function checkSequence(x: Tensor, kernel: Tensor, mask: Tensor | null, who: string): void {
  if (x.rank !== 3 || x.shape[2] !== kernel.shape[0])
    throw new Error(`${who}: expected input [batch, time, ${kernel.shape[0]}], got ${formatShape(x.shape)}`);
  if (mask && (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]))
    throw new Error(`${who}: the mask must be [batch, time] = ${formatShape(x.shape.slice(0, 2))}, got ${formatShape(mask.shape)}`);
}

/**
 * A layer's initial states, [B, u] each: [h] (SimpleRNN, GRU) or [h, c] (LSTM). Null means zeros.
 * No gradient flows into them (stateful layers and `initialState` truncate backpropagation there).
 */
export type InitialState = readonly FloatArray[] | null;

/** @throws Error naming `who` unless `initial` is null or holds `count` arrays of B u numbers. */
export function checkInitialState(initial: InitialState, count: number, size: number, who: string): void {
  if (initial === null) return;
  if (initial.length !== count || initial.some((s) => s.length !== size))
    throw new Error(`${who}: expected ${count} initial state${count > 1 ? 's' : ''} of ${size} numbers ([batch, units]), got ${initial.length} of ${initial.map((s) => s.length).join(', ')}`);
}

/**
 * The input gathered time-major (scratch 'xtm') and the mask likewise (scratch 'maskTm', or null).
 * Returns the cache's common part with the states buffer (scratch 'h', block 0 = the initial h,
 * or zeros).
 */
export function beginSequence(k: Backend, ws: Scratch, x: Tensor, mask: Tensor | null, units: number, plan: SequencePlan,
                              returnSequences: boolean, initialH: FloatArray | null = null, dropout: SequenceDropout | null = null): SequenceCache {
  const { batch: B, steps: T } = plan, F = x.shape[2]!;
  const xtm = scratchTensor(ws, 'xtm', [T * B, F]);
  k.gatherRows(x.data, F, plan.input, 0, T * B, xtm.data);
  if (dropout?.input) for (let s = 0; s < T; s++) { const b = step(xtm.data, s, B * F); k.mul(b, dropout.input, b); }
  let m: FloatArray | null = null;
  if (mask) { m = ws.buffer('maskTm', T * B); k.gatherRows(mask.data, 1, plan.input, 0, T * B, m); }
  const h = ws.buffer('h', (T + 1) * B * units);
  if (initialH) h.set(initialH); else h.fill(0, 0, B * units);
  const hd = dropout?.recurrent ? ws.buffer('hd', T * B * units) : null;
  return { plan, xtm, mask: m, h, returnSequences, dropout, hd };
}

/** The recurrent product's input at step s: h_{s-1}, or h_{s-1} times the recurrent dropout mask (kept in cache.hd). */
export function recurrentInput(k: Backend, cache: SequenceCache, s: number, units: number): FloatArray {
  const n = cache.plan.batch * units, hPrev = step(cache.h, s, n);
  if (!cache.hd || !cache.dropout?.recurrent) return hPrev;
  const hd = step(cache.hd, s, n);
  k.mul(hPrev, cache.dropout.recurrent, hd);
  return hd;
}

/**
 * dh_{s-1} += dZ_s U^T (dz [B, G u], U [u, G u]), through the recurrent dropout mask when it is
 * on (then via scratch 'dhTmp').
 */
export function addRecurrentGradient(k: Backend, ws: Scratch, cache: SequenceCache, dzs: FloatArray, recurrentKernel: FloatArray, units: number, G: number, dh: FloatArray): void {
  const B = cache.plan.batch, rec = cache.dropout?.recurrent;
  if (!rec) { k.gemm(false, true, B, units, G, 1, dzs, recurrentKernel, 1, dh); return; }
  const tmp = ws.buffer('dhTmp', B * units);
  k.gemm(false, true, B, units, G, 1, dzs, recurrentKernel, 0, tmp);
  k.mul(tmp, rec, tmp);
  k.axpy(1, tmp, dh);
}

/** Z = X W (+ b) for every step at once: [T B, G u] in scratch `key`. `bias` is [G u] or null. */
export function projectInputs(k: Backend, ws: Scratch, key: string, xtm: Tensor, kernel: Tensor, bias: FloatArray | null): FloatArray {
  const rows = xtm.shape[0]!, F = xtm.shape[1]!, cols = kernel.shape[1]!;
  const z = ws.buffer(key, rows * cols);
  k.gemm(false, false, rows, cols, F, 1, xtm.data, kernel.data, 0, z);
  if (bias) k.biasAdd(z, bias, rows, cols);
  return z;
}

/** The step views made so far, per buffer and block size (see {@link step}). */
const STEP_VIEWS = new WeakMap<FloatArray, Map<number, FloatArray[]>>();

/**
 * Block s of a time-major buffer whose blocks have `size` numbers. The view is made once per
 * (buffer, size, s) and kept while the buffer lives: the layers' buffers are their reusable
 * scratch, so a training step allocates no view after the first batch (docs/design.md).
 */
export function step(buf: FloatArray, s: number, size: number): FloatArray {
  let bySize = STEP_VIEWS.get(buf);
  if (bySize === undefined) { bySize = new Map(); STEP_VIEWS.set(buf, bySize); }
  let views = bySize.get(size);
  if (views === undefined) { views = []; bySize.set(size, views); }
  return views[s] ??= buf.subarray(s * size, (s + 1) * size);
}

/**
 * The layer's output (scratch 'y'): [B, T, u] in processing order with returnSequences, else the
 * last state [B, u].
 */
export function sequenceOutput(k: Backend, ws: Scratch, cache: SequenceCache, units: number): Tensor {
  const { batch: B, steps: T } = cache.plan;
  if (cache.returnSequences) {
    const y = scratchTensor(ws, 'y', [B, T, units]);
    k.gatherRows(cache.h.subarray(B * units), units, cache.plan.output, 0, T * B, y.data);
    return y;
  }
  const y = scratchTensor(ws, 'y', [B, units]);
  y.data.set(step(cache.h, T, B * units));
  return y;
}

/**
 * Starts backward: dh (scratch 'dh', [B, u]) holds dy when only the last state was returned, else
 * 0, and the time-major output gradient (scratch 'dytm', [T B, u]) is returned for returnSequences.
 * @throws Error naming `who` when dy's shape is not the output's.
 */
export function beginBackward(k: Backend, ws: Scratch, dy: Tensor, cache: SequenceCache, units: number, who: string): { dh: FloatArray; dytm: FloatArray | null } {
  const { batch: B, steps: T } = cache.plan;
  const want = cache.returnSequences ? [B, T, units] : [B, units];
  if (dy.size !== want.reduce((a, b) => a * b, 1)) throw new Error(`${who}: expected gradient shape ${formatShape(want)}, got ${formatShape(dy.shape)}`);
  const dh = ws.buffer('dh', B * units);
  if (cache.returnSequences) {
    dh.fill(0);
    const dytm = ws.buffer('dytm', T * B * units);
    k.gatherRows(dy.data, units, cache.plan.outputGrad, 0, T * B, dytm);
    return { dh, dytm };
  }
  dh.set(dy.data);
  return { dh, dytm: null };
}

/**
 * The input side's gradients from dZ = dC/dZ [T B, G u]: kernel.grad = X^T dZ, bias grad = column
 * sums of dZ (when given), and dX = dZ W^T returned as [B, T, F] in input order (scratch 'dx'),
 * or null without `needsInputGradient`.
 */
export function inputGradients(k: Backend, ws: Scratch, dz: FloatArray, cache: SequenceCache, kernel: Tensor, kernelGrad: FloatArray,
                               biasGrad: FloatArray | null, needsInputGradient: boolean): Tensor | null {
  const { batch: B, steps: T } = cache.plan, F = kernel.shape[0]!, G = kernel.shape[1]!, rows = T * B;
  k.gemm(true, false, F, G, rows, 1, cache.xtm.data, dz, 0, kernelGrad);
  if (biasGrad) k.biasGrad(dz, biasGrad, rows, G);
  if (!needsInputGradient) return null;
  const dxtm = ws.buffer('dxtm', rows * F);
  k.gemm(false, true, rows, F, G, 1, dz, kernel.data, 0, dxtm);
  const dropIn = cache.dropout?.input;
  if (dropIn) for (let s = 0; s < T; s++) { const b = step(dxtm, s, B * F); k.mul(b, dropIn, b); }
  const dx = scratchTensor(ws, 'dx', [B, T, F]);
  k.gatherRows(dxtm, F, cache.plan.inputGrad, 0, rows, dx.data);
  return dx;
}

/** recurrentKernel.grad = H_{0..T-1}^T dZ: one gemm over the stacked states ([u, G u]), the masked ones with recurrent dropout. */
export function recurrentGradient(k: Backend, dz: FloatArray, cache: SequenceCache, recurrentKernel: Tensor, grad: FloatArray): void {
  const { batch: B, steps: T } = cache.plan, u = recurrentKernel.shape[0]!, G = recurrentKernel.shape[1]!;
  k.gemm(true, false, u, G, T * B, 1, cache.hd ?? cache.h.subarray(0, T * B * u), dz, 0, grad);
}
