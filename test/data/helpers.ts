/** Shared helpers of the data tests: the shared data folder and throwaway temp folders. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

/** `../shared/data` beside the repository (DESIGN.md, "Data for tests and examples"). */
export const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/** A fresh temp folder, removed when the test file ends. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Escapes a string for use inside a RegExp (paths contain dots and slashes). */
export function re(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
