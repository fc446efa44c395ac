/**
 * Losses as compile() sees them: each entry of the loss registry (src/kernels/loss-registry.ts, the
 * one place a loss is described: its per-sample formula, citation, fused activation and gradient
 * scale) as a {@link LossInfo}, and validation of a loss spec. The arithmetic runs in the kernels
 * (lossSum, lossGradient, fusedLossGradient).
 */
import { LOSS_DEFS, LOSS_NAMES, type LossDef, type LossName } from '../kernels/loss-registry.js';
import type { Tensor } from '../tensor/tensor.js';

export type { LossName };

/** A loss's registry entry with its name. */
export interface LossInfo extends LossDef {
  name: LossName;
}

/** Every loss's info, keyed by name (derived from the registry). */
export const LOSSES: Readonly<Record<LossName, LossInfo>> = Object.fromEntries(
  LOSS_NAMES.map((name) => [name, { ...LOSS_DEFS[name], name }])) as Record<LossName, LossInfo>;

/**
 * A loss written with ops, as Keras takes one: `fn(yTrue, yPred)` returns a tensor of per-sample
 * (or per-element) values, which the loss's reduction turns into the batch's loss. Differentiated
 * on the tape (src/models/custom-loss.ts); saved by its name (`fn.name`).
 */
export type LossFunction = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * How a batch's values become its loss (Keras's `reduction`): 'sum_over_batch_size' (the default)
 * divides their sum by their count (the mean over the batch for per-sample values); 'sum' and
 * 'none' take the sum ('none' trains on the sum, as a GradientTape differentiates a non-scalar
 * loss).
 */
export type LossReduction = 'sum_over_batch_size' | 'sum' | 'none';
/** The reductions, in the order error messages list them. */
export const LOSS_REDUCTIONS: readonly LossReduction[] = ['sum_over_batch_size', 'sum', 'none'];

/** A built-in loss as compile() takes it: a name, or `{ name, fromLogits?, reduction? }` (fromLogits: the model outputs pre-activations). */
export type LossSpec = LossName | { name: LossName; fromLogits?: boolean; reduction?: LossReduction };
/** A loss function as compile() takes it: the function, or `{ name: fn, reduction? }`. */
export type FunctionLossSpec = LossFunction | { name: LossFunction; reduction?: LossReduction };

/**
 * A validated loss: its registry entry, whether predictions are logits, the reduction, and for a
 * function loss the function. For a function loss `info` is `functionLossInfo`: its `name`
 * is the function's name (not a registry name: the loss kernels are never called with it).
 */
export interface Loss { info: LossInfo; fromLogits: boolean; reduction: LossReduction; fn?: LossFunction }

/**
 * The description of a function loss for label checks and the 'accuracy' metric: no fused
 * activation, targets as the function wants them (nothing is checked), 'accuracy' by argmax (or
 * threshold 0.5 for one output).
 */
export function functionLossInfo(name: string): LossInfo {
  return {
    name: name as LossName, formula: `${name}(yTrue, yPred)`, citation: 'a function written with ops', fusedActivation: null,
    gradientScale: (m) => 1 / m, sparse: false, probabilityTargets: false, accuracy: 'categorical',
  };
}

/**
 * Validates a loss spec.
 * @throws Error naming the bad value and listing the valid names; fromLogits on a loss without a
 * logit form (the squared errors, function losses); an unknown reduction; an anonymous function
 * (its name is what a saved model records).
 */
export function getLoss(spec: unknown): Loss {
  const isObject = typeof spec === 'object' && spec !== null;
  const name = isObject ? (spec as { name?: unknown }).name : spec;
  const reduction = isObject ? (spec as { reduction?: unknown }).reduction ?? 'sum_over_batch_size' : 'sum_over_batch_size';
  if (!(LOSS_REDUCTIONS as readonly unknown[]).includes(reduction))
    throw new Error(`loss: unknown reduction ${JSON.stringify(reduction)}; valid: ${LOSS_REDUCTIONS.join(', ')}`);
  const fromLogits = isObject ? Boolean((spec as { fromLogits?: unknown }).fromLogits) : false;
  if (typeof name === 'function') {
    const fnName = checkFunctionName(name, 'loss');
    if (fromLogits) throw new Error(`loss: fromLogits applies to the built-in cross-entropies; a loss function '${fnName}' takes the model's outputs as they are`);
    return { info: functionLossInfo(fnName), fromLogits: false, reduction: reduction as LossReduction, fn: name as LossFunction };
  }
  if (typeof name !== 'string' || !(LOSS_NAMES as readonly string[]).includes(name))
    throw new Error(`loss: unknown loss ${JSON.stringify(name)}; valid names: ${LOSS_NAMES.join(', ')}, or a function (yTrue, yPred) => Tensor`);
  const info = LOSSES[name as LossName];
  if (fromLogits && !info.fusedActivation) throw new Error(`loss: '${name}' has no fromLogits form; fromLogits applies to the cross-entropies`);
  return { info, fromLogits, reduction: reduction as LossReduction };
}

/**
 * The name a loss or metric function is saved and logged under (`fn.name`).
 * @throws Error for an anonymous function, or one named like a built-in loss (a saved model could
 * not tell them apart).
 */
export function checkFunctionName(fn: Function, what: 'loss' | 'metric'): string {
  const name = fn.name;
  if (!name || !/^[A-Za-z_$][\w$]*$/.test(name))
    throw new Error(`${what}: a ${what} function needs a name (it is logged and saved under it): write \`const huber = (yTrue, yPred) => ...\` or \`function huber(yTrue, yPred) {...}\`, got ${JSON.stringify(name)}`);
  if (what === 'metric' && (name === 'loss' || name.startsWith('val_')))
    throw new Error(`metric: the function '${name}' cannot be a metric's name: 'loss' is the loss's log key and 'val_' marks validation values; rename it`);
  if ((LOSS_NAMES as readonly string[]).includes(name))
    throw new Error(`${what}: the function '${name}' has the name of a built-in loss; rename it so a saved model can tell them apart`);
  return name;
}

/** A batch's loss from its summed values and their count: sum / count for 'sum_over_batch_size', else the sum. */
export function reduceLoss(loss: Loss, sum: number, count: number): number {
  return loss.reduction === 'sum_over_batch_size' ? sum / count : sum;
}

/** The factor from a batch's summed values to its loss: 1/count for 'sum_over_batch_size', else 1. */
export function reductionScale(loss: Loss, count: number): number {
  return loss.reduction === 'sum_over_batch_size' ? 1 / count : 1;
}
