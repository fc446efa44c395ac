// The streaming CSV reader: the same tables as the sync reader on the embedded files, maxRows
// stops reading (a file whose tail after the first rows is damaged still reads them), and a
// .csv.gz bomb fails with E_TOO_LARGE.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { readCsv, type CsvOptions, type CsvTable } from '../../src/data/csv.js';
import { readCsvStream } from '../../src/data/csv-stream.js';
import { DataFileError, embeddedPath } from '../../src/data/files.js';
import { readIdx } from '../../src/data/idx.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-csv-stream-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file in the temporary folder and returns its path. */
function file(name: string, bytes: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Rows `i,2*i` for i = 1..n, after a header 'a,b'. */
function rows(n: number): string {
  return 'a,b\n' + Array.from({ length: n }, (_, i) => `${i + 1},${2 * (i + 1)}\n`).join('');
}

/** Random bytes (xorshift, seeded), which gzip cannot compress. */
function noise(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; out[i] = s & 0xff; }
  return out;
}

function sameTable(a: CsvTable, b: CsvTable): void {
  assert.deepEqual({ ...b, data: [...b.data] }, { ...a, data: [...a.data] });
}

describe('readCsvStream', () => {
  const embedded: [string, string, CsvOptions][] = [
    ['iris', 'iris.csv', { header: false, skipLines: 1 }],
    ['higham2019-toy', 'points10.csv', { columns: ['x1', 'x2', 'label', 'y1', 'y2'], textColumns: 'keep' }],
    ['diabetes', 'diabetes_data_raw.csv.gz', { header: false, delimiter: 'whitespace' }],
    ['pokemon-cp', 'pokemon.csv', { textColumns: 'keep', missing: 'nan' }],
    ['wine', 'wine_data.csv', { header: false, skipLines: 1 }],
  ];
  for (const [folder, name, options] of embedded) {
    it(`reads the embedded ${folder}/${name} as readCsv does, whole and with maxRows`, async () => {
      const p = embeddedPath(folder, name);
      sameTable(readCsv(p, { ...options, checksum: 'required' }), await readCsvStream(p, { ...options, checksum: 'required' }));
      const first = await readCsvStream(p, { ...options, maxRows: 5 });
      assert.equal(first.rows, 5);
      sameTable(readCsv(p, { ...options, maxRows: 5 }), first);
    });
  }

  it('with maxRows, a .csv.gz whose compressed tail is garbage still yields its first rows', async () => {
    // 2,000 good rows, then 700 kB of incompressible text, then the gzip stream is cut and garbage
    // appended: reading the whole file fails, reading the first 100 rows must not reach the damage.
    const text = Buffer.concat([Buffer.from(rows(2000)), Buffer.from(Buffer.from(noise(1 << 19)).toString('base64').replace(/(.{60})/g, '7,$1\n'))]);
    const gz = gzipSync(text);
    const damaged = Buffer.concat([gz.subarray(0, gz.length - 100_000), Buffer.from(noise(100_000, 99))]);
    const p = file('damaged.csv.gz', damaged);
    await assert.rejects(readCsvStream(p, { textColumns: 'keep' }), (e: unknown) => e instanceof DataFileError && e.code === 'E_CORRUPT' && /gzip data/.test(e.message));
    const t = await readCsvStream(p, { maxRows: 100 });
    assert.equal(t.rows, 100);
    assert.deepEqual([...t.data.subarray(0, 4)], [1, 2, 2, 4]);
    assert.deepEqual([...t.data.subarray(198)], [100, 200]);
  });

  it('with maxRows, a plain CSV whose tail is malformed still yields its first rows (the sync reader too)', async () => {
    const p = file('tail.csv', rows(10) + '1,2,3,4\n"unclosed,5\n\u0000\u0001garbage');
    assert.throws(() => readCsv(p), DataFileError);
    await assert.rejects(readCsvStream(p), DataFileError);
    const expected = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? i / 2 + 1 : i + 1));
    assert.deepEqual([...(await readCsvStream(p, { maxRows: 10 })).data], expected);
    assert.deepEqual([...readCsv(p, { maxRows: 10 }).data], expected);
  });

  it('maxRows larger than the file reads every row; maxRows 0 reads the header only', async () => {
    const p = file('small.csv.gz', gzipSync(rows(3)));
    assert.equal((await readCsvStream(p, { maxRows: 50 })).rows, 3);
    const none = await readCsvStream(p, { maxRows: 0 });
    assert.deepEqual([none.rows, none.columns], [0, ['a', 'b']]);
    await assert.rejects(readCsvStream(p, { maxRows: -1 }), RangeError);
  });

  it('a gzip bomb .csv.gz fails with E_TOO_LARGE naming LIMITS.maxFileBytes.gunzip', async () => {
    const bomb = file('bomb.csv.gz', gzipSync(Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(8 << 20, 0x30)])));
    await assert.rejects(readCsvStream(bomb, { limits: { maxFileBytes: { gunzip: 1 << 20 } } }),
      (e: unknown) => e instanceof DataFileError && e.code === 'E_TOO_LARGE' && e.path === bomb && /LIMITS\.maxFileBytes\.gunzip/.test(e.message));
  });

  it('refuses a file over LIMITS.maxFileBytes.csv, a folder, a missing file, a truncated .csv.gz', async () => {
    const p = file('five.csv', rows(5));
    const code = (c: string) => (e: unknown) => e instanceof DataFileError && e.code === c;
    await assert.rejects(readCsvStream(p, { limits: { maxFileBytes: { csv: 10 } } }), code('E_TOO_LARGE'));
    await assert.rejects(readCsvStream(dir), code('E_NOT_REGULAR_FILE'));
    await assert.rejects(readCsvStream(join(dir, 'none.csv')), code('E_NOT_FOUND'));
    const gz = gzipSync(rows(500));
    await assert.rejects(readCsvStream(file('cut.csv.gz', gz.subarray(0, gz.length - 20))), code('E_CORRUPT'));
  });
});

describe('readIdx maxItems', () => {
  it('decodes the first images of the embedded MNIST as the whole read does', () => {
    const p = join(embeddedPath('mnist'), 't10k-images-idx3-ubyte.gz');
    const all = readIdx(p), first = readIdx(p, { maxItems: 3 });
    assert.deepEqual(first.shape, [3, 28, 28]);
    assert.deepEqual([...first.data], [...all.data.subarray(0, 3 * 784)]);
  });

  it('stops before a damaged gzip tail', () => {
    // 1,000,000 ubyte items: more gzip input than the first prefix readIdx decodes (64 KiB).
    const header = Buffer.from([0, 0, 8, 1, 0, 0x0f, 0x42, 0x40]);
    const body = noise(1_000_000, 3), gz = gzipSync(Buffer.concat([header, body]));
    const p = file('labels-idx1-ubyte.gz', Buffer.concat([gz.subarray(0, gz.length - 2000), Buffer.from(noise(2000, 5))]));
    assert.throws(() => readIdx(p), (e: unknown) => e instanceof DataFileError && e.code === 'E_CORRUPT');
    assert.deepEqual([...readIdx(p, { maxItems: 50 }).data], [...body.subarray(0, 50)]);
  });
});
