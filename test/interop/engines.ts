/**
 * The other engines the interop tests compare nabla with, one place for each step they share:
 * ONNX Runtime (onnxruntime-node, CPU) and the ONNX checker (Debian's python3-onnx); PyTorch
 * (Debian's python3-torch, one `/usr/bin/python3` process for all the models of a test: the
 * generated model.py predicts, trains one SGD step and saves its state_dict); TF.js
 * (@tensorflow/tfjs, files through tf.io.fromMemory / tf.io.withSaveHandler, as tfjs in Node has
 * no file:// handler). The Python steps are for tests skipped with `pythonSkip` where the module
 * is absent.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { decodeSafetensors, encodeSafetensors, exportOnnx, exportTorch, importTorchState, Sequential } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { encodeTfjs } from '../../src/interop/tfjs-format.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { maxDiff, randomizeWeights, runPython } from './helpers.js';

/** An input in nabla's layout: numbers row-major over `shape` ([batch, ...]). */
export interface Input { data: ArrayLike<number>; shape: readonly number[] }

/** Runs an ONNX file in ONNX Runtime on x (its first input) and returns its first output. */
export async function runOnnx(bytes: Uint8Array, x: Input): Promise<{ dims: readonly number[]; data: Float32Array }> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) });
  const y = out[session.outputNames[0]!]!;
  return { dims: y.dims, data: y.data as Float32Array };
}

/**
 * Exports `model` at each opset and asserts that ONNX Runtime's output on x has nabla's shape and
 * nabla's numbers to 1e-5. @returns the largest difference at each opset.
 */
export async function assertOnnxRuntimeAgrees(model: Sequential, x: Tensor, opsets: readonly number[] = [13, 17]): Promise<{ opset: number; diff: number }[]> {
  const want = model.predict(x), diffs: { opset: number; diff: number }[] = [];
  for (const opset of opsets) {
    const got = await runOnnx(exportOnnx(model, { opset }), x);
    assert.deepEqual(got.dims, want.shape);
    const d = maxDiff(got.data, want.data);
    assert.ok(d <= 1e-5, `opset ${opset}: max difference ${d}`);
    diffs.push({ opset, diff: d });
  }
  return diffs;
}

/**
 * Writes every model at every opset into `dir` (`<prefix><i>-<opset>.onnx`) and runs the ONNX
 * checker (full_check, with shape inference) on all of them in one Python process.
 * @returns the files and the checker's output: a line per file, `opset [op types of its nodes]`.
 * @throws AssertionError when Python fails (a file the checker refuses).
 */
export function checkOnnxFiles(models: readonly Sequential[], dir: string, prefix: string, opsets: readonly number[] = [13, 17]): { files: string[]; out: string } {
  const files: string[] = [];
  for (const [i, model] of models.entries()) for (const opset of opsets) {
    const f = join(dir, `${prefix}${i}-${opset}.onnx`);
    writeFileSync(f, exportOnnx(model, { opset }));
    files.push(f);
  }
  const out = runPython([
    'import sys, onnx',
    'for f in sys.argv[1:]:',
    '    m = onnx.load(f)',
    '    onnx.checker.check_model(m, full_check=True)',
    '    print(m.opset_import[0].version, [n.op_type for n in m.graph.node])',
  ].join('\n'), files);
  return { files, out };
}

/**
 * nabla -> state_dict -> nabla without Python: loads `model`'s state_dict into a fresh model of
 * the same architecture (other random weights). @returns the largest difference of their predictions on x.
 */
export async function torchStateRoundTrip(model: Sequential, x: Tensor): Promise<number> {
  const copy = Sequential.fromConfig(model.getConfig());
  copy.build();
  randomizeWeights(copy, 999);
  await importTorchState(copy, encodeTorch(model)['model.safetensors']);
  return maxDiff(copy.predict(x).data, model.predict(x).data);
}

/** What PyTorch made of one exported model: its predictions before and after the training step, and the state_dict file it saved. */
export interface TorchRun { y: Float32Array; y2: Float32Array; trained: string }

/**
 * Exports each model with exportTorch into `dir/<prefix><i>` with its input, then in one Python
 * process (torch.manual_seed(0)) imports each model.py, predicts (y), takes one training step
 * (SGD at `lr` on the mean squared distance to ones, in train mode, so BatchNorm's running
 * statistics move too; skipped for a model without trainable parameters), predicts again in eval
 * mode (y2) and saves its state_dict to `trained.safetensors`.
 * @throws AssertionError when Python fails.
 */
