// `nabla example char-rnn` / `nabla train --data shakespeare` shortened by NABLA_QUICK=1: a run
// directory that a wall-time budget interrupts, `nabla train --resume` finishes exactly as an
// uninterrupted run does, `nabla visualize RUN --text` draws its LSTM's gates with the run's
// vocabulary, and options that do not apply are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadVocabulary } from '../../src/data/text/vocabulary-file.js';
import { nabla, tmp } from './helpers.js';

const QUICK = { NABLA_QUICK: '1' };
const runFile = (dir: string): { finished: boolean; history: { label: string; valNats: number }[] } =>
  JSON.parse(readFileSync(join(dir, 'char-rnn.json'), 'utf8')) as { finished: boolean; history: { label: string; valNats: number }[] };

test('char-rnn (NABLA_QUICK=1): a budget stop saves a checkpoint; --resume finishes bit for bit as an uninterrupted run', async () => {
  const base = tmp('nabla-char-rnn-');
  const stopped = join(base, 'stopped'), whole = join(base, 'whole');
  const a = await nabla(['example', 'char-rnn', '--out', stopped, '--max-minutes', '0.00001'], QUICK);
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /Wall-time budget of 0.00001 min reached/);
  assert.match(a.stdout, /Resume with: nabla train --resume /);
  assert.match(a.stdout, /^Model: .*stopped[/\\]model$/m); // files by kind: the model folder and the samples are not plots
  assert.match(a.stdout, /^Text: .*samples\.txt$/m);
  assert.doesNotMatch(a.stdout, /^Plots:/m);
  assert.ok(existsSync(join(stopped, 'checkpoint', 'training.json')));
  assert.equal(runFile(stopped).finished, false);

  const b = await nabla(['train', '--resume', stopped, '--max-minutes', '30'], QUICK); // a budget for this session
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /Resuming .* at epoch 1\/2, batch 1/);
  assert.match(b.stdout, /epoch 2\/2: val \d\.\d{4} nats\/char = \d\.\d{4} bits\/char/);
  assert.match(b.stdout, /--- sample \(seed 1, temperature 0.8\) ---\nROMEO:\n/);
  assert.ok(!existsSync(join(stopped, 'checkpoint')), 'a finished run drops its checkpoint');
  const done = runFile(stopped);
  assert.equal(done.finished, true);
  assert.equal(loadVocabulary(join(stopped, 'model')).vocabularySize, 67); // 65 characters + padding + OOV

  const c = await nabla(['train', '--data', 'shakespeare', '--model', 'lstm', '--out', whole], QUICK);
  assert.equal(c.code, 0, c.stderr);
  const ref = runFile(whole);
  assert.equal(ref.history.at(-1)!.label, 'epoch 2/2');
  assert.equal(done.history.at(-1)!.valNats, ref.history.at(-1)!.valNats, 'the resumed run ends where the uninterrupted one does');
  assert.equal(readFileSync(join(stopped, 'model', 'weights.safetensors')).compare(readFileSync(join(whole, 'model', 'weights.safetensors'))), 0);

  const v = await nabla(['visualize', whole, '--text', 'ROMEO: ']); // the run's model/vocabulary.json encodes the text
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /gates i, f, c, o of .*: 32 units x 7 steps/);
  const wrote = /^Wrote (.*lstm-gates-.*\.png) /m.exec(v.stdout)?.[1];
  assert.ok(wrote !== undefined && wrote.startsWith(join(whole, 'visualize')), v.stdout);
  const png = PNG.sync.read(readFileSync(wrote));
  assert.ok(png.width > 7 * 14 && png.height > 4 * 32 * 4, `${png.width}x${png.height}`);
});

test('train --data shakespeare refuses options of other models; --max-minutes is for shakespeare only', async () => {
  const r = await nabla(['train', '--data', 'shakespeare', '--hidden', '8']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /option '--hidden' does not apply to --data shakespeare/);
  const m = await nabla(['train', '--data', 'iris', '--max-minutes', '1']);
  assert.notEqual(m.code, 0);
  assert.match(m.stderr, /option '--max-minutes' applies to --data shakespeare only/);
});
