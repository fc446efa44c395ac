/**
 * The TF.js Layers format for the sequence layers (Embedding, Masking, SimpleRNN, LSTM, GRU,
 * Bidirectional, TimeDistributed), against @tensorflow/tfjs (cpu backend; files through
 * tf.io.fromMemory / withSaveHandler): nabla -> TF.js and TF.js -> nabla predictions equal to
 * 1e-6, masks included; a Keras 3 converter-style file (InputLayer batch_shape, dict inbound_nodes,
 * DTypePolicy, cell-scoped weight names) loads; a GRU with resetAfter, Keras 3's hard_sigmoid and
 * a BatchNormalization over another axis are refused, naming the layer.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Embedding, GRU, LSTM, loadModel, Masking, ModelFileError, Sequential, tensor } from '../../src/index.js';
import { encodeTfjs } from '../../src/interop/tfjs-format.js';
import { layerFromKeras } from '../../src/interop/tfjs-layers.js';
import { saveArtifacts, tfPredict, toTfjs } from './engines.js';
import { maxDiff, randomizeWeights } from './helpers.js';
import { caseInput, randomIds, recurrentModels, type RecurrentCase } from './recurrent-models.js';

before(async () => { await tf.setBackend('cpu'); });

/** Masked models: Masking before an LSTM (padded steps in the input), Embedding maskZero before a GRU (zeros among the ids). */
function maskedCases(): RecurrentCase[] {
  const masking = new Sequential([new Masking({ maskValue: 0, inputShape: [6, 3] }), new LSTM({ units: 4, returnSequences: true })], { seed: 1 });
  const embedding = new Sequential([new Embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputLength: 6 }), new GRU({ units: 4, resetAfter: false })], { seed: 2 });
  return [{ name: 'Masking -> LSTM', model: masking, tfjs: true, torch: false }, { name: 'Embedding maskZero -> GRU', model: embedding, ids: 7, tfjs: true, torch: false }]
    .map((c, i) => { c.model.build(); randomizeWeights(c.model, 30 + i); return c; });
}

/** A padded input for a masked case: its last two steps are padding (zeros) in every other sample. */
function paddedInput(c: RecurrentCase, seed: number) {
  const x = caseInput(c, 4, seed), [n, T] = [4, c.model.inputShape![0]!], per = x.size / (n * T);
  const data = Float32Array.from(x.data);
  for (let b = 0; b < n; b += 2) data.fill(0, (b * T + T - 2) * per, (b + 1) * T * per);
  return tensor(data, [...x.shape]);
}

