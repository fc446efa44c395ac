/**
 * The TensorFlow.js Layers format (what `model.save('file://dir')` and tensorflowjs_converter
 * write): model.json = `{ format: 'layers-model', modelTopology, weightsManifest, ... }`, where
 * `modelTopology` is a Keras model config (`{ class_name, config }`, or nested under
 * `model_config` as the converter writes it) and the weights lie in binary shards
 * (tfjs-weights.ts). Read: a Sequential, or a Functional model whose layers form a plain chain,
 * becomes nabla's SavedModel (loadModel routes a model.json holding `modelTopology` here).
 * Write: {@link encodeTfjs} gives the files `tf.loadLayersModel` opens.
 * Pure functions: no file system (exportTfjs in tfjs-export.ts writes the files).
 */
import { ModelFileError, expectArray, expectObject, expectString, fieldPath } from '../io/validate.js';
import type { SavedLayer, SavedModel, SavedModelJson } from '../io/model-format.js';
import { checkFinite } from '../io/model-format.js';
import type { Limits } from '../limits.js';
import { Tensor } from '../tensor/tensor.js';
import { viewModel, type ExportableModel } from './model-view.js';
import { layerFromConfig } from '../nn/registry.js';
import { fail, onlyFloat32, type At } from './tfjs-keras-config.js';
import { layerFromKeras, layerToKeras } from './tfjs-layers.js';
import { layerPrefixPattern, manifestPattern, nablaWeightName, SEQUENCE_CLASSES, sequenceWeightShortNames, tfjsWeightName } from './tfjs-sequence.js';
import { decodeGroups, decodeManifest, specBytes, type TfjsWeightGroup } from './tfjs-weights.js';

/** True when parsed JSON is a TF.js model.json (it has `modelTopology`), not a nabla one. */
export function isTfjsModelJson(root: unknown): root is Record<string, unknown> {
  return typeof root === 'object' && root !== null && !Array.isArray(root) && 'modelTopology' in root;
}

/** A TF.js model.json decoded: nabla's model description and the weights' groups, before any shard is read. */
export interface TfjsModelJson { json: SavedModelJson; groups: TfjsWeightGroup[] }

/** True when a call's keyword arguments feed it more than its input (initial_state, constants, ...; `training` and `mask` do not). */
function extraInputs(kwargs: unknown): boolean {
  return typeof kwargs === 'object' && kwargs !== null && Object.keys(kwargs).some((k) => k !== 'training' && k !== 'mask');
}

/**
 * The names of the layers feeding a Functional layer's node (Keras 2 lists, Keras 3 keras_history);
 * '?' for an input nabla cannot follow (a keyword argument such as initial_state).
 */
function inboundNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.map((t) => (Array.isArray(t) && !extraInputs(t[3]) ? String(t[0]) : '?'));
  const n = node as { args?: unknown[]; kwargs?: unknown } | null, args = n?.args ?? [];
  const names = args.map((a) => String((a as { config?: { keras_history?: unknown[] } })?.config?.keras_history?.[0] ?? '?'));
  return extraInputs(n?.kwargs) ? [...names, '?'] : names;
}

/** The weights a nabla layer config owns, in getWeights() order (params, then state). */
function weightShortNames(className: string, c: Record<string, unknown>): string[] {
  if (className === 'Dense' || className === 'Conv2D') return c.useBias === false ? ['kernel'] : ['kernel', 'bias'];
  if (className === 'BatchNormalization') return [...(c.scale !== false ? ['gamma'] : []), ...(c.center !== false ? ['beta'] : []), 'moving_mean', 'moving_variance'];
  if (SEQUENCE_CLASSES.has(className)) return sequenceWeightShortNames(className, c, weightShortNames);
  return [];
}

/**
 * Batch input shape [null, ...] of a layer config (Keras 2 `batch_input_shape`, Keras 3
 * `batch_shape`, an Embedding's `input_length`), or null.
 */
function batchShape(c: Record<string, unknown>): unknown[] | null {
  const s = c.batch_input_shape ?? c.batch_shape ?? (typeof c.input_length === 'number' ? [null, c.input_length] : null);
  return Array.isArray(s) ? s : null;
}

/**
 * A Functional model's `input_layers` / `output_layers` as a list of [layer, node, tensor]
 * references: Keras writes a list of them, or (one tensor, some Keras 3 versions) the reference
 * itself.
 */
