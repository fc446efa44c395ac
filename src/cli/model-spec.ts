/**
 * The models `nabla train --model ...` builds:
 *
 * - `mlp`: a multilayer perceptron. Flatten (for image inputs), one Dense layer per `--hidden`
 *   width with `--activation`, and an output layer: softmax over the classes for the
 *   cross-entropies, sigmoid for the other losses of a classifier (Nielsen's quadratic-cost
 *   network), linear with one unit for regression.
 * - `PATH.json`: a JSON list of layer configs, each `{ "className": "Dense", ...options }` as
 *   `layer.getConfig()` writes them, e.g.
 *   `[{"className":"Flatten"},{"className":"Dense","units":64,"activation":"relu"},{"className":"Dense","units":10,"activation":"softmax"}]`.
 *   Only registered layer classes are built (registerLayer); a file never names code to run.
 */
import { readFileSync } from 'node:fs';
import { LOSS_NAMES, type ActivationName, type LossName } from '../kernels/index.js';
import type { Layer, LayerConfig } from '../nn/layer.js';
import { Dense, Flatten } from '../nn/layers/index.js';
import { layerFromConfig } from '../nn/registry.js';
import { LOSSES } from '../nn/losses.js';
import { Adagrad, Adam, RMSprop, SGD, type Optimizer } from '../optim/index.js';
import type { OptimizerName } from '../optim/registry.js';
import { Sequential } from '../models/sequential.js';
import type { MetricName } from '../train/metrics.js';
import { UsageError } from './errors.js';
import type { Preprocessing, Task } from './datasets.js';

/** Losses a task may use. */
export function lossesFor(task: Task): readonly LossName[] {
  return task === 'regression' ? ['meanSquaredError', 'quadratic'] : LOSS_NAMES;
}

/** The default loss of a task. */
export function defaultLoss(task: Task): LossName {
  return task === 'regression' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy';
}

/** Metrics reported for a task: accuracy for classifiers, mean absolute error for regression. */
export function metricsFor(task: Task): MetricName[] {
  return task === 'regression' ? ['mae'] : ['accuracy'];
}

/** A new optimiser by name with a learning rate. */
export function makeOptimizer(name: OptimizerName, learningRate: number): Optimizer {
  switch (name) {
    case 'sgd': return new SGD({ learningRate });
    case 'adam': return new Adam({ learningRate });
    case 'rmsprop': return new RMSprop({ learningRate });
    case 'adagrad': return new Adagrad({ learningRate });
  }
}

/** Number of model outputs for prepared data: classes, or 1 for regression. */
export function outputUnits(pre: Preprocessing): number {
  return pre.task === 'classification' ? Math.max(2, pre.classNames?.length ?? 2) : 1;
}

/**
 * Builds the `mlp` model.
 * @param hidden widths of the hidden layers (may be empty: a linear or logistic model).
 */
export function buildMlp(pre: Preprocessing, hidden: readonly number[], activation: ActivationName, loss: LossName, seed: number, name: string): Sequential {
  const layers: Layer[] = [];
  const flatten = pre.inputShape.length > 1;
  if (flatten) layers.push(new Flatten({ inputShape: pre.inputShape }));
  hidden.forEach((units, i) => layers.push(new Dense({ units, activation, ...(i === 0 && !flatten ? { inputShape: pre.inputShape } : {}) })));
  const outAct: ActivationName = pre.task === 'regression' ? 'linear' : LOSSES[loss].fusedActivation === 'softmax' ? 'softmax' : 'sigmoid';
  layers.push(new Dense({ units: outputUnits(pre), activation: outAct, ...(layers.length === 0 ? { inputShape: pre.inputShape } : {}) }));
  return new Sequential(layers, { seed, name });
}

/**
 * Builds a model from a JSON file of layer configs (see the module comment).
 * @throws Error naming the file (and the layer's index) when it cannot be read or a config is refused.
 */
export function buildFromJson(path: string, seed: number, name: string): Sequential {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new Error(`${path}: cannot be read: ${(e as Error).message}`); }
  let json: unknown;
  try { json = JSON.parse(text); } catch (e) { throw new Error(`${path}: not valid JSON: ${(e as Error).message}`); }
  const list = Array.isArray(json) ? json : (json && typeof json === 'object' && Array.isArray((json as { layers?: unknown }).layers) ? (json as { layers: unknown[] }).layers : null);
  if (!list || list.length === 0) throw new Error(`${path}: expected a non-empty JSON list of layer configs such as [{"className": "Dense", "units": 10, "activation": "softmax"}]`);
  const layers = list.map((c, i) => {
    if (!c || typeof c !== 'object' || Array.isArray(c) || typeof (c as { className?: unknown }).className !== 'string')
      throw new Error(`${path}: layer ${i} must be an object with a "className" (such as "Dense"), got ${JSON.stringify(c)}`);
    try { return layerFromConfig(c as LayerConfig); }
    catch (e) { throw new Error(`${path}: layer ${i} (${(c as LayerConfig).className}): ${(e as Error).message}`); }
  });
  try { return new Sequential(layers, { seed, name }); }
  catch (e) { throw new Error(`${path}: ${(e as Error).message}`); }
}

/**
 * Compiles for a task and checks that the loss suits it.
 * @throws UsageError naming --loss when the loss does not suit the task.
 */
export function compileFor(model: Sequential, task: Task, loss: LossName, optimizer: Optimizer): void {
  if (!lossesFor(task).includes(loss))
    throw new UsageError(`option '--loss': '${loss}' does not suit ${task}; use one of ${lossesFor(task).join(', ')}`);
  model.compile({ optimizer, loss, metrics: metricsFor(task) });
}

/** Describes a model's layer widths, e.g. "784-128-10". */
export function describeWidths(model: Sequential): string {
  if (!model.built) return model.layers.map((l) => l.className).join('-');
  const first = model.inputShape!.reduce((a, b) => a * b, 1);
  const widths = [first];
  for (const l of model.layers) if (l.className === 'Dense') widths.push((l as Dense).units);
  return widths.join('-');
}
