/**
 * The character language model of `nabla example char-rnn` / `nabla train --data shakespeare
 * --model lstm`: its settings (defaults and the NABLA_QUICK=1 shortening), the data (Tiny
 * Shakespeare split 90/10 by position, a character vocabulary adapted on the training part,
 * windows of T characters with next-character targets) and the model
 * Embedding(V, E) -> LSTM(u, returnSequences) -> Dense(V, softmax), scored per step by
 * sparse categorical cross-entropy (nats per character), trained by Adam with clipnorm 5.
 */
import { slidingWindows } from '../data/text/windows.js';
import { loadTinyShakespeare, splitText } from '../data/text/shakespeare.js';
import { TextVectorization } from '../data/text/vocabulary.js';
import { Sequential } from '../models/sequential.js';
import { Dense } from '../nn/layers/dense.js';
import { Embedding } from '../nn/layers/embedding.js';
import { LSTM } from '../nn/layers/lstm.js';
import { Adam } from '../optim/adam.js';
import type { Tensor } from '../tensor/tensor.js';
import { resolveOptions } from './options.js';
import type { CommonOptions, ExampleOptions } from './types.js';

/** Everything a run depends on (saved as the run directory's char-rnn.json). */
export interface CharRnnSettings {
  units: number; embeddingDim: number; sequenceLength: number; batchSize: number; learningRate: number;
  epochs: number; seed: number;
  /** Wall-time budget of one session in minutes (training stops after the batch that passes it). */
  maxMinutes: number;
  /** Characters generated after each epoch, their temperature and top-k (0: all). */
  sampleLength: number; temperature: number; topK: number;
  /** Also report validation (no sample) every this many steps (0: at epoch ends only). */
  evalEvery: number;
  /** Training / validation windows kept (0: all); NABLA_QUICK=1 keeps few. */
  trainWindows: number; validationWindows: number;
  /** The text file, or null for the embedded copy. */
  dataPath: string | null;
}

/**
 * The settings as options of `nabla example char-rnn` (CLI flags in this order; kind 'library':
 * runCharRnn only). Defaults: LSTM(256) on 64-wide embeddings, windows of 50, batches of 32, Adam
 * 0.01 (clipnorm 5), 12 epochs (a full pass is 628 steps), 10 minutes; a short run (NABLA_QUICK=1)
 * is a tiny model on a few windows (seconds). Learning rate, window length and batch size were
 * tuned for the fewest wall-seconds to 1.8 validation nats/char on 2 cores
 * (docs/guides/text-generation.md, "Tuning the defaults"): Adam 0.01 needs a third of the steps
 * of 0.002, and a step of 32 x 50 characters costs about 0.3 of one of 64 x 100 while it needs
 * less than twice the steps.
 */
export const CHAR_RNN_OPTIONS = {
  epochs: { description: 'passes over the training windows', default: 12, quick: 2 },
  units: { description: 'LSTM units', default: 256, quick: 32 },
  sequenceLength: { description: 'characters per training window', default: 50, quick: 32 },
  batchSize: { description: 'windows per batch', default: 32, quick: 16 },
  sampleLength: { description: 'characters generated after each epoch', default: 400, quick: 60 },
  topK: { description: 'sample from the k most probable characters only', default: 0, defaultText: 'all' },
  learningRate: { description: 'Adam learning rate', kind: 'positiveNumber', valueName: 'lr', default: 0.01 },
  maxMinutes: { description: 'wall-time budget; stops after the batch that passes it and saves a checkpoint', kind: 'positiveNumber', valueName: 'm', default: 10 },
  evalEvery: { description: 'also report validation every n steps', default: 0, defaultText: 'at epoch ends only' },
  temperature: { description: 'sampling temperature', kind: 'positiveNumber', valueName: 't', default: 0.8 },
  embeddingDim: { description: 'width of the character embeddings', kind: 'library', default: 64, quick: 16 },
  trainWindows: { description: 'training windows kept (0: all)', kind: 'library', default: 0, quick: 64 },
  validationWindows: { description: 'validation windows kept (0: all)', kind: 'library', default: 0, quick: 16 },
  dataPath: { description: 'the text file, or null for the embedded copy', kind: 'library', default: null },
} satisfies ExampleOptions<Partial<CharRnnSettings>>;

/** The settings of a fresh run: `options`' values, the rest from {@link CHAR_RNN_OPTIONS} (seed 1 by default). */
export function charRnnSettings(options: CommonOptions & Partial<Omit<CharRnnSettings, 'seed'>>): CharRnnSettings {
  const o = resolveOptions(CHAR_RNN_OPTIONS, options);
  const { units, embeddingDim, sequenceLength, batchSize, learningRate, epochs, maxMinutes, sampleLength, temperature, topK, evalEvery,
    trainWindows, validationWindows, dataPath } = o;
  return { units, embeddingDim, sequenceLength, batchSize, learningRate, epochs, seed: o.seed ?? 1, maxMinutes, sampleLength, temperature, topK,
    evalEvery, trainWindows, validationWindows, dataPath };
}

/** The data of a run. */
export interface CharRnnData {
  vocab: TextVectorization;
  /** [n, T] ids and next-character targets (float32). */
  xTrain: Tensor; yTrain: Tensor; xVal: Tensor; yVal: Tensor;
  trainChars: number; valChars: number;
}

/**
 * Loads and windows the text. Training windows do not overlap (stride T; fit shuffles them each
 * epoch with the seed); validation windows do not overlap either, in order.
 * @param vocab the saved vocabulary when resuming; else one is adapted on the training text.
 * @throws DataFileError when the text cannot be read; RangeError when it is too short for a window.
 */
export function prepareCharData(s: CharRnnSettings, vocab?: TextVectorization): CharRnnData {
  const { train, validation } = splitText(loadTinyShakespeare(s.dataPath ?? undefined), 0.1);
  const v = vocab ?? new TextVectorization({ standardize: null, split: 'character' }).adapt(train);
  const T = s.sequenceLength;
  const tr = slidingWindows(v.encode(train), { sequenceLength: T, ...(s.trainWindows > 0 ? { limit: s.trainWindows, shuffleSeed: s.seed } : {}) });
  const va = slidingWindows(v.encode(validation), { sequenceLength: T, ...(s.validationWindows > 0 ? { limit: s.validationWindows } : {}) });
  return { vocab: v, xTrain: tr.x, yTrain: tr.y, xVal: va.x, yVal: va.y, trainChars: train.length, valChars: validation.length };
}

/** Builds and compiles the model for a vocabulary of `vocabSize` ids. */
export function buildCharModel(s: CharRnnSettings, vocabSize: number): Sequential {
  const model = new Sequential([
    new Embedding({ inputDim: vocabSize, outputDim: s.embeddingDim, inputLength: s.sequenceLength }),
    new LSTM({ units: s.units, returnSequences: true }),
    new Dense({ units: vocabSize, activation: 'softmax' }),
  ], { seed: s.seed, name: 'char-lstm' });
  model.build([s.sequenceLength]);
  model.compile({ optimizer: new Adam({ learningRate: s.learningRate, clipnorm: 5 }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}
