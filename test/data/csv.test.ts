import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCsv, readCsv, tableColumns, tableToXy, isNumericCell } from '../../src/data/index.js';
import { re, tempDir } from './helpers.js';

test('CRLF and LF files read the same; header names the columns', () => {
  const lf = 'a,b,c\n1,2,3\n4.5,-6,7e2\n';
  const t1 = parseCsv(lf), t2 = parseCsv(lf.replace(/\n/g, '\r\n'));
  assert.deepEqual(t1.columns, ['a', 'b', 'c']);
  assert.equal(t1.rows, 2);
  assert.deepEqual(Array.from(t1.data), [1, 2, 3, 4.5, -6, 700]);
  assert.deepEqual(t2, t1);
  // No trailing newline, a blank line in between, a BOM: still two rows.
  const t3 = parseCsv('\uFEFFa,b,c\r\n1,2,3\r\n\r\n4.5,-6,7e2');
  assert.deepEqual(Array.from(t3.data), Array.from(t1.data));
  assert.deepEqual(t3.columns, ['a', 'b', 'c']);
});

test('header: false names columns column1.. and keeps the first row as data', () => {
  const t = parseCsv('1,2\n3,4\n', { header: false });
  assert.deepEqual(t.columns, ['column1', 'column2']);
  assert.equal(t.rows, 2);
  assert.deepEqual(Array.from(t.data), [1, 2, 3, 4]);
  const h = parseCsv('1,2\n3,4\n');
  assert.deepEqual(h.columns, ['1', '2']);
  assert.equal(h.rows, 1);
});

test('whitespace-separated tables: runs of spaces and tabs, leading spaces, CRLF', () => {
  const t = parseCsv('  x   y\t z\r\n1 2\t\t3\r\n  4    5 6  \r\n', { delimiter: 'whitespace' });
  assert.deepEqual(t.columns, ['x', 'y', 'z']);
  assert.deepEqual(Array.from(t.data), [1, 2, 3, 4, 5, 6]);
  const s = parseCsv('1;2\n3;4\n', { delimiter: ';', header: false });
  assert.deepEqual(Array.from(s.data), [1, 2, 3, 4]);
});

test('a non-numeric cell is refused with its data row, line, column and the path', () => {
  const text = 'a,b\n1,2\n3,abc\n';
  assert.throws(() => parseCsv(text, {}, 'f.csv'), /^DataFileError: f\.csv: non-numeric cell 'abc' at data row 2 \(line 3\), column 2 'b'$/);
  // Without a header the first line is data row 1.
  assert.throws(() => parseCsv('1,2\n0x10,4\n', { header: false }, 'g'), /g: non-numeric cell '0x10' at data row 2 \(line 2\), column 1 'column1'/);
  assert.throws(() => parseCsv('a\n1\n\n\nInfinity\n', {}, 'h'), /h: non-numeric cell 'Infinity' at data row 2 \(line 5\)/);
  assert.throws(() => parseCsv('a,b\n1,\n', {}, 'e'), /e: empty cell at data row 1 \(line 2\), column 2 'b'/);
  assert.ok(Number.isNaN(parseCsv('a,b\n1,\n', { missing: 'nan' }).data[1]));
  assert.equal(isNumericCell('1.5e+02'), true);
  assert.equal(isNumericCell(''), false);
});

test('choosing columns, a missing column names the columns there are', () => {
  const text = 'name,x,y\np,1,2\nq,3,4\n';
  const t = parseCsv(text, { columns: ['y', 'x'] });
  assert.deepEqual(t.columns, ['y', 'x']);
  assert.deepEqual(Array.from(t.data), [2, 1, 4, 3]);
  assert.throws(() => parseCsv(text, { columns: ['x', 'z'] }, 'p.csv'), /^DataFileError: p\.csv: missing column 'z' \(columns are: name, x, y\)$/);
  assert.throws(() => tableColumns(t, ['w']), /missing column 'w' \(columns are: y, x\)/);
});

test('text columns are refused by name unless dropped, kept, or chosen out', () => {
  const text = 'name,x,notes,y\np,1,,2\nq,3,"a, b",4\n';
  assert.throws(() => parseCsv(text, {}, 't.csv'), /t\.csv: text column 'name' \(column 1, first value 'p'\)/);
  const d = parseCsv(text, { textColumns: 'drop' });
  assert.deepEqual(d.columns, ['x', 'y']);
  assert.deepEqual(d.dropped, ['name', 'notes']);
  assert.deepEqual(Array.from(d.data), [1, 2, 3, 4]);
  const k = parseCsv(text, { textColumns: 'keep' });
  assert.deepEqual(k.text, { name: ['p', 'q'], notes: ['', 'a, b'] });
  assert.deepEqual(parseCsv(text, { columns: ['y'] }).columns, ['y']);
});

test('ragged rows and empty input are refused', () => {
  assert.throws(() => parseCsv('a,b\n1,2\n3\n', {}, 'r'), /r: data row 2 \(line 3\) has 1 fields, expected 2/);
  assert.throws(() => parseCsv('\n\n', {}, 'z'), /z: no rows/);
  assert.throws(() => parseCsv('a,b\n"1,2\n', {}, 'q'), /q: malformed CSV/);
});

test('readCsv reads gzip files; tableToXy splits x and y; skipLines', () => {
  const dir = tempDir(), p = join(dir, 't.csv.gz');
  writeFileSync(p, gzipSync('junk line\nx1,x2,t\n1,2,0\n3,4,1\n'));
  const t = readCsv(p, { skipLines: 1 });
  assert.deepEqual(t.columns, ['x1', 'x2', 't']);
  const { x, y, featureNames } = tableToXy(t, 't');
  assert.deepEqual(x.shape, [2, 2]);
  assert.equal(x.dtype, 'float64');
  assert.deepEqual(featureNames, ['x1', 'x2']);
  assert.deepEqual(Array.from(y.data), [0, 1]);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a\n1\nx\n');
  assert.throws(() => readCsv(bad), new RegExp(`^DataFileError: ${re(bad)}: non-numeric cell 'x' at data row 2`));
});
