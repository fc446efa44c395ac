/**
 * Limits on untrusted input (docs/design.md, "Errors and bad input"). Every reader of outside
 * bytes checks the relevant limit BEFORE it allocates or reads: a file's size from `stat`, a PNG's
 * width x height from its IHDR chunk, an IDX file's declared item count from its header, a
 * model's parameter count from its configuration. Exceeding a limit throws a file error with code
 * `E_TOO_LARGE` whose message names the limit (`LIMITS.maxImagePixels`) so a user knows what to
 * raise.
 *
 * The defaults are generous for the work nabla exists for and small enough that no file can make
 * the process allocate gigabytes by lying in its header. Raise one per call (`loadModel(src,
 * { limits: { maxParams: 5e8 } })`, `readImage(path, { limits })`) or on the command line
 * (`--max-image-pixels`); `LIMITS` itself is frozen.
 *
 * This module imports nothing, so any layer may use it; it runs in the browser too.
 */

/** The maximum number of bytes a reader accepts, per kind of file. */
export interface FileByteLimits {
  /** model.json, training.json, run.json and other JSON a user keeps. */
  readonly json: number;
  /** weights.safetensors / optimizer.safetensors. */
  readonly safetensors: number;
  /** An image given to `predict` / `visualize` (PNG). */
  readonly image: number;
  /** A CSV file (compressed size when it is .csv.gz). */
  readonly csv: number;
  /** An IDX file (compressed size when it is .gz). */
  readonly idx: number;
  /** A decompressed gzip stream when no header declares its size. */
  readonly gunzip: number;
  /** A data-set file downloaded by `fetchDataset`. */
  readonly download: number;
}

/** The limits on untrusted input; see the module comment. */
export interface Limits {
  /** Largest width x height of an image, checked from the PNG header before decoding. */
  readonly maxImagePixels: number;
  /** Largest number of parameters (weights and statistics) a loaded model may allocate. */
  readonly maxParams: number;
  /** Deepest nesting of arrays/objects in a JSON file a user keeps. */
  readonly maxJsonDepth: number;
  /** Largest number of items (images, labels) an IDX header may declare. */
  readonly maxIdxItems: number;
  /** Largest number of columns of a CSV file. */
  readonly maxCsvColumns: number;
  /** Largest files, per kind. */
  readonly maxFileBytes: FileByteLimits;
}

const MiB = 1024 * 1024;

/** nabla's default limits (frozen). The values are part of the documented contract. */
export const LIMITS: Limits = Object.freeze({
  maxImagePixels: 8192 * 8192,
  maxParams: 100_000_000,
  maxJsonDepth: 64,
  maxIdxItems: 10_000_000,
  maxCsvColumns: 100_000,
  maxFileBytes: Object.freeze({
    json: 64 * MiB,
    safetensors: 2048 * MiB,
    image: 64 * MiB,
    csv: 1024 * MiB,
    idx: 1024 * MiB,
    gunzip: 2048 * MiB,
    download: 1024 * MiB,
  }),
});

/** Limits given per call: any field may be left out; `maxFileBytes` may name only some kinds. */
export type LimitsOverride = Partial<Omit<Limits, 'maxFileBytes'>> & { maxFileBytes?: Partial<FileByteLimits> };

/**
 * The limits in force for one call: `LIMITS` with the caller's overrides on top.
 * @throws RangeError when an override is not a positive number.
 */
export function resolveLimits(override: LimitsOverride | undefined): Limits {
  if (override === undefined) return LIMITS;
  const check = (name: string, v: unknown): void => {
    if (typeof v !== 'number' || !(v > 0)) throw new RangeError(`limits.${name} must be a positive number, got ${String(v)}`);
  };
  for (const [k, v] of Object.entries(override)) if (k !== 'maxFileBytes') check(k, v);
  for (const [k, v] of Object.entries(override.maxFileBytes ?? {})) check(`maxFileBytes.${k}`, v);
  const { maxFileBytes, ...rest } = override;
  return Object.freeze({ ...LIMITS, ...rest, maxFileBytes: Object.freeze({ ...LIMITS.maxFileBytes, ...maxFileBytes }) });
}
