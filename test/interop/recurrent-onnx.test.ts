/**
 * exportOnnx for the sequence layers (SimpleRNN, LSTM, GRU, Bidirectional, Embedding,
 * TimeDistributed, Dense on sequences) against ONNX Runtime (onnxruntime-node, CPU) and the ONNX
 * checker (Debian's python3-onnx; skipped with a message where absent): on seeded random inputs the
 * runtime gives nabla's predictions to 1e-5 at opsets 13 and 17; masks and activations the ONNX
 * recurrent ops lack are refused, naming the layer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Embedding, exportOnnx, LSTM, Masking, Sequential, SimpleRNN } from '../../src/index.js';
import { assertOnnxRuntimeAgrees, checkOnnxFiles } from './engines.js';
import { pythonSkip } from './helpers.js';
import { caseInput, recurrentModels } from './recurrent-models.js';

const cases = recurrentModels();
const dir = mkdtempSync(join(tmpdir(), 'nabla-onnx-rnn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('exportOnnx (sequence layers): ONNX Runtime gives nabla\'s predictions (1e-5)', () => {
  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      await assertOnnxRuntimeAgrees(c.model, caseInput(c, 3, 600 + i));
    });
  }

  it('refuses Masking, an Embedding mask feeding a recurrent layer, and a recurrent activation ONNX lacks, naming the layer', () => {
    const masking = new Sequential([new Masking({ inputShape: [4, 2] }), new LSTM({ units: 2 })]);
    assert.throws(() => exportOnnx(masking), /exportOnnx: Masking 'masking_1' has no ONNX form/);
    const masked = new Sequential([new Embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputLength: 4 }), new LSTM({ units: 2 })]);
    assert.throws(() => exportOnnx(masked), /Embedding 'embedding_1' has maskZero/);
    const swish = new Sequential([new SimpleRNN({ units: 2, activation: 'swish', inputShape: [4, 2] })]);
    assert.throws(() => exportOnnx(swish), /SimpleRNN 'simple_rnn_1': activation 'swish' has no ONNX RNN form/);
  });
});

describe('exportOnnx (sequence layers): the ONNX checker (python3-onnx)', { skip: pythonSkip('onnx', 'python3-onnx') }, () => {
  it('accepts every sequence model at opsets 13 and 17 (full_check, with shape inference)', () => {
    const { files, out } = checkOnnxFiles(cases.map((c) => c.model), dir, 'r');
    assert.equal(out.trim().split('\n').length, files.length);
    assert.ok(/LSTM/.test(out) && /GRU/.test(out) && /RNN/.test(out));
  });
});
