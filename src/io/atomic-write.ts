/**
 * Writing one file atomically ({@link writeFileAtomic}), and the helpers the model-directory
 * writer of files.ts shares with it: temporary names, fsync of a directory, and turning a system
 * error into a {@link FileWriteError} reason. See files.ts for the whole scheme.
 *
 * A file goes to a temporary file in the same directory (`<dir>/.<file>.tmp-<hex>`, random hex
 * from node:crypto), flushed to disk, then renamed over the target: rename within a directory is
 * atomic, so a reader sees the old file or the new one, never a mixture.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FileWriteError } from '../errors.js';

/**
 * Fault injection for tests. `afterTempWrite` is called after a temporary file is fully written,
 * before it is flushed and renamed; throwing from it simulates a failure (a full disk, a crash)
 * at the worst moment.
 * @internal not part of the public API.
 */
export const _testHooks: {
  afterTempWrite?: ((tempPath: string) => void | Promise<void>) | undefined;
  /** Called by writeModelDir after the old directory was moved aside, before the new one moves in. */
  betweenRenames?: ((oldPath: string, tempPath: string) => void | Promise<void>) | undefined;
} = {};

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * Flush the file and its directory to the disk before returning (default true). Without it a
   * power cut may lose the new file (the old one may come back), but never leaves a torn one on
   * a journaling file system; a crash of the process alone loses nothing either way.
   */
  fsync?: boolean;
  /**
   * Permission bits for the file (default: an existing file's, else 0o666 less the umask).
   */
  mode?: number;
}

/** @internal shared with files.ts (model directories). */
export function randomHex(): string {
  return randomBytes(6).toString('hex');
}

/** @internal shared with files.ts (model directories). */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** @internal shared with files.ts (model directories). */
export function reasonOf(err: unknown, dir: string): string {
  switch (errorCode(err)) {
    case 'ENOENT': return `the directory ${dir} does not exist`;
    case 'ENOTDIR': return `a component of ${dir} is not a directory`;
    case 'EACCES':
    case 'EPERM': return `permission denied (${(err as Error).message})`;
    case 'ENOSPC': return 'no space left on the device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EROFS': return 'the file system is read-only';
    case 'EISDIR':
    case 'ENOTEMPTY':
    case 'EEXIST': return 'a directory is in the way';
    default: return err instanceof Error ? err.message : String(err);
  }
}

/** @internal shared with files.ts (model directories). */
export function checkData(data: unknown, what: string): asserts data is Uint8Array | string {
  if (typeof data !== 'string' && !(data instanceof Uint8Array))
    throw new TypeError(`${what}: data must be a Uint8Array or a string, got ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}`);
}

/** Flushes a directory's entries (a rename) to disk; best effort (Windows cannot open directories). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (Windows, some network file systems): the rename itself still happened.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Creates `path` (which must not exist), writes `data`, optionally fsyncs, closes. */
export async function writeNewFile(path: string, data: Uint8Array | string, fsync: boolean, mode: number | undefined): Promise<void> {
  const handle = await open(path, 'wx', mode ?? 0o666);
  try {
    await handle.writeFile(data);
    if (mode !== undefined) await handle.chmod(mode); // the umask must not narrow an existing file's mode
    await _testHooks.afterTempWrite?.(path);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file atomically: the data go to a temporary file in the same directory
 * (`.<name>.tmp-<random hex>`), which is flushed to disk and then renamed over `path`. Readers
 * and a crash see either the old file or the complete new one. On failure the temporary file is
 * removed and an existing file at `path` is left as it was. (A process killed at the wrong
 * moment may leave the temporary file; it is never the target, and is safe to delete.)
 *
 * The parent directory must exist. Strings are written as UTF-8.
 *
 * @param path the file to write.
 * @param data its contents.
 * @param options `fsync` (default true) and `mode`.
 * @throws TypeError when data is neither a Uint8Array nor a string (before touching the disk).
 * @throws FileWriteError naming `path` and the reason (missing directory, permission, full disk,
 *   a directory in the way), with the system error as `cause` and its `code`.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, options: WriteFileAtomicOptions = {}): Promise<void> {
  checkData(data, 'writeFileAtomic');
  const target = resolve(path);
  const dir = dirname(target);
  const fsync = options.fsync ?? true;
  let mode = options.mode;
  if (mode === undefined) {
    try {
      const st = await stat(target);
      if (st.isFile()) mode = st.mode & 0o7777;
    } catch {
      // No existing file: the default mode applies.
    }
  }
  const temp = join(dir, `.${basename(target)}.tmp-${randomHex()}`);
  try {
    await writeNewFile(temp, data, fsync, mode);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new FileWriteError(path, `cannot write ${path}: ${reasonOf(err, dir)}`, { code: errorCode(err), cause: err });
  }
  if (fsync) await fsyncDir(dir);
}
