// Saving and loading models and checkpoints.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Dense, Dropout, l2, loadCheckpoint, loadModel, initializers, Rng, saveCheckpoint, Sequential, SGD, Tensor } from '../../src/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-io-'));

function data(n: number): [Tensor, Tensor] {
  const rng = new Rng(4), x = new Float32Array(n * 3), y = new Float32Array(n);
  for (let i = 0; i < n; i++) { for (let j = 0; j < 3; j++) x[i * 3 + j] = rng.normal(); y[i] = x[i * 3]! > x[i * 3 + 1]! ? 1 : x[i * 3 + 2]! > 0 ? 2 : 0; }
  return [new Tensor(x, [n, 3]), new Tensor(y, [n])];
}

function makeModel(seed = 1): Sequential {
  const model = new Sequential([
    new Dense({ units: 6, activation: 'tanh', inputShape: [3], kernelRegularizer: l2(1e-3), biasInitializer: initializers.randomNormal({ stddev: 0.1 }) }),
    new Dropout({ rate: 0.2 }),
    new Dense({ units: 3, activation: 'softmax' }),
  ], { seed, name: 'toy' });
  model.compile({ optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** A minimal safetensors reader written from the format's description, independent of nabla's. */
function readSafetensorsIndependently(bytes: Buffer): Map<string, { shape: number[]; values: number[] }> {
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out = new Map<string, { shape: number[]; values: number[] }>();
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    assert.equal(e.dtype, 'F32');
    const values: number[] = [];
    for (let o = e.data_offsets[0]; o < e.data_offsets[1]; o += 4) values.push(bytes.readFloatLE(8 + n + o));
    out.set(name, { shape: e.shape, values });
  }
  return out;
}

describe('model files', () => {
  it('save, load and save again give byte-identical files; the loaded model predicts the same', async () => {
    const [x, y] = data(64);
    const model = makeModel();
    await model.fit(x, y, { epochs: 2, batchSize: 16 });
    const a = join(tmp(), 'model'), b = join(tmp(), 'model');
    await model.save(a);
    const loaded = await loadModel(a);
    await loaded.save(b);
    for (const f of ['model.json', 'weights.safetensors']) assert.deepEqual(readFileSync(join(b, f)), readFileSync(join(a, f)), f);
    assert.deepEqual(Array.from(loaded.predict(x).data), Array.from(model.predict(x).data));
    assert.deepEqual(loaded.evaluate(x, y), model.evaluate(x, y));
    assert.equal(loaded.histories[0]!.history.loss.length, 2);
    assert.deepEqual(readdirSync(a).sort(), ['model.json', 'weights.safetensors']);
  });

  it('weights.safetensors opens with an independent reader: names <layer>/<weight>, Dense kernels [in, out]', async () => {
    const model = makeModel();
    model.build();
    const dir = join(tmp(), 'm');
    await model.save(dir);
    const tensors = readSafetensorsIndependently(readFileSync(join(dir, 'weights.safetensors')));
    assert.deepEqual([...tensors.keys()], ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias']);
    assert.deepEqual(tensors.get('dense_1/kernel')!.shape, [3, 6]);
    const w = model.getWeights();
    assert.deepEqual(tensors.get('dense_2/kernel')!.values, Array.from(w[2]!.data));
  });

  it('refuses to save over a different model without overwrite, and replaces it with overwrite', async () => {
    const dir = join(tmp(), 'm');
    const m1 = makeModel(1); m1.build();
    await m1.save(dir);
    await m1.save(dir); // the same model may be saved again
    const other = new Sequential([new Dense({ units: 2, inputShape: [3] })]);
    await assert.rejects(other.save(dir), /holds a different model.*overwrite/);
    await other.save(dir, { overwrite: true });
    assert.equal((await loadModel(dir)).layers.length, 1);
  });

  it('refuses corrupt files naming the file and what was wrong', async () => {
    const model = makeModel(); model.build();
    const dir = join(tmp(), 'm');
    await model.save(dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const broken = (edit: (j: any) => void) => { const j = structuredClone(json); edit(j); writeFileSync(join(dir, 'model.json'), JSON.stringify(j)); };
    broken((j) => { j.model.layers[0].config.units = -3; });
    await assert.rejects(loadModel(dir), /model\.json: model\.layers\[0\] \(Dense\): Dense: units must be a positive integer, got -3/);
    broken((j) => { j.model.layers[1].className = 'Evil'; });
    await assert.rejects(loadModel(dir), /model\.layers\[1\].*unknown layer class "Evil"/);
    broken((j) => { j.format = 'something-else'; });
    await assert.rejects(loadModel(dir), /model\.json: field 'format' must be 'nabla-model'/);
    broken((j) => { j.weights[0].shape = [4, 6]; });
    await assert.rejects(loadModel(dir), /weights\.safetensors: tensor 'dense_1\/kernel' is float32 \[3, 6\], but model\.json says float32 \[4, 6\]/);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const w = readFileSync(join(dir, 'weights.safetensors'));
    writeFileSync(join(dir, 'weights.safetensors'), w.subarray(0, w.length - 10));
    await assert.rejects(loadModel(dir), /weights\.safetensors/);
    writeFileSync(join(dir, 'model.json'), '{"format": "nabla-model", ');
    await assert.rejects(loadModel(dir), /model\.json/);
    await assert.rejects(loadModel(join(dir, 'nope')), /model\.json/);
  });

  it('loads from ArrayBuffers', async () => {
    const model = makeModel(); model.build();
    const dir = join(tmp(), 'm');
    await model.save(dir);
    const m = await loadModel({ modelJson: readFileSync(join(dir, 'model.json')), weights: new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))) });
    assert.deepEqual(m.getWeights().map((t) => Array.from(t.data)), model.getWeights().map((t) => Array.from(t.data)));
  });
});

describe('checkpoints', () => {
  it('a run interrupted mid-epoch and resumed ends with bit-identical weights to an uninterrupted one', async () => {
    const [x, y] = data(100);
    const fitArgs = { epochs: 3, batchSize: 8, seed: 11, validationSplit: 0.2 };
    const whole = makeModel(7);
    const wholeHistory = await whole.fit(x, y, fitArgs);

    const first = makeModel(7);
    const interrupt = new AbortController(); // fit's signal stops mid-epoch (stopTraining would end the epoch, as TF.js)
    const stopAt = { onBatchEnd(batch: number) { if (batch === 4 && (first.trainingProgress?.epoch ?? 0) === 1) interrupt.abort(); } };
    await first.fit(x, y, { ...fitArgs, callbacks: [stopAt], signal: interrupt.signal });
    assert.equal(first.trainingProgress!.epoch, 1);
    assert.equal(first.trainingProgress!.batch, 5);
    const dir = join(tmp(), 'ckpt');
    await saveCheckpoint(dir, first, { fitArgs });
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'optimizer.safetensors', 'training.json', 'weights.safetensors']);

    const ck = await loadCheckpoint(dir);
    const rest = await ck.model.fit(x, y, { ...ck.fitArgs, resumeFrom: ck.progress });
    ck.model.getWeights().forEach((t, i) => assert.deepEqual(Buffer.from(t.data.buffer), Buffer.from(whole.getWeights()[i]!.data.buffer), `weight ${i}`));
    assert.deepEqual(rest.history.loss, wholeHistory.history.loss.slice(1), 'the resumed epoch reports the same loss');
  });

  it('refuses a checkpoint whose training.json is broken', async () => {
    const [x, y] = data(20);
    const m = makeModel();
    await m.fit(x, y, { epochs: 1, batchSize: 8 });
    const dir = join(tmp(), 'ckpt');
    await saveCheckpoint(dir, m, { fitArgs: { epochs: 1 } });
    const t = JSON.parse(readFileSync(join(dir, 'training.json'), 'utf8'));
    t.progress.batch = -1;
    writeFileSync(join(dir, 'training.json'), JSON.stringify(t));
    await assert.rejects(loadCheckpoint(dir), /training\.json: field 'progress\.batch'/);
  });
});
