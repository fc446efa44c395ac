/**
 * A general reader for numeric tables in CSV (via the `csv-parse` package: quoted fields, CRLF
 * or LF, BOM) or whitespace-separated text. Gzip-compressed files are read transparently.
 */
import { parse } from 'csv-parse/sync';
import type { Options } from 'csv-parse';
import { Tensor } from '../tensor/tensor.js';
import { resolveLimits } from '../limits.js';
import type { LimitsOverride } from '../limits.js';
import { DataFileError, readDataFile } from './files.js';
import type { ReadDataFileOptions } from './files.js';

/** Options of {@link parseCsv} and {@link readCsv}. */
export interface CsvOptions {
  /** The first (non-skipped) line holds the column names (default true). Without one the
   *  columns are named `column1`, `column2`, ... */
  header?: boolean;
  /** Field separator (default ','); `'whitespace'` splits on runs of spaces and tabs (no quoting). */
  delimiter?: string;
  /** Only these columns, in this order (by name). Other columns, text or not, are ignored. */
  columns?: string[];
  /**
   * What to do with a text column, one whose first non-empty cell is not a number:
   * `'refuse'` (default) throws naming it; `'drop'` leaves it out; `'keep'` returns its cells in
   * `text`. A non-numeric cell in a numeric column is always an error.
   */
  textColumns?: 'refuse' | 'drop' | 'keep';
  /** Empty cells in numeric columns: `'refuse'` (default) throws naming the cell; `'nan'` reads NaN. */
  missing?: 'refuse' | 'nan';
  /** Lines to skip before the header or data (e.g. scikit-learn's `n,f,names` line). Default 0. */
  skipLines?: number;
  /** Read at most this many data rows (rows after the header), the first ones of the file; the
   *  rest is not parsed, so a malformed tail after them is not seen. Default: every row. */
  maxRows?: number;
  /** Limits in force (default `LIMITS`): `maxCsvColumns`; {@link readCsv} also applies
   *  `maxFileBytes.csv` and `maxFileBytes.gunzip`. */
  limits?: LimitsOverride;
}