function tensorRefs(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [];
  return typeof v[0] === 'string' ? [v] : v;
}

/**
 * Refuses an InputLayer dtype nabla cannot take: float32, or integer ids (int32 / int64, which
 * nabla takes as floats) when an Embedding (possibly inside TimeDistributed) reads them.
 * @param next the layer after the InputLayer in model.json.
 * @throws ModelFileError (E_UNSUPPORTED) naming the InputLayer.
 */
function checkInputDtype(c: Record<string, unknown>, next: Record<string, unknown> | undefined, at: At): void {
  const d = c.dtype;
  if (d !== 'int32' && d !== 'int64') { onlyFloat32(c, at); return; }
  const inner = (next?.config as { layer?: { class_name?: unknown } } | undefined)?.layer?.class_name;
  if (next?.class_name !== 'Embedding' && !(next?.class_name === 'TimeDistributed' && inner === 'Embedding'))
    fail(at, `dtype "${d}" (integer ids) is read only before an Embedding; the next layer is ${String(next?.class_name ?? 'none')}`, 'E_UNSUPPORTED');
}

/** The file's Keras major version: 3 for Keras 3, 'tfjs' for TF.js's own, 2 otherwise. */
function kerasFlavour(root: Record<string, unknown>, topology: Record<string, unknown>): 2 | 3 | 'tfjs' {
  const v = String(topology.keras_version ?? ''), by = String(root.generatedBy ?? '');
  if (/^tfjs/.test(v) || /^TensorFlow\.js/.test(by)) return 'tfjs';
  return /^3\./.test(v) || /keras v?3\./i.test(by) ? 3 : 2;
}

/**
 * Refuses a BatchNormalization whose positive `axis` is not the last axis of its input (nabla
 * normalises the last axis only), walking the layers' output shapes.
 * @throws ModelFileError (E_UNSUPPORTED) naming the layer.
 */
function checkBatchNormAxes(layers: SavedLayer[], axes: Map<SavedLayer, { axis: number; field: string }>, inputShape: number[], p: string): void {
  if (axes.size === 0) return;
  let shape: number[] = [1, ...inputShape];
  for (const l of layers) {
    const a = axes.get(l);
    if (a && a.axis !== shape.length - 1)
      throw new ModelFileError(p, `${a.field} (BatchNormalization '${String(l.config.name)}'): axis ${a.axis} is not the last axis of its rank-${shape.length} input; nabla normalises the last axis (channels_last) only`, `${a.field}.config.axis`, 'E_UNSUPPORTED');
    try { shape = layerFromConfig({ ...l.config, className: l.className } as Parameters<typeof layerFromConfig>[0]).computeOutputShape(shape); } catch { return; } // loadModel reports a bad layer
  }
}

/**
 * Decodes a TF.js model.json (already parsed) into nabla layer configs and the weights manifest.
 * @param p the file's path, for messages.
 * @throws ModelFileError naming model.json and the field: E_UNSUPPORTED for a model class other
 *   than Sequential / a plain-chain Functional (a shared layer, several inputs or outputs, an
 *   output other than the last layer), a layer or option nabla lacks (naming the layer), an
 *   InputLayer dtype other than float32 (int32 / int64 ids before an Embedding only); E_INVALID
 *   for two layers of one name;
 *   E_INVALID for a malformed field or no input shape; the manifest's errors (decodeManifest).
 */
