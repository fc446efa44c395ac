/**
 * exportTorch / importTorchState. Without Python: nabla -> state_dict -> nabla gives the same
 * predictions (a square Dense kernel included), and a key or shape that does not match is refused,
 * naming it. With Debian's python3-torch (one Python process for all models; skipped with a message
 * where absent): for every layer type, every activation, an MLP and a LeNet CNN, the generated
 * model.py imports and its module predicts what nabla predicts (1e-5); after one PyTorch training
 * step (which moves BatchNorm's running statistics), the state_dict PyTorch saves loads back into
 * nabla, which then predicts what PyTorch predicts (1e-5).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Dense, decodeSafetensors, encodeSafetensors, exportTorch, importTorchState, ModelFileError, Sequential } from '../../src/index.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { interopModels, maxDiff, pythonSkip, randomInput, randomizeWeights, runPython } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-torch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh model of the same architecture (other initial weights). */
function twin(model: Sequential): Sequential {
  const copy = Sequential.fromConfig(model.getConfig());
  copy.build();
  randomizeWeights(copy, 999);
  return copy;
}

describe('importTorchState without PyTorch', () => {
  it('nabla -> state_dict -> nabla keeps the predictions of every model, a square Dense kernel included', async () => {
    const square = new Sequential([new Dense({ units: 4, activation: 'tanh', inputShape: [4] }), new Dense({ units: 4 })], { seed: 3 });
    square.build(); randomizeWeights(square, 4);
    for (const { name, model } of [...interopModels(), { name: 'square', model: square }]) {
      const back = twin(model), x = randomInput(model.inputShape!, 2, 5);
      await importTorchState(back, encodeTorch(model)['model.safetensors']);
      assert.equal(maxDiff(back.predict(x).data, model.predict(x).data), 0, name);
    }
  });

  it('refuses a missing or unexpected key and a wrong shape, naming them', async () => {
    const model = new Sequential([new Dense({ units: 3, inputShape: [4] })]);
    model.build();
    const state = decodeSafetensors(encodeTorch(model)['model.safetensors'], 'x');
    const w = state.tensors.get('dense_1.weight')!, b = state.tensors.get('dense_1.bias')!;
    const reject = (entries: { name: string; tensor: typeof w }[], re: RegExp) => assert.rejects(importTorchState(model, encodeSafetensors(entries)),
      (e: unknown) => e instanceof ModelFileError && e.code === 'E_INVALID' && re.test(e.message));
    await reject([{ name: 'dense_1.weight', tensor: w }, { name: 'fc.bias', tensor: b }], /missing dense_1\.bias; unexpected fc\.bias/);
    await reject([{ name: 'dense_1.weight', tensor: w.reshape([4, 3]) }, { name: 'dense_1.bias', tensor: b }], /'dense_1\.weight' is \[4, 3\] but Dense 'dense_1' needs \[3, 4\]/);
  });
});

describe('exportTorch with PyTorch (python3-torch)', { skip: pythonSkip('torch', 'python3-torch') }, () => {
  it('model.py predicts what nabla predicts; a state_dict PyTorch trained and saved loads back', async () => {
    const models = interopModels(), inputs = models.map(({ model }, i) => randomInput(model.inputShape!, 3, 700 + i));
    const dirs = await Promise.all(models.map(async ({ model }, i) => {
      const d = join(dir, `m${i}`);
      await exportTorch(model, d);
      writeFileSync(join(d, 'x.safetensors'), encodeSafetensors([{ name: 'x', tensor: inputs[i]! }]));
      return d;
    }));
    runPython([
      'import importlib.util, sys, os, torch',
      'torch.manual_seed(0)',
      'for i, d in enumerate(sys.argv[1:]):',
      "    spec = importlib.util.spec_from_file_location(f'nabla_model_{i}', os.path.join(d, 'model.py'))",
      '    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
      '    net = mod.load_model()',
      "    x = mod.load_safetensors(os.path.join(d, 'x.safetensors'))['x']",
      '    with torch.no_grad(): y = net(x)',
      '    # one training step: weights and BatchNorm running statistics move',
      '    net.train(); params = list(net.parameters()); loss = ((net(x) - torch.ones_like(y)) ** 2).mean()',
      '    if params and loss.requires_grad:',
      '        opt = torch.optim.SGD(params, lr=0.1); opt.zero_grad(); loss.backward(); opt.step()',
      '    net.eval()',
      '    with torch.no_grad(): y2 = net(x)',
      "    mod.save_safetensors({'y': y, 'y2': y2}, os.path.join(d, 'y.safetensors'))",
      "    mod.save_safetensors(net.state_dict(), os.path.join(d, 'trained.safetensors'))",
    ].join('\n'), dirs);
    for (const [i, { name, model }] of models.entries()) {
      const ys = decodeSafetensors(readFileSync(join(dirs[i]!, 'y.safetensors')), 'y').tensors;
      const want = model.predict(inputs[i]!).data;
      assert.ok(maxDiff(ys.get('y')!.data, want) <= 1e-5, `${name}: PyTorch differs from nabla by ${maxDiff(ys.get('y')!.data, want)}`);
      if (name === 'LeNet CNN' || name === 'MLP') assert.ok(maxDiff(ys.get('y2')!.data, ys.get('y')!.data) > 1e-4, `${name}: the training step changed nothing`);
      await importTorchState(model, join(dirs[i]!, 'trained.safetensors'));
      const d = maxDiff(model.predict(inputs[i]!).data, ys.get('y2')!.data);
      assert.ok(d <= 1e-5, `${name}: after PyTorch's training, nabla differs from PyTorch by ${d}`);
    }
  });
});
