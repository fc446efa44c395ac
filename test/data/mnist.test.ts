import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist, loadFashionMnist, loadIdxImageDataset, encodeIdx, embeddedPath, sha256Hex } from '../../src/data/index.js';
import type { ImageDataset } from '../../src/data/index.js';
import { SHARED, needsShared, re, tempDir } from './helpers.js';

const MNIST_FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];

function counts(labels: Float32Array | Float64Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const v of labels) c[v]!++;
  return c;
}

let shared: ImageDataset | undefined;
const sharedMnist = () => (shared ??= loadMnist(join(SHARED, 'mnist')));

test('the embedded MNIST: sizes, first labels, pixel range, published label counts', () => {
  const m = loadMnist();
  assert.deepEqual(m.train.images.shape, [60000, 28, 28, 1]);
  assert.deepEqual(m.train.labels.shape, [60000]);
  assert.deepEqual(m.test.images.shape, [10000, 28, 28, 1]);
  assert.deepEqual(m.test.labels.shape, [10000]);
  assert.equal(m.train.images.dtype, 'float32');
  assert.deepEqual(Array.from(m.train.labels.data.subarray(0, 5)), [5, 0, 4, 1, 9]);
  assert.deepEqual(Array.from(m.test.labels.data.subarray(0, 5)), [7, 2, 1, 0, 4]);
  let lo = Infinity, hi = -Infinity;
  for (const v of m.train.images.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  // data/mnist/README.md (checked against the published counts).
  assert.deepEqual(counts(m.train.labels.data, 10), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual(counts(m.test.labels.data, 10), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  assert.deepEqual(m.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  // The first training image (a 5): pixel (row 14, col 14) is ink; the corner is background.
  const img0 = m.train.images.data;
  assert.equal(img0[0], 0);
  assert.ok(img0[14 * 28 + 14]! > 0.5, `pixel (14,14) of image 0 is ${img0[14 * 28 + 14]}`);
});

test('the embedded MNIST equals ../shared/data/mnist, byte for byte and decoded', { skip: needsShared('mnist') }, () => {
  for (const f of MNIST_FILES)
    assert.equal(sha256Hex(readFileSync(embeddedPath('mnist', f))), sha256Hex(readFileSync(join(SHARED, 'mnist', f))), f);
  const t0 = performance.now();
  const e = loadMnist();
  const ms = performance.now() - t0;
  assert.ok(ms < 10000, `loadMnist() took ${ms.toFixed(0)} ms`);
  const s = sharedMnist();
  assert.deepEqual(e.train.images.shape, s.train.images.shape);
  assert.ok(Buffer.from(e.train.images.data.buffer).equals(Buffer.from(s.train.images.data.buffer)), 'train images differ');
  assert.ok(Buffer.from(e.test.labels.data.buffer).equals(Buffer.from(s.test.labels.data.buffer)), 'test labels differ');
});

test('Fashion-MNIST from ../shared/data: 6000 / 1000 per class', { skip: needsShared('fashion-mnist') }, () => {
  const f = loadFashionMnist(join(SHARED, 'fashion-mnist'));
  assert.deepEqual(f.train.images.shape, [60000, 28, 28, 1]);
  assert.deepEqual(counts(f.train.labels.data, 10), new Array(10).fill(6000));
  assert.deepEqual(counts(f.test.labels.data, 10), new Array(10).fill(1000));
  assert.equal(f.classNames[9], 'Ankle boot');
  // without a folder it reads the fetched copy: test/data/fetch.test.ts
});

/** Writes a tiny data set in MNIST's layout: n images of 2x3 pixels and their labels. */
function writeTiny(dir: string, nTrain: number, nTest: number, gz: boolean): void {
  const put = (name: string, bytes: Uint8Array) => writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  for (const [prefix, n] of [['train', nTrain], ['t10k', nTest]] as const) {
    put(`${prefix}-images-idx3-ubyte`, encodeIdx({ dtype: 'uint8', shape: [n, 2, 3], data: new Uint8Array(n * 6).map((_, i) => (i * 51) % 256) }));
    put(`${prefix}-labels-idx1-ubyte`, encodeIdx({ dtype: 'uint8', shape: [n], data: new Uint8Array(n).map((_, i) => i % 10) }));
  }
}

test('loadMnist(dir) reads raw or gzip files of any image size, pixels / 255', () => {
  for (const gz of [false, true]) {
    const dir = tempDir();
    writeTiny(dir, 4, 2, gz);
    const d = loadMnist(dir);
    assert.deepEqual(d.train.images.shape, [4, 2, 3, 1]);
    assert.deepEqual(Array.from(d.train.labels.data), [0, 1, 2, 3]);
    assert.equal(d.train.images.data[1], Math.fround(51 / 255));
    assert.equal(d.train.images.data[5], 1);
  }
});

test('a data set folder with a wrong file is refused naming that file', () => {
  const dir = tempDir();
  writeTiny(dir, 4, 2, true);
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ dtype: 'uint8', shape: [3], data: new Uint8Array(3) })));
  const labels = join(dir, 't10k-labels-idx1-ubyte.gz');
  assert.throws(() => loadMnist(dir), new RegExp(`${re(labels)}: has 3 labels but .*t10k-images-idx3-ubyte.gz has 2 images`));
  writeFileSync(labels, gzipSync(encodeIdx({ dtype: 'int32', shape: [2], data: new Int32Array(2) })));
  assert.throws(() => loadMnist(dir), new RegExp(`${re(labels)}: expected labels as ubyte \\[n\\]`));
  writeFileSync(labels, gzipSync(encodeIdx({ dtype: 'uint8', shape: [2], data: new Uint8Array(2) })).subarray(0, 20));
  assert.throws(() => loadMnist(dir), new RegExp(`${re(labels)}: truncated gzip data`));
});

test('a MNIST folder with a SHA256SUMS is verified: checksum mismatch names the file', () => {
  const dir = tempDir();
  writeTiny(dir, 4, 2, true);
  const sums = MNIST_FILES.map((f) => `${sha256Hex(readFileSync(join(dir, f)))}  ${f}`);
  sums[0] = `${'0'.repeat(64)}  ${MNIST_FILES[0]}`;
  writeFileSync(join(dir, 'SHA256SUMS'), sums.join('\n') + '\n');
  assert.throws(() => loadMnist(dir), new RegExp(`${re(join(dir, MNIST_FILES[0]!))}: checksum mismatch: SHA-256 is [0-9a-f]{64} but .*SHA256SUMS says 0{64}`));
});

test("checksum: 'required' (the embedded copy's policy) refuses files no SHA256SUMS lists", () => {
  const dir = tempDir();
  writeTiny(dir, 4, 2, true);
  assert.throws(() => loadIdxImageDataset(dir, { checksum: 'required' }), /train-images-idx3-ubyte\.gz: no checksum to verify it against: .*SHA256SUMS is missing/);
  assert.equal(loadIdxImageDataset(dir).train.labels.shape[0], 4);
});

test('a folder without the files says which names it looked for', () => {
  const dir = tempDir();
  assert.throws(() => loadIdxImageDataset(dir), new RegExp(`${re(dir)}: no training images file \\(looked for train-images-idx3-ubyte.gz, train-images-idx3-ubyte, train-images.idx3-ubyte.gz`));
  assert.throws(() => loadMnist(join(dir, 'missing')), /missing: folder not found/);
});
