/**
 * Parsing the JSON files a user keeps (model.json, training.json) safely: strict UTF-8, the
 * nesting depth checked before JSON.parse, and error messages that never quote the file's text.
 * Re-exported by validate.ts. No Node.js imports: it runs in the browser too.
 */
import { ModelFileError } from './model-file-error.js';
import { LIMITS } from '../limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The deepest nesting of arrays and objects in a JSON text, found by a scan of its brackets
 * outside strings (no parse, no recursion: safe on any input). It stops counting once the depth
 * passes `stopAt`. Malformed text gives some number; JSON.parse reports the malformation.
 */
export function jsonNestingDepth(text: string, stopAt = Infinity): number {
  let depth = 0, deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > deepest) { deepest = depth; if (deepest > stopAt) return deepest; }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return deepest;
}

/**
 * Refuses JSON text nested deeper than `maxDepth` (before JSON.parse, which may overflow the stack
 * on deep nesting).
 * @throws ModelFileError (E_TOO_LARGE) naming `LIMITS.maxJsonDepth`.
 */
export function checkJsonDepth(text: string, path: string, maxDepth: number = LIMITS.maxJsonDepth): void {
  if (jsonNestingDepth(text, maxDepth) > maxDepth)
    throw new ModelFileError(path, `nests arrays or objects deeper than LIMITS.maxJsonDepth (${maxDepth}); raise it with { limits: { maxJsonDepth } }`, undefined, 'E_TOO_LARGE');
}

/**
 * Parses the text of a JSON file a user keeps. Bytes are decoded as strict UTF-8 (a leading
 * byte-order mark is accepted and dropped). The nesting depth is checked first
 * ({@link checkJsonDepth}). Keys such as `__proto__` and `constructor` become ordinary own
 * properties (JSON.parse never sets a prototype); read fields with the `expect*` helpers.
 * @param text the file's contents, as a string or bytes.
 * @param path the file's path or URL, for the message.
 * @param maxDepth the deepest nesting allowed (default `LIMITS.maxJsonDepth`).
 * @returns the parsed value (check it with the `expect*` functions; nothing is trusted yet).
 * @throws ModelFileError when the bytes are not UTF-8, the file is empty, or the text is not JSON
 *   (E_CORRUPT), or nests too deeply (E_TOO_LARGE).
 */
export function parseJsonFile(text: string | Uint8Array, path: string, maxDepth: number = LIMITS.maxJsonDepth): unknown {
  let s: string;
  if (typeof text === 'string') s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  else {
    try { s = utf8.decode(text); } catch {
      throw new ModelFileError(path, 'is not valid UTF-8 text (a binary or corrupt file?)');
    }
  }
  if (s.trim() === '') throw new ModelFileError(path, 'is empty (an interrupted write?)');
  checkJsonDepth(s, path, maxDepth);
  try {
    return JSON.parse(s) as unknown;
  } catch (e) {
    throw new ModelFileError(path, `is not valid JSON: ${jsonProblem(e)}`);
  }
}

/** JSON.parse's complaint without the text it may quote (V8 quotes a snippet of the input). */
export function jsonProblem(e: unknown): string {
  const m = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  return m ? `syntax error at character ${m[1]}` : 'syntax error';
}