/** A numeric table read from CSV. */
export interface CsvTable {
  /** Names of the numeric columns in `data`, in order. */
  columns: string[];
  /** Number of data rows. */
  rows: number;
  /** The numbers, row-major: cell (r, c) is `data[r * columns.length + c]`. */
  data: Float64Array;
  /** Text columns' cells by column name (only with `textColumns: 'keep'`). */
  text: Record<string, string[]>;
  /** Names of the text columns left out (with `textColumns: 'drop'`). */
  dropped: string[];
  /** Where the table came from (the path), as used in error messages. */
  source: string;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when a cell is a decimal number (as `1`, `-2.5`, `.5`, `1.5e+02`); no hex, no `Infinity`. */
export function isNumericCell(cell: string): boolean {
  return NUMBER.test(cell);
}

/** One record of a CSV file: its fields and the (1-based) line it ends on. */
export interface CsvRecord { fields: string[]; line: number }

/** A cell for a message: quoted, at most 20 characters, control characters escaped. */
function cellText(cell: string): string {
  const short = cell.length > 20 ? `${cell.slice(0, 20)}...` : cell;
  return `'${short.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
}

/** The fields of one line of a whitespace-separated table, or null for a blank line. */
export function whitespaceFields(line: string): string[] | null {
  const t = line.trim();
  return t === '' ? null : t.split(/[ \t]+/);
}

/** The number of records to parse for `maxRows` data rows (the header counts one), or undefined for all. */
export function recordsFor(options: CsvOptions): number | undefined {
  const { maxRows, header = true } = options;
  if (maxRows === undefined) return undefined;
  if (!Number.isInteger(maxRows) || maxRows < 0) throw new RangeError(`maxRows must be a non-negative integer, got ${String(maxRows)}`);
  return maxRows + (header ? 1 : 0);
}

function splitRecords(text: string, delimiter: string, skipLines: number, maxRecords: number | undefined, source: string): CsvRecord[] {
  if (delimiter === 'whitespace') {
    const out: CsvRecord[] = [];
    text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/).forEach((l, i) => {
      const fields = i >= skipLines && (maxRecords === undefined || out.length < maxRecords) ? whitespaceFields(l) : null;
      if (fields) out.push({ fields, line: i + 1 });
    });
    return out;
  }
  try {
    const recs = parse(text, csvParseOptions(delimiter, skipLines, maxRecords)) as unknown as { record: string[]; info: { lines: number } }[];
    return recs.map((r) => ({ fields: r.record, line: r.info.lines }));
  } catch (e) {
    throw malformedCsv(e, source);
  }
}

/**
 * csv-parse's options for nabla's CSV dialect (shared by the sync and the stream reader).
 * @param maxRecords stop after this many records (header included), or undefined for all.
 */
export function csvParseOptions(delimiter: string, skipLines: number, maxRecords: number | undefined): Options {
  // The record delimiters are named: csv-parse's auto-discovery rescans the line for each
  // character until it meets the first line break, quadratic in the first line's length.
  return {
    delimiter, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true,
    from_line: skipLines + 1, info: true, record_delimiter: ['\r\n', '\n', '\r'],
    ...(maxRecords !== undefined && { to: maxRecords }),
  };
}

/** A csv-parse error as a DataFileError: csv-parse's message may quote the file, so only its code and line are named. */
export function malformedCsv(e: unknown, source: string): DataFileError {
  const err = e as { code?: unknown; lines?: unknown };
  const line = typeof err.lines === 'number' ? ` at line ${err.lines}` : '';
  return new DataFileError(source, `malformed CSV${line} (${typeof err.code === 'string' ? err.code : 'parse error'})`);
}

/**
 * Parses CSV text into a numeric table.
 * @param text the file's content.
 * @param options see {@link CsvOptions}.
 * @param source the file name for error messages.
 * @throws DataFileError naming `source`: "missing column 'x' (columns are: ...)", "text column
 *   'x'", "non-numeric cell 'abc' at data row R (line L), column C 'name'" (1-based; data rows
 *   do not count the header), an empty cell, a row with the wrong number of fields, no rows.
 */
export function parseCsv(text: string, options: CsvOptions = {}, source = '<CSV text>'): CsvTable {
  return tableFromRecords(splitRecords(text, options.delimiter ?? ',', options.skipLines ?? 0, recordsFor(options), source), options, source);
}

/**
 * Builds the numeric table from a file's records (the header first when `options.header`): the
 * checks and conversions of {@link parseCsv}, shared with the stream reader (csv-stream.ts).
 * @throws DataFileError naming `source`, as {@link parseCsv}.
 */
export function tableFromRecords(recs: CsvRecord[], options: CsvOptions, source: string): CsvTable {
  const { header = true, columns: chosen, textColumns = 'refuse', missing = 'refuse' } = options;
  if (recs.length === 0) throw new DataFileError(source, 'no rows (the table is empty)');
  const width = recs[0]!.fields.length, maxColumns = resolveLimits(options.limits).maxCsvColumns;
  if (recs.some((r) => r.fields.length > maxColumns))
    throw new DataFileError(source, `a row has more than ${maxColumns} fields, which exceeds LIMITS.maxCsvColumns; raise it with { limits: { maxCsvColumns } }`, 'E_TOO_LARGE');
  const names = header ? recs[0]!.fields : Array.from({ length: width }, (_, i) => `column${i + 1}`);
  const body = header ? recs.slice(1) : recs;
  // The chosen names' first positions, and those seen twice: one pass (indexOf per name was
  // quadratic), mapping only the chosen names (a map of millions of names costs seconds).
  const wanted = new Set(chosen), position = new Map<string, number>(), repeated = new Set<string>();
  if (chosen) names.forEach((n, j) => { if (!wanted.has(n)) return; if (position.has(n)) repeated.add(n); else position.set(n, j); });
  const dup = chosen?.find((c) => repeated.has(c));
  if (dup !== undefined) throw new DataFileError(source, `column name '${dup}' appears more than once`, 'E_INVALID');
  body.forEach((r, i) => {
    if (r.fields.length !== width)
      throw new DataFileError(source, `data row ${i + 1} (line ${r.line}) has ${r.fields.length} fields, expected ${width} as ${header ? 'the header has' : 'the first row has'}`);
  });
  let picked: number[];
  if (chosen) {
    picked = chosen.map((c) => {
      const j = position.get(c);
      if (j === undefined) throw new DataFileError(source, `missing column '${c}' (columns are: ${names.join(', ')})`, 'E_INVALID');
      return j;
    });
  } else picked = names.map((_, j) => j);
  const text_: Record<string, string[]> = {}, dropped: string[] = [], numeric: number[] = [];
  for (const j of picked) {
    const first = body.find((r) => r.fields[j] !== '')?.fields[j];
    if (first === undefined || isNumericCell(first)) { numeric.push(j); continue; }
    if (textColumns === 'refuse')
      throw new DataFileError(source, `text column '${names[j]}' (column ${j + 1}, first value ${cellText(first)}): choose the numeric columns with 'columns', or pass textColumns: 'drop'`, 'E_INVALID');
    if (textColumns === 'drop') dropped.push(names[j]!);
    else text_[names[j]!] = body.map((r) => r.fields[j]!);
  }
  const k = numeric.length, data = new Float64Array(body.length * k);
  const where = (i: number, j: number): string => `data row ${i + 1} (line ${body[i]!.line}), column ${j + 1} '${names[j]}'`; // only for errors
  for (let i = 0; i < body.length; i++) {
    const fields = body[i]!.fields;
    for (let c = 0; c < k; c++) {
      const j = numeric[c]!, cell = fields[j]!;
      if (cell === '') {
        if (missing === 'nan') { data[i * k + c] = NaN; continue; }
        throw new DataFileError(source, `empty cell at ${where(i, j)} (pass missing: 'nan' to read it as NaN)`, 'E_INVALID');
      }
      if (!NUMBER.test(cell)) throw new DataFileError(source, `non-numeric cell ${cellText(cell)} at ${where(i, j)}`, 'E_INVALID');
      data[i * k + c] = Number(cell);
    }
  }
  return { columns: numeric.map((j) => names[j]!), rows: body.length, data, text: text_, dropped, source };
}

/**
 * Reads a CSV (or whitespace-separated) file, gzip-compressed or not, into a numeric table. The
 * file is stat-checked first (a regular file of at most `LIMITS.maxFileBytes.csv` bytes), a
 * `.csv.gz` is decompressed to at most `LIMITS.maxFileBytes.gunzip` bytes, and a table of more
 * than `LIMITS.maxCsvColumns` columns is refused (E_TOO_LARGE); raise them with `limits`.
 * @param path the file; its SHA-256 is verified when a `SHA256SUMS` beside it lists it
 *   (`checksum: 'required'` to insist, as the embedded data does).
 * @throws DataFileError naming `path`, as {@link parseCsv} and {@link readDataFile}.
 */
export function readCsv(path: string, options: CsvOptions & Pick<ReadDataFileOptions, 'checksum' | 'limits'> = {}): CsvTable {
  const bytes = readDataFile(path, { checksum: options.checksum ?? 'ifListed', kind: 'csv', ...(options.limits !== undefined && { limits: options.limits }) });
  return parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), options, path); // as Buffer's toString: a BOM is kept
}

/**
 * The numbers of some columns as a float64 tensor `[rows, names.length]` (row-major).
 * @throws DataFileError "missing column" naming the table's source and its columns.
 */
export function tableColumns(table: CsvTable, names: readonly string[]): Tensor {
  const wanted = new Set(names), position = new Map<string, number>();
  table.columns.forEach((c, j) => { if (wanted.has(c) && !position.has(c)) position.set(c, j); });
  const k = table.columns.length, idx = names.map((n) => {
    const j = position.get(n) ?? -1;
    if (j < 0) throw new DataFileError(table.source, `missing column '${n}' (columns are: ${table.columns.join(', ')})`, 'E_INVALID');
    return j;
  });
  const out = new Float64Array(table.rows * idx.length);
  for (let r = 0; r < table.rows; r++) for (let c = 0; c < idx.length; c++) out[r * idx.length + c] = table.data[r * k + idx[c]!]!;
  return new Tensor(out, [table.rows, idx.length]);
}

/**
 * Splits a table into inputs and a target: `x` `[rows, features]` and `y` `[rows]`, float64.
 * @param target the target column's name.
 * @param features the input columns (default: every numeric column but the target).
 * @throws DataFileError "missing column" naming the table's source.
 */
export function tableToXy(table: CsvTable, target: string, features?: readonly string[]):
  { x: Tensor; y: Tensor; featureNames: string[] } {
  const featureNames = features ? [...features] : table.columns.filter((c) => c !== target);
  const y = tableColumns(table, [target]);
  return { x: tableColumns(table, featureNames), y: y.reshape([table.rows]), featureNames };
}
