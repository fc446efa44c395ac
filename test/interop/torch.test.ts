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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Dense, decodeSafetensors, encodeSafetensors, importTorchState, ModelFileError, Sequential } from '../../src/index.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { assertPyTorchAgrees, torchStateRoundTrip, trainInPyTorch } from './engines.js';
import { interopModels, pythonSkip, randomInput, randomizeWeights } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-torch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('importTorchState without PyTorch', () => {
  it('nabla -> state_dict -> nabla keeps the predictions of every model, a square Dense kernel included', async () => {
    const square = new Sequential([new Dense({ units: 4, activation: 'tanh', inputShape: [4] }), new Dense({ units: 4 })], { seed: 3 });
    square.build(); randomizeWeights(square, 4);
    for (const { name, model } of [...interopModels(), { name: 'square', model: square }]) {
      assert.equal(await torchStateRoundTrip(model, randomInput(model.inputShape!, 2, 5)), 0, name);
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
    const runs = await trainInPyTorch(models.map(({ model }) => model), inputs, dir, 'm', 0.1);
    for (const [i, { name, model }] of models.entries()) {
      await assertPyTorchAgrees(name, model, inputs[i]!, runs[i]!, name === 'LeNet CNN' || name === 'MLP' ? 1e-4 : undefined);
    }
  });
});
