/** Shared helpers of the data tests: the shared data folder and throwaway temp folders. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

/**
 * `../shared/data` beside the repository (docs/design.md, "Data for tests and examples"): an
 * outside copy of the data sets that CI lays beside the clone. A user of the published repository
 * has none, so every test that reads it skips itself with {@link needsShared}.
 */
export const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

/**
 * The `skip` option of a test that reads `../shared/data/<folder>`: false where the folder exists,
 * else the reason the test is skipped (node:test prints it).
 */
export function needsShared(folder: string): false | string {
  return existsSync(join(SHARED, folder)) ? false : `needs ../shared/data/${folder} beside the clone (an outside copy of the data; absent here)`;
}

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
