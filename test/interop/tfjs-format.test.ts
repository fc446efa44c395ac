/**
 * The TF.js Layers format both ways, against @tensorflow/tfjs itself (cpu backend; tfjs in Node has
 * no file:// handler, so files go through tf.io.fromMemory / tf.io.withSaveHandler):
 * nabla -> TF.js and TF.js -> nabla predictions equal to 1e-6; a model TF.js trained loads and keeps
 * training in nabla; converter-style files (model_config nesting, a Functional chain, several
 * shards, uint8/uint16/float16 quantisation) load, decoded as tfjs-core's io.decodeWeights does;
 * a manifest claiming more bytes than the shards hold, or a layer nabla lacks, fails with a file error.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Adam, Dense, ELU, exportTfjs, loadModel, ModelFileError, Sequential, tensor } from '../../src/index.js';
import { encodeTfjs } from '../../src/interop/tfjs-format.js';
import { decodeWeightBytes, type TfjsWeightSpec } from '../../src/interop/tfjs-weights.js';
import { saveArtifacts, tfjsFromDir, tfPredict } from './engines.js';
import { interopModels, maxDiff, randomInput } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-tfjs-'));
before(async () => { await tf.setBackend('cpu'); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** The weight bytes of artifacts as one buffer. */
function weightBytes(a: tf.io.ModelArtifacts): Uint8Array {
  return new Uint8Array(a.weightData as ArrayBuffer);
}

/** model.json as model.save('file://') writes it, for artifacts with one shard. */
function modelJsonOf(a: tf.io.ModelArtifacts, paths = ['weights.bin']): Record<string, unknown> {
  return { format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null, modelTopology: a.modelTopology, weightsManifest: [{ paths, weights: a.weightSpecs }] };
}

describe('nabla -> TF.js', () => {
  const cases = interopModels({ activations: ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu', 'relu6', 'hardSigmoid'] });
  for (const [i, { name, model }] of cases.entries()) {
    if (name.startsWith('ELU with alpha')) continue; // TF.js's ELU layer refuses alpha != 1 (tested below)
    it(`${name}: tf.loadLayersModel predicts what nabla predicts (1e-6)`, async () => {
      const out = join(dir, `export-${i}`);
      await exportTfjs(model, out);
      const tfModel = await tfjsFromDir(out);
      const x = randomInput(model.inputShape!, 4, 500 + i);
      const d = maxDiff(tfPredict(tfModel, x), model.predict(x).data);
      assert.ok(d <= 1e-6, `max difference ${d}`);
      tfModel.dispose();
    });
  }

  it("refuses the 'step' and 'geluTanh' activations, which TF.js cannot load, naming the layer", () => {
    const [step, geluTanh] = interopModels({ activations: ['step', 'geluTanh'] });
    assert.throws(() => encodeTfjs(step!.model), /Dense 'dense_1'.*'step' has no TF.js equivalent/);
    assert.throws(() => encodeTfjs(geluTanh!.model), /'geluTanh' \(gelu_new\) cannot be loaded/);
  });

  it('refuses an ELU with alpha other than 1 (TF.js cannot load it) and writes ELU() as TF.js reads it', async () => {
    const elu = interopModels({ activations: [] }).find((c) => c.name.startsWith('ELU with alpha'))!;
    assert.throws(() => encodeTfjs(elu.model), /ELU 'elu_1' has alpha 0\.5; TensorFlow\.js's ELU layer loads only alpha 1/);
    const model = new Sequential([new Dense({ units: 3, inputShape: [2] }), new ELU()], { seed: 2 });
    const out = mkdtempSync(join(tmpdir(), 'nabla-elu-tfjs-'));
    try {
      await exportTfjs(model, join(out, 'm'));
      const tfModel = await tfjsFromDir(join(out, 'm'));
      const x = randomInput([2], 4, 9);
      assert.ok(maxDiff(tfPredict(tfModel, x), model.predict(x).data) <= 1e-6);
      tfModel.dispose();
    } finally { rmSync(out, { recursive: true, force: true }); }
  });
});

/** A TF.js model with every layer class nabla reads. */
function tfCnn(): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.batchNormalization(), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 3, kernelSize: [2, 3], strides: 2, padding: 'same' }), tf.layers.leakyReLU({ alpha: 0.2 }),
    tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }), tf.layers.flatten(), tf.layers.dropout({ rate: 0.3 }),
    tf.layers.dense({ units: 5, activation: 'elu' }), tf.layers.activation({ activation: 'softmax' }),
  ] });
}

