/**
 * The fit loop: epochs of seeded shuffled mini-batches (Nielsen ch. 1, "stochastic gradient
 * descent": each epoch a new random partition into mini-batches), validation, callbacks and
 * History. The shuffle of epoch e is Rng.derive(seed, 'shuffle', e), so a run resumed at
 * (epoch, batch) sees exactly the batches an uninterrupted run would.
 */
import { freeBuffer, getKernels } from '../kernels/index.js';
import { Rng } from '../tensor/rng.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { callbackList, type Callback, type CallbackModel, type CallbackParams, type Logs } from './callback.js';
import { NonFiniteLossError } from './errors.js';
import { EventLoopYielder } from './events.js';
import { History } from './history.js';
import { checkOptionKeys, integer, positiveInt, unitInterval } from '../validate.js';

/** Where a fit stands, after each batch: enough to resume mid-epoch with identical results. */
export interface TrainingProgress {
  /** Epoch in progress (0-based). */
  epoch: number;
  /** Batches of this epoch already applied. */
  batch: number;
  /** Samples of this epoch already seen, and the sample-weighted sums of their batch logs. */
  seen: number;
  sums: Logs;
  /** Epochs to run in all. */
  epochs: number;
}

/** What the loop needs of a model (Sequential implements it). */
export interface FitModel extends CallbackModel {
  /** One optimiser step on exactly this batch; returns batch logs (loss, metrics). @throws NonFiniteLossError before updating. */
  trainStep(x: Tensor, y: Tensor): Logs;
  /** Loss and metrics over a data set, inference mode. */
  evaluate(x: Tensor, y: Tensor, args?: { batchSize?: number }): Logs;
  /** Called once with the first training batch's shapes, before callbacks (builds the model, checks the data). */
  prepareFit(x: Tensor, y: Tensor): void;
  /** The seed shuffles derive from when fit() gets none. */
  readonly resolvedSeed: number;
  /** Updated after every batch (for checkpoints). */
  trainingProgress: TrainingProgress | null;
}

/** Options of {@link Sequential.fit} (Keras's fit). */
export interface FitArgs {
  /** Number of passes over the training data. A positive integer. */
  epochs?: number;
  /** Samples per mini-batch (the last batch may be smaller). Default 32. */
  batchSize?: number;
  /** Reshuffle the training data every epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle streams. Default: the model's seed. */
  seed?: number;
  /** Held-out [x, y] evaluated after every epoch (val_loss, val_accuracy...). */
  validationData?: [Tensor, Tensor];
  /** Fraction in [0, 1) of the samples, taken from the END before shuffling (Keras), held out for validation. */
  validationSplit?: number;
  /** One callback (a plain object with hooks, or a Callback instance) or a list of them (TF.js accepts both). */
  callbacks?: Callback | Callback[];
  /**
   * 1 writes one line per epoch (`Epoch 3/10 - 0.4s - loss: ...`) through `logger`; 0 is silent.
   * Default 1 when a logger is given, else 0. fit itself never prints.
   */
  verbose?: 0 | 1;
  /** Where verbose lines go, e.g. `console.log` (nabla extension; without one nothing is printed). */
  logger?: (line: string) => void;
  /**
   * Interrupts training after the current batch WITHOUT ending the epoch (nabla extension, used by
   * the CLI's Ctrl-C): no onEpochEnd / onTrainEnd, and `model.trainingProgress` keeps the
   * mid-epoch position so a checkpoint resumes exactly there. (`model.stopTraining = true` ends
   * the epoch first, as in TF.js.)
   */
  signal?: { readonly aborted: boolean };
  /** Epoch to start at (Keras initialEpoch), 0-based. */
  initialEpoch?: number;
  /** Resume mid-epoch exactly where a checkpoint stopped (nabla extension). */
  resumeFrom?: TrainingProgress;
}

/**
 * Validates fit's options (src/validate.ts).
 * @throws TypeError for an unknown option or a value of the wrong type; RangeError for a value out of range.
 */
