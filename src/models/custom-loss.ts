/**
 * Losses and metrics written with ops (issue 13; docs/design.md, "Round two"): `compile({ loss: fn,
 * metrics: [fn, 'accuracy'] })` with `fn(yTrue, yPred) -> Tensor` of per-sample values, reduced as
 * Keras reduces them (`reduction`, default 'sum_over_batch_size': their sum over their count).
 *
 * A function loss runs under a tape rooted at the model's output: its gradient with respect to
 * yPred is BP1's dC/da^L, which seeds the model's ordinary fused backward (the last layer applies
 * its activation's derivative as for any non-fused loss), so a custom loss costs only its own ops.
 * The built-in losses run in the kernels; both kinds report a batch as `{ sum, count }` (summed
 * values and how many), so evaluate reduces over the whole set as the loss does over a batch.
 */
import { valueAndGrad } from '../autograd/gradients.js';
import type { Backend } from '../kernels/backend.js';
import { reductionScale, checkFunctionName, type FunctionLossSpec, type Loss, type LossFunction, type LossSpec } from '../nn/losses.js';
import { mul, sum } from '../ops/index.js';
import { tidy } from '../tensor/scopes.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkMetrics, metricSums, type MetricName } from '../train/metrics.js';
import { lossView, viewRows } from './step-loss.js';

/** A metric written with ops: its logged name and the function (per-sample values, averaged). */
export interface MetricFunction { name: string; fn: LossFunction }

/** compile()'s metrics, split: the built-in names, the functions, and every name in the order given. */
export interface CompiledMetrics { builtIn: MetricName[]; functions: MetricFunction[]; names: string[] }

/**
 * Validates compile()'s metrics: names are checked against the loss (train/metrics.ts); functions
 * need a name, which must not repeat a built-in metric's.
 * @throws Error naming the bad metric.
 */
export function compileMetrics(metrics: unknown, loss: Loss): CompiledMetrics {
  if (metrics === undefined) return { builtIn: [], functions: [], names: [] };
  if (!Array.isArray(metrics)) throw new Error(`compile: metrics must be a list such as ['accuracy'], got ${JSON.stringify(metrics)}`);
  const builtIn = checkMetrics(metrics.filter((m) => typeof m !== 'function'), loss);
  const functions: MetricFunction[] = [];
  for (const m of metrics) {
    if (typeof m !== 'function') continue;
    const name = checkFunctionName(m, 'metric');
    if ((builtIn as string[]).includes(name) || functions.some((f) => f.name === name)) throw new Error(`compile: two metrics are named '${name}'; the logs key them by name`);
    functions.push({ name, fn: m as LossFunction });
  }
  const names = [...new Set(metrics.map((m) => typeof m === 'function' ? (m as Function).name : m as string))];
  return { builtIn, functions, names };
}

/** A wrapper sharing `t`'s buffer with no tape history (so a loss's tape starts at the model's output). */
function fresh(t: Tensor): Tensor { return new Tensor(t.data, t.shape); }

/**
 * A function's values on (yTrue, yPred), as a float tensor.
 * @throws Error naming the function when it returns something other than a float tensor.
 */
function callLoss(name: string, fn: LossFunction, yTrue: Tensor, yPred: Tensor): Tensor {
  const v = fn(yTrue, yPred);
  if (!(v instanceof Tensor) || (v.dtype !== 'float32' && v.dtype !== 'float64'))
    throw new TypeError(`'${name}'(yTrue, yPred) must return a float Tensor of per-sample values, got ${v instanceof Tensor ? `a ${v.dtype} tensor ${formatShape(v.shape)}` : typeof v}`);
  return v;
}

/**
 * A batch's loss as summed values and their count, forward only: the kernels' per-sample sum for
 * a built-in loss (count m), `sum(fn(y, out))` and its size for a function loss. The batch's loss
 * is `sum * reductionScale(loss, count)`. A sequence output is scored per unmasked step (step-loss.ts).
 */
