// The text pipeline: TextVectorization (Keras ids), its vocabulary file (round trip and hostile
// files), sliding windows, seeded sampling with temperature and top-k, stateful generation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError } from '../../src/data/files.js';
import { argmax, loadVocabulary, sampleIndex, saveVocabulary, slidingWindows, TextVectorization, loadTinyShakespeare, splitText } from '../../src/data/text/index.js';
import { Rng } from '../../src/tensor/rng.js';
import { Sequential } from '../../src/models/sequential.js';
import { Embedding } from '../../src/nn/layers/embedding.js';
import { LSTM } from '../../src/nn/layers/lstm.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { generateText, statefulTwin } from '../../src/models/text-generation.js';
import { ready } from '../../src/kernels/index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'nabla-text-'));

test('characters: padding 0, OOV 1, then by decreasing count (ties in code-point order); encode/decode round trip', () => {
  const v = new TextVectorization({ standardize: null, split: 'character' }).adapt(['abracadabra']);
  // a x5, b x2, r x2, c x1, d x1 (counted by hand)
  assert.deepEqual(v.getVocabulary(), ['', '[UNK]', 'a', 'b', 'r', 'c', 'd']);
  assert.deepEqual(Array.from(v.encode('bad!')), [3, 2, 6, 1]);
  assert.equal(v.decode([3, 2, 6, 0, 0]), 'bad');
  assert.equal(v.decode([1]), '[UNK]');
  assert.throws(() => v.decode([7]), /id 7 at 0 is not in \[0, 7\)/);
});

test('words: Keras standardize and split, maxTokens counts padding and OOV, outputSequenceLength pads', () => {
  const v = new TextVectorization({ maxTokens: 4, outputSequenceLength: 5 }).adapt(['The cat, the hat.', 'A CAT!']);
  // lower + strip punctuation: the x2, cat x2, hat x1, a x1 -> keeps 2 tokens
  assert.deepEqual(v.getVocabulary(), ['', '[UNK]', 'cat', 'the']);
  assert.deepEqual(Array.from(v.encode('the hat  cat')), [3, 1, 2, 0, 0]);
  assert.equal(v.decode([3, 2, 0]), 'the cat');
  assert.throws(() => new TextVectorization({ maxTokens: 1 }), /maxTokens must be an integer >= 2/);
  assert.throws(() => new TextVectorization({ split: 'bytes' as never }), /split must be/);
});

test('vocabulary file: save and load keep settings and ids', () => {
  const dir = tmp();
  const v = new TextVectorization({ standardize: 'lower', split: 'whitespace', maxTokens: 50 }).adapt(['Hello world hello', 'ünï cödé']);
  saveVocabulary(dir, v);
  const w = loadVocabulary(dir);
  assert.deepEqual(w.getVocabulary(), v.getVocabulary());
  assert.deepEqual(w.getConfig(), v.getConfig());
  assert.deepEqual(Array.from(w.encode('HELLO cödé x')), Array.from(v.encode('HELLO cödé x')));
});

test('vocabulary file: hostile files fail with one-line errors and codes, never quoting the file', () => {
  const dir = tmp();
  const write = (name: string, body: string | Buffer): string => { const p = join(dir, name); writeFileSync(p, body); return p; };
  const ok = { format: 'nabla-vocabulary', version: 1, config: { maxTokens: null, standardize: null, split: 'character', outputMode: 'int', outputSequenceLength: null, vocabulary: ['a', 'b'] } };
  const cases: [string, string | Buffer, string, RegExp][] = [
    ['bin.json', Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'E_CORRUPT', /not valid UTF-8/],
    ['trunc.json', '{"format": "nabla-vocabulary", "secret-content', 'E_CORRUPT', /not valid JSON$/],
    ['other.json', JSON.stringify({ format: 'x' }), 'E_UNSUPPORTED', /not a nabla vocabulary file/],
    ['v2.json', JSON.stringify({ ...ok, version: 2 }), 'E_UNSUPPORTED', /unsupported version/],
    ['dup.json', JSON.stringify({ ...ok, config: { ...ok.config, vocabulary: ['a', 'a'] } }), 'E_INVALID', /vocabulary\[1\] repeats/],
    ['num.json', JSON.stringify({ ...ok, config: { ...ok.config, vocabulary: ['a', 3] } }), 'E_INVALID', /vocabulary\[1\] must be a non-empty string/],
    ['unk.json', JSON.stringify({ ...ok, config: { ...ok.config, vocabulary: ['[UNK]'] } }), 'E_INVALID', /vocabulary\[0\]/],
    ['long.json', JSON.stringify({ ...ok, config: { ...ok.config, vocabulary: ['x'.repeat(2000)] } }), 'E_INVALID', /longer than 1024/],
    ['split.json', JSON.stringify({ ...ok, config: { ...ok.config, split: 'secret' } }), 'E_INVALID', /config\.split must be/],
    ['max.json', JSON.stringify({ ...ok, config: { ...ok.config, maxTokens: 3 } }), 'E_INVALID', /more tokens than maxTokens/],
    ['deep.json', '['.repeat(100000) + ']'.repeat(100000), 'E_UNSUPPORTED', /not a nabla vocabulary file/],
  ];
  for (const [name, body, code, message] of cases) {
    const path = write(name, body);
    assert.throws(() => loadVocabulary(path), (e: unknown) => {
      assert.ok(e instanceof DataFileError, name);
      assert.equal((e as DataFileError).code, code, name);
      assert.match((e as Error).message, message, name);
      assert.ok((e as Error).message.includes(path), name);
      assert.ok(!(e as Error).message.includes('secret'), `${name} does not echo the file`);
      assert.ok(!(e as Error).message.includes('\n'), name);
      return true;
    });
  }
  assert.throws(() => loadVocabulary(join(dir, 'missing')), (e: unknown) => (e as DataFileError).code === 'E_NOT_FOUND');
  mkdirSync(join(dir, 'folder.json'));
  assert.throws(() => loadVocabulary(join(dir, 'folder.json')), (e: unknown) => (e as DataFileError).code === 'E_NOT_REGULAR_FILE');
  const big = write('big.json', JSON.stringify(ok) + ' '.repeat(2000));
  assert.throws(() => loadVocabulary(big, { limits: { maxFileBytes: { json: 1000 } } }), (e: unknown) => (e as DataFileError).code === 'E_TOO_LARGE');
});