describe('nabla -> TF.js (sequence layers): tf.loadLayersModel predicts what nabla predicts (1e-6)', () => {
  for (const [i, c] of [...recurrentModels().filter((r) => r.tfjs), ...maskedCases()].entries()) {
    it(c.name, async () => {
      const tfModel = await toTfjs(c.model), x = c.name.includes('ask') ? paddedInput(c, 800 + i) : caseInput(c, 4, 800 + i);
      const d = maxDiff(tfPredict(tfModel, x), c.model.predict(x).data);
      assert.ok(d <= 1e-6, `max difference ${d}`);
      tfModel.dispose();
    });
  }

  it('refuses a GRU with resetAfter, which TF.js cannot run, naming the layer', () => {
    const gru = recurrentModels().find((r) => r.name === 'GRU resetAfter true, last step')!.model;
    assert.throws(() => encodeTfjs(gru), /exportTfjs: GRU 'gru_1': resetAfter true, which TF.js's GRU cannot run/);
    const bidi = recurrentModels().find((r) => r.name === 'Bidirectional GRU (resetAfter) sum, last step')!.model;
    assert.throws(() => encodeTfjs(bidi), /exportTfjs: Bidirectional 'bidirectional_1': its inner GRU 'gru': resetAfter true/);
  });
});

describe('TF.js -> nabla (sequence layers)', () => {
  it('a text model and a masked sequence tagger saved by TF.js load into nabla with equal predictions (1e-6)', async () => {
    const text = tf.sequential({ layers: [
      tf.layers.embedding({ inputDim: 9, outputDim: 4, inputLength: 6, maskZero: true }),
      tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN, mergeMode: 'concat' }),
      tf.layers.gru({ units: 4, goBackwards: true }), // recurrentActivation left at TF.js's default, hard_sigmoid
      tf.layers.dense({ units: 2, activation: 'softmax' })] });
    const tagger = tf.sequential({ layers: [
      tf.layers.masking({ maskValue: 0, inputShape: [6, 3] }),
      tf.layers.simpleRNN({ units: 4, returnSequences: true }),
      tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.RNN, mergeMode: 'ave' }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: 'tanh' }) })] });
    const xText = randomIds([6], 5, 9, 3), xTag = paddedInput({ name: '', model: new Sequential([new Masking({ inputShape: [6, 3] })]), tfjs: true, torch: false }, 4);
    for (const [tfModel, x, classes] of [[text, xText, ['Embedding', 'Bidirectional', 'GRU', 'Dense']], [tagger, xTag, ['Masking', 'SimpleRNN', 'Bidirectional', 'TimeDistributed']]] as const) {
      const a = await saveArtifacts(tfModel);
      const modelJson = { format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] };
      const m = await loadModel({ modelJson: JSON.stringify(modelJson), weights: new Uint8Array(a.weightData as ArrayBuffer) });
      assert.deepEqual(m.layers.map((l) => l.className), classes);
      const d = maxDiff(m.predict(x).data, tfPredict(tfModel, x));
      assert.ok(d <= 1e-6, `max difference ${d}`);
      tfModel.dispose();
    }
  });
});

