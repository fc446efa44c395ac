// Helpers for the command-line tests: run `nabla` as a child process and make small inputs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

/** The repository root (the child runs there so `--import tsx` resolves). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');

/**
 * True when dist/ holds a build at least as new as every source file (as `npm test` makes it):
 * then the tests run the built CLI, which starts in a fraction of the time tsx needs.
 */
function builtIsFresh(): boolean {
  if (!existsSync(BUILT)) return false;
  const walk = (dir: string): boolean => readdirSync(dir, { withFileTypes: true }).every((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path);
    if (!e.name.endsWith('.ts')) return true;
    const out = join(ROOT, 'dist', relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js');
    return existsSync(out) && statSync(out).mtimeMs >= statSync(path).mtimeMs;
  });
  return walk(join(ROOT, 'src'));
}
/** How the tests start nabla: the fresh build, or the sources through tsx. */
export const NABLA_ARGV: readonly string[] = builtIsFresh() ? [BUILT] : ['--import', 'tsx', MAIN];

export interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Starts `nabla ...args` (see {@link NABLA_ARGV}) without waiting. CI is set: plain progress lines. */
export function startCli(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [...NABLA_ARGV, ...args], {
    cwd: ROOT, env: { ...process.env, CI: '1', NABLA_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Collects a started child's output and exit. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = '', stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `nabla ...args` to the end. */
export function nabla(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return finished(startCli(args, env));
}

/** A fresh temporary directory. */
export function tmp(prefix = 'nabla-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Lines of text that are not empty. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/**
 * Writes an RGBA PNG of width x height filled with `background` (gray level 0-255), where
 * `ink(x, y)` returns true draws a pixel of gray level `inkLevel`.
 */
export function writePng(path: string, width: number, height: number, ink: (x: number, y: number) => boolean,
                         background = 255, inkLevel = 20): void {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4, v = ink(x, y) ? inkLevel : background;
      png.data[o] = v; png.data[o + 1] = v; png.data[o + 2] = v; png.data[o + 3] = 255;
    }
  writeFileSync(path, PNG.sync.write(png));
}

/** The accuracy a report line prints: "accuracy: 0.9667 (29 of 30 correct)". */
export function printedAccuracy(stdout: string): string {
  const m = /Test loss: [\d.]+ - accuracy: ([\d.]+) \((\d+) of (\d+) correct\)/.exec(stdout);
  if (!m) throw new Error(`no accuracy line in:\n${stdout}`);
  return m[1]!;
}
