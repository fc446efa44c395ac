/**
 * `nabla example char-rnn` (and `nabla train --data shakespeare --model lstm`): a character
 * LSTM language model on Tiny Shakespeare (Karpathy 2015, "The Unreasonable Effectiveness of
 * Recurrent Neural Networks"; Graves 2013). Each epoch (a pass over the non-overlapping training
 * windows) ends with the validation cross-entropy in nats and bits per character (bits = nats /
 * ln 2) and a seeded sample of generated text. The run directory holds model/ (with
 * vocabulary.json), char-rnn.json (settings and the history), samples.txt, and while unfinished
 * checkpoint/, which `nabla train --resume DIR` continues bit for bit. A wall-time budget
 * (maxMinutes) or Ctrl-C stops after the current batch and saves a checkpoint.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadVocabulary, saveVocabulary, VOCABULARY_FILE } from '../data/text/vocabulary-file.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { loadCheckpoint } from '../models/load.js';
import { saveCheckpoint, type CheckpointFitArgs } from '../models/persistence.js';
import type { Sequential } from '../models/sequential.js';
import { generateText, statefulTwin } from '../models/text-generation.js';
import type { Callback } from '../train/callback.js';
import type { FitArgs, TrainingProgress } from '../train/fit.js';
import { buildCharModel, CHAR_RNN_OPTIONS, charRnnSettings, prepareCharData, type CharRnnData, type CharRnnSettings } from './char-rnn-setup.js';
import { historyChart, readRunFile, RUN_FILE, type CharRnnEpoch } from './char-rnn-file.js';
import type { CommonOptions, ExampleResult } from './types.js';
import { compare, defineExample, logger, plot } from './util.js';

export { RUN_FILE as CHAR_RNN_FILE } from './char-rnn-file.js';

/** A progress display for fit (the command line's bar); `stop()` removes it. */
export type ProgressFactory = (o: { samples: number; batchSize: number; epochs: number; progress: () => TrainingProgress | null }) => Callback & { stop(): void };

/** Options of {@link runCharRnn}: any {@link CharRnnSettings} field overrides the default. */
export interface CharRnnOptions extends CommonOptions, Partial<Omit<CharRnnSettings, 'seed'>> {
  /** Makes the progress display (the CLI passes its bar). */
  progress?: ProgressFactory;
  /** Stop on SIGINT after the current batch and save a checkpoint (the CLI sets it). */
  handleSigint?: boolean;
}

/** The validation target of issue 14 (nats per character). */
export const TARGET_NATS = 1.8;
const CHECKPOINT = 'checkpoint', MODEL = 'model', SAMPLES = 'samples.txt';
const fmt = (v: number): string => v.toFixed(4);

/** Runs a fresh training into options.outDir (default runs/char-rnn). */
export async function runCharRnn(options: CharRnnOptions = {}): Promise<ExampleResult> {
  const s = charRnnSettings(options);
  const dir = resolve(options.outDir ?? 'runs/char-rnn');
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, CHECKPOINT), { recursive: true, force: true });
  const data = prepareCharData(s);
  const model = buildCharModel(s, data.vocab.vocabularySize);
  const log = logger(options);
  const params = model.getWeights().reduce((a, w) => a + w.size, 0);
  log(`Data: Tiny Shakespeare, ${data.trainChars.toLocaleString('en-US')} training and ${data.valChars.toLocaleString('en-US')} validation characters, ` +
    `vocabulary of ${data.vocab.vocabularySize} ids; ${data.xTrain.shape[0]} training windows of ${s.sequenceLength}`);
  log(`Model: Embedding(${data.vocab.vocabularySize}, ${s.embeddingDim}) -> LSTM(${s.units}) -> Dense(${data.vocab.vocabularySize}, softmax), ` +
    `${params.toLocaleString('en-US')} parameters; adam ${s.learningRate}, batches of ${s.batchSize}, ${s.epochs} epochs, at most ${s.maxMinutes} min, seed ${s.seed}`);
  await writeFileAtomic(join(dir, SAMPLES), '');
  const fitArgs: CheckpointFitArgs = { epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, shuffle: true };
  return session({ model, data, s, fitArgs, resumeFrom: null, dir, elapsed: 0, history: [] }, options);
}

