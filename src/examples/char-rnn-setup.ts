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
 * Defaults: LSTM(256) on 64-wide embeddings, windows of 50, batches of 32, Adam 0.01 (clipnorm
 * 5), 12 epochs (a full pass is 628 steps), 10 minutes; with NABLA_QUICK=1 a tiny model on a few
 * windows (seconds). Learning rate, window length and batch size were tuned for the fewest
 * wall-seconds to 1.8 validation nats/char on 2 cores (docs/guides/text-generation.md, "Tuning
 * the defaults"): Adam 0.01 needs a third of the steps of 0.002, and a step of 32 x 50
 * characters costs about 0.3 of one of 64 x 100 while it needs less than twice the steps.
 */
export function charRnnDefaults(quick: boolean): CharRnnSettings {
  const base = { learningRate: 0.01, seed: 1, maxMinutes: 10, temperature: 0.8, topK: 0, evalEvery: 0, dataPath: null };
  return quick
    ? { ...base, units: 32, embeddingDim: 16, sequenceLength: 32, batchSize: 16, epochs: 2, sampleLength: 60, trainWindows: 64, validationWindows: 16 }
    : { ...base, units: 256, embeddingDim: 64, sequenceLength: 50, batchSize: 32, epochs: 12, sampleLength: 400, trainWindows: 0, validationWindows: 0 };
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
