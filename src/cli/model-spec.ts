/**
 * The models `nabla train --model ...` builds:
 *
 * - `mlp`: a multilayer perceptron. Flatten (for image inputs), one Dense layer per `--hidden`
 *   width with `--activation`, and an output layer: softmax over the classes for the
 *   cross-entropies, sigmoid for the other losses of a classifier (Nielsen's quadratic-cost
 *   network), linear with one unit for regression.
 * - `cnn`: a LeNet-5-sized convolutional network (LeCun et al. 1998, with relu and max pooling
 *   as modern re-implementations use) for images [height, width, channels]:
 *   Conv2D 6 filters 5x5 'same' - MaxPooling2D 2 - Conv2D 16 filters 5x5 'valid' - MaxPooling2D 2 -
 *   Flatten - Dense 120 - Dense 84 - Dense classes. The hidden layers use `--activation` (relu);
 *   the output layer is chosen as for `mlp`. On 28x28x1 images (MNIST) that is
 *   28x28x6 -> 14x14x6 -> 10x10x16 -> 5x5x16 -> 400 -> 120 -> 84 -> 10, 61,706 parameters.
 * - `PATH.json`: a JSON list of layer configs, each `{ "className": "Dense", ...options }` as
 *   `layer.getConfig()` writes them, e.g.
 *   `[{"className":"Flatten"},{"className":"Dense","units":64,"activation":"relu"},{"className":"Dense","units":10,"activation":"softmax"}]`.
 *   Only registered layer classes are built (registerLayer); a file never names code to run.
 */
import { readFileBounded } from '../data/read-bounded.js';
import { withContext } from '../errors.js';
import { modelFileError } from '../io/files.js';
import { parseJsonFile } from '../io/validate.js';
import { LIMITS } from '../limits.js';
import { LOSS_NAMES, type ActivationName, type LossName } from '../kernels/index.js';
import type { Layer, LayerConfig } from '../nn/layer.js';
import { AveragePooling2D, Conv2D, Dense, Flatten, MaxPooling2D } from '../nn/layers/index.js';
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

/** The `cnn` model's layers, in words (for --help and docs/guides/convolutional-networks.md). */
export const CNN_ARCHITECTURE = "Conv2D 6@5x5 'same' - MaxPooling2D 2 - Conv2D 16@5x5 'valid' - MaxPooling2D 2 - Flatten - Dense 120 - Dense 84 - Dense classes";

/**
 * Builds the `cnn` model (see the module comment).
 * @throws UsageError naming --model when the data are not images [height, width, channels].
 */
export function buildCnn(pre: Preprocessing, activation: ActivationName, loss: LossName, seed: number, name: string): Sequential {
  if (pre.inputShape.length !== 3)
    throw new UsageError(`option '--model': cnn reads images [height, width, channels] (mnist, fashion-mnist); this data has inputs [${pre.inputShape.join(', ')}]`);
  const outAct: ActivationName = pre.task === 'regression' ? 'linear' : LOSSES[loss].fusedActivation === 'softmax' ? 'softmax' : 'sigmoid';
  return new Sequential([
    new Conv2D({ filters: 6, kernelSize: 5, padding: 'same', activation, inputShape: pre.inputShape }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D({ filters: 16, kernelSize: 5, padding: 'valid', activation }),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dense({ units: 120, activation }),
    new Dense({ units: 84, activation }),
    new Dense({ units: outputUnits(pre), activation: outAct }),
  ], { seed, name });
}

/**
 * Builds a model from a JSON file of layer configs (see the module comment).
 * @throws ModelFileError naming the file when it cannot be read; Error when it holds no list of
 *   layers; the layer's own TypeError / RangeError / Error, its message prefixed with the file and
 *   the layer's index, when a config is refused.
 */
export function buildFromJson(path: string, seed: number, name: string): Sequential {
  const json = parseJsonFile(readFileBounded(path, 'json', LIMITS, modelFileError), path);
  const list = Array.isArray(json) ? json : (json && typeof json === 'object' && Array.isArray((json as { layers?: unknown }).layers) ? (json as { layers: unknown[] }).layers : null);
  if (!list || list.length === 0) throw new Error(`${path}: expected a non-empty JSON list of layer configs such as [{"className": "Dense", "units": 10, "activation": "softmax"}]`);
  const layers = list.map((c, i) => {
    if (!c || typeof c !== 'object' || Array.isArray(c) || typeof (c as { className?: unknown }).className !== 'string')
      throw new Error(`${path}: layer ${i} must be an object with a "className" (such as "Dense"), got ${JSON.stringify(c)}`);
    try { return layerFromConfig(c as LayerConfig); }
    catch (e) { throw withContext(e, `${path}: layer ${i} (${(c as LayerConfig).className})`); }
  });
  try { return new Sequential(layers, { seed, name }); }
  catch (e) { throw withContext(e, path); }
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

/**
 * Describes a model's layer widths: "784-128-10" for an MLP; with image layers, the input shape
 * and each of them, e.g. "28x28x1-conv5x5x6-maxpool2-conv5x5x16-maxpool2-120-84-10".
 */
export function describeWidths(model: Sequential): string {
  if (!model.built) return model.layers.map((l) => l.className).join('-');
  const image = model.layers.some((l) => l instanceof Conv2D || l instanceof MaxPooling2D || l instanceof AveragePooling2D);
  const parts: (string | number)[] = [image ? model.inputShape!.join('x') : model.inputShape!.reduce((a, b) => a * b, 1)];
  const pool = (p: readonly number[]) => (p[0] === p[1] ? `${p[0]}` : p.join('x'));
  for (const l of model.layers) {
    if (l instanceof Dense) parts.push(l.units);
    else if (l instanceof Conv2D) parts.push(`conv${l.kernelSize.join('x')}x${l.filters}`);
    else if (l instanceof MaxPooling2D) parts.push(`maxpool${pool(l.poolSize)}`);
    else if (l instanceof AveragePooling2D) parts.push(`avgpool${pool(l.poolSize)}`);
  }
  return parts.join('-');
}
