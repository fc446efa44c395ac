/**
 * Loading saved models and checkpoints (DESIGN.md, "Files a user keeps"), the other half of
 * persistence.ts: from a directory, an http(s) URL or the files' bytes. Loading validates every
 * field and only builds registered layer classes. It makes a Sequential, so it lives beside it
 * (persistence.ts, which Sequential.save calls, knows models only by the SavableModel interface).
 */
import { decodeModel, type SavedModel } from '../io/model-format.js';
import { decodeSafetensors } from '../io/safetensors.js';
import { expectBoolean, expectInteger, expectKeys, expectNumber, expectObject, ModelFileError, parseJsonFile } from '../io/validate.js';
import type { LayerConfig } from '../nn/layer.js';
import { layerFromConfig } from '../nn/registry.js';
import { optimizerFromConfig } from '../optim/index.js';
import type { RngState } from '../tensor/rng.js';
import type { Callback, Logs } from '../train/callbacks.js';
import type { TrainingProgress } from '../train/fit.js';
import { History } from '../train/history.js';
import { pathJoin, type CheckpointFitArgs } from './persistence.js';
import { Sequential } from './sequential.js';

/**
 * Rebuilds a Sequential from decoded parts.
 * @throws ModelFileError naming model.json's field when a layer config, the optimiser or the loss is refused.
 */
export function fromSaved(saved: SavedModel, modelJsonPath: string): Sequential {
  const layers = saved.layers.map((l, i) => {
    try { return layerFromConfig({ ...l.config, className: l.className } as LayerConfig); }
    catch (e) { throw new ModelFileError(modelJsonPath, `model.layers[${i}] (${l.className}): ${(e as Error).message}`, `model.layers[${i}]`); }
  });
  const model = new Sequential(layers, { name: saved.name, seed: saved.seed });
  try { model.build(saved.inputShape); }
  catch (e) { throw new ModelFileError(modelJsonPath, `the layers do not fit together: ${(e as Error).message}`, 'model.layers'); }
  const names = model.weightNames();
  saved.weights.forEach((w, i) => {
    if (w.name !== names[i]) throw new ModelFileError(modelJsonPath, `weight ${i} is '${w.name}', but the layers make '${names[i] ?? '(none)'}'`, `weights[${i}]`);
  });
  try { model.setWeights(saved.weights.map((w) => w.tensor)); }
  catch (e) { throw new ModelFileError(modelJsonPath, (e as Error).message, 'weights'); }
  if (saved.compile) {
    try {
      model.compile({ optimizer: optimizerFromConfig(saved.compile.optimizer), loss: saved.compile.loss as never, metrics: saved.compile.metrics as never });
    } catch (e) { throw new ModelFileError(modelJsonPath, `compile: ${(e as Error).message}`, 'compile'); }
  }
  for (const h of saved.history) {
    const history = new History();
    h.epoch.forEach((epoch, i) => history.record(epoch, Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v[i]!]))));
    model.histories.push(history);
  }
  return model;
}

/** The bytes (or, for model.json, the text) of one saved file. */
type FileBytes = string | Uint8Array | ArrayBuffer;
/**
 * Where loadModel reads from: a directory, an http(s) URL of one, or the two files' contents,
 * as `{ modelJson, weights }` or as the list `[modelJson, weights]` (ArrayBuffers, e.g. from fetch
 * or a file input).
 */
export type ModelSource = string | URL | { modelJson: FileBytes; weights: Uint8Array | ArrayBuffer } | readonly [FileBytes, Uint8Array | ArrayBuffer];

