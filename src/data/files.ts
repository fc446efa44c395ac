/**
 * Reading data files: the embedded data folder, SHA-256 verification against a folder's
 * `SHA256SUMS`, and transparent gunzip. Node.js only (node:fs, node:zlib, node:crypto).
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileErrorCode } from '../errors.js';
import { LIMITS, resolveLimits } from '../limits.js';
import type { Limits, LimitsOverride } from '../limits.js';
import { gunzipBounded, readFileBounded } from './read-bounded.js';
import type { FileErrorFactory, FileKind } from './read-bounded.js';

/**
 * An error about a data file: it names the file (`path`) and what was wrong with it. Every
 * loader in `data/` throws this for a missing, truncated, corrupt or malformed file. The message
 * never echoes the file's content.
 */
export class DataFileError extends Error {
  /** The file (or folder) the error is about. */
  readonly path: string;
  /** What kind of problem it is: a stable code the command line and callers branch on. */
  readonly code: FileErrorCode;
  /**
   * @param path    the file or folder, as the caller gave it.
   * @param problem what is wrong, as a phrase.
   * @param code    the stable code (default `'E_CORRUPT'`).
   */
  constructor(path: string, problem: string, code: FileErrorCode = 'E_CORRUPT') {
    super(`${path}: ${problem}`);
    this.name = 'DataFileError';
    this.path = path;
    this.code = code;
  }
}

/** Builds a {@link DataFileError}: the factory `data/` passes to read-bounded.ts. */
export const dataFileError: FileErrorFactory = (path, problem, code) => new DataFileError(path, problem, code);

/**
 * The folder of data sets shipped with nabla (`data/` at the package root). The path is found
 * relative to this module, so it is the same from `src/data/*.ts` (tsx) and `dist/data/*.js`.
 */
export function embeddedDataDir(): string {
  return fileURLToPath(new URL('../../data/', import.meta.url));
}

/** The path of one embedded file, e.g. `embeddedPath('iris', 'iris.csv')`. */
export function embeddedPath(folder: string, file?: string): string {
  return file === undefined ? join(embeddedDataDir(), folder) : join(embeddedDataDir(), folder, file);
}

/**
 * Parses a `SHA256SUMS` file (`<64 hex>  <name>` or `<64 hex> *<name>` per line, as written by
 * `sha256sum`) into a map from file name to lower-case hex digest.
 * @throws DataFileError naming the sums file and line when a line is malformed.
 */
export function parseSha256Sums(text: string, sumsPath: string): Map<string, string> {
  const sums = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new DataFileError(sumsPath, `malformed line ${i + 1} (expected '<sha256 hex>  <file name>')`);
    sums.set(m[2]!, m[1]!.toLowerCase());
  });
  return sums;
}

/** The SHA-256 of some bytes, as lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Options of {@link readDataFile}. */
export interface ReadDataFileOptions {
  /**
   * Where the checksum comes from. `'required'`: the `SHA256SUMS` beside the file must list it
   * (used for the embedded data). `'ifListed'` (default): verified when a `SHA256SUMS` beside
   * the file lists it, otherwise read as is. `'skip'`: never verified.
   */
  checksum?: 'required' | 'ifListed' | 'skip';
  /** Gunzip when the file starts with the gzip magic bytes 1f 8b (default true); the output is
   *  bounded by `LIMITS.maxFileBytes.gunzip`. */
  gunzip?: boolean;
  /** Which byte limit of `LIMITS.maxFileBytes` applies to the file as stored (default 'csv'). */
  kind?: FileKind;
  /** Limits in force (default {@link LIMITS}); see src/limits.ts. */
  limits?: LimitsOverride | Limits;
}

/**
 * Checks `bytes` (the file's raw, still compressed content) against the `SHA256SUMS` file in
 * the same folder.
 * @throws DataFileError "checksum mismatch" naming the path, both digests and the sums file;
 *   with `required`, also when there is no `SHA256SUMS` or it does not list the file.
 */
export function verifyChecksum(path: string, bytes: Uint8Array, required: boolean): void {
  const sumsPath = join(dirname(path), 'SHA256SUMS');
  if (!existsSync(sumsPath)) {
    if (required) throw new DataFileError(path, `no checksum to verify it against: ${sumsPath} is missing`, 'E_CHECKSUM');
    return;
  }
  const sums = new TextDecoder().decode(readFileBounded(sumsPath, 'json', LIMITS, dataFileError));
  const expected = parseSha256Sums(sums, sumsPath).get(basename(path));
  if (expected === undefined) {
    if (required) throw new DataFileError(path, `no checksum to verify it against: ${sumsPath} does not list ${basename(path)}`, 'E_CHECKSUM');
    return;
  }
  const actual = sha256Hex(bytes);
  if (actual !== expected)
    throw new DataFileError(path, `checksum mismatch: SHA-256 is ${actual} but ${sumsPath} says ${expected} (the file is damaged or was changed)`, 'E_CHECKSUM');
}

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip data (one or more members), at most `limits.maxFileBytes.gunzip` bytes of
 * output (a gzip bomb fails as soon as it passes them).
 * @throws DataFileError naming `path`: "truncated gzip data" when the stream ends early,
 *   "corrupt gzip data" for a bad header, block or CRC (E_CORRUPT); E_TOO_LARGE past the limit.
 */
export function gunzipData(bytes: Uint8Array, path: string, limits: LimitsOverride | Limits = LIMITS): Uint8Array {
  const max = resolveLimits(limits).maxFileBytes.gunzip;
  return gunzipBounded(bytes, path, {
    maxBytes: max, code: 'E_TOO_LARGE',
    reason: `that exceeds LIMITS.maxFileBytes.gunzip (${max}); raise it with { limits: { maxFileBytes: { gunzip: bytes } } }`,
  }, dataFileError);
}

/**
 * Reads a data file: stats it first (`readFileBounded`: a regular file of at most
 * `LIMITS.maxFileBytes[kind]` bytes), checks its SHA-256 (see
 * {@link ReadDataFileOptions.checksum}), then gunzips it (bounded by
 * `LIMITS.maxFileBytes.gunzip`) when it starts with the gzip magic bytes.
 * @returns the (decompressed) bytes.
 * @throws DataFileError when the file is missing (E_NOT_FOUND), is a folder, FIFO or device
 *   (E_NOT_REGULAR_FILE), is too large (E_TOO_LARGE), fails its checksum (E_CHECKSUM), or is a
 *   truncated / corrupt gzip file (E_CORRUPT).
 */
export function readDataFile(path: string, options: ReadDataFileOptions = {}): Uint8Array {
  const { checksum = 'ifListed', gunzip = true, kind = 'csv' } = options;
  const limits = resolveLimits(options.limits);
  const raw = readFileBounded(path, kind, limits, dataFileError);
  if (checksum !== 'skip') verifyChecksum(path, raw, checksum === 'required');
  return gunzip && isGzip(raw) ? gunzipData(raw, path, limits) : raw;
}

/**
 * Where a loader reads from: the embedded folder when `path` is undefined (checksum
 * required), else `path` itself, or `path/defaultFile` when `path` is a folder (checksum
 * verified when a SHA256SUMS beside the file lists it).
 */
export function resolveDataPath(path: string | undefined, folder: string, defaultFile: string):
  { path: string; checksum: 'required' | 'ifListed' } {
  if (path === undefined) return { path: embeddedPath(folder, defaultFile), checksum: 'required' };
  if (existsSync(path) && statSync(path).isDirectory()) return { path: join(path, defaultFile), checksum: 'ifListed' };
  return { path, checksum: 'ifListed' };
}
