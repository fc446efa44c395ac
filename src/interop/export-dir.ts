/**
 * Writing an exported model's files into a directory, atomically (io/files.ts writeModelDir): the
 * directory appears complete or not at all; an existing one is replaced only with `overwrite` and
 * only when it holds nothing but files of the same export.
 */
import { localPath, type UrlInstance } from '../io/location.js';
import { writeModelDir } from '../io/files.js';

/** Options of the directory exporters (exportTfjs, exportTorch). */
export interface ExportDirOptions {
  /** Replace an existing export in `dir` (default false: a non-empty `dir` is refused). */
  overwrite?: boolean;
}

/**
 * Writes `files` into `dir` (a path or a file:// URL).
 * @param who the exporter's name, for messages.
 * @throws Error naming `dir` when it is not empty and `overwrite` is not set, or holds other files.
 */
export async function writeExportDir(who: string, dir: string | UrlInstance, files: Record<string, string | Uint8Array>, options: ExportDirOptions = {}): Promise<void> {
  const path = await localPath(dir, who);
  try {
    await writeModelDir(path, files, { overwrite: options.overwrite ?? false });
  } catch (e) {
    if ((e as { code?: string }).code === 'EEXIST') throw new Error(`${who}: cannot write to ${path}: it is not empty; pass overwrite: true (--overwrite) to replace an earlier export`);
    throw e;
  }
}
