/**
 * The one way nabla reads a file of outside bytes (docs/design.md, "Errors and bad input"):
 * {@link readFileBounded} stats the path first and refuses, before reading a byte, what is not a
 * regular file (a folder, FIFO, socket or device; a symbolic link is followed only to a regular
 * file) and what is larger than its documented limit (`LIMITS.maxFileBytes.<kind>`).
 * {@link gunzipBounded} decompresses with a bound on the output, so a gzip bomb fails after at
 * most that many bytes. Node.js only (node:fs, node:zlib).
 *
 * The errors are file errors built by the caller's factory ({@link FileErrorFactory}): `data/`
 * passes `DataFileError`, `io/` passes `ModelFileError`; this module imports neither, so both
 * layers may use it. No message ever echoes the file's content.
 */
import { closeSync, fstatSync, openSync, readSync, statSync, constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import type { FileErrorCode } from '../errors.js';
import type { FileByteLimits, Limits } from '../limits.js';

/** Builds the caller's file error (`DataFileError` or `ModelFileError`) for a path. */
export type FileErrorFactory = (path: string, problem: string, code: FileErrorCode) => Error;

/** The kinds of file with a byte limit, as named in `LIMITS.maxFileBytes`. */
export type FileKind = keyof FileByteLimits;

/** How a limit is raised, for messages: `{ limits: { maxFileBytes: { json } } }`. */
function howToRaise(kind: FileKind): string {
  return `raise it with { limits: { maxFileBytes: { ${kind}: bytes } } }`;
}

/** What a non-regular file is, for the message. */
function whatItIs(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Maps a system error of stat/open/read to a file error code and phrase (never the content). */
export function systemProblem(err: unknown): { problem: string; code: FileErrorCode } {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return { problem: 'file not found', code: 'E_NOT_FOUND' };
    case 'ENOTDIR': return { problem: 'file not found (a component of the path is not a folder)', code: 'E_NOT_FOUND' };
    case 'EACCES':
    case 'EPERM': return { problem: 'cannot be read: permission denied', code: 'E_READ' };
    case 'ELOOP': return { problem: 'cannot be read: too many levels of symbolic links', code: 'E_READ' };
    case 'EISDIR': return { problem: 'is a folder, expected a regular file', code: 'E_NOT_REGULAR_FILE' };
    default: return { problem: `cannot be read (${typeof code === 'string' ? code : 'I/O error'})`, code: 'E_READ' };
  }
}

/**
 * Checks, without reading it, that `path` is a regular file (following symbolic links) of at most
 * `limits.maxFileBytes[kind]` bytes.
 * @returns the file's size in bytes.
 * @throws the factory's error with code E_NOT_FOUND (missing), E_NOT_REGULAR_FILE (folder, FIFO,
 *   socket, device), E_TOO_LARGE (over the limit, naming `LIMITS.maxFileBytes.<kind>`) or E_READ.
 */
export function checkRegularFile(path: string, kind: FileKind, limits: Limits, fail: FileErrorFactory): number {
  let st: Stats;
  try { st = statSync(path); } catch (err) {
    const { problem, code } = systemProblem(err);
    throw fail(path, problem, code);
  }
  return checkStats(path, st, kind, limits, fail);
}

function checkStats(path: string, st: Stats, kind: FileKind, limits: Limits, fail: FileErrorFactory): number {
  if (!st.isFile()) throw fail(path, `is ${whatItIs(st)}, expected a ${st.isDirectory() ? '' : 'regular '}file`, 'E_NOT_REGULAR_FILE');
  const max = limits.maxFileBytes[kind];
  if (st.size > max)
    throw fail(path, `is ${st.size} bytes, which exceeds LIMITS.maxFileBytes.${kind} (${max}); ${howToRaise(kind)}`, 'E_TOO_LARGE');
  return st.size;
}

/**
 * Opens a file of outside bytes for reading after checking it ({@link checkRegularFile}): opened
 * non-blocking and checked again through its descriptor, so a path swapped for a FIFO or device
 * between the two checks is refused too. The caller closes the descriptor.
 * @returns the descriptor and the file's checked size in bytes.
 * @throws the factory's error: E_NOT_FOUND, E_NOT_REGULAR_FILE, E_TOO_LARGE, E_READ.
 */
export function openRegularFile(path: string, kind: FileKind, limits: Limits, fail: FileErrorFactory): { fd: number; size: number } {
  checkRegularFile(path, kind, limits, fail);
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)); } catch (err) {
    const { problem, code } = systemProblem(err);
    throw fail(path, problem, code);
  }
  let st: Stats;
  try { st = fstatSync(fd); } catch (err) {
    closeSync(fd);
    const { problem, code } = systemProblem(err);
    throw fail(path, problem, code);
  }
  try { return { fd, size: checkStats(path, st, kind, limits, fail) }; } catch (err) { closeSync(fd); throw err; }
}