describe('TF.js -> nabla', () => {
  it('a CNN saved by TF.js loads from memory and from a directory, predicting what TF.js predicts (1e-6)', async () => {
    const tfModel = tfCnn();
    // Non-trivial BatchNormalization statistics: a few training steps move them.
    const xs = tf.randomNormal([16, 8, 8, 2], 0, 1, 'float32', 1), ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0], 'int32'), 5);
    tfModel.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await tfModel.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 });
    const a = await saveArtifacts(tfModel);
    const x = randomInput([8, 8, 2], 3, 7), want = tfPredict(tfModel, x);
    const fromMemory = await loadModel({ modelJson: JSON.stringify(modelJsonOf(a)), weights: weightBytes(a) });
    assert.ok(maxDiff(fromMemory.predict(x).data, want) <= 1e-6);
    const d = join(dir, 'from-tfjs');
    mkdirSync(d);
    writeFileSync(join(d, 'model.json'), JSON.stringify(modelJsonOf(a)));
    writeFileSync(join(d, 'weights.bin'), weightBytes(a));
    for (const source of [d, join(d, 'model.json')]) {
      const m = await loadModel(source);
      assert.deepEqual(m.layers.map((l) => l.className), ['Conv2D', 'BatchNormalization', 'MaxPooling2D', 'Conv2D', 'LeakyReLU', 'AveragePooling2D', 'Flatten', 'Dropout', 'Dense', 'Activation']);
      assert.ok(maxDiff(m.predict(x).data, want) <= 1e-6);
    }
    tf.dispose([xs, ys]); tfModel.dispose();
  });

  it('a model TF.js trained keeps training in nabla (its loss goes on falling)', async () => {
    const tfModel = tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) })] });
    const xor = [[0, 0], [0, 1], [1, 0], [1, 1]], labels = [[0], [1], [1], [0]];
    tfModel.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
    const h = await tfModel.fit(tf.tensor2d(xor), tf.tensor2d(labels), { epochs: 30, batchSize: 4, verbose: 0 });
    const tfLoss = h.history.loss![h.history.loss!.length - 1] as number;
    const a = await saveArtifacts(tfModel);
    const model = await loadModel([JSON.stringify(modelJsonOf(a)), weightBytes(a)]);
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
    const x = tensor(xor), y = tensor(labels);
    const start = model.evaluate(x, y) as Record<string, number>;
    assert.ok(Math.abs(start.loss! - tfLoss) < 0.05, `nabla's loss ${start.loss} starts where TF.js's ended (${tfLoss})`);
    const hist = await model.fit(x, y, { epochs: 200, batchSize: 4 });
    const losses = hist.history.loss!;
    assert.ok(losses[losses.length - 1]! < start.loss! * 0.75, `loss ${start.loss} -> ${losses[losses.length - 1]}`);
    tfModel.dispose();
  });
});

/** Quantises float32 values as tensorflowjs_converter does (uint8/uint16: q = round((v - min) / scale)). */
function quantize(values: Float32Array, dtype: 'uint8' | 'uint16' | 'float16'): { bytes: Uint8Array; quantization: TfjsWeightSpec['quantization'] & object } {
  if (dtype === 'float16') {
    const f16 = new Uint16Array(values.length);
    const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
    values.forEach((v, i) => { // round-toward-zero half encoding of normal numbers (enough for weights in [-1, 1])
      f32[0] = v; const b = u32[0]!, sign = (b >>> 16) & 0x8000, exp = ((b >>> 23) & 0xff) - 127 + 15;
      f16[i] = exp <= 0 ? sign : sign | (exp << 10) | ((b >>> 13) & 0x3ff);
    });
    return { bytes: new Uint8Array(f16.buffer), quantization: { dtype } };
  }
  const min = Math.min(...values), max = Math.max(...values), levels = dtype === 'uint8' ? 255 : 65535, scale = (max - min) / levels;
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  values.forEach((v, i) => { q[i] = Math.round((v - min) / scale); });
  return { bytes: new Uint8Array(q.buffer), quantization: { dtype, scale, min } };
}