export function checkFitArgs(args: FitArgs): Required<Pick<FitArgs, 'epochs' | 'batchSize' | 'shuffle' | 'verbose'>> {
  const allowed = ['epochs', 'batchSize', 'shuffle', 'seed', 'validationData', 'validationSplit', 'callbacks', 'verbose', 'logger', 'signal', 'initialEpoch', 'resumeFrom'];
  checkOptionKeys('fit', args, allowed);
  const epochs = positiveInt('fit', 'epochs', args.epochs ?? 1), batchSize = positiveInt('fit', 'batchSize', args.batchSize ?? 32);
  if (args.seed !== undefined) integer('fit', 'seed', args.seed);
  if (args.validationSplit !== undefined) unitInterval('fit', 'validationSplit', args.validationSplit);
  if (args.verbose !== undefined && args.verbose !== 0 && args.verbose !== 1) throw new RangeError(`fit: verbose must be 0 or 1, got ${String(args.verbose)}`);
  if (args.logger !== undefined && typeof args.logger !== 'function') throw new TypeError(`fit: logger must be a function such as console.log, got ${typeof args.logger}`);
  if (args.initialEpoch !== undefined && (!Number.isInteger(args.initialEpoch) || args.initialEpoch < 0)) throw new RangeError(`fit: initialEpoch must be an integer >= 0, got ${String(args.initialEpoch)}`);
  return { epochs, batchSize, shuffle: args.shuffle ?? true, verbose: args.verbose ?? (args.logger ? 1 : 0) };
}

/** Rows [start, end) of a tensor, sharing its buffer. */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const per = sizeOf(t.shape.slice(1));
  return new Tensor(t.data.subarray(start * per, end * per), [end - start, ...t.shape.slice(1)]);
}

/**
 * Gathers mini-batches into reusable backend buffers (one per batch size). The data is gathered
 * from where it lives: staging a JavaScript-heap data set in wasm memory for the fit was measured
 * (2026-12-02) to cost more than it saves, because growing wasm memory costs about 2.7 ms per MB
 * here (first-touch page faults): 85 ms for W1's 31 MB against about 20 us saved per batch.
 */
class BatchGatherer {
  private readonly buffers = new Map<number, Tensor>();
  constructor(private readonly source: Tensor) {}
  gather(order: Uint32Array, start: number, count: number): Tensor {
    let t = this.buffers.get(count);
    if (!t) {
      const per = sizeOf(this.source.shape.slice(1));
      t = new Tensor(getKernels().alloc(this.source.dtype, count * per), [count, ...this.source.shape.slice(1)]);
      this.buffers.set(count, t);
    }
    getKernels().gatherRows(this.source.data, sizeOf(this.source.shape.slice(1)), order, start, count, t.data);
    return t;
  }
  dispose(): void { for (const t of this.buffers.values()) freeBuffer(t.data); }
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
}

/** Keras / TF.js `this.params` of the callbacks. */
function fitParams(model: FitModel, a: { epochs: number; batchSize: number; verbose: 0 | 1; n: number; doValidation: boolean; initialEpoch: number }): CallbackParams {
  const keys = ['loss', ...(model.metrics ?? [])];
  return {
    epochs: a.epochs, initialEpoch: a.initialEpoch, samples: a.n, steps: Math.ceil(a.n / a.batchSize), batchSize: a.batchSize,
    verbose: a.verbose, doValidation: a.doValidation, metrics: a.doValidation ? [...keys, ...keys.map((k) => `val_${k}`)] : keys,
  };
}

/**
 * Runs fit (see FitArgs). Returns the History of the epochs run: with `model.stopTraining` set
 * during an epoch (TF.js semantics) that epoch ends after the current batch, with its validation,
 * onEpochEnd and then onTrainEnd; `signal` instead interrupts at once (see FitArgs.signal).
 */
