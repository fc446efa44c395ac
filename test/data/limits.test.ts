// Limits on untrusted data files (src/limits.ts, src/data/read-bounded.ts): each hostile input is
// refused with a DataFileError that names the file, carries a stable code and, for a limit, names
// the limit; before the reader allocates what the file claims.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { readCsv } from '../../src/data/csv.js';
import { DataFileError } from '../../src/data/files.js';
import { encodeIdx, parseIdx, readIdx } from '../../src/data/idx.js';
import { readImage } from '../../src/data/image.js';
import { loadIdxImageDataset } from '../../src/data/mnist.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Asserts `f` throws a DataFileError with `code` whose one-line message matches `pattern`. */
function refuses(f: () => unknown, code: string, pattern: RegExp): DataFileError {
  let err: unknown;
  try { f(); } catch (e) { err = e; }
  assert.ok(err instanceof DataFileError, `expected a DataFileError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, pattern);
  assert.ok(!err.message.includes('\n'), 'one line');
  return err;
}

/** An IDX header (magic, then big-endian dimensions) with no data. */
function idxHeader(type: number, dims: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length);
  out[2] = type; out[3] = dims.length;
  dims.forEach((d, i) => new DataView(out.buffer).setUint32(4 + 4 * i, d, false));
  return out;
}

/**
 * A gzip bomb of `mib` MiB of zeros after `prefix`, made fast: gzip members may be concatenated
 * (RFC 1952, 2.2), so one compressed MiB of zeros (about 1 KB) is repeated.
 */
function gzipBomb(prefix: Uint8Array, mib: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(1024 * 1024));
  return Buffer.concat([gzipSync(prefix), ...Array.from({ length: mib }, () => zeros)]);
}

describe('IDX limits', () => {
  it('a header that claims 2^31 images is refused as E_TOO_LARGE naming LIMITS.maxIdxItems, before allocating', () => {
    const path = join(dir, 'huge-idx3-ubyte');
    writeFileSync(path, idxHeader(0x08, [2 ** 31, 28, 28]));
    refuses(() => readIdx(path), 'E_TOO_LARGE', /huge-idx3-ubyte: header declares 2147483648 items, which exceeds LIMITS\.maxIdxItems \(10000000\)/);
  });

  it('a header that claims more data than the file holds is E_CORRUPT; raising maxIdxItems does not change that', () => {
    const bytes = idxHeader(0x0d, [2 ** 31, 1]);
    refuses(() => parseIdx(bytes, 'f', { maxIdxItems: 2 ** 32 }), 'E_CORRUPT', /^f: length mismatch: header says 8589934592 bytes/);
  });

  it('a 1 GiB gzip bomb named as an MNIST file fails at once (output bounded by the IDX header)', () => {
    const mnist = join(dir, 'bomb-mnist');
    mkdirSync(mnist);
    const bomb = gzipBomb(idxHeader(0x08, [10, 28, 28]), 1024);
    assert.ok(bomb.length < 2 * 1024 * 1024, `the bomb is small on disk (${bomb.length} bytes)`);
    writeFileSync(join(mnist, 'train-images-idx3-ubyte.gz'), bomb);
    writeFileSync(join(mnist, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx({ dtype: 'uint8', shape: [10], data: new Uint8Array(10) })));
    const before = process.memoryUsage().arrayBuffers;
    refuses(() => loadIdxImageDataset(mnist), 'E_CORRUPT', /train-images-idx3-ubyte\.gz: gzip data decompress to more than 7856 bytes, but its IDX header declares 7856 bytes/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'no gigabyte buffer is left behind');
  });

  it('a gzip bomb of zeros (no IDX header at all) is refused by its first bytes', () => {
    const path = join(dir, 'zeros-idx1-ubyte.gz');
    writeFileSync(path, gzipBomb(new Uint8Array(0), 256));
    refuses(() => readIdx(path), 'E_CORRUPT', /zeros-idx1-ubyte\.gz: wrong magic number 0x00000000/);
  });
});

describe('CSV limits', () => {
  it('a .csv.gz is decompressed to at most LIMITS.maxFileBytes.gunzip', () => {
    const path = join(dir, 'bomb.csv.gz');
    writeFileSync(path, gzipBomb(new TextEncoder().encode('a,b\n'), 64));
    refuses(() => readCsv(path, { limits: { maxFileBytes: { gunzip: 1024 * 1024 } } }), 'E_TOO_LARGE',
      /bomb\.csv\.gz: gzip data decompress to more than 1048576 bytes, but that exceeds LIMITS\.maxFileBytes\.gunzip \(1048576\); raise it with/);
  });

  it('a file over LIMITS.maxFileBytes.csv is refused from its size alone', () => {
    const path = join(dir, 'big.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    refuses(() => readCsv(path, { limits: { maxFileBytes: { csv: 4 } } }), 'E_TOO_LARGE', /big\.csv: is 8 bytes, which exceeds LIMITS\.maxFileBytes\.csv \(4\)/);
  });

  it('more columns than LIMITS.maxCsvColumns are refused', () => {
    const path = join(dir, 'wide.csv');
    writeFileSync(path, Array.from({ length: 50 }, (_, i) => `c${i}`).join(',') + '\n');
    refuses(() => readCsv(path, { limits: { maxCsvColumns: 10 } }), 'E_TOO_LARGE', /wide\.csv: a row has more than 10 fields, which exceeds LIMITS\.maxCsvColumns/);
  });
});

describe('files that are not regular files', () => {
  it('a folder, a FIFO, and a symbolic link to /dev/zero are refused as E_NOT_REGULAR_FILE without reading', () => {
    refuses(() => readCsv(dir), 'E_NOT_REGULAR_FILE', /is a folder, expected a file/);
    const fifo = join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    refuses(() => readCsv(fifo), 'E_NOT_REGULAR_FILE', /pipe\.csv: is a FIFO \(named pipe\), expected a regular file/);
    const zero = join(dir, 'zero-idx3-ubyte');
    symlinkSync('/dev/zero', zero);
    refuses(() => readIdx(zero), 'E_NOT_REGULAR_FILE', /zero-idx3-ubyte: is a character device, expected a regular file/);
  });

  it('a missing file is E_NOT_FOUND', () => {
    refuses(() => readIdx(join(dir, 'nothing')), 'E_NOT_FOUND', /nothing: file not found/);
  });
});

describe('PNG limits', () => {
  /** A valid PNG (pngjs) whose IHDR then claims width x height: the CRC no longer matches, which the size check never reaches. */
  function pngBomb(width: number, height: number): Buffer {
    const bytes = PNG.sync.write(new PNG({ width: 2, height: 2 }));
    bytes.writeUInt32BE(width, 16);
    bytes.writeUInt32BE(height, 20);
    return bytes;
  }

  it('an IHDR claiming 60000 x 60000 pixels is E_TOO_LARGE naming LIMITS.maxImagePixels and how to raise it', () => {
    const path = join(dir, 'bomb.png');
    writeFileSync(path, pngBomb(60000, 60000));
    refuses(() => readImage(path), 'E_TOO_LARGE',
      /bomb\.png: declares 60000 x 60000 = 3600000000 pixels, which exceeds LIMITS\.maxImagePixels \(67108864\); raise it with --max-image-pixels or \{ limits: \{ maxImagePixels \} \}/);
  });

  it('maxImagePixels can be lowered (and raised) per call', () => {
    const path = join(dir, 'small.png');
    writeFileSync(path, PNG.sync.write(new PNG({ width: 4, height: 4 })));
    assert.equal(readImage(path).width, 4);
    refuses(() => readImage(path, { limits: { maxImagePixels: 15 } }), 'E_TOO_LARGE', /LIMITS\.maxImagePixels \(15\)/);
  });

  it('a JPEG renamed .png is E_UNSUPPORTED; other bytes are E_CORRUPT', () => {
    const jpeg = join(dir, 'photo.png');
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]));
    refuses(() => readImage(jpeg), 'E_UNSUPPORTED', /photo\.png: is a JPEG image, not a PNG/);
    const text = join(dir, 'text.png');
    writeFileSync(text, 'hello, world');
    const e = refuses(() => readImage(text), 'E_CORRUPT', /text\.png: is not a PNG image/);
    assert.ok(!e.message.includes('hello'), 'the content is not echoed');
  });
});