async function readSource(source: ModelSource, file: string): Promise<{ bytes: Uint8Array; path: string }> {
  const url = source instanceof URL ? source : typeof source === 'string' && /^https?:\/\//.test(source) ? new URL(source) : null;
  if (url) {
    const target = new URL(file, url.href.endsWith('/') ? url : new URL(url.href + '/'));
    const response = await fetch(target);
    if (!response.ok) throw new ModelFileError(target.href, `could not be fetched: HTTP ${response.status}`);
    return { bytes: new Uint8Array(await response.arrayBuffer()), path: target.href };
  }
  const { readFileBytes } = await import('../io/files.js');
  const path = await pathJoin(source as string, file);
  return { bytes: await readFileBytes(path), path };
}

/**
 * Loads a saved model: compiled with its saved optimiser, loss and metrics (when it was compiled),
 * its training history in `model.histories`.
 * @throws ModelFileError naming the file and the field for a missing, truncated or corrupt file.
 */
export async function loadModel(source: ModelSource): Promise<Sequential> {
  if (Array.isArray(source)) {
    if (source.length !== 2) throw new TypeError(`loadModel: a list must hold two files' contents, [modelJson, weights]; got ${source.length} items`);
    return loadModel({ modelJson: source[0] as FileBytes, weights: source[1] as Uint8Array | ArrayBuffer });
  }
  if (typeof source === 'object' && !(source instanceof URL)) {
    const files = source as { modelJson: FileBytes; weights: Uint8Array | ArrayBuffer };
    if (files.modelJson === undefined || files.weights === undefined)
      throw new TypeError('loadModel: expected a directory, a URL, { modelJson, weights } or [modelJson, weights]');
    const json = files.modelJson instanceof ArrayBuffer ? new Uint8Array(files.modelJson) : files.modelJson;
    const weights = files.weights instanceof ArrayBuffer ? new Uint8Array(files.weights) : files.weights;
    return fromSaved(decodeModel(json, weights, { modelJson: 'model.json', weights: 'weights.safetensors' }), 'model.json');
  }
  const json = await readSource(source, 'model.json'), weights = await readSource(source, 'weights.safetensors');
  return fromSaved(decodeModel(json.bytes, weights.bytes, { modelJson: json.path, weights: weights.path }), json.path);
}

export interface Checkpoint {
  model: Sequential;
  /** Where fit stopped: pass as fit's `resumeFrom`. */
  progress: TrainingProgress;
  fitArgs: CheckpointFitArgs;
  /** Caller's own JSON (e.g. the CLI's options). */
  extra: Record<string, unknown>;
  /** The saved callbacks' states, by position (null for a callback without getState). */
  callbacks: (Record<string, unknown> | null)[];
}

/**
 * Loads a checkpoint written by saveCheckpoint. With `callbacks` (the same list, in the same
 * order, as the interrupted fit had), each saved callback state is restored with setState, so
 * earlyStopping resumes its count instead of starting afresh.
 * @throws ModelFileError naming the file and field when anything is missing or malformed, or when
 *   a saved callback state has no callback with setState at its position.
 */
