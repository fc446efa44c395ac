/**
 * The run directory of a fresh `nabla train`: its default name (runs/<data>-<model>-<time>) and
 * the checks that keep `--out` from losing something (a folder that is not a run, an interrupted
 * run, a different model).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel } from '../../io/model-format.js';
import { toSaved } from '../../models/persistence.js';
import type { Sequential } from '../../models/sequential.js';
import { UsageError } from '../errors.js';
import { nablaCommand, quote } from '../invocation.js';
import { CHECKPOINT_SUBDIR, MODEL_SUBDIR } from '../run-dir.js';
import { isRunScratch } from '../run-lock.js';

/** Local time as 20250101-120000 (the suffix of a default run directory). */
function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `s` made safe for a file name: runs of other characters become '-', no leading or trailing '-' ('data' if nothing is left). */
export const safeName = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'data';

/** The model.json "model" field of a saved model (its architecture, name and seed). */
function savedArchitecture(modelDir: string): string | null {
  try { return JSON.stringify((JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { model?: unknown }).model); } catch { return null; }
}

/** The same field for a model in memory, to compare with {@link savedArchitecture}. */
function architectureOf(model: Sequential): string {
  return JSON.stringify((JSON.parse(encodeModel(toSaved(model))['model.json']) as { model: unknown }).model);
}

/**
 * Refuses an --out that would lose something: a non-run directory, an interrupted run, or a
 * different model (unless --overwrite).
 * @throws UsageError naming --out.
 */
export function checkOut(out: string, model: Sequential, overwrite: boolean): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`option '--out': ${out} exists and is not a directory`);
  const entries = readdirSync(out).filter((e) => !isRunScratch(e)); // the lock and leftovers of interrupted saves
  if (entries.length === 0) return;
  const isRun = entries.includes('run.json') || entries.includes(MODEL_SUBDIR) || entries.includes(CHECKPOINT_SUBDIR);
  if (!isRun) throw new UsageError(`option '--out': ${out} is not empty and is not a nabla run directory; choose another --out`);
  if (overwrite) return;
  if (entries.includes(CHECKPOINT_SUBDIR))
    throw new UsageError(`option '--out': ${out} holds an interrupted run; resume it with '${nablaCommand()} train --resume ${quote(out)}', or pass --overwrite to start over`);
  const saved = savedArchitecture(join(out, MODEL_SUBDIR));
  if (saved !== null && saved !== architectureOf(model))
    throw new UsageError(`option '--out': ${out} holds a different model; pass --overwrite to replace it, or choose another --out`);
}

/** runs/<label>-<model>-<time>, with -2, -3, ... appended while that exists (a relative path). */
export function defaultOut(label: string, modelName: string): string {
  const base = join('runs', `${safeName(label)}-${safeName(modelName)}-${timestamp()}`);
  let out = base;
  for (let i = 2; existsSync(out); i++) out = `${base}-${i}`;
  return out;
}

