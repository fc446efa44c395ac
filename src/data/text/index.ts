/** The text pipeline: vocabularies, their file, sliding windows, sampling, Tiny Shakespeare. */
export { TextVectorization, PAD_ID, PAD_TOKEN, OOV_ID, OOV_TOKEN, type Split, type Standardize, type TextVectorizationArgs, type TextVectorizationConfig } from './vocabulary.js';
export { saveVocabulary, loadVocabulary, VOCABULARY_FILE, MAX_VOCABULARY_TOKENS, MAX_TOKEN_LENGTH } from './vocabulary-file.js';
export { slidingWindows, type SlidingWindowOptions } from './windows.js';
export { sampleIndex, argmax, type SampleOptions } from './sample.js';
export { loadTinyShakespeare, splitText, SHAKESPEARE_FOLDER, SHAKESPEARE_FILE } from './shakespeare.js';
