// `--limit N` means the first N rows of the file and reads no further: a .csv.gz whose gzip
// tail is damaged trains with --limit (and the test part is 20% of those N rows), and fails
// without it; `evaluate` of that run repeats the same rows.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { nabla, tmp } from './helpers.js';

const dir = tmp('nabla-cli-limit-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** 3,000 rows of y = 2 x1 + 1, then 400 kB of incompressible text; the last 40 kB of the gzip stream replaced by noise. */
function damagedCsvGz(): string {
  let seed = 12345;
  const next = () => (seed = (seed * 48271) % 2147483647);
  let text = 'x1,x2,y\n';
  for (let i = 0; i < 3000; i++) { const a = (next() % 1000) / 100; text += `${a},${i % 7},${(2 * a + 1).toFixed(2)}\n`; }
  const noise = Buffer.alloc(400_000);
  for (let i = 0; i < noise.length; i++) noise[i] = next() & 0xff;
  const gz = gzipSync(Buffer.concat([Buffer.from(text), Buffer.from(noise.toString('base64'))]));
  const path = join(dir, 'rows.csv.gz');
  writeFileSync(path, Buffer.concat([gz.subarray(0, gz.length - 40_000), noise.subarray(0, 40_000)]));
  return path;
}

describe('nabla train --limit on a .csv.gz', () => {
  const csv = damagedCsvGz();
  it('reads only the first N rows: a damaged tail is never reached', async () => {
    const whole = await nabla(['train', '--data', csv, '--epochs', '1', '--out', join(dir, 'whole')]);
    assert.equal(whole.code, 1, whole.stderr);
    assert.match(whole.stderr, /rows\.csv\.gz: corrupt gzip data/);
    const out = join(dir, 'first');
    const r = await nabla(['train', '--data', csv, '--limit', '200', '--epochs', '1', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(40 samples\)/); // the test part: 20% of the first 200 rows
    const e = await nabla(['evaluate', out]);
    assert.equal(e.code, 0, e.stderr);
    assert.match(e.stdout, /40 samples/);
  });
});