test('sliding windows: shapes, next-token targets, stride, limit, seeded shuffle', () => {
  const ids = Array.from({ length: 23 }, (_, i) => i);
  const { x, y } = slidingWindows(ids, { sequenceLength: 5 });
  assert.deepEqual(x.shape, [4, 5]); // starts 0, 5, 10, 15 (targets need index start + 5 <= 22)
  assert.deepEqual(Array.from(x.data.subarray(15, 20)), [15, 16, 17, 18, 19]);
  assert.deepEqual(Array.from(y.data.subarray(15, 20)), [16, 17, 18, 19, 20]);
  const s = slidingWindows(ids, { sequenceLength: 5, stride: 2 });
  assert.deepEqual(s.x.shape, [9, 5]); // starts 0, 2, ..., 16
  const a = slidingWindows(ids, { sequenceLength: 5, stride: 2, shuffleSeed: 3, limit: 4 });
  const b = slidingWindows(ids, { sequenceLength: 5, stride: 2, shuffleSeed: 3, limit: 4 });
  assert.deepEqual(a.x.shape, [4, 5]);
  assert.deepEqual(Array.from(a.x.data), Array.from(b.x.data));
  for (let i = 0; i < 4; i++) assert.equal(a.y.data[i * 5]! - a.x.data[i * 5]!, 1);
  assert.throws(() => slidingWindows([1, 2, 3], { sequenceLength: 5 }), /hold no window/);
});

test('sampling: top-k 1 and temperature 0 are argmax; same seed, same draws; top-k never leaves the k best', () => {
  const p = [0.1, 0.05, 0.5, 0.3, 0.05];
  assert.equal(argmax(p), 2);
  const rng = new Rng(1);
  for (let i = 0; i < 20; i++) {
    assert.equal(sampleIndex(p, rng, { topK: 1 }), 2);
    assert.equal(sampleIndex(p, rng, { temperature: 0 }), 2);
  }
  const draws = (seed: number, o = {}): number[] => { const r = new Rng(seed); return Array.from({ length: 200 }, () => sampleIndex(p, r, o)); };
  assert.deepEqual(draws(7), draws(7));
  assert.ok(draws(7, { topK: 2 }).every((i) => i === 2 || i === 3));
  // A low temperature concentrates the draws on the argmax; a high one spreads them.
  const share = (d: number[]): number => d.filter((i) => i === 2).length / d.length;
  assert.ok(share(draws(5, { temperature: 0.05 })) > 0.99);
  assert.ok(share(draws(5, { temperature: 5 })) < 0.4);
  assert.throws(() => sampleIndex(p, rng, { topK: 0 }), /topK must be a positive integer/);
  assert.throws(() => sampleIndex([0.5, -1], rng), /not a probability/);
});

test('stateful generation: one step at a time equals the full-sequence model; same seed, same text', async () => {
  await ready();
  const v = new TextVectorization({ standardize: null, split: 'character' }).adapt('hello world');
  const V = v.vocabularySize, T = 6;
  const m = new Sequential([new Embedding({ inputDim: V, outputDim: 4, inputLength: T }), new LSTM({ units: 8, returnSequences: true }), new Dense({ units: V, activation: 'softmax' })], { seed: 3 });
  m.build([T]);
  const ids = v.encode('hello ');
  const full = m.predict(new Tensor(Float32Array.from(ids), [1, T])).data;
  const twin = statefulTwin(m);
  for (let t = 0; t < T; t++) {
    const step = twin.predict(new Tensor(Float32Array.from([ids[t]!]), [1, 1])).data;
    for (let j = 0; j < V; j++) assert.ok(Math.abs(step[j]! - full[t * V + j]!) < 1e-5, `step ${t}, id ${j}`);
  }
  const a = generateText(twin, v, { length: 30, seed: 4, prime: 'he' });
  const b = generateText(twin, v, { length: 30, seed: 4, prime: 'he' });
  assert.equal(a.length, 30);
  assert.equal(a, b);
  assert.ok(!a.includes('[UNK]'));
});

test('Tiny Shakespeare: the embedded copy passes its checksum; 65 characters; split 90/10 by position', () => {
  const text = loadTinyShakespeare();
  assert.equal(text.length, 1_115_394);
  assert.ok(text.startsWith('First Citizen:\nBefore we proceed any further, hear me speak.'));
  assert.equal(new Set(text).size, 65);
  const { train, validation } = splitText(text);
  assert.equal(train.length, 1_003_854);
  assert.equal(train + validation, text);
});
