/**
 * Training progress for the command line, as a fit callback.
 *
 * - On a terminal (stdout is a TTY and the environment has no CI variable): a progress bar per
 *   epoch (cli-progress) with the batch, the running loss and accuracy of the epoch, samples per
 *   second and the time left for the whole run; when the epoch ends the bar gives way to one
 *   summary line.
 * - Elsewhere (a pipe, a log file, CI): only the summary line, one per epoch:
 *   `Epoch 3/10 - 12.1s - 4958 samples/s - loss: 0.0912 - accuracy: 0.9731 - val_loss: ...`
 *
 * The running values come from `model.trainingProgress` (sample-weighted sums of the epoch's
 * batch logs), so a run resumed mid-epoch shows the same numbers as an uninterrupted one.
 */
import { createRequire } from 'node:module';
import type cliProgress from 'cli-progress';
import type { Callback, Logs } from '../train/callbacks.js';
import type { TrainingProgress } from '../train/fit.js';

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Training samples per epoch (after a validation split). */
  samples: number;
  batchSize: number;
  epochs: number;
  /** Draw bars (a terminal) or print one line per epoch. */
  interactive: boolean;
  /** Where to write (default process.stdout). */
  stream?: NodeJS.WriteStream;
  /** Reads the model's trainingProgress after each batch. */
  progress: () => TrainingProgress | null;
}

/** A fit callback that shows progress, plus `stop()` (removes a bar) and `note()` (a message above it). */
export type ProgressCallback = Callback & { stop(): void; note(message: string): void };

/**
 * True when progress should be drawn as bars: stdout is a terminal and CI is not set.
 * @param stream the output stream (default process.stdout).
 */
export function isInteractive(stream: NodeJS.WriteStream = process.stdout): boolean {
  const ci = process.env['CI'];
  return Boolean(stream.isTTY) && (ci === undefined || ci === '' || ci === '0' || ci.toLowerCase() === 'false');
}

/** Seconds as "1m 05s" / "42s". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  const m = Math.floor(t / 60), h = Math.floor(m / 60);
  return h > 0 ? `${h}h ${String(m % 60).padStart(2, '0')}m` : `${m}m ${String(t % 60).padStart(2, '0')}s`;
}

/** "loss: 0.1234 - accuracy: 0.9876" from logs (size and batch keys left out). */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs).filter(([k]) => k !== 'size' && k !== 'batch').map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
}

/** Makes the progress callback (see the module comment). */
export function createProgress(options: ProgressOptions): ProgressCallback {
  const stream = options.stream ?? process.stdout;
  const batches = Math.ceil(options.samples / options.batchSize);
  const totalBatches = batches * options.epochs;
  let bar: cliProgress.SingleBar | null = null;
  let barEpoch = -1;
  let epochStart = 0, epochSamples = 0;
  const sessionStart = performance.now();
  let sessionBatches = 0;

  const running = (p: TrainingProgress): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.sums)) if (p.seen > 0) out[k] = (v / p.seen).toFixed(4);
    return out;
  };

  const startBar = (epoch: number, batch: number): void => {
    bar?.stop();
    const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as typeof cliProgress; // loaded on first use
    bar = new SingleBar({
      format: `Epoch ${epoch + 1}/${options.epochs} [{bar}] {percentage}% | batch {value}/{total} | {metrics} | {rate} samples/s | ETA {etaAll}`,
      stream, barsize: 24, hideCursor: true, clearOnComplete: true, fps: 8, etaBuffer: 50,
    }, Presets.shades_classic);
    bar.start(batches, batch, { metrics: '', rate: '-', etaAll: '--' });
    barEpoch = epoch;
  };

  const beginEpoch = (): void => { epochStart = performance.now(); epochSamples = 0; };

  return {
    onEpochBegin(epoch) {
      beginEpoch();
      if (options.interactive) startBar(epoch, 0);
    },
    onBatchEnd(_batch, logs) {
      const p = options.progress();
      if (!p) return;
      if (epochStart === 0) beginEpoch(); // a resumed epoch has no onEpochBegin
      epochSamples += logs?.['size'] ?? 0;
      sessionBatches++;
      if (!options.interactive) return;
      if (!bar || barEpoch !== p.epoch) startBar(p.epoch, p.batch - 1);
      const elapsed = (performance.now() - epochStart) / 1000;
      const doneAll = p.epoch * batches + p.batch;
      const perBatch = (performance.now() - sessionStart) / 1000 / sessionBatches;
      const metrics = Object.entries(running(p)).map(([k, v]) => `${k === 'accuracy' ? 'acc' : k} ${v}`).join(' | ');
      bar!.update(p.batch, { metrics, rate: elapsed > 0 ? String(Math.round(epochSamples / elapsed)) : '-', etaAll: formatSeconds((totalBatches - doneAll) * perBatch) });
    },
    onEpochEnd(epoch, logs) {
      bar?.stop(); bar = null;
      const seconds = (performance.now() - epochStart) / 1000;
      const rate = seconds > 0 ? String(Math.round(epochSamples / seconds)) : '-';
      stream.write(`Epoch ${epoch + 1}/${options.epochs} - ${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)}s - ${rate} samples/s - ${formatLogs(logs ?? {})}\n`);
      epochStart = 0;
    },
    stop() { bar?.stop(); bar = null; },
    note(message: string) {
      if (bar) { bar.stop(); bar = null; }
      process.stderr.write(message + '\n');
    },
  };
}
