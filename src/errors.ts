/**
 * The error vocabulary shared by every layer of nabla (docs/design.md, "Errors and bad input").
 *
 * Readers of outside bytes (data files, model files, images, downloads) throw only the file
 * errors, {@link DataFileError} (`data/`) and {@link ModelFileError} (`io/`), each carrying one of
 * the stable {@link FileErrorCode}s below. The command line and later code branch on `code`, never
 * on message text. A programmer's mistake in an argument stays a `TypeError` / `RangeError`.
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
