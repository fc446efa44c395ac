/**
 * One backpropagation pass over a stack of layers (Nielsen ch. 2), the training step of
 * {@link Sequential} without the update:
 *
 *   forward   a^l = layer_l(a^{l-1}), training mode
 *   loss      C = (1/m) sum_x C_x + penalties (or the sum, with reduction 'sum' / 'none')
 *   BP1       delta^L = dC/dz^L: the loss's fused gradient (a - y) times its gradient scale
 *             (LossInfo.gradientScale: 1/m, or 1/(m k) for binaryCrossentropy; m times more for
 *             a summing reduction) where the output activation pairs with the loss, else the
 *             loss gradient (1/m) through sigma'; for a loss function, its gradient with respect
 *             to a^L from the tape (custom-loss.ts), through sigma'
 *             A sequence output [m, T, k] is scored per step, masked steps left out (step-loss.ts).
 *   BP2-BP4   each layer's backward, last to first (the first skips its input gradient)
 */
import type { Workspace } from '../kernels/workspace.js';
import { getKernels } from '../kernels/index.js';
import type { Layer } from '../nn/layer.js';
import { reduceLoss, reductionScale, type Loss } from '../nn/losses.js';
import { Tensor, type DType } from '../tensor/tensor.js';
import type { Logs } from '../train/callbacks.js';
import { NonFiniteLossError } from '../train/errors.js';
import { allMetricSums, functionLossGradient, type CompiledMetrics } from './custom-loss.js';
import { lossView, scatterViewGradient, viewRows } from './step-loss.js';

/** Forward through every layer: x [m, ...inputShape] -> the last layer's output [m, ...]. */
export function forwardAll(layers: readonly Layer[], x: Tensor, training: boolean): Tensor {
  let a = x;
  for (const layer of layers) a = layer.forward(a, training);
  return a;
}

/** Sum over layers of their penalties (kernelRegularizer), in layer order. */
export function penalties(layers: readonly Layer[]): number {
  let s = 0;
  for (const l of layers) s += l.regularizationLoss();
  return s;
}

/** The scratch arrays metricSums needs for a batch of m samples. */
export function metricScratch(m: number): { argmaxOut: Int32Array; argmaxY: Int32Array } {
  return { argmaxOut: new Int32Array(m), argmaxY: new Int32Array(m) };
}

/** What {@link lossAndGradients} reads of a compiled model. */
export interface BackpropModel {
  layers: readonly Layer[];
  loss: Loss;
  /** The compiled metrics (names and functions; custom-loss.ts). */
  metrics: CompiledMetrics;
  /** Holds the output gradient (and the probabilities of a from-logits loss) across batches. */
  workspace: Workspace;
  dtype: DType;
}

/**
 * Forward in training mode, the loss (reduced as compiled, plus penalties), the metrics, and the gradient of
 * the loss with respect to every parameter, written into each param's `grad` (BP1-BP4 above).
 * @param x inputs [m, ...inputShape]; y targets as the loss takes them.
 * @returns `{ loss, ...metrics }` of the forward pass.
 * @throws NonFiniteLossError when the loss is NaN or infinite (gradients are then not computed).
 */
export function lossAndGradients(model: BackpropModel, x: Tensor, y: Tensor): Logs {
  const { layers, loss, metrics, workspace: ws, dtype } = model;
  const k = getKernels();
  const out = forwardAll(layers, x, true);
  // The rows the loss scores: a sequence output [m, T, k] per step, its masked steps left out (step-loss.ts).
  const view = lossView(k, out, y), vo = view.out, m = viewRows(view), cols = vo.size / Math.max(1, m);
  const grad = new Tensor(ws.get('outputGrad', dtype, out.size), out.shape);
  const vgrad = view.rows ? ws.get('viewGrad', dtype, vo.size) : grad.data;
  // A loss function: its value and BP1's dC/da^L (into grad) from the tape, before any metric.
  const value = (m === 0 ? 0 : loss.fn ? functionLossGradient(loss, vo, view.y, new Tensor(vgrad, vo.shape))
    : reduceLoss(loss, k.lossSum(loss.info.name, vo.data, view.y.data, m, cols, loss.fromLogits), m)) + penalties(layers);
  if (!Number.isFinite(value)) throw new NonFiniteLossError(value);
  const logs: Logs = { loss: value };
  const sums = allMetricSums(k, metrics, loss, out, y), samples = x.shape[0]!;
  for (const name of metrics.names) logs[name] = sums[name]! / samples; // in compile()'s order

  // BP1: the gradient at the output, fused with the output activation where it simplifies.
  const last = layers[layers.length - 1]!;
  const fusedAct = loss.info.fusedActivation;
  const scale = loss.reduction === 'sum_over_batch_size' ? loss.info.gradientScale(m, cols) : loss.info.gradientScale(m, cols) * m;
  let preActivation = false;
  if (loss.fn || m === 0) {
    // vgrad holds dC/da^L already (or nothing is scored: zeros)
    if (m === 0) vgrad.fill(0);
  } else if (loss.fromLogits && fusedAct) {
    const probs = ws.get('probabilities', dtype, vo.size);
    k.activationForward(fusedAct, vo.data, probs, m, cols, 0);
    k.fusedLossGradient(loss.info.name, probs, view.y.data, m, cols, scale, vgrad);
  } else if (fusedAct && last.outputActivation === fusedAct) {
    k.fusedLossGradient(loss.info.name, vo.data, view.y.data, m, cols, scale, vgrad);
    preActivation = true;
  } else {
    k.lossGradient(loss.info.name, vo.data, view.y.data, m, cols, reductionScale(loss, m), vgrad);
  }
  scatterViewGradient(view, vgrad, grad.data);
  backwardPass(layers, grad, false, preActivation);
  return logs;
}

/**
 * BP2-BP4 from dy = dC/d(output) [m, ...outputShape] down the layers: every layer with weights
 * leaves dC/dw in its params' `grad`. With `toInput`, returns dC/dx [m, ...inputShape]; otherwise
 * the pass stops at the first layer with weights, which computes no dC/dx (the layers before it,
 * such as Flatten or Dropout, have nothing to learn: for the main job's Flatten -> Dense that
 * skips a 64x128x784 gemm a step), and returns null. `dyIsPreActivation`: dy is already dC/dz of
 * the last layer (a fused loss gave it).
 */
export function backwardPass(layers: readonly Layer[], dy: Tensor, toInput = false, dyIsPreActivation = false): Tensor | null {
  const first = toInput ? 0 : layers.findIndex((l) => l.params().length > 0);
  let d: Tensor | null = dy;
  for (let i = layers.length - 1; first >= 0 && i >= first; i--)
    d = layers[i]!.backward(d!, toInput || i > first, dyIsPreActivation && i === layers.length - 1);
  return toInput ? d : null;
}
