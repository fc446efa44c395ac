/**
 * {@link ModelFileError}: the one error class of reading the files a user keeps (model.json,
 * training.json, the safetensors files), with a stable {@link FileErrorCode} (src/errors.ts).
 * Re-exported by validate.ts, where the field checks that throw it live. No Node.js imports.
 */
import type { FileErrorCode } from '../errors.js';

/**
 * A file a user keeps (model, weights, checkpoint) is corrupt, truncated or has a wrong field.
 *
 * The message is `"<file name>: <problem> (in <path>)"` (the `(in ...)` part is left out when the
 * path is just the file name), so it names the file and what was wrong without a stack trace.
 */
export class ModelFileError extends Error {
  /** The file's path (or URL) as given by the caller. */
  readonly path: string;
  /** The field inside the file (`'layers[2].config.units'`), or undefined for whole-file problems. */
  readonly field: string | undefined;
  /** The problem alone, without the file name and path. */
  readonly problem: string;
  /** What kind of problem it is: a stable code the command line and callers branch on. */
  readonly code: FileErrorCode;

  /**
   * @param path    the file's path or URL, as the user gave it.
   * @param problem what is wrong, as a phrase (`"field 'x' must be a string, got 3"`).
   * @param field   the field's path inside the file, when the problem is one field.
   * @param code    the stable code (default `'E_INVALID'` when a field is named, else `'E_CORRUPT'`).
   */
  constructor(path: string, problem: string, field?: string, code?: FileErrorCode) {
    const name = fileLabel(path);
    super(`${name}: ${problem}${name === path ? '' : ` (in ${path})`}`);
    this.name = 'ModelFileError';
    this.path = path;
    this.field = field;
    this.problem = problem;
    this.code = code ?? (field === undefined ? 'E_CORRUPT' : 'E_INVALID');
  }
}

/** The last component of a path or URL (`'/a/b/model.json'` -> `'model.json'`). */
export function fileLabel(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const base = i >= 0 ? trimmed.slice(i + 1) : trimmed;
  return base === '' ? path : base;
}
