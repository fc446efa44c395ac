/**
 * `nabla export RUN_DIR --format onnx|tfjs|pytorch` on a saved recurrent text model (Embedding ->
 * LSTM -> Dense softmax, trained a few epochs through the library and saved as a run directory:
 * model/ + run.json, as `nabla train` leaves it; `nabla train` standardises CSV inputs, so it
 * cannot train on token ids). Each export is read back by what reads that format: ONNX Runtime
 * (onnxruntime-node), nabla's own loadModel for the TF.js directory, importTorchState for the
 * PyTorch directory; each predicts what the saved model predicts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Adam, Dense, Embedding, importTorchState, loadModel, LSTM, Sequential, tensor } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { writeRun } from '../../src/cli/run-dir.js';
import { nabla, tmp } from '../cli/helpers.js';
import { runOnnx } from './engines.js';
import { maxDiff, randomizeWeights } from './helpers.js';
import { randomIds } from './recurrent-models.js';

const dir = tmp('nabla-export-cli-'), runDir = join(dir, 'runs', 'text-lstm');
const VOCAB = 20, T = 8;
let model: Sequential, x: Tensor;
after(() => rmSync(dir, { recursive: true, force: true }));

before(async () => {
  model = new Sequential([new Embedding({ inputDim: VOCAB, outputDim: 6, inputLength: T }), new LSTM({ units: 8 }), new Dense({ units: 3, activation: 'softmax' })], { seed: 3 });
  model.compile({ optimizer: new Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  // The class is the first token's id mod 3: learnable, so training moves every weight.
  const ids = randomIds([T], 48, VOCAB, 5), labels = tensor(Float32Array.from({ length: 48 }, (_, i) => ids.data[i * T]! % 3), [48]);
  await model.fit(ids, labels, { epochs: 3, batchSize: 16 });
  await model.save(join(runDir, 'model'));
  await writeRun(runDir, {
    settings: { data: { data: '/tmp/tokens.csv', seed: 1 }, model: '/tmp/text-lstm.json', hidden: [], activation: 'relu', loss: 'sparseCategoricalCrossentropy',
      optimizer: 'adam', learningRate: 0.02, epochs: 3, batchSize: 16, seed: 3, validationSplit: 0, out: runDir },
    preprocessing: { task: 'classification', inputShape: [T], featureNames: null, classNames: ['a', 'b', 'c'], labelValues: null, scaler: null, targetScaler: null, targetName: null },
    results: null,
  });
  x = randomIds([T], 4, VOCAB, 77);
});

describe('nabla export RUN_DIR on a recurrent text model (Embedding -> LSTM -> Dense)', () => {
  it('--format onnx writes a file ONNX Runtime runs, predicting what the run\'s model predicts (1e-5)', async () => {
    const out = join(dir, 'text.onnx'), r = await nabla(['export', runDir, '--format', 'onnx', '--opset', '17', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote an ONNX model .* 3 layers, input \[batch, 8\]/);
    const got = await runOnnx(readFileSync(out), x);
    assert.deepEqual(got.dims, [4, 3]);
    const d = maxDiff(got.data, model.predict(x).data);
    assert.ok(d <= 1e-5, `max difference ${d}`);
  });

  it('--format tfjs writes a directory nabla\'s loadModel reads back, predicting the same (1e-6)', async () => {
    const out = join(dir, 'text-tfjs'), r = await nabla(['export', runDir, '--format', 'tfjs', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const back = await loadModel(out);
    assert.deepEqual(back.layers.map((l) => l.className), ['Embedding', 'LSTM', 'Dense']);
    const d = maxDiff(back.predict(x).data, model.predict(x).data);
    assert.ok(d <= 1e-6, `max difference ${d}`);
  });

  it('--format pytorch writes model.py and a state_dict importTorchState reads into the same architecture', async () => {
    const out = join(dir, 'text-torch'), r = await nabla(['export', runDir, '--format', 'pytorch', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(out, 'model.py')));
    assert.match(readFileSync(join(out, 'model.py'), 'utf8'), /nn\.LSTM\(6, 8, batch_first=True/);
    const twin = Sequential.fromConfig(model.getConfig());
    twin.build();
    randomizeWeights(twin, 12);
    assert.ok(maxDiff(twin.predict(x).data, model.predict(x).data) > 1e-3, 'the twin starts different');
    await importTorchState(twin, join(out, 'model.safetensors'));
    assert.equal(maxDiff(twin.predict(x).data, model.predict(x).data), 0);
  });
});
