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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import {
  Activation, AveragePooling2D, BatchNormalization, Conv2D, decodeSafetensors, Dense, Dropout, Embedding, encodeSafetensors, exportOnnx,
  exportTorch, Flatten, importTorchState, LeakyReLU, LSTM, Masking, MaxPooling2D, Sequential, TimeDistributed,
} from '../../src/index.js';
import type { Layer, Tensor } from '../../src/index.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { maxDiff, pythonSkip, randomInput, randomizeWeights, runPython } from './helpers.js';
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
      const x = input(c, 3, 30 + i), want = c.model.predict(x);
      for (const opset of [13, 17]) {
        const session = await ort.InferenceSession.create(exportOnnx(c.model, { opset }));
        const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(x.data), [...x.shape]) });
        const got = out[session.outputNames[0]!]!;
        assert.deepEqual(got.dims, want.shape);
        const d = maxDiff(got.data as Float32Array, want.data);
        assert.ok(d <= 1e-5, `opset ${opset}: max difference ${d}`);
        t.diagnostic(`opset ${opset}: largest difference ${d.toExponential(1)}`);
      }
    });
  }

  it('refuses TimeDistributed(Masking), naming the layer', () => {
    const m = one([new TimeDistributed({ layer: new Masking(), inputShape: [4, 3, 2] })]);
    assert.throws(() => exportOnnx(m), /exportOnnx: TimeDistributed 'time_distributed_\d+' wraps Masking/);
    assert.throws(() => encodeTorch(m), /exportTorch: TimeDistributed 'time_distributed_\d+' wraps Masking/);
  });

  it('passes the ONNX checker (python3-onnx)', { skip: pythonSkip('onnx', 'python3-onnx') }, () => {
    const files = all.map((c, i) => { const f = join(dir, `w${i}.onnx`); writeFileSync(f, exportOnnx(c.model, { opset: 17 })); return f; });
    const out = runPython('import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n    print("ok")', files);
    assert.equal(out.trim().split('\n').length, files.length);
  });
});

describe('exportTorch: BatchNormalization on sequences and TimeDistributed over any layer', () => {
  it('nabla -> state_dict -> nabla gives the same predictions (a Conv2D kernel inside TimeDistributed is not taken for a Linear one)', async () => {
    for (const [i, c] of all.entries()) {
      const back = Sequential.fromConfig(c.model.getConfig());
      back.build();
      randomizeWeights(back, 999);
      const x = input(c, 2, 60 + i);
      await importTorchState(back, encodeTorch(c.model)['model.safetensors']);
      assert.equal(maxDiff(back.predict(x).data, c.model.predict(x).data), 0, c.name);
    }
    const py = encodeTorch(all[0]!.model)['model.py'];
    assert.match(py, /nn\.BatchNorm1d\(5, eps=0\.01, momentum=0\.01, affine=True\)/);
    assert.match(py, /\(x\.transpose\(1, 2\)\)\.transpose\(1, 2\)/);
    assert.match(encodeTorch(all[2]!.model)['model.py'], /x = x\.reshape\(-1, 6, 6, 2\)  # TimeDistributed: time folded into the batch/);
  });

  it('model.py predicts what nabla predicts; PyTorch trains one step and its state_dict loads back (1e-5)', { skip: pythonSkip('torch', 'python3-torch') }, async (t) => {
    const inputs = all.map((c, i) => input(c, 3, 90 + i));
    const dirs = await Promise.all(all.map(async (c, i) => {
      const d = join(dir, `t${i}`);
      await exportTorch(c.model, d);
      writeFileSync(join(d, 'x.safetensors'), encodeSafetensors([{ name: 'x', tensor: inputs[i]! }]));
      return d;
    }));
    runPython([
      'import importlib.util, sys, os, torch',
      'torch.manual_seed(0)',
      'for i, d in enumerate(sys.argv[1:]):',
      "    spec = importlib.util.spec_from_file_location(f'nabla_wrap_{i}', os.path.join(d, 'model.py'))",
      '    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
      '    net = mod.load_model()',
      "    x = mod.load_safetensors(os.path.join(d, 'x.safetensors'))['x']",
      '    with torch.no_grad(): y = net(x)',
      '    net.train(); opt = torch.optim.SGD(net.parameters(), lr=0.5); opt.zero_grad()',
      '    ((net(x) - torch.ones_like(y)) ** 2).mean().backward(); opt.step(); net.eval()',
      '    with torch.no_grad(): y2 = net(x)',
      "    mod.save_safetensors({'y': y, 'y2': y2}, os.path.join(d, 'y.safetensors'))",
      "    mod.save_safetensors(net.state_dict(), os.path.join(d, 'trained.safetensors'))",
    ].join('\n'), dirs);
    for (const [i, c] of all.entries()) {
      const ys = decodeSafetensors(readFileSync(join(dirs[i]!, 'y.safetensors')), 'y').tensors;
      const d1 = maxDiff(ys.get('y')!.data, c.model.predict(inputs[i]!).data);
      assert.ok(d1 <= 1e-5, `${c.name}: PyTorch differs from nabla by ${d1}`);
      assert.ok(maxDiff(ys.get('y2')!.data, ys.get('y')!.data) > 1e-5, `${c.name}: the training step changed nothing`);
      await importTorchState(c.model, join(dirs[i]!, 'trained.safetensors'));
      const d2 = maxDiff(c.model.predict(inputs[i]!).data, ys.get('y2')!.data);
      assert.ok(d2 <= 1e-5, `${c.name}: after PyTorch's training step, nabla differs from PyTorch by ${d2}`);
      t.diagnostic(`${c.name}: largest difference ${d1.toExponential(1)}, after training ${d2.toExponential(1)}`);
    }
  });
});
