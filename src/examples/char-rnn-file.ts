/**
 * The run file of a char-rnn run (`char-rnn.json`): its settings, the wall time trained so far,
 * and the history of validation figures. Read as outside input: bounded size, JSON, each
 * setting checked (a damaged file gives a one-line DataFileError with a code).
 */
import { DataFileError, dataFileError } from '../data/files.js';
import { readFileBounded } from '../data/read-bounded.js';
import { LIMITS } from '../limits.js';
import type { TopLevelSpec } from 'vega-lite';
import { lineChart } from '../plots/charts.js';
import type { CharRnnSettings } from './char-rnn-setup.js';

/** The file name in a run directory. */
export const RUN_FILE = 'char-rnn.json';

/** One row of the history: after an epoch, or where training stopped. */
export interface CharRnnEpoch {
  /** 'epoch 3/12', 'step 50', or where training stopped. */
  label: string;
  /** Wall time since the run began; trainMinutes leaves out the time spent validating and sampling. */
  minutes: number; trainMinutes: number;
  trainLoss: number | null; valNats: number; valBits: number }

const INT_FIELDS = ['units', 'embeddingDim', 'sequenceLength', 'batchSize', 'epochs', 'sampleLength'] as const;
const COUNT_FIELDS = ['topK', 'evalEvery', 'trainWindows', 'validationWindows'] as const;

/**
 * Reads and checks a run file.
 * @throws DataFileError naming the file: E_NOT_FOUND etc. (readFileBounded), E_CORRUPT (not JSON),
 *   E_UNSUPPORTED (another format), E_INVALID (a setting missing or out of range).
 */
export function readRunFile(path: string): { settings: CharRnnSettings; elapsedSeconds: number; history: CharRnnEpoch[] } {
  let doc: Record<string, unknown>;
  try { doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileBounded(path, 'json', LIMITS, dataFileError))) as Record<string, unknown>; } catch (e) {
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(path, 'is not valid UTF-8 JSON', 'E_CORRUPT');
  }
  if (typeof doc !== 'object' || doc === null || doc['format'] !== 'nabla-char-rnn' || doc['version'] !== 1) throw new DataFileError(path, 'is not a nabla char-rnn run file (version 1)', 'E_UNSUPPORTED');
  const s = doc['settings'] as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null) throw new DataFileError(path, 'has no settings object', 'E_INVALID');
  const bad = (f: string): never => { throw new DataFileError(path, `settings.${f} is missing or out of range`, 'E_INVALID'); };
  for (const f of INT_FIELDS) if (!Number.isInteger(s[f]) || (s[f] as number) < 1 || (s[f] as number) > 1e7) bad(f);
  for (const f of COUNT_FIELDS) if (!Number.isInteger(s[f]) || (s[f] as number) < 0 || (s[f] as number) > 1e9) bad(f);
  for (const f of ['learningRate', 'maxMinutes', 'temperature'] as const) if (typeof s[f] !== 'number' || !Number.isFinite(s[f]) || (s[f] as number) <= 0) bad(f);
  if (typeof s['seed'] !== 'number' || !Number.isFinite(s['seed'])) bad('seed');
  if (s['dataPath'] !== null && typeof s['dataPath'] !== 'string') bad('dataPath');
  const elapsed = doc['elapsedSeconds'];
  const history = Array.isArray(doc['history']) ? (doc['history'] as CharRnnEpoch[]).filter((e) => typeof e === 'object' && e !== null && typeof e.valNats === 'number' && typeof e.minutes === 'number' && typeof e.trainMinutes === 'number') : [];
  return { settings: s as unknown as CharRnnSettings, elapsedSeconds: typeof elapsed === 'number' && elapsed >= 0 ? elapsed : 0, history };
}

/** The history as a chart: validation nats/char against training minutes, with the 1.8 target line. */
export function historyChart(history: readonly CharRnnEpoch[], target: number): TopLevelSpec {
  const x = history.map((e) => e.trainMinutes), y = history.map((e) => e.valNats);
  const span = x.length > 0 ? [0, Math.max(...x)] : [0, 1];
  return lineChart({
    title: 'Character LSTM on Tiny Shakespeare', xTitle: 'training minutes (validation and sampling left out)', yTitle: 'validation cross-entropy (nats/char)',
    series: [{ name: 'nabla LSTM(256)', x, y, mark: 'linePoint' }, { name: `target ${target}`, x: span, y: [target, target], dashed: true, color: 'grey' }],
  });
}
