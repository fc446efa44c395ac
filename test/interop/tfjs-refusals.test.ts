/**
 * The TF.js / Keras model.json reader refuses every construct it cannot represent with a file
 * error (ModelFileError, E_UNSUPPORTED) naming the layer or the field, never by loading something
 * else silently: a table of hand-built model.json files (no Keras here), each with the message it
 * must give. The last rows are near-misses that must load (Keras 3's spellings of the same things).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadModel, ModelFileError } from '../../src/index.js';

type Keras = Record<string, unknown>;
const input = (shape: unknown[], extra: Keras = {}): Keras => ({ class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, ...shape], ...extra }, inbound_nodes: [] });
const dense = (name: string, extra: Keras = {}): Keras => ({ class_name: 'Dense', name, config: { name, units: 2, activation: 'linear', ...extra } });
/** A Keras 2 node calling a layer on the outputs of `from`. */
const node = (...from: string[]): unknown[] => [from.map((f) => [f, 0, 0, {}])];
const sequential = (layers: Keras[], weights: unknown[] = []): string =>
  JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { name: 's', layers } }, weightsManifest: [{ paths: ['w.bin'], weights }] });
const functional = (layers: Keras[], outputs: unknown, inputs: unknown = [['in', 0, 0]]): string =>
  JSON.stringify({ modelTopology: { class_name: 'Functional', config: { name: 'f', layers, input_layers: inputs, output_layers: outputs } }, weightsManifest: [] });
/** Float32 specs and zero bytes for them. */
const specs = (...entries: [string, number[]][]) => entries.map(([name, shape]) => ({ name, shape, dtype: 'float32' }));
const bytesOf = (json: string): Uint8Array => {
  const groups = (JSON.parse(json) as { weightsManifest: { weights: { shape: number[]; quantization?: unknown }[] }[] }).weightsManifest;
  return new Uint8Array(groups.flatMap((g) => g.weights).reduce((s, w) => s + (w.quantization ? 1 : 4) * w.shape.reduce((a, b) => a * b, 1), 0));
};

const denseWeights = specs(['d/kernel', [3, 2]], ['d/bias', [2]]);
const nested = { class_name: 'Functional', name: 'inner', config: { name: 'inner', layers: [input([3]), { ...dense('a'), inbound_nodes: node('in') }, { ...dense('b'), inbound_nodes: node('in') }],
  input_layers: [['in', 0, 0]], output_layers: [['a', 0, 0], ['b', 0, 0]] } };

