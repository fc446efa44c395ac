/**
 * TextVectorization (Keras `keras.layers.TextVectorization` with `outputMode: 'int'`): a
 * vocabulary of characters or words learnt from texts by `adapt`, mapping a text to integer ids
 * and back. As Keras: id 0 is padding (''), id 1 the out-of-vocabulary token ('[UNK]'), then the
 * tokens by decreasing frequency (ties in code-point order, so the vocabulary does not depend on
 * the order of the texts); `maxTokens` counts padding and OOV.
 *
 * This is a data-pipeline object, not a layer: encode before training, decode what a model
 * samples. `saveVocabulary` / `loadVocabulary` (vocabulary-file.ts) keep it beside a model.
 * @example
 * const v = new TextVectorization({ split: 'character', standardize: null });
 * v.adapt(['hello world']); v.encode('hello') // Int32Array [ids...]; v.decode(ids) === 'hello'
 */

/** Keras's standardize values: lowercase and drop punctuation, lowercase only, or nothing. */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | null;
/** How a text is cut into tokens: at runs of whitespace (words) or into characters (code points). */
export type Split = 'whitespace' | 'character';

/** Options of {@link TextVectorization} (Keras names). */
export interface TextVectorizationArgs {
  /** Largest vocabulary, padding and OOV included (at least 2). Default: no limit. */
  maxTokens?: number | null;
  /** Default 'lower_and_strip_punctuation' (Keras). Use null for a character model. */
  standardize?: Standardize;
  /** Default 'whitespace' (Keras). */
  split?: Split;
  /** Only 'int' (ids) is supported. */
  outputMode?: 'int';
  /** Pad with 0 or truncate every encoded text to this length (Keras output_sequence_length). */
  outputSequenceLength?: number | null;
  /** A fixed vocabulary (without '' and '[UNK]'), instead of adapt(). */
  vocabulary?: readonly string[];
}

/** The padding token (id 0) and the OOV token (id 1), as Keras writes them. */
export const PAD_TOKEN = '';
export const OOV_TOKEN = '[UNK]';
export const PAD_ID = 0;
export const OOV_ID = 1;

// Keras's DEFAULT_STRIP_REGEX: r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
const STRIP = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** The config `saveVocabulary` writes and `TextVectorization.fromConfig` reads. */
export interface TextVectorizationConfig {
  maxTokens: number | null;
  standardize: Standardize;
  split: Split;
  outputMode: 'int';
  outputSequenceLength: number | null;
  /** The tokens from id 2 on. */
  vocabulary: string[];
}

function positiveIntOrNull(name: string, v: unknown, min: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new RangeError(`TextVectorization: ${name} must be an integer >= ${min} or null, got ${String(v)}`);
  return v;
}

export class TextVectorization {
  readonly maxTokens: number | null;
  readonly standardize: Standardize;
  readonly split: Split;
  readonly outputMode = 'int' as const;
  readonly outputSequenceLength: number | null;
  private tokens: string[] = [PAD_TOKEN, OOV_TOKEN];
  private ids = new Map<string, number>();

  /** @throws RangeError/TypeError naming the option when an option is invalid. */
  constructor(args: TextVectorizationArgs = {}) {
    const known = ['maxTokens', 'standardize', 'split', 'outputMode', 'outputSequenceLength', 'vocabulary'];
    for (const k of Object.keys(args)) if (!known.includes(k)) throw new TypeError(`TextVectorization: unknown option '${k}' (valid: ${known.join(', ')})`);
    this.maxTokens = positiveIntOrNull('maxTokens', args.maxTokens, 2);
    this.outputSequenceLength = positiveIntOrNull('outputSequenceLength', args.outputSequenceLength, 1);
    const std = args.standardize === undefined ? 'lower_and_strip_punctuation' : args.standardize;
    if (std !== null && std !== 'lower' && std !== 'lower_and_strip_punctuation')
      throw new TypeError(`TextVectorization: standardize must be 'lower_and_strip_punctuation', 'lower' or null, got ${String(std)}`);
    this.standardize = std;
    const split = args.split ?? 'whitespace';
    if (split !== 'whitespace' && split !== 'character') throw new TypeError(`TextVectorization: split must be 'whitespace' or 'character', got ${String(split)}`);
    this.split = split;
    if (args.outputMode !== undefined && args.outputMode !== 'int') throw new TypeError(`TextVectorization: only outputMode 'int' is supported, got ${String(args.outputMode)}`);
    if (args.vocabulary !== undefined) this.setVocabulary(args.vocabulary);
  }

