import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, parseIdx, readIdx, readDataFile, sha256Hex, DataFileError } from '../../src/data/index.js';
import type { IdxArray } from '../../src/data/index.js';
import { re, tempDir } from './helpers.js';

test('encodeIdx / parseIdx round-trip every IDX type, big-endian', () => {
  const cases: IdxArray[] = [
    { dtype: 'uint8', shape: [2, 3], data: Uint8Array.from([0, 1, 2, 253, 254, 255]) },
    { dtype: 'int8', shape: [4], data: Int8Array.from([-128, -1, 0, 127]) },
    { dtype: 'int16', shape: [3], data: Int16Array.from([-32768, 258, 32767]) },
    { dtype: 'int32', shape: [1, 2], data: Int32Array.from([-2147483648, 16909060]) },
    { dtype: 'float32', shape: [2], data: Float32Array.from([1.5, -0.25]) },
    { dtype: 'float64', shape: [2, 1, 1], data: Float64Array.from([Math.PI, -1e300]) },
  ];
  for (const c of cases) {
    const bytes = encodeIdx(c);
    const back = parseIdx(bytes, 'x');
    assert.equal(back.dtype, c.dtype);
    assert.deepEqual(back.shape, c.shape);
    assert.deepEqual(Array.from(back.data), Array.from(c.data));
  }
  // Big-endian on disk: int16 258 is bytes 01 02; the dimension 3 is 00 00 00 03.
  const b = encodeIdx({ dtype: 'int16', shape: [1], data: Int16Array.from([258]) });
  assert.deepEqual(Array.from(b), [0, 0, 0x0b, 1, 0, 0, 0, 1, 1, 2]);
});

test('readIdx reads gzip and raw files alike', () => {
  const dir = tempDir();
  const arr: IdxArray = { dtype: 'uint8', shape: [2, 2, 2], data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
  writeFileSync(join(dir, 'a'), encodeIdx(arr));
  writeFileSync(join(dir, 'a.gz'), gzipSync(encodeIdx(arr)));
  assert.deepEqual(Array.from(readIdx(join(dir, 'a')).data), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(readIdx(join(dir, 'a.gz')).shape, [2, 2, 2]);
});

test('a wrong magic number is refused with the path', () => {
  const dir = tempDir(), p = join(dir, 'bad-magic');
  const bytes = encodeIdx({ dtype: 'uint8', shape: [2], data: Uint8Array.from([1, 2]) });
  bytes[0] = 0x12;
  writeFileSync(p, bytes);
  assert.throws(() => readIdx(p), new RegExp(`^DataFileError: ${re(p)}: wrong magic number 0x12000801`));
  const t = encodeIdx({ dtype: 'uint8', shape: [2], data: Uint8Array.from([1, 2]) });
  t[2] = 0x07;
  assert.throws(() => parseIdx(t, 'f.idx'), /f\.idx: wrong magic number 0x00000701: unknown IDX data type 0x07/);
});

test('a truncated file is refused: header length and data length', () => {
  const dir = tempDir(), p = join(dir, 'train-images-idx3-ubyte');
  const full = encodeIdx({ dtype: 'uint8', shape: [3, 2, 2], data: new Uint8Array(12) });
  writeFileSync(p, full.subarray(0, full.length - 5));
  assert.throws(() => readIdx(p), new RegExp(`${re(p)}: length mismatch: header says 12 bytes of data \\(3x2x2 uint8\\), file has 7 \\(truncated\\)`));
  writeFileSync(p, full.subarray(0, 9));
  assert.throws(() => readIdx(p), new RegExp(`${re(p)}: truncated header: 3 dimensions need 16 header bytes, file has 9`));
  const longer = new Uint8Array(full.length + 1); longer.set(full);
  assert.throws(() => parseIdx(longer, 'L'), /L: length mismatch: header says 12 bytes of data .*file has 13 \(trailing bytes\)/);
  assert.throws(() => parseIdx(new Uint8Array(2), 'tiny'), /tiny: too short for an IDX file: 2 bytes/);
  const f64 = encodeIdx({ dtype: 'float64', shape: [2], data: Float64Array.from([1, 2]) });
  assert.throws(() => parseIdx(f64.subarray(0, f64.length - 1), 'd'), /d: length mismatch: header says 16 bytes of data \(2 float64\), file has 15/);
});

test('truncated and corrupt gzip files are refused with the path', () => {
  const dir = tempDir();
  const gz = gzipSync(encodeIdx({ dtype: 'uint8', shape: [1000], data: new Uint8Array(1000).map((_, i) => (i * 7) % 256) }));
  const cut = join(dir, 'cut.gz');
  writeFileSync(cut, gz.subarray(0, gz.length - 10));
  assert.throws(() => readIdx(cut), (e: unknown) => e instanceof DataFileError && e.path === cut && /truncated gzip data/.test(e.message));
  const bad = join(dir, 'bad.gz'), flipped = Buffer.from(gz);
  flipped[gz.length - 6]! ^= 0xff; // inside the CRC32 trailer
  writeFileSync(bad, flipped);
  assert.throws(() => readIdx(bad), new RegExp(`${re(bad)}: corrupt gzip data`));
  const hdr = join(dir, 'hdr.gz'), h = Buffer.from(gz);
  h[3] = 0xe0; // reserved flag bits set: not a valid gzip header
  writeFileSync(hdr, h);
  assert.throws(() => readIdx(hdr), new RegExp(`${re(hdr)}: corrupt gzip data \\(unknown header flags set\\)`));
});

test('a SHA256SUMS beside a file is enforced: checksum mismatch names the path', () => {
  const dir = tempDir(), p = join(dir, 'x-idx1-ubyte');
  const bytes = encodeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.from([7, 8, 9]) });
  writeFileSync(p, bytes);
  writeFileSync(join(dir, 'SHA256SUMS'), `${sha256Hex(bytes)}  x-idx1-ubyte\n`);
  assert.deepEqual(Array.from(readIdx(p).data), [7, 8, 9]);
  bytes[10] = 6; // header is 8 bytes: the third value
  writeFileSync(p, bytes);
  assert.throws(() => readIdx(p), new RegExp(`^DataFileError: ${re(p)}: checksum mismatch`));
  assert.deepEqual(Array.from(readIdx(p, { checksum: 'skip' }).data), [7, 8, 6]);
  // 'required' refuses a file the sums do not list.
  writeFileSync(join(dir, 'other'), bytes);
  assert.throws(() => readDataFile(join(dir, 'other'), { checksum: 'required' }), /other: no checksum to verify it against: .*SHA256SUMS does not list other/);
  assert.equal(readDataFile(join(dir, 'other')).length, bytes.length);
});

test('a missing file is refused with its path', () => {
  const dir = tempDir(), p = join(dir, 'nope.gz');
  assert.throws(() => readIdx(p), new RegExp(`${re(p)}: file not found`));
  assert.throws(() => readIdx(dir), /is a folder, expected a file/);
});
