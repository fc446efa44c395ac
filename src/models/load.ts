/**
 * Loading saved models and checkpoints (docs/design.md, "Files a user keeps"), the other half of
 * persistence.ts: from a directory, an http(s) URL or the files' bytes. Loading validates every
 * field and only builds registered layer classes. It makes a Sequential, so it lives beside it
 * (persistence.ts, which Sequential.save calls, knows models only by the SavableModel interface).
 */
import { checkLocation, localPath, type UrlInstance } from '../io/location.js';
import { attachWeights, checkFinite, decodeModelJson, type SavedModel, type SavedModelJson } from '../io/model-format.js';
import { decodeSafetensors } from '../io/safetensors.js';
import { attachTfjsWeights, decodeTfjsModelJson, groupByteCounts, isTfjsModelJson, type TfjsModelJson } from '../interop/tfjs-format.js';
import { expectBoolean, expectInteger, expectKeys, expectNumber, expectObject, ModelFileError, parseJsonFile } from '../io/validate.js';
import { resolveLimits, type Limits, type LimitsOverride } from '../limits.js';
import type { Layer, LayerConfig } from '../nn/layer.js';
import { layerFromConfig } from '../nn/registry.js';
import { customLayerFromConfig, resolveCompile, type CustomObjects } from './custom-objects.js';
import { optimizerFromConfig } from '../optim/index.js';
import type { RngState } from '../tensor/rng.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import type { Callback, Logs } from '../train/callbacks.js';
import type { TrainingProgress } from '../train/fit.js';
import { History } from '../train/history.js';
import { pathJoin, type CheckpointFitArgs } from './persistence.js';
import { Sequential } from './sequential.js';

/**
 * Rebuilds a Sequential from decoded parts.
 * @throws ModelFileError naming model.json's field when a layer config, the optimiser or the loss is refused.
 */
export function fromSaved(saved: SavedModel, modelJsonPath: string, customObjects: CustomObjects = {}): Sequential {
  const layers = layersOf(saved, modelJsonPath, customObjects);
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
      model.compile({ optimizer: optimizerFromConfig(saved.compile.optimizer), ...resolveCompile(saved.compile, customObjects) });
    } catch (e) { throw new ModelFileError(modelJsonPath, `compile: ${(e as Error).message}`, 'compile'); }
  }
  for (const h of saved.history) {
    const history = new History();
    h.epoch.forEach((epoch, i) => history.record(epoch, Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v[i]!]))));
    model.histories.push(history);
  }
  return model;
}

/** The layers model.json describes, constructed (nothing allocated yet). */
function layersOf(saved: Pick<SavedModel, 'layers'>, modelJsonPath: string, customObjects: CustomObjects): Layer[] {
  return saved.layers.map((l, i) => {
    try { return customLayerFromConfig({ ...l.config, className: l.className } as LayerConfig, customObjects) ?? layerFromConfig({ ...l.config, className: l.className } as LayerConfig); }
    catch (e) { throw new ModelFileError(modelJsonPath, `model.layers[${i}] (${l.className}): ${(e as Error).message}`, `model.layers[${i}]`); }
  });
}

/**
 * Refuses, before anything is allocated, a model whose layers would allocate more than
 * `limits.maxParams` numbers: the input shape is walked through each layer's
 * computeOutputShape and its countParams summed. With the weights manifest, a model whose layers
 * would allocate more numbers than its weights file holds is refused too (so what a model.json
 * makes nabla allocate is bounded by the size of its weights file); a custom layer without
 * countParams counts 0, which never refuses a valid model.
 * @throws ModelFileError naming model.json and the layer where the total passes the limit
 *   (E_TOO_LARGE), a layer whose input does not fit, or more parameters than the weights hold
 *   (E_INVALID).
 */
export function checkModelSize(saved: Pick<SavedModelJson, 'layers' | 'inputShape'> & Partial<Pick<SavedModelJson, 'manifest'>>,
                               modelJsonPath: string, limits: Limits, customObjects: CustomObjects = {}): void {
  let shape = [1, ...saved.inputShape], total = 0;
  const layers = layersOf(saved, modelJsonPath, customObjects);
  // The first layer is built with its own inputShape (Sequential builds on add): it must be the
  // shape counted here, or a config could allocate what the count never saw.
  const own = layers[0]?.inputShapeArg;
  if (own && !shapesEqual(own, saved.inputShape))
    throw new ModelFileError(modelJsonPath, `model.layers[0]'s inputShape ${formatShape(own)} differs from the model's inputShape ${formatShape(saved.inputShape)}`, 'model.layers[0].config.inputShape', 'E_INVALID');
  layers.forEach((layer, i) => {
    const field = `model.layers[${i}]`;
    let count: number;
    try { count = layer.countParams(shape); shape = layer.computeOutputShape(shape); }
    catch (e) { throw new ModelFileError(modelJsonPath, `the layers do not fit together: ${field}: ${(e as Error).message}`, field); }
    total += count;
    if (!(total <= limits.maxParams))
      throw new ModelFileError(modelJsonPath, `${field} (${saved.layers[i]!.className}) would bring the model to ${total} parameters, which exceeds LIMITS.maxParams (${limits.maxParams}); raise it with { limits: { maxParams } }`, field, 'E_TOO_LARGE');
  });
  if (saved.manifest) {
    const listed = saved.manifest.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
    if (total > listed)
      throw new ModelFileError(modelJsonPath, `the layers make ${total} parameters but field 'weights' lists ${listed}`, 'weights');
  }
}