describe('Keras 3 files', () => {
  /** A Keras 3 Functional model.json (as tensorflowjs_converter writes it) over the weights of a TF.js LSTM + Dense model. */
  async function keras3(recurrentActivation: string) {
    const tfModel = tf.sequential({ layers: [tf.layers.lstm({ units: 3, inputShape: [4, 2], recurrentActivation: 'sigmoid', name: 'lstm' }), tf.layers.dense({ units: 2, name: 'dense' })] });
    const a = await saveArtifacts(tfModel);
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const from = (layer: string, shape: unknown[]) => [{ args: [{ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } }], kwargs: {} }];
    const layers = [
      { module: 'keras.layers', class_name: 'InputLayer', name: 'input_layer', config: { batch_shape: [null, 4, 2], dtype: 'float32', sparse: false, name: 'input_layer' }, inbound_nodes: [] },
      { module: 'keras.layers', class_name: 'LSTM', name: 'lstm', config: { name: 'lstm', trainable: true, dtype: policy, units: 3, activation: 'tanh', recurrent_activation: recurrentActivation,
        use_bias: true, unit_forget_bias: true, return_sequences: false, return_state: false, go_backwards: false, stateful: false, unroll: false, dropout: 0.0, recurrent_dropout: 0.0, seed: null },
        build_config: { input_shape: [null, 4, 2] }, inbound_nodes: from('input_layer', [null, 4, 2]) },
      { module: 'keras.layers', class_name: 'Dense', name: 'dense', config: { name: 'dense', trainable: true, dtype: policy, units: 2, activation: 'linear', use_bias: true },
        build_config: { input_shape: [null, 3] }, inbound_nodes: from('lstm', [null, 3]) },
    ];
    const rename: Record<string, string> = { 'lstm/kernel': 'lstm/lstm_cell/kernel', 'lstm/recurrent_kernel': 'lstm/lstm_cell/recurrent_kernel', 'lstm/bias': 'lstm/lstm_cell/bias' };
    const modelJson = { format: 'layers-model', generatedBy: 'keras v3.3.3', convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: { keras_version: '3.3.3', backend: 'tensorflow', model_config: { class_name: 'Functional', config: { name: 'functional', layers,
        input_layers: [['input_layer', 0, 0]], output_layers: [['dense', 0, 0]] } } },
      weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs!.map((s) => ({ ...s, name: rename[s.name] ?? s.name })) }] };
    return { tfModel, modelJson: JSON.stringify(modelJson), weights: new Uint8Array(a.weightData as ArrayBuffer) };
  }

  it('a Functional chain with batch_shape, dict inbound_nodes, DTypePolicy and lstm_cell weight names loads (1e-6)', async () => {
    const { tfModel, modelJson, weights } = await keras3('sigmoid');
    const m = await loadModel({ modelJson, weights });
    const x = caseInput({ name: '', model: m, tfjs: true, torch: true }, 3, 9);
    const d = maxDiff(m.predict(x).data, tfPredict(tfModel, x));
    assert.ok(d <= 1e-6, `max difference ${d}`);
    tfModel.dispose();
  });

  it("refuses Keras 3's hard_sigmoid (relu6(x + 3) / 6), initial_state, LoRA, a foreign backward_layer and a BatchNormalization over another axis, naming the layer", async () => {
    const { tfModel, modelJson, weights } = await keras3('hard_sigmoid');
    await assert.rejects(loadModel({ modelJson, weights }), (e: unknown) => e instanceof ModelFileError && e.code === 'E_UNSUPPORTED'
      && /LSTM 'lstm'\): recurrent_activation 'hard_sigmoid' is Keras 3's relu6\(x \+ 3\) \/ 6/.test(e.message));
    tfModel.dispose();
    const bn = (axis: unknown) => JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers: [
      { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4, 4, 2] } },
      { class_name: 'BatchNormalization', config: { name: 'bn', axis } }] } }, weightsManifest: [{ paths: ['w.bin'], weights: [] }] });
    await assert.rejects(loadModel({ modelJson: bn([1]), weights: new Uint8Array(0) }), (e: unknown) => e instanceof ModelFileError && e.code === 'E_UNSUPPORTED'
      && /BatchNormalization 'bn'\): axis 1 is not the last axis of its rank-4 input/.test(e.message));
    // An LSTM called with initial_state (a keyword argument) is not a plain chain; LoRA adapters are refused.
    const good = await keras3('sigmoid');
    good.tfModel.dispose();
    const withState = JSON.parse(good.modelJson);
    withState.modelTopology.model_config.config.layers[1].inbound_nodes[0].kwargs = { initial_state: [] };
    await assert.rejects(loadModel({ modelJson: JSON.stringify(withState), weights: good.weights }), /\('lstm'\) does not take the previous layer's output alone/);
    const lora = JSON.parse(good.modelJson);
    lora.modelTopology.model_config.config.layers[2].config.lora_rank = 4;
    await assert.rejects(loadModel({ modelJson: JSON.stringify(lora), weights: good.weights }), /Dense 'dense'\): lora_rank = 4 is not supported/);
    // Keras 3 writes a Bidirectional's backward_layer: the mirrored forward layer is accepted, another refused.
    const lstm = (name: string, units: number, go_backwards: boolean) => ({ class_name: 'LSTM', config: { name, units, recurrent_activation: 'sigmoid', go_backwards } });
    const bidi = (units: number) => layerFromKeras('Bidirectional', { name: 'bi', merge_mode: 'concat', layer: lstm('f', 3, false), backward_layer: lstm('b', units, true) },
      { path: 'model.json', field: 'layers[1]', className: 'Bidirectional', name: 'bi', keras3: true });
    assert.equal(bidi(3)[0]!.className, 'Bidirectional');
    assert.throws(() => bidi(4), (e: unknown) => e instanceof ModelFileError && /Bidirectional 'bi'\): backward_layer is not the forward layer going the other way/.test(e.message));
    // axis [3] (Keras's list form of the last axis) passes the check and fails later only for the missing weights.
    await assert.rejects(loadModel({ modelJson: bn([3]), weights: new Uint8Array(0) }), /the layers make 8 parameters but field 'weights' lists 0/);
  });
});
