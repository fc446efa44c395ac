/**
 * The saved-model format (docs/design.md, "Files a user keeps"): `model.json` (format version, the
 * model's architecture as layer classes with names and configs, compile settings, training
 * history, the weights manifest) and `weights.safetensors` (tensors named `<layer>/<weight>` in
 * getWeights() order). Pure functions: no file system, so the browser can load a model too.
 * Loading validates every field and never executes code from a file.
 */
import type { Tensor } from '../tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import {
  expectArray, expectBoolean, expectInteger, expectKeys, expectNumberArray, expectObject, expectOneOf, expectShape,
  expectString, describeValue, fieldPath, ModelFileError, parseJsonFile,
} from './validate.js';

export const MODEL_FORMAT = 'nabla-model';
/** The version of the model.json format written (a reader refuses a newer one). */
export const MODEL_FORMAT_VERSION = 1;

/** A layer as model.json stores it: its registered class name and constructor options. */
export interface SavedLayer { className: string; config: Record<string, unknown> }

/** Everything model.json holds, decoded. */
export interface SavedModel {
  name: string;
  seed: number;
  /** Per-sample input shape. */
  inputShape: number[];
  layers: SavedLayer[];
  /** compile() settings, or null for an uncompiled model. */
  compile: { optimizer: Record<string, unknown>; loss: { name: string; fromLogits: boolean; reduction?: string; custom?: boolean }; metrics: string[] } | null;
  /** One entry per fit() call: epochs and the logged quantities. */
  history: { epoch: number[]; history: Record<string, number[]> }[];
  /** Weights in getWeights() order. */
  weights: { name: string; tensor: Tensor }[];
}

/**
 * The two files of a saved model, deterministic (the same model gives the same bytes).
 * @throws TypeError from the safetensors encoder (duplicate weight names).
 */
export function encodeModel(m: SavedModel): { 'model.json': string; 'weights.safetensors': Uint8Array } {
  const json = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    model: { className: 'Sequential', name: m.name, seed: m.seed, inputShape: m.inputShape, layers: m.layers },
    compile: m.compile,
    history: m.history,
    weights: m.weights.map((w) => ({ name: w.name, dtype: w.tensor.dtype, shape: [...w.tensor.shape] })),
  };
  return {
    'model.json': JSON.stringify(json, null, 2) + '\n',
    'weights.safetensors': encodeSafetensors(m.weights, { format: MODEL_FORMAT, formatVersion: String(MODEL_FORMAT_VERSION) }),
  };
}

/** model.json decoded and validated, before the weights are read: the manifest lists them. */
export type SavedModelJson = Omit<SavedModel, 'weights'> & { manifest: { name: string; dtype: 'float32' | 'float64'; shape: number[] }[] };

/** Names an object's keys that would shadow Object.prototype (`__proto__`, `constructor`, ...). */
function inheritedName(key: string): boolean {
  return key in Object.prototype;
}

/**
 * Decodes and validates model.json alone (no weights read yet), so a loader can check the
 * architecture's size before it reads or allocates the weights.
 * @param modelJson the file's text or bytes.
 * @param p the file's path (or URL), for messages.
 * @param maxJsonDepth the deepest nesting allowed (default `LIMITS.maxJsonDepth`).
 * @throws ModelFileError naming the file and the field: E_CORRUPT for text that is not JSON,
 *   E_INVALID for a wrong field, E_UNSUPPORTED for a newer format version, E_TOO_LARGE for nesting
 *   deeper than `LIMITS.maxJsonDepth`.
 */
