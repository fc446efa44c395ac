/**
 * The vocabulary file kept beside a model (`vocabulary.json` in its folder): a
 * {@link TextVectorization}'s settings and tokens as JSON,
 *   { "format": "nabla-vocabulary", "version": 1, "config": { maxTokens, standardize, split,
 *     outputMode, outputSequenceLength, vocabulary: [tokens from id 2 on] } }.
 * Reading treats the file as hostile: at most `LIMITS.maxFileBytes.json` bytes, UTF-8, JSON,
 * every field checked, at most MAX_VOCABULARY_TOKENS tokens of at most MAX_TOKEN_LENGTH
 * UTF-16 units each, no duplicates; errors are one-line DataFileErrors with a code that never
 * quote the file. Writing goes through a temporary file and a rename (nothing half-written).
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveLimits, type LimitsOverride } from '../../limits.js';
import { DataFileError, dataFileError } from '../files.js';
import { readFileBounded } from '../read-bounded.js';
import { TextVectorization, type TextVectorizationConfig } from './vocabulary.js';

/** The file name inside a model folder. */
export const VOCABULARY_FILE = 'vocabulary.json';
/** Largest number of tokens a vocabulary file may hold. */
export const MAX_VOCABULARY_TOKENS = 1_000_000;
/** Longest token (UTF-16 code units). */
export const MAX_TOKEN_LENGTH = 1024;
const FORMAT = 'nabla-vocabulary';

/**
 * Writes `vectorizer` to `dir/vocabulary.json` (atomically: a temporary file renamed into place).
 * @returns the file's path.
 * @throws Error from the file system (folder missing, not writable).
 */
export function saveVocabulary(dir: string, vectorizer: TextVectorization): string {
  const path = join(dir, VOCABULARY_FILE), tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify({ format: FORMAT, version: 1, config: vectorizer.getConfig() }) + '\n', { flag: 'wx' });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  return path;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a vocabulary file (`dir/vocabulary.json`, or the path of a .json file).
 * @throws DataFileError naming the file: E_NOT_FOUND / E_NOT_REGULAR_FILE / E_TOO_LARGE / E_READ
 *   (see readFileBounded), E_CORRUPT (not UTF-8 or not JSON), E_UNSUPPORTED (another format or
 *   version), E_INVALID (a field of the wrong type or value, a duplicate or over-long token),
 *   E_TOO_LARGE (more than MAX_VOCABULARY_TOKENS tokens).
 */
export function loadVocabulary(path: string, options: { limits?: LimitsOverride } = {}): TextVectorization {
  const file = /\.json$/i.test(path) ? path : join(path, VOCABULARY_FILE);
  const bytes = readFileBounded(file, 'json', resolveLimits(options.limits), dataFileError);
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { throw new DataFileError(file, 'is not valid UTF-8 text', 'E_CORRUPT'); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { throw new DataFileError(file, 'is not valid JSON', 'E_CORRUPT'); }
  if (!isObject(doc) || doc['format'] !== FORMAT) throw new DataFileError(file, `is not a nabla vocabulary file (expected "format": "${FORMAT}")`, 'E_UNSUPPORTED');
  if (doc['version'] !== 1) throw new DataFileError(file, 'has an unsupported version (this nabla reads version 1)', 'E_UNSUPPORTED');
  const c = doc['config'];
  if (!isObject(c)) throw new DataFileError(file, 'has no "config" object', 'E_INVALID');
  const bad = (field: string, what: string): DataFileError => new DataFileError(file, `config.${field} ${what}`, 'E_INVALID');
  const vocab = c['vocabulary'];
  if (!Array.isArray(vocab)) throw bad('vocabulary', 'must be an array of strings');
  if (vocab.length > MAX_VOCABULARY_TOKENS) throw new DataFileError(file, `holds ${vocab.length} tokens, more than the ${MAX_VOCABULARY_TOKENS} allowed`, 'E_TOO_LARGE');
  const seen = new Set<string>();
  vocab.forEach((t, i) => {
    if (typeof t !== 'string' || t === '' || t === '[UNK]') throw bad(`vocabulary[${i}]`, "must be a non-empty string other than '[UNK]'");
    if (t.length > MAX_TOKEN_LENGTH) throw bad(`vocabulary[${i}]`, `is longer than ${MAX_TOKEN_LENGTH} characters`);
    if (seen.has(t)) throw bad(`vocabulary[${i}]`, 'repeats an earlier token');
    seen.add(t);
  });
  const intOrNull = (field: string, min: number): number | null => {
    const v = c[field];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > Number.MAX_SAFE_INTEGER) throw bad(field, `must be an integer >= ${min} or null`);
    return v;
  };
  const standardize = c['standardize'] ?? null, split = c['split'];
  if (standardize !== null && standardize !== 'lower' && standardize !== 'lower_and_strip_punctuation') throw bad('standardize', "must be 'lower_and_strip_punctuation', 'lower' or null");
  if (split !== 'whitespace' && split !== 'character') throw bad('split', "must be 'whitespace' or 'character'");
  if (c['outputMode'] !== 'int') throw bad('outputMode', "must be 'int'");
  const config: TextVectorizationConfig = {
    maxTokens: intOrNull('maxTokens', 2), standardize, split, outputMode: 'int',
    outputSequenceLength: intOrNull('outputSequenceLength', 1), vocabulary: vocab as string[],
  };
  if (config.maxTokens !== null && vocab.length + 2 > config.maxTokens) throw bad('vocabulary', `holds more tokens than maxTokens (${config.maxTokens}) allows`);
  return TextVectorization.fromConfig(config);
}