/** The bytes (or, for model.json, the text) of one saved file. */
type FileBytes = string | Uint8Array | ArrayBuffer;
/**
 * Where loadModel reads from: a directory (a path or a `file://` URL), an http(s) URL of one, or the two files' contents,
 * as `{ modelJson, weights }` or as the list `[modelJson, weights]` (ArrayBuffers, e.g. from fetch
 * or a file input).
 */
export type ModelSource = string | UrlInstance | { modelJson: FileBytes; weights: Uint8Array | ArrayBuffer } | readonly [FileBytes, Uint8Array | ArrayBuffer];

async function readSource(source: string | URL, file: string, limits: Limits): Promise<{ bytes: Uint8Array; path: string }> {
  checkLocation(source, 'loadModel', true);
  const url = source instanceof URL && source.protocol !== 'file:' ? source
    : typeof source === 'string' && /^https?:\/\//i.test(source) ? new URL(source) : null;
  const kind = file.endsWith('.json') ? 'json' : 'safetensors'; // weights: .safetensors, TF.js shards
  if (url) {
    const target = new URL(file, url.href.endsWith('/') ? url : new URL(url.href + '/'));
    const response = await fetch(target);
    if (!response.ok) throw new ModelFileError(target.href, `could not be fetched: HTTP ${response.status}`, undefined, 'E_NETWORK');
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > limits.maxFileBytes[kind])
      throw new ModelFileError(target.href, `is ${declared} bytes, which exceeds LIMITS.maxFileBytes.${kind} (${limits.maxFileBytes[kind]}); raise it with { limits: { maxFileBytes: { ${kind}: bytes } } }`, undefined, 'E_TOO_LARGE');
    return { bytes: new Uint8Array(await response.arrayBuffer()), path: target.href };
  }
  const { readFileBytes } = await import('../io/files.js');
  const path = await pathJoin(await localPath(source, 'loadModel'), file);
  return { bytes: await readFileBytes(path, { kind, limits }), path };
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** Limits in force (default `LIMITS`): `maxParams`, `maxJsonDepth`, `maxFileBytes.json` / `.safetensors`. */
  limits?: LimitsOverride;
  /** Accept weights holding NaN or Infinity (for debugging a diverged model); default false. */
  allowNonFinite?: boolean;
  /**
   * Keras's `custom_objects`: by name, the layer classes (or factories) and the loss and metric
   * functions a saved model names but nabla does not register, e.g. `{ Antirectifier, huber }`.
   */
  customObjects?: CustomObjects;
}

/**
 * Loads a saved model: compiled with its saved optimiser, loss and metrics (when it was compiled),
 * its training history in `model.histories`. Untrusted files are checked before anything is
 * allocated: each file is stat-checked (a regular file under `LIMITS.maxFileBytes`), model.json's
 * nesting depth against `LIMITS.maxJsonDepth`, its layers' parameter count against
 * `LIMITS.maxParams` (before the weights are read), and the weights for NaN and Infinity.
 * @param source  a directory (a path or a `file://` URL), an http(s) URL of one, or the two files' contents.
 * @param options `limits` to raise a limit, `allowNonFinite` to accept NaN / Infinity weights.
 * @throws ModelFileError naming the file and the field for a missing (E_NOT_FOUND), not regular
 *   (E_NOT_REGULAR_FILE), too large (E_TOO_LARGE), truncated or corrupt (E_CORRUPT), invalid
 *   (E_INVALID) or non-finite (E_NON_FINITE) file; E_UNSUPPORTED for a URL scheme other than
 *   file://, http:// and https://.
 */