const refused: { what: string; json: string; message: RegExp; code?: string }[] = [
  { what: 'an unknown layer class', json: sequential([input([3]), { class_name: 'LayerNormalization', config: { name: 'ln' } }]), message: /LayerNormalization 'ln'\): layer class LayerNormalization has no nabla equivalent/ },
  { what: 'an unsupported activation', json: sequential([input([3]), dense('d', { activation: 'exponential' })]), message: /Dense 'd'\): activation "exponential" has no nabla equivalent/ },
  { what: 'an unsupported recurrent activation', json: sequential([input([4, 3]), { class_name: 'LSTM', config: { name: 'l', units: 2, recurrent_activation: 'mish' } }]), message: /LSTM 'l'\): recurrent_activation "mish" has no nabla equivalent/ },
  { what: 'a float16 layer', json: sequential([input([3]), dense('d', { dtype: 'float16' })]), message: /Dense 'd'\): dtype = "float16" is not supported/ },
  { what: "Keras 3's mixed_float16 policy", json: sequential([input([3]), dense('d', { dtype: { class_name: 'DTypePolicy', config: { name: 'mixed_float16' } } })]), message: /Dense 'd'\): dtype = "mixed_float16" is not supported/ },
  { what: 'a float16 input', json: sequential([input([3], { dtype: 'float16' }), dense('d')]), message: /InputLayer 'in'\): dtype = "float16" is not supported/ },
  { what: 'int32 ids into a Dense layer', json: sequential([input([3], { dtype: 'int32' }), dense('d')]), message: /InputLayer 'in'\): dtype "int32" .* only before an Embedding/ },
  { what: 'int32 weights', json: sequential([input([3]), dense('d')], [{ name: 'd/kernel', shape: [3, 2], dtype: 'int32' }, ...specs(['d/bias', [2]])]), message: /weightsManifest\[0\]\.weights\[0\]\.dtype' is "int32"/ },
  { what: 'quantised weights of another original dtype', json: sequential([input([3]), dense('d')], [{ ...denseWeights[0], quantization: { dtype: 'uint8', scale: 1, min: 0, original_dtype: 'int32' } }, denseWeights[1]]), message: /quantization\.original_dtype' is "int32"/ },
  { what: 'a nested model with branches', json: sequential([input([3]), nested]), message: /Functional 'inner'\): a nested model/ },
  { what: 'a nested Sequential', json: sequential([input([3]), { class_name: 'Sequential', config: { name: 'sub', layers: [dense('x')] } }]), message: /Sequential 'sub'\): a nested model/ },
  { what: 'a shared layer', json: functional([input([2]), { ...dense('shared'), inbound_nodes: [...node('in'), ...node('shared')] }], [['shared', 1, 0]]), message: /\('shared'\) is called 2 times \(a shared layer\)/ },
  { what: 'a Lambda layer', json: sequential([input([3]), { class_name: 'Lambda', config: { name: 'lam', function: ['4wEAAAAA', null, null] } }]), message: /Lambda 'lam'\): .*Python code, which nabla never runs/ },
  { what: 'a model whose output is not the last layer', json: functional([input([3]), { ...dense('a'), inbound_nodes: node('in') }, { ...dense('b'), inbound_nodes: node('a') }], [['a', 0, 0]]), message: /output_layers must name the last layer alone/ },
  { what: 'two outputs', json: functional([input([3]), { ...dense('a'), inbound_nodes: node('in') }, { ...dense('b'), inbound_nodes: node('a') }], [['a', 0, 0], ['b', 0, 0]]), message: /output_layers must name the last layer alone/ },
  { what: 'two inputs', json: functional([input([3]), { ...input([3]), name: 'in2', config: { name: 'in2', batch_input_shape: [null, 3] } }, { class_name: 'Add', name: 'add', config: { name: 'add' }, inbound_nodes: node('in', 'in2') }], [['add', 0, 0]], [['in', 0, 0], ['in2', 0, 0]]), message: /input_layers lists 2 inputs/ },
  { what: 'a skip connection', json: functional([input([3]), { ...dense('a'), inbound_nodes: node('in') }, { ...dense('b'), inbound_nodes: node('in') }], [['b', 0, 0]]), message: /\('b'\) does not take the previous layer's output alone/ },
  { what: 'two layers of the same name', json: sequential([input([3]), dense('d'), dense('d')]), message: /Dense 'd'\): a second layer named 'd'/, code: 'E_INVALID' },
  { what: "BatchNormalization's renorm", json: sequential([input([3]), { class_name: 'BatchNormalization', config: { name: 'bn', renorm: true } }]), message: /BatchNormalization 'bn'\): renorm = true is not supported/ },
  { what: 'a weight the layer does not have in nabla', json: sequential([input([3]), dense('d')], [...denseWeights, ...specs(['d/kernel_scale', [2]])]), message: /'d\/kernel_scale'.*Dense 'd'/ },
  { what: "Conv2D's causal padding", json: sequential([input([4, 4, 1]), { class_name: 'Conv2D', config: { name: 'c', filters: 1, kernel_size: 2, padding: 'causal' } }]), message: /Conv2D 'c'\): padding = "causal" is not supported/ },
];

describe('the TF.js reader refuses what it cannot represent, naming it', () => {
  for (const r of refused) {
    it(r.what, async () => {
      await assert.rejects(loadModel({ modelJson: r.json, weights: bytesOf(r.json) }), (e: unknown) => {
        assert.ok(e instanceof ModelFileError, `not a ModelFileError: ${String(e)}`);
        assert.match(e.message, r.message);
        assert.equal(e.code, r.code ?? 'E_UNSUPPORTED');
        return true;
      });
    });
  }

  it("loads the near-misses: int32 ids into an Embedding, an optimizer's weights, Keras 3's flat output_layers", async () => {
    const emb = { class_name: 'Embedding', config: { name: 'e', input_dim: 5, output_dim: 2 } };
    const json = sequential([input([3], { dtype: 'int32' }), emb], [...specs(['e/embeddings', [5, 2]]), { name: 'Adam/iter', shape: [1], dtype: 'float32', group: 'optimizer' }]);
    const m = await loadModel({ modelJson: json, weights: bytesOf(json) });
    assert.deepEqual(m.predict([[1, 2, 3]]).shape, [1, 3, 2]);
    const flat = JSON.parse(functional([input([3]), { ...dense('d'), inbound_nodes: node('in') }], ['d', 0, 0], ['in', 0, 0]));
    flat.weightsManifest = [{ paths: ['w.bin'], weights: denseWeights }];
    const f = await loadModel({ modelJson: JSON.stringify(flat), weights: bytesOf(JSON.stringify(flat)) });
    assert.deepEqual(f.predict([[1, 2, 3]]).shape, [1, 2]);
  });
});
