#!/usr/bin/env node
/**
 * Fails (exit 1) on any import cycle among the TypeScript modules of src/, counting static,
 * type-only and dynamic (`await import(...)`) imports alike: the house's layers point down only
 * (docs/design.md). Uses madge (dependency-tree over detective-typescript).
 *
 * Usage: node scripts/check-cycles.mjs [dir]   (default: src)
 * Prints the module count and each cycle as `a.ts -> b.ts -> a.ts`.
 */
import madge from 'madge';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The import cycles under `dir`, each as a list of files relative to it.
 * @param {string} dir absolute path of the source tree
 * @returns {Promise<{ modules: number, cycles: string[][] }>}
 */
export async function findCycles(dir) {
  const result = await madge(dir, {
    fileExtensions: ['ts'],
    tsConfig: join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false, skipAsyncImports: false } },
  });
  // A relative import madge cannot resolve would hide its edges; packages (optional ones such as vega-lite) do not matter.
  const unresolved = result.warnings().skipped.filter((s) => s.startsWith('.'));
  if (unresolved.length > 0) throw new Error(`check-cycles: could not resolve ${unresolved.join(', ')}`);
  return { modules: Object.keys(result.obj()).length, cycles: result.circular() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(root, process.argv[2] ?? 'src');
  const { modules, cycles } = await findCycles(dir);
  if (cycles.length === 0) console.log(`check-cycles: no import cycle among ${modules} modules in ${dir}`);
  else {
    for (const c of cycles) console.error(`check-cycles: cycle ${[...c, c[0]].join(' -> ')}`);
    console.error(`check-cycles: ${cycles.length} import cycle(s) among ${modules} modules in ${dir}`);
    process.exitCode = 1;
  }
}
