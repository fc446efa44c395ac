/**
 * Callbacks, as TensorFlow.js / Keras define them: plain objects with any of the hooks below. The
 * fit loop awaits each hook. `logs` holds this epoch's or batch's metrics (Keras keys: loss,
 * accuracy, val_loss, ...).
 */
export type Logs = Record<string, number>;

/** What callbacks may see of the model being trained. */
export interface CallbackModel {
  /** Set true to stop after the current batch (earlyStopping, Ctrl-C). */
  stopTraining: boolean;
  getWeights(): import('../tensor/tensor.js').Tensor[];
  setWeights(weights: import('../tensor/tensor.js').Tensor[]): void;
  /** Saves the model to a directory (modelCheckpoint). */
  save?(dir: string, options?: { overwrite?: boolean }): Promise<void>;
}

export interface Callback {
  /** Called once before training with the model (TF.js sets `this.model`). */
  setModel?(model: CallbackModel): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

export interface EarlyStoppingArgs {
  /** The logged quantity to watch. Default 'val_loss'. */
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
 * (Keras EarlyStopping; tf.callbacks.earlyStopping).
 * @throws RangeError for a negative or non-integer patience, a negative minDelta.
 */
export function earlyStopping(args: EarlyStoppingArgs = {}): Callback & { getState(): EarlyStoppingState; setState(s: EarlyStoppingState): void; readonly stoppedEpoch: number } {
  const monitor = args.monitor ?? 'val_loss';
  const patience = args.patience ?? 0;
  const minDelta = Math.abs(args.minDelta ?? 0);
  if (!Number.isInteger(patience) || patience < 0) throw new RangeError(`earlyStopping: patience must be an integer >= 0, got ${String(args.patience)}`);
  if (!Number.isFinite(minDelta)) throw new RangeError(`earlyStopping: minDelta must be a finite number, got ${String(args.minDelta)}`);
  const mode = args.mode ?? 'auto';
  const maximise = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall|f1/i.test(monitor));
  let model: CallbackModel | null = null;
  let state: EarlyStoppingState = { best: maximise ? -Infinity : Infinity, wait: 0, stoppedEpoch: -1 };
  let bestWeights: import('../tensor/tensor.js').Tensor[] | null = null;
  return {
    get stoppedEpoch() { return state.stoppedEpoch; },
    setModel(m) { model = m; },
    onTrainBegin() { bestWeights = null; },
    onEpochEnd(epoch, logs) {
      const value = logs?.[monitor];
      if (value === undefined) throw new Error(`earlyStopping: the monitored quantity '${monitor}' is not in the logs (${Object.keys(logs ?? {}).join(', ')}); pass validationData or validationSplit for val_*`);
      const improved = maximise ? value - minDelta > state.best : value + minDelta < state.best;
      if (improved) {
        state.best = value; state.wait = 0;
        if (args.restoreBestWeights && model) bestWeights = model.getWeights();
        return;
      }
      state.wait++;
      if (state.wait > patience && model) {
        state.stoppedEpoch = epoch;
        model.stopTraining = true;
        if (args.restoreBestWeights && bestWeights) model.setWeights(bestWeights);
      }
    },
    getState: () => ({ ...state }),
    setState: (s) => { state = { ...s }; },
  };
}

export interface ModelCheckpointArgs {
  /** Directory the model is saved to (replaced at each save). */
  dir: string;
  /** Save only when `monitor` improves. Default false: save after every epoch. */
  saveBestOnly?: boolean;
  /** The logged quantity saveBestOnly watches. Default 'val_loss'. */
  monitor?: string;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks by the name. */
  mode?: 'auto' | 'min' | 'max';
}

/**
 * Saves the model after each epoch, or only when `monitor` improves (Keras ModelCheckpoint).
 * @throws Error when dir is empty.
 */
export function modelCheckpoint(args: ModelCheckpointArgs): Callback {
  if (!args || typeof args.dir !== 'string' || args.dir === '') throw new Error('modelCheckpoint: dir must be a non-empty path');
  const monitor = args.monitor ?? 'val_loss';
  const maximise = args.mode === 'max' || ((args.mode ?? 'auto') === 'auto' && /acc|auc|precision|recall|f1/i.test(monitor));
  let best = maximise ? -Infinity : Infinity;
  let model: CallbackModel | null = null;
  return {
    setModel(m) { model = m; },
    async onEpochEnd(_epoch, logs) {
      if (!model?.save) throw new Error('modelCheckpoint: this model cannot be saved');
      if (args.saveBestOnly) {
        const value = logs?.[monitor];
        if (value === undefined) throw new Error(`modelCheckpoint: the monitored quantity '${monitor}' is not in the logs (${Object.keys(logs ?? {}).join(', ')})`);
        if (maximise ? !(value > best) : !(value < best)) return;
        best = value;
      }
      await model.save(args.dir, { overwrite: true });
    },
  };
}
