#!/usr/bin/env node
// `npm start`'s build step: runs `npm run build` only when dist/ is older than its inputs, then
// (after `--`) the given command, and prints the whole run's wall time at the end.
//
//   node scripts/build-if-stale.mjs [--force] [-- command args...]
//
// dist/ is up to date when its entry points (dist/index.js, dist/cli/main.js and the embedded
// kernels dist/kernels/wasm/binary.generated.js, which tsc rewrites on every build) exist and are
// newer than every input: the files under src/ and assembly/, the wasm build scripts, the
// tsconfigs, package.json and package-lock.json. Modification times, not hashes: touching a
// source file counts as a change (a `git checkout` sets the mtime of what it writes, so switching
// branches rebuilds). Exit code: the build's when it fails, else the command's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Inputs of `npm run build`, relative to the package root: directories are walked. */
export const BUILD_INPUTS = ['src', 'assembly', 'scripts/build-wasm.mjs', 'scripts/activation-ids.mjs', 'scripts/kernel-bindings.mjs',
  'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
/** Outputs every build rewrites; the oldest of them is the build's time. */
export const BUILD_OUTPUTS = ['dist/index.js', 'dist/cli/main.js', 'dist/kernels/wasm/binary.generated.js'];

/**
 * The newest input file under `root`: its path and mtime (ms), or null when there is none.
 * @param {string} root the package root
 * @returns {{ path: string, mtimeMs: number } | null}
 */
export function newestInput(root = ROOT) {
  let newest = null;
  const visit = (path) => {
    let st;
    try { st = statSync(path); } catch { return; } // an optional input (no package-lock.json)
    if (st.isDirectory()) { for (const name of readdirSync(path)) visit(join(path, name)); return; }
    if (newest === null || st.mtimeMs > newest.mtimeMs) newest = { path, mtimeMs: st.mtimeMs };
  };
  for (const input of BUILD_INPUTS) visit(join(root, input));
  return newest;
}

/**
 * Why dist/ under `root` needs a build, or null when it is up to date (see the module comment).
 * @param {string} root the package root
 * @returns {string | null} a one-line reason naming the missing output or the newer input
 */
export function staleReason(root = ROOT) {
  let built = Infinity;
  for (const out of BUILD_OUTPUTS) {
    const path = join(root, out);
    if (!existsSync(path)) return `${out} is missing`;
    built = Math.min(built, statSync(path).mtimeMs);
  }
  const newest = newestInput(root);
  if (newest !== null && newest.mtimeMs > built) return `${relative(root, newest.path)} changed after the last build`;
  return null;
}

function main(argv) {
  const t0 = performance.now();
  const sep = argv.indexOf('--');
  const own = sep < 0 ? argv : argv.slice(0, sep), command = sep < 0 ? [] : argv.slice(sep + 1);
  const reason = own.includes('--force') ? '--force' : staleReason();
  let buildNote = 'skipped, dist/ is up to date';
  if (reason !== null) {
    process.stderr.write(`build: ${reason}; running npm run build\n`);
    const b = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) return b.status ?? 1;
    buildNote = `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  } else process.stderr.write('build: dist/ is up to date (skipped; --force rebuilds)\n');
  if (command.length === 0) return 0;
  const r = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: 'inherit' });
  console.log(`\nTotal wall time: ${((performance.now() - t0) / 1000).toFixed(1)} s (build: ${buildNote}).`);
  return r.status ?? (r.signal === 'SIGINT' ? 130 : 1);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