  /** Number of ids: padding, OOV and the learnt tokens (an Embedding's inputDim, a Dense's units). */
  get vocabularySize(): number { return this.tokens.length; }

  /** The vocabulary by id: ['', '[UNK]', most frequent token, ...] (Keras get_vocabulary()). */
  getVocabulary(): string[] { return [...this.tokens]; }

  /**
   * Sets the tokens from id 2 on (no '' or '[UNK]', no duplicates; truncated to maxTokens).
   * @throws TypeError when a token is not a non-empty string or repeats.
   */
  setVocabulary(vocabulary: readonly string[]): void {
    const tokens = [PAD_TOKEN, OOV_TOKEN], ids = new Map<string, number>();
    for (const t of vocabulary) {
      if (typeof t !== 'string' || t === PAD_TOKEN || t === OOV_TOKEN) throw new TypeError(`TextVectorization: vocabulary entries must be non-empty strings other than '${OOV_TOKEN}'`);
      if (ids.has(t)) throw new TypeError(`TextVectorization: vocabulary entry ${tokens.length} repeats an earlier one`);
      if (this.maxTokens !== null && tokens.length >= this.maxTokens) break;
      ids.set(t, tokens.length);
      tokens.push(t);
    }
    this.tokens = tokens; this.ids = ids;
  }

  /** The text after `standardize`. */
  standardizeText(text: string): string {
    if (this.standardize === null) return text;
    const lower = text.toLowerCase();
    return this.standardize === 'lower' ? lower : lower.replace(STRIP, '');
  }

  /** The tokens of one text: words (runs of non-whitespace) or characters (code points). */
  tokenize(text: string): string[] {
    const s = this.standardizeText(text);
    return this.split === 'character' ? Array.from(s) : s.split(/\s+/).filter((w) => w !== '');
  }

  /**
   * Learns the vocabulary from texts (replacing any earlier one): every token, by decreasing
   * count, ties in code-point order, at most maxTokens - 2 of them.
   * @throws TypeError when `texts` is not a string or an array of strings.
   */
  adapt(texts: string | readonly string[]): this {
    const list = typeof texts === 'string' ? [texts] : texts;
    if (!Array.isArray(list)) throw new TypeError('TextVectorization.adapt: expected a string or an array of strings');
    const counts = new Map<string, number>();
    for (const text of list) {
      if (typeof text !== 'string') throw new TypeError('TextVectorization.adapt: expected a string or an array of strings');
      for (const t of this.tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([t]) => t);
    this.setVocabulary(sorted);
    return this;
  }

  /**
   * A text's ids [n] (n tokens, or outputSequenceLength: padded with 0 / truncated); unknown
   * tokens are 1 (OOV).
   */
  encode(text: string): Int32Array {
    const tokens = this.tokenize(text);
    const n = this.outputSequenceLength ?? tokens.length;
    const out = new Int32Array(n);
    for (let i = 0; i < Math.min(n, tokens.length); i++) out[i] = this.ids.get(tokens[i]!) ?? OOV_ID;
    return out;
  }

  /**
   * The text of ids: tokens joined by '' (characters) or ' ' (words); padding (0) is skipped, OOV
   * shows as '[UNK]'.
   * @throws RangeError for an id that is not an integer in [0, vocabularySize).
   */
  decode(ids: ArrayLike<number>): string {
    const parts: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) throw new RangeError(`TextVectorization.decode: id ${id} at ${i} is not in [0, ${this.tokens.length})`);
      if (id !== PAD_ID) parts.push(this.tokens[id]!);
    }
    return parts.join(this.split === 'character' ? '' : ' ');
  }

  /** The settings and vocabulary, as saved. */
  getConfig(): TextVectorizationConfig {
    return { maxTokens: this.maxTokens, standardize: this.standardize, split: this.split, outputMode: 'int',
      outputSequenceLength: this.outputSequenceLength, vocabulary: this.tokens.slice(2) };
  }

  /** The vectorizer a config describes. @throws as the constructor and setVocabulary. */
  static fromConfig(config: TextVectorizationConfig): TextVectorization {
    return new TextVectorization({ maxTokens: config.maxTokens, standardize: config.standardize, split: config.split,
      outputMode: config.outputMode, outputSequenceLength: config.outputSequenceLength, vocabulary: config.vocabulary });
  }
}