export function decodeTfjsModelJson(root: Record<string, unknown>, p: string, limits: Limits): TfjsModelJson {
  let topology = expectObject(root.modelTopology, p, 'modelTopology');
  let base = 'modelTopology';
  if (topology.model_config !== undefined) { topology = expectObject(topology.model_config, p, 'modelTopology.model_config'); base += '.model_config'; }
  const modelClass = expectString(topology.class_name, p, `${base}.class_name`);
  const functional = modelClass === 'Functional' || modelClass === 'Model';
  if (modelClass !== 'Sequential' && !functional)
    throw new ModelFileError(p, `${base}.class_name is '${modelClass}': nabla reads Sequential and plain-chain Functional models`, `${base}.class_name`, 'E_UNSUPPORTED');
  const config = Array.isArray(topology.config) ? { layers: topology.config } : expectObject(topology.config, p, `${base}.config`);
  const raw = expectArray(config.layers, p, `${base}.config.layers`, { minLength: 1 }).map((l, i) => expectObject(l, p, fieldPath(`${base}.config.layers`, i)));
  let inputShape: unknown[] | null = null;
  const layers: SavedLayer[] = [], flavour = kerasFlavour(root, expectObject(root.modelTopology, p, 'modelTopology'));
  const bnAxes = new Map<SavedLayer, { axis: number; field: string }>(), seen = new Set<string>();
  if (functional) {
    const ins = tensorRefs(config.input_layers);
    if (ins.length !== 1) throw new ModelFileError(p, `${base}.config.input_layers lists ${ins.length} inputs: nabla models have one input`, `${base}.config.input_layers`, 'E_UNSUPPORTED');
  }
  for (const [i, l] of raw.entries()) {
    const field = fieldPath(`${base}.config.layers`, i);
    const className = expectString(l.class_name, p, `${field}.class_name`);
    const c = expectObject(l.config, p, `${field}.config`);
    const name = expectString(c.name ?? l.name, p, `${field}.config.name`);
    if (seen.has(name)) throw new ModelFileError(p, `${field} (${className} '${name}'): a second layer named '${name}'; layer names must be unique`, `${field}.config.name`, 'E_INVALID');
    seen.add(name);
    if (functional && i > 0) {
      const nodes = Array.isArray(l.inbound_nodes) ? l.inbound_nodes : [];
      if (nodes.length > 1)
        throw new ModelFileError(p, `${field} ('${name}') is called ${nodes.length} times (a shared layer): each nabla layer is called once, in a chain`, `${field}.inbound_nodes`, 'E_UNSUPPORTED');
      const from = nodes.length === 1 ? inboundNames(nodes[0]) : [];
      const prev = (raw[i - 1]!.config as { name?: unknown })?.name ?? raw[i - 1]!.name;
      if (from.length !== 1 || from[0] !== prev)
        throw new ModelFileError(p, `${field} ('${name}') does not take the previous layer's output alone: nabla reads Functional models that are a plain chain`, `${field}.inbound_nodes`, 'E_UNSUPPORTED');
    }
    inputShape ??= batchShape(c);
    if (className === 'InputLayer') { checkInputDtype(c, raw[i + 1], { path: p, field, className, name }); continue; }
    const converted = layerFromKeras(className, c, { path: p, field, className, name, keras3: flavour === 3, tfjsDefaults: flavour === 'tfjs' });
    const axis = Array.isArray(c.axis) ? c.axis[0] : c.axis;
    if (className === 'BatchNormalization' && typeof axis === 'number' && axis !== -1) bnAxes.set(converted[0]!, { axis, field });
    layers.push(...converted);
  }
  if (functional) {
    const outs = tensorRefs(config.output_layers);
    const last = raw[raw.length - 1]!.config as { name?: unknown };
    if (outs.length !== 1 || !Array.isArray(outs[0]) || outs[0][0] !== last.name)
      throw new ModelFileError(p, `${base}.config.output_layers must name the last layer alone: nabla reads Functional models that are a plain chain`, `${base}.config.output_layers`, 'E_UNSUPPORTED');
  }
  if (!inputShape || inputShape.length < 2 || !inputShape.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0))
    throw new ModelFileError(p, `no input shape: the first layer (or InputLayer) needs batch_input_shape [null, ...] with positive sizes`, `${base}.config.layers[0].config.batch_input_shape`);
  if (layers.length === 0) throw new ModelFileError(p, 'the model has no layers besides its input', `${base}.config.layers`);
  checkBatchNormAxes(layers, bnAxes, inputShape.slice(1) as number[], p);
  const groups = decodeManifest(root.weightsManifest, p, limits);
  const manifest = groups.flatMap((g) => g.weights.map((w) => ({ name: w.name, dtype: 'float32' as const, shape: w.shape })));
  const json: SavedModelJson = {
    name: typeof config.name === 'string' && /^[A-Za-z0-9_.-]+$/.test(config.name) ? config.name : 'model',
    seed: 0, inputShape: inputShape.slice(1) as number[], layers, compile: null, history: [], manifest,
  };
  return { json, groups };
}

/** The bytes each group claims, so one buffer of all shards (a `{ modelJson, weights }` source) can be split. */
export function groupByteCounts(groups: TfjsWeightGroup[]): number[] {
  return groups.map((g) => g.weights.reduce((s, w) => s + specBytes(w), 0));
}