export async function loadModel(source: ModelSource, options: LoadModelOptions = {}): Promise<Sequential> {
  if (Array.isArray(source)) {
    if (source.length !== 2) throw new TypeError(`loadModel: a list must hold two files' contents, [modelJson, weights]; got ${source.length} items`);
    return loadModel({ modelJson: source[0] as FileBytes, weights: source[1] as Uint8Array | ArrayBuffer }, options);
  }
  const limits = resolveLimits(options.limits);
  const customObjects = options.customObjects ?? {};
  const decodeOptions = { allowNonFinite: options.allowNonFinite ?? false, maxJsonDepth: limits.maxJsonDepth };
  const modelJson = (bytes: string | Uint8Array, path: string): SavedModelJson => {
    const json = decodeModelJson(bytes, path, limits.maxJsonDepth);
    checkModelSize(json, path, limits, customObjects);
    return json;
  };
  if (typeof source === 'object' && !(source instanceof URL)) {
    const files = source as { modelJson: FileBytes; weights: Uint8Array | ArrayBuffer };
    if (files.modelJson === undefined || files.weights === undefined)
      throw new TypeError('loadModel: expected a directory, a URL, { modelJson, weights } or [modelJson, weights]');
    const json = files.modelJson instanceof ArrayBuffer ? new Uint8Array(files.modelJson) : files.modelJson;
    const weights = files.weights instanceof ArrayBuffer ? new Uint8Array(files.weights) : files.weights;
    const tfjs = sniffTfjs(json, 'model.json', limits);
    if (tfjs) {
      const counts = groupByteCounts(tfjs.groups), total = counts.reduce((a, b) => a + b, 0);
      if (total !== weights.length)
        throw new ModelFileError('weights', `the weights manifest claims ${total} bytes but the weights hold ${weights.length}`, undefined, 'E_CORRUPT');
      let at = 0;
      const shards = counts.map((n) => weights.subarray(at, (at += n)));
      return fromSaved(attachTfjsWeights(tfjs, shards, (gi) => `weights (weightsManifest[${gi}])`, 'model.json', decodeOptions.allowNonFinite), 'model.json');
    }
    return fromSaved(attachWeights(modelJson(json, 'model.json'), weights, 'weights.safetensors', decodeOptions), 'model.json', customObjects);
  }
  const [base, jsonFile] = splitJsonPath(source as string | URL);
  const json = await readSource(base, jsonFile, limits);
  const tfjs = sniffTfjs(json.bytes, json.path, limits);
  if (tfjs) {
    const shards = await Promise.all(tfjs.groups.map(async (g) => concat(await Promise.all(g.paths.map(async (f) => (await readSource(base, f, limits)).bytes)))));
    return fromSaved(attachTfjsWeights(tfjs, shards, (gi) => `${json.path} weightsManifest[${gi}] (${tfjs.groups[gi]!.paths.join(', ')})`, json.path, decodeOptions.allowNonFinite), json.path);
  }
  const parts = modelJson(json.bytes, json.path);
  const weights = await readSource(base, 'weights.safetensors', limits);
  return fromSaved(attachWeights(parts, weights.bytes, weights.path, decodeOptions), json.path, customObjects);
}

/**
 * A TF.js model.json (one holding `modelTopology`), decoded and size-checked, or null for nabla's
 * own model.json (the text is parsed only when it names `modelTopology`).
 */
function sniffTfjs(bytes: string | Uint8Array, path: string, limits: Limits): TfjsModelJson | null {
  const text = typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  if (!text.includes('"modelTopology"')) return null;
  const root = parseJsonFile(text, path, limits.maxJsonDepth);
  if (!isTfjsModelJson(root)) return null;
  const decoded = decodeTfjsModelJson(root, path, limits);
  checkModelSize(decoded.json, path, limits);
  return decoded;
}

/** The shards of one TF.js weight group, back to back. */
function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** A location naming a `.json` file, split into its directory and the file's name; others are a directory holding model.json. */
function splitJsonPath(source: string | URL): [string | URL, string] {
  const href = source instanceof URL ? source.href : source;
  const m = /^(.*?)([^/\\]+\.json)$/i.exec(href.split(/[?#]/)[0]!);
  if (!m) return [source, 'model.json'];
  return [source instanceof URL ? new URL(m[1] || './', source) : (m[1] || '.'), m[2]!];
}

/** What {@link loadCheckpoint} returns: the model, where fit stopped, and what fit needs to go on. */
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
 * earlyStopping resumes its count instead of starting afresh. `limits` and `allowNonFinite` apply
 * as in {@link loadModel}, to the optimiser's state too.
 * @throws ModelFileError naming the file and field when anything is missing or malformed, or when
 *   a saved callback state has no callback with setState at its position; of code
 *   E_UNSUPPORTED when `dir` is a URL other than file://.
 */
export async function loadCheckpoint(location: string | UrlInstance, options: { callbacks?: Callback[] } & LoadModelOptions = {}): Promise<Checkpoint> {
  const dir = await localPath(location, 'loadCheckpoint');
  const model = await loadModel(dir, options);
  const limits = resolveLimits(options.limits);
  const { readFileBytes } = await import('../io/files.js');
  const tPath = await pathJoin(dir, 'training.json'), oPath = await pathJoin(dir, 'optimizer.safetensors');
  const t = expectObject(parseJsonFile(await readFileBytes(tPath, { limits }), tPath, limits.maxJsonDepth), tPath, '');
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
  const opt = decodeSafetensors(await readFileBytes(oPath, { limits }), oPath, limits.maxJsonDepth);
  if (!options.allowNonFinite) for (const name of opt.order) checkFinite(name, opt.tensors.get(name)!, oPath);
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
