/**
 * BatchNormalization on sequences ([batch, T, F], normalising F) and TimeDistributed over every
 * layer nabla can wrap (Conv2D, pooling, Flatten, Dropout, BatchNormalization, Activation,
 * LeakyReLU, Embedding, LSTM), through exportOnnx (ONNX
 * Runtime, opsets 13 and 17; the ONNX checker with Debian's python3-onnx) and exportTorch (the
 * state_dict round trip without Python; model.py with Debian's python3-torch, a training step in
 * PyTorch and its state_dict read back). The Python checks are skipped with a message where
 * `/usr/bin/python3` lacks the module.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Embedding, exportOnnx,
  Flatten, LeakyReLU, LSTM, Masking, MaxPooling2D, Sequential, TimeDistributed,
} from '../../src/index.js';
import type { Layer, Tensor } from '../../src/index.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { assertOnnxRuntimeAgrees, assertPyTorchAgrees, checkOnnxFiles, torchStateRoundTrip, trainInPyTorch } from './engines.js';
import { pythonSkip, randomInput, randomizeWeights } from './helpers.js';
import { randomIds } from './recurrent-models.js';

interface Case { name: string; model: Sequential; ids?: number }

function cases(): Case[] {
  const td = (layer: Layer) => new TimeDistributed({ layer });
  const list: { name: string; layers: Layer[]; ids?: number }[] = [
    { name: 'Embedding -> LSTM (sequences) -> BatchNormalization on [batch, T, F] -> Dense softmax', ids: 12, layers: [
      new Embedding({ inputDim: 12, outputDim: 4, inputLength: 6 }), new LSTM({ units: 5, returnSequences: true }),
      new BatchNormalization({ epsilon: 0.01 }), new Dense({ units: 3, activation: 'softmax' })] },
    { name: 'LSTM -> BatchNormalization without scale -> TimeDistributed(Dense)', layers: [
      new LSTM({ units: 4, returnSequences: true, inputShape: [5, 3] }), new BatchNormalization({ scale: false }), td(new Dense({ units: 2 }))] },
    { name: 'TimeDistributed(Conv2D same stride 2, MaxPooling2D, Flatten) -> LSTM -> Dense', layers: [
      new TimeDistributed({ layer: new Conv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), inputShape: [3, 6, 6, 2] }),
      td(new MaxPooling2D({ poolSize: 2, padding: 'same' })), td(new Flatten()), new LSTM({ units: 4 }), new Dense({ units: 2 })] },
    { name: 'TimeDistributed(Conv2D) -> BatchNormalization on rank 5 -> TimeDistributed(AveragePooling2D same, Flatten)', layers: [
      new TimeDistributed({ layer: new Conv2D({ filters: 2, kernelSize: [2, 3] }), inputShape: [2, 5, 5, 1] }), new BatchNormalization(),
      td(new AveragePooling2D({ poolSize: 3, strides: 2, padding: 'same' })), td(new Flatten())] },
    { name: 'TimeDistributed(Dropout, BatchNormalization, LeakyReLU, Activation softmax)', layers: [
      new TimeDistributed({ layer: new Dropout({ rate: 0.3 }), inputShape: [4, 3] }), td(new BatchNormalization({ epsilon: 0.1 })),
      td(new LeakyReLU({ alpha: 0.2 })), td(new Activation({ activation: 'softmax' }))] },
    { name: 'TimeDistributed(Embedding) -> TimeDistributed(LSTM) -> Dense', ids: 7, layers: [
      new TimeDistributed({ layer: new Embedding({ inputDim: 7, outputDim: 3 }), inputShape: [3, 4] }), td(new LSTM({ units: 3 })), new Dense({ units: 2 })] },
    { name: 'TimeDistributed(Dense) on [batch, T, X, F] -> BatchNormalization on rank 4 (not an image)', layers: [
      new TimeDistributed({ layer: new Dense({ units: 3, activation: 'tanh' }), inputShape: [3, 4, 2] }), new BatchNormalization()] },
  ];
  return list.map((c, i) => {
    const model = new Sequential(c.layers, { seed: 700 + i });
    model.build();
    randomizeWeights(model, 800 + i);
    return { name: c.name, model, ...(c.ids ? { ids: c.ids } : {}) };
  });
}

const all = cases();
const input = (c: Case, n: number, seed: number): Tensor => (c.ids ? randomIds(c.model.inputShape!, n, c.ids, seed) : randomInput(c.model.inputShape!, n, seed));
const dir = mkdtempSync(join(tmpdir(), 'nabla-seq-wrap-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A model of one layer over `inputShape`, built. */
function one(layers: Layer[]): Sequential { const m = new Sequential(layers); m.build(); return m; }

describe('exportOnnx: BatchNormalization on sequences and TimeDistributed over any layer (ONNX Runtime, 1e-5)', () => {
  for (const [i, c] of all.entries()) {
    it(c.name, async (t) => {
      for (const { opset, diff } of await assertOnnxRuntimeAgrees(c.model, input(c, 3, 30 + i))) {
        t.diagnostic(`opset ${opset}: largest difference ${diff.toExponential(1)}`);
      }
    });
  }

  it('refuses TimeDistributed(Masking), naming the layer', () => {
    const m = one([new TimeDistributed({ layer: new Masking(), inputShape: [4, 3, 2] })]);
    assert.throws(() => exportOnnx(m), /exportOnnx: TimeDistributed 'time_distributed_\d+' wraps Masking/);
    assert.throws(() => encodeTorch(m), /exportTorch: TimeDistributed 'time_distributed_\d+' wraps Masking/);
  });

  it('passes the ONNX checker (python3-onnx)', { skip: pythonSkip('onnx', 'python3-onnx') }, () => {
    const { files, out } = checkOnnxFiles(all.map((c) => c.model), dir, 'w', [17]);
    assert.equal(out.trim().split('\n').length, files.length);
  });
});

describe('exportTorch: BatchNormalization on sequences and TimeDistributed over any layer', () => {
  it('nabla -> state_dict -> nabla gives the same predictions (a Conv2D kernel inside TimeDistributed is not taken for a Linear one)', async () => {
    for (const [i, c] of all.entries()) assert.equal(await torchStateRoundTrip(c.model, input(c, 2, 60 + i)), 0, c.name);
    const py = encodeTorch(all[0]!.model)['model.py'];
    assert.match(py, /nn\.BatchNorm1d\(5, eps=0\.01, momentum=0\.01, affine=True\)/);
    assert.match(py, /\(x\.transpose\(1, 2\)\)\.transpose\(1, 2\)/);
    assert.match(encodeTorch(all[2]!.model)['model.py'], /x = x\.reshape\(-1, 6, 6, 2\)  # TimeDistributed: time folded into the batch/);
  });

  it('model.py predicts what nabla predicts; PyTorch trains one step and its state_dict loads back (1e-5)', { skip: pythonSkip('torch', 'python3-torch') }, async (t) => {
    const inputs = all.map((c, i) => input(c, 3, 90 + i));
    const runs = await trainInPyTorch(all.map((c) => c.model), inputs, dir, 't', 0.5);
    for (const [i, c] of all.entries()) {
      const { before: d1, after: d2 } = await assertPyTorchAgrees(c.name, c.model, inputs[i]!, runs[i]!, 1e-5);
      t.diagnostic(`${c.name}: largest difference ${d1.toExponential(1)}, after training ${d2.toExponential(1)}`);
    }
  });
});
