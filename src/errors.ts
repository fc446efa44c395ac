/**
 * The error vocabulary shared by every layer of nabla (docs/design.md, "Errors and bad input").
 * Callers and the command line branch on the class (`instanceof`) and on `code`, never on
 * message text; a message may be reworded, a class or a code never changes.
 *
 * | class | code | thrown for |
 * |---|---|---|
 * | `TypeError` | — | a programmer's mistake in an argument: options that are not an object, an **unknown option key** (everywhere: layers, optimisers, schedules, `compile`, `fit`, classic models), a value of the wrong type (a string for a number, a name not among the choices) |
 * | `RangeError` | — | a value of the right type out of its range (0 units, a rate of 1, NaN) |
 * | `Error` | — | a call the object's state refuses (predict before build, fit before compile), an unknown registry name (optimizer, loss, activation, metric; the message lists the valid ones, as TF.js's ValueError) |
 * | {@link DataFileError} (`data/`) | a {@link FileErrorCode} | reading a data file, an image or a download |
 * | {@link ModelFileError} (`io/`) | a {@link FileErrorCode} | reading a model or checkpoint directory |
 * | {@link FileWriteError} | the system's (`'ENOSPC'`, `'EACCES'`, ...) or `'EEXIST'` | writing a file or model directory (`'EEXIST'`: it holds something else and `overwrite` was not set) |
 * | {@link DisposedError} | `'E_DISPOSED'` | a model, layer or optimiser used after `dispose()` |
 * | `NonFiniteLossError` (`train/`) | `'E_NON_FINITE_LOSS'` | a training step whose loss is NaN or infinite |
 *
 * The rule for options: TF.js throws its `ValueError` (a plain `Error`) for most bad arguments;
 * nabla follows JavaScript's and Node's built-in convention instead (Node's ERR_INVALID_ARG_TYPE
 * and ERR_INVALID_ARG_VALUE are `TypeError`s, ERR_OUT_OF_RANGE a `RangeError`), so an unknown key,
 * a wrong argument rather than a wrong number, is a `TypeError` everywhere (src/validate.ts holds
 * the one set of option checks). Code that adds context to an
 * error on its way up ("model.json: layer 2 (Dense): ...") uses {@link withContext}, which keeps
 * the class and the code.
 *
 * This module imports nothing, so any layer may use it; it runs in the browser too.
 */

/**
 * Stable codes of the file errors. They are part of the public contract: never renamed.
 *
 * | code | meaning |
 * |---|---|
 * | `E_NOT_FOUND` | the file or folder does not exist |
 * | `E_NOT_REGULAR_FILE` | a device, FIFO, socket or folder where a regular file was expected (a symlink is followed only to a regular file) |
 * | `E_TOO_LARGE` | larger than a documented limit of {@link LIMITS} (the message names the limit) |
 * | `E_CORRUPT` | bytes that do not parse: truncated, malformed, wrong magic number, bad gzip |
 * | `E_INVALID` | parses, but a field has a wrong type or value (the message names the field) |
 * | `E_NON_FINITE` | weights holding NaN or Infinity (the message names the tensor) |
 * | `E_CHECKSUM` | the SHA-256 does not match the expected one |
 * | `E_UNSUPPORTED` | a format, version, scheme or layer that nabla cannot read |
 * | `E_INCOMPLETE` | a run or model directory that a crash left without its completing file |
 * | `E_NETWORK` | a download failed (HTTP status, connection refused, reset) |
 * | `E_TIMEOUT` | a download or read stalled past its time limit |
 * | `E_READ` | the operating system refused the read (permissions, I/O error) |
 */
export type FileErrorCode =
  | 'E_NOT_FOUND'
  | 'E_NOT_REGULAR_FILE'
  | 'E_TOO_LARGE'
  | 'E_CORRUPT'
  | 'E_INVALID'
  | 'E_NON_FINITE'
  | 'E_CHECKSUM'
  | 'E_UNSUPPORTED'
  | 'E_INCOMPLETE'
  | 'E_NETWORK'
  | 'E_TIMEOUT'
  | 'E_READ';

