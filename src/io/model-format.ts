/**
 * The saved-model format (DESIGN.md, "Files a user keeps"): `model.json` (format version, the
 * model's architecture as layer classes with names and configs, compile settings, training
 * history, the weights manifest) and `weights.safetensors` (tensors named `<layer>/<weight>` in
 * getWeights() order). Pure functions: no file system, so the browser can load a model too.
 * Loading validates every field and never executes code from a file.
 */
import type { Tensor } from '../tensor/tensor.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import {
  expectArray, expectBoolean, expectInteger, expectKeys, expectNumberArray, expectObject, expectOneOf, expectShape,
  expectString, fieldPath, ModelFileError, parseJsonFile,
} from './validate.js';

export const MODEL_FORMAT = 'nabla-model';
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
  compile: { optimizer: Record<string, unknown>; loss: { name: string; fromLogits: boolean }; metrics: string[] } | null;
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

/**
 * Decodes and validates the two files.
 * @param paths the files' paths (or URLs), for messages.
 * @throws ModelFileError naming the file, the field and what was wrong; in particular when the
 * weights file and model.json's manifest disagree about a weight's name, shape or dtype.
 */
export function decodeModel(modelJson: string | Uint8Array, weightsBytes: Uint8Array | ArrayBuffer,
                            paths: { modelJson: string; weights: string }): SavedModel {
  const p = paths.modelJson;
  const root = expectObject(parseJsonFile(modelJson, p), p, '');
  expectKeys(root, p, '', { required: ['format', 'formatVersion', 'model', 'compile', 'history', 'weights'] });
  if (root.format !== MODEL_FORMAT) throw new ModelFileError(p, `field 'format' must be '${MODEL_FORMAT}', got ${JSON.stringify(root.format)}: not a nabla model`, 'format');
  const version = expectInteger(root.formatVersion, p, 'formatVersion', { min: 1 });
  if (version > MODEL_FORMAT_VERSION) throw new ModelFileError(p, `formatVersion ${version} is newer than this nabla understands (${MODEL_FORMAT_VERSION}); upgrade nabla`, 'formatVersion');

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
    expectKeys(loss, p, 'compile.loss', { required: ['name', 'fromLogits'] });
    compile = {
      optimizer: expectObject(c.optimizer, p, 'compile.optimizer'),
      loss: { name: expectString(loss.name, p, 'compile.loss.name'), fromLogits: expectBoolean(loss.fromLogits, p, 'compile.loss.fromLogits') },
      metrics: expectArray(c.metrics, p, 'compile.metrics').map((v, i) => expectString(v, p, fieldPath('compile.metrics', i))),
    };
  }
  const history = expectArray(root.history, p, 'history').map((h, i) => {
    const f = fieldPath('history', i);
    const o = expectObject(h, p, f);
    expectKeys(o, p, f, { required: ['epoch', 'history'] });
    const series = expectObject(o.history, p, `${f}.history`);
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

  const decoded = decodeSafetensors(weightsBytes, paths.weights);
  const weights = manifest.map((w) => {
    const t = decoded.tensors.get(w.name);
    if (!t) throw new ModelFileError(paths.weights, `has no tensor '${w.name}', which model.json lists`);
    if (t.dtype !== w.dtype || t.shape.length !== w.shape.length || t.shape.some((d, i) => d !== w.shape[i]))
      throw new ModelFileError(paths.weights, `tensor '${w.name}' is ${t.dtype} [${t.shape.join(', ')}], but model.json says ${w.dtype} [${w.shape.join(', ')}]`);
    return { name: w.name, tensor: t };
  });
  if (decoded.order.length !== manifest.length) {
    const extra = decoded.order.filter((n) => !manifest.some((w) => w.name === n));
    throw new ModelFileError(paths.weights, `holds tensors model.json does not list: ${extra.join(', ')}`);
  }
  return {
    name: expectString(model.name, p, 'model.name'),
    seed: expectInteger(model.seed, p, 'model.seed'),
    inputShape: expectShape(model.inputShape, p, 'model.inputShape'),
    layers, compile, history, weights,
  };
}