/**
 * Continues an interrupted run from DIR/checkpoint (same batches, same samples); options.maxMinutes
 * sets this session's budget (default: the run's).
 * @throws DataFileError / ModelFileError naming a damaged file; Error when DIR holds no checkpoint.
 */
export async function resumeCharRnn(dir: string, options: CharRnnOptions = {}): Promise<ExampleResult> {
  const ckDir = join(dir, CHECKPOINT);
  if (!existsSync(join(ckDir, 'training.json'))) throw new Error(`${dir} holds no checkpoint (no ${CHECKPOINT}/training.json); the run finished or never started`);
  const run = readRunFile(join(dir, RUN_FILE));
  if (options.maxMinutes !== undefined) run.settings.maxMinutes = options.maxMinutes;
  const ck = await loadCheckpoint(ckDir);
  const data = prepareCharData(run.settings, loadVocabulary(ckDir));
  logger(options)(`Resuming ${dir} at epoch ${ck.progress.epoch + 1}/${ck.progress.epochs}, batch ${ck.progress.batch} (${(run.elapsedSeconds / 60).toFixed(1)} min trained so far)`);
  return session({ model: ck.model, data, s: run.settings, fitArgs: ck.fitArgs, resumeFrom: ck.progress, dir, elapsed: run.elapsedSeconds, history: run.history }, options);
}

interface Session {
  model: Sequential; data: CharRnnData; s: CharRnnSettings; fitArgs: CheckpointFitArgs; resumeFrom: TrainingProgress | null;
  dir: string; elapsed: number; history: CharRnnEpoch[];
}

