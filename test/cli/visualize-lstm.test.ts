// nabla visualize on a model with an LSTM layer: the gates i, f, c, o over --text (with the run's
// vocabulary.json, as char-rnn saves it) or --sequence, as a PNG heat map. The gates are checked against the LSTM equations
// written out here; the models are built and saved here (no training needed).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { lstmGates, sequenceInput, textInput } from '../../src/cli/visualize/lstm-gates.js';
import { saveVocabulary } from '../../src/data/text/vocabulary-file.js';
import { TextVectorization } from '../../src/data/text/vocabulary.js';
import { Dense, Embedding, LSTM, Sequential, Tensor } from '../../src/index.js';
import { nabla, tmp } from './helpers.js';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

function numericModel(): Sequential {
  const m = new Sequential([new LSTM({ units: 3, returnSequences: true, inputShape: [6, 2] }), new Dense({ units: 1 })], { seed: 2 });
  m.build([6, 2]);
  return m;
}

describe('nabla visualize: LSTM gate heat maps', () => {
  it('the gates equal the LSTM equations step by step (i, f, c = tanh, o; h, c carried)', () => {
    const m = numericModel(), [W, U, b] = (m.layers[0] as LSTM).params().map((p) => p.value.data), u = 3;
    const x = [[0.5, -1], [1, 0.25], [-0.3, 0.8]];
    const g = lstmGates(m, new Tensor(Float32Array.from(x.flat()), [1, 3, 2]));
    assert.equal(g.steps, 3); assert.equal(g.units, 3);
    let h = [0, 0, 0], c = [0, 0, 0];
    x.forEach((xt, t) => {
      const z = (col: number): number => b![col]! + xt.reduce((s, v, f) => s + v * W![f * 4 * u + col]!, 0) + h.reduce((s, v, j) => s + v * U![j * 4 * u + col]!, 0);
      const gate = [0, 1, 2, 3].map((k) => Array.from({ length: u }, (_, j) => (k === 2 ? Math.tanh(z(k * u + j)) : sig(z(k * u + j)))));
      gate.forEach((vals, k) => vals.forEach((v, j) => assert.ok(Math.abs(g.values[(t * 4 + k) * u + j]! - v) < 1e-5, `t ${t} gate ${k} unit ${j}`)));
      c = c.map((cj, j) => gate[1]![j]! * cj + gate[0]![j]! * gate[2]![j]!);
      h = c.map((cj, j) => gate[3]![j]! * Math.tanh(cj));
    });
  });

  it('--text: the vocabulary (a TextVectorization) cuts and encodes the text; unknown characters are the OOV id 1', () => {
    const chars = new TextVectorization({ split: 'character', standardize: null, vocabulary: ['a', 'b', ' '] }); // ids: '' 0, [UNK] 1, a 2, b 3, ' ' 4
    const m = new Sequential([new Embedding({ inputDim: 5, outputDim: 2, inputLength: 5 }), new LSTM({ units: 2 })]);
    const inp = textInput(m, 'ab ba', chars);
    assert.deepEqual(Array.from(inp.x.data), [2, 3, 4, 3, 2]);
    assert.deepEqual(inp.labels, ['a', 'b', ' ', 'b', 'a']);
    assert.deepEqual(inp.unknown, []);
    const odd = textInput(m, 'abcc', chars);
    assert.deepEqual(Array.from(odd.x.data), [2, 3, 1, 1, 0]); // padded to the model's 5 steps
    assert.deepEqual(odd.unknown, ['c']);
    const oneHot = new Sequential([new LSTM({ units: 2, inputShape: [3, 5] })]);
    const hot = textInput(oneHot, 'ba', chars); // one-hot rows of the 5 ids, padded to the model's 3 steps
    assert.deepEqual(Array.from(hot.x.data), [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(hot.labels, ['b', 'a']);
    assert.throws(() => textInput(m, 'abababa', chars), /7 steps, but the model takes sequences of 5/);
    const words = new TextVectorization({ vocabulary: ['to', 'be'] }); // lowercased, punctuation stripped, split at spaces
    const w = textInput(new Sequential([new Embedding({ inputDim: 4, outputDim: 2 }), new LSTM({ units: 2 })]), 'To be, or', words);
    assert.deepEqual(Array.from(w.x.data), [2, 3, 1]);
    assert.match(w.description, /^3 words/);
  });

  it('--sequence: numbers, or a CSV file with a header; a width the model does not take is refused', () => {
    const m = numericModel(), dir = tmp('nabla-seq-');
    writeFileSync(join(dir, 's.csv'), 'value,marker\n0.5,0\n0.25,1\n');
    const seq = sequenceInput(m, join(dir, 's.csv'));
    assert.deepEqual(seq.x.shape, [1, 6, 2]);
    assert.deepEqual(Array.from(seq.x.data).slice(0, 4), [0.5, 0, 0.25, 1]);
    assert.deepEqual(seq.labels, ['0', '1']);
    assert.throws(() => sequenceInput(m, '0.1,0.2,0.3'), /1 value per step, but the model takes inputs \[6, 2\]/);
    writeFileSync(join(dir, 'x.csv'), '0.5,0\n0.25,zz\n');
    assert.throws(() => sequenceInput(m, join(dir, 'x.csv')), /line 2 is not a number/);
  });

  it('the command: a char model with vocabulary.json draws lstm-gates-<layer>.png; no input is a usage error', async () => {
    const dir = tmp('nabla-viz-lstm-'), modelDir = join(dir, 'model');
    const vocab = ['', '[UNK]', ...'abcdefghijklmnopqrstuvwxyz ,.'];
    const m = new Sequential([new Embedding({ inputDim: vocab.length, outputDim: 8, inputLength: 40 }), new LSTM({ units: 16, returnSequences: true, name: 'lstm' }),
      new Dense({ units: vocab.length, activation: 'softmax' })], { seed: 1 });
    m.build([40]);
    await m.save(modelDir);
    saveVocabulary(modelDir, new TextVectorization({ split: 'character', standardize: null, vocabulary: vocab.slice(2) }));
    const r = await nabla(['visualize', modelDir, '--text', 'to be, or not to be.', '--out', join(dir, 'pics')]);
    assert.equal(r.code, 0, r.stderr);
    const png = join(dir, 'pics', 'lstm-gates-lstm.png');
    assert.ok(existsSync(png));
    const img = PNG.sync.read(readFileSync(png));
    assert.ok(img.width > 20 * 14 && img.height > 4 * 16 * 4, `${img.width}x${img.height}`);
    assert.match(r.stdout, /16 units x 20 steps/);
    const none = await nabla(['visualize', modelDir]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /pass the input sequence with --text/);
    writeFileSync(join(modelDir, 'vocabulary.json'), '{"format": "nabla-vocabulary", "version": 1, "config": '); // damaged: the reader's one-line error
    const bad = await nabla(['visualize', modelDir, '--text', 'to be']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /vocabulary\.json.*is not valid JSON/);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  });
});
