/**
 * Copying one file from an http(s) URL or a local path into a temporary file, hashing it on
 * the way: the transport under {@link fetchDataset}. HTTP goes through undici; when
 * HTTPS_PROXY / HTTP_PROXY are set, undici's EnvHttpProxyAgent routes requests through the
 * proxy (honouring NO_PROXY). Node.js only.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type * as Undici from 'undici';

let undiciModule: typeof Undici | null = null;
/**
 * undici, loaded on the first download rather than when nabla is imported: loading it compiles
 * its HTTP parser (WebAssembly), and importing nabla compiles nothing.
 */
function undici(): typeof Undici {
  return undiciModule ??= createRequire(import.meta.url)('undici') as typeof Undici;
}
import { DataFileError } from './files.js';

/** How one transfer is bounded and reported. */
export interface TransferOptions {
  /** Longest wait for a connection, the response headers, or the next bytes of the body (ms). */
  timeoutMs: number;
  /** Largest number of bytes accepted (LIMITS.maxFileBytes.download). */
  maxBytes: number;
  /** Called after each chunk with the bytes so far and the expected total when known. */
  onData?: (received: number, total: number | undefined) => void;
}

/** What a transfer wrote: the SHA-256 (hex) of its bytes and their count. */
export interface Transferred { sha256: string; bytes: number }

/** The most redirects one download follows. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * The undici dispatcher for a fetch: an EnvHttpProxyAgent when a proxy variable is set, else a
 * plain Agent; both time out after `timeoutMs` without progress. Close it when done.
 */
