/**
 * Writing the files a user keeps so that a crash (power loss, kill -9, a full disk, an exception
 * half-way) never leaves a half-written file or model behind (docs/design.md, "Errors and bad input").
 *
 * - {@link writeFileAtomic} (atomic-write.ts, re-exported here): one file. Written to a temporary file in the same directory,
 *   flushed to disk, then renamed over the target: rename within a directory is atomic, so a
 *   reader sees the old file or the new one, never a mixture.
 * - {@link writeModelDir}: a directory of files (model.json + weights.safetensors, and a
 *   checkpoint's optimizer.safetensors + training.json) that must stay consistent with each
 *   other. All files are written into a sibling temporary directory, which then takes the
 *   directory's place.
 * - {@link recoverModelDir}: finishes or cleans up a directory replacement that a crash
 *   interrupted.
 *
 * Temporary names are `<dir>/.<file>.tmp-<hex>` for a file and `<dir>.tmp-<hex>` /
 * `<dir>.old-<hex>` for a model directory, with random hex from node:crypto.
 */
import { lstat, mkdir, readdir, realpath, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { DecodedSafetensors, SafetensorsEntry } from './safetensors.js';
import { _testHooks, checkData, errorCode, fsyncDir, randomHex, reasonOf, writeFileAtomic, writeNewFile } from './atomic-write.js';
import type { WriteFileAtomicOptions } from './atomic-write.js';
import { ModelFileError } from './validate.js';
import { readFileBounded } from '../data/read-bounded.js';
import type { FileErrorFactory, FileKind } from '../data/read-bounded.js';
import { FileWriteError } from '../errors.js';
import { resolveLimits } from '../limits.js';
import type { Limits, LimitsOverride } from '../limits.js';

export { FileWriteError };
export { _testHooks, writeFileAtomic } from './atomic-write.js';
export type { WriteFileAtomicOptions } from './atomic-write.js';

/** Builds a {@link ModelFileError} (no field): the factory `io/` passes to read-bounded.ts. */
export const modelFileError: FileErrorFactory = (path, problem, code) =>
  new ModelFileError(path, code === 'E_NOT_FOUND' ? 'does not exist' : problem, undefined, code);

/** Options of {@link readFileBytes}. */
export interface ReadFileBytesOptions {
  /** Which limit of `LIMITS.maxFileBytes` applies (default: 'safetensors' for a `.safetensors`
   *  file, else 'json'). */
  kind?: FileKind;
  /** Limits in force (default `LIMITS`). */
  limits?: LimitsOverride | Limits;
}

/**
 * Reads a whole file a user keeps, after checking with `stat` that it is a regular file (a
 * symbolic link is followed only to one) of at most `LIMITS.maxFileBytes[kind]` bytes.
 * @returns its bytes.
 * @throws ModelFileError naming the path: E_NOT_FOUND when the file does not exist,
 *   E_NOT_REGULAR_FILE for a folder, FIFO or device, E_TOO_LARGE over the limit (naming it),
 *   E_READ when it cannot be read.
 */
export async function readFileBytes(path: string, options: ReadFileBytesOptions = {}): Promise<Uint8Array> {
  const kind = options.kind ?? (path.endsWith('.safetensors') ? 'safetensors' : 'json');
  const bytes = readFileBounded(path, kind, resolveLimits(options.limits), modelFileError);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Writes tensors to a safetensors file, atomically ({@link encodeSafetensors} +
 * {@link writeFileAtomic}).
 * @throws TypeError / RangeError from {@link encodeSafetensors}; FileWriteError when the write fails.
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: readonly SafetensorsEntry[],
  metadata?: Readonly<Record<string, string>>,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata), options);
}

/**
 * Reads and validates a safetensors file ({@link readFileBytes} + {@link decodeSafetensors}).
 * @throws ModelFileError naming the path when the file is missing, not a regular file, over
 *   `LIMITS.maxFileBytes.safetensors`, unreadable, truncated or corrupt.
 */
export async function readSafetensorsFile(path: string, options: ReadFileBytesOptions = {}): Promise<DecodedSafetensors> {
  return decodeSafetensors(await readFileBytes(path, { kind: 'safetensors', ...options }), path);
}

/** Options of {@link writeModelDir}. */
export interface WriteModelDirOptions {
  /**
   * Replace an existing, non-empty model directory (default false: it is refused with a
   * FileWriteError of code 'EEXIST'). An empty directory is always written into.
   */
  overwrite?: boolean;
  /**
   * Names an existing directory may hold, besides the names in `files`, and still count as a
   * model directory that `overwrite` may replace (e.g. `['optimizer.safetensors',
   * 'training.json']` when a plain save replaces a checkpoint). Ignored when `canReplace` is given.
   */
  knownFiles?: readonly string[];
  /**
   * Decides whether an existing, non-empty directory may be replaced (asked only with
   * `overwrite`). Default: every entry is a regular file named in `files` or `knownFiles`, so a
   * save never deletes a directory of the user's own files (`model.save('.')`).
   */
  canReplace?: (dir: string, entries: readonly string[]) => boolean | Promise<boolean>;
  /** Flush files and directories to disk (default true); see {@link WriteFileAtomicOptions.fsync}. */
  fsync?: boolean;
}

