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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decodeSafetensors, Embedding, GRU, LSTM, Masking, Sequential } from '../../src/index.js';
import { encodeTorch } from '../../src/interop/torch-export.js';
import { assertPyTorchAgrees, torchStateRoundTrip, trainInPyTorch } from './engines.js';
import { pythonSkip } from './helpers.js';
import { caseInput, recurrentModels } from './recurrent-models.js';

const cases = recurrentModels().filter((c) => c.torch);
const dir = mkdtempSync(join(tmpdir(), 'nabla-torch-rnn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('importTorchState (sequence layers) without PyTorch', () => {
  it('nabla -> state_dict -> nabla gives the same predictions for every sequence model', async () => {
    for (const [i, c] of cases.entries()) assert.equal(await torchStateRoundTrip(c.model, caseInput(c, 2, 40 + i)), 0, c.name);
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
    const runs = await trainInPyTorch(cases.map((c) => c.model), inputs, dir, 'm', 0.5);
    for (const [i, c] of cases.entries()) {
      const trained = decodeSafetensors(readFileSync(runs[i]!.trained), 't').tensors;
      if (c.name === 'LSTM, last step') assert.ok([...trained.get('lstm_1.bias_hh_l0')!.data].some((v) => v !== 0), 'bias_hh moved');
      await assertPyTorchAgrees(c.name, c.model, inputs[i]!, runs[i]!, 1e-5);
    }
  });
});