describe('converter-style files', () => {
  it('model_config, a Functional chain, two groups of shards and uint8/uint16/float16 weights load as TF.js loads them', async () => {
    const tfModel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 5, activation: 'relu', name: 'hidden' }), tf.layers.dense({ units: 3, name: 'out' })] });
    const a = await saveArtifacts(tfModel);
    const values = new Float32Array(a.weightData as ArrayBuffer);
    const dtypes = ['uint8', 'uint16', 'float16', 'uint8'] as const;
    let at = 0;
    const specs = a.weightSpecs!.map((s, i) => {
      const n = s.shape.reduce((p, q) => p * q, 1), { bytes, quantization } = quantize(values.slice(at, (at += n)), dtypes[i]!);
      return { spec: { ...s, name: `model/${s.name}`, quantization }, bytes };
    });
    // tfjs-core decodes the same bytes the same way.
    const tfDecoded = tf.io.decodeWeights(new Uint8Array(Buffer.concat(specs.map((s) => s.bytes))).buffer, specs.map((s) => s.spec as tf.io.WeightsManifestEntry));
    for (const s of specs) {
      const want = tfDecoded[s.spec.name]!.dataSync();
      assert.ok(maxDiff(decodeWeightBytes(s.spec as TfjsWeightSpec, s.bytes), want) === 0, `${s.spec.quantization.dtype} decoding`);
    }
    const functional = { class_name: 'Functional', config: { name: 'model', layers: [
      { class_name: 'InputLayer', name: 'input_1', config: { batch_input_shape: [null, 6], dtype: 'float32', name: 'input_1' }, inbound_nodes: [] },
      { class_name: 'Dense', name: 'hidden', config: { name: 'hidden', units: 5, activation: 'relu', use_bias: true, dtype: 'float32' }, inbound_nodes: [[['input_1', 0, 0, {}]]] },
      { class_name: 'Dense', name: 'out', config: { name: 'out', units: 3, activation: 'linear', use_bias: true, dtype: 'float32' }, inbound_nodes: [[['hidden', 0, 0, {}]]] },
    ], input_layers: [['input_1', 0, 0]], output_layers: [['out', 0, 0]] } };
    const d = join(dir, 'converter');
    mkdirSync(d);
    const group1 = Buffer.concat([specs[0]!.bytes, specs[1]!.bytes]), group2 = Buffer.concat([specs[2]!.bytes, specs[3]!.bytes]);
    writeFileSync(join(d, 'group1-shard1of2.bin'), group1.subarray(0, 10));
    writeFileSync(join(d, 'group1-shard2of2.bin'), group1.subarray(10));
    writeFileSync(join(d, 'group2-shard1of1.bin'), group2);
    const modelJson = { format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: functional, training_config: { loss: 'mse' } },
      weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [specs[0]!.spec, specs[1]!.spec] },
        { paths: ['group2-shard1of1.bin'], weights: [specs[2]!.spec, specs[3]!.spec] }] };
    writeFileSync(join(d, 'model.json'), JSON.stringify(modelJson));
    const model = await loadModel(d);
    const tfQuantised = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as never,
      weightSpecs: specs.map((s) => ({ ...s.spec, name: s.spec.name.slice('model/'.length) })) as never, weightData: new Uint8Array(Buffer.concat([group1, group2])).buffer }));
    const x = randomInput([6], 5, 11);
    assert.ok(maxDiff(model.predict(x).data, tfPredict(tfQuantised, x)) <= 1e-6);
    // A manifest claiming more bytes than the shards hold fails, naming the group, before any weight is decoded.
    writeFileSync(join(d, 'group2-shard1of1.bin'), group2.subarray(0, group2.length - 2));
    await assert.rejects(loadModel(d), (e: unknown) => e instanceof ModelFileError && e.code === 'E_CORRUPT' && /claims \d+ bytes for weightsManifest\[1\] but its shards hold/.test(e.message));
    await assert.rejects(loadModel({ modelJson: JSON.stringify(modelJson), weights: group1 }), (e: unknown) => e instanceof ModelFileError && e.code === 'E_CORRUPT');
    tfModel.dispose(); tfQuantised.dispose();
  });

  it('refuses a layer nabla lacks, a branching Functional model and a shard path leaving the folder, naming them', async () => {
    const base = (layers: unknown[], paths = ['w.bin']) => JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers } }, weightsManifest: [{ paths, weights: [] }] });
    const input = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4, 3] } };
    const reject = (json: string, re: RegExp, code: string) => assert.rejects(loadModel({ modelJson: json, weights: new Uint8Array(0) }),
      (e: unknown) => e instanceof ModelFileError && e.code === code && re.test(e.message));
    await reject(base([input, { class_name: 'Conv1D', config: { name: 'conv1d_1', filters: 3 } }]), /Conv1D 'conv1d_1'.*has no nabla equivalent/, 'E_UNSUPPORTED');
    await reject(base([input, { class_name: 'Dense', config: { name: 'd', units: 3, activation: 'mish' } }]), /Dense 'd'.*activation "mish"/, 'E_UNSUPPORTED');
    await reject(base([input, { class_name: 'Flatten', config: { name: 'f' } }], ['../secret.bin']), /must be a file name beside model.json/, 'E_INVALID');
    const branching = JSON.stringify({ modelTopology: { class_name: 'Functional', config: { layers: [
      { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 4] }, inbound_nodes: [] },
      { class_name: 'Dense', name: 'a', config: { name: 'a', units: 2 }, inbound_nodes: [[['in', 0, 0, {}]]] },
      { class_name: 'Dense', name: 'b', config: { name: 'b', units: 2 }, inbound_nodes: [[['in', 0, 0, {}]]] },
    ], input_layers: [['in', 0, 0]], output_layers: [['b', 0, 0]] } }, weightsManifest: [] });
    await reject(branching, /\('b'\) does not take the previous layer's output alone/, 'E_UNSUPPORTED');
  });
});
