/**
 * What the exporters read of a model: its layers with their configs, the shape each layer sees
 * and its weights by name. Models are known by an interface (Sequential implements it), so
 * src/interop does not import the Sequential class and loadModel can use the TF.js reader.
 */
import type { SavableModel } from '../models/contract.js';
import type { LayerConfig } from '../nn/layer.js';
import type { Tensor } from '../tensor/tensor.js';

/** A model an exporter reads (Sequential is one). */
export type ExportableModel = Pick<SavableModel, 'name' | 'layers' | 'built' | 'build' | 'inputShape' | 'weightNames' | 'getWeights'>;

/** One layer as the exporters see it. */
export interface LayerView {
  className: string;
  name: string;
  /** getConfig() (className and name included). */
  config: LayerConfig;
  /** The input and output shapes, batch first (the batch given as 1). */
  inShape: number[];
  outShape: number[];
  /**
   * The layer's weights by their short name ('kernel', 'bias', 'gamma', 'moving_mean', ...; a
   * Bidirectional's as 'forward/kernel', 'backward/kernel', ...).
   */
  weights: Map<string, Tensor>;
}

/**
 * The layers of `model` (built first when needed) with shapes and weights.
 * @throws Error when the model cannot be built (no input shape).
 */
export function viewModel(model: ExportableModel): LayerView[] {
  if (!model.built) model.build();
  const names = model.weightNames(), tensors = model.getWeights();
  const byLayer = new Map<string, Map<string, Tensor>>(), layerNames = new Set(model.layers.map((l) => l.name));
  names.forEach((full, i) => {
    const cut = full.lastIndexOf('/');
    let layer = full.slice(0, cut), short = full.slice(cut + 1);
    if (!layerNames.has(layer)) { // a wrapper's inner layer ('<name>.forward/kernel' of a Bidirectional): short 'forward/kernel'
      const dot = layer.lastIndexOf('.');
      if (dot > 0 && layerNames.has(layer.slice(0, dot))) { short = `${layer.slice(dot + 1)}/${short}`; layer = layer.slice(0, dot); }
    }
    if (!byLayer.has(layer)) byLayer.set(layer, new Map());
    byLayer.get(layer)!.set(short, tensors[i]!);
  });
  let shape = [1, ...model.inputShape!];
  return model.layers.map((layer) => {
    const inShape = shape;
    shape = layer.computeOutputShape(inShape);
    return { className: layer.className, name: layer.name, config: layer.getConfig(), inShape, outShape: shape, weights: byLayer.get(layer.name) ?? new Map() };
  });
}

/**
 * The layer's weight `short`.
 * @throws Error naming the layer when it has none (a model built without it).
 */
export function weightOf(layer: LayerView, short: string): Tensor {
  const t = layer.weights.get(short);
  if (!t) throw new Error(`${layer.className} '${layer.name}' has no weight '${short}'`);
  return t;
}

/** nabla's full weight name for a layer's short name ('<layer>/kernel'; a Bidirectional half's '<layer>.forward/kernel'). */
export function nablaWeightName(layer: string, short: string): string {
  return short.includes('/') ? `${layer}.${short}` : `${layer}/${short}`;
}

/** An error for a layer class an exporter does not handle, naming it and the format. */
export function unsupportedLayer(format: string, layer: Pick<LayerView, 'className' | 'name'>): Error {
  return new Error(`${format}: unsupported layer ${layer.className} '${layer.name}' (no conversion for this layer class yet)`);
}

/**
 * A TimeDistributed layer's inner layer as the exporters see it with time folded into the batch:
 * its class and config, the wrapper's name and weights (nabla names them after the wrapper), and
 * the shapes of one step ([1, ...rest] for the wrapper's [1, T, ...rest]).
 */
export function timeDistributedInner(layer: LayerView): LayerView {
  const { className, ...inner } = (layer.config as Record<string, unknown>).layer as Record<string, unknown>;
  return {
    className: String(className), name: layer.name, config: { className, name: layer.name, ...inner } as LayerConfig,
    inShape: [1, ...layer.inShape.slice(2)], outShape: [1, ...layer.outShape.slice(2)], weights: layer.weights,
  };
}
