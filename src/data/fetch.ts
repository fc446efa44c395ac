/**
 * `fetchDataset(name)`: downloads a data set of the registry (src/data/dataset-registry.ts)
 * into the cache (src/data/dataset-cache.ts), as `keras.utils.get_file` and torchvision's
 * `download=True` do, but explicitly: no loader ever downloads by itself.
 *
 * Each file goes to a temporary file in the data set's cache folder, is checked against its
 * SHA-256, and only then renamed into place, so a truncated or corrupt download never becomes
 * the cached copy. A copy already in the cache is verified again before it is trusted; one
 * that fails is deleted and fetched anew. Node.js only.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { resolveLimits, type LimitsOverride } from '../limits.js';
import { CACHE_SUMS_FILE, writableCacheRoot } from './dataset-cache.js';
import { datasetEntry, type RegistryFile } from './dataset-registry.js';
import { copyLocal, createDispatcher, digestFile, downloadUrl, httpUrl, type TransferOptions } from './download.js';
import { DataFileError } from './files.js';

/** Options of {@link fetchDataset}. */
export interface FetchDatasetOptions {
  /** The cache folder (default `$NABLA_HOME/datasets`, `$XDG_CACHE_HOME/nabla/datasets` or
   *  `~/.cache/nabla/datasets`; the OS temp folder when that is not writable). */
  cacheDir?: string;
  /**
   * Where to get the files instead of the canonical URLs: http(s) base URLs or local folders,
   * tried in order, each laid out as `<mirror>/<data set name>/<upstream file name>` (a local
   * folder may also hold the files directly). When given, the canonical URLs are not tried.
   */
  mirrors?: readonly string[];
  /** Called as each file is found in the cache, starts, receives bytes and is verified. */
  onProgress?: (event: FetchProgress) => void;
  /** Give up on a source when no bytes arrive for this long, in ms (default 30,000). */
  timeoutMs?: number;
  /** Overrides of {@link LIMITS}; `maxFileBytes.download` bounds each file. */
  limits?: LimitsOverride;
}

/** One progress report of {@link fetchDataset}. */
export interface FetchProgress {
  dataset: string;
  file: string;
  /** 'cached': a verified copy was already there; 'start' / 'data' / 'done': a transfer. */
  phase: 'cached' | 'start' | 'data' | 'done';
  /** Bytes received so far (the file's size for 'cached' and 'done'). */
  receivedBytes: number;
  /** Expected size when known (Content-Length, a local file's size). */
  totalBytes?: number;
  /** The URL or path being read (not for 'cached'). */
  source?: string;
}

/** The default stall timeout of {@link fetchDataset}, in ms. */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

type Source = { kind: 'url'; base: string } | { kind: 'dir'; dir: string };

/** Where one mirror keeps a data set's files (see {@link FetchDatasetOptions.mirrors}). */
function mirrorSource(mirror: string, name: string): Source {
  if (/^[a-z][a-z0-9+.-]+:/i.test(mirror)) {
    if (/^file:/i.test(mirror)) return mirrorSource(fileURLToPath(mirror), name);
    httpUrl(mirror);
    return { kind: 'url', base: `${mirror.replace(/\/+$/, '')}/${encodeURIComponent(name)}/` };
  }
  const nested = join(mirror, name);
  return { kind: 'dir', dir: existsSync(nested) && statSync(nested).isDirectory() ? nested : mirror };
}

/** True when the digests of a file's bytes match its registry entry. */
function matches(file: RegistryFile, digest: { sha256: string; gunzipped?: string }): boolean {
  return digest.sha256 === file.sha256 || (file.gunzippedSha256 !== undefined && digest.gunzipped === file.gunzippedSha256);
}

/** Digests of a file, decompressing only when its raw digest does not already match. */
async function digestFor(path: string, file: RegistryFile, gunzipLimit: number): Promise<{ sha256: string; gunzipped?: string }> {
  const raw = await digestFile(path);
  return raw.sha256 === file.sha256 || file.gunzippedSha256 === undefined ? raw : digestFile(path, gunzipLimit);
}

interface Job {
  sources: Source[];
  tmp: string;
  transfer: (onData: TransferOptions['onData']) => TransferOptions;
  dispatcher: () => Dispatcher;
  gunzipLimit: number;
  report: (e: Omit<FetchProgress, 'dataset'>) => void;
}

/**
 * Fetches one file from the first source that gives a verified copy, into the temporary folder.
 * @returns the temporary path and the file's raw SHA-256.
 * @throws the DataFileError of the last source tried when none succeeds.
 */
