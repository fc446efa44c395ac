/**
 * Batch normalisation as functions (torch's F.batch_norm; nabla's BatchNormalization wraps them),
 * Ioffe & Szegedy 2015 as Keras defines it: per channel (the last axis), over every other axis,
 *   training:  mu, var = the batch's mean and BIASED variance;
 *              moving = momentum moving + (1 - momentum) batch value (mean and variance)
 *   inference: mu, var = the moving statistics
 *   y = gamma (x - mu) / sqrt(var + epsilon) + beta
 * Backward (the paper's section 3, simplified; see Backend.batchNormBackward), with xhat the
 * normalised input and m the number of positions per channel:
 *   dbeta = sum dy,  dgamma = sum dy xhat,  dx = gamma / (m sqrt(var + eps)) (m dy - dbeta - xhat dgamma).
 * All arithmetic runs in the kernels (batchNormStats, batchNormForward, batchNormBackward, scale, axpy).
 */
import type { Backend } from '../../kernels/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightGrad } from './linear.js';
import { scratchTensor, type Scratch } from './scratch.js';

/** What backward needs: xhat (x's shape), the variance used [C], and whether it was the batch's. */
export interface BatchNormCache { xhat: Tensor; variance: Tensor; usedBatchStatistics: boolean }

/** The moving statistics, [C] each, updated in place by a forward pass with batch statistics. */
export interface MovingStatistics { mean: Tensor; variance: Tensor }

/**
 * y = gamma xhat + beta for x [..., C] (y in scratch 'y', xhat in 'xhat'): with `useBatch`, the
 * batch's statistics (scratch 'mean', 'variance'), updating `moving` with `momentum`; otherwise
 * the moving ones, whose variance is copied to scratch 'varianceUsed' (it may change before backward).
 * gamma and beta are [C] or null (scale / center off).
 * @example const { y, cache } = batchNormForward(k, ws, x, gamma, beta, moving, 0.99, 1e-3, true)
 */
export function batchNormForward(k: Backend, ws: Scratch, x: Tensor, gamma: Tensor | null, beta: Tensor | null, moving: MovingStatistics,
                                 momentum: number, epsilon: number, useBatch: boolean): { y: Tensor; cache: BatchNormCache } {
  const C = x.shape[x.rank - 1]!, rows = x.size / C;
  let mean = moving.mean, variance = moving.variance;
  if (useBatch) {
    mean = scratchTensor(ws, 'mean', [C]); variance = scratchTensor(ws, 'variance', [C]);
    k.batchNormStats(x.data, rows, C, mean.data, variance.data);
    // moving = momentum moving + (1 - momentum) batch
    k.scale(moving.mean.data, momentum); k.axpy(1 - momentum, mean.data, moving.mean.data);
    k.scale(moving.variance.data, momentum); k.axpy(1 - momentum, variance.data, moving.variance.data);
  }
  const xhat = scratchTensor(ws, 'xhat', x.shape), y = scratchTensor(ws, 'y', x.shape);
  k.batchNormForward(x.data, rows, C, mean.data, variance.data, gamma?.data ?? null, beta?.data ?? null, epsilon, xhat.data, y.data);
  if (!useBatch) { // the moving variance may change before backward: keep the one used
    const used = scratchTensor(ws, 'varianceUsed', [C]);
    used.data.set(variance.data);
    variance = used;
  }
  return { y, cache: { xhat, variance, usedBatchStatistics: useBatch } };
}

/**
 * dgamma = sum dy xhat into gamma.grad, dbeta = sum dy into betaGrad (each when not null); returns
 * dx (xhat's shape, scratch 'dx') or null without `needsInputGradient`. dy has xhat's shape.
 */
export function batchNormBackward(k: Backend, ws: Scratch, dy: Tensor, cache: BatchNormCache, gamma: WeightGrad | null, betaGrad: Tensor | null,
                                  epsilon: number, needsInputGradient: boolean): Tensor | null {
  const { xhat, variance } = cache;
  const C = variance.size, rows = xhat.size / C;
  const dx = needsInputGradient ? scratchTensor(ws, 'dx', xhat.shape) : null;
  k.batchNormBackward(dy.data, xhat.data, rows, C, variance.data, gamma?.value.data ?? null, epsilon, cache.usedBatchStatistics,
    gamma?.grad.data ?? null, betaGrad?.data ?? null, dx?.data ?? null);
  return dx;
}
