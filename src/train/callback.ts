/**
 * The callback contract, as TensorFlow.js / Keras define it: an object with any of the hooks
 * below, or an instance of a `Callback` subclass (which fit gives `this.model` and `this.params`).
 * The fit loop awaits each hook. `logs` holds this epoch's or batch's metrics (Keras keys: loss,
 * the metric names given to compile, val_loss, ...).
 */
import type { Tensor } from '../tensor/tensor.js';

/** The numbers logged per batch or epoch by name ('loss', 'accuracy', 'val_loss', ...). */
export type Logs = Record<string, number>;

/** What callbacks may see of the model being trained. */
export interface CallbackModel {
  /** Set true to stop training: the current batch and epoch end normally (onEpochEnd, onTrainEnd run). */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
  /** Saves the model to a directory (modelCheckpoint). */
  save?(dir: string, options?: { overwrite?: boolean }): Promise<void>;
  /** The metric names given to compile, as logged. */
  readonly metrics?: readonly string[];
}

/** What fit tells callbacks before training (Keras / TF.js `this.params`). */
export interface CallbackParams {
  /** Epochs to run in all, and the first one (0-based). */
  epochs: number;
  initialEpoch: number;
  /** Training samples per epoch, and mini-batches (steps) per epoch. */
  samples: number;
  steps: number;
  batchSize: number;
  verbose: 0 | 1;
  /** Whether val_* quantities are logged at each epoch's end. */
  doValidation: boolean;
  /** The keys of the epoch logs: loss, the metrics, then their val_ versions. */
  metrics: string[];
}

/**
 * The training hooks fit calls, each awaited when it returns a promise: before and after the run,
 * each epoch and each batch (`logs` as {@link Logs}).
 */
export interface TrainingHooks {
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/** The hooks (all optional). A plain object with some of them is a callback. */
export interface CallbackHooks extends TrainingHooks {
  /** Called once before training with the model (TF.js / Keras set `this.model`). */
  setModel?(model: CallbackModel): void;
  /** Called once before training with the run's parameters (Keras `this.params`). */
  setParams?(params: CallbackParams): void;
  /**
   * The callback's own state as JSON (what it has seen so far: best value, epochs waited), saved
   * in checkpoints (`training.json`, field `callbacks`) so a resumed run continues it.
   */
  getState?(): Record<string, unknown>;
  /** Restores what getState returned; the next onTrainBegin keeps it instead of starting afresh. */
  setState?(state: Record<string, unknown>): void;
}

/** The training hooks of {@link CallbackBase}, by declaration merging: declared, not implemented. */
export interface CallbackBase extends TrainingHooks {}

/**
 * The base class of custom callbacks (tf.Callback / keras.callbacks.Callback): subclasses override
 * the hooks they need and read `this.model` (e.g. `this.model.stopTraining = true`) and
 * `this.params`, which fit sets before onTrainBegin.
 */
export class CallbackBase implements CallbackHooks {
  /** The model being trained; set by fit before onTrainBegin. */
  model!: CallbackModel;
  /** The run's parameters; set by fit before onTrainBegin. */
  params!: CallbackParams;
  setModel(model: CallbackModel): void { this.model = model; }
  setParams(params: CallbackParams): void { this.params = params; }
}

/** A callback: a plain object with hooks or a `Callback` subclass instance (the type is the hooks' shape). */
export type Callback = CallbackHooks;
/** The base class to extend: `class MyCallback extends Callback { onEpochEnd(epoch, logs) {...} }`. */
export const Callback = CallbackBase;

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/**
 * fit's `callbacks` option as a list: undefined -> [], one callback (object or instance) -> [it],
 * an array as is. TF.js accepts the same three forms.
 * @throws TypeError naming the entry that is not an object, a hook that is not a function, or an
 * unknown `on...` key of a plain object (a misspelt hook would otherwise never run).
 */
export function callbackList(arg: unknown): CallbackHooks[] {
  if (arg === undefined || arg === null) return [];
  const list = Array.isArray(arg) ? arg : [arg];
  list.forEach((cb, i) => {
    const where = Array.isArray(arg) ? `fit: callbacks[${i}]` : 'fit: callbacks';
    if (typeof cb !== 'object' || cb === null) throw new TypeError(`${where} must be an object with hooks such as onEpochEnd, or a Callback instance; got ${cb === null ? 'null' : typeof cb}`);
    for (const hook of [...HOOKS, 'setModel', 'setParams'] as const) {
      const f = (cb as Record<string, unknown>)[hook];
      if (f !== undefined && typeof f !== 'function') throw new TypeError(`${where}.${hook} must be a function, got ${typeof f}`);
    }
    if (Object.getPrototypeOf(cb) === Object.prototype) {
      for (const key of Object.keys(cb)) {
        if (/^on[A-Z]/.test(key) && !(HOOKS as readonly string[]).includes(key))
          throw new TypeError(`${where}: unknown hook '${key}'; valid hooks: ${HOOKS.join(', ')}`);
      }
    }
  });
  return list as CallbackHooks[];
}