export async function fitLoop(model: FitModel, x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
  const { epochs, batchSize, shuffle, verbose } = checkFitArgs(args);
  if (x.shape[0] !== y.shape[0]) throw new Error(`fit: x has ${x.shape[0]} samples but y has ${y.shape[0]}; they must match`);
  let xTrain = x, yTrain = y, validation = args.validationData ?? null;
  if (args.validationSplit && args.validationSplit > 0) {
    if (validation) throw new Error('fit: give validationData or validationSplit, not both');
    const n = x.shape[0]!, nVal = Math.floor(n * args.validationSplit);
    if (nVal === 0 || nVal === n) throw new RangeError(`fit: validationSplit ${args.validationSplit} of ${n} samples leaves an empty ${nVal === 0 ? 'validation' : 'training'} set`);
    xTrain = sliceRows(x, 0, n - nVal); yTrain = sliceRows(y, 0, n - nVal);
    validation = [sliceRows(x, n - nVal, n), sliceRows(y, n - nVal, n)];
  }
  const n = xTrain.shape[0]!;
  if (n === 0) throw new Error('fit: no training samples');
  model.prepareFit(xTrain, yTrain);
  if (validation) {
    const [xv, yv] = validation;
    if (xv.shape[0] !== yv.shape[0]) throw new Error(`fit: validationData x has ${xv.shape[0]} samples but y has ${yv.shape[0]}`);
    model.prepareFit(xv, yv);
  }
  const seed = args.seed ?? model.resolvedSeed;
  const callbacks = callbackList(args.callbacks);
  const history = new History();
  const xs = new BatchGatherer(xTrain), ys = new BatchGatherer(yTrain);
  const identity = Uint32Array.from({ length: n }, (_, i) => i);
  const resume = args.resumeFrom ?? null;
  const firstEpoch = resume ? resume.epoch : args.initialEpoch ?? 0;
  model.stopTraining = false;
  const params = fitParams(model, { epochs, batchSize, verbose, n, doValidation: validation !== null, initialEpoch: firstEpoch });
  for (const cb of callbacks) { cb.setModel?.(model); cb.setParams?.(params); }
  const interrupted = (): boolean => args.signal?.aborted === true;
  const yielder = new EventLoopYielder();
  try {
    for (const cb of callbacks) await cb.onTrainBegin?.({});
    for (let epoch = firstEpoch; epoch < epochs && !model.stopTraining && !interrupted(); epoch++) {
      const started = Date.now();
      const order = shuffle ? Rng.derive(seed, 'shuffle', epoch).permutation(n) : identity;
      const resuming = resume !== null && epoch === resume.epoch;
      const progress: TrainingProgress = resuming
        ? { epoch, batch: resume.batch, seen: resume.seen, sums: { ...resume.sums }, epochs }
        : { epoch, batch: 0, seen: 0, sums: {}, epochs };
      if (!resuming || resume.batch === 0) for (const cb of callbacks) await cb.onEpochBegin?.(epoch, {});
      const batches = Math.ceil(n / batchSize);
      for (let b = progress.batch; b < batches; b++) {
        const start = b * batchSize, count = Math.min(batchSize, n - start);
        for (const cb of callbacks) await cb.onBatchBegin?.(b, { size: count });
        let logs: Logs;
        try {
          logs = model.trainStep(xs.gather(order, start, count), ys.gather(order, start, count));
        } catch (e) {
          if (e instanceof NonFiniteLossError) throw new NonFiniteLossError(e.loss, epoch, b);
          throw e;
        }
        for (const [k, v] of Object.entries(logs)) progress.sums[k] = (progress.sums[k] ?? 0) + v * count;
        progress.seen += count; progress.batch = b + 1;
        model.trainingProgress = { ...progress, sums: { ...progress.sums } };
        for (const cb of callbacks) await cb.onBatchEnd?.(b, { ...logs, size: count });
        await yielder.maybeYield(); // Ctrl-C, timers and progress bars get their turn every few milliseconds
        if (interrupted() && b + 1 < batches) return history; // mid-epoch: the caller checkpoints trainingProgress
        if (model.stopTraining) break; // TF.js: the epoch ends here (logs of the batches run)
      }
      const epochLogs: Logs = {};
      for (const [k, v] of Object.entries(progress.sums)) epochLogs[k] = v / progress.seen;
      if (validation) for (const [k, v] of Object.entries(model.evaluate(validation[0], validation[1], { batchSize }))) epochLogs[`val_${k}`] = v;
      history.record(epoch, epochLogs);
      model.trainingProgress = { epoch: epoch + 1, batch: 0, seen: 0, sums: {}, epochs };
      if (verbose === 1) args.logger?.(`Epoch ${epoch + 1}/${epochs} - ${((Date.now() - started) / 1000).toFixed(1)}s - ${formatLogs(epochLogs)}`);
      for (const cb of callbacks) await cb.onEpochEnd?.(epoch, epochLogs);
    }
    for (const cb of callbacks) await cb.onTrainEnd?.(history.epoch.length ? Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[v.length - 1]!])) : {});
  } finally {
    xs.dispose(); ys.dispose();
  }
  return history;
}
