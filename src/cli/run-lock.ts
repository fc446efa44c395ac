/**
 * One `nabla train` at a time per run directory, and nothing a crash left behind in the way.
 *
 * The lock is the file `RUN/.nabla-train.lock`, created exclusively (O_CREAT | O_EXCL, flag 'wx')
 * and holding the owner's process id. A second training aimed at the same --out finds it and
 * stops with one line naming the folder and the pid. A lock whose pid is no longer running (the
 * owner was killed with SIGKILL, or the machine rebooted) is stale and taken over. Creating the
 * folder and the lock file is also the check that --out is writable, done before training starts.
 *
 * While the lock is held nobody else writes the run, so the temporary folders and files an
 * interrupted save left (`model.tmp-<hex>`, `checkpoint.old-<hex>`, `.run.json.tmp-<hex>`; see
 * io/files.ts writeModelDir and writeFileAtomic) are finished or removed: they never block a run.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recoverModelDir } from '../io/files.js';
import { CHECKPOINT_SUBDIR, LOCK_FILE, MODEL_SUBDIR, RUN_FILE } from './run-dir.js';

/** An empty lock file younger than this is being written by its owner, not stale (ms). */
const FRESH_MS = 10_000;

/** Names of leftovers of interrupted atomic writes inside a run directory. */
const LEFTOVER = new RegExp(`^(?:(?:${MODEL_SUBDIR}|${CHECKPOINT_SUBDIR})\\.(?:tmp|old)-[0-9a-f]{12}|\\.${RUN_FILE.replace('.', '\\.')}\\.tmp-[0-9a-f]+)$`);

/** True for the lock file and the leftovers of interrupted writes: entries that do not make a folder "used". */
export function isRunScratch(name: string): boolean {
  return name === LOCK_FILE || LEFTOVER.test(name);
}

/** True when process `pid` is running (EPERM: it runs under another user). */
function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

const reason = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err.code === 'ENOTDIR' ? 'a part of the path is a file, not a folder'
    : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied'
    : err.code === 'EROFS' ? 'read-only file system'
    : err.code === 'ENOSPC' ? 'no space left on device'
    : err.message;
};

/** Another living process holds the run directory's lock (exit code 1, as any runtime error). */
export class RunInUseError extends Error {
  override name = 'RunInUseError';
  /** Always 'E_RUN_IN_USE'. */
  readonly code = 'E_RUN_IN_USE' as const;
}

/** The held lock of a run directory. */
export interface RunLock {
  /** Removes the lock file, and the run directory itself when this lock created it and it stayed empty. */
  release(): void;
}

/**
 * Takes the run directory's lock: creates `out` when needed (the writability check), then the
 * lock file exclusively, taking over a stale one; then finishes or removes leftovers of
 * interrupted saves.
 * @param out the run directory (--out, or the resumed run).
 * @throws Error (one line) when `out` cannot be created or written, or another living process
 *   holds the lock (naming its pid).
 */
export function acquireRunLock(out: string): RunLock {
  let created: string | undefined;
  const lock = join(out, LOCK_FILE);
  try {
    created = mkdirSync(out, { recursive: true });
    takeLock(lock, out);
  } catch (e) {
    if (created !== undefined) rmSync(created, { recursive: true, force: true });
    if (e instanceof RunInUseError) throw e;
    throw new Error(`cannot write the run directory ${out}: ${reason(e)}`);
  }
  return {
    release(): void {
      rmSync(lock, { force: true });
      if (created !== undefined) { try { rmdirSync(out); } catch { /* not empty: the run is there */ } }
    },
  };
}

function takeLock(lock: string, out: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let text = '', age = Infinity;
    try { text = readFileSync(lock, 'utf8'); age = Date.now() - statSync(lock).mtimeMs; } catch { continue; /* released meanwhile */ }
    const pid = Number(text.trim());
    const owned = Number.isInteger(pid) && pid > 0 ? alive(pid) && pid !== process.pid : age < FRESH_MS;
    if (owned || attempt > 0) {
      throw new RunInUseError(`${out} is in use by another nabla train (${Number.isInteger(pid) && pid > 0 ? `pid ${pid}` : 'starting'}); wait for it to finish or choose another --out (a stale lock is ${lock})`);
    }
    rmSync(lock, { force: true }); // stale: its owner is gone
  }
}

/**
 * Finishes or removes what interrupted saves left in a run directory (call with the lock held):
 * a model or checkpoint replacement cut between its two renames is completed (recoverModelDir),
 * every other leftover is deleted.
 */
export async function clearLeftovers(out: string): Promise<void> {
  await recoverModelDir(join(out, MODEL_SUBDIR));
  await recoverModelDir(join(out, CHECKPOINT_SUBDIR));
  for (const name of readdirSync(out)) if (name !== LOCK_FILE && LEFTOVER.test(name)) rmSync(join(out, name), { recursive: true, force: true });
}