async function fetchFile(job: Job, file: RegistryFile): Promise<{ path: string; sha256: string }> {
  const part = join(job.tmp, file.name);
  let last: unknown;
  for (const source of job.sources) {
    const where = source.kind === 'url' ? source.base + encodeURIComponent(file.name) : join(source.dir, file.name);
    try {
      job.report({ file: file.name, phase: 'start', receivedBytes: 0, source: where });
      const options = job.transfer((receivedBytes, totalBytes) =>
        job.report({ file: file.name, phase: 'data', receivedBytes, ...(totalBytes === undefined ? {} : { totalBytes }), source: where }));
      const got = source.kind === 'url' ? await downloadUrl(where, part, job.dispatcher(), options) : await copyLocal(where, part, options);
      const digest = await digestFor(part, file, job.gunzipLimit);
      if (!matches(file, digest))
        throw new DataFileError(where, `checksum mismatch: SHA-256 is ${digest.sha256}, expected ${file.sha256} (damaged, or not the published file)`, 'E_CHECKSUM');
      job.report({ file: file.name, phase: 'done', receivedBytes: got.bytes, totalBytes: got.bytes, source: where });
      return { path: part, sha256: digest.sha256 };
    } catch (err) {
      rmSync(part, { force: true });
      last = err;
    }
  }
  throw last;
}

/**
 * Downloads a data set into the cache (or finds it there), verifies every file's SHA-256,
 * and returns the folder that holds the verified files (and a `SHA256SUMS` listing them, which
 * the loaders check on every read). Known names: `nabla data list` / {@link datasetNames}.
 * @param name a registry name, e.g. 'fashion-mnist', 'digits-8x8', 'linnerud'.
 * @param options cache folder, mirrors, progress callback, stall timeout, limits.
 * @returns the absolute path of `<cache>/<name>`.
 * @throws RangeError for an unknown name (listing the known ones) or a bad timeoutMs;
 *   DataFileError naming the URL or file: E_NETWORK (HTTP status, refused connection, too many
 *   redirects), E_TIMEOUT (no bytes for timeoutMs), E_CHECKSUM, E_CORRUPT (body shorter than
 *   Content-Length), E_TOO_LARGE (LIMITS.maxFileBytes.download), E_UNSUPPORTED (not http(s)),
 *   E_NOT_FOUND (a file missing from a local mirror), E_READ (cache not writable).
 */
export async function fetchDataset(name: string, options: FetchDatasetOptions = {}): Promise<string> {
  const entry = datasetEntry(name);
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`fetchDataset: timeoutMs must be a positive number of ms, got ${String(timeoutMs)}`);
  const limits = resolveLimits(options.limits);
  const sources: Source[] = options.mirrors !== undefined && options.mirrors.length > 0
    ? options.mirrors.map((m) => mirrorSource(m, name))
    : entry.urls.map((base) => ({ kind: 'url', base }));
  const dir = join(writableCacheRoot(options.cacheDir), name);
  mkdirSync(dir, { recursive: true });
  let dispatcher: Dispatcher | undefined;
  const job: Job = {
    sources, tmp: mkdtempSync(join(dir, '.download-')), gunzipLimit: limits.maxFileBytes.gunzip,
    transfer: (onData) => ({ timeoutMs, maxBytes: limits.maxFileBytes.download, ...(onData ? { onData } : {}) }),
    dispatcher: () => (dispatcher ??= createDispatcher(timeoutMs)),
    report: (e) => options.onProgress?.({ dataset: name, ...e }),
  };
  try {
    const sums: string[] = [];
    for (const file of entry.files) {
      const target = join(dir, file.name);
      if (existsSync(target)) {
        const digest = statSync(target).isFile() && statSync(target).size <= limits.maxFileBytes.download
          ? await digestFor(target, file, job.gunzipLimit) : undefined;
        if (digest !== undefined && matches(file, digest)) {
          job.report({ file: file.name, phase: 'cached', receivedBytes: statSync(target).size });
          sums.push(`${digest.sha256}  ${file.name}`);
          continue;
        }
        rmSync(target, { recursive: true, force: true }); // a damaged cached copy is never used
      }
      const got = await fetchFile(job, file);
      renameSync(got.path, target);
      sums.push(`${got.sha256}  ${file.name}`);
    }
    const sumsTmp = join(job.tmp, CACHE_SUMS_FILE);
    writeFileSync(sumsTmp, sums.join('\n') + '\n');
    renameSync(sumsTmp, join(dir, CACHE_SUMS_FILE));
    return dir;
  } catch (err) {
    if (existsSync(join(dir, CACHE_SUMS_FILE)) && !entry.files.every((f) => existsSync(join(dir, f.name)))) unlinkSync(join(dir, CACHE_SUMS_FILE));
    throw err;
  } finally {
    rmSync(job.tmp, { recursive: true, force: true });
    await dispatcher?.close();
  }
}
