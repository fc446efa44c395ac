/**
 * `nabla train --data shakespeare [--model lstm]` and `nabla train --resume DIR` of such a run:
 * the character LSTM of `nabla example char-rnn` (examples/char-rnn.ts) with the train command's
 * run directory (default runs/shakespeare-lstm-<time>), progress bar, Ctrl-C checkpoint and
 * --resume. Options that describe other models (--hidden, --loss, ...) are refused.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CHAR_RNN_FILE, charRnn, resumeCharRnn, runCharRnn, type CharRnnOptions, type ProgressFactory } from '../../examples/char-rnn.js';
import { EXIT, UsageError } from '../errors.js';
import { createProgress, isInteractive } from '../progress.js';
import { quickExampleNotice } from '../quick.js';
import { acquireRunLock } from '../run-lock.js';

/** The data name and model name of the text job. */
export const TEXT_DATA = 'shakespeare', TEXT_MODEL = 'lstm';
const ALLOWED = new Set(['data', 'model', 'epochs', 'batchSize', 'learningRate', 'seed', 'out', 'overwrite', 'maxMinutes']);

/** The progress bar of `nabla train`, for the text job. */
export const progressBar: ProgressFactory = (o) => createProgress({ ...o, interactive: isInteractive() });

/** Whether DIR is a char-rnn run (it holds char-rnn.json). */
export function isTextRun(dir: string): boolean {
  return existsSync(join(dir, CHAR_RNN_FILE));
}

/** Refuses --max-minutes for the other data sets. @throws UsageError. */
export function checkTextOnly(opts: { maxMinutes?: number }): void {
  if (opts.maxMinutes !== undefined) throw new UsageError(`option '--max-minutes' applies to --data ${TEXT_DATA} only`);
}

/**
 * A fresh text run. @returns the exit code (0; a budget stop saves a checkpoint and is 0 too).
 * @throws UsageError for an option the text model does not take, or --model other than lstm.
 */
export async function trainText(opts: Record<string, unknown> & { data: string; model: string }, command: Command): Promise<number> {
  if (opts.data !== TEXT_DATA) throw new UsageError(`option '--model': ${TEXT_MODEL} trains on --data ${TEXT_DATA}`);
  if (command.getOptionValueSource('model') === 'cli' && opts.model !== TEXT_MODEL) throw new UsageError(`option '--model': --data ${TEXT_DATA} trains --model ${TEXT_MODEL}`);
  for (const o of command.options) {
    const key = o.attributeName();
    if (!ALLOWED.has(key) && command.getOptionValueSource(key) === 'cli') throw new UsageError(`option '${o.long}' does not apply to --data ${TEXT_DATA} (a character LSTM)`);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const out = resolve(typeof opts['out'] === 'string' ? opts['out'] : join('runs', `${TEXT_DATA}-${TEXT_MODEL}-${stamp}`));
  if (isTextRun(out) && existsSync(join(out, 'checkpoint')) && opts['overwrite'] !== true)
    throw new UsageError(`option '--out': ${out} holds an interrupted run; resume it with 'nabla train --resume ${out}', or pass --overwrite to start over`);
  const run: CharRnnOptions = { outDir: out, log: (l) => console.log(l), progress: progressBar, handleSigint: true };
  for (const k of ['epochs', 'batchSize', 'learningRate', 'seed', 'maxMinutes'] as const) if (opts[k] !== undefined) (run as Record<string, unknown>)[k] = opts[k];
  const lock = acquireRunLock(out);
  quickExampleNotice(charRnn); // NABLA_QUICK shortens it as it does `nabla example char-rnn`
  try { await runCharRnn(run); } finally { lock.release(); }
  return EXIT.ok;
}

/**
 * `nabla train --resume DIR` of a text run; `--max-minutes` may set this session's budget.
 * @throws UsageError when another option is given.
 */
export async function resumeText(dir: string, command: Command): Promise<number> {
  for (const o of command.options) {
    const key = o.attributeName();
    if (key !== 'resume' && key !== 'maxMinutes' && command.getOptionValueSource(key) === 'cli')
      throw new UsageError(`option '${o.long}' cannot be combined with --resume: a resumed run keeps the options it started with`);
  }
  const lock = acquireRunLock(dir);
  const maxMinutes = command.getOptionValue('maxMinutes') as number | undefined;
  try { await resumeCharRnn(resolve(dir), { log: (l) => console.log(l), progress: progressBar, handleSigint: true, ...(maxMinutes !== undefined ? { maxMinutes } : {}) }); } finally { lock.release(); }
  return EXIT.ok;
}
