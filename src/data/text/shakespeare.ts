/**
 * Tiny Shakespeare (data/tinyshakespeare/input.txt, 1,115,394 characters, public domain; see its
 * README.md): the text, checked against the folder's SHA256SUMS, and the usual split by position
 * (the first 90% for training, the rest for validation; nothing shuffled across the boundary).
 */
import { DataFileError, readDataFile, resolveDataPath } from '../files.js';

/** The folder of Tiny Shakespeare under data/. */
export const SHAKESPEARE_FOLDER = 'tinyshakespeare';
/** The text's file name in that folder. */
export const SHAKESPEARE_FILE = 'input.txt';

/**
 * Reads the text.
 * @param path the file or its folder; default: the embedded copy (checksum required).
 * @throws DataFileError naming the file when it is missing, too large (LIMITS.maxFileBytes.csv),
 *   fails its checksum, or is not UTF-8 (E_CORRUPT).
 */
export function loadTinyShakespeare(path?: string): string {
  const where = resolveDataPath(path, SHAKESPEARE_FOLDER, SHAKESPEARE_FILE);
  const bytes = readDataFile(where.path, { checksum: where.checksum, kind: 'csv' });
  try { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { throw new DataFileError(where.path, 'is not valid UTF-8 text', 'E_CORRUPT'); }
}

/**
 * Splits a text by position: [0, floor(n f)) for training and the rest for validation.
 * @param validationFraction f in (0, 1). Default 0.1.
 * @throws RangeError when f is not in (0, 1).
 */
export function splitText(text: string, validationFraction = 0.1): { train: string; validation: string } {
  if (!(validationFraction > 0 && validationFraction < 1)) throw new RangeError(`splitText: validationFraction must be in (0, 1), got ${validationFraction}`);
  const cut = Math.floor(text.length * (1 - validationFraction));
  return { train: text.slice(0, cut), validation: text.slice(cut) };
}