const BAD_NAME = /[/\\\0]/;

async function defaultCanReplace(dir: string, entries: readonly string[], allowed: ReadonlySet<string>): Promise<boolean> {
  for (const e of entries) {
    if (!allowed.has(e)) return false;
    const st = await lstat(join(dir, e));
    if (!st.isFile()) return false;
  }
  return true;
}

/**
 * Writes a model directory so that it is never half-written, and its files always belong to the
 * same save.
 *
 * How: all files are written and flushed into a new sibling directory `<dir>.tmp-<hex>`, which
 * then takes `dir`'s place:
 * - `dir` does not exist (or is empty): one rename; `dir` appears complete, atomically. Missing
 *   parent directories are created.
 * - `dir` exists with files and `overwrite` is set: `dir` is renamed to `<dir>.old-<hex>`, the
 *   new directory is renamed to `dir`, and the old one is deleted. Files of the old save that
 *   this save does not write (a checkpoint's optimizer state) go with it.
 *
 * Guarantee: at every moment `dir` is absent, the complete old directory, or the complete new
 * one. A crash can only leave, besides that, a `<dir>.tmp-<hex>` (a save that had not finished
 * and is safe to delete) or a `<dir>.old-<hex>` (a replaced save); a crash in the instant between
 * the two renames leaves `dir` absent with both, complete: {@link recoverModelDir} puts the new
 * one in place. On an error the temporary directory is removed and `dir` is left as it was.
 *
 * @param dir   the model directory (a symbolic link to a directory is followed).
 * @param files file name -> contents, written in this order; names are plain file names.
 * @param options `overwrite`, `knownFiles`, `canReplace`, `fsync`.
 * @throws TypeError when `files` is empty, a name is not a plain file name, or contents are
 *   neither a Uint8Array nor a string (before touching the disk).
 * @throws FileWriteError when `dir` exists and is not a directory, is a non-empty directory and
 *   `overwrite` is not set (code 'EEXIST'), holds other files than a saved model's, or a write
 *   fails (naming `dir` and the reason).
 */
export async function writeModelDir(
  dir: string,
  files: Readonly<Record<string, Uint8Array | string>>,
  options: WriteModelDirOptions = {},
): Promise<void> {
  if (typeof files !== 'object' || files === null) throw new TypeError('writeModelDir: files must be an object of file name -> contents');
  const names = Object.keys(files);
  if (names.length === 0) throw new TypeError('writeModelDir: files is empty; a model directory needs at least one file');
  for (const name of names) {
    if (name === '' || name === '.' || name === '..' || BAD_NAME.test(name))
      throw new TypeError(`writeModelDir: ${JSON.stringify(name)} is not a plain file name (no slashes, not '.' or '..')`);
    checkData(files[name], `writeModelDir: file '${name}'`);
  }
  const fsync = options.fsync ?? true;
  let target = resolve(dir);
  const failWith = (err: unknown, what = 'cannot save to'): never => {
    if (err instanceof FileWriteError || err instanceof TypeError) throw err;
    throw new FileWriteError(dir, `${what} ${dir}: ${reasonOf(err, dirname(target))}`, { code: errorCode(err), cause: err });
  };

  // What is there now?
  let exists = false;
  let entries: string[] = [];
  try {
    const st = await lstat(target);
    if (st.isSymbolicLink()) target = await realpath(target);
    const real = st.isSymbolicLink() ? await stat(target) : st;
    if (!real.isDirectory())
      throw new FileWriteError(dir, `cannot save a model to ${dir}: it exists and is not a directory`, { code: 'ENOTDIR' });
    exists = true;
    entries = await readdir(target);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') failWith(err);
  }
  if (entries.length > 0) {
    if (!options.overwrite)
      throw new FileWriteError(dir, `cannot save a model to ${dir}: it already exists (pass overwrite: true to replace it)`, { code: 'EEXIST' });
    const allowed = new Set([...names, ...(options.knownFiles ?? [])]);
    let ok: boolean;
    try {
      ok = options.canReplace ? await options.canReplace(target, entries) : await defaultCanReplace(target, entries, allowed);
    } catch (err) {
      return failWith(err);
    }
    if (!ok) {
      const foreign = entries.filter((e) => !allowed.has(e));
      const shown = (foreign.length > 0 ? foreign : [...entries]).sort();
      const list = shown.slice(0, 5).map((e) => `'${e}'`).join(', ') + (shown.length > 5 ? `, ... (${shown.length} in all)` : '');
      throw new FileWriteError(
        dir,
        `refusing to replace ${dir}: it does not look like a saved model (it holds ${list}); choose another directory or remove it yourself`,
        { code: 'EEXIST' },
      );
    }
  }

  const parent = dirname(target);
  const hex = randomHex();
  const temp = `${target}.tmp-${hex}`;
  const old = `${target}.old-${hex}`;
  try {
    if (!exists) await mkdir(parent, { recursive: true });
    await mkdir(temp);
  } catch (err) {
    failWith(err);
  }
  let movedOld = false;
  try {
    for (const name of names) await writeNewFile(join(temp, name), files[name]!, fsync, undefined);
    if (fsync) await fsyncDir(temp);
    if (!exists) {
      await rename(temp, target);
    } else if (entries.length === 0) {
      try {
        await rename(temp, target); // POSIX replaces an empty directory atomically
      } catch {
        await rmdir(target); // elsewhere (Windows) remove the empty directory first
        await rename(temp, target);
      }
    } else {
      await rename(target, old);
      movedOld = true;
      try {
        await _testHooks.betweenRenames?.(old, temp);
        await rename(temp, target);
      } catch (err) {
        await rename(old, target); // put the old save back
        movedOld = false;
        throw err;
      }
    }
  } catch (err) {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    return failWith(err);
  }
  if (fsync) await fsyncDir(parent);
  if (movedOld) await removeOldSave(old, entries);
}