export async function loadCheckpoint(dir: string, options: { callbacks?: Callback[] } = {}): Promise<Checkpoint> {
  const model = await loadModel(dir);
  const { readFileBytes } = await import('../io/files.js');
  const tPath = await pathJoin(dir, 'training.json'), oPath = await pathJoin(dir, 'optimizer.safetensors');
  const t = expectObject(parseJsonFile(await readFileBytes(tPath), tPath), tPath, '');
  expectKeys(t, tPath, '', { required: ['format', 'formatVersion', 'progress', 'fitArgs', 'rng', 'extra'], optional: ['callbacks'] });
  if (t.format !== 'nabla-checkpoint') throw new ModelFileError(tPath, `field 'format' must be 'nabla-checkpoint', got ${JSON.stringify(t.format)}`, 'format');
  const p = expectObject(t.progress, tPath, 'progress');
  expectKeys(p, tPath, 'progress', { required: ['epoch', 'batch', 'seen', 'sums', 'epochs'] });
  const sums = expectObject(p.sums, tPath, 'progress.sums');
  const progress: TrainingProgress = {
    epoch: expectInteger(p.epoch, tPath, 'progress.epoch', { min: 0 }), batch: expectInteger(p.batch, tPath, 'progress.batch', { min: 0 }),
    seen: expectInteger(p.seen, tPath, 'progress.seen', { min: 0 }), epochs: expectInteger(p.epochs, tPath, 'progress.epochs', { min: 1 }),
    sums: Object.fromEntries(Object.keys(sums).map((k) => [k, expectNumber(sums[k], tPath, `progress.sums.${k}`)])) as Logs,
  };
  const f = expectObject(t.fitArgs, tPath, 'fitArgs');
  expectKeys(f, tPath, 'fitArgs', { optional: ['epochs', 'batchSize', 'shuffle', 'seed', 'validationSplit'] });
  const fitArgs: CheckpointFitArgs = {};
  if (f.epochs !== undefined) fitArgs.epochs = expectInteger(f.epochs, tPath, 'fitArgs.epochs', { min: 1 });
  if (f.batchSize !== undefined) fitArgs.batchSize = expectInteger(f.batchSize, tPath, 'fitArgs.batchSize', { min: 1 });
  if (f.shuffle !== undefined) fitArgs.shuffle = expectBoolean(f.shuffle, tPath, 'fitArgs.shuffle');
  if (f.seed !== undefined) fitArgs.seed = expectInteger(f.seed, tPath, 'fitArgs.seed');
  if (f.validationSplit !== undefined) fitArgs.validationSplit = expectNumber(f.validationSplit, tPath, 'fitArgs.validationSplit');
  const rng = expectObject(t.rng, tPath, 'rng');
  for (const [name, state] of Object.entries(rng)) {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer || layer.getRngState() === null) throw new ModelFileError(tPath, `field 'rng.${name}' names no layer with a random stream`, `rng.${name}`);
    try { layer.setRngState(state as RngState); } catch (e) { throw new ModelFileError(tPath, `field 'rng.${name}': ${(e as Error).message}`, `rng.${name}`); }
  }
  if (!model.optimizer) throw new ModelFileError(await pathJoin(dir, 'model.json'), "a checkpoint's model must be compiled (field 'compile' is null)", 'compile');
  const opt = decodeSafetensors(await readFileBytes(oPath), oPath);
  const iterations = Number(opt.metadata.iterations);
  if (!Number.isInteger(iterations) || iterations < 0) throw new ModelFileError(oPath, `metadata 'iterations' must be an integer >= 0, got ${JSON.stringify(opt.metadata.iterations)}`);
  try {
    model.optimizer.setSlots(opt.order.map((name) => ({ name, tensor: opt.tensors.get(name)! })));
    model.optimizer.iterations = iterations;
  } catch (e) { throw new ModelFileError(oPath, (e as Error).message); }
  model.trainingProgress = progress;
  const saved = t.callbacks === undefined ? [] : t.callbacks;
  if (!Array.isArray(saved)) throw new ModelFileError(tPath, `field 'callbacks' must be a list, got ${JSON.stringify(saved)}`, 'callbacks');
  const callbacks = saved.map((c, i) => c === null ? null : expectObject(c, tPath, `callbacks[${i}]`));
  if (options.callbacks) {
    callbacks.forEach((state, i) => {
      if (state === null) return;
      const cb = options.callbacks![i];
      if (!cb?.setState) throw new ModelFileError(tPath, `field 'callbacks[${i}]' holds a callback's state, but callback ${i} of the ${options.callbacks!.length} given cannot take it (pass the interrupted fit's callbacks in the same order)`, `callbacks[${i}]`);
      try { cb.setState(state); } catch (e) { throw new ModelFileError(tPath, `field 'callbacks[${i}]': ${(e as Error).message}`, `callbacks[${i}]`); }
    });
  }
  return { model, progress, fitArgs, extra: expectObject(t.extra, tPath, 'extra'), callbacks };
}
