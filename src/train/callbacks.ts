/**
 * The built-in callbacks: earlyStopping and modelCheckpoint (tf.callbacks.earlyStopping, Keras
 * ModelCheckpoint). The callback contract itself (hooks, the Callback base class) is in callback.ts.
 */
import { checkLocation } from '../io/location.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Callback, CallbackModel, Logs } from './callback.js';
import { monitoredValue } from './metrics.js';

export { Callback, CallbackBase, callbackList } from './callback.js';
export type { CallbackHooks, CallbackModel, CallbackParams, Logs } from './callback.js';

/** Warns once per training run (console.warn) that `monitor` is missing from the logs (TF.js / Keras do so). */
function missingMonitor(who: string, monitor: string, logs: Logs | undefined): void {
  console.warn(`${who}: the monitored quantity '${monitor}' is not in the logs (${Object.keys(logs ?? {}).join(', ') || 'none'}); ` +
    `it does nothing this run${monitor.startsWith('val_') ? ' (pass validationData or validationSplit for val_* quantities)' : ''}`);
}

/** Whether `monitor` improves upward: mode 'max', or 'auto' with an accuracy-like name (Keras). */
function maximises(mode: 'auto' | 'min' | 'max' | undefined, monitor: string): boolean {
  return mode === 'max' || ((mode ?? 'auto') === 'auto' && /acc|auc|precision|recall|f1/i.test(monitor));
}

/** A finite number, or null for +-Infinity (JSON has no Infinity). */
function jsonNumber(v: number): number | null { return Number.isFinite(v) ? v : null; }
/** The number in a saved state, `fallback` for null. @throws TypeError for anything else. */
function stateNumber(who: string, state: Record<string, unknown>, key: string, fallback: number): number {
  const v = state[key];
  if (v === null || v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${who}.setState: '${key}' must be a number or null, got ${JSON.stringify(v)}`);
  return v;
}

/** Options of {@link earlyStopping} (Keras EarlyStopping). */
export interface EarlyStoppingArgs {
  /** The logged quantity to watch. Default 'val_loss'. 'acc' and 'accuracy' (and their val_ forms) find each other. */
  monitor?: string;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks by the name (Keras). */
  mode?: 'auto' | 'min' | 'max';
  /** Restore the weights of the best epoch when stopping. Default false. */
  restoreBestWeights?: boolean;
}

/** The state earlyStopping keeps, saved in checkpoints so a resumed run stops at the same epoch. */
export interface EarlyStoppingState { best: number; wait: number; stoppedEpoch: number }

/**
 * Stops training when `monitor` has not improved by more than minDelta for `patience` epochs
 * (Keras EarlyStopping; tf.callbacks.earlyStopping): after an epoch without improvement the wait
 * grows by one, and training stops when wait >= patience. An improvement means value < best -
 * minDelta ('min' mode) or value > best + minDelta ('max'). A quantity missing from the logs
 * (val_loss without validation data) is warned about once and stops nothing, as in TF.js.
 * @throws RangeError for a negative or non-integer patience, a non-finite minDelta.
 */
export function earlyStopping(args: EarlyStoppingArgs = {}): Callback & { getState(): Record<string, unknown>; setState(s: Record<string, unknown>): void; readonly stoppedEpoch: number } {
  const monitor = args.monitor ?? 'val_loss';
  const patience = args.patience ?? 0;
  const minDelta = Math.abs(args.minDelta ?? 0);
  if (!Number.isInteger(patience) || patience < 0) throw new RangeError(`earlyStopping: patience must be an integer >= 0, got ${String(args.patience)}`);
  if (!Number.isFinite(minDelta)) throw new RangeError(`earlyStopping: minDelta must be a finite number, got ${String(args.minDelta)}`);
  const maximise = maximises(args.mode, monitor);
  const fresh = (): EarlyStoppingState => ({ best: maximise ? -Infinity : Infinity, wait: 0, stoppedEpoch: -1 });
  let model: CallbackModel | null = null;
  let state = fresh();
  let restored = false, warned = false;
  let bestWeights: Tensor[] | null = null;
  return {
    get stoppedEpoch() { return state.stoppedEpoch; },
    setModel(m) { model = m; },
    onTrainBegin() {
      if (!restored) state = fresh();
      restored = false; warned = false; bestWeights = null;
    },
    onEpochEnd(epoch, logs) {
      const value = monitoredValue(logs, monitor);
      if (value === undefined) { if (!warned) missingMonitor('earlyStopping', monitor, logs); warned = true; return; }
      const improved = maximise ? value - minDelta > state.best : value + minDelta < state.best;
      if (improved) {
        state.best = value; state.wait = 0;
        if (args.restoreBestWeights && model) bestWeights = model.getWeights();
        return;
      }
      state.wait++;
      if (state.wait >= patience && model) {
        state.stoppedEpoch = epoch;
        model.stopTraining = true;
        if (args.restoreBestWeights && bestWeights) model.setWeights(bestWeights);
      }
    },
    getState: () => ({ best: jsonNumber(state.best), wait: state.wait, stoppedEpoch: state.stoppedEpoch }),
    setState(s) {
      const f = fresh();
      state = { best: stateNumber('earlyStopping', s, 'best', f.best), wait: stateNumber('earlyStopping', s, 'wait', 0), stoppedEpoch: stateNumber('earlyStopping', s, 'stoppedEpoch', -1) };
      restored = true;
    },
  };
}

/** Options of {@link modelCheckpoint}. */
export interface ModelCheckpointArgs {
  /** Directory the model is saved to (replaced at each save): a path or a `file://` URL. */
  dir: string;
  /** Save only when `monitor` improves. Default false: save after every epoch. */
  saveBestOnly?: boolean;
  /** The logged quantity saveBestOnly watches. Default 'val_loss'; 'val_acc' and 'val_accuracy' find each other. */
  monitor?: string;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks by the name. */
  mode?: 'auto' | 'min' | 'max';
}

/**
 * Saves the model after each epoch, or only when `monitor` improves (Keras ModelCheckpoint).
 * @throws Error when dir is empty.
 * @throws ModelFileError (E_UNSUPPORTED) when dir is a URL of another scheme than file://.
 */
export function modelCheckpoint(args: ModelCheckpointArgs): Callback {
  if (!args || typeof args.dir !== 'string' || args.dir === '') throw new Error('modelCheckpoint: dir must be a non-empty path');
  checkLocation(args.dir, 'modelCheckpoint');
  const monitor = args.monitor ?? 'val_loss';
  const maximise = maximises(args.mode, monitor);
  const worst = maximise ? -Infinity : Infinity;
  let best = worst;
  let restored = false, warned = false;
  let model: CallbackModel | null = null;
  return {
    setModel(m) { model = m; },
    onTrainBegin() {
      if (!restored) best = worst;
      restored = false; warned = false;
    },
    async onEpochEnd(_epoch, logs) {
      if (!model?.save) throw new Error('modelCheckpoint: this model cannot be saved');
      if (args.saveBestOnly) {
        const value = monitoredValue(logs, monitor);
        if (value === undefined) { if (!warned) missingMonitor('modelCheckpoint', monitor, logs); warned = true; return; }
        if (maximise ? !(value > best) : !(value < best)) return;
        best = value;
      }
      await model.save(args.dir, { overwrite: true });
    },
    getState: () => ({ best: jsonNumber(best) }),
    setState(s) { best = stateNumber('modelCheckpoint', s, 'best', worst); restored = true; },
  };
}
