/**
 * The layer registry: class name -> factory from config. Built-in layers register themselves;
 * `registerLayer` lets custom layers save and load like built-in ones (docs/design.md). Loading a model
 * only ever calls registered factories: a file never names code to run.
 */
import type { Layer, LayerConfig } from './layer.js';

/** Makes a layer from its config's options (the config without `className`). */
export type LayerFactory = (options: Record<string, unknown>) => Layer;
const registry = new Map<string, LayerFactory>();

/**
 * Registers a layer class under `className` (as its `className` getter returns it).
 * @throws Error when the name is taken by another factory (re-registering the same one is fine).
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  const existing = registry.get(className);
  if (existing && existing !== factory) throw new Error(`registerLayer: '${className}' is already registered`);
  registry.set(className, factory);
}

/** Names of all registered layer classes. */
export function registeredLayers(): string[] { return [...registry.keys()].sort(); }

/**
 * Rebuilds a layer from its config.
 * @throws Error naming an unknown class and listing the registered ones.
 */
export function layerFromConfig(config: LayerConfig): Layer {
  const factory = registry.get(config?.className);
  if (!factory) throw new Error(`layerFromConfig: unknown layer class ${JSON.stringify(config?.className)}; registered: ${registeredLayers().join(', ')}`);
  const { className: _className, ...options } = config;
  return factory(options);
}
