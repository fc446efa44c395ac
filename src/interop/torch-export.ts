/**
 * exportTorch: a nabla model as a PyTorch module: `model.safetensors` (the state_dict, keys and
 * layouts as torch-layout.ts names them, float32) and `model.py` (torch-model-py.ts), so
 * `from model import load_model; net = load_model()` predicts what nabla predicts, and training
 * goes on in PyTorch (e.g. with DistributedDataParallel).
 */
import { encodeSafetensors } from '../io/safetensors.js';
import type { UrlInstance } from '../io/location.js';
import { Tensor } from '../tensor/tensor.js';
import { writeExportDir, type ExportDirOptions } from './export-dir.js';
import { viewModel, type ExportableModel } from './model-view.js';
import { modelPy } from './torch-model-py.js';
import { toTorch, torchEntries, torchModuleNames } from './torch-layout.js';
import { refuseTorchMasks } from './torch-recurrent.js';

/**
 * The two files of a PyTorch export.
 * @throws Error naming the layer for a layer class with no PyTorch form here, a mask (Masking; an
 *   Embedding's maskZero feeding a recurrent layer), a GRU without resetAfter, or recurrent
 *   activations nn.RNN / nn.LSTM / nn.GRU lack (torch-recurrent.ts).
 */
export function encodeTorch(model: ExportableModel): { 'model.safetensors': Uint8Array; 'model.py': string } {
  const views = viewModel(model), modules = torchModuleNames(views);
  refuseTorchMasks(views);
  const entries = views.flatMap((v, i) => torchEntries(v, modules[i]!).map((e) => ({
    name: e.key, tensor: new Tensor(toTorch(v, e, e.short === null ? null : v.weights.get(e.short)!), e.shape),
  })));
  const py = modelPy(model.name, model.inputShape!, views, modules);
  return { 'model.safetensors': encodeSafetensors(entries, { format: 'pt', exporter: 'nabla' }), 'model.py': py };
}

/**
 * Writes `model.safetensors` and `model.py` into `dir`. The module's outputs equal nabla's
 * predictions to 1e-5 (test/interop/torch.test.ts, with Debian's python3-torch 1.13).
 * @param dir a directory path or file:// URL (created; refused when not empty unless `overwrite`).
 * @throws Error naming the layer for a layer class with no PyTorch form, or naming `dir` when it cannot be written.
 */
export async function exportTorch(model: ExportableModel, dir: string | UrlInstance, options: ExportDirOptions = {}): Promise<void> {
  await writeExportDir('exportTorch', dir, encodeTorch(model), options);
}