export function batchLoss(k: Backend, loss: Loss, out: Tensor, y: Tensor): { sum: number; count: number } {
  const view = lossView(k, out, y), m = viewRows(view), vo = view.out;
  if (m === 0) return { sum: 0, count: 0 };
  if (!loss.fn) return { sum: k.lossSum(loss.info.name, vo.data, view.y.data, m, vo.size / m, loss.fromLogits), count: m };
  const fn = loss.fn;
  return tidy(() => {
    const v = callLoss(loss.info.name, fn, view.y, fresh(vo));
    return { sum: sum(v).dataSync()[0]!, count: v.size };
  });
}

/**
 * BP1 for a function loss: the batch's loss (reduced, without penalties) and dC/dyPred written
 * into `into` (out's size), differentiated on the tape; every tensor it makes is freed.
 * @throws Error naming the loss when it does not depend on yPred differentiably.
 */
export function functionLossGradient(loss: Loss, out: Tensor, y: Tensor, into: Tensor): number {
  const fn = loss.fn!, name = loss.info.name;
  return tidy(() => {
    let result: { value: Tensor; grad: Tensor };
    try {
      result = valueAndGrad((p) => { const v = callLoss(name, fn, y, p); return mul(sum(v), reductionScale(loss, v.size)); })(fresh(out));
    } catch (e) {
      throw new Error(`loss '${name}': ${(e as Error).message}`, { cause: e });
    }
    into.data.set(result.grad.data);
    return result.value.dataSync()[0]!;
  });
}

/** Per-metric sums over the batch (each function's values averaged per sample, times m): divide by m for the mean. */
export function functionMetricSums(metrics: readonly MetricFunction[], out: Tensor, y: Tensor): Record<string, number> {
  const sums: Record<string, number> = {};
  if (metrics.length === 0) return sums;
  const m = out.shape[0]!;
  tidy(() => {
    for (const { name, fn } of metrics) {
      const v = callLoss(name, fn, y, fresh(out));
      sums[name] = v.size === 0 ? 0 : sum(v).dataSync()[0]! * (m / v.size);
    }
  });
  return sums;
}

/**
 * Every compiled metric's sum over the batch, keyed by name: the built-in ones in the kernels, the functions with ops (divide by m,
 * out's samples, for the mean). A sequence output is scored per unmasked step (step-loss.ts): its sums are the mean over those
 * steps times m (0 when every step is masked).
 */
export function allMetricSums(k: Backend, metrics: CompiledMetrics, loss: Loss, out: Tensor, y: Tensor): Record<string, number> {
  const samples = out.shape[0]!, view = lossView(k, out, y), m = viewRows(view);
  const scratch = { argmaxOut: new Int32Array(m), argmaxY: new Int32Array(m) };
  const sums = { ...metricSums(k, metrics.builtIn, view.out, view.y, metricLoss(loss, view.out, view.y), scratch), ...functionMetricSums(metrics.functions, view.out, view.y) };
  if (m !== samples) for (const name of Object.keys(sums)) sums[name] = m === 0 ? 0 : sums[name]! * (samples / m);
  return sums;
}

/**
 * The loss the built-in metrics read: for a function loss with class indices as labels (y [m] or
 * [m, 1] against k > 1 outputs), one marked sparse, so 'accuracy' compares argmax with the index.
 */
export function metricLoss(loss: Loss, out: Tensor, y: Tensor): Loss {
  if (!loss.fn) return loss;
  const m = out.shape[0]!, k = out.size / Math.max(1, m);
  return k > 1 && y.size === m ? { ...loss, info: { ...loss.info, sparse: true } } : loss;
}

/** What a saved model records of the loss: the name (a function's), fromLogits, and reduction / custom only when not the default. */
export function savedLoss(loss: Loss): { name: string; fromLogits: boolean; reduction?: string; custom?: boolean } {
  const s: { name: string; fromLogits: boolean; reduction?: string; custom?: boolean } = { name: loss.info.name, fromLogits: loss.fromLogits };
  if (loss.reduction !== 'sum_over_batch_size') s.reduction = loss.reduction;
  if (loss.fn) s.custom = true;
  return s;
}

/** The loss spec that recompiles `loss` (gradCheck's float64 copy). */
export function lossSpecOf(loss: Loss): LossSpec | FunctionLossSpec {
  return loss.fn ? { name: loss.fn, reduction: loss.reduction } : { name: loss.info.name, fromLogits: loss.fromLogits, reduction: loss.reduction };
}