/** Every {@link FileErrorCode}, in the order of the table above. */
export const FILE_ERROR_CODES: readonly FileErrorCode[] = Object.freeze([
  'E_NOT_FOUND', 'E_NOT_REGULAR_FILE', 'E_TOO_LARGE', 'E_CORRUPT', 'E_INVALID', 'E_NON_FINITE',
  'E_CHECKSUM', 'E_UNSUPPORTED', 'E_INCOMPLETE', 'E_NETWORK', 'E_TIMEOUT', 'E_READ',
]);

/**
 * Thrown when a model, layer or optimiser is used after its `dispose()`, and when a kernel is
 * handed a wasm buffer whose block was freed (a stale view of a disposed object's memory). The
 * message names what was disposed ("Sequential 'mnist' was disposed; predict() cannot use it ...",
 * "Dense 'dense_2' was disposed; ...", "Adam optimizer was disposed; ..."). Branch on
 * `code === 'E_DISPOSED'` (or `instanceof DisposedError`), never on the message text.
 *
 * Disposing frees the object's backend buffers so that the allocator can hand the memory to the
 * next model; throwing on every later use is what guarantees that a disposed object never reads
 * or writes the memory of another, live one.
 */
export class DisposedError extends Error {
  /** Always 'E_DISPOSED'. */
  readonly code = 'E_DISPOSED' as const;
  /** What was disposed, as the message names it ("Sequential 'mnist'", "Adam optimizer"). */
  readonly what: string;

  /**
   * @param what the disposed object, e.g. "Dense 'dense_2'".
   * @param use what was attempted, e.g. "predict()"; the message says it cannot run.
   */
  constructor(what: string, use: string) {
    super(`${what} was disposed; ${use} cannot use it (its memory went back to the allocator). Create or load a new one.`);
    this.name = 'DisposedError';
    this.what = what;
  }
}

/**
 * Makes every method of `target` throw a {@link DisposedError} naming `what`: the methods of its
 * class and of every base class (including ones a subclass adds), except `constructor`,
 * `dispose` and the names in `keep`. Installed as own properties that shadow the prototype's, so
 * a live object's calls cost nothing extra and a disposed one can never reach a freed buffer.
 * Async methods return a rejected promise instead. Getters and setters are left alone (use them
 * only for metadata). Called once by each dispose().
 */
export function throwOnUseAfterDispose(target: object, what: string, keep: readonly string[] = []): void {
  for (let proto = Object.getPrototypeOf(target) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || key === 'dispose' || keep.includes(key) || Object.hasOwn(target, key)) continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (d === undefined || typeof d.value !== 'function') continue;
      const fail = (): never => { throw new DisposedError(what, `${key}()`); };
      // An async method (fit, save) rejects its promise rather than throwing at the call.
      const value = Object.prototype.toString.call(d.value) === '[object AsyncFunction]' ? async () => fail() : fail;
      Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
    }
  }
}

/**
 * A file could not be written (the disk, permissions, or a refused overwrite). `code` is the
 * system's error code (`'ENOSPC'`, `'EACCES'`, `'ENOTDIR'`) when there is one, or `'EEXIST'` when
 * the target holds something else and overwriting was not asked for. Thrown by io/files.ts
 * (writeFileAtomic, writeModelDir) and by saveModel / saveCheckpoint.
 */
export class FileWriteError extends Error {
  /** The file or directory that was to be written, as given by the caller. */
  readonly path: string;
  /** The system error code when there is one (`'ENOSPC'`, `'EACCES'`), or `'EEXIST'` for a refused overwrite. */
  readonly code: string | undefined;

  /**
   * @param path the file or directory, as the caller gave it.
   * @param message the whole one-line message (naming the path and the reason).
   * @param options the code, and the underlying error as `cause`.
   */
  constructor(path: string, message: string, options: { code?: string | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FileWriteError';
    this.path = path;
    this.code = options.code;
  }
}

/**
 * Adds context in front of an error's message ("model.json: layer 2 (Dense): " + message) and
 * returns the SAME error, so its class, `code` and other fields survive to whoever catches it
 * (the command line chooses its exit code from them). A thrown non-Error becomes an `Error`.
 * @param err what was caught.
 * @param context the prefix, without the separator (": " is added).
 */
export function withContext(err: unknown, context: string): Error {
  if (!(err instanceof Error)) return new Error(`${context}: ${String(err)}`);
  err.message = `${context}: ${err.message}`;
  return err;
}