/** Trains until done, the budget, or Ctrl-C; reports each epoch; saves. */
async function session(r: Session, options: CharRnnOptions): Promise<ExampleResult> {
  const { model, data, s, dir } = r;
  const log = logger(options);
  const started = Date.now(), budgetMs = s.maxMinutes * 60_000;
  let evalMs = r.history.length > 0 ? (r.history[r.history.length - 1]!.minutes - r.history[r.history.length - 1]!.trainMinutes) * 60_000 : 0;
  const minutes = (): number => (r.elapsed + (Date.now() - started) / 1000) / 60;
  const stop = new AbortController();
  const progress = options.progress?.({ samples: data.xTrain.shape[0]!, batchSize: s.batchSize, epochs: s.epochs, progress: () => model.trainingProgress });
  // With a bar on a terminal, lines go above it (the bar's note); else to the log.
  const noteFn = process.stdout.isTTY === true && process.env['CI'] === undefined ? (progress as { note?: (m: string) => void } | undefined)?.note : undefined;
  const note = (line: string): void => { if (noteFn) noteFn(line); else log(line); };
  const report = async (label: string, trainLoss: number | null, withSample = true): Promise<CharRnnEpoch> => {
    const t0 = Date.now();
    const valNats = model.evaluate(data.xVal, data.yVal, { batchSize: 64 })['loss']!;
    const e: CharRnnEpoch = { label, minutes: minutes(), trainMinutes: minutes() - (evalMs + Date.now() - t0) / 60_000, trainLoss, valNats, valBits: valNats / Math.LN2 };
    r.history.push(e);
    note(`${label}: val ${fmt(valNats)} nats/char = ${fmt(e.valBits)} bits/char${trainLoss !== null ? ` (train ${fmt(trainLoss)})` : ''} after ${e.minutes.toFixed(2)} min`);
    if (!withSample) { evalMs += Date.now() - t0; return e; }
    const text = sample(model, data, s);
    note(`--- sample (seed ${s.seed}, temperature ${s.temperature}${s.topK > 0 ? `, top-k ${s.topK}` : ''}) ---\n${text}\n---`);
    await appendFile(join(dir, SAMPLES), `== ${label}, val ${fmt(valNats)} nats/char, ${e.minutes.toFixed(2)} min ==\n${text}\n\n`);
    evalMs += Date.now() - t0;
    return e;
  };
  const perEpoch = Math.ceil(data.xTrain.shape[0]! / s.batchSize);
  let step = r.resumeFrom ? r.resumeFrom.epoch * perEpoch + r.resumeFrom.batch : 0; // steps since the run began
  const cb: Callback = {
    onBatchEnd: async (_batch, logs) => {
      step++;
      if (s.evalEvery > 0 && step % s.evalEvery === 0) await report(`step ${step}`, logs?.['loss'] ?? null, false);
      if (Date.now() - started >= budgetMs && !stop.signal.aborted) { stop.abort(); note(`Wall-time budget of ${s.maxMinutes} min reached: stopping after this batch.`); }
    },
    onEpochEnd: async (epoch, logs) => { await report(`epoch ${epoch + 1}/${s.epochs}`, logs?.['loss'] ?? null); },
  };
  const onSigint = (): void => { stop.abort(); note('Stopping after this batch to save a checkpoint...'); };
  if (options.handleSigint) process.on('SIGINT', onSigint);
  const args: FitArgs = { ...r.fitArgs, callbacks: [...(progress ? [progress] : []), cb], signal: stop.signal };
  if (r.resumeFrom) args.resumeFrom = r.resumeFrom;
  try {
    await model.fit(data.xTrain, data.yTrain, args);
  } finally {
    progress?.stop();
    if (options.handleSigint) process.off('SIGINT', onSigint);
  }
  const p = model.trainingProgress, finished = p !== null && p.epoch >= p.epochs;
  if (!finished && p && p.batch > 0) await report(`stopped in epoch ${p.epoch + 1}/${s.epochs} at batch ${p.batch}`, null);
  const elapsedSeconds = r.elapsed + (Date.now() - started) / 1000;
  // model.save refuses a folder with files it does not know: the vocabulary goes in after it.
  rmSync(join(dir, MODEL, VOCABULARY_FILE), { force: true });
  await model.save(join(dir, MODEL), { overwrite: true });
  saveVocabulary(join(dir, MODEL), data.vocab);
  if (finished) rmSync(join(dir, CHECKPOINT), { recursive: true, force: true });
  else {
    rmSync(join(dir, CHECKPOINT, VOCABULARY_FILE), { force: true });
    await saveCheckpoint(join(dir, CHECKPOINT), model, { fitArgs: r.fitArgs, overwrite: true });
    saveVocabulary(join(dir, CHECKPOINT), data.vocab);
  }
  await writeFileAtomic(join(dir, RUN_FILE), JSON.stringify({ format: 'nabla-char-rnn', version: 1, settings: s, elapsedSeconds, finished, history: r.history }, null, 1) + '\n');
  const last = r.history[r.history.length - 1];
  log(`Saved the model and its vocabulary to ${join(dir, MODEL)}, the history to ${join(dir, RUN_FILE)}, the samples to ${join(dir, SAMPLES)}.`);
  if (!finished) log(`Resume with: nabla train --resume ${dir}`);
  const files = [join(dir, MODEL), join(dir, SAMPLES)];
  if (r.history.length >= 3 && s.trainWindows === 0) files.push(...await plot({ ...options, outDir: dir }, 'val-nats', historyChart(r.history, TARGET_NATS)));
  const figures: Record<string, number> = { minutes: elapsedSeconds / 60, epochsDone: p?.epoch ?? 0 };
  if (last) { figures['valNats'] = last.valNats; figures['valBits'] = last.valBits; }
  const comparisons = last ? [compare('validation cross-entropy', `${fmt(last.valNats)} nats/char after ${(elapsedSeconds / 60).toFixed(1)} min`, `<= ${TARGET_NATS} within 10 min on 2 cores (issue 14)`, last.valNats <= TARGET_NATS)] : [];
  return { figures, comparisons, files };
}

/** The epoch's sample: s.sampleLength characters after "ROMEO:\n" (seeded). */
function sample(model: Sequential, data: CharRnnData, s: CharRnnSettings): string {
  const twin = statefulTwin(model);
  const text = generateText(twin, data.vocab, { length: s.sampleLength, prime: 'ROMEO:\n', seed: s.seed, temperature: s.temperature, ...(s.topK > 0 ? { topK: s.topK } : {}) });
  twin.dispose();
  return 'ROMEO:\n' + text;
}

/** The registry entry. */
export const charRnn = defineExample<CharRnnOptions>('char-rnn', runCharRnn, CHAR_RNN_OPTIONS);