export function decodeModelJson(modelJson: string | Uint8Array, p: string, maxJsonDepth?: number): SavedModelJson {
  const root = expectObject(parseJsonFile(modelJson, p, maxJsonDepth), p, '');
  expectKeys(root, p, '', { required: ['format', 'formatVersion', 'model', 'compile', 'history', 'weights'] });
  if (root.format !== MODEL_FORMAT) throw new ModelFileError(p, `field 'format' must be '${MODEL_FORMAT}', got ${describeValue(root.format)}: not a nabla model`, 'format');
  const version = expectInteger(root.formatVersion, p, 'formatVersion', { min: 1 });
  if (version > MODEL_FORMAT_VERSION) throw new ModelFileError(p, `formatVersion ${version} is newer than this nabla understands (${MODEL_FORMAT_VERSION}); upgrade nabla`, 'formatVersion', 'E_UNSUPPORTED');

  const model = expectObject(root.model, p, 'model');
  expectKeys(model, p, 'model', { required: ['className', 'name', 'seed', 'inputShape', 'layers'] });
  expectOneOf(model.className, ['Sequential'], p, 'model.className');
  const layers = expectArray(model.layers, p, 'model.layers', { minLength: 1 }).map((l, i) => {
    const f = fieldPath('model.layers', i);
    const layer = expectObject(l, p, f);
    expectKeys(layer, p, f, { required: ['className', 'config'] });
    return { className: expectString(layer.className, p, `${f}.className`, { nonEmpty: true }), config: expectObject(layer.config, p, `${f}.config`) };
  });

  let compile: SavedModel['compile'] = null;
  if (root.compile !== null) {
    const c = expectObject(root.compile, p, 'compile');
    expectKeys(c, p, 'compile', { required: ['optimizer', 'loss', 'metrics'] });
    const loss = expectObject(c.loss, p, 'compile.loss');
    expectKeys(loss, p, 'compile.loss', { required: ['name', 'fromLogits'], optional: ['reduction', 'custom'] });
    compile = {
      optimizer: expectObject(c.optimizer, p, 'compile.optimizer'),
      loss: {
        name: expectString(loss.name, p, 'compile.loss.name'), fromLogits: expectBoolean(loss.fromLogits, p, 'compile.loss.fromLogits'),
        ...(loss.reduction === undefined ? {} : { reduction: expectString(loss.reduction, p, 'compile.loss.reduction') }),
        ...(loss.custom === undefined ? {} : { custom: expectBoolean(loss.custom, p, 'compile.loss.custom') }),
      },
      metrics: expectArray(c.metrics, p, 'compile.metrics').map((v, i) => expectString(v, p, fieldPath('compile.metrics', i))),
    };
  }
  const history = expectArray(root.history, p, 'history').map((h, i) => {
    const f = fieldPath('history', i);
    const o = expectObject(h, p, f);
    expectKeys(o, p, f, { required: ['epoch', 'history'] });
    const series = expectObject(o.history, p, `${f}.history`);
    for (const k of Object.keys(series))
      if (inheritedName(k)) throw new ModelFileError(p, `field '${fieldPath(`${f}.history`, k)}' is not allowed: '${k}' cannot name a logged quantity`, fieldPath(`${f}.history`, k));
    return {
      epoch: expectNumberArray(o.epoch, p, `${f}.epoch`),
      history: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, expectNumberArray(v, p, fieldPath(`${f}.history`, k))])),
    };
  });
  const manifest = expectArray(root.weights, p, 'weights').map((w, i) => {
    const f = fieldPath('weights', i);
    const o = expectObject(w, p, f);
    expectKeys(o, p, f, { required: ['name', 'dtype', 'shape'] });
    return { name: expectString(o.name, p, `${f}.name`), dtype: expectOneOf(o.dtype, ['float32', 'float64'], p, `${f}.dtype`), shape: expectShape(o.shape, p, `${f}.shape`) };
  });
  return {
    name: expectString(model.name, p, 'model.name'),
    seed: expectInteger(model.seed, p, 'model.seed'),
    inputShape: expectShape(model.inputShape, p, 'model.inputShape'),
    layers, compile, history, manifest,
  };
}

/** Options of `attachWeights` and {@link decodeModel}. */
export interface DecodeWeightsOptions {
  /** Accept weights holding NaN or Infinity (for debugging a diverged model); default false. */
  allowNonFinite?: boolean;
  /** The deepest nesting allowed in the safetensors header (default `LIMITS.maxJsonDepth`). */
  maxJsonDepth?: number;
}

/**
 * Refuses a tensor holding NaN or Infinity.
 * @throws ModelFileError (E_NON_FINITE) naming the file, the tensor and the first bad index.
 */
export function checkFinite(name: string, tensor: Tensor, path: string): void {
  const data = tensor.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) // NaN or +-Infinity
      throw new ModelFileError(path, `tensor '${name}' holds ${v} at index ${i}: the weights are not finite (a diverged training?); load it anyway with { allowNonFinite: true } or --allow-non-finite`, name, 'E_NON_FINITE');
  }
}

/**
 * Decodes the weights file and matches it against model.json's manifest.
 * @throws ModelFileError naming the file: any error of decodeSafetensors; a weight missing, of
 *   another shape or dtype than the manifest says, or not listed (E_INVALID); NaN or Infinity in
 *   a weight (E_NON_FINITE) unless `allowNonFinite`.
 */
export function attachWeights(json: SavedModelJson, weightsBytes: Uint8Array | ArrayBuffer, weightsPath: string, options: DecodeWeightsOptions = {}): SavedModel {
  const decoded = decodeSafetensors(weightsBytes, weightsPath, options.maxJsonDepth);
  const weights = json.manifest.map((w) => {
    const t = decoded.tensors.get(w.name);
    if (!t) throw new ModelFileError(weightsPath, `has no tensor '${w.name}', which model.json lists`, undefined, 'E_INVALID');
    if (t.dtype !== w.dtype || t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i]))
      throw new ModelFileError(weightsPath, `tensor '${w.name}' is ${t.dtype} [${t.shape.join(', ')}], but model.json says ${w.dtype} [${w.shape.join(', ')}]`, undefined, 'E_INVALID');
    if (!options.allowNonFinite) checkFinite(w.name, t, weightsPath);
    return { name: w.name, tensor: t };
  });
  if (decoded.order.length !== json.manifest.length) {
    const extra = decoded.order.filter((n) => !json.manifest.some((w) => w.name === n));
    throw new ModelFileError(weightsPath, `holds tensors model.json does not list: ${extra.join(', ')}`, undefined, 'E_INVALID');
  }
  const { manifest: _manifest, ...rest } = json;
  return { ...rest, weights };
}

/**
 * Decodes and validates the two files (`decodeModelJson` + `attachWeights`).
 * @param paths the files' paths (or URLs), for messages.
 * @param options `allowNonFinite` (default false) and `maxJsonDepth`.
 * @throws ModelFileError naming the file, the field and what was wrong; in particular when the
 * weights file and model.json's manifest disagree about a weight's name, shape or dtype, or a
 * weight holds NaN or Infinity (E_NON_FINITE).
 */
export function decodeModel(modelJson: string | Uint8Array, weightsBytes: Uint8Array | ArrayBuffer,
                            paths: { modelJson: string; weights: string }, options: DecodeWeightsOptions = {}): SavedModel {
  return attachWeights(decodeModelJson(modelJson, paths.modelJson, options.maxJsonDepth), weightsBytes, paths.weights, options);
}
