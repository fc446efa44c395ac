/**
 * The command line's side of reading a digit: a PNG file decoded (data/image.ts) and turned into
 * an MNIST input by the browser-safe preprocessing of data/digit-preprocess.ts, and an ASCII
 * rendering of the result for the terminal (`nabla predict --show`).
 */
import { DataFileError } from '../data/files.js';
import { DigitImageError, mnistDigitFromPixels, type MnistDigit } from '../data/digit-preprocess.js';
import { readImage } from '../data/image.js';

/**
 * Reads a PNG (or another image format data/image.ts decodes) as 8-bit RGBA.
 * @param maxImagePixels the largest width x height to decode (default `LIMITS.maxImagePixels`).
 * @throws DataFileError naming the file when it is missing, too large or not a readable image.
 */
function readPng(path: string, maxImagePixels?: number): { data: Uint8Array; width: number; height: number } {
  return readImage(path, maxImagePixels === undefined ? {} : { limits: { maxImagePixels } });
}

/**
 * Reads an image file as one MNIST digit: 28 x 28 values in [0, 1], 1 = ink (see
 * data/digit-preprocess.ts for the steps).
 * @throws DataFileError naming the file: a read failure keeps its code; an image that holds no
 *   digit (empty, too faint) is code 'E_INVALID'.
 */
export function readDigitImage(path: string, maxImagePixels?: number): MnistDigit {
  const png = readPng(path, maxImagePixels);
  try {
    return mnistDigitFromPixels(png.data, png.width, png.height, 4);
  } catch (e) {
    if (e instanceof DigitImageError) throw new DataFileError(path, e.message, 'E_INVALID');
    throw e;
  }
}

/**
 * A 28x28 (or any square) input as text, one character per pixel by ink (' .:-=+*#%@'), for
 * showing what the model sees.
 */
export function asciiArt(pixels: Float32Array, size = 28): string {
  const ramp = ' .:-=+*#%@', lines: string[] = [];
  for (let y = 0; y < size; y++) {
    let s = '';
    for (let x = 0; x < size; x++) s += ramp[Math.min(ramp.length - 1, Math.floor(pixels[y * size + x]! * ramp.length))]!;
    lines.push(s.replace(/\s+$/, ''));
  }
  return lines.join('\n');
}