export async function trainInPyTorch(models: readonly Sequential[], inputs: readonly Tensor[], dir: string, prefix: string, lr: number): Promise<TorchRun[]> {
  const dirs = await Promise.all(models.map(async (model, i) => {
    const d = join(dir, `${prefix}${i}`);
    await exportTorch(model, d);
    writeFileSync(join(d, 'x.safetensors'), encodeSafetensors([{ name: 'x', tensor: inputs[i]! }]));
    return d;
  }));
  runPython([
    'import importlib.util, sys, os, torch',
    'torch.manual_seed(0)',
    'lr = float(sys.argv[1])',
    'for i, d in enumerate(sys.argv[2:]):',
    "    spec = importlib.util.spec_from_file_location(f'nabla_model_{i}', os.path.join(d, 'model.py'))",
    '    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
    '    net = mod.load_model()',
    "    x = mod.load_safetensors(os.path.join(d, 'x.safetensors'))['x']",
    '    with torch.no_grad(): y = net(x)',
    '    net.train(); params = list(net.parameters()); loss = ((net(x) - torch.ones_like(y)) ** 2).mean()',
    '    if params and loss.requires_grad:',
    '        opt = torch.optim.SGD(params, lr=lr); opt.zero_grad(); loss.backward(); opt.step()',
    '    net.eval()',
    '    with torch.no_grad(): y2 = net(x)',
    "    mod.save_safetensors({'y': y, 'y2': y2}, os.path.join(d, 'y.safetensors'))",
    "    mod.save_safetensors(net.state_dict(), os.path.join(d, 'trained.safetensors'))",
  ].join('\n'), [String(lr), ...dirs]);
  return dirs.map((d) => {
    const ys = decodeSafetensors(readFileSync(join(d, 'y.safetensors')), 'y').tensors;
    return { y: ys.get('y')!.data as Float32Array, y2: ys.get('y2')!.data as Float32Array, trained: join(d, 'trained.safetensors') };
  });
}

/**
 * Asserts that PyTorch's prediction (`run.y`) is nabla's to 1e-5; when `minChange` is given, that
 * the training step moved the prediction by more than it; then loads PyTorch's trained state_dict
 * into `model` and asserts that nabla now predicts PyTorch's y2 to 1e-5.
 * @returns the largest differences before and after the training step.
 */
export async function assertPyTorchAgrees(name: string, model: Sequential, x: Tensor, run: TorchRun, minChange?: number): Promise<{ before: number; after: number }> {
  const before = maxDiff(run.y, model.predict(x).data);
  assert.ok(before <= 1e-5, `${name}: PyTorch differs from nabla by ${before}`);
  if (minChange !== undefined) assert.ok(maxDiff(run.y2, run.y) > minChange, `${name}: the training step changed nothing`);
  await importTorchState(model, run.trained);
  const after = maxDiff(model.predict(x).data, run.y2);
  assert.ok(after <= 1e-5, `${name}: after PyTorch's training step, nabla differs from PyTorch by ${after}`);
  return { before, after };
}

/** TF.js's prediction for x (nabla's layout) as a flat Float32Array. */
export function tfPredict(model: tf.LayersModel, x: Input): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(Float32Array.from(x.data), [...x.shape])) as tf.Tensor).dataSync() as Float32Array);
}

/** What TF.js's model.save gives: the artifacts, caught with a save handler. */
export async function saveArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return saved!;
}

/** tf.loadLayersModel on a model.json object (one weights group) and its shard's bytes. */
function tfjsFromFiles(modelJson: unknown, shard: Uint8Array): Promise<tf.LayersModel> {
  const json = modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights,
    weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer }));
}

/** tf.loadLayersModel on the model.json and first shard that exportTfjs wrote into `dir`. */
export function tfjsFromDir(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  return tfjsFromFiles(json, readFileSync(join(dir, json.weightsManifest[0].paths[0])));
}

/** nabla's TF.js files (encodeTfjs, in memory) opened by tf.loadLayersModel. */
export function toTfjs(model: Sequential): Promise<tf.LayersModel> {
  const files = encodeTfjs(model);
  return tfjsFromFiles(files.modelJson, files.shard);
}
