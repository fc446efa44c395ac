/**
 * exportTfjs: a nabla model as a TF.js Layers model directory (model.json + group1-shard1of1.bin,
 * tfjs-format.ts's encodeTfjs), which `tf.loadLayersModel('file://dir/model.json')` (tfjs-node)
 * or, served over http, `tf.loadLayersModel(url)` opens.
 */
import type { UrlInstance } from '../io/location.js';
import { writeExportDir, type ExportDirOptions } from './export-dir.js';
import type { ExportableModel } from './model-view.js';
import { encodeTfjs } from './tfjs-format.js';

/**
 * Writes `model` into `dir` in the TF.js Layers format: model.json (a Sequential in Keras's
 * snake_case configs) and one float32 shard. The TF.js model predicts what nabla predicts
 * (test/interop/tfjs-format.test.ts: to 1e-6).
 * @param dir a directory path or file:// URL (created; refused when not empty unless `overwrite`).
 * @throws Error naming the layer for a layer class or activation TF.js lacks ('step'), or naming
 *   `dir` when it cannot be written.
 */
export async function exportTfjs(model: ExportableModel, dir: string | UrlInstance, options: ExportDirOptions = {}): Promise<void> {
  const files = encodeTfjs(model);
  await writeExportDir('exportTfjs', dir, { 'model.json': JSON.stringify(files.modelJson, null, 1) + '\n', [files.shardName]: files.shard }, options);
}