/**
 * Reads a whole file of outside bytes, after checking it ({@link checkRegularFile}). The file is
 * opened non-blocking and checked again through its descriptor, so a path swapped for a FIFO or
 * device between the two checks is refused too; at most the checked size is read.
 * @param path   the file.
 * @param kind   which limit of `LIMITS.maxFileBytes` applies.
 * @param limits the limits in force (`resolveLimits(override)`).
 * @param fail   builds the file error (`DataFileError` / `ModelFileError`).
 * @returns the file's bytes.
 * @throws the factory's error: E_NOT_FOUND, E_NOT_REGULAR_FILE, E_TOO_LARGE, E_READ.
 */
export function readFileBounded(path: string, kind: FileKind, limits: Limits, fail: FileErrorFactory): Uint8Array {
  const { fd, size } = openRegularFile(path, kind, limits, fail);
  try {
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      let n: number;
      try { n = readSync(fd, out, at, size - at, null); } catch (err) { const { problem, code } = systemProblem(err); throw fail(path, problem, code); }
      if (n === 0) break; // the file shrank meanwhile: return what is there
      at += n;
    }
    return at === size ? out : out.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** What bounds a decompression, for {@link gunzipBounded}'s message. */
export interface GunzipBound {
  /** The most bytes the output may have. */
  maxBytes: number;
  /** Why, as a phrase: "its IDX header declares 47040016 bytes" or "LIMITS.maxFileBytes.gunzip (...)". */
  reason: string;
  /** E_CORRUPT when the bound comes from the file's own header, E_TOO_LARGE for a limit. */
  code: 'E_CORRUPT' | 'E_TOO_LARGE';
}

/**
 * Decompresses gzip data (one or more members), stopping with an error as soon as the output
 * would pass `bound.maxBytes` (zlib's `maxOutputLength`), so a gzip bomb costs at most that much.
 * @throws the factory's error: `bound.code` when the output is larger than the bound, E_CORRUPT
 *   for truncated or corrupt gzip data.
 */
export function gunzipBounded(bytes: Uint8Array, path: string, bound: GunzipBound, fail: FileErrorFactory): Uint8Array {
  return runGunzip(bytes, path, { maxOutputLength: Math.max(1, bound.maxBytes) }, fail, bound);
}

/**
 * The first decompressed bytes of gzip data (at most about 1032 x `inputBytes` of output: zlib's
 * largest ratio), for reading a header before the bound of the whole is known. The result may be
 * shorter than the full output; it is never longer than `maxBytes`.
 * @throws the factory's error (E_CORRUPT) for corrupt gzip data.
 */
export function gunzipPrefix(bytes: Uint8Array, path: string, maxBytes: number, fail: FileErrorFactory, inputBytes = 4096): Uint8Array {
  const out = runGunzip(bytes.subarray(0, inputBytes), path, { finishFlush: constants_Z_SYNC_FLUSH }, fail, undefined);
  return out.subarray(0, maxBytes);
}

/**
 * The first `want` decompressed bytes of gzip data, decoding only as much input as they need:
 * growing prefixes of the input (64 KiB, doubling, so at most about twice the work of the
 * prefix that suffices), each bounded by `bound` (a prefix that decompresses past it is a gzip
 * bomb). The rest of the input is never decoded, so damage after the wanted bytes is not seen.
 * @returns `want` bytes, or fewer when the whole input decompresses to fewer.
 * @throws the factory's error: `bound.code` past the bound, E_CORRUPT for corrupt gzip data.
 */
export function gunzipLeading(bytes: Uint8Array, path: string, want: number, bound: GunzipBound, fail: FileErrorFactory): Buffer {
  for (let k = 64 * 1024; ; k *= 2) {
    const out = runGunzip(bytes.subarray(0, k), path, { finishFlush: constants_Z_SYNC_FLUSH, maxOutputLength: Math.max(1, bound.maxBytes) }, fail, bound);
    if (out.length >= want) return out.subarray(0, want);
    if (k >= bytes.length) return out;
  }
}

const constants_Z_SYNC_FLUSH = 2; // zlib.constants.Z_SYNC_FLUSH: return what a truncated stream decodes to

function runGunzip(bytes: Uint8Array, path: string, options: ZlibOptions, fail: FileErrorFactory, bound: GunzipBound | undefined): Buffer {
  try {
    return gunzipSync(bytes, options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (bound && (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError))
      throw fail(path, `gzip data decompress to more than ${bound.maxBytes} bytes, but ${bound.reason}`, bound.code);
    throw gzipDataError(err, path, fail);
  }
}

/**
 * The file error for a zlib error (sync or stream): "truncated gzip data" when the stream ends
 * early, else "corrupt gzip data", both E_CORRUPT, in zlib's own words (never the data).
 */
export function gzipDataError(err: Error & { code?: unknown }, path: string, fail: FileErrorFactory): Error {
  if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message))
    return fail(path, `truncated gzip data (${err.message}): the file was cut short`, 'E_CORRUPT');
  return fail(path, `corrupt gzip data (${err.message})`, 'E_CORRUPT');
}
