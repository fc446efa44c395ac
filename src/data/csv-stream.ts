/**
 * The streaming CSV reader: {@link readCsvStream} reads a CSV (or whitespace-separated) file,
 * gzip-compressed or not, through `fs.createReadStream` -> `zlib.createGunzip` (for gzip data)
 * -> csv-parse's stream API, so a `.csv.gz` is never held whole in memory, its decompressed
 * output is bounded while it flows, and `maxRows` stops reading after the first rows: the rest
 * of the file is neither decompressed nor parsed. The table is the one {@link readCsv} returns
 * for the same file and options. Node.js only (node:fs, node:zlib, node:stream).
 */
import { closeSync, createReadStream, existsSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline, Readable, Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { resolveLimits } from '../limits.js';
import type { Limits } from '../limits.js';
import { csvParseOptions, malformedCsv, recordsFor, tableFromRecords, whitespaceFields } from './csv.js';
import type { CsvOptions, CsvRecord, CsvTable } from './csv.js';
import { DataFileError, dataFileError, isGzip, verifyChecksum } from './files.js';
import type { ReadDataFileOptions } from './files.js';
import { gzipDataError, openRegularFile, readFileBounded, systemProblem } from './read-bounded.js';

/** Options of {@link readCsvStream}: those of {@link readCsv} (`maxRows` stops reading early). */
export type CsvStreamOptions = CsvOptions & Pick<ReadDataFileOptions, 'checksum'>;

/** Counts the bytes flowing through and fails with E_TOO_LARGE past `max` (the gunzip bound). */
class ByteBound extends Transform {
  private seen = 0;
  constructor(private readonly max: number, private readonly path: string) { super(); }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      done(new DataFileError(this.path, `gzip data decompress to more than ${this.max} bytes, which exceeds LIMITS.maxFileBytes.gunzip; raise it with { limits: { maxFileBytes: { gunzip: bytes } } }`, 'E_TOO_LARGE'));
      return;
    }
    done(null, chunk);
  }
}

/**
 * The file's bytes as a stream, after the checks of `readDataFile`: a regular file of at most
 * `maxFileBytes.csv` bytes (stat-checked before a byte is read, never read past that size); when
 * a checksum applies (a `SHA256SUMS` beside it, or `checksum: 'required'`) the file is read
 * whole and verified first, as a checksum covers every byte. Gzip data (magic 1f 8b) flow
 * through a gunzip whose output is bounded by `maxFileBytes.gunzip`.
 */
function openBytes(path: string, checksum: 'required' | 'ifListed' | 'skip', limits: Limits): Readable[] {
  let source: Readable, gzip: boolean;
  if (checksum === 'required' || (checksum === 'ifListed' && existsSync(join(dirname(path), 'SHA256SUMS')))) {
    const raw = readFileBounded(path, 'csv', limits, dataFileError);
    verifyChecksum(path, raw, checksum === 'required');
    source = Readable.from([raw]);
    gzip = isGzip(raw);
  } else {
    const { fd, size } = openRegularFile(path, 'csv', limits, dataFileError);
    const magic = Buffer.alloc(2);
    try { readSync(fd, magic, 0, 2, 0); } catch (err) {
      closeSync(fd);
      const { problem, code } = systemProblem(err);
      throw new DataFileError(path, problem, code);
    }
    gzip = isGzip(magic);
    source = createReadStream('', { fd, start: 0, end: Math.max(0, size - 1), autoClose: true });
    if (size === 0) { source.destroy(); source = Readable.from([]); }
  }
  if (!gzip) return [source];
  return [source, createGunzip(), new ByteBound(limits.maxFileBytes.gunzip, path)];
}

/** Any error of the pipeline as the file error naming `path`. */
function fileError(err: unknown, path: string): Error {
  if (err instanceof DataFileError) return err;
  const e = err as Error & { code?: unknown };
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return gzipDataError(e, path, dataFileError);
  if (typeof e.code === 'string' && e.code.startsWith('CSV_')) return malformedCsv(e, path);
  const { problem, code } = systemProblem(err);
  return new DataFileError(path, problem, code);
}

/** The records of a decoded text stream: csv-parse's stream API, or lines for 'whitespace'. */
async function* records(text: Readable, options: CsvOptions, maxRecords: number | undefined): AsyncGenerator<CsvRecord> {
  const { delimiter = ',', skipLines = 0 } = options;
  if (delimiter === 'whitespace') {
    let i = 0;
    for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
      const fields = i >= skipLines ? whitespaceFields(i === 0 ? line.replace(/^\uFEFF/, '') : line) : null;
      i++;
      if (fields) yield { fields, line: i };
    }
    return;
  }
  const parser = parse(csvParseOptions(delimiter, skipLines, maxRecords));
  text.on('error', (e) => parser.destroy(e));
  text.pipe(parser);
  for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) yield { fields: r.record, line: r.info.lines };
}

/**
 * Reads a CSV (or whitespace-separated) file, gzip-compressed or not, as a stream: the same table
 * as {@link readCsv} (same options, checks and errors), but a `.csv.gz` is decompressed while it
 * is parsed, with its output bounded by `LIMITS.maxFileBytes.gunzip`, and with `maxRows` only
 * the header and the first `maxRows` data rows are read: the file's tail is neither decompressed
 * nor parsed (so a malformed or corrupt tail after them is not seen).
 * @param path the file; it is stat-checked first (a regular file of at most
 *   `LIMITS.maxFileBytes.csv` bytes); when a `SHA256SUMS` is beside it (or with
 *   `checksum: 'required'`) the whole file is read and, if listed, verified before parsing.
 * @param options see {@link CsvOptions} (`maxRows`, `limits`) and `checksum`.
 * @returns the table (`rows` is at most `maxRows`).
 * @throws RangeError for a `maxRows` that is not a non-negative integer; DataFileError naming
 *   `path`: E_NOT_FOUND, E_NOT_REGULAR_FILE, E_TOO_LARGE (the file, its decompressed output, or
 *   too many columns), E_CHECKSUM, E_CORRUPT (truncated or corrupt gzip, malformed CSV), and the
 *   table errors of {@link parseCsv}.
 */
export async function readCsvStream(path: string, options: CsvStreamOptions = {}): Promise<CsvTable> {
  const limits = resolveLimits(options.limits), maxRecords = recordsFor(options);
  const stages = openBytes(path, options.checksum ?? 'ifListed', limits);
  // pipeline() passes an error of any stage on to the last one; its callback has nothing to add.
  const text = stages.length === 1 ? stages[0]! : pipeline(stages[0]!, stages[1] as Transform, stages[2] as Transform, () => {});
  const out: CsvRecord[] = [];
  const maxColumns = limits.maxCsvColumns;
  try {
    if (maxRecords !== 0) {
      for await (const rec of records(text, options, maxRecords)) {
        out.push(rec);
        if (out.length === maxRecords || rec.fields.length > maxColumns) break; // too wide: tableFromRecords refuses it
      }
    }
  } catch (err) {
    throw fileError(err, path);
  } finally {
    for (const s of stages) s.destroy();
  }
  return tableFromRecords(out, options, path);
}
