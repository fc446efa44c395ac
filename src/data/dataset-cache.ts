/**
 * Where fetched data sets are kept: `$NABLA_HOME/datasets`, else
 * `$XDG_CACHE_HOME/nabla/datasets`, else `~/.cache/nabla/datasets`; when that folder cannot be
 * created or written, `<OS temp folder>/nabla-<uid>/datasets`. Each data set has a folder of
 * its own holding its verified files and a `SHA256SUMS` listing them, so the loaders verify a
 * cached copy every time they read it. Node.js only.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { datasetEntry } from './dataset-registry.js';
import { DataFileError } from './files.js';

/** The name of the checksum list written beside a cached data set's files. */
export const CACHE_SUMS_FILE = 'SHA256SUMS';

/**
 * The cache folder the environment asks for (see the module comment); it may not exist yet.
 * @param env the environment (default process.env).
 */
export function defaultCacheRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const home = env['NABLA_HOME'], xdg = env['XDG_CACHE_HOME'];
  if (home) return resolve(home, 'datasets');
  if (xdg) return resolve(xdg, 'nabla', 'datasets');
  return join(homedir(), '.cache', 'nabla', 'datasets');
}

/** The cache folder used when the preferred one is not writable: under the OS temp folder. */
export function fallbackCacheRoot(): string {
  return join(tmpdir(), `nabla-${process.getuid?.() ?? 'user'}`, 'datasets');
}

function usable(root: string): boolean {
  try {
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cache folder to write to: `cacheDir` (default {@link defaultCacheRoot}) when it can be
 * created and written, else `fallbackCacheRoot`. Creates the folder.
 * @throws DataFileError (E_READ) when neither can be created.
 */
export function writableCacheRoot(cacheDir?: string): string {
  const preferred = cacheDir === undefined ? defaultCacheRoot() : resolve(cacheDir);
  if (usable(preferred)) return preferred;
  const fallback = fallbackCacheRoot();
  if (usable(fallback)) return fallback;
  throw new DataFileError(preferred, `cannot create or write the data-set cache folder (nor ${fallback}); set NABLA_HOME to a writable folder`, 'E_READ');
}

/**
 * The folder of a data set's cached copy: in `cacheDir` (default {@link defaultCacheRoot}),
 * else in `fallbackCacheRoot`, when every file of the data set and the `SHA256SUMS` are
 * there. The files are not read here: the loaders verify them against `SHA256SUMS`.
 * @returns the folder, or undefined when the data set has not been fetched.
 * @throws RangeError for an unknown data set name.
 */
export function cachedDatasetDir(name: string, cacheDir?: string): string | undefined {
  const entry = datasetEntry(name);
  const roots = [cacheDir === undefined ? defaultCacheRoot() : resolve(cacheDir), fallbackCacheRoot()];
  for (const root of roots) {
    const dir = join(root, name);
    if ([CACHE_SUMS_FILE, ...entry.files.map((f) => f.name)].every((f) => existsSync(join(dir, f)))) return dir;
  }
  return undefined;
}

/**
 * {@link cachedDatasetDir}, for a loader called without a folder.
 * @throws DataFileError (E_NOT_FOUND) saying in one line how to fetch the data set when it is
 *   not in the cache.
 */
export function requireCachedDataset(name: string): string {
  const dir = cachedDatasetDir(name);
  if (dir !== undefined) return dir;
  throw new DataFileError(join(defaultCacheRoot(), name),
    `${name} is not in the cache; fetch it with 'nabla data fetch ${name}' (behind a firewall: --from DIR|URL), or give the loader its folder`, 'E_NOT_FOUND');
}