export function createDispatcher(timeoutMs: number): Dispatcher {
  const options = { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  if (!PROXY_VARS.some((k) => process.env[k])) return new (undici().Agent)(options);
  // undici marks EnvHttpProxyAgent experimental with a process warning from its constructor;
  // keep that one warning off the command line's stderr, let every other warning through.
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning instanceof Error ? warning.message : warning).includes('EnvHttpProxyAgent is experimental'))
      (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return new (undici().EnvHttpProxyAgent)(options);
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Parses a URL that may be fetched.
 * @throws DataFileError (E_UNSUPPORTED) for a malformed URL or a scheme other than http / https.
 */
export function httpUrl(text: string): URL {
  let url: URL;
  try { url = new URL(text); } catch { throw new DataFileError(text, 'not a valid URL', 'E_UNSUPPORTED'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DataFileError(text, `only http and https URLs can be fetched, not ${url.protocol}`, 'E_UNSUPPORTED');
  return url;
}

/** Maps an error of undici, a stream or the file system to a DataFileError about `where`. */
function transferError(where: string, dest: string, err: unknown, timeoutMs: number, received = 0, total?: number): DataFileError {
  if (err instanceof DataFileError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT')
    return new DataFileError(where, `stalled: no data for ${timeoutMs} ms (${e.code})`, 'E_TIMEOUT');
  if (e.syscall === 'open' || e.syscall === 'write')
    return new DataFileError(dest, `cannot write the temporary file: ${e.message}`, 'E_READ');
  if (total !== undefined && received < total)
    return new DataFileError(where, `truncated: the connection ended after ${received} of ${total} bytes (Content-Length)`, 'E_CORRUPT');
  return new DataFileError(where, `download failed: ${e.message}${e.code ? ` (${e.code})` : ''}`, 'E_NETWORK');
}

function tooLarge(where: string, bytes: number, maxBytes: number): DataFileError {
  return new DataFileError(where, `${bytes} bytes is larger than LIMITS.maxFileBytes.download (${maxBytes} bytes)`, 'E_TOO_LARGE');
}

/**
 * Streams `source` into `dest` (created or truncated), hashing and counting the bytes.
 * @throws DataFileError: E_TOO_LARGE past `maxBytes`; E_CORRUPT when fewer bytes than `total`
 *   arrive; E_TIMEOUT / E_NETWORK for a stalled or failed source; E_READ when `dest` cannot
 *   be written.
 */
async function save(where: string, source: Readable, dest: string, options: TransferOptions, total?: number): Promise<Transferred> {
  const hash = createHash('sha256');
  let received = 0;
  try {
    await pipeline(source, async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        received += chunk.length;
        if (received > options.maxBytes) throw tooLarge(where, received, options.maxBytes);
        hash.update(chunk);
        options.onData?.(received, total);
        yield chunk;
      }
    }, createWriteStream(dest));
  } catch (err) {
    throw transferError(where, dest, err, options.timeoutMs, received, total);
  }
  if (total !== undefined && received !== total)
    throw new DataFileError(where, `truncated: ${received} bytes arrived but Content-Length said ${total}`, 'E_CORRUPT');
  return { sha256: hash.digest('hex'), bytes: received };
}

/**
 * Downloads `url` into `dest`, following at most {@link MAX_REDIRECTS} redirects (to http(s)
 * URLs only). Only a 200 response is saved.
 * @throws DataFileError naming the URL: E_NETWORK for an HTTP status other than 200 (with the
 *   status), a refused or reset connection or too many redirects; E_TIMEOUT when nothing
 *   arrives for `timeoutMs`; E_TOO_LARGE when Content-Length or the body exceeds `maxBytes`;
 *   E_CORRUPT when the body is shorter than Content-Length; E_UNSUPPORTED for a non-http(s) URL.
 */
export async function downloadUrl(url: string, dest: string, dispatcher: Dispatcher, options: TransferOptions): Promise<Transferred> {
  let current = httpUrl(url);
  for (let redirects = 0; ; redirects++) {
    let res: Dispatcher.ResponseData;
    try {
      res = await undici().request(current, { dispatcher, method: 'GET', headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
    } catch (err) {
      throw transferError(current.href, dest, err, options.timeoutMs);
    }
    const status = res.statusCode;
    if (status === 200) {
      const length = res.headers['content-length'];
      const total = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
      if (total !== undefined && total > options.maxBytes) {
        res.body.on('error', () => undefined).destroy();
        throw tooLarge(current.href, total, options.maxBytes);
      }
      return save(current.href, res.body, dest, options, total);
    }
    await res.body.dump().catch(() => undefined);
    const location = res.headers['location'];
    if (!REDIRECT_STATUS.has(status) || typeof location !== 'string')
      throw new DataFileError(current.href, `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd(), 'E_NETWORK');
    if (redirects >= MAX_REDIRECTS) throw new DataFileError(url, `more than ${MAX_REDIRECTS} redirects`, 'E_NETWORK');
    current = httpUrl(new URL(location, current).href);
  }
}

/**
 * Copies a local file into `dest` (a mirror folder given with `--from DIR`).
 * @throws DataFileError naming `path`: E_NOT_FOUND, E_NOT_REGULAR_FILE, E_TOO_LARGE (from its
 *   size, before reading), E_READ.
 */
export async function copyLocal(path: string, dest: string, options: TransferOptions): Promise<Transferred> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new DataFileError(path, 'is not a regular file', 'E_NOT_REGULAR_FILE');
    size = st.size;
  } catch (err) {
    if (err instanceof DataFileError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new DataFileError(path, e.code === 'ENOENT' ? 'file not found' : `cannot read: ${e.message}`, e.code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_READ');
  }
  if (size > options.maxBytes) throw tooLarge(path, size, options.maxBytes);
  return save(path, createReadStream(path), dest, options, size);
}

/**
 * The SHA-256 (hex) of a file's bytes and, for a gzip file, optionally of its decompressed
 * content.
 * @param gunzipLimit when given, also decompress (at most this many output bytes; past it, or
 *   for data that is not valid gzip, `gunzipped` is undefined).
 */
export async function digestFile(path: string, gunzipLimit?: number): Promise<{ sha256: string; gunzipped?: string }> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), async function* (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) hash.update(chunk);
  });
  const sha256 = hash.digest('hex');
  if (gunzipLimit === undefined) return { sha256 };
  const inner = createHash('sha256');
  let out = 0;
  try {
    await pipeline(createReadStream(path), createGunzip(), async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        out += chunk.length;
        if (out > gunzipLimit) throw new RangeError('decompressed size over the limit');
        inner.update(chunk);
      }
    });
  } catch {
    return { sha256 };
  }
  return { sha256, gunzipped: inner.digest('hex') };
}
