/**
 * Writing generated files only when their content changes (so a build that regenerates nothing
 * touches nothing), or, with `check`, only reporting which are stale. Used by the generators that
 * scripts/build-wasm.mjs runs (activation ids, kernel bindings).
 */
import { readFile, writeFile } from 'node:fs/promises';

/**
 * @param {[string, string][]} files pairs of [path, wanted text].
 * @param {boolean} check when true, writes nothing.
 * @returns {Promise<string[]>} the paths whose content differed (written, or stale with `check`).
 */
export async function writeChangedFiles(files, check = false) {
  const changed = [];
  for (const [path, text] of files) {
    let old = '';
    try { old = await readFile(path, 'utf8'); } catch { /* first build */ }
    if (old === text) continue;
    changed.push(path);
    if (!check) await writeFile(path, text);
  }
  return changed;
}
