// Wide tables and long lines (issue 11): the header checks and the parse are linear, so 100,000
// columns parse in well under a second (they took 8.6 s, then 37 s on a loaded machine). Correctness only, no timing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsv } from '../../src/data/csv.js';
import { DataFileError } from '../../src/data/files.js';

describe('wide CSV', () => {
  const n = 100_000;
  const header = Array.from({ length: n }, (_, i) => `c${i}`).join(',');
  it('parses 100,000 columns and picks chosen ones by name', { timeout: 30_000 /* a guard against quadratic checks, not a measure */ }, () => {
    const text = `${header}\r\n${Array.from({ length: n }, (_, i) => String(i % 10)).join(',')}\r\n`;
    const table = parseCsv(text, { columns: ['c99999', 'c12345'] });
    assert.equal(table.rows, 1);
    assert.deepEqual([...table.data], [9, 5]);
    const all = parseCsv(text);
    assert.equal(all.columns.length, n);
    assert.equal(all.data[n - 1], 9);
  });

  it('names a duplicated chosen column among 100,000', () => {
    const text = `${header},c7\n${Array.from({ length: n + 1 }, () => '1').join(',')}\n`;
    const limits = { maxCsvColumns: n + 1 }; // one past LIMITS.maxCsvColumns (100,000)
    assert.throws(() => parseCsv(text, { columns: ['c7'], limits }), (e: unknown) => e instanceof DataFileError && /column name 'c7' appears more than once/.test(e.message));
    assert.equal(parseCsv(text, { columns: ['c8'], limits }).data[0], 1, 'an unchosen duplicate is no error');
  });

  it('reads mixed line endings', () => {
    const table = parseCsv('a,b\r\n1,2\n3,4\r5,6\n', {});
    assert.deepEqual([...table.data], [1, 2, 3, 4, 5, 6]);
  });
});