/** Deletes a replaced save: the entries that were approved, then the directory; best effort. */
async function removeOldSave(old: string, entries: readonly string[]): Promise<void> {
  for (const e of entries) await rm(join(old, e), { recursive: true, force: true }).catch(() => undefined);
  // If something appeared in it meanwhile, rmdir fails and the directory stays for the user.
  await rmdir(old).catch(() => undefined);
}

/** What {@link recoverModelDir} did. */
export interface RecoverModelDirResult {
  /** A replacement was interrupted between its two renames and has been completed. */
  completed: boolean;
  /** The new save was lost and the previous one, `<dir>.old-<hex>`, was renamed back to `dir`. */
  restored: boolean;
  /** Leftover directories that were removed (`<dir>.old-<hex>` of finished saves). */
  removed: string[];
  /** Leftover `<dir>.tmp-<hex>` directories that were left alone (possibly a save still running). */
  unfinished: string[];
}

/**
 * Repairs what a crash during {@link writeModelDir} can leave:
 * - `dir` absent, `<dir>.old-<hex>` and `<dir>.tmp-<hex>` present (the crash fell between the two
 *   renames; the temporary directory is complete): the new save is renamed into place and the
 *   old one removed;
 * - `dir` absent and only `<dir>.old-<hex>` present: the old save is renamed back to `dir`;
 * - `dir` present and a `<dir>.old-<hex>` beside it (the crash fell before the old save was
 *   deleted): the old one is removed.
 * Lone `<dir>.tmp-<hex>` directories are reported, not deleted: another save may be writing them.
 *
 * @param dir the model directory.
 * @returns what was done.
 * @throws FileWriteError when a rename or removal fails.
 */
export async function recoverModelDir(dir: string): Promise<RecoverModelDirResult> {
  const target = resolve(dir);
  const parent = dirname(target);
  const base = basename(target);
  const result: RecoverModelDirResult = { completed: false, restored: false, removed: [], unfinished: [] };
  let siblings: string[];
  try {
    siblings = await readdir(parent);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return result;
    throw new FileWriteError(dir, `cannot look for interrupted saves of ${dir}: ${reasonOf(err, parent)}`, { code: errorCode(err), cause: err });
  }
  const pattern = /^\.(old|tmp)-([0-9a-f]{12})$/;
  const olds = new Set<string>();
  const temps = new Set<string>();
  for (const s of siblings) {
    if (!s.startsWith(base)) continue;
    const m = pattern.exec(s.slice(base.length));
    if (!m) continue;
    (m[1] === 'old' ? olds : temps).add(m[2]!);
  }
  let exists = true;
  try {
    await lstat(target);
  } catch {
    exists = false;
  }
  try {
    for (const hex of olds) {
      const old = join(parent, `${base}.old-${hex}`);
      if (!exists) {
        if (temps.has(hex)) {
          // Crashed between the two renames: the new save is complete, put it in place.
          await rename(join(parent, `${base}.tmp-${hex}`), target);
          temps.delete(hex);
          result.completed = true;
        } else {
          // The new save is gone (a failed rename whose rollback failed too): restore the old one.
          await rename(old, target);
          result.restored = true;
          exists = true;
          continue;
        }
        exists = true;
      }
      await rm(old, { recursive: true, force: true });
      result.removed.push(old);
    }
  } catch (err) {
    throw new FileWriteError(dir, `cannot recover the interrupted save of ${dir}: ${reasonOf(err, parent)}`, { code: errorCode(err), cause: err });
  }
  result.unfinished = [...temps].map((hex) => join(parent, `${base}.tmp-${hex}`));
  return result;
}
