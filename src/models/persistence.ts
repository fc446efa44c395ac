/**
 * Saving models and checkpoints (docs/design.md, "Files a user keeps"):
 * - a model directory: model.json + weights.safetensors (io/model-format.ts);
 * - a checkpoint adds optimizer.safetensors (the optimiser's slots, its step count in the
 *   metadata) and training.json (where fit stopped, its options, the random streams' states), so a
 *   resumed run ends bit-identical to an uninterrupted one.
 * Writes go to a temporary directory that is renamed into place: a crash never leaves a
 * half-written model. Everything here works against the SavableModel interface (contract.ts), so
 * Sequential can call saveModel without an import cycle; loading, which makes a Sequential, is in
 * load.ts.
 */
import { FileWriteError } from '../errors.js';
import { localPath, type UrlInstance } from '../io/location.js';
import { encodeModel, type SavedModel } from '../io/model-format.js';
import { encodeSafetensors } from '../io/safetensors.js';
import type { RngState } from '../tensor/rng.js';
import type { Callback } from '../train/callbacks.js';
import type { FitArgs } from '../train/fit.js';
import type { SavableModel } from './contract.js';
import { savedLoss } from './custom-loss.js';

const CHECKPOINT_FILES = ['optimizer.safetensors', 'training.json'];

/** A model, decoded into the format's plain parts. */
export function toSaved(model: SavableModel): SavedModel {
  if (!model.built) model.build();
  const names = model.weightNames();
  return {
    name: model.name, seed: model.resolvedSeed, inputShape: model.inputShape!,
    layers: model.layers.map((l) => { const { className, ...config } = l.getConfig(); return { className, config }; }),
    compile: model.loss && model.optimizer
      ? { optimizer: model.optimizer.getConfig(), loss: savedLoss(model.loss), metrics: [...model.metrics] }
      : null,
    history: model.histories.map((h) => h.toJSON()),
    weights: model.getWeights().map((tensor, i) => ({ name: names[i]!, tensor })),
  };
}

async function fs() { return import('node:fs/promises'); }
/** path.join, imported when needed (Node only: URLs and bytes need no paths). */
export async function pathJoin(...parts: string[]): Promise<string> { return (await import('node:path')).join(...parts); }

/** True when dir/model.json describes the same architecture (so saving over it needs no overwrite). */
async function holdsSameModel(dir: string, model: SavableModel): Promise<boolean> {
  try {
    const text = await (await fs()).readFile(await pathJoin(dir, 'model.json'), 'utf8');
    const old = JSON.parse(text) as { model?: unknown };
    const mine = JSON.parse(encodeModel(toSaved(model))['model.json']) as { model: unknown };
    return JSON.stringify(old.model) === JSON.stringify(mine.model);
  } catch { return false; }
}

/** Writes files into dir atomically; a dir holding a different model needs `overwrite`. */
async function writeDir(dir: string, model: SavableModel, files: Record<string, string | Uint8Array>, overwrite: boolean): Promise<void> {
  const { writeModelDir } = await import('../io/files.js');
  const same = await holdsSameModel(dir, model);
  try {
    await writeModelDir(dir, files, { overwrite: overwrite || same, knownFiles: ['model.json', 'weights.safetensors', ...CHECKPOINT_FILES] });
  } catch (e) {
    if (e instanceof FileWriteError && e.code === 'EEXIST')
      throw new FileWriteError(dir, `cannot save to ${dir}: it holds a different model or other files; pass overwrite: true to replace it`, { code: 'EEXIST', cause: e });
    throw e;
  }
}

/**
 * Saves model.json and weights.safetensors into `dir` (created if needed), atomically. Saving a
 * model, loading it and saving it again gives byte-identical files.
 * @throws FileWriteError with code 'EEXIST' when dir holds a different model (or other files) and
 *   `overwrite` is not set; FileWriteError with the system's code when the write fails.
 */
export async function saveModel(model: SavableModel, dir: string | UrlInstance, options: { overwrite?: boolean } = {}): Promise<void> {
  await writeDir(await localPath(dir, 'saveModel'), model, encodeModel(toSaved(model)), options.overwrite ?? false);
}

/** The fit options a checkpoint keeps, to resume with the same ones. */
export type CheckpointFitArgs = Pick<FitArgs, 'epochs' | 'batchSize' | 'shuffle' | 'seed' | 'validationSplit'>;

/**
 * Saves a model with its optimiser state, where training stopped (model.trainingProgress) and the
 * state of the fit's `callbacks` (those with getState: earlyStopping's best value and wait,
 * modelCheckpoint's best), as docs/design.md's training.json lists them.
 * @throws Error when the model is not compiled or has not trained.
 */
export async function saveCheckpoint(dir: string | UrlInstance, model: SavableModel, options: { fitArgs: CheckpointFitArgs; extra?: Record<string, unknown>; overwrite?: boolean; callbacks?: Callback[] }): Promise<void> {
  if (!model.optimizer || !model.trainingProgress) throw new Error('saveCheckpoint: the model has no training in progress (compile and fit first)');
  const rng: Record<string, RngState> = {};
  for (const l of model.layers) {
    const state = l.getRngState();
    if (state) rng[l.name] = state;
  }
  const callbacks = (options.callbacks ?? []).map((cb) => cb.getState?.() ?? null);
  const training = { format: 'nabla-checkpoint', formatVersion: 1, progress: model.trainingProgress, fitArgs: options.fitArgs, rng, callbacks, extra: options.extra ?? {} };
  const slots = model.optimizer.getSlots();
  const files = {
    ...encodeModel(toSaved(model)),
    'optimizer.safetensors': encodeSafetensors(slots.map((s) => ({ name: s.name, tensor: s.tensor })), { iterations: String(model.optimizer.iterations) }),
    'training.json': JSON.stringify(training, null, 2) + '\n',
  };
  await writeDir(await localPath(dir, 'saveCheckpoint'), model, files, options.overwrite ?? false);
}
