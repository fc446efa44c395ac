/**
 * Keras's `custom_objects` for loadModel: the code a saved model names but nabla does not
 * register, given by the caller (a file never names code to run). A saved model records a
 * custom layer by its class name and a loss or metric function by its name (`fn.name`); on load
 * each is looked up here, and a missing one is refused naming it.
 */
import { Layer, type LayerConfig } from '../nn/layer.js';
import { LOSS_NAMES, type LossName } from '../kernels/loss-registry.js';
import type { FunctionLossSpec, LossFunction, LossReduction, LossSpec } from '../nn/losses.js';
import { METRIC_NAMES, type MetricName } from '../train/metrics.js';

/** A layer class whose constructor takes its config's options (as TF.js's `fromConfig` calls `new cls(config)`). */
export type LayerClass = new (options: Record<string, unknown>) => Layer;

/** By name: layer classes, layer factories (options) => Layer, and loss / metric functions. */
export type CustomObjects = Record<string, LayerClass | ((options: Record<string, unknown>) => Layer) | LossFunction>;

const isLayerClass = (v: unknown): v is LayerClass => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Layer;

/**
 * The layer `config` names, made from `customObjects` (a class is constructed with the options,
 * a factory called with them), or null when it names none of them (the registry is asked next).
 * @throws Error when the entry is not a layer class or a function returning a Layer.
 */
export function customLayerFromConfig(config: LayerConfig, customObjects: CustomObjects): Layer | null {
  const entry = Object.hasOwn(customObjects, config.className) ? customObjects[config.className] : undefined;
  if (entry === undefined) return null;
  const { className: _className, ...options } = config;
  const layer = isLayerClass(entry) ? new entry(options)
    : typeof entry === 'function' ? (entry as (o: Record<string, unknown>) => unknown)(options) : entry;
  if (!(layer instanceof Layer)) throw new Error(`customObjects.${config.className} must be a Layer class or a function returning a Layer`);
  return layer;
}

/** The function `name` refers to, from customObjects. @throws Error naming it and how to pass it. */
function functionNamed(name: string, what: 'loss' | 'metric', customObjects: CustomObjects): LossFunction {
  const fn = Object.hasOwn(customObjects, name) ? customObjects[name] : undefined;
  if (typeof fn !== 'function' || isLayerClass(fn))
    throw new Error(`the model was compiled with the ${what} function '${name}', which nabla cannot save as code: pass it when loading, loadModel(dir, { customObjects: { ${name} } })`);
  return fn as LossFunction;
}

/**
 * compile()'s loss and metrics from a saved model's `compile` field: built-in names as they are,
 * function names resolved through `customObjects`.
 * @throws Error naming a function the caller did not pass.
 */
export function resolveCompile(saved: { loss: { name: string; fromLogits: boolean; reduction?: string; custom?: boolean }; metrics: readonly string[] },
                               customObjects: CustomObjects): { loss: LossSpec | FunctionLossSpec; metrics: (MetricName | LossFunction)[] } {
  const { name, fromLogits, reduction, custom } = saved.loss;
  const r = (reduction ?? 'sum_over_batch_size') as LossReduction;
  const loss: LossSpec | FunctionLossSpec = custom || !(LOSS_NAMES as readonly string[]).includes(name)
    ? { name: functionNamed(name, 'loss', customObjects), reduction: r }
    : { name: name as LossName, fromLogits, reduction: r };
  const metrics = saved.metrics.map((m) => (METRIC_NAMES as readonly string[]).includes(m) ? m as MetricName : functionNamed(m, 'metric', customObjects));
  return { loss, metrics };
}
