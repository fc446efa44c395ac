/**
 * exportTorch / importTorchState for the sequence layers (nn.RNN / nn.LSTM / nn.GRU with
 * batch_first=True, bidirectional for Bidirectional; nn.Embedding; nn.Linear for
 * TimeDistributed(Dense) and Dense on sequences). Without Python: nabla -> state_dict -> nabla is
 * exact, and what PyTorch cannot compute is refused, naming the layer. With Debian's python3-torch
 * (skipped with a message where absent): the generated model.py predicts what nabla predicts
 * (1e-5), and after one PyTorch training step (which makes bias_hh non-zero) the state_dict
 * PyTorch saves loads back into nabla, which then predicts what PyTorch predicts (1e-5).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeSafetensors, Embedding, encodeSafetensors, exportTorch, GRU, importTorchState, LSTM, Masking, Sequential } from '../../src/index.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { maxDiff, pythonSkip, randomizeWeights, runPython } from './helpers.js';
import { caseInput, recurrentModels } from './recurrent-models.js';

const cases = recurrentModels().filter((c) => c.torch);
const dir = mkdtempSync(join(tmpdir(), 'nabla-torch-rnn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function twin(model: Sequential): Sequential {
  const copy = Sequential.fromConfig(model.getConfig());
  copy.build();
  randomizeWeights(copy, 999);
  return copy;
}

describe('importTorchState (sequence layers) without PyTorch', () => {
  it('nabla -> state_dict -> nabla gives the same predictions for every sequence model', async () => {
    for (const [i, c] of cases.entries()) {
      const back = twin(c.model), x = caseInput(c, 2, 40 + i);
      await importTorchState(back, encodeTorch(c.model)['model.safetensors']);
      assert.equal(maxDiff(back.predict(x).data, c.model.predict(x).data), 0, c.name);
    }
  });

  it('refuses a GRU without resetAfter, activations nn.LSTM lacks and masks, naming the layer', () => {
    const one = (layers: ConstructorParameters<typeof Sequential>[0]) => { const m = new Sequential(layers); m.build(); return m; };
    assert.throws(() => encodeTorch(one([new GRU({ units: 2, resetAfter: false, inputShape: [3, 2] })])), /exportTorch: GRU 'gru_1': resetAfter false .* cannot be represented by nn.GRU/);
    assert.throws(() => encodeTorch(one([new LSTM({ units: 2, recurrentActivation: 'hardSigmoid', inputShape: [3, 2] })])), /LSTM 'lstm_1': nn.LSTM computes activation 'tanh' with recurrentActivation 'sigmoid' only/);
    assert.throws(() => encodeTorch(one([new Masking({ inputShape: [3, 2] }), new LSTM({ units: 2 })])), /exportTorch: Masking 'masking_1' has no PyTorch form/);
    assert.throws(() => encodeTorch(one([new Embedding({ inputDim: 4, outputDim: 2, maskZero: true, inputLength: 3 }), new LSTM({ units: 2 })])), /Embedding 'embedding_1' has maskZero/);
  });
});

describe('exportTorch (sequence layers) with PyTorch (python3-torch)', { skip: pythonSkip('torch', 'python3-torch') }, () => {
  it('model.py predicts what nabla predicts; a state_dict PyTorch trained and saved loads back (1e-5)', async () => {
    const inputs = cases.map((c, i) => caseInput(c, 3, 900 + i));
    const dirs = await Promise.all(cases.map(async (c, i) => {
      const d = join(dir, `m${i}`);
      await exportTorch(c.model, d);
      writeFileSync(join(d, 'x.safetensors'), encodeSafetensors([{ name: 'x', tensor: inputs[i]! }]));
      return d;
    }));
    runPython([
      'import importlib.util, sys, os, torch',
      'torch.manual_seed(0)',
      'for i, d in enumerate(sys.argv[1:]):',
      "    spec = importlib.util.spec_from_file_location(f'nabla_rnn_{i}', os.path.join(d, 'model.py'))",
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
    for (const [i, c] of cases.entries()) {
      const ys = decodeSafetensors(readFileSync(join(dirs[i]!, 'y.safetensors')), 'y').tensors;
      const d1 = maxDiff(ys.get('y')!.data, c.model.predict(inputs[i]!).data);
      assert.ok(d1 <= 1e-5, `${c.name}: PyTorch differs from nabla by ${d1}`);
      assert.ok(maxDiff(ys.get('y2')!.data, ys.get('y')!.data) > 1e-5, `${c.name}: the training step changed nothing`);
      const trained = decodeSafetensors(readFileSync(join(dirs[i]!, 'trained.safetensors')), 't').tensors;
      if (c.name === 'LSTM, last step') assert.ok([...trained.get('lstm_1.bias_hh_l0')!.data].some((v) => v !== 0), 'bias_hh moved');
      await importTorchState(c.model, join(dirs[i]!, 'trained.safetensors'));
      const d2 = maxDiff(c.model.predict(inputs[i]!).data, ys.get('y2')!.data);
      assert.ok(d2 <= 1e-5, `${c.name}: after PyTorch's training, nabla differs from PyTorch by ${d2}`);
    }
  });
});