/**
 * The weights for nabla's layers, matched by name: the manifest entry named `<layer>/<weight>` or
 * ending in `/<layer>/<weight>` (the converter prefixes the model's name).
 * @param shards each group's bytes (its shards concatenated in order).
 * @param where a group's file(s), for messages.
 * @throws ModelFileError: the shards' errors (decodeGroups), a weight missing or of the wrong
 *   shape, a weight of a layer that nabla's layer lacks (E_UNSUPPORTED), NaN / Infinity (E_NON_FINITE) unless `allowNonFinite`.
 */
export function attachTfjsWeights(decoded: TfjsModelJson, shards: Uint8Array[], where: (gi: number) => string, p: string, allowNonFinite = false): SavedModel {
  const byName = decodeGroups(decoded.groups, shards, where);
  const names = [...byName.keys()], read = new Set<string>();
  const weights = decoded.json.layers.flatMap((l) => weightShortNames(l.className, l.config).map((short) => {
    const layerName = String(l.config.name), want = nablaWeightName(layerName, short), pattern = manifestPattern(layerName, short);
    const found = byName.has(want) ? [want] : names.filter((n) => pattern.test(n));
    if (found.length !== 1) throw new ModelFileError(p, `weightsManifest has ${found.length === 0 ? 'no' : 'several'} weight${found.length === 0 ? '' : 's'} '${want}' for layer ${l.className} '${String(l.config.name)}'`, 'weightsManifest', 'E_INVALID');
    read.add(found[0]!);
    const w = byName.get(found[0]!)!;
    const tensor = new Tensor(w.data, w.spec.shape);
    if (!allowNonFinite) checkFinite(want, tensor, where(0));
    return { name: want, tensor };
  }));
  refuseUnreadWeights(decoded.json.layers, names, read, p);
  const { manifest: _m, ...rest } = decoded.json;
  return { ...rest, weights };
}

/**
 * Refuses a manifest weight that belongs to a layer nabla reads (named `<layer>/...`, after an
 * optional model prefix) but that nabla's layer does not have (a LoRA factor, a renormalisation
 * statistic, ...): loading without it would compute something else. Weights of no layer
 * (an optimizer's) are left alone.
 * @throws ModelFileError (E_UNSUPPORTED) naming the weight and the layer.
 */
function refuseUnreadWeights(layers: SavedLayer[], names: string[], read: Set<string>, p: string): void {
  for (const n of names) {
    if (read.has(n)) continue;
    const owner = layers.find((l) => layerPrefixPattern(String(l.config.name)).test(n));
    if (owner) throw new ModelFileError(p, `weightsManifest has '${n.slice(0, 80)}', which ${owner.className} '${String(owner.config.name)}' does not have in nabla`, 'weightsManifest', 'E_UNSUPPORTED');
  }
}

/** The files of a TF.js Layers model: model.json and one shard. */
export interface TfjsFiles { modelJson: Record<string, unknown>; shardName: string; shard: Uint8Array }

/**
 * A model as TF.js Layers files: model.json (`format: 'layers-model'`, a Sequential topology in
 * Keras's snake_case, the weights manifest) and one shard `group1-shard1of1.bin` (float32,
 * little-endian, in getWeights() order).
 * @throws Error naming the layer for a layer class or activation TF.js lacks.
 */
export function encodeTfjs(model: ExportableModel): TfjsFiles {
  const views = viewModel(model);
  const layers = views.flatMap((v, i) => layerToKeras(v, i === 0 ? [null, ...model.inputShape!] : null));
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const chunks: Float32Array[] = [];
  for (const v of views) for (const [short, t] of v.weights) {
    specs.push({ name: tfjsWeightName(v, short), shape: [...t.shape], dtype: 'float32' });
    chunks.push(Float32Array.from(t.data));
  }
  const shard = new Uint8Array(chunks.reduce((s, c) => s + c.length * 4, 0)), view = new DataView(shard.buffer);
  let offset = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++, offset += 4) view.setFloat32(offset, c[i]!, true);
  const shardName = 'group1-shard1of1.bin';
  return {
    modelJson: {
      format: 'layers-model', generatedBy: 'nabla', convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [shardName], weights: specs }],
    },
    shardName, shard,
  };
}
