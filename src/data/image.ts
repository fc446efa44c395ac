/**
 * Reading a PNG image of outside bytes (`nabla predict`, `nabla visualize --input`), with its
 * size checked from the IHDR chunk before anything is decoded: a 200-byte PNG whose header
 * claims 60000 x 60000 pixels is refused at once instead of growing the process to gigabytes.
 * Decoding is pngjs's (PNG specification, W3C, 2003: the 8-byte signature, then the IHDR chunk:
 * a 4-byte length, "IHDR", width and height as big-endian uint32). Node.js only.
 */
import { createRequire } from 'node:module';
import type { PNG } from 'pngjs';
import { resolveLimits } from '../limits.js';
import type { LimitsOverride } from '../limits.js';
import { DataFileError, dataFileError } from './files.js';
import { readFileBounded } from './read-bounded.js';

/** A decoded image: RGBA, 8 bits per channel, row-major (`data[(y * width + x) * 4 + c]`). */
export interface RgbaImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Options of {@link readImage}. */
export interface ReadImageOptions {
  /** Limits in force (default `LIMITS`): `maxImagePixels` and `maxFileBytes.image`. */
  limits?: LimitsOverride;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What other image format the bytes are, when recognisable, for a clear "unsupported" message. */
function otherFormat(b: Uint8Array): string | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'a JPEG image';
  if (b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'a GIF image';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'a BMP image';
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45) return 'a WebP image';
  return null;
}

/**
 * The width and height a PNG's IHDR chunk declares, without decoding anything.
 * @throws DataFileError naming `path`: E_UNSUPPORTED for another image format (JPEG, GIF, BMP,
 *   WebP), E_CORRUPT for bytes that are not a PNG or a header that is cut short or zero-sized.
 */
export function pngSize(bytes: Uint8Array, path: string): { width: number; height: number } {
  if (!PNG_SIGNATURE.every((v, i) => bytes[i] === v)) {
    const other = otherFormat(bytes);
    if (other) throw new DataFileError(path, `is ${other}, not a PNG: nabla reads PNG images only (convert it to PNG)`, 'E_UNSUPPORTED');
    throw new DataFileError(path, 'is not a PNG image (its first 8 bytes are not the PNG signature)');
  }
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (bytes.length < 8 + 25 || type !== 'IHDR') throw new DataFileError(path, 'is not a readable PNG image: its IHDR header chunk is missing or cut short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16, false), height = view.getUint32(20, false);
  if (width === 0 || height === 0) throw new DataFileError(path, `is not a readable PNG image: its header declares ${width} x ${height} pixels`);
  return { width, height };
}

/**
 * Reads a PNG image: the file is stat-checked (a regular file of at most
 * `LIMITS.maxFileBytes.image` bytes), its IHDR size checked against `LIMITS.maxImagePixels`,
 * then decoded by pngjs (gray, gray + alpha, RGB, RGBA, palette; 1-16 bits) to 8-bit RGBA.
 * @param path the .png file.
 * @param options `limits` to raise `maxImagePixels` (CLI: `--max-image-pixels`) or the byte limit.
 * @returns the RGBA pixels with the width and height.
 * @throws DataFileError naming `path`: E_NOT_FOUND, E_NOT_REGULAR_FILE, E_TOO_LARGE (file bytes
 *   or pixels, naming the limit), E_UNSUPPORTED (a JPEG or other format), E_CORRUPT (not a
 *   decodable PNG).
 */
export function readImage(path: string, options: ReadImageOptions = {}): RgbaImage {
  const limits = resolveLimits(options.limits);
  const bytes = readFileBounded(path, 'image', limits, dataFileError);
  const { width, height } = pngSize(bytes, path);
  if (width * height > limits.maxImagePixels)
    throw new DataFileError(path, `declares ${width} x ${height} = ${width * height} pixels, which exceeds LIMITS.maxImagePixels (${limits.maxImagePixels}); raise it with --max-image-pixels or { limits: { maxImagePixels } }`, 'E_TOO_LARGE');
  let png: PNG;
  try { png = (createRequire(import.meta.url)('pngjs') as typeof import('pngjs')).PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)); } catch (e) { // loaded on first use
    throw new DataFileError(path, `is not a readable PNG image (${e instanceof Error ? e.message : 'decoding failed'})`);
  }
  return { data: png.data, width: png.width, height: png.height };
}
